/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The planner's state (planner.c), for the files that plan with it. */
#ifndef NNP_PLANNER_PRIV_H
#define NNP_PLANNER_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "planner.h"
#include "probe_spec.h"
#include "uprobe_batch.h"

#define MAX_ELFS 64

struct lib_pair {
	char path[PATH_MAX];
	char tag[NNP_PAIR_TAG_LEN]; /* nnp_probe_def.pair */
	uint32_t probe_id;
};

struct nnp_planner {
	const struct nnp_planner_ops *ops;
	void *ctx; /* the ops' */
	struct nnp_agg *a;
	struct nnp_target t;
	size_t nsites;
	struct nnp_elf *elfs[MAX_ELFS];
	size_t nelfs;
	struct lib_pair *pairs; /* explicit begin/end roles pair up per library */
	size_t npairs;
	bool optional; /* an adapter's probe: a symbol missing from this build is no error */
	bool numbered; /* a user's probe (--probe, --spec, a spec file): key 0 numbered too */
	struct nnp_ubatch batch; /* uprobe sites planned, attached at the next flush */
	bool defer;		 /* a scan flushes once per file, not per definition */
	bool late_libs;		 /* a library not loaded yet waits for it (launch mode) */
	bool lib_missing;	 /* set by a definition whose library waits */
};

#endif
