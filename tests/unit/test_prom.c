// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exporter's output: label escaping, content negotiation, --listen
 * parsing, histogram buckets, the series budget, and whole pages (Prometheus
 * text, OpenMetrics, JSON lines) compared with golden files in
 * tests/unit/data/prom/. NNP_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "golden.h"
#include <json-c/json.h>

#include "agg.h"
#include "http_server.h"
#include "jsonl_write.h"
#include "prom_metrics.h"
#include "prom_text.h"

/* above any possible pid_max (2^22): /proc/TGID never exists */
#define T1 5000001u
#define T2 5000002u

static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, arg);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void escape_to(FILE *f, const void *arg)
{
	nnp_prom_escape(f, arg);
}

static void test_escape(void **state)
{
	static const struct {
		const char *name, *input, *want;
	} cases[] = {
		{ "plain", "conv1", "conv1" },
		{ "empty", "", "" },
		{ "quote", "a\"b", "a\\\"b" },
		{ "backslash", "a\\b", "a\\\\b" },
		{ "newline", "a\nb", "a\\nb" },
		{ "escape sequence stays literal", "\\n", "\\\\n" },
		{ "all three", "\"\\\n", "\\\"\\\\\\n" },
		{ "tab and CR stay", "a\tb\rc", "a\tb\rc" },
		{ "label syntax", "x\",le=\"+Inf", "x\\\",le=\\\"+Inf" },
		{ "valid UTF-8", "caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80" },
		{ "invalid byte",
		  "a\xff"
		  "b",
		  "a\xef\xbf\xbd"
		  "b" },
		{ "truncated sequence", "a\xe2\x82", "a\xef\xbf\xbd\xef\xbf\xbd" },
		{ "overlong slash", "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "surrogate", "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = capture(escape_to, cases[i].input);

		if (strcmp(got, cases[i].want))
			fail_msg("%s: got '%s', want '%s'", cases[i].name, got, cases[i].want);
		free(got);
	}
}

static void test_negotiate(void **state)
{
	static const struct {
		const char *name, *accept;
		enum nnp_prom_format want;
	} cases[] = {
		{ "no header", NULL, NNP_PROM_TEXT },
		{ "curl", "*/*", NNP_PROM_TEXT },
		{ "text only", "text/plain;version=0.0.4", NNP_PROM_TEXT },
		{ "prometheus 2.x",
		  "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
		  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
		  NNP_PROM_OPENMETRICS },
		{ "openmetrics only", "application/openmetrics-text", NNP_PROM_OPENMETRICS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (nnp_prom_negotiate(cases[i].accept) != cases[i].want)
			fail_msg("%s: wrong format", cases[i].name);
	assert_string_equal(nnp_prom_content_type(NNP_PROM_TEXT),
			    "text/plain; version=0.0.4; charset=utf-8");
}

static void test_parse_listen(void **state)
{
	static const struct {
		const char *input;
		int err;
		int family;
		uint16_t port;
	} cases[] = {
		{ "127.0.0.1:9464", 0, AF_INET, 9464 }, { ":8080", 0, AF_INET, 8080 },
		{ "[::1]:9464", 0, AF_INET6, 9464 },	{ "0.0.0.0:0", 0, AF_INET, 0 },
		{ "127.0.0.1", -EINVAL, 0, 0 },		{ "127.0.0.1:", -EINVAL, 0, 0 },
		{ "127.0.0.1:65536", -EINVAL, 0, 0 },	{ "localhost:9464", -EINVAL, 0, 0 },
		{ "[::1:9464", -EINVAL, 0, 0 },		{ "1.2.3.4:12x", -EINVAL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		int err = nnp_http_parse_listen(cases[i].input, &ss, &len);

		if (err != cases[i].err)
			fail_msg("%s: err %d, want %d", cases[i].input, err, cases[i].err);
		if (err)
			continue;
		assert_int_equal(ss.ss_family, cases[i].family);
		assert_int_equal(ntohs(ss.ss_family == AF_INET
					   ? ((struct sockaddr_in *)&ss)->sin_port
					   : ((struct sockaddr_in6 *)&ss)->sin6_port),
				 cases[i].port);
	}
}

struct hist_case {
	const struct nnp_hist *h;
};

static void hist_to(FILE *f, const void *arg)
{
	struct nnp_prom_writer w;
	struct nnp_prom_label l = { "layer", "x" };

	nnp_prom_writer_init(&w, f, NNP_PROM_TEXT, 0);
	nnp_prom_histogram(&w, "h", &l, 1, arg);
}

static uint64_t bucket_value(const char *page, const char *le)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), "le=\"%s\"} ", le);
	p = strstr(page, key);
	assert_non_null(p);
	return strtoull(p + strlen(key), NULL, 10);
}

/* Buckets never count a value above their bound; values well below it count exactly. */
static void test_histogram_buckets(void **state)
{
	static const uint64_t values[] = {
		10, 900, 999, 1000, 1001, 2400, 1000000, 20000000000ull
	};
	struct nnp_hist h;
	char *page;

	(void)state;
	nnp_hist_init(&h);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		assert_int_equal(nnp_hist_add(&h, values[i]), 0);
	page = capture(hist_to, &h);
	/* 999 and 1000 share the log-linear bucket [992, 1007], which straddles 1 us */
	assert_int_equal(bucket_value(page, "1e-06"), 2);
	assert_int_equal(bucket_value(page, "2.5e-06"), 6);
	/* 1000000 lies in [999424, 1015807]: it counts from 2.5 ms on */
	assert_int_equal(bucket_value(page, "0.001"), 6);
	assert_int_equal(bucket_value(page, "0.0025"), 7);
	assert_int_equal(bucket_value(page, "10"), 7);
	assert_int_equal(bucket_value(page, "+Inf"), 8);
	assert_non_null(strstr(page, "h_sum{layer=\"x\"} 20.001006310\n"));
	assert_non_null(strstr(page, "h_count{layer=\"x\"} 8\n"));
	free(page);
	nnp_hist_free(&h);
}

static int layer_ev(struct nnp_agg *a, uint32_t tgid, uint64_t key, uint64_t start, uint64_t dur)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = tgid, .tid = tgid, .probe_id = 1 },
		.key = key,
		.start_ns = start,
		.end_ns = start + dur,
		.child_ns = dur / 4,
		.infer_seq = 1,
	};

	return nnp_agg_event(a, &e, sizeof(e));
}

