/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * From probe definitions to attached sites: resolves each LIB in the target,
 * each SYMBOL (glob) to file offsets, turns every site into specs in the BPF
 * table (begin at entry, end at return unless entry-only) and attaches them.
 * Which files get which definitions is runtime/scan.h's business.
 */
#ifndef NNP_PLANNER_H
#define NNP_PLANNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "agg.h"
#include "probe_spec.h"
#include "session.h"

struct nnp_target {
	pid_t pid;	 /* process the probes are for */
	const char *exe; /* launched and not yet exec'ed: its executable; NULL for -p */
};

struct nnp_planner;

int nnp_planner_new(struct nnp_session *s, struct nnp_agg *a, const struct nnp_target *t,
		    struct nnp_planner **out);
void nnp_planner_free(struct nnp_planner *p);
/* attaches one definition; prints one error line and returns -errno on failure */
int nnp_planner_attach(struct nnp_planner *p, const struct nnp_probe_def *d, const char *runtime);
/* the same for a runtime adapter's definition: a symbol missing from this build of
 * the library is -ENOENT after an info line, not an error line */
int nnp_planner_attach_optional(struct nnp_planner *p, const struct nnp_probe_def *d,
				const char *runtime);
/*
 * A set of definitions: after nnp_planner_defer, nnp_planner_attach only plans
 * uprobe sites, and nnp_planner_flush attaches all of them (every return before
 * any entry), one uprobe_multi link per file and direction where the kernel has
 * them. Flush: 0 or -errno after one error line.
 */
void nnp_planner_defer(struct nnp_planner *p);
int nnp_planner_flush(struct nnp_planner *p);
/* forgets the sites planned since the last flush */
void nnp_planner_drop(struct nnp_planner *p);
/* sites attached so far */
size_t nnp_planner_sites(const struct nnp_planner *p);
const struct nnp_target *nnp_planner_target(const struct nnp_planner *p);
struct nnp_session *nnp_planner_session(const struct nnp_planner *p);

#endif
