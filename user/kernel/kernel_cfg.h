/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What kernel signals a run collects: the policies features.c chooses on this
 * kernel (scheduler hooks, fault timing), the perf counters that could be
 * opened, and the description outputs print with them. Shared by record and
 * export.
 */
#ifndef NNP_KERNEL_CFG_H
#define NNP_KERNEL_CFG_H

#include <stdbool.h>

#include "counters.h"
#include "features.h"
#include "kernel_info.h"
#include "session.h"

struct nnp_kernel_cfg {
	struct nnp_features feat;
	struct nnp_counters counters;
	struct nnp_rec_kernel info; /* points into this struct */
};

/* LIST: --counters, NULL for the default (requested counters that are
 * unavailable get a warning). 0 or -errno after one error line */
int nnp_kernel_cfg_init(struct nnp_kernel_cfg *k, const char *list);
/* sets the session options' sched, fault and counters */
void nnp_kernel_cfg_session(const struct nnp_kernel_cfg *k, struct nnp_session_opts *o);
void nnp_kernel_cfg_free(struct nnp_kernel_cfg *k);

#endif
