// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Whether a process uses a runtime: one of its executable mappings is a file
 * the runtime's adapter claims (runtimes.h). Verdicts are cached per file.
 */
#include <errno.h>

#include "discover.h"
#include "procmaps.h"
#include "runtimes.h"

struct walk {
	struct nnp_discover *d;
	const struct nnp_runtime *rt;
	int found;
};

static int on_file(const char *path, void *ctx)
{
	struct walk *w = ctx;
	int v;

	v = nnp_discover_file_verdict(w->d, w->rt, path, nnp_runtime_claims);
	if (v > 0) {
		w->found = 1;
		return 1; /* stop: one file is enough */
	}
	return 0;
}

int nnp_discover_detect(struct nnp_discover *d, const struct nnp_runtime *rt, pid_t pid)
{
	struct walk w = { .d = d, .rt = rt };
	int err = nnp_proc_exec_files(pid, on_file, &w);

	if (w.found)
		return 1;
	return err < 0 ? err : 0;
}
