// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --overhead-budget's choice of probes to sample and their rate (budget_plan.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "budget_plan.h"

static int plan(struct nnp_budget_cand *c, size_t n, double fixed, double budget)
{
	int shift = 99;

	assert_int_equal(nnp_budget_plan(c, n, fixed, budget, &shift), 0);
	return shift;
}

static void test_under_budget(void **state)
{
	struct nnp_budget_cand c[] = { { 100, 10000, true }, { 200, 50000, true } };

	(void)state;
	assert_int_equal(plan(c, 2, 50, 350), 0);
	assert_false(c[0].sampled);
	assert_false(c[1].sampled);
	assert_int_equal(plan(c, 0, 50, 10), 0); /* nothing to sample: nothing sampled */
}

/* the probe that costs most for its layers' time goes first, alone when it fits */
static void test_dearest_for_its_time(void **state)
{
	struct nnp_budget_cand c[] = {
		{ .cost_ns = 1000, .layer_ns = 1000000 }, /* 0.1% of its layers' time */
		{ .cost_ns = 800, .layer_ns = 1000 },	  /* 80%: a short layer */
		{ .cost_ns = 100, .layer_ns = 100000 },
	};

	(void)state;
	/* 1900 in all, 1100 without c[1]: 300 of the 400 left for it needs 1/4 */
	assert_int_equal(plan(c, 3, 0, 1400), 2);
	assert_false(c[0].sampled);
	assert_true(c[1].sampled);
	assert_false(c[2].sampled);
	/* with room for 1/2 of it, 1/2 */
	assert_int_equal(plan(c, 3, 0, 1500), 1);
	assert_true(c[1].sampled);
}

/* rather more probes at 1/8 or more than fewer at a lower rate */
static void test_more_probes_at_a_good_rate(void **state)
{
	struct nnp_budget_cand c[] = {
		{ .cost_ns = 1000, .layer_ns = 1000 },
		{ .cost_ns = 1000, .layer_ns = 2000 },
		{ .cost_ns = 100, .layer_ns = 4000 },
	};

	(void)state;
	/* c[0] alone fits only at 1/64 (20 left for its 1000); with c[1] at 1/2 */
	assert_int_equal(plan(c, 3, 0, 1120), 1);
	assert_true(c[0].sampled);
	assert_true(c[1].sampled);
	assert_false(c[2].sampled);
}

/* when only all of them at a low rate fit, all of them at that rate */
static void test_all_at_a_low_rate(void **state)
{
	struct nnp_budget_cand c[] = { { 1000, 1000, false }, { 1000, 1000, false } };

	(void)state;
	/* 40 left for 2000 is 1/50: under 1/32 of it, over 1/64 */
	assert_int_equal(plan(c, 2, 10, 50), 6);
	assert_true(c[0].sampled);
	assert_true(c[1].sampled);
}

/* under 1/64 with room left after FIXED: detached; FIXED alone over: 1/64, kept */
static void test_detach_or_out_of_reach(void **state)
{
	struct nnp_budget_cand c[] = { { 64000, 1000, false }, { 64000, 1000, false } };

	(void)state;
	assert_int_equal(plan(c, 2, 100, 200), -1);
	assert_true(c[0].sampled);
	assert_true(c[1].sampled);
	assert_int_equal(plan(c, 2, 300, 200), NNP_BUDGET_MAX_SHIFT);
	assert_true(c[0].sampled);
	assert_true(c[1].sampled);
}

/* ties keep the input order, so one run of nnperf plans as the next */
static void test_ties_in_order(void **state)
{
	struct nnp_budget_cand c[] = { { 500, 1000, false }, { 500, 1000, false } };

	(void)state;
	/* 100 left for 500 is 1/5: 1/8 */
	assert_int_equal(plan(c, 2, 0, 600), 3);
	assert_true(c[0].sampled);
	assert_false(c[1].sampled);
}

static void test_hit_prices(void **state)
{
	(void)state;
	assert_true(nnp_budget_hit_ns(NNP_COST_STEPPED) >
		    10 * nnp_budget_hit_ns(NNP_COST_EMULATED));
	assert_true(nnp_budget_hit_ns(NNP_COST_RETURN) < nnp_budget_hit_ns(NNP_COST_EMULATED));
	assert_true(nnp_budget_hit_ns(NNP_COST_UNKNOWN) == nnp_budget_hit_ns(NNP_COST_EMULATED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_under_budget),
		cmocka_unit_test(test_dearest_for_its_time),
		cmocka_unit_test(test_more_probes_at_a_good_rate),
		cmocka_unit_test(test_all_at_a_low_rate),
		cmocka_unit_test(test_detach_or_out_of_reach),
		cmocka_unit_test(test_ties_in_order),
		cmocka_unit_test(test_hit_prices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
