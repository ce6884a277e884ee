/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The budget's state (budget.c), and its measurements (budget_measure.c). */
#ifndef NNP_BUDGET_PRIV_H
#define NNP_BUDGET_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "budget.h"

#define NS_PER_MS 1000000ull
#define PERIOD_NS (2000 * NS_PER_MS)
/* the first window: FIRST_NS and FIRST_INFERS inferences, or FIRST_LONG_NS and one */
#define FIRST_NS (200 * NS_PER_MS)
#define FIRST_INFERS 20
#define FIRST_LONG_NS (1000 * NS_PER_MS)
#define FIRST_MAX_NS (10000 * NS_PER_MS)
/* between detaching a probe's begins and its ends: calls in flight end */
#define ENDS_GAP_NS (10 * NS_PER_MS)
/* measured intervals kept per group: one a period, 16 s of them */
#define NIV 8

/* BPF programs' run time: uprobes, sched_switch, fault hooks */
struct run_sum {
	uint64_t ns[3], cnt[3];
};

/* of every process's inferences */
struct totals {
	uint64_t n, ns;		   /* inferences, their time */
	uint64_t switches, faults; /* inside them */
};

struct group {
	uint32_t probe_id;
	uint64_t first_ns; /* seen first */
	/* measured: its begins not gated (nnp_session_gate), so attached too */
	uint64_t on_ns;	    /* closed intervals */
	uint64_t on_since;  /* counted up to, while measured */
	uint64_t arm_start; /* the measured interval open now began */
	bool armed;
	uint64_t win_on_ns;
	/* the last measured intervals, for inferences whose event comes after them */
	uint64_t iv_on[NIV], iv_off[NIV];
	unsigned niv; /* intervals closed so far; the last NIV kept */
	/* inferences since first_ns, and the sum of the part of each it was measured in */
	double infers, infers_on;
	double win_cost; /* ns its hits added in this window */
	uint64_t prev_layer_ns, layer_now;
	double cost, layer; /* per inference, as if every call were measured */
	bool sampled;
};

enum phase { PH_FIRST, PH_ON, PH_BEGINS_OFF, PH_OFF };

struct nnp_budget {
	struct nnp_session *s;
	struct nnp_agg *a;
	double pct;
	int stats_fd;
	uint64_t *hits, *prev_hits;
	uint32_t nspecs;
	struct group *g;
	size_t ng;
	size_t *gidx; /* by probe_id: its group's index + 1, 0 for none */
	size_t ngidx;
	uint32_t *ids; /* of the sampled groups */
	size_t nids;
	enum phase phase;
	int shift; /* of the plan: 0 none, -1 detached */
	uint64_t win_start, phase_end, period_end;
	struct totals prev;
	struct run_sum prev_run;
	uint64_t prev_switches, prev_faults;
	/* BPF run time of one uprobe hit, sched_switch and fault hook run */
	double bpf_ns_per_hit, switch_ns, fault_ns;
	bool bpf_measured;
	/* the last window, per inference: with every probe, never sampled, own */
	double full, fixed, base;
	bool planned;
	/* since the last plan: what the probes added, the target's time, inferences */
	double acc_cost, acc_time, acc_n;
	nnp_budget_toggle_fn toggle;
	void *toggle_ctx;
	bool fresh;	       /* a window was measured since the last publish */
	unsigned warned;       /* "out of reach" said */
	unsigned int nperiods; /* begun so far */
	struct nnp_rec_overhead rep;
	struct nnp_rec_sampled *rs;
};

struct group *budget_group_of(struct nnp_budget *b, uint32_t probe_id);
/* specs added since the last look: their layer probes become groups,
 * attached; 1 when there were some, 0 or -ENOMEM */
int budget_grow(struct nnp_budget *b, uint64_t now);
/* measured time up to NOW is counted */
void budget_settle(struct group *g, uint64_t now);
struct totals budget_infer_totals(const struct nnp_agg *a);
/* each group's layer_now: the time of its layers' measured calls, in one pass */
void budget_layer_sums(struct nnp_budget *b);
/*
 * The window since win_start ends: *ok false (and the window goes on) while
 * no inference finished in it. Prices it (b->full, fixed, base) and adds
 * it to what was measured since the plan. 0 or -errno.
 */
int budget_measure(struct nnp_budget *b, uint64_t now, bool *ok);
/* what the probes added since the plan, over the target's own time then */
double budget_acc_pct(const struct nnp_budget *b);
/* the first window starts again (probes were added in it) */
void budget_restart_first(struct nnp_budget *b, uint64_t now);

#endif
