// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --sample N: option parsing, what the outputs say and scale, and diff reading it. */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff_profile.h"
#include "record_opts.h"
#include "recording.h"
#include "top_opts.h"

#define TGID 4242u

static void test_parse_sample(void **state)
{
	static const char *const bad[] = { "0",	  "-1",	     "+4",
					   " 4",  "4x",	     "",
					   "abc", "1000001", "99999999999999999999" };
	uint32_t v = 0;

	(void)state;
	assert_int_equal(nnp_parse_sample("--sample", "1", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(nnp_parse_sample("--sample", "16", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(nnp_parse_sample("--sample", "1000000", &v), 0);
	assert_int_equal(v, NNP_SAMPLE_MAX);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 7;
		assert_int_equal(nnp_parse_sample("--sample", bad[i], &v), -EINVAL);
		assert_int_equal(v, 7);
	}
}

static void test_record_opts(void **state)
{
	char *ok[] = { "record", "--sample", "4", "--", "true", NULL };
	char *dflt[] = { "record", "--", "true", NULL };
	char *zero[] = { "record", "--sample", "0", "--", "true", NULL };
	struct record_opts o;

	(void)state;
	assert_int_equal(record_opts_parse(5, ok, &o), 0);
	assert_int_equal(o.common.sample, 4);
	record_opts_free(&o);
	assert_int_equal(record_opts_parse(3, dflt, &o), 0);
	assert_int_equal(o.common.sample, 1);
	record_opts_free(&o);
	/* a bad value, like --ringbuf-size lots: exit status 1 */
	assert_int_equal(record_opts_parse(5, zero, &o), NNP_PARSE_BAD_VALUE);
	record_opts_free(&o);
}

static void test_top_opts(void **state)
{
	char *ok[] = { "top", "-b", "--sample", "8", NULL };
	char *bad[] = { "top", "--sample", "x", NULL };
	struct top_opts o;

	(void)state;
	assert_int_equal(top_opts_parse(4, ok, &o), 0);
	assert_int_equal(o.common.sample, 8);
	top_opts_free(&o);
	assert_int_equal(top_opts_parse(3, bad, &o), NNP_PARSE_BAD_VALUE);
	top_opts_free(&o);
}

static void event(struct nnp_agg *a, const void *e, size_t size)
{
	assert_int_equal(nnp_agg_event(a, e, size), 0);
}

/* 4 inferences of 1000 ns; the layer (200 ns a call) measured in one of them */
static void sampled_agg(struct nnp_agg *a, uint32_t sample)
{
	struct nnp_infer_event inf = { .hdr = { .type = NNP_EV_INFER, .tgid = TGID, .tid = TGID } };
	struct nnp_layer_event l = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = TGID, .tid = TGID, .probe_id = 1 },
		.key = 0x10,
		.start_ns = 100,
		.end_ns = 300,
		.infer_seq = 1,
	};

	assert_int_equal(nnp_agg_init(a, &(struct nnp_agg_opts){ .sample = sample }), 0);
	assert_int_equal(nnp_agg_add_probe(a, 1, "layer_fn", "conv", "spec"), 0);
	for (uint64_t i = 0; i < 4; i++) {
		inf.start_ns = i * 1000;
		inf.end_ns = inf.start_ns + 1000;
		inf.infer_seq = i + 1;
		event(a, &inf, sizeof(inf));
	}
	event(a, &l, sizeof(l));
}

static char *render(int (*fn)(FILE *, const struct nnp_agg *, const struct nnp_rec_meta *),
		    const struct nnp_agg *a)
{
	struct nnp_rec_meta m = { .exit_status = -1 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(f, a, &m), 0);
	fclose(f);
	return buf;
}

static json_object *get(json_object *o, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		assert_true(json_object_object_get_ex(o, key, &o));
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, 0);
		path = dot + 1;
	}
	assert_true(json_object_object_get_ex(o, path, &o));
	return o;
}

static void test_json_sampled(void **state)
{
	struct nnp_agg a;
	char *doc;
	json_object *root;

	(void)state;
	sampled_agg(&a, 4);
	doc = render(nnp_recording_write_json, &a);
	root = json_tokener_parse(doc);
	assert_non_null(root);
	assert_int_equal(json_object_get_int64(get(root, "sample")), 4);
	/* the measured call stays what it is; the estimate and the share scale */
	assert_int_equal(json_object_get_int64(get(root, "processes.layers.count")), 1);
	assert_int_equal(json_object_get_int64(get(root, "processes.layers.count_est")), 4);
	assert_int_equal(json_object_get_int64(get(root, "processes.layers.p50_ns")), 200);
	assert_float_equal(json_object_get_double(get(root, "processes.layers.share")), 0.2, 1e-9);
	assert_int_equal(json_object_get_int64(get(root, "processes.inferences.count")), 4);
	json_object_put(root);
	free(doc);
	nnp_agg_free(&a);
}

