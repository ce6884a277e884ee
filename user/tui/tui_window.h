/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Differences between two states of counters that only grow (a histogram, a
 * kernel-signal sum): what happened in the window between two refreshes.
 */
#ifndef NNP_TUI_WINDOW_H
#define NNP_TUI_WINDOW_H

#include "agg.h"
#include "hist.h"

/* dst becomes a copy of src, reusing dst's rows; 0 or -ENOMEM */
int tui_hist_copy(struct nnp_hist *dst, const struct nnp_hist *src);
/*
 * dst = cur - prev, bucket by bucket (prev must be an earlier state of cur);
 * min and max are cur's, so quantiles stay within the run's range. 0 or -ENOMEM
 */
int tui_hist_delta(struct nnp_hist *dst, const struct nnp_hist *cur, const struct nnp_hist *prev);
/* d = cur - prev, field by field (0 where prev is larger: a reset) */
void tui_ksig_delta(struct nnp_ksig_sum *d, const struct nnp_ksig_sum *cur,
		    const struct nnp_ksig_sum *prev);

#endif