static int infer_ev(struct nnp_agg *a, uint32_t tgid, uint64_t start, uint64_t dur)
{
	struct nnp_infer_event e = {
		.hdr = { .type = NNP_EV_INFER, .tgid = tgid, .tid = tgid, .probe_id = 1 },
		.start_ns = start,
		.end_ns = start + dur,
		.infer_seq = 1,
	};

	return nnp_agg_event(a, &e, sizeof(e));
}

/* raw bytes, as BPF copies them: maybe no NUL, maybe not UTF-8 */
static int name_ev(struct nnp_agg *a, uint32_t tgid, uint64_t key, const char *name, size_t len,
		   const char *op)
{
	struct nnp_name_event e = {
		.hdr = { .type = NNP_EV_NAME, .tgid = tgid, .tid = tgid, .probe_id = 1 },
		.key = key,
	};

	memcpy(e.name, name, len < sizeof(e.name) ? len : sizeof(e.name));
	memcpy(e.op, op, strnlen(op, sizeof(e.op)));
	return nnp_agg_event(a, &e, sizeof(e));
}

/* hostile layer names: each row is one layer of process T1 */
static const struct {
	const char *name;
	size_t len;
	const char *op;
} hostile[] = {
	{ "conv\"1\"", 7, "conv2d" },
	{ "back\\slash\\", 11, "op\\" },
	{ "new\nline", 8, "re\nlu" },
	{ "bad\xff\xfeutf8", 10, "\xc3" },
	{ "le=\"+Inf\"},x{", 13, "}" },
	/* 64 bytes kept, no NUL: "x", 31 "é", and the lead byte of a 32nd */
	{ "x\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	  "\xc3\xa9\xc3\xa9",
	  66, "" },
};

