/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Many target processes, one BPF session, one aggregator. Each target is
 * attached through its own planner and owns the links it attached (taken out
 * of the session), so it is detached alone when its pidfd says it exited.
 * An exited target's stats stay until one report (a /metrics page, a JSON
 * line) has shown them, or forget_ns has passed, then they are removed.
 *
 * Threads: one thread drives the monitor (add, poll); others may read the
 * aggregator and the target labels between nnp_monitor_lock/unlock.
 */
#ifndef NNP_MONITOR_H
#define NNP_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "agg.h"
#include "discover.h"
#include "labels.h"
#include "self_stats.h"
#include "recording.h"
#include "session.h"

struct nnp_monitor_opts {
	struct nnp_session_opts session;
	struct nnp_agg_opts agg;
	const char *model_flag; /* nnp_proc_model's flag, may be NULL */
	uint64_t forget_ns;	/* 0 = 30 s */
	double overhead_budget; /* --overhead-budget PCT (session.budget set), 0: none */
	/* --probe and --spec: attached to every target; then its runtimes are scanned
	 * only with --runtime (runtime: that adapter alone; NULL: every one) */
	struct nnp_probe_def *defs; /* not written to */
	size_t ndefs;
	const char **def_runtimes; /* per def: "probe" or "spec" */
	const char *runtime;
};

struct nnp_monitor_counts {
	uint64_t targets;	  /* attached now (exited ones not yet forgotten excluded) */
	uint64_t attaches;	  /* since open */
	uint64_t attach_failures; /* since open */
};

struct nnp_monitor;

int nnp_monitor_open(const struct nnp_monitor_opts *o, struct nnp_monitor **out);
void nnp_monitor_close(struct nnp_monitor *m);
/* true when targets get the --probe and --spec definitions and no runtime's */
bool nnp_monitor_probes_only(const struct nnp_monitor *m);
/*
 * Attaches runtime rt's probes to pid (with --probe or --spec, those; rt may
 * then be NULL). 0; -EEXIST if already a target; -ENOENT when nothing was
 * found to attach; -errno (counted as a failure).
 */
int nnp_monitor_add(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt);
/* -p PID...: each with the runtime discovery finds in it (with --probe or --spec and
 * no --runtime, with those alone); one error line and -errno for a process that is
 * gone, uses no known runtime or cannot be attached */
int nnp_monitor_add_pids(struct nnp_monitor *m, struct nnp_discover *d, const pid_t *pids,
			 size_t n);
/*
 * The same for a child launched and not yet exec'ed (nnp_launch_prepare): its
 * probes are found in exe and its libraries, not in /proc/PID, and its model
 * label is exe's basename. Release the child afterwards.
 */
int nnp_monitor_add_launched(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt,
			     const char *exe);
/* waits up to timeout_ms for events or exits and handles them; 0 or -errno */
int nnp_monitor_poll(struct nnp_monitor *m, int timeout_ms);
/* under the lock: a report showed the current state; exited targets are forgotten */
void nnp_monitor_reported(struct nnp_monitor *m);

void nnp_monitor_lock(struct nnp_monitor *m);
void nnp_monitor_unlock(struct nnp_monitor *m);
/* under the lock */
const struct nnp_agg *nnp_monitor_agg(const struct nnp_monitor *m);
struct nnp_session *nnp_monitor_session(struct nnp_monitor *m);
/* under the lock: --overhead-budget's estimate and sampling, NULL before its
 * first window ends (or without a budget) */
const struct nnp_rec_overhead *nnp_monitor_overhead(const struct nnp_monitor *m);
/* nnp_proc_labels_fn over the monitor's targets (ctx = the monitor) */
bool nnp_monitor_labels(void *m, uint32_t tgid, struct nnp_proc_labels *out);
struct nnp_monitor_counts nnp_monitor_counts(const struct nnp_monitor *m);
/*
 * Under the lock: fills s->bpf, targets/attaches/failures, cpu_ns and, when
 * s->bpf_stats is set, s->progs (up to max entries of progs). Other fields
 * are the caller's. 0 or -errno.
 */
#define NNP_MONITOR_MAX_PROGS 32
int nnp_monitor_self_stats(struct nnp_monitor *m, struct nnp_self_stats *s,
			   struct nnp_prog_stat *progs, size_t max);

#endif
