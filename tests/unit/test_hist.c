// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hist.h"

#define NSAMPLES 20000
#define NSEEDS 40

static uint64_t rng_state;

/* splitmix64: small, seedable, good enough to spread values over the buckets */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static double unit(void)
{
	return ((double)(rnd() >> 11) + 0.5) / 9007199254740992.0;
}

static double normal(void)
{
	return sqrt(-2.0 * log(unit())) * cos(2.0 * M_PI * unit());
}

static uint64_t gen_uniform(void)
{
	return 1000 + rnd() % (100000000 - 1000 + 1);
}

static uint64_t gen_lognormal(void)
{
	return (uint64_t)exp(log(200000.0) + 1.5 * normal()) + 1;
}

static uint64_t gen_bimodal(void)
{
	double center = (rnd() & 1) ? 50000.0 : 8000000.0;
	double v = center * (1.0 + 0.05 * normal());

	return v < 1 ? 1 : (uint64_t)v;
}

static uint64_t gen_constant(void)
{
	return 1234567;
}

static uint64_t gen_tiny(void)
{
	return rnd() % 32;
}

static uint64_t gen_huge(void)
{
	return (UINT64_C(1) << 63) - (rnd() >> 4) + (rnd() >> 3);
}

static uint64_t gen_mixed_small(void)
{
	return rnd() % 5000;
}

static uint64_t (*const gens[])(void) = {
	gen_uniform, gen_lognormal, gen_bimodal, gen_constant, gen_tiny, gen_huge, gen_mixed_small,
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The same rank definition as the histogram: the ceil(q*n)-th smallest, at least the first. */
static uint64_t exact_quantile(const uint64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)ceil(q * (double)n);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

static void check_quantile(const struct nnp_hist *h, const uint64_t *sorted, size_t n, double q)
{
	uint64_t want = exact_quantile(sorted, n, q);
	uint64_t got = nnp_hist_quantile(h, q);
	double rel;

	if (want < 32) {
		assert_int_equal(got, want);
		return;
	}
	rel = fabs((double)got - (double)want) / (double)want;
	if (rel > 0.02)
		fail_msg("q=%g: got %llu want %llu (rel %.4f)", q, (unsigned long long)got,
			 (unsigned long long)want, rel);
}

static void fill(struct nnp_hist *h, uint64_t *vals, size_t n, uint64_t (*gen)(void))
{
	for (size_t i = 0; i < n; i++) {
		vals[i] = gen();
		assert_int_equal(nnp_hist_add(h, vals[i]), 0);
	}
	qsort(vals, n, sizeof(*vals), cmp_u64);
}

static void test_quantiles_within_2_percent(void **state)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999, 0.25, 0.001 };
	uint64_t *vals = malloc(NSAMPLES * sizeof(*vals));

	(void)state;
	assert_non_null(vals);
	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		for (uint64_t seed = 1; seed <= NSEEDS; seed++) {
			struct nnp_hist h;
			size_t n = 1 + (size_t)(seed * 7919 % NSAMPLES);

			rng_state = seed * 1000003 + g;
			nnp_hist_init(&h);
			fill(&h, vals, n, gens[g]);
			for (size_t i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
				check_quantile(&h, vals, n, qs[i]);
			assert_int_equal(nnp_hist_quantile(&h, 0), vals[0]);
			assert_int_equal(nnp_hist_quantile(&h, 1), vals[n - 1]);
			assert_int_equal(h.count, n);
			assert_int_equal(h.min, vals[0]);
			assert_int_equal(h.max, vals[n - 1]);
			nnp_hist_free(&h);
		}
	}
	free(vals);
}

static void test_small_values_exact(void **state)
{
	struct nnp_hist h;

	(void)state;
	nnp_hist_init(&h);
	for (uint64_t v = 0; v < 64; v++)
		assert_int_equal(nnp_hist_add(&h, v), 0);
	/* below 64 every bucket holds one value, so every quantile is exact */
	for (uint64_t r = 1; r <= 64; r++)
		assert_int_equal(nnp_hist_quantile(&h, (double)r / 64.0), r - 1);
	nnp_hist_free(&h);
}

static void test_empty(void **state)
{
	struct nnp_hist h, e;

	(void)state;
	nnp_hist_init(&h);
	nnp_hist_init(&e);
	assert_int_equal(nnp_hist_quantile(&h, 0.5), 0);
	assert_int_equal(nnp_hist_quantile(&h, 0), 0);
	assert_int_equal(nnp_hist_count_le(&h, UINT64_MAX), 0);
	assert_true(nnp_hist_mean(&h) == 0.0);
	assert_int_equal(nnp_hist_merge(&h, &e), 0);
	assert_int_equal(h.count, 0);
	nnp_hist_add(&e, 77);
	assert_int_equal(nnp_hist_merge(&h, &e), 0);
	assert_int_equal(nnp_hist_quantile(&h, 0.5), 77);
	assert_int_equal(h.min, 77);
	nnp_hist_free(&h);
	nnp_hist_free(&e);
}

