/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * From probe definitions to attached sites: resolves each LIB in the target,
 * each SYMBOL (glob) to file offsets, turns every site into specs in the BPF
 * table (begin at entry, end at return unless entry-only) and attaches them.
 * Also the built-in adapter for nnperf's own USDT markers.
 */
#ifndef NNP_PROBES_H
#define NNP_PROBES_H

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
/* finds nnperf USDT markers in the target's executable files and attaches
 * them; returns the number of files with markers, or -errno */
int nnp_planner_attach_usdt_auto(struct nnp_planner *p);
/* sites attached so far */
size_t nnp_planner_sites(const struct nnp_planner *p);

#endif
