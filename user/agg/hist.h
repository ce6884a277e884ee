/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Log-linear histogram of u64 values (nanoseconds): values < 32 exact, above
 * that 32 linear sub-buckets per power of two, so a quantile read as a bucket
 * midpoint is within 1/64 (~1.6%) of the true value. The counters of the
 * buckets between the lowest and the highest one used live in one array that
 * grows on demand (in steps of NNP_HIST_STEP buckets), so a layer whose times
 * stay within a few percent costs a few dozen bytes and one spanning several
 * octaves a few hundred; tens of thousands of layers stay cheap.
 */
#ifndef NNP_HIST_H
#define NNP_HIST_H

#include <stdint.h>

#define NNP_HIST_SUB_BITS 5
#define NNP_HIST_SUB (1u << NNP_HIST_SUB_BITS)
#define NNP_HIST_ROWS (64 - NNP_HIST_SUB_BITS + 1)
#define NNP_HIST_BUCKETS (NNP_HIST_ROWS * NNP_HIST_SUB)
#define NNP_HIST_STEP 8 /* buckets: the array's start and end are multiples of it */

struct nnp_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	double sumsq;	/* sum of squares, for the standard deviation */
	uint32_t *c;	/* counters of buckets first .. first + n - 1 */
	uint16_t first; /* bucket index: row * NNP_HIST_SUB + sub (hist.c) */
	uint16_t n;
};

void nnp_hist_init(struct nnp_hist *h);
void nnp_hist_free(struct nnp_hist *h);
/* 0 or -ENOMEM (the value still counts in count/sum/min/max) */
int nnp_hist_add(struct nnp_hist *h, uint64_t v);
int nnp_hist_merge(struct nnp_hist *dst, const struct nnp_hist *src);
/* dst becomes a copy of src, reusing dst's array where it is large enough; 0 or -ENOMEM */
int nnp_hist_copy(struct nnp_hist *dst, const struct nnp_hist *src);
/* count of bucket i (0 .. NNP_HIST_BUCKETS - 1); 0 outside the array */
static inline uint32_t nnp_hist_bucket(const struct nnp_hist *h, unsigned int i)
{
	return i >= h->first && i - h->first < h->n ? h->c[i - h->first] : 0;
}
/* q in [0,1]; 0 when empty; clamped to [min, max] */
uint64_t nnp_hist_quantile(const struct nnp_hist *h, double q);
/* values <= bound, counting a bucket only when it lies wholly at or below bound */
uint64_t nnp_hist_count_le(const struct nnp_hist *h, uint64_t bound);
double nnp_hist_mean(const struct nnp_hist *h);
/* sample standard deviation (n - 1); 0 with fewer than 2 values */
double nnp_hist_stddev(const struct nnp_hist *h);

#endif
