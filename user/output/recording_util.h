/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the JSON and table outputs of a recording compute alike. */
#ifndef NNP_RECORDING_UTIL_H
#define NNP_RECORDING_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"

/* processes by pid; *out is malloc'ed (NULL when there are none), caller frees */
int nnp_rec_sorted_procs(const struct nnp_agg *a, struct nnp_proc_stats ***out, size_t *n);
/* the mean rounded to the nearest nanosecond; 0 when empty */
uint64_t nnp_rec_mean_ns(const struct nnp_hist *h);
/* a layer's self time (without the layers run inside it) over its process's
 * total inference time, so shares add up to at most 1; false without inferences */
bool nnp_rec_share(const struct nnp_proc_stats *p, const struct nnp_layer_stats *l, double *share);
/* the same with --sample N: the measured calls stand for N times their time */
bool nnp_rec_share_est(const struct nnp_agg *a, const struct nnp_proc_stats *p,
		       const struct nnp_layer_stats *l, double *share);
/* L's name for a table, indented two spaces per level of nesting and shown
 * through nnp_text_display in at most COLS columns; *width: columns taken */
void nnp_rec_tree_name(char *buf, size_t len, size_t *width, const struct nnp_proc_stats *p,
		       const struct nnp_layer_stats *l, size_t cols);

#endif
