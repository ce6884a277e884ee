// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * diff --group-by, nested layers in the diff, and nnperf report (one
 * recording): a llama-like decode of two blocks (groups_a.json), and the same
 * with a pruned feed-forward (2x) and int8 attention (Qcur 1.5x) in groups_b.json.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff_result.h"
#include "diff_writers.h"
#include "golden.h"

#define DATA(name) NNP_TEST_DATA_DIR "/" name

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

static const struct diff_group *group(const struct diff_result *r, const char *name)
{
	for (size_t i = 0; i < r->ngroups; i++)
		if (!strcmp(r->groups[i].name, name))
			return &r->groups[i];
	fail_msg("no group %s", name);
	return NULL;
}

static void test_blocks_golden(void **state)
{
	struct diff_profile a, b;
	struct diff_result r;
	const struct diff_group *g;
	char err[512], *out;

	(void)state;
	load(&a, DATA("groups_a.json"));
	load(&b, DATA("groups_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	assert_int_equal(diff_groups(&r, NNP_GROUP_BLOCK), 0);
	assert_int_equal(r.ngroups, 4); /* input, blk.0, blk.1, output in order */
	assert_string_equal(r.groups[0].name, "input");
	assert_string_equal(r.groups[1].name, "blk.0");
	assert_string_equal(r.groups[3].name, "output");
	/* blk.0: self times add up, the nested rope (40 us) once, with the KV cache view and
	 * ggml's unnamed node_21 placed in the block around them: 10+260+40+5+20+30+400+400 us */
	g = group(&r, "blk.0");
	assert_int_equal(g->a_layers, 8);
	assert_true(fabs(g->a_ns - 1165000) < 1e-6);
	assert_true(fabs(g->b_ns - 665000) < 1e-6);
	/* the final norm (no block in its name) goes with what follows the last block */
	assert_int_equal(group(&r, "output")->a_layers, 2);
	assert_int_equal(group(&r, "output")->from, NNP_GROUP_FROM_NAME); /* result_output */
	assert_true(fabs(g->share - 0.5) < 1e-9);
	/* the nested layer is indented in the table and says so */
	out = render(&r, DIFF_TABLE);
	assert_non_null(strstr(out, "\n  blk.0.Qcur#2 "));
	assert_non_null(strstr(out, "nested: an indented layer"));
	nnp_check_golden("groups_golden.txt", out);
	free(out);
	out = render(&r, DIFF_JSON);
	assert_non_null(strstr(out, "\"groups\": {"));
	nnp_check_golden("groups_golden.json", out);
	free(out);
	out = render(&r, DIFF_HTML);
	assert_non_null(strstr(out, "<h2>Groups by block</h2>"));
	assert_non_null(strstr(out, "padding-left:24px\">blk.0.Qcur#2"));
	nnp_check_golden("groups_golden.html", out);
	free(out);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

/* attention against feed-forward: what llama.cpp users ask for */
static void test_parts(void **state)
{
	struct diff_profile a, b;
	struct diff_result r;
	const struct diff_group *g;
	char err[512];

	(void)state;
	load(&a, DATA("groups_a.json"));
	load(&b, DATA("groups_b.json"));
	assert_int_equal(diff_compute(&a, &b, false, &r, err, sizeof(err)), 0);
	assert_int_equal(diff_groups(&r, NNP_GROUP_PART), 0);
	g = group(&r, "feed-forward");
	assert_int_equal(g->a_layers, 4);
	assert_true(fabs(g->speedup - 2.0) < 1e-9);
	assert_true(fabs(g->share - 0.8) < 1e-9);
	/* Qcur, its rope, the KV cache view, flash attention (from its op), kq_soft_max */
	g = group(&r, "attention");
	assert_int_equal(g->b_layers, 10);
	assert_true(fabs(g->delta_ns + 200000) < 1e-6);
	assert_int_equal(group(&r, "norm")->a_layers, 3);
	assert_int_equal(diff_groups(&r, NNP_GROUP_NONE), -EINVAL);
	diff_result_free(&r);
	diff_profile_free(&a);
	diff_profile_free(&b);
}

/* nnperf report: one side only, no B anywhere on the page */
static void test_report_one(void **state)
{
	struct diff_profile a;
	struct diff_result r;
	char *out;

	(void)state;
	load(&a, DATA("groups_a.json"));
	assert_int_equal(diff_compute_one(&a, &r), 0);
	assert_int_equal(r.n, 19);
	assert_null(r.b);
	/* blk.0.ffn_up: 400 us of a 2.56 ms inference */
	assert_string_equal(r.rows[7].pair.a->name, "blk.0.ffn_up");
	assert_true(fabs(r.rows[7].share - 400000.0 / a.infer.mean_ns) < 1e-9);
	assert_int_equal(diff_groups(&r, NNP_GROUP_OP), 0);
	out = render(&r, DIFF_HTML);
	assert_non_null(strstr(out, "<h1>nnperf report</h1>"));
	assert_non_null(strstr(out, "<h2>Groups by op type</h2>"));
	assert_null(strstr(out, "B&minus;A"));
	assert_null(strstr(out, "<th>B</th>"));
	assert_null(strstr(out, "<script"));
	nnp_check_golden("report_golden.html", out);
	free(out);
	diff_result_free(&r);
	diff_profile_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blocks_golden),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_report_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
