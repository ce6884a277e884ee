/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The group view of `nnperf top` (`g`, --group-by): a process's layer rows
 * rolled up by nnp_group_layers (block, part or op). Self time adds up (shares
 * stay at most 100%); the kernel signals of a layer are inclusive, so a layer
 * inside another layer of the same group is counted once, in its ancestor.
 * Groups come in the execution order of their first layer.
 */
#ifndef NNP_TUI_GROUPS_H
#define NNP_TUI_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "layer_group.h"
#include "tui_model.h"

struct tui_group_row {
	char name[NNP_GROUP_LEN];
	uint64_t key;	/* stable identity: a hash of the name */
	uint64_t order; /* execution order of its first layer */
	size_t nlayers;
	/* calls/s, self time per inference, share of self time, off-CPU share of
	 * wall time, run-queue wait per call, faults/s */
	struct tui_val calls_s, self_inf_ns, share, offcpu_share, runq_ns, faults_s;
};

struct tui_groups {
	struct tui_group_row *rows; /* execution order */
	size_t n, cap;
	int *of; /* per layer row: its group's index (scratch) */
	size_t of_cap;
};

/* the groups of P's layers (P may be NULL: none); 0, -EINVAL for NNP_GROUP_NONE, -ENOMEM */
int tui_groups_build(struct tui_groups *g, const struct tui_proc_row *p, enum nnp_group_by by);
void tui_groups_free(struct tui_groups *g);

#endif
