/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Log-linear histogram of u64 values (nanoseconds): values < 32 exact, above
 * that 32 linear sub-buckets per power of two, so a quantile read as a bucket
 * midpoint is within 1/64 (~1.6%) of the true value. Rows of 32 counters are
 * allocated on first use, so a layer whose times span a few octaves costs a
 * few hundred bytes.
 */
#ifndef NNP_HIST_H
#define NNP_HIST_H

#include <stdint.h>

#define NNP_HIST_SUB_BITS 5
#define NNP_HIST_SUB (1u << NNP_HIST_SUB_BITS)
#define NNP_HIST_ROWS (64 - NNP_HIST_SUB_BITS + 1)

struct nnp_hist {
	uint64_t count;
	uint64_t sum;
	uint64_t min;
	uint64_t max;
	double sumsq; /* sum of squares, for the standard deviation */
	uint32_t *rows[NNP_HIST_ROWS];
};

void nnp_hist_init(struct nnp_hist *h);
void nnp_hist_free(struct nnp_hist *h);
/* 0 or -ENOMEM (the value still counts in count/sum/min/max) */
int nnp_hist_add(struct nnp_hist *h, uint64_t v);
int nnp_hist_merge(struct nnp_hist *dst, const struct nnp_hist *src);
/* q in [0,1]; 0 when empty; clamped to [min, max] */
uint64_t nnp_hist_quantile(const struct nnp_hist *h, double q);
/* values <= bound, counting a bucket only when it lies wholly at or below bound */
uint64_t nnp_hist_count_le(const struct nnp_hist *h, uint64_t bound);
double nnp_hist_mean(const struct nnp_hist *h);
/* sample standard deviation (n - 1); 0 with fewer than 2 values */
double nnp_hist_stddev(const struct nnp_hist *h);

#endif
