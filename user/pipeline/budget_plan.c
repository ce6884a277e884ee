// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "budget_plan.h"

double nnp_budget_hit_ns(enum nnp_site_cost c)
{
	/*
	 * Medians of tests/bench/run.sh --only calls on the 2-vCPU x86-64 VM
	 * (kernel 6.18): an empty uprobe on a push 398 ns, on a 1-byte nop 369,
	 * a uretprobe's return 264 more, a single-stepped mov ~12,000-16,000.
	 * An unknown site is priced as an emulated one.
	 */
	switch (c) {
	case NNP_COST_RETURN:
		return 270;
	case NNP_COST_STEPPED:
		return 12000;
	case NNP_COST_EMULATED:
	case NNP_COST_UNKNOWN:
		break;
	}
	return 400;
}

static const struct nnp_budget_cand *sort_base;

/* dearest for its layers' time first; ties in input order */
static int by_ratio(const void *pa, const void *pb)
{
	const struct nnp_budget_cand *a = &sort_base[*(const size_t *)pa],
				     *b = &sort_base[*(const size_t *)pb];
	double ra = a->cost_ns / fmax(a->layer_ns, 1), rb = b->cost_ns / fmax(b->layer_ns, 1);

	if (ra != rb)
		return ra > rb ? -1 : 1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/* the smallest shift whose rate 1/2^shift is at most NEED; past the maximum: -1 */
static int shift_for(double need)
{
	for (int s = 1; s <= NNP_BUDGET_MAX_SHIFT; s++)
		if (ldexp(1.0, -s) <= need)
			return s;
	return -1;
}

static void mark(struct nnp_budget_cand *c, const size_t *order, size_t k)
{
	for (size_t i = 0; i < k; i++)
		c[order[i]].sampled = true;
}

int nnp_budget_plan(struct nnp_budget_cand *c, size_t n, double fixed_ns, double budget_ns,
		    int *shift_out)
{
	size_t *order = malloc((n ? n : 1) * sizeof(*order));
	double total = fixed_ns, head = 0;
	int shift = 0;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		c[i].sampled = false;
		order[i] = i;
		total += c[i].cost_ns;
	}
	if (total <= budget_ns || !n)
		goto out;
	if (fixed_ns >= budget_ns) {
		/* out of reach: the layers' statistics stay, at the lowest rate */
		mark(c, order, n);
		shift = NNP_BUDGET_MAX_SHIFT;
		goto out;
	}
	sort_base = c;
	qsort(order, n, sizeof(*order), by_ratio);
	/* TOTAL - HEAD: what the unsampled candidates and FIXED add */
	for (size_t k = 1; k <= n; k++) {
		head += c[order[k - 1]].cost_ns;
		if (total - head >= budget_ns || head <= 0)
			continue;
		shift = shift_for((budget_ns - (total - head)) / head);
		if (k == n || (shift > 0 && shift <= NNP_BUDGET_GOOD_SHIFT)) {
			mark(c, order, k);
			goto out;
		}
	}
	/* not reached: the loop ends at k == n, where it fits (FIXED is under the budget) */
	mark(c, order, n);
	shift = -1;
out:
	free(order);
	*shift_out = shift;
	return 0;
}
