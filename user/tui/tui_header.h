/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The meters above the tables of `nnperf top`: what is watched, inferences
 * per second and latency over the last window, lost events, nnperf's own CPU
 * as a bar, and which kernel signals are collected here (or why not).
 */
#ifndef NNP_TUI_HEADER_H
#define NNP_TUI_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layer_group.h"
#include "recording.h"
#include "tui_model.h"

#define TUI_HEADER_LINES 4
#define TUI_LINE_LEN 1024

struct tui_header {
	const char *target; /* "all inference processes", "pid 42", "command ./x" */
	struct tui_totals totals;
	uint64_t lost;	  /* events lost since start (ring buffer full) */
	double self_cpu;  /* nnperf's CPU over the window, in cores (0.01 = 1%) */
	double refresh_s; /* -d */
	bool paused;
	enum nnp_group_by group_by;	 /* the layer view's grouping (`g`, --group-by) */
	uint32_t sample;		 /* --sample N; 0, 1: every call */
	const struct nnp_rec_kernel *ki; /* NULL: no kernel signals */
	bool has_ov;			 /* --overhead-budget's estimate is in ov */
	struct nnp_rec_overhead ov;	 /* a copy: its sampled[] is not used */
};

/* "n/a (no hardware PMU)", "on", or "not counted" for the cache-misses counter */
const char *tui_cache_misses_state(const struct nnp_rec_kernel *ki);
/* the header as TUI_HEADER_LINES lines of text, each at most `width` columns */
void tui_header_lines(const struct tui_header *h, int width,
		      char lines[TUI_HEADER_LINES][TUI_LINE_LEN]);

#endif
