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

struct nnp_runtime;

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
/*
 * A set of definitions: after nnp_planner_defer, nnp_planner_attach only plans
 * uprobe sites, and nnp_planner_flush attaches all of them (every return before
 * any entry), one uprobe_multi link per file and direction where the kernel has
 * them. Flush: 0 or -errno after one error line.
 */
void nnp_planner_defer(struct nnp_planner *p);
int nnp_planner_flush(struct nnp_planner *p);
/*
 * Offers each executable file of the target not seen before to every runtime
 * adapter (runtimes.h), or only to ONLY, and attaches what they find; with
 * usdt, nnperf's USDT markers too. Before a launched target exec's, its files
 * are its executable and the libraries it will load. A file named like a
 * runtime's library that nnperf cannot read (a malformed ELF file: the
 * target chose its bytes) gets one warning line, naming it and what is
 * wrong, once per nnperf process, and the scan goes on. Returns how many
 * (file, runtime) pairs got probes, or -errno after one error line.
 */
int nnp_planner_scan(struct nnp_planner *p, const struct nnp_runtime *only, bool usdt);
/* a launched target has exec'd: scans read /proc/PID/maps from now on */
void nnp_planner_execd(struct nnp_planner *p);
/*
 * A LIBLOAD event whenever the target's dynamic loader maps more (dlopen):
 * call nnp_planner_scan again then. With stop, the process is stopped
 * (SIGSTOP from BPF) until the caller has scanned and sent SIGCONT, so that
 * nothing of a runtime loaded late is missed: for a process nnperf launched
 * (its parent), not for one it merely attached to. 0 (also for a static
 * binary) or -errno.
 */
int nnp_planner_watch_loader(struct nnp_planner *p, bool stop);
/* the first runtime found ("usdt", "pytorch"), or NULL */
const char *nnp_planner_runtime(const struct nnp_planner *p);
/* a runtime found infers inferences from the period of its layers */
bool nnp_planner_infer_by_period(const struct nnp_planner *p);
/* sites attached so far */
size_t nnp_planner_sites(const struct nnp_planner *p);
/* runtime files skipped so far because they could not be read */
size_t nnp_planner_bad_files(const struct nnp_planner *p);
/*
 * true the first time this nnperf process warns about the file at PATH (by
 * device, inode and mtime): export meets the same bad file in every process
 * that maps it, and examines processes again, and says so once.
 */
bool nnp_planner_warn_once(const char *path);

#endif
