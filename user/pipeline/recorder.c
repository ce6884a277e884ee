// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The record loop (recorder.h): attach, collect until the target exits, -d expires or a
 * signal arrives, then print/write what was collected (always). */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>

#include "agg.h"
#include "budget.h"
#include "atomic_file.h"
#include "clock.h"
#include "features.h"
#include "kernel_cfg.h"
#include "launch.h"
#include "libpath.h"
#include "log.h"
#include "planner.h"
#include "proc_follow.h"
#include "procmaps.h"
#include "late_defs.h"
#include "recorder.h"
#include "recording.h"
#include "runtimes.h"
#include "scan.h"
#include "session.h"
#include "stop_signal.h"
#include "trace_writer.h"

struct recorder {
	struct record_opts o;
	struct nnp_agg agg;
	struct nnp_session *sess;
	struct nnp_planner *plan;
	struct nnp_scanner *scan;
	struct nnp_child child;
	struct nnp_kernel_cfg kcfg;
	const struct nnp_runtime *runtime; /* --runtime, or NULL: every adapter */
	bool rescan;			   /* the loader mapped more: scan again */
	bool resume;			   /* then send the stopped child SIGCONT */
	bool launched;
	int pidfd; /* -p target */
	char exe[PATH_MAX];
	uint64_t start_mono, start_real;
	struct nnp_trace *trace;   /* --trace FILE */
	struct nnp_budget *budget; /* --overhead-budget */
	struct nnp_rec_overhead overhead;
	struct nnp_exe_id exe_id;  /* --follow: the executable of -p */
	struct nnp_late_defs late; /* --probe/--spec on libraries a command loads later */
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct recorder *r = ctx;
	const struct nnp_event_hdr *h = data;
	union nnp_event ev;
	bool bad;

	if (size >= sizeof(*h) && h->type == NNP_EV_LIBLOAD) {
		r->rescan = true; /* after this poll: attaching inside the callback would nest */
		r->resume = r->launched;
		return 0;
	}
	bad = nnp_event_decode(data, size, &ev) != 0;
	if (!bad)
		nnp_runtime_event(&r->agg, &ev);
	nnp_agg_apply(&r->agg, bad ? NULL : &ev);
	if (r->budget && !bad && ev.hdr.type == NNP_EV_INFER)
		nnp_budget_infer(r->budget, ev.infer.start_ns, ev.infer.end_ns);
	if (r->trace && !bad)
		nnp_trace_event(r->trace, &r->agg, &ev);
	return 0;
}

static int target_prepare(struct recorder *r)
{
	int err;

	if (r->o.pid) {
		if (!nnp_proc_alive(r->o.pid)) {
			nnp_err("no such process: %d", r->o.pid);
			return -ESRCH;
		}
		r->pidfd = nnp_pidfd_open(r->o.pid);
		err = r->o.follow ? nnp_exe_id_of(r->o.pid, &r->exe_id) : 0;
		if (err)
			nnp_err("--follow: cannot read /proc/%d/exe: %s", r->o.pid, strerror(-err));
		return err;
	}
	err = nnp_path_find_exe(r->o.cmd[0], r->exe, sizeof(r->exe));
	if (err) {
		nnp_err("%s: %s", r->o.cmd[0],
			err == -ENOENT ? "command not found" : strerror(-err));
		return err;
	}
	err = nnp_launch_prepare(r->o.cmd, &r->child);
	if (err) {
		nnp_err("failed to start %s: %s", r->o.cmd[0], strerror(-err));
		return err;
	}
	r->launched = true;
	return 0;
}

static int resolve_runtime(struct recorder *r)
{
	if (!r->o.common.runtime)
		return 0;
	r->runtime = nnp_runtime_by_name(r->o.common.runtime);
	if (r->runtime)
		return 0;
	nnp_err("--runtime: unknown runtime '%s' (known: %s)", r->o.common.runtime,
		nnp_runtime_names());
	return -EINVAL;
}

/* the target's files not seen yet, offered to the runtime adapters */
static int scan(struct recorder *r)
{
	int n = nnp_scanner_scan(r->scan, r->runtime, r->o.usdt_auto);

	r->rescan = false;
	r->agg.infer_by_period = nnp_scanner_infer_by_period(r->scan);
	if (n < 0) {
		nnp_err("failed to attach runtime probes: %s", strerror(-n));
		return n;
	}
	return 0;
}