/* The last value of the bucket that holds v, derived independently of hist.c */
static uint64_t ref_bucket_hi(uint64_t v)
{
	int b = 63;

	if (v < 32)
		return v;
	while (!(v >> b))
		b--;
	return v | ((UINT64_C(1) << (b - 5)) - 1);
}

static uint64_t ref_bucket_lo(uint64_t v)
{
	int b = 63;

	if (v < 32)
		return v;
	while (!(v >> b))
		b--;
	return v & ~((UINT64_C(1) << (b - 5)) - 1);
}

static uint64_t exact_count_le(const uint64_t *sorted, size_t n, uint64_t bound)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sorted[mid] <= bound)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void test_count_le_boundaries(void **state)
{
	uint64_t *vals = malloc(NSAMPLES * sizeof(*vals));

	(void)state;
	assert_non_null(vals);
	for (size_t g = 0; g < sizeof(gens) / sizeof(gens[0]); g++) {
		struct nnp_hist h;

		rng_state = 42 + g;
		nnp_hist_init(&h);
		fill(&h, vals, 5000, gens[g]);
		for (size_t i = 0; i < 5000; i += 7) {
			uint64_t hi = ref_bucket_hi(vals[i]);

			assert_int_equal(nnp_hist_count_le(&h, hi), exact_count_le(vals, 5000, hi));
			/* the last value below the bucket: the previous boundary, exact again */
			if (ref_bucket_lo(vals[i]) > 0) {
				uint64_t prev = ref_bucket_lo(vals[i]) - 1;

				assert_int_equal(nnp_hist_count_le(&h, prev),
						 exact_count_le(vals, 5000, prev));
			}
		}
		assert_int_equal(nnp_hist_count_le(&h, UINT64_MAX), 5000);
		nnp_hist_free(&h);
	}
	free(vals);
}

static void test_count_le_partial_bucket(void **state)
{
	struct nnp_hist h;

	(void)state;
	nnp_hist_init(&h);
	/* 1000 and 1005 share the bucket [992, 1007]: it counts only once a bound covers it */
	nnp_hist_add(&h, 1000);
	nnp_hist_add(&h, 1005);
	nnp_hist_add(&h, 5);
	assert_int_equal(nnp_hist_count_le(&h, 5), 1);
	assert_int_equal(nnp_hist_count_le(&h, 1003), 1);
	assert_int_equal(nnp_hist_count_le(&h, 1006), 1);
	assert_int_equal(nnp_hist_count_le(&h, 1007), 3);
	nnp_hist_free(&h);
}

static void test_merge_equals_adding_all(void **state)
{
	struct nnp_hist all, part[3], merged;

	(void)state;
	for (uint64_t seed = 1; seed <= 10; seed++) {
		rng_state = seed;
		nnp_hist_init(&all);
		nnp_hist_init(&merged);
		for (int i = 0; i < 3; i++)
			nnp_hist_init(&part[i]);
		for (int i = 0; i < 9000; i++) {
			uint64_t v = gens[i % 7]();

			nnp_hist_add(&all, v);
			nnp_hist_add(&part[rnd() % 3], v);
		}
		for (int i = 0; i < 3; i++)
			assert_int_equal(nnp_hist_merge(&merged, &part[i]), 0);
		assert_int_equal(merged.count, all.count);
		assert_int_equal(merged.sum, all.sum);
		assert_int_equal(merged.min, all.min);
		assert_int_equal(merged.max, all.max);
		for (unsigned int i = 0; i < NNP_HIST_BUCKETS; i++)
			assert_int_equal(nnp_hist_bucket(&merged, i), nnp_hist_bucket(&all, i));
		assert_int_equal(nnp_hist_quantile(&merged, 0.99), nnp_hist_quantile(&all, 0.99));
		nnp_hist_free(&all);
		nnp_hist_free(&merged);
		for (int i = 0; i < 3; i++)
			nnp_hist_free(&part[i]);
	}
}

static void test_mean(void **state)
{
	struct nnp_hist h;

	(void)state;
	nnp_hist_init(&h);
	nnp_hist_add(&h, 10);
	nnp_hist_add(&h, 20);
	nnp_hist_add(&h, 33);
	assert_true(fabs(nnp_hist_mean(&h) - 21.0) < 1e-9);
	nnp_hist_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quantiles_within_2_percent),
		cmocka_unit_test(test_small_values_exact),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_count_le_boundaries),
		cmocka_unit_test(test_count_le_partial_bucket),
		cmocka_unit_test(test_merge_equals_adding_all),
		cmocka_unit_test(test_mean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