static void test_json_unsampled(void **state)
{
	struct nnp_agg a;
	char *doc;
	json_object *root;

	(void)state;
	sampled_agg(&a, 0); /* 0: every call, as 1 */
	doc = render(nnp_recording_write_json, &a);
	root = json_tokener_parse(doc);
	assert_non_null(root);
	assert_int_equal(json_object_get_int64(get(root, "sample")), 1);
	assert_int_equal(json_object_get_int64(get(root, "processes.layers.count_est")), 1);
	assert_float_equal(json_object_get_double(get(root, "processes.layers.share")), 0.05, 1e-9);
	json_object_put(root);
	free(doc);
	nnp_agg_free(&a);
}

static void test_table_says_sampled(void **state)
{
	struct nnp_agg a;
	char *txt;

	(void)state;
	sampled_agg(&a, 4);
	txt = render(nnp_recording_write_table, &a);
	assert_non_null(strstr(txt, "sampled: 1 layer call in 4 measured"));
	assert_non_null(strstr(txt, "20.0%"));
	free(txt);
	nnp_agg_free(&a);
	sampled_agg(&a, 1);
	txt = render(nnp_recording_write_table, &a);
	assert_null(strstr(txt, "sampled"));
	assert_non_null(strstr(txt, "5.0%"));
	free(txt);
	nnp_agg_free(&a);
}

/* a minimal recording: 8 inferences, one layer measured twice */
static json_object *recording(const char *sample_member)
{
	char buf[512];

	snprintf(buf, sizeof(buf),
		 "{\"schema\":\"nnperf.recording\",\"version\":1,%s\"processes\":[{"
		 "\"inferences\":{\"count\":8,\"total_ns\":8000},\"layers\":[{\"name\":\"conv1\","
		 "\"op\":\"conv\",\"count\":2,\"total_ns\":400,\"self_ns\":400}]}]}",
		 sample_member);
	return json_tokener_parse(buf);
}

static double calls_per_infer(const char *sample_member, int *ret)
{
	struct diff_profile p;
	json_object *r = recording(sample_member);
	char err[256] = "";
	double v = NAN;

	assert_non_null(r);
	assert_int_equal(diff_profile_init(&p, "x"), 0);
	*ret = diff_profile_add(&p, r, err, sizeof(err));
	if (!*ret) {
		assert_int_equal(diff_profile_finish(&p), 0);
		v = diff_calls_per_infer(&p, &p.layers[0]);
		assert_float_equal(p.layers[0].self_ns, 400.0 * v * 4, 1e-9);
	} else {
		assert_non_null(strstr(err, "\"sample\""));
	}
	diff_profile_free(&p);
	json_object_put(r);
	return v;
}

static void test_diff_reads_sample(void **state)
{
	int ret;

	(void)state;
	/* written before --sample: every call was measured */
	assert_float_equal(calls_per_infer("", &ret), 0.25, 1e-9);
	assert_int_equal(ret, 0);
	assert_float_equal(calls_per_infer("\"sample\":1,", &ret), 0.25, 1e-9);
	assert_float_equal(calls_per_infer("\"sample\":4,", &ret), 1.0, 1e-9);
	assert_int_equal(ret, 0);
	calls_per_infer("\"sample\":0,", &ret);
	assert_int_equal(ret, -EINVAL);
	calls_per_infer("\"sample\":2.5,", &ret);
	assert_int_equal(ret, -EINVAL);
	calls_per_infer("\"sample\":\"4\",", &ret);
	assert_int_equal(ret, -EINVAL);
	calls_per_infer("\"sample\":null,", &ret);
	assert_int_equal(ret, -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_sample),	  cmocka_unit_test(test_record_opts),
		cmocka_unit_test(test_top_opts),	  cmocka_unit_test(test_json_sampled),
		cmocka_unit_test(test_json_unsampled),	  cmocka_unit_test(test_table_says_sampled),
		cmocka_unit_test(test_diff_reads_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
