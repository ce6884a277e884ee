/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The /metrics page: per-process and per-layer series from the aggregator,
 * then nnperf's own cost. Names, types, units and labels are documented in
 * docs/metrics.md; per-layer counters come from one descriptor table
 * (prom_metrics.c) so a new aggregator field is one line there.
 */
#ifndef NNP_PROM_METRICS_H
#define NNP_PROM_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "labels.h"
#include "layer_group.h"
#include "recording.h"
#include "nnperf_abi.h"
#include "prom_text.h"
#include "self_stats.h"

struct nnp_prom_page {
	const struct nnp_agg *agg;
	nnp_proc_labels_fn labels;
	void *labels_ctx;
	struct nnp_self_stats *self;		 /* series_dropped is updated */
	size_t max_series;			 /* 0 = unlimited */
	enum nnp_group_by group_by;		 /* --group-by: a "group" label on layer series */
	const struct nnp_rec_overhead *overhead; /* --overhead-budget, or NULL */
};

/* 0 or -ENOMEM; the page is complete either way (series may be missing) */
int nnp_prom_render(FILE *f, enum nnp_prom_format fmt, const struct nnp_prom_page *pg);

/*
 * The same page written in steps, so that it never has to be in memory whole
 * (an HTTP response sent as it is written). begin chooses the series (the
 * budget) and copies the processes' labels; each step writes the next `units`
 * families or layers' series to f. Both run under the lock that guards
 * pg->agg, which may be released and the aggregator updated between steps:
 * processes and layers gone since begin are left out. pg and *pg->self must
 * stay valid until the last step.
 */
struct nnp_prom_gen;
int nnp_prom_gen_begin(const struct nnp_prom_page *pg, enum nnp_prom_format fmt,
		       struct nnp_prom_gen **out);
/* 1: more to write, 0: the page is complete */
int nnp_prom_gen_step(struct nnp_prom_gen *g, const struct nnp_prom_page *pg, FILE *f,
		      size_t units);
/* -ENOMEM if choosing the series failed (the page lacks some), else 0 */
int nnp_prom_gen_error(const struct nnp_prom_gen *g);
void nnp_prom_gen_free(struct nnp_prom_gen *g);

#endif
