// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnperf diff: t distribution, Welch intervals, merging runs, alignment, outputs. */
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

#include "diff_ksig.h"
#include "op_family.h"
#include "golden.h"

#include "diff_result.h"
#include "diff_writers.h"
#include "hist.h"
#include "stats.h"

#define DATA(name) NNP_TEST_DATA_DIR "/" name

/* two-sided 95%, one-sided 95% and 99.5% quantiles from a printed t table */
static void test_t_quantile_table(void **state)
{
	static const struct {
		double p, df, t;
	} tab[] = {
		{ 0.975, 1, 12.7062 },	      { 0.975, 2, 4.3027 },  { 0.975, 3, 3.1824 },
		{ 0.975, 5, 2.5706 },	      { 0.975, 10, 2.2281 }, { 0.975, 30, 2.0423 },
		{ 0.975, 100, 1.9840 },	      { 0.95, 1, 6.3138 },   { 0.95, 10, 1.8125 },
		{ 0.995, 3, 5.8409 },	      { 0.995, 20, 2.8453 }, { 0.9, 4, 1.5332 },
		{ 0.975, INFINITY, 1.95996 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		double t = nnp_t_quantile(tab[i].p, tab[i].df);

		if (fabs(t - tab[i].t) > 1e-3)
			fail_msg("t(%g, df %g) = %.5f, want %.4f", tab[i].p, tab[i].df, t,
				 tab[i].t);
		assert_true(fabs(nnp_t_quantile(1 - tab[i].p, tab[i].df) + t) < 1e-9);
		assert_true(fabs(nnp_t_cdf(t, tab[i].df) - tab[i].p) < 1e-9);
	}
	assert_true(fabs(nnp_t_cdf(0, 7) - 0.5) < 1e-12);
	/* df = 1 is the Cauchy distribution: P(T <= 1) = 3/4 */
	assert_true(fabs(nnp_t_cdf(1, 1) - 0.75) < 1e-9);
	assert_true(isnan(nnp_t_quantile(0, 5)));
	assert_true(isnan(nnp_t_quantile(0.5, 0)));
}

static struct nnp_sample summarize(const double *v, size_t n)
{
	double sum = 0, ss = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - sum / n) * (v[i] - sum / n);
	return (struct nnp_sample){ .n = (double)n, .mean = sum / n, .sd = sqrt(ss / (n - 1)) };
}

/* Wikipedia's Welch example 1: t = -2.46, df = 24.99, p = 0.021 */
static void test_welch_known(void **state)
{
	static const double a1[] = { 27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1,
				     21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4 };
	static const double a2[] = { 27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0,
				     24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4 };
	struct nnp_sample a = summarize(a1, 15), b = summarize(a2, 15);
	struct nnp_interval d, r;
	double se = 0.8824245, p;

	(void)state;
	nnp_welch_diff(&a, &b, 0.95, &d);
	assert_true(d.available && d.significant);
	assert_true(fabs(d.est - 2.166667) < 1e-5);
	assert_true(fabs(d.df - 24.9885) < 1e-3);
	/* t(0.975, 25) = 2.0595 from the table; df 24.99 is within 1e-3 of it */
	assert_true(fabs((d.hi - d.est) / se - 2.0595) < 1e-3);
	assert_true(fabs((d.est - d.lo) / se - 2.0595) < 1e-3);
	p = 2 * nnp_t_cdf(-d.est / se, d.df);
	assert_true(fabs(p - 0.021) < 1e-3);
	/* at 99% the interval contains 0: p = 0.021 > 0.01 */
	nnp_welch_diff(&a, &b, 0.99, &d);
	assert_false(d.significant);
	nnp_welch_ratio(&a, &b, 0.95, &r);
	assert_true(r.available && r.lo < r.est && r.est < r.hi && r.hi < 1);
	/* unknown spread: no interval */
	b.sd = NAN;
	nnp_welch_diff(&a, &b, 0.95, &d);
	assert_false(d.available);
	assert_true(fabs(d.est - 2.166667) < 1e-5);
}

