// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The runtime adapters `export --all` knows. Today one: processes that map a
 * file carrying nnperf USDT markers (include/nnperf/usdt.h). Adapters for
 * other runtimes add a row: a detect function and an attach function.
 */
#include <errno.h>

#include "discover.h"
#include "elf_sym.h"
#include "procmaps.h"
#include "probes.h"

static int has_nnperf_usdt(const char *path)
{
	struct nnp_elf *e;
	int v;

	if (nnp_elf_open(path, &e))
		return 0; /* not ELF or unreadable: none of our markers there */
	v = nnp_elf_has_usdt(e, "nnperf");
	nnp_elf_close(e);
	return v > 0;
}

struct usdt_walk {
	struct nnp_discover *d;
	int found;
};

static int usdt_file(const char *path, void *ctx)
{
	struct usdt_walk *w = ctx;
	int v = nnp_discover_file_verdict(w->d, &nnp_runtimes[0], path, has_nnperf_usdt);

	if (v > 0) {
		w->found = 1;
		return 1; /* stop: one file is enough */
	}
	return 0;
}

static int usdt_detect(struct nnp_discover *d, pid_t pid)
{
	struct usdt_walk w = {.d = d};
	int err = nnp_proc_exec_files(pid, usdt_file, &w);

	if (w.found)
		return 1;
	return err < 0 ? err : 0;
}

static int usdt_attach(struct nnp_planner *p)
{
	return nnp_planner_attach_usdt_auto(p);
}

const struct nnp_runtime nnp_runtimes[] = {
    {"usdt", usdt_detect, usdt_attach},
};
const size_t nnp_nruntimes = sizeof(nnp_runtimes) / sizeof(nnp_runtimes[0]);
