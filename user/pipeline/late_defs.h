/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --probe and --spec on a launched command: a definition whose library the
 * command has not loaded yet (it will dlopen it) waits, and is attached when
 * the loader watch says more was mapped; one that never is gets a warning.
 */
#ifndef NNP_LATE_DEFS_H
#define NNP_LATE_DEFS_H

#include <stdbool.h>
#include <stddef.h>

#include "planner.h"
#include "run_opts.h"

struct nnp_late_defs {
	bool *pending; /* per definition of the options */
	size_t npending;
};

/* every definition of c into p; with late, those whose library is not loaded yet
 * wait. 0 or -errno after one error line */
int nnp_late_defs_attach(struct nnp_late_defs *l, struct nnp_planner *p,
			 const struct nnp_common_opts *c, bool late);
/* the loader mapped more: the waiting definitions again (from the target's maps) */
int nnp_late_defs_retry(struct nnp_late_defs *l, struct nnp_planner *p,
			const struct nnp_common_opts *c);
/* a warning for each definition still waiting: its library was never loaded by cmd */
void nnp_late_defs_warn(const struct nnp_late_defs *l, const struct nnp_common_opts *c,
			const char *cmd);
/* the first definition still waiting, or NULL */
const struct nnp_probe_def *nnp_late_defs_first(const struct nnp_late_defs *l,
						const struct nnp_common_opts *c);
void nnp_late_defs_free(struct nnp_late_defs *l);

#endif