static void test_hist_stddev(void **state)
{
	struct nnp_hist h, g;

	(void)state;
	nnp_hist_init(&h);
	nnp_hist_init(&g);
	assert_true(nnp_hist_stddev(&h) == 0);
	nnp_hist_add(&h, 5000000);
	assert_true(nnp_hist_stddev(&h) == 0);
	nnp_hist_add(&h, 5100000);
	nnp_hist_add(&g, 5200000);
	assert_int_equal(nnp_hist_merge(&h, &g), 0);
	assert_true(fabs(nnp_hist_stddev(&h) - 100000) < 1e-3);
	nnp_hist_free(&h);
	nnp_hist_free(&g);
}

/* one process, inferences and one layer "L" with these statistics */
static json_object *run_doc(unsigned int n, double total, double sd, double p99)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
		 "{\"schema\":\"nnperf.recording\",\"version\":1,\"processes\":[{\"inferences\":"
		 "{\"count\":%u,\"total_ns\":%g,\"stddev_ns\":%.10g,\"p99_ns\":%g},\"layers\":[{"
		 "\"name\":\"L\",\"op\":\"x\",\"count\":%u,\"total_ns\":%g,\"self_ns\":%g,"
		 "\"stddev_ns\":%.10g,\"min_ns\":1,\"max_ns\":7,\"p50_ns\":%g,\"p99_ns\":%g,"
		 "\"kernel\":{\"minflt_mean\":%u,\"offcpu_ns_mean\":null}}]}]}",
		 n, total, sd, p99, n, total, total, sd, p99, p99, n);
	return json_tokener_parse(buf);
}

/* {1,2,3} and {4,5,6,7} merged are 1..7: mean 4, sd 2.1602469 */
static void test_merge_runs(void **state)
{
	struct diff_profile p;
	json_object *r;
	char err[256];
	double p99s[] = { 30, 10, 20 };

	(void)state;
	assert_int_equal(diff_profile_init(&p, "runs"), 0);
	r = run_doc(3, 6, 1, p99s[0]);
	assert_int_equal(diff_profile_add(&p, r, err, sizeof(err)), 0);
	json_object_put(r);
	r = run_doc(4, 22, sqrt(5.0 / 3), p99s[1]);
	assert_int_equal(diff_profile_add(&p, r, err, sizeof(err)), 0);
	json_object_put(r);
	r = run_doc(0, 0, 0, p99s[2]);
	assert_int_equal(diff_profile_add(&p, r, err, sizeof(err)), 0);
	json_object_put(r);
	assert_int_equal(diff_profile_finish(&p), 0);
	assert_int_equal(p.runs, 3);
	assert_int_equal(p.nlayers, 1);
	assert_int_equal(p.layers[0].d.count, 7);
	assert_true(fabs(p.layers[0].d.mean_ns - 4) < 1e-12);
	assert_true(fabs(p.layers[0].d.sd_ns - 2.1602469) < 1e-6);
	assert_true(fabs(p.infer.sd_ns - 2.1602469) < 1e-6);
	/* the empty run adds no percentile: median of 30 and 10 */
	assert_true(p.layers[0].d.p99_ns == 20);
	assert_true(p.layers[0].d.min_ns == 1 && p.layers[0].d.max_ns == 7);
	/* kernel signals: count-weighted, nulls stay n/a */
	assert_int_equal(p.layers[0].nkernel, 2);
	assert_true(fabs(p.layers[0].kernel[0].value - (3.0 * 3 + 4.0 * 4) / 7) < 1e-12);
	assert_true(p.layers[0].kernel[1].null);
	diff_profile_free(&p);
}

/* a side of runs with these per-run means: 1000 calls each, per-call sd 1% of the mean */
static void runs_side(struct diff_profile *p, const char *label, const double *means, int n)
{
	char err[256];

	assert_int_equal(diff_profile_init(p, label), 0);
	for (int i = 0; i < n; i++) {
		json_object *r = run_doc(1000, 1000 * means[i], means[i] / 100, means[i]);

		assert_int_equal(diff_profile_add(p, r, err, sizeof(err)), 0);
		json_object_put(r);
	}
	assert_int_equal(diff_profile_finish(p), 0);
}

/*
 * Processes that differ (this VM runs one process's conv1 at 1.2 ms and the
 * next one's at 2.0 ms) with tight calls inside each: intervals over calls
 * call the same work "significant"; over runs' means they do not, and a real
 * 2x change still is.
 */
