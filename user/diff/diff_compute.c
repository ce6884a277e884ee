// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attribution uses self time per inference (self_ns / inferences): nested
 * layers would otherwise count twice, and a layer called twice per inference
 * weighs twice. What the layers do not explain is time outside probed layers.
 */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_result.h"

/*
 * The unit of the interval. With two runs or more on both sides the runs are
 * the samples (n = runs, sd = spread of the runs' means): calls within one
 * process share its state (placement, frequency, caches) and are not
 * independent, so the per-call variance makes intervals too narrow when
 * processes differ. With one run on a side there is no between-run spread to
 * estimate, and the calls are the samples.
 */
static bool by_runs(const struct diff_dist *a, const struct diff_dist *b)
{
	return a->units >= 2 && b->units >= 2 && isfinite(a->unit_sd_ns) && isfinite(b->unit_sd_ns);
}

static struct nnp_sample sample(const struct diff_dist *d, bool runs)
{
	if (runs)
		return (
		    struct nnp_sample){ .n = d->units, .mean = d->mean_ns, .sd = d->unit_sd_ns };
	return (struct nnp_sample){ .n = (double)d->count, .mean = d->mean_ns, .sd = d->sd_ns };
}

static double self_per_infer(const struct diff_profile *p, const struct diff_layer *l)
{
	return p->infer.count ? l->self_ns / (double)p->infer.count : NAN;
}

/* per-call means and ratios compare across recordings of any length; totals do not */
static bool per_call(const char *key)
{
	size_t n = strlen(key);

	return (n > 5 && !strcmp(key + n - 5, "_mean")) || !strcmp(key, "ipc") ||
	       !strcmp(key, "mpki");
}

static int compare_kernel(struct diff_row *row)
{
	const struct diff_layer *a = row->pair.a, *b = row->pair.b;

	row->kernel = calloc(a->nkernel + 1, sizeof(*row->kernel));
	if (!row->kernel)
		return -ENOMEM;
	for (size_t i = 0; i < a->nkernel; i++)
		for (size_t j = 0; j < b->nkernel; j++) {
			const struct diff_kfield *x = &a->kernel[i], *y = &b->kernel[j];
			struct diff_kcmp *k = &row->kernel[row->nkernel];

			if (strcmp(x->key, y->key))
				continue;
			/* measured in neither: the recordings' kernel_signals say why */
			if (!per_call(x->key) || (x->null && y->null))
				break;
			*k = (struct diff_kcmp){ .key = x->key,
						 .a_null = x->null,
						 .b_null = y->null,
						 .a = x->value,
						 .b = y->value,
						 .ratio = NAN };
			if (!x->null && !y->null && x->value != 0)
				k->ratio = y->value / x->value;
			row->nkernel++;
			break;
		}
	return 0;
}

/* `nnperf report`: A's per-call signals, B not there */
static int one_side_kernel(struct diff_row *row)
{
	const struct diff_layer *a = row->pair.a;

	row->kernel = calloc(a->nkernel + 1, sizeof(*row->kernel));
	if (!row->kernel)
		return -ENOMEM;
	for (size_t i = 0; i < a->nkernel; i++) {
		const struct diff_kfield *x = &a->kernel[i];

		if (!per_call(x->key) || x->null)
			continue;
		row->kernel[row->nkernel++] = (struct diff_kcmp){
			.key = x->key, .b_null = true, .a = x->value, .ratio = NAN
		};
	}
	return 0;
}

static int fill_row(const struct diff_result *r, const struct diff_pair *p, struct diff_row *row)
{
	struct nnp_sample sa, sb;
	struct nnp_interval none = { .est = NAN, .lo = NAN, .hi = NAN, .df = NAN };

	*row = (struct diff_row){ .pair = *p, .a_calls = NAN, .b_calls = NAN, .share = NAN };
	row->delta = row->speedup = none;
	if (p->a)
		row->a_calls = diff_calls_per_infer(r->a, p->a);
	if (p->b)
		row->b_calls = diff_calls_per_infer(r->b, p->b);
	if (!p->a) {
		row->contrib_ns = self_per_infer(r->b, p->b);
		return 0;
	}
	if (!p->b) {
		row->contrib_ns = -self_per_infer(r->a, p->a);
		return 0;
	}
	row->by_runs = by_runs(&p->a->d, &p->b->d);
	sa = sample(&p->a->d, row->by_runs);
	sb = sample(&p->b->d, row->by_runs);
	nnp_welch_diff(&sa, &sb, DIFF_CONFIDENCE, &row->delta);
	nnp_welch_ratio(&sa, &sb, DIFF_CONFIDENCE, &row->speedup);
	row->contrib_ns = self_per_infer(r->b, p->b) - self_per_infer(r->a, p->a);
	return compare_kernel(row);
}