static int nothing_found(struct recorder *r)
{
	const struct nnp_probe_def *late = nnp_late_defs_first(&r->late, &r->o.common);
	size_t bad = r->scan ? nnp_scanner_bad_files(r->scan) : 0;

	if (late)
		nnp_err("nothing to measure in %s: library '%s' not found: not among its "
			"dependencies, and never loaded (%s%s)",
			r->o.cmd[0], late->lib, late->origin,
			r->late.npending > 1 ? ", and other probes' libraries" : "");
	else if (bad)
		nnp_err("nothing to measure in %s: %zu runtime file%s it maps could not be read "
			"(warned about above) and no --probe or --spec",
			r->launched ? r->o.cmd[0] : "the process", bad, bad == 1 ? "" : "s");
	else if (r->runtime)
		nnp_err("runtime %s not found in %s", r->runtime->name,
			r->launched ? r->o.cmd[0] : "the process");
	else
		nnp_err("nothing to measure in %s: no known runtime (looked for %s) and no --probe "
			"or --spec",
			r->launched ? r->o.cmd[0] : "the process", nnp_runtime_lookfor());
	return -ENOENT;
}

/* the runtimes are looked for unless --probe or --spec is given without --runtime */
static bool scan_runtimes(const struct recorder *r)
{
	return r->runtime || !r->o.common.ndefs;
}

/* the loader mapped more: the runtimes and the waiting --probe/--spec again */
static int rescan(struct recorder *r)
{
	int err = scan_runtimes(r) ? scan(r) : 0;

	r->rescan = false;
	if (!err && r->late.npending)
		err = nnp_late_defs_retry(&r->late, r->plan, &r->o.common);
	return err;
}

static int attach_target(struct recorder *r)
{
	struct nnp_target t = { .pid = r->launched ? r->child.pid : r->o.pid,
				.exe = r->launched ? r->exe : NULL };
	int err;

	err = nnp_planner_new(r->sess, &r->agg, &t, &r->plan);
	if (!err)
		err = nnp_scanner_new(r->plan, &r->scan);
	if (!err) /* the set's uprobes as few links as possible */
		err = nnp_late_defs_attach(&r->late, r->plan, &r->o.common, r->launched);
	if (!err && scan_runtimes(r))
		err = scan(r);
	if (!err && (scan_runtimes(r) || r->late.npending))
		err = nnp_scanner_watch_loader(r->scan, r->launched);
	if (err)
		return err;
	/* a launched command may load its runtime later (dlopen): judged at the end */
	if (!r->launched && !nnp_planner_sites(r->plan))
		return nothing_found(r);
	nnp_info("%zu probe sites attached", nnp_planner_sites(r->plan));
	return 0;
}

static int attach_all(struct recorder *r)
{
	struct nnp_session_opts so = {
		.ringbuf_bytes = r->o.common.ringbuf_bytes,
		.max_specs = r->o.max_sites,
		.sample = r->o.common.sample,
		.budget = r->o.common.overhead_budget > 0,
	};
	int err;

	nnp_kernel_cfg_session(&r->kcfg, &so);
	err = nnp_session_open(&so, on_event, r, &r->sess);
	/* libbpf parsed the whole kernel BTF (~12 MiB) for CO-RE and freed it: give it back */
	malloc_trim(0);
	return err ? err : attach_target(r);
}

/* the exited target's links go first: destroying a USDT link after another
 * process of the same file was attached clears that process's semaphores */
static void detach_exited(struct recorder *r)
{
	struct nnp_link *old = NULL;
	size_t n = 0;

	nnp_session_take_links(r->sess, 0, &old, &n);
	nnp_links_destroy(old, n);
	free(old);
	nnp_scanner_free(r->scan);
	r->scan = NULL;
	nnp_planner_free(r->plan);
	r->plan = NULL;
}

/*
 * --follow: the target exited. Detaches it, waits (still reading events) for
 * another process of the same executable and attaches to it. 0 when
 * following a new process; -ESRCH at the deadline or on a signal.
 */
static int follow_next(struct recorder *r, uint64_t deadline)
{
	pid_t next = 0;
	int err;

	nnp_info("process %d exited: waiting for its executable to run again", r->o.pid);
	nnp_session_drain(r->sess);
	detach_exited(r);
	while (!nnp_stop_signal && !next && (!deadline || nnp_clock_ns(CLOCK_MONOTONIC) < deadline))
		if (nnp_session_poll(r->sess, 100) >= 0)
			next = nnp_exe_find(&r->exe_id, r->o.pid);
	if (!next)
		return -ESRCH;
	if (r->pidfd >= 0)
		close(r->pidfd);
	r->o.pid = next;
	r->pidfd = nnp_pidfd_open(next);
	err = attach_target(r);
	if (!err)
		nnp_info("following process %d", next);
	return err;
}