static void build_agg(struct nnp_agg *a)
{
	assert_int_equal(nnp_agg_init(a, NULL), 0);
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		assert_int_equal(name_ev(a, T1, i, hostile[i].name, hostile[i].len, hostile[i].op),
				 0);
		for (uint64_t k = 0; k < 3; k++)
			assert_int_equal(
			    layer_ev(a, T1, i, 1000 + k * 100000, 3000 + i * 250000 + k), 0);
	}
	assert_int_equal(infer_ev(a, T1, 1000, 2000000), 0);
	assert_int_equal(infer_ev(a, T1, 5000000, 7000000), 0);
	assert_int_equal(nnp_agg_set_comm(a, T1, "ev\"il\\comm"), 0);
	assert_int_equal(name_ev(a, T2, 0, "conv1", 5, "conv2d"), 0);
	assert_int_equal(layer_ev(a, T2, 0, 1000, 150000), 0);
	assert_int_equal(nnp_agg_set_comm(a, T2, "tinynet"), 0);
}

static bool fake_labels(void *ctx, uint32_t tgid, struct nnp_proc_labels *out)
{
	(void)ctx;
	out->runtime = "usdt";
	out->model = tgid == T1 ? "mod\"el\n\xff" : "dense";
	return true;
}

static const struct nnp_prog_stat progs[] = { { "nnp_usdt", 123456789, 4242 } };

static struct nnp_self_stats fixed_self(void)
{
	return (struct nnp_self_stats){
		.version = "0.1.0-test",
		.bpf = { [NNP_STAT_HITS] = 4242, [NNP_STAT_LOST] = 7, [NNP_STAT_UNMATCHED] = 1 },
		.bpf_stats = true,
		.progs = progs,
		.nprogs = 1,
		.hw_pmu = 0,
		.last_scrape_ns = 1500000,
		.cpu_ns = 2500000001ull,
		.targets = 2,
		.attaches = 3,
		.attach_failures = 1,
		.series_dropped = 10,
	};
}

struct page_arg {
	const struct nnp_agg *a;
	enum nnp_prom_format fmt;
	size_t max_series;
	struct nnp_self_stats *self;
};

static void page_to(FILE *f, const void *arg)
{
	const struct page_arg *pa = arg;
	struct nnp_prom_page pg = {
		.agg = pa->a, .labels = fake_labels, .self = pa->self, .max_series = pa->max_series
	};

	assert_int_equal(nnp_prom_render(f, pa->fmt, &pg), 0);
}

static void jsonl_to(FILE *f, const void *arg)
{
	const struct page_arg *pa = arg;

	assert_int_equal(nnp_jsonl_write(f, pa->a, fake_labels, NULL, pa->self,
					 1700000000123456789ull, NNP_GROUP_NONE, NULL),
			 0);
}

/* FILE is relative to tests/unit/data/prom */
static void check_golden(const char *file, const char *got)
{
	char name[256];

	snprintf(name, sizeof(name), "prom/%s", file);
	nnp_check_golden(name, got);
}

static void test_golden_pages(void **state)
{
	static const struct {
		const char *file;
		enum nnp_prom_format fmt;
		size_t max_series;
		bool json;
		uint64_t dropped; /* series_dropped after the page */
	} cases[] = {
		{ "hostile.prom", NNP_PROM_TEXT, 0, false, 10 },
		{ "hostile.om", NNP_PROM_OPENMETRICS, 0, false, 10 },
		/* room for T1's inference histogram and 2 of its 6 layers; T2 does not fit */
		{ "max-series.prom", NNP_PROM_TEXT, 25 + 2 * 26 + 20, false,
		  10 + 4 * 26 + 25 + 26 },
		{ "hostile.jsonl", NNP_PROM_TEXT, 0, true, 10 },
	};
	struct nnp_agg a;

	(void)state;
	build_agg(&a);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nnp_self_stats self = fixed_self();
		struct page_arg pa = { &a, cases[i].fmt, cases[i].max_series, &self };
		char *got = capture(cases[i].json ? jsonl_to : page_to, &pa);

		check_golden(cases[i].file, got);
		if (self.series_dropped != cases[i].dropped)
			fail_msg("%s: series_dropped %llu, want %llu", cases[i].file,
				 (unsigned long long)self.series_dropped,
				 (unsigned long long)cases[i].dropped);
		free(got);
	}
	nnp_agg_free(&a);
}

