// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Bucket mapping (NNP_HIST_SUB_BITS = 5, 32 sub-buckets):
 *   v < 32:  row 0, sub v                      (one value per bucket, exact)
 *   v >= 32: b = floor(log2 v) (5..63), row = b - 4 (1..59),
 *            sub = (v >> (b - 5)) & 31,
 *            bucket = [(32 + sub) << (b - 5), ((33 + sub) << (b - 5)) - 1]
 * A bucket is 2^(b-5) wide and starts at >= 2^b, so its midpoint is within
 * 1/64 of any value in it. Buckets are numbered row * 32 + sub (0 .. 1919).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"

static unsigned int bucket_of(uint64_t v)
{
	unsigned int b;

	if (v < NNP_HIST_SUB)
		return (unsigned int)v;
	b = 63 - (unsigned int)__builtin_clzll(v);
	return (b - NNP_HIST_SUB_BITS + 1) * NNP_HIST_SUB +
	       ((unsigned int)(v >> (b - NNP_HIST_SUB_BITS)) & (NNP_HIST_SUB - 1));
}

static uint64_t bucket_lo(unsigned int i)
{
	unsigned int row = i / NNP_HIST_SUB, sub = i % NNP_HIST_SUB;

	if (row == 0)
		return sub;
	return (uint64_t)(NNP_HIST_SUB + sub) << (row - 1);
}

/* The last value of the bucket; cannot overflow: row 59, sub 31 ends at 2^64 - 1. */
static uint64_t bucket_hi(unsigned int i)
{
	unsigned int row = i / NNP_HIST_SUB;

	if (row == 0)
		return i;
	return bucket_lo(i) + ((UINT64_C(1) << (row - 1)) - 1);
}

void nnp_hist_init(struct nnp_hist *h)
{
	*h = (struct nnp_hist){ .min = UINT64_MAX };
}

void nnp_hist_free(struct nnp_hist *h)
{
	free(h->c);
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

/*
 * Widens the array to hold buckets lo .. end - 1. Bounds are rounded to
 * NNP_HIST_STEP, so an array grows at most NNP_HIST_BUCKETS / NNP_HIST_STEP
 * times in its life, whatever the order of the values.
 */
static int cover(struct nnp_hist *h, unsigned int lo, unsigned int end)
{
	unsigned int first = h->n && h->first < lo ? h->first : lo;
	unsigned int last = h->n && h->first + h->n > end ? h->first + h->n : end;
	uint32_t *c;

	if (h->n && first >= h->first && last <= (unsigned int)h->first + h->n)
		return 0;
	first -= first % NNP_HIST_STEP;
	last += (NNP_HIST_STEP - last % NNP_HIST_STEP) % NNP_HIST_STEP;
	c = calloc(last - first, sizeof(*c));
	if (!c)
		return -ENOMEM;
	if (h->n)
		memcpy(c + (h->first - first), h->c, h->n * sizeof(*c));
	free(h->c);
	h->c = c;
	h->first = (uint16_t)first;
	h->n = (uint16_t)(last - first);
	return 0;
}

int nnp_hist_add(struct nnp_hist *h, uint64_t v)
{
	unsigned int i = bucket_of(v);
	int err;

	note_value(h, v, 1);
	if (i - h->first >= h->n) { /* below first too: the difference wraps */
		err = cover(h, i, i + 1);
		if (err)
			return err;
	}
	bucket_add(&h->c[i - h->first], 1);
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
	if (!src->n)
		return 0;
	err = cover(dst, src->first, src->first + src->n);
	if (err)
		return err;
	for (unsigned int i = 0; i < src->n; i++)
		bucket_add(&dst->c[src->first + i - dst->first], src->c[i]);
	return 0;
}

int nnp_hist_copy(struct nnp_hist *dst, const struct nnp_hist *src)
{
	uint32_t *c = dst->c;

	if (dst->n != src->n) {
		free(dst->c);
		c = src->n ? malloc(src->n * sizeof(*c)) : NULL;
		if (src->n && !c) {
			nnp_hist_init(dst);
			return -ENOMEM;
		}
	}
	*dst = *src;
	dst->c = c;
	if (src->n)
		memcpy(c, src->c, src->n * sizeof(*c));
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
	for (unsigned int i = 0; i < h->n; i++) {
		seen += h->c[i];
		if (seen < rank)
			continue;
		lo = bucket_lo(h->first + i);
		hi = bucket_hi(h->first + i);
		return clamp(h, lo + (hi - lo) / 2);
	}
	/* only when nnp_hist_add could not grow the array: the buckets hold fewer than count */
	return h->max;
}

uint64_t nnp_hist_count_le(const struct nnp_hist *h, uint64_t bound)
{
	uint64_t n = 0;

	for (unsigned int i = 0; i < h->n; i++) {
		if (bucket_hi(h->first + i) > bound)
			return n;
		n += h->c[i];
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
