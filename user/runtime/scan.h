/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which files of a target get which runtime's probes: every executable file
 * the target maps (or, before a launched command has exec'd, its executable
 * and the libraries it will load) is offered once to each runtime adapter
 * (runtimes.h), whose definitions go to the planner (planner.h).
 */
#ifndef NNP_SCAN_H
#define NNP_SCAN_H

#include <stdbool.h>
#include <stddef.h>

struct nnp_planner;
struct nnp_runtime;
struct nnp_scanner;

/* a scanner for the planner's target; 0 or -ENOMEM */
int nnp_scanner_new(struct nnp_planner *plan, struct nnp_scanner **out);
void nnp_scanner_free(struct nnp_scanner *sc);
/*
 * Offers each executable file of the target not seen before to every runtime
 * adapter, or only to ONLY, and attaches what they find; with usdt, nnperf's
 * USDT markers too. A file named like a runtime's library that nnperf cannot
 * read (a malformed ELF file: the target chose its bytes) gets one warning
 * line, naming it and what is wrong, once per nnperf process, and the scan
 * goes on. Returns how many (file, runtime) pairs got probes, or -errno after
 * one error line.
 */
int nnp_scanner_scan(struct nnp_scanner *sc, const struct nnp_runtime *only, bool usdt);
/* a launched target has exec'd: scans read /proc/PID/maps from now on */
void nnp_scanner_execd(struct nnp_scanner *sc);
/*
 * A LIBLOAD event whenever the target's dynamic loader maps more (dlopen):
 * call nnp_scanner_scan again then. With stop, the process is stopped
 * (SIGSTOP from BPF) until the caller has scanned and sent SIGCONT, so that
 * nothing of a runtime loaded late is missed: for a process nnperf launched
 * (its parent), not for one it merely attached to. 0 (also for a static
 * binary) or -errno.
 */
int nnp_scanner_watch_loader(struct nnp_scanner *sc, bool stop);
/* the first runtime found ("usdt", "pytorch"), or NULL */
const char *nnp_scanner_runtime(const struct nnp_scanner *sc);
/* a runtime found infers inferences from the period of its layers */
bool nnp_scanner_infer_by_period(const struct nnp_scanner *sc);
/* runtime files skipped so far because they could not be read */
size_t nnp_scanner_bad_files(const struct nnp_scanner *sc);

#endif
