/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What `nnperf top` shows, computed from the aggregator at each refresh.
 * Every number describes the window since the previous refresh: rates are
 * count deltas over the window's length, means are sum deltas over count
 * deltas, percentiles come from the difference of the histograms at both ends.
 * The model keeps the previous counts itself (the aggregator only grows).
 * A value is missing when nothing ran in the window ("-") or the kernel
 * signal is not collected here ("n/a", with the reason).
 */
#ifndef NNP_TUI_MODEL_H
#define NNP_TUI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uthash.h>

#include "agg.h"
#include "prom_metrics.h"
#include "recording.h"

enum tui_vstate { TUI_V_OK, TUI_V_NONE, TUI_V_NA };

struct tui_val {
	double v; /* ns for durations, 0..1 for shares, per second for rates */
	enum tui_vstate st;
	const char *why; /* TUI_V_NA: "n/a (no hardware PMU)" */
};

/* what a window summed over the measured calls of a layer, for group rows
 * (tui_groups.h); estimates of all calls scale calls and self_ns by sample */
struct tui_layer_window {
	uint64_t calls, wall_ns, self_ns;
	uint64_t offcpu_ns, runq_ns, faults;
};

struct tui_layer_row {
	uint64_t key;		      /* stable identity (probe and layer key) */
	uint64_t order;		      /* execution order: index in the aggregator's order */
	unsigned int depth;	      /* 0: outermost; a child comes right after its parent */
	char name[NNP_NAME_LEN + 16]; /* raw bytes from the target: display with nnp_text_display */
	char op[NNP_OP_LEN];
	uint64_t calls; /* whole run */
	struct tui_val calls_s, mean_ns, p99_ns, share, offcpu_share, runq_ns, faults_s, cmiss;
	struct tui_layer_window w;
};

struct tui_proc_row {
	uint32_t tgid;
	char comm[16];
	char model[64];
	char runtime[32];
	bool exited;
	uint64_t inferences; /* whole run */
	size_t nlayers;
	struct tui_val inf_s, p50_ns, p99_ns, offcpu_share, faults_s;
	struct tui_layer_row *layers; /* execution order (nnp_agg_sorted_layers) */
	size_t nlayer_rows;
	uint64_t window_infers, window_infer_ns; /* inferences in the window */
	double window_s;
	uint32_t sample; /* --sample N: one layer call in N measured */
};

struct tui_totals {
	size_t procs; /* running */
	struct tui_val inf_s, p50_ns, p99_ns;
	double window_s;
};

struct tui_proc_state;

struct tui_model {
	const struct nnp_rec_kernel *ki; /* kernel signals collected; NULL: none */
	uint64_t prev_ns;
	struct tui_proc_state *procs; /* uthash by tgid */
	struct tui_proc_row **rows;   /* this refresh, in the aggregator's order */
	size_t nrows, cap;
	struct tui_totals totals;
	struct nnp_hist scratch, all; /* window histograms, reused */
	uint32_t sample;	      /* --sample N: layer calls/s and shares scaled by it */
	const struct nnp_agg *agg;    /* during an update: each probe's scale (--overhead-budget) */
};

void tui_model_init(struct tui_model *m, const struct nnp_rec_kernel *ki, uint64_t now_ns);
void tui_model_free(struct tui_model *m);
/* a refresh at now_ns (CLOCK_MONOTONIC); labels may be NULL. 0 or -ENOMEM */
int tui_model_update(struct tui_model *m, const struct nnp_agg *a, nnp_proc_labels_fn labels,
		     void *labels_ctx, uint64_t now_ns);
const struct tui_proc_row *tui_model_proc(const struct tui_model *m, uint32_t tgid);

#endif