static int cmp_contrib(const void *x, const void *y, void *ctx)
{
	const struct diff_row *rows = ctx;
	double l = fabs(rows[*(const size_t *)x].contrib_ns);
	double r = fabs(rows[*(const size_t *)y].contrib_ns);

	if (l != r)
		return l > r ? -1 : 1;
	return *(const size_t *)x < *(const size_t *)y ? -1 : 1;
}

static int rank(struct diff_result *r)
{
	r->ranked = calloc(r->n + 1, sizeof(*r->ranked));
	if (!r->ranked)
		return -ENOMEM;
	r->layers_delta_ns = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (!isfinite(r->rows[i].contrib_ns))
			continue;
		r->ranked[r->nranked++] = i;
		r->layers_delta_ns += r->rows[i].contrib_ns;
	}
	qsort_r(r->ranked, r->nranked, sizeof(*r->ranked), cmp_contrib, r->rows);
	r->unattributed_ns = r->infer_delta.est - r->layers_delta_ns;
	for (size_t i = 0; i < r->n; i++)
		if (r->infer_delta.est != 0)
			r->rows[i].share = r->rows[i].contrib_ns / r->infer_delta.est;
	return 0;
}

int diff_compute(const struct diff_profile *a, const struct diff_profile *b, bool force,
		 struct diff_result *r, char *err, size_t errlen)
{
	bool runs = by_runs(&a->infer, &b->infer);
	struct nnp_sample sa = sample(&a->infer, runs), sb = sample(&b->infer, runs);
	int ret;

	memset(r, 0, sizeof(*r));
	r->infer_by_runs = runs;
	r->a = a;
	r->b = b;
	ret = diff_align(a, b, &r->al);
	if (ret)
		goto fail;
	if (!diff_related(&r->al, a, b, err, errlen) && !force) {
		ret = -EINVAL;
		goto fail;
	}
	r->rows = calloc(r->al.n + 1, sizeof(*r->rows));
	if (!r->rows) {
		ret = -ENOMEM;
		goto fail;
	}
	r->n = r->al.n;
	for (size_t i = 0; i < r->n && !ret; i++)
		ret = fill_row(r, &r->al.pairs[i], &r->rows[i]);
	nnp_welch_diff(&sa, &sb, DIFF_CONFIDENCE, &r->infer_delta);
	nnp_welch_ratio(&sa, &sb, DIFF_CONFIDENCE, &r->infer_speedup);
	if (!ret)
		ret = rank(r);
	if (!ret)
		return 0;
fail:
	if (ret == -ENOMEM)
		snprintf(err, errlen, "failed to compare: %s", strerror(ENOMEM));
	diff_result_free(r);
	return ret;
}

int diff_compute_one(const struct diff_profile *a, struct diff_result *r)
{
	struct nnp_interval none = { .est = NAN, .lo = NAN, .hi = NAN, .df = NAN };

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->infer_delta = r->infer_speedup = none;
	r->al.pairs = calloc(a->nlayers + 1, sizeof(*r->al.pairs));
	r->rows = calloc(a->nlayers + 1, sizeof(*r->rows));
	if (!r->al.pairs || !r->rows) {
		diff_result_free(r);
		return -ENOMEM;
	}
	r->n = r->al.n = r->al.only_a = a->nlayers;
	for (size_t i = 0; i < r->n; i++) {
		struct diff_row *row = &r->rows[i];

		r->al.pairs[i] = (struct diff_pair){ .how = DIFF_ONLY_A, .a = &a->layers[i] };
		*row = (struct diff_row){ .pair = r->al.pairs[i], .delta = none, .speedup = none };
		row->a_calls = diff_calls_per_infer(a, &a->layers[i]);
		row->contrib_ns = self_per_infer(a, &a->layers[i]);
		row->share = a->infer.count && a->infer.mean_ns > 0
				 ? row->contrib_ns / a->infer.mean_ns
				 : NAN;
		if (one_side_kernel(row)) {
			diff_result_free(r);
			return -ENOMEM;
		}
	}
	return 0;
}

void diff_result_free(struct diff_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->rows[i].kernel);
	free(r->rows);
	free(r->ranked);
	free(r->groups);
	diff_alignment_free(&r->al);
	memset(r, 0, sizeof(*r));
}

void diff_row_name(const struct diff_row *row, char *buf, size_t len)
{
	const struct diff_layer *a = row->pair.a, *b = row->pair.b;

	if (a && b && strcmp(a->name, b->name))
		snprintf(buf, len, "%s -> %s", a->name, b->name);
	else
		snprintf(buf, len, "%s", a ? a->name : b->name);
}

void diff_row_tree_name(const struct diff_row *row, char *buf, size_t len)
{
	unsigned int in = diff_row_depth(row) > 8 ? 8 : diff_row_depth(row);

	if (len <= 2 * in + 1)
		in = 0;
	memset(buf, ' ', 2 * in);
	diff_row_name(row, buf + 2 * in, len - 2 * in);
}
