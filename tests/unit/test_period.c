// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Inferences from the period of the outermost layers (agg_period.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "agg.h"

#define T1 5000001u

static void layer(struct nnp_agg *a, uint32_t tid, uint64_t key, uint64_t start, uint64_t end,
		  uint32_t depth)
{
	struct nnp_layer_event e = {
		.hdr = { .type = NNP_EV_LAYER, .tgid = T1, .tid = tid, .probe_id = 1 },
		.key = key,
		.start_ns = start,
		.end_ns = end,
		.depth = depth,
		.k = { .minflt = 1 },
	};

	assert_int_equal(nnp_agg_event(a, &e, sizeof(e)), 0);
}

/* keys 10, 20, 30 form one inference; 10 starts the next */
static void run(struct nnp_agg *a, uint32_t tid, int inferences)
{
	for (int i = 0; i < inferences; i++) {
		uint64_t t = 1000 * (uint64_t)i;

		layer(a, tid, 10, t, t + 100, 0);
		layer(a, tid, 99, t + 150, t + 160, 1); /* nested: not part of the period */
		layer(a, tid, 20, t + 100, t + 300, 0);
		layer(a, tid, 30, t + 300, t + 600, 0);
	}
}

static void test_periods(void **state)
{
	struct nnp_agg a;
	struct nnp_proc_stats *p;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	a.infer_by_period = true;
	run(&a, T1, 4);
	p = nnp_agg_proc(&a, T1);
	assert_int_equal(p->infer.count, 3); /* the fourth is still open */
	nnp_agg_period_flush(&a, 0);
	assert_int_equal(p->infer.count, 4);
	assert_int_equal(p->infer.min, 600);
	assert_int_equal(p->infer.max, 600);
	assert_int_equal(p->infer_k.minflt, 12); /* outermost layers only */
	nnp_agg_period_flush(&a, 0);
	assert_int_equal(p->infer.count, 4); /* nothing open: nothing added */
	nnp_agg_free(&a);
}

static void test_threads_apart(void **state)
{
	struct nnp_agg a;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	a.infer_by_period = true;
	run(&a, T1, 2);
	run(&a, T1 + 1, 3);
	nnp_agg_period_flush(&a, T1);
	assert_int_equal(nnp_agg_proc(&a, T1)->infer.count, 5);
	nnp_agg_free(&a);
}

static void test_real_inferences_win(void **state)
{
	struct nnp_infer_event inf = {
		.hdr = { .type = NNP_EV_INFER, .tgid = T1, .tid = T1 },
		.start_ns = 0,
		.end_ns = 700,
		.infer_seq = 1,
	};
	struct nnp_agg a;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	a.infer_by_period = true;
	run(&a, T1, 1);
	assert_int_equal(nnp_agg_event(&a, &inf, sizeof(inf)), 0);
	run(&a, T1, 3);
	nnp_agg_period_flush(&a, 0);
	assert_int_equal(nnp_agg_proc(&a, T1)->infer.count, 1);
	nnp_agg_free(&a);
}

static void test_off_by_default(void **state)
{
	struct nnp_agg a;

	(void)state;
	assert_int_equal(nnp_agg_init(&a, NULL), 0);
	run(&a, T1, 3);
	nnp_agg_period_flush(&a, 0);
	assert_int_equal(nnp_agg_proc(&a, T1)->infer.count, 0);
	nnp_agg_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_threads_apart),
		cmocka_unit_test(test_real_inferences_win),
		cmocka_unit_test(test_off_by_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