static bool target_exited(struct recorder *r)
{
	struct pollfd pfd = { .fd = r->launched ? r->child.pidfd : r->pidfd, .events = POLLIN };

	if (r->launched)
		return nnp_launch_poll_exit(&r->child) == 1;
	if (pfd.fd >= 0)
		return poll(&pfd, 1, 0) == 1;
	return !nnp_proc_alive(r->o.pid);
}

/* the budget's next switch may come before the usual 100 ms */
static int poll_ms(const struct recorder *r)
{
	int ms = r->budget ? nnp_budget_next_ms(r->budget, nnp_mono_ns()) : 100;

	return ms < 100 ? ms : 100;
}

static int collect(struct recorder *r)
{
	uint64_t deadline = 0;
	int n;

	if (r->o.duration_s > 0)
		deadline = r->start_mono + (uint64_t)(r->o.duration_s * 1e9);
	while (!nnp_stop_signal) {
		n = nnp_session_poll(r->sess, poll_ms(r));
		if (n < 0) {
			nnp_err("failed to read events: %s", strerror(-n));
			return n;
		}
		if (r->rescan && rescan(r))
			return -EIO;
		if (r->resume) {
			/* stopped by the loader watch (launched targets only) */
			kill(r->child.pid, SIGCONT);
			r->resume = false;
		}
		if (r->budget && nnp_budget_tick(r->budget, nnp_mono_ns()) == -ENOMEM)
			return -ENOMEM;
		if (deadline && nnp_clock_ns(CLOCK_MONOTONIC) >= deadline)
			break;
		if (target_exited(r) && !(r->o.follow && !follow_next(r, deadline)))
			break;
	}
	nnp_session_drain(r->sess);
	if (r->budget)
		nnp_budget_finish(r->budget, nnp_mono_ns(), &r->overhead);
	if (nnp_stop_signal)
		nnp_info("stopped by signal %d", (int)nnp_stop_signal);
	return 0;
}

static void fill_meta(struct recorder *r, struct nnp_rec_meta *m, char *cmdline, size_t len,
		      struct utsname *u)
{
	uint64_t st[NNP_STAT_NR] = { 0 };
	size_t off = 0;

	nnp_session_stats(r->sess, st);
	cmdline[0] = 0;
	for (char **a = r->o.cmd; a && *a && off < len; a++)
		off += snprintf(cmdline + off, len - off, "%s%s", off ? " " : "", *a);
	uname(u);
	*m = (struct nnp_rec_meta){
		.command = r->o.cmd ? cmdline : NULL,
		.target_pid = r->launched ? r->child.pid : r->o.pid,
		.start_realtime_ns = r->start_real,
		.duration_ns = nnp_clock_ns(CLOCK_MONOTONIC) - r->start_mono,
		.hostname = u->nodename,
		.kernel = u->release,
		.lost_events = st[NNP_STAT_LOST],
		.unmatched = st[NNP_STAT_UNMATCHED],
		.fetch_errors = st[NNP_STAT_FETCH_ERR],
		.missed_switches = st[NNP_STAT_MISSED_SWITCH],
		.probe_hits = st[NNP_STAT_HITS],
		.ringbuf_bytes = nnp_session_ringbuf_bytes(r->sess),
		.exit_status = r->launched ? nnp_launch_exit_code(&r->child) : -1,
		.kernel_info = &r->kcfg.info,
		.group_by = r->o.group_by,
		.overhead = r->budget ? &r->overhead : NULL,
	};
}

struct rec_out {
	const struct nnp_agg *a;
	const struct nnp_rec_meta *m;
};

static int write_rec(FILE *f, const void *ctx)
{
	const struct rec_out *o = ctx;

	return nnp_recording_write_json(f, o->a, o->m);
}

