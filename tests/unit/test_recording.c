// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"

#include "fmt.h"
#include "recording.h"
#include "text.h"

#define T1 5000001u
#define T2 5000002u
#define VERSION_FIELD "\"nnperf_version\": \""

static void layer(struct nnp_agg *a, uint32_t tgid, uint32_t probe, uint64_t key, uint64_t start,
		  uint64_t dur, uint64_t child, uint64_t seq)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = tgid, .tid = tgid, .probe_id = probe },
		.key = key,
		.start_ns = start,
		.end_ns = start + dur,
		.child_ns = child,
		.infer_seq = seq,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static void infer(struct nnp_agg *a, uint32_t tgid, uint64_t start, uint64_t dur, uint64_t seq)
{
	struct nnp_infer_event e = {
		.hdr = { .type = NNP_EV_INFER, .tgid = tgid, .tid = tgid },
		.start_ns = start,
		.end_ns = start + dur,
		.infer_seq = seq,
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static void name_ev(struct nnp_agg *a, uint32_t tgid, uint32_t probe, uint64_t key,
		    const char *name, const char *op)
{
	struct nnp_name_event e = {
		.hdr = { .type = NNP_EV_NAME, .tgid = tgid, .tid = tgid, .probe_id = probe },
		.key = key,
	};

	memcpy(e.name, name, strnlen(name, sizeof(e.name)));
	memcpy(e.op, op, strnlen(op, sizeof(e.op)));
	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

static const struct nnp_rec_meta golden_meta = {
	.command = "nnperf-tinynet --iters 3",
	.target_pid = 4242,
	.start_realtime_ns = UINT64_C(1700000000123456789),
	.duration_ns = UINT64_C(2500000000),
	.hostname = "testhost",
	.kernel = "6.18.0-test",
	.lost_events = 17,
	.unmatched = 2,
	.fetch_errors = 1,
	.probe_hits = 1234,
	.ringbuf_bytes = 262144,
	.exit_status = 0,
};

/* Three inferences of a small conv net, a layer outside them, and an exited helper. */
static void golden_agg(struct nnp_agg *a)
{
	static const uint64_t conv_ns[] = { 1520000, 1480000, 1610000 };

	nnp_agg_init(a, NULL);
	nnp_agg_add_probe(a, 1, "tinynet_conv2d", "Conv", "probe");
	nnp_agg_add_probe(a, 2, "tinynet_relu", "Relu", "probe");
	nnp_agg_add_probe(a, 3, "nnperf:layer_begin", "", "usdt");
	name_ev(a, T1, 3, 0x7f0000001000, "model.classifier.dense_with_a_really_long_name_1",
		"Gemm");
	for (uint64_t i = 0; i < 3; i++) {
		uint64_t t = 1000000000 + i * 10000000;

		infer(a, T1, t, 5000000 + i * 100000, i + 1);
		layer(a, T1, 1, 0x55550000a000, t + 1000, conv_ns[i], 0, i + 1);
		layer(a, T1, 2, 0, t + 2000000, 12345 + i * 1000, 0, i + 1);
		layer(a, T1, 1, 0x55550000b000, t + 2100000, 999600 + i, 0, i + 1);
		layer(a, T1, 3, 0x7f0000001000, t + 3200000, 1700000, 850000, i + 1);
	}
	layer(a, T1, 2, 0, 2000000000, 850, 0, 0);
	name_ev(a, T1, 1, 0x55550000b000, "features.3", "");
	nnp_agg_set_comm(a, T1, "tinynet");
	layer(a, T2, 3, 0, 5000, 2000000000, 0, 0);
	nnp_agg_set_comm(a, T2, "helper");
	nnp_agg_proc_exited(a, T2);
}

static char *render(int (*write)(FILE *, const struct nnp_agg *, const struct nnp_rec_meta *),
		    const struct nnp_agg *a, const struct nnp_rec_meta *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(write(f, a, m), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* the version changes with every release; the golden file holds a placeholder */
static char *mask_version(const char *doc)
{
	const char *v = strstr(doc, VERSION_FIELD NNPERF_VERSION "\""), *rest;
	char *out = NULL;

	assert_non_null(v);
	rest = v + strlen(VERSION_FIELD NNPERF_VERSION);
	assert_true(asprintf(&out, "%.*s%s@VERSION@%s", (int)(v - doc), doc, VERSION_FIELD, rest) >
		    0);
	return out;
}

static void test_json_golden(void **state)
{
	struct nnp_agg a;
	char *doc, *masked;

	(void)state;
	golden_agg(&a);
	doc = render(nnp_recording_write_json, &a, &golden_meta);
	masked = mask_version(doc);
	nnp_check_golden("recording_golden.json", masked);
	free(masked);
	free(doc);
	nnp_agg_free(&a);
}

static void test_table_golden(void **state)
{
	struct nnp_agg a;
	char *txt;

	(void)state;
	golden_agg(&a);
	txt = render(nnp_recording_write_table, &a, &golden_meta);
	nnp_check_golden("recording_golden.txt", txt);
	free(txt);
	nnp_agg_free(&a);
}

/* --group-by block: a group table under the layers, "groups" and each layer's "group" in JSON */
static void test_groups_golden(void **state)
{
	struct nnp_rec_meta m = golden_meta;
	struct nnp_agg a;
	char *txt, *doc, *masked;

	(void)state;
	m.group_by = NNP_GROUP_BLOCK;
	golden_agg(&a);
	txt = render(nnp_recording_write_table, &a, &m);
	assert_non_null(strstr(txt, "groups by block"));
	assert_non_null(strstr(txt, "\nfeatures "));
	nnp_check_golden("recording_groups_golden.txt", txt);
	doc = render(nnp_recording_write_json, &a, &m);
	assert_non_null(strstr(doc, "\"group\": \"features\""));
	assert_non_null(strstr(doc, "\"by\": \"block\""));
	masked = mask_version(doc);
	nnp_check_golden("recording_groups_golden.json", masked);
	free(masked);
	free(doc);
	free(txt);
	nnp_agg_free(&a);
}

static void test_table_warnings(void **state)
{
	struct nnp_agg_opts o = { .max_layers = 1, .max_procs = 1 };
	struct nnp_rec_meta m = golden_meta;
	struct nnp_event_hdr bad = { .type = 42 };
	struct nnp_agg a;
	char *txt;

	(void)state;
	nnp_agg_init(&a, &o);
	txt = render(nnp_recording_write_table, &a, &m);
	assert_non_null(strstr(txt, "no inference or layer events recorded"));
	free(txt);
	layer(&a, T1, 1, 1, 0, 10, 0, 0);
	layer(&a, T1, 1, 2, 0, 10, 0, 0);
	layer(&a, T2, 1, 2, 0, 10, 0, 0);
	assert_int_equal(nnp_agg_event(&a, &bad, sizeof(bad)), -EINVAL);
	m.lost_events = 0;
	txt = render(nnp_recording_write_table, &a, &m);
	assert_null(strstr(txt, "ring buffer"));
	assert_non_null(strstr(txt, "lost events: 0"));
	assert_non_null(strstr(txt, "WARNING: 1 layer events dropped"));
	assert_non_null(strstr(txt, "0 exited ones evicted, 1 events of new ones refused"));
	assert_non_null(strstr(txt, "WARNING: 1 malformed events ignored"));
	/* warnings come before any process */
	assert_true(strstr(txt, "WARNING") < strstr(txt, "PID "));
	free(txt);
	nnp_agg_free(&a);
}

static void read_data(const char *name, int want_ret, const char *want_msg)
{
	char path[512], err[512] = "";
	struct json_object *o = (struct json_object *)&o;

	snprintf(path, sizeof(path), "%s/%s", NNP_TEST_DATA_DIR, name);
	assert_int_equal(nnp_recording_read(path, &o, err, sizeof(err)), want_ret);
	assert_null(o);
	if (!strstr(err, want_msg))
		fail_msg("error \"%s\" lacks \"%s\"", err, want_msg);
	/* every message names the file first */
	assert_memory_equal(err, path, strlen(path));
}

static void test_read_errors(void **state)
{
	(void)state;
	read_data("recording_corrupt.json", -EINVAL, "recording_corrupt.json:4:31: ");
	read_data("recording_v2.json", -EINVAL,
		  ": recording version 2 is newer than this nnperf supports (1)");
	read_data("recording_wrong_schema.json", -EINVAL, "not an nnperf recording");
	read_data("no_such_recording.json", -ENOENT, strerror(ENOENT));
}

/* writes text to a temporary file and reads it back as a recording */
static int read_text(const char *text, struct json_object **o, char *err, size_t errlen, char *path,
		     size_t pathlen)
{
	int fd, ret;

	snprintf(path, pathlen, "/tmp/nnp-test-recording-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ret = nnp_recording_read(path, o, err, errlen);
	unlink(path);
	return ret;
}

static void expect_read_error(const char *text, const char *want)
{
	char err[512], path[64], full[600];
	struct json_object *o;

	assert_int_equal(read_text(text, &o, err, sizeof(err), path, sizeof(path)), -EINVAL);
	snprintf(full, sizeof(full), "%s%s", path, want);
	if (strncmp(err, full, strlen(full)))
		fail_msg("error \"%s\" does not start with \"%s\"", err, full);
}

static void test_read_syntax_positions(void **state)
{
	(void)state;
	expect_read_error("", ":1:1: ");
	expect_read_error("{\"schema\": \"nnperf.rec", ":1:23: unexpected end of file");
	expect_read_error("{\"schema\": \"nnperf.recording\", \"version\": 1}\n  x", ":2:3: ");
	expect_read_error("{\n\n\t\"a\": \"\xff\"}", ":3:");
	expect_read_error("[1, 2]", ": not an nnperf recording");
	expect_read_error("{\"schema\": \"nnperf.recording\", \"version\": \"1\"}",
			  ": invalid recording");
	expect_read_error("{\"schema\": \"nnperf.recording\", \"version\": 0}",
			  ": invalid recording");
	expect_read_error("{\"version\": 1}", ": not an nnperf recording");
	/* found by fuzz_recording: the file's schema string went raw into the line */
	expect_read_error("{\"schema\": \"a\\nb\\u001b[2Jc\"}",
			  ": not an nnperf recording: schema is \"a?b?[2Jc\"");
}

static void test_read_round_trip(void **state)
{
	struct json_object *o, *procs, *layer, *v;
	char err[512] = "", path[64];
	struct nnp_agg a;
	char *doc;

	(void)state;
	golden_agg(&a);
	doc = render(nnp_recording_write_json, &a, &golden_meta);
	assert_int_equal(read_text(doc, &o, err, sizeof(err), path, sizeof(path)), 0);
	assert_string_equal(err, "");
	assert_true(json_object_object_get_ex(o, "processes", &procs));
	assert_int_equal(json_object_array_length(procs), 2);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(procs, 0), "layers", &v));
	layer = json_object_array_get_idx(v, 3);
	assert_true(json_object_object_get_ex(layer, "key", &v));
	assert_string_equal(json_object_get_string(v), "0x7f0000001000");
	assert_true(json_object_object_get_ex(layer, "self_ns", &v));
	assert_int_equal(json_object_get_uint64(v), 2550000);
	assert_true(json_object_object_get_ex(o, "start_realtime_ns", &v));
	assert_int_equal(json_object_get_uint64(v), golden_meta.start_realtime_ns);
	json_object_put(o);
	free(doc);
	nnp_agg_free(&a);
}

/* Parses like a strict consumer would, rejecting invalid UTF-8. */
static struct json_object *strict_parse(const char *doc)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, doc, (int)strlen(doc));
	if (json_tokener_get_error(tok) != json_tokener_success)
		fail_msg("invalid JSON: %s", json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	return o;
}

static const char *layer_name(struct json_object *root, size_t i)
{
	struct json_object *procs, *layers, *name;

	assert_true(json_object_object_get_ex(root, "processes", &procs));
	assert_true(
	    json_object_object_get_ex(json_object_array_get_idx(procs, 0), "layers", &layers));
	assert_true(json_object_object_get_ex(json_object_array_get_idx(layers, i), "name", &name));
	return json_object_get_string(name);
}

#define FFFD "\xef\xbf\xbd"

static const struct {
	const char *raw, *want_json, *want_table;
} hostile[] = {
	{ "say \"hi\"", "say \"hi\"", "say \"hi\"" },
	{ "back\\slash/ok", "back\\slash/ok", "back\\slash/ok" },
	{ "new\nline\ttab\x1b[2J", "new\nline\ttab\x1b[2J", "new?line?tab?[2J" },
	{ "bad\xff\xfe end", "bad" FFFD FFFD " end", "bad?? end" },
	{ "cut\xc3", "cut" FFFD, "cut?" },
	{ "overlong\xc0\xaf", "overlong" FFFD FFFD, "overlong??" },
	{ "surrogate\xed\xa0\x80", "surrogate" FFFD FFFD FFFD, "surrogate???" },
	{ "caf\xc3\xa9 \xf0\x9f\x94\xa5", "caf\xc3\xa9 \xf0\x9f\x94\xa5",
	  "caf\xc3\xa9 \xf0\x9f\x94\xa5" },
};

static void test_hostile_names(void **state)
{
	size_t n = sizeof(hostile) / sizeof(hostile[0]);
	struct nnp_rec_meta m = golden_meta;
	struct json_object *root;
	struct nnp_agg a;
	char *doc, *txt;

	(void)state;
	nnp_agg_init(&a, NULL);
	for (size_t i = 0; i < n; i++) {
		name_ev(&a, T1, 1, i + 1, hostile[i].raw, "");
		layer(&a, T1, 1, i + 1, 100, 10, 0, 0);
	}
	nnp_agg_set_comm(&a, T1, "evil\n\"comm\xff");
	m.command = "run \"x\"\xff";
	doc = render(nnp_recording_write_json, &a, &m);
	root = strict_parse(doc);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(layer_name(root, i), hostile[i].want_json);
	json_object_put(root);
	txt = render(nnp_recording_write_table, &a, &m);
	for (size_t i = 0; i < n; i++)
		if (!strstr(txt, hostile[i].want_table))
			fail_msg("table lacks \"%s\":\n%s", hostile[i].want_table, txt);
	for (const char *c = txt; *c; c++)
		assert_false((unsigned char)*c < 0x20 && *c != '\n');
	assert_non_null(strstr(txt, "(evil?\"comm?)"));
	free(txt);
	free(doc);
	nnp_agg_free(&a);
}

static void test_fmt_duration(void **state)
{
	static const struct {
		uint64_t ns;
		const char *want;
	} cases[] = {
		{ 0, "0ns" },
		{ 999, "999ns" },
		{ 1000, "1.00us" },
		{ 9994, "9.99us" },
		{ 9996, "10.0us" },
		{ 12345, "12.3us" },
		{ 99940, "99.9us" },
		{ 99960, "100us" },
		{ 999499, "999us" },
		{ 999500, "1.00ms" },
		{ 1520000, "1.52ms" },
		{ 999600000, "1.00s" },
		{ 2000000000, "2.00s" },
		{ UINT64_C(4321000000000), "4321s" },
		{ UINT64_MAX, "18446744074s" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(nnp_fmt_duration(buf, sizeof(buf), cases[i].ns), cases[i].want);
}

static void test_text_helpers(void **state)
{
	char buf[16], small[8];

	(void)state;
	/* a cut never splits a character: "é" is 2 bytes and would straddle the end */
	assert_int_equal(nnp_text_copy(buf, 6, "abcd\xc3\xa9", 64), 4);
	assert_string_equal(buf, "abcd");
	assert_int_equal(nnp_text_copy(buf, 7, "abcd\xc3\xa9", 64), 6);
	/* unterminated source: srclen bounds it */
	assert_int_equal(nnp_text_copy(buf, sizeof(buf), "abcdef", 3), 3);
	assert_string_equal(buf, "abc");
	/* display: cut to columns with an ellipsis */
	assert_int_equal(nnp_text_display(buf, sizeof(buf), "abcdefgh", 5), 5);
	assert_string_equal(buf, "abcd\xe2\x80\xa6");
	assert_int_equal(nnp_text_display(buf, sizeof(buf), "abcde", 5), 5);
	assert_string_equal(buf, "abcde");
	assert_int_equal(nnp_text_display(buf, sizeof(buf), "\xc3\xa9\xc3\xa9", 5), 2);
	/* a small buffer holds what fits, always terminated */
	nnp_text_display(small, sizeof(small), "abcdefghijkl", 40);
	assert_true(strlen(small) < sizeof(small));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_golden),
		cmocka_unit_test(test_table_golden),
		cmocka_unit_test(test_groups_golden),
		cmocka_unit_test(test_table_warnings),
		cmocka_unit_test(test_read_errors),
		cmocka_unit_test(test_read_syntax_positions),
		cmocka_unit_test(test_read_round_trip),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_fmt_duration),
		cmocka_unit_test(test_text_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