static void test_runs_unit(void **state)
{
	const double a[] = { 1742, 2018, 1463 }, same[] = { 2875, 1320, 1273 };
	const double half[] = { 871, 1009, 731 };
	struct diff_profile pa, pb, pc;
	struct diff_result r;
	char err[256];

	(void)state;
	runs_side(&pa, "A", a, 3);
	runs_side(&pb, "B", same, 3);
	runs_side(&pc, "C", half, 3);
	assert_int_equal(pa.layers[0].d.units, 3);
	/* sd of 1742, 2018, 1463 */
	assert_true(fabs(pa.layers[0].d.unit_sd_ns - 277.5) < 0.1);
	assert_int_equal(diff_compute(&pa, &pb, false, &r, err, sizeof(err)), 0);
	assert_true(r.rows[0].by_runs && r.infer_by_runs);
	assert_int_equal(r.rows[0].delta.df < 5, 1);
	assert_false(r.rows[0].delta.significant);
	assert_false(r.infer_delta.significant);
	diff_result_free(&r);
	assert_int_equal(diff_compute(&pa, &pc, false, &r, err, sizeof(err)), 0);
	assert_true(r.rows[0].delta.significant);
	assert_true(r.rows[0].speedup.lo > 1.2 && r.rows[0].speedup.lo < 2 &&
		    r.rows[0].speedup.hi > 2 && r.rows[0].speedup.hi < 3.2);
	diff_result_free(&r);
	diff_profile_free(&pa);
	diff_profile_free(&pb);
	diff_profile_free(&pc);
}

/* one run on a side: no spread of runs to measure, the calls are the samples */
static void test_one_run_unit(void **state)
{
	const double a[] = { 1742 }, b[] = { 2875, 1320, 1273 };
	struct diff_profile pa, pb;
	struct diff_result r;
	char err[256];

	(void)state;
	runs_side(&pa, "A", a, 1);
	runs_side(&pb, "B", b, 3);
	assert_true(isnan(pa.layers[0].d.unit_sd_ns));
	assert_int_equal(diff_compute(&pa, &pb, false, &r, err, sizeof(err)), 0);
	assert_false(r.rows[0].by_runs || r.infer_by_runs);
	assert_true(r.rows[0].delta.df > 100);
	diff_result_free(&r);
	diff_profile_free(&pa);
	diff_profile_free(&pb);
}

/* labels without the source directory: golden files stay the same on every machine */
static void load(struct diff_profile *p, const char *path)
{
	char err[1024];
	int ret;

	assert_int_equal(diff_profile_init(p, strrchr(path, '/') + 1), 0);
	ret = diff_profile_load(p, path, err, sizeof(err));
	if (ret)
		fail_msg("%s", err);
	assert_int_equal(diff_profile_finish(p), 0);
}

