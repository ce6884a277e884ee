/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The planner's state, shared by probes.c (definitions -> sites) and
 * probes_scan.c (which files of the target get which runtime's probes). */
#ifndef NNP_PROBES_PRIV_H
#define NNP_PROBES_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes.h"
#include "uprobe_batch.h"

#define MAX_ELFS 64

struct nnp_runtime;

struct nnp_file_id {
	uint64_t dev, ino;
};

struct lib_pair {
	char path[PATH_MAX];
	uint32_t probe_id;
};

struct nnp_planner {
	struct nnp_session *s;
	struct nnp_agg *a;
	struct nnp_target t;
	size_t nsites;
	struct nnp_elf *elfs[MAX_ELFS];
	size_t nelfs;
	struct lib_pair *pairs; /* explicit begin/end roles pair up per library */
	size_t npairs;
	/* probes_scan.c: files examined, runtimes found */
	struct nnp_file_id *scanned;
	size_t nscanned;
	size_t bad_files; /* named like a runtime's library, but unreadable */
	const struct nnp_runtime *runtimes[8];
	size_t nruntimes;
	bool usdt;     /* nnperf USDT markers are attached too */
	bool execd;    /* a launched target has exec'd: read its maps, not its files */
	bool optional; /* an adapter's probe: a symbol missing from this build is no error */
	struct nnp_ubatch batch; /* uprobe sites planned, attached at the next flush */
	bool defer;		 /* a scan flushes once per file, not per definition */
};

void nnp_planner_scan_free(struct nnp_planner *p);


#endif
