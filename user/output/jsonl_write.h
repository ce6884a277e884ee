/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `export --format json`: every interval, one JSON object per line for each
 * process (its layers nested) and one for nnperf itself. Values are totals
 * since the process was attached; the shape is in docs/metrics.md.
 */
#ifndef NNP_JSONL_WRITE_H
#define NNP_JSONL_WRITE_H

#include <stdint.h>
#include <stdio.h>

#include "agg.h"
#include "recording.h"
#include "prom_metrics.h"

#define NNP_JSONL_VERSION 1

/* time_ns: CLOCK_REALTIME of the report; by: each layer's "group" (--group-by);
 * ov: --overhead-budget's "overhead" in the nnperf line, or NULL;
 * 0 or -errno (-ENOMEM, a write error) */
int nnp_jsonl_write(FILE *f, const struct nnp_agg *a, nnp_proc_labels_fn labels, void *ctx,
		    const struct nnp_self_stats *self, uint64_t time_ns, enum nnp_group_by by,
		    const struct nnp_rec_overhead *ov);

#endif