/* profile from "name:op name:op ...", each layer 10 calls of 1 us */
static void synth(struct diff_profile *p, const char *spec)
{
	json_object *doc = json_tokener_parse("{\"processes\":[{\"layers\":[]}]}"), *procs, *layers;
	char *s = strdup(spec), *save = NULL, err[256];

	assert_non_null(doc);
	json_object_object_get_ex(doc, "processes", &procs);
	json_object_object_get_ex(json_object_array_get_idx(procs, 0), "layers", &layers);
	for (char *tok = strtok_r(s, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		json_object *l = json_object_new_object();
		char *colon = strchr(tok, ':');

		*colon = '\0';
		json_object_object_add(l, "name", json_object_new_string(tok));
		json_object_object_add(l, "op", json_object_new_string(colon + 1));
		json_object_object_add(l, "count", json_object_new_int(10));
		json_object_object_add(l, "total_ns", json_object_new_int(10000));
		json_object_array_add(layers, l);
	}
	assert_int_equal(diff_profile_init(p, spec), 0);
	assert_int_equal(diff_profile_add(p, doc, err, sizeof(err)), 0);
	assert_int_equal(diff_profile_finish(p), 0);
	json_object_put(doc);
	free(s);
}

/* the alignment as "same" (by name), "a>b" (by order), "-a" (A only), "+b" (B only) */
static void check_alignment(const char *a_spec, const char *b_spec, const char *want)
{
	struct diff_profile a, b;
	struct diff_alignment al;
	char got[1024] = "";

	synth(&a, a_spec);
	synth(&b, b_spec);
	assert_int_equal(diff_align(&a, &b, &al), 0);
	for (size_t i = 0; i < al.n; i++) {
		const struct diff_pair *p = &al.pairs[i];
		size_t off = strlen(got);

		if (p->how == DIFF_MATCH_NAME)
			snprintf(got + off, sizeof(got) - off, " %s", p->a->name);
		else if (p->how == DIFF_MATCH_ORDER)
			snprintf(got + off, sizeof(got) - off, " %s>%s", p->a->name, p->b->name);
		else if (p->how == DIFF_ONLY_A)
			snprintf(got + off, sizeof(got) - off, " -%s", p->a->name);
		else
			snprintf(got + off, sizeof(got) - off, " +%s", p->b->name);
	}
	memmove(got, got + 1, strlen(got));
	if (strcmp(got, want))
		fail_msg("align(%s | %s) = '%s', want '%s'", a_spec, b_spec, got, want);
	diff_alignment_free(&al);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

static void test_align(void **state)
{
	(void)state;
	check_alignment("c1:conv r1:relu c2:conv", "c1:conv r1:relu c2:conv", "c1 r1 c2");
	/* B lacks layers */
	check_alignment("c1:conv bn1:bn r1:relu c2:conv r2:relu fc:fc",
			"c1:conv r1:relu c2:conv fc:fc", "c1 -bn1 r1 c2 -r2 fc");
	/* fused and renamed: matched by order and op, the merged-away layers are A only */
	check_alignment("c1:conv bn1:bn r1:relu c2:conv r2:relu fc:fc", "c1f:conv c2f:conv fc:fc",
			"c1>c1f -bn1 -r1 c2>c2f -r2 fc");
	/* B adds a layer: shown after its predecessor in B */
	check_alignment("c1:conv c2:conv fc:fc", "c1:conv q:quant c2:conv fc:fc", "c1 +q c2 fc");
	check_alignment("c1:conv fc:fc", "q:quant c1:conv fc:fc", "+q c1 fc");
	/* the same name twice: occurrences pair in order */
	check_alignment("blk:conv blk:conv out:fc", "blk:conv out:fc", "blk -blk out");
	/* a name whose op changed is not the same layer */
	check_alignment("a:conv b:relu", "a:fc b:relu", "+a -a b");
	/* ...unless the op is a quantized or fused kernel of the same op */
	check_alignment("c1:Conv r:Relu", "c1:QLinearConv r:Relu", "c1 r");
	check_alignment("c1:Conv m:MatMul", "c1:ConvInteger m:MatMulInteger", "c1 m");
	/* ONNX Runtime's QOperator int8 model: new names, Q/DQ and layout nodes only in B */
	check_alignment("c1:Conv c2:Conv p:GlobalAveragePool g:Gemm",
			"q:QuantizeLinear t:Transpose x1:QLinearConv x2:FusedConv a:QLinearAdd "
			"p2:QLinearGlobalAveragePool g2:QGemm d:DequantizeLinear",
			"+q +t c1>x1 c2>x2 +a p>p2 g>g2 +d");
}

static void test_op_family(void **state)
{
	static const char *const same[][2] = {
		{ "QLinearConv", "Conv" },
		{ "FusedConv", "Conv" },
		{ "QGemm", "Gemm" },
		{ "ConvInteger", "Conv" },
		{ "MatMulInteger", "FusedMatMul" },
		{ "CONV_2D", "CONV_2D" },
		{ "QLinearGlobalAveragePool", "GlobalAveragePool" },
	};
	static const char *const other[][2] = {
		{ "QuantizeLinear", "Linear" },
		{ "QLinear", "Linear" },
		{ "Q", "" },
		{ "Fused", "" },
		{ "Integer", "" },
		{ "Qconv", "conv" },
		{ "QUANTIZE", "UANTIZE" },
		{ "DequantizeLinear", "QuantizeLinear" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (!nnp_op_same_family(same[i][0], same[i][1]))
			fail_msg("%s and %s: not one family", same[i][0], same[i][1]);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (nnp_op_same_family(other[i][0], other[i][1]))
			fail_msg("%s and %s: one family", other[i][0], other[i][1]);
}

static void test_unrelated(void **state)
{
	struct diff_profile a, b;
	struct diff_result r;
	char err[512];

	(void)state;
	load(&a, DATA("diff_a.json"));
	load(&b, DATA("diff_unrelated.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "look like different models: only 0 of 6 layers align"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(diff_compute(&a, &b, true, &r, err, sizeof(err)), 0);
	assert_int_equal(r.al.only_a, 6);
	assert_int_equal(r.al.only_b, 3);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

static void test_bad_input(void **state)
{
	static const struct {
		const char *file, *want;
	} cases[] = {
		{ DATA("recording_corrupt.json"), "recording_corrupt.json:4:" },
		{ DATA("recording_v2.json"),
		  "recording version 2 is newer than this nnperf supports (1)" },
		{ DATA("recording_wrong_schema.json"), "not an nnperf recording" },
		{ DATA("no_such_file.json"), "No such file or directory" },
	};
	struct diff_profile p;
	char err[1024];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(diff_profile_init(&p, cases[i].file), 0);
		assert_true(diff_profile_load(&p, cases[i].file, err, sizeof(err)) < 0);
		if (!strstr(err, cases[i].want))
			fail_msg("%s: error '%s' lacks '%s'", cases[i].file, err, cases[i].want);
		diff_profile_free(&p);
	}
}

static char *render(const struct diff_result *r, enum diff_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(diff_write(f, r, fmt), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static const struct diff_row *row_named(const struct diff_result *r, const char *name)
{
	char buf[256];

	for (size_t i = 0; i < r->n; i++) {
		diff_row_name(&r->rows[i], buf, sizeof(buf));
		if (!strcmp(buf, name))
			return &r->rows[i];
	}
	fail_msg("no row %s", name);
	return NULL;
}

/* kernel signals by name, derived ones and units (diff_ksig.c) */
static void test_diff_ksig(void **state)
{
	struct diff_profile a, b;
	const struct diff_row *row;
	struct diff_result r;
	char err[512], buf[32];
	double v;

	(void)state;
	load(&a, DATA("diff_a.json"));
	load(&b, DATA("diff_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	row = row_named(&r, "conv1 -> conv1_fused");
	/* blocked = off-CPU - run queue: 1200 - 700 in A, 900 - 900 in B */
	assert_true(diff_ksig_value(row, DK_BLOCKED, false, &v) && v == 500);
	assert_true(diff_ksig_value(row, DK_BLOCKED, true, &v) && v == 0);
	assert_true(diff_ksig_ratio(row, DK_INSNS, &v) && fabs(v - 0.5) < 1e-12);
	/* null in both recordings: not a value, not collected */
	assert_false(diff_ksig_value(row, DK_FAULT, false, &v));
	assert_false(diff_ksig_collected(&r, DK_FAULT));
	assert_false(diff_ksig_collected(&r, DK_CMISS));
	assert_true(diff_ksig_collected(&r, DK_IPC));
	/* only in A: nothing on B's side */
	assert_false(diff_ksig_value(row_named(&r, "bn1"), DK_MINFLT, true, &v));
	diff_ksig_fmt(buf, sizeof(buf), DK_INSNS, 1500000);
	assert_string_equal(buf, "1.50M");
	diff_ksig_fmt(buf, sizeof(buf), DK_INSNS, 47213);
	assert_string_equal(buf, "47.2k");
	diff_ksig_fmt(buf, sizeof(buf), DK_IVCSW, 0.5);
	assert_string_equal(buf, "0.50");
	diff_ksig_fmt(buf, sizeof(buf), DK_IVCSW, 0);
	assert_string_equal(buf, "0");
	diff_ksig_fmt(buf, sizeof(buf), DK_MINFLT, 1234);
	assert_string_equal(buf, "1234");
	diff_ksig_fmt(buf, sizeof(buf), DK_ONCPU, 398800);
	assert_string_equal(buf, "399us");
	diff_ksig_fmt(buf, sizeof(buf), DK_IPC, 1.25);
	assert_string_equal(buf, "1.25");
	diff_ksig_fmt(buf, sizeof(buf), DK_IPC, NAN);
	assert_string_equal(buf, "n/a");
	diff_ksig_fmt_ratio(buf, sizeof(buf), row, DK_ONCPU);
	assert_string_equal(buf, "0.50x");
	diff_ksig_fmt_ratio(buf, sizeof(buf), row, DK_BLOCKED);
	assert_string_equal(buf, "0.00x");
	diff_ksig_fmt_ratio(buf, sizeof(buf), row_named(&r, "relu1"), DK_RUNQ);
	assert_string_equal(buf, "-");
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

static void test_diff_golden(void **state)
{
	struct diff_profile a, b;
	const struct diff_row *row;
	struct diff_result r;
	char err[512], *out;

	(void)state;
	load(&a, DATA("diff_a.json"));
	load(&b, DATA("diff_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	/* conv1 is 2x faster, far beyond the noise; softmax's +10 ns is within it */
	row = row_named(&r, "conv1 -> conv1_fused");
	assert_true(row->delta.significant && row->delta.est == -200000);
	assert_true(fabs(row->speedup.est - 2) < 1e-12);
	assert_false(row_named(&r, "softmax")->delta.significant);
	/* conv2 runs twice per inference in B: 2 x 150 us - 400 us per inference */
	row = row_named(&r, "conv2");
	assert_true(row->b_calls == 2 && fabs(row->contrib_ns + 100000) < 1e-6);
	/* llc_misses_mean is null in both: measured in neither, left out */
	assert_int_equal(row_named(&r, "conv1 -> conv1_fused")->nkernel, 8);
	assert_int_equal(r.ranked[0], 0); /* conv1: the largest change */
	assert_true(fabs(r.infer_delta.est + 440000) < 1e-6);
	out = render(&r, DIFF_JSON);
	nnp_check_golden("diff_golden.json", out);
	free(out);
	out = render(&r, DIFF_TABLE);
	nnp_check_golden("diff_golden.txt", out);
	free(out);
	out = render(&r, DIFF_HTML);
	nnp_check_golden("diff_golden.html", out);
	free(out);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

/* recordings written before stddev_ns: the diff says n/a, never a made-up interval */
static void test_no_stddev(void **state)
{
	struct diff_profile a, b;
	struct diff_result r;
	char err[512], *out;

	(void)state;
	load(&a, DATA("diff_a_nostddev.json"));
	load(&b, DATA("diff_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	assert_false(r.infer_delta.available);
	assert_false(row_named(&r, "conv2")->delta.available);
	out = render(&r, DIFF_JSON);
	assert_non_null(strstr(out, "\"significant\": null"));
	free(out);
	out = render(&r, DIFF_TABLE);
	assert_non_null(strstr(out, "no confidence interval"));
	free(out);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

/* layer names are hostile: nothing of them may become markup */
static void test_html_escapes(void **state)
{
	struct diff_profile a, b;
	struct diff_result r;
	char err[512], *out;

	(void)state;
	load(&a, DATA("diff_a.json"));
	load(&b, DATA("diff_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	out = render(&r, DIFF_HTML);
	assert_null(strstr(out, "<b>evil"));
	assert_non_null(strstr(out, "&lt;b&gt;evil&quot; &amp; &#39;name&#39;&lt;/b&gt;"));
	/* no URL but the SVG namespace, which is a name, not a fetch */
	for (const char *u = strstr(out, "http"); u; u = strstr(u + 1, "http"))
		assert_int_equal(strncmp(u, "http://www.w3.org/2000/svg\"", 27), 0);
	assert_null(strstr(out, "<script"));
	assert_non_null(strstr(out, "<svg"));
	assert_non_null(strstr(out, "</html>"));
	free(out);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_t_quantile_table),
		cmocka_unit_test(test_welch_known),
		cmocka_unit_test(test_hist_stddev),
		cmocka_unit_test(test_merge_runs),
		cmocka_unit_test(test_runs_unit),
		cmocka_unit_test(test_one_run_unit),
		cmocka_unit_test(test_align),
		cmocka_unit_test(test_op_family),
		cmocka_unit_test(test_unrelated),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_diff_golden),
		cmocka_unit_test(test_diff_ksig),
		cmocka_unit_test(test_no_stddev),
		cmocka_unit_test(test_html_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
