// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Bucket mapping (NNP_HIST_SUB_BITS = 5, 32 sub-buckets):
 *   v < 32:  row 0, sub v                      (one value per bucket, exact)
 *   v >= 32: b = floor(log2 v) (5..63), row = b - 4 (1..59),
 *            sub = (v >> (b - 5)) & 31,
 *            bucket = [(32 + sub) << (b - 5), ((33 + sub) << (b - 5)) - 1]
 * A bucket is 2^(b-5) wide and starts at >= 2^b, so its midpoint is within
 * 1/64 of any value in it.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "hist.h"

struct bucket_pos {
	unsigned int row;
	unsigned int sub;
};

static struct bucket_pos bucket_of(uint64_t v)
{
	struct bucket_pos p;
	unsigned int b;

	if (v < NNP_HIST_SUB) {
		p.row = 0;
		p.sub = (unsigned int)v;
		return p;
	}
	b = 63 - (unsigned int)__builtin_clzll(v);
	p.row = b - NNP_HIST_SUB_BITS + 1;
	p.sub = (unsigned int)(v >> (b - NNP_HIST_SUB_BITS)) & (NNP_HIST_SUB - 1);
	return p;
}

static uint64_t bucket_lo(unsigned int row, unsigned int sub)
{
	if (row == 0)
		return sub;
	return (uint64_t)(NNP_HIST_SUB + sub) << (row - 1);
}

/* The last value of the bucket; cannot overflow: row 59, sub 31 ends at 2^64 - 1. */
static uint64_t bucket_hi(unsigned int row, unsigned int sub)
{
	if (row == 0)
		return sub;
	return bucket_lo(row, sub) + ((UINT64_C(1) << (row - 1)) - 1);
}

void nnp_hist_init(struct nnp_hist *h)
{
	*h = (struct nnp_hist){.min = UINT64_MAX};
}

void nnp_hist_free(struct nnp_hist *h)
{
	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++)
		free(h->rows[r]);
	nnp_hist_init(h);
}

static void note_value(struct nnp_hist *h, uint64_t v, uint64_t n)
{
	h->count += n;
	h->sum += v * n;
	h->sumsq += (double)v * (double)v * (double)n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/* Counters saturate rather than wrap: a wrapped bucket would corrupt every quantile. */
static void bucket_add(uint32_t *c, uint64_t n)
{
	uint64_t s = (uint64_t)*c + n;

	*c = s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

static int ensure_row(struct nnp_hist *h, unsigned int row)
{
	if (h->rows[row])
		return 0;
	h->rows[row] = calloc(NNP_HIST_SUB, sizeof(*h->rows[row]));
	return h->rows[row] ? 0 : -ENOMEM;
}

int nnp_hist_add(struct nnp_hist *h, uint64_t v)
{
	struct bucket_pos p = bucket_of(v);
	int err;

	note_value(h, v, 1);
	err = ensure_row(h, p.row);
	if (err)
		return err;
	bucket_add(&h->rows[p.row][p.sub], 1);
	return 0;
}

int nnp_hist_merge(struct nnp_hist *dst, const struct nnp_hist *src)
{
	int err;

	if (!src->count)
		return 0;
	dst->count += src->count;
	dst->sum += src->sum;
	dst->sumsq += src->sumsq;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++) {
		if (!src->rows[r])
			continue;
		err = ensure_row(dst, r);
		if (err)
			return err;
		for (unsigned int s = 0; s < NNP_HIST_SUB; s++)
			bucket_add(&dst->rows[r][s], src->rows[r][s]);
	}
	return 0;
}

static uint64_t clamp(const struct nnp_hist *h, uint64_t v)
{
	if (v < h->min)
		return h->min;
	if (v > h->max)
		return h->max;
	return v;
}

static uint64_t rank_of(const struct nnp_hist *h, double q)
{
	double r = ceil(q * (double)h->count);

	if (r < 1)
		return 1;
	if (r >= (double)h->count)
		return h->count;
	return (uint64_t)r;
}

uint64_t nnp_hist_quantile(const struct nnp_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, hi;

	if (!h->count)
		return 0;
	if (!(q > 0))
		return h->min;
	if (q >= 1)
		return h->max;
	rank = rank_of(h, q);
	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++) {
		if (!h->rows[r])
			continue;
		for (unsigned int s = 0; s < NNP_HIST_SUB; s++) {
			seen += h->rows[r][s];
			if (seen < rank)
				continue;
			lo = bucket_lo(r, s);
			hi = bucket_hi(r, s);
			return clamp(h, lo + (hi - lo) / 2);
		}
	}
	/* only when nnp_hist_add could not allocate a row: the buckets hold fewer than count */
	return h->max;
}

uint64_t nnp_hist_count_le(const struct nnp_hist *h, uint64_t bound)
{
	uint64_t n = 0;

	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++) {
		if (!h->rows[r])
			continue;
		for (unsigned int s = 0; s < NNP_HIST_SUB; s++) {
			if (bucket_hi(r, s) > bound)
				return n;
			n += h->rows[r][s];
		}
	}
	return n;
}

double nnp_hist_mean(const struct nnp_hist *h)
{
	return h->count ? (double)h->sum / (double)h->count : 0.0;
}

/* sumsq - sum^2/n cancels badly only when the spread is < 1e-6 of the mean: not for timings */
double nnp_hist_stddev(const struct nnp_hist *h)
{
	double n = (double)h->count, sum = (double)h->sum, var;

	if (h->count < 2)
		return 0.0;
	var = (h->sumsq - sum * sum / n) / (n - 1);
	return var > 0 ? sqrt(var) : 0.0;
}
