/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The budget's arithmetic, apart from the kernel so that unit tests can run
 * it: what a hit costs by kind of site, and which layer probes to sample at
 * which rate so that the estimate fits the budget.
 */
#ifndef NNP_BUDGET_PLAN_H
#define NNP_BUDGET_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/* BPF run time per hit assumed when the kernel's statistics are unavailable */
#define NNP_BUDGET_BPF_NS 150.0
/* BPF run time per sched_switch or fault hook run assumed, the same way */
#define NNP_BUDGET_HOOK_NS 300.0
/* sampled probes are attached 1/2^shift of each period, shift <= this */
#define NNP_BUDGET_MAX_SHIFT 6
/* fewer probes at a rate of at least 1/2^this are preferred to more at a lower one */
#define NNP_BUDGET_GOOD_SHIFT 3

/* ns one hit at a site of cost class C adds (x86-64 figures, docs/performance.md) */
double nnp_budget_hit_ns(enum nnp_site_cost c);

/* one layer probe, per inference, as if every call were measured */
struct nnp_budget_cand {
	double cost_ns;	 /* what its hits add */
	double layer_ns; /* its layers' own time */
	bool sampled;	 /* out: chosen */
};

/*
 * Chooses which of the N candidates to sample, and at what rate, so that
 * FIXED_NS (what the rest adds: inference probes, other BPF programs) plus
 * the candidates' cost fits BUDGET_NS: the candidates that cost most for
 * their layers' time first, the fewest that fit at a rate of 1/8 or more,
 * else all of them at the highest rate that fits. *SHIFT: the rate is
 * 1/2^shift; 0 when nothing needs sampling, -1 when even 1/64 of every
 * candidate does not fit (detach them); when FIXED_NS alone is over the
 * budget, every candidate at 1/64 (detaching them would not make it fit, and
 * their layers' statistics stay). 0 or -ENOMEM.
 */
int nnp_budget_plan(struct nnp_budget_cand *c, size_t n, double fixed_ns, double budget_ns,
		    int *shift);

#endif