static int report(struct recorder *r)
{
	struct nnp_rec_meta m;
	struct utsname u;
	char cmdline[1024];
	int err = 0;

	for (struct nnp_proc_stats *p = r->agg.procs; p; p = p->hh.next)
		if (!nnp_proc_alive(p->tgid))
			nnp_agg_proc_exited(&r->agg, p->tgid);
	nnp_agg_period_flush(&r->agg, 0);
	fill_meta(r, &m, cmdline, sizeof(cmdline), &u);
	if (r->o.output) {
		err = nnp_write_file_atomic(r->o.output, write_rec,
					    &(struct rec_out){ .a = &r->agg, .m = &m });
		if (err)
			nnp_err("failed to write %s: %s", r->o.output, strerror(-err));
	}
	if (r->o.quiet)
		;
	else if (r->o.format == NNP_OUT_JSON)
		nnp_recording_write_json(stdout, &r->agg, &m);
	else
		nnp_recording_write_table(stdout, &r->agg, &m);
	fflush(stdout);
	if (m.lost_events)
		nnp_warn("%llu events lost: the ring buffer was full (raise --ringbuf-size)",
			 (unsigned long long)m.lost_events);
	if (m.missed_switches)
		nnp_info("per-thread counters resynchronised %llu times: the kernel ran a "
			 "measured thread with no sched_switch event showing it "
			 "(docs/reliability.md)",
			 (unsigned long long)m.missed_switches);
	return err;
}

static int close_trace(struct recorder *r)
{
	int err = r->trace ? nnp_trace_close(r->trace) : 0;

	r->trace = NULL;
	if (err)
		nnp_err("failed to write %s: %s", r->o.trace, strerror(-err));
	return err;
}

static int run(struct recorder *r)
{
	int err = resolve_runtime(r), trace_err;

	/* before attaching: a signal during a slow attach still ends in a written recording */
	nnp_stop_signal_install();
	if (!err)
		err = nnp_kernel_cfg_init(&r->kcfg, r->o.common.counters);
	if (!err)
		err = target_prepare(r);
	if (!err)
		err = attach_all(r);
	if (!err && r->o.trace && (err = nnp_trace_open(r->o.trace, &r->trace)))
		nnp_err("failed to open %s: %s", r->o.trace, strerror(-err));
	if (r->trace)
		nnp_trace_set_offcpu(r->trace, r->kcfg.feat.sched != NNP_SCHED_NONE);
	if (err)
		return err;
	r->start_mono = nnp_clock_ns(CLOCK_MONOTONIC);
	r->start_real = nnp_clock_ns(CLOCK_REALTIME);
	if (r->launched) {
		err = nnp_launch_release(&r->child);
		if (err) {
			nnp_err("failed to run %s: %s", r->o.cmd[0], strerror(-err));
			return err;
		}
		nnp_scanner_execd(r->scan);
	}
	if (r->o.common.overhead_budget > 0 &&
	    (err = nnp_budget_new(r->sess, &r->agg, r->o.common.overhead_budget, r->start_mono,
				  NULL, NULL, &r->budget)))
		return err;
	err = collect(r);
	if (r->launched && nnp_planner_sites(r->plan)) /* else nothing_found says it */
		nnp_late_defs_warn(&r->late, &r->o.common, r->o.cmd[0]);
	if (!err && !nnp_planner_sites(r->plan))
		err = nothing_found(r);
	if (r->launched && nnp_stop_signal)
		nnp_launch_stop(&r->child, 2000);
	else if (r->launched && !target_exited(r))
		nnp_launch_stop(&r->child, 2000);
	if (!err)
		err = report(r);
	trace_err = close_trace(r);
	return err ? err : trace_err;
}

static void cleanup(struct recorder *r)
{
	nnp_budget_free(r->budget);
	nnp_scanner_free(r->scan);
	nnp_planner_free(r->plan);
	nnp_late_defs_free(&r->late);
	nnp_session_close(r->sess);
	if (r->launched) {
		nnp_launch_stop(&r->child, 0);
		nnp_launch_close(&r->child);
	}
	if (r->pidfd >= 0)
		close(r->pidfd);
	close_trace(r);
	nnp_agg_free(&r->agg);
	nnp_kernel_cfg_free(&r->kcfg);
}

bool nnp_record_interrupted(void)
{
	return nnp_stop_signal != 0;
}

int nnp_record_run(const struct record_opts *o)
{
	struct recorder r = { .pidfd = -1, .o = *o };
	struct nnp_agg_opts ao = { .sample = o->common.sample, .node_names = o->node_names };
	int err;

	err = nnp_features_require_record();
	if (!err)
		err = nnp_sys_prepare();
	if (!err)
		err = nnp_agg_init(&r.agg, &ao);
	if (!err)
		err = run(&r);
	cleanup(&r);
	return err;
}