/* every JSON line parses, and hostile names come back as valid strings */
static size_t count_lines(const char *page, const char *prefix)
{
	size_t n = 0;

	for (const char *l = page; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		n += !strncmp(l, prefix, strlen(prefix));
	return n;
}

/* the page written one unit at a time, the aggregator changing between steps */
static char *stepped(struct nnp_agg *a, bool mutate)
{
	struct nnp_self_stats self = fixed_self();
	struct nnp_prom_page pg = { .agg = a, .labels = fake_labels, .self = &self };
	struct nnp_prom_gen *g;
	char *buf = NULL;
	size_t len = 0, steps = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(nnp_prom_gen_begin(&pg, NNP_PROM_TEXT, &g), 0);
	while (nnp_prom_gen_step(g, &pg, f, 1)) {
		if (mutate && ++steps == 3)
			nnp_agg_proc_remove(a, T2);
		if (mutate)
			assert_int_equal(layer_ev(a, T1, 100 + steps, 1000, 5000), 0);
	}
	assert_int_equal(nnp_prom_gen_error(g), 0);
	nnp_prom_gen_free(g);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_stepped_page(void **state)
{
	struct nnp_agg a;
	char *got;

	(void)state;
	build_agg(&a);
	got = stepped(&a, false);
	check_golden("hostile.prom", got);
	free(got);
	got = stepped(&a, true);
	/* T2 went before its layers were written; layers new since the start are not on the page */
	assert_non_null(strstr(got, "nnperf_inference_duration_seconds_count{pid=\"5000002\""));
	assert_null(strstr(got, "layer=\"conv1\""));
	assert_int_equal(count_lines(got, "nnperf_layer_duration_seconds_count{"),
			 sizeof(hostile) / sizeof(hostile[0]));
	free(got);
	nnp_agg_free(&a);
}

static void test_jsonl_parses(void **state)
{
	struct nnp_self_stats self = fixed_self();
	struct nnp_agg a;
	struct page_arg pa = { &a, NNP_PROM_TEXT, 0, &self };
	char *got, *line, *save = NULL;
	size_t n = 0;

	(void)state;
	build_agg(&a);
	got = capture(jsonl_to, &pa);
	for (line = strtok_r(got, "\n", &save); line; line = strtok_r(NULL, "\n", &save), n++) {
		struct json_object *o = json_tokener_parse(line), *layers;

		assert_non_null(o);
		if (json_object_object_get_ex(o, "layers", &layers) &&
		    json_object_get_int64(json_object_object_get(o, "pid")) == T1) {
			const char *name = json_object_get_string(
			    json_object_object_get(json_object_array_get_idx(layers, 2), "layer"));

			assert_string_equal(name, "new\nline");
		}
		json_object_put(o);
	}
	assert_int_equal(n, 3); /* two processes and nnperf */
	free(got);
	nnp_agg_free(&a);
}

/* export --group-by op: every layer series has its group, the process series none */
static void test_group_label(void **state)
{
	struct nnp_self_stats self = fixed_self();
	struct nnp_prom_page pg = { .agg = NULL, .labels = fake_labels, .self = &self };
	struct nnp_agg a;
	char *buf = NULL, *got = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	build_agg(&a);
	pg.agg = &a;
	pg.group_by = NNP_GROUP_OP;
	assert_non_null(f);
	assert_int_equal(nnp_prom_render(f, NNP_PROM_TEXT, &pg), 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(buf, "layer=\"conv1\",op=\"conv2d\",group=\"conv2d\",le=\""));
	for (const char *l = buf; (l = strstr(l, "\nnnperf_layer_")); l++)
		assert_non_null(memmem(l, strcspn(l + 1, "\n"), ",group=\"", 8));
	got = strstr(buf, "\nnnperf_inference_duration_seconds_count{");
	assert_non_null(got);
	assert_null(memmem(got, strcspn(got + 1, "\n"), "group=", 6));
	got = NULL;
	len = 0;
	f = open_memstream(&got, &len);
	assert_int_equal(nnp_jsonl_write(f, &a, fake_labels, NULL, &self, 1, NNP_GROUP_OP, NULL),
			 0);
	assert_int_equal(fclose(f), 0);
	assert_non_null(strstr(got, "\"layer\":\"conv1\",\"op\":\"conv2d\",\"group\":\"conv2d\""));
	free(got);
	free(buf);
	nnp_agg_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),	     cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_parse_listen), cmocka_unit_test(test_histogram_buckets),
		cmocka_unit_test(test_golden_pages), cmocka_unit_test(test_stepped_page),
		cmocka_unit_test(test_jsonl_parses), cmocka_unit_test(test_group_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
