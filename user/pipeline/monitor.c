// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <uthash.h>

#include "budget.h"
#include "clock.h"
#include "late_defs.h"
#include "launch.h"
#include "log.h"
#include "monitor.h"
#include "planner.h"
#include "procmaps.h"
#include "runtimes.h"
#include "scan.h"

#define DEFAULT_FORGET_NS (30ull * 1000000000ull)

struct target {
	pid_t pid;
	int pidfd; /* -1: pidfd_open is missing, exits are found with kill(pid, 0) */
	const struct nnp_runtime *rt;
	char model[128];
	struct nnp_planner *plan; /* kept: libraries loaded later are scanned with it */
	struct nnp_scanner *scan;
	struct nnp_link *links;
	size_t nlinks;
	struct nnp_late_defs late; /* --probe/--spec on libraries a command loads later */
	bool rescan;		   /* its dynamic loader mapped more */
	bool launched;		   /* ours: stopped at each dlopen until rescanned */
	char cmd[PATH_MAX];	   /* launched: the command, for messages */
	bool exited;
	uint64_t exit_ns;     /* CLOCK_MONOTONIC */
	uint64_t exit_report; /* reports made before it exited */
	UT_hash_handle hh;
};

struct nnp_monitor {
	struct nnp_monitor_opts o;
	pthread_mutex_t mu;
	struct nnp_session *s;
	struct nnp_agg agg;
	struct target *targets; /* uthash by pid */
	uint64_t reports;
	struct nnp_monitor_counts c;
	struct pollfd *pfds;
	struct target **pfd_target; /* target of pfds[i], NULL for the ring buffer */
	size_t cap;
	const struct nnp_runtime *only; /* --runtime */
	struct nnp_common_opts defs;	/* --probe and --spec (defs, ndefs, def_runtimes) */
	struct nnp_budget *budget;	/* --overhead-budget */
	struct nnp_rec_overhead ov;
	bool have_ov;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct nnp_monitor *m = ctx;
	const struct nnp_event_hdr *h = data;
	union nnp_event ev;
	struct target *t;
	bool bad;
	pid_t pid;

	if (size >= sizeof(*h) && h->type == NNP_EV_LIBLOAD) {
		pid = (pid_t)h->tgid;
		HASH_FIND(hh, m->targets, &pid, sizeof(pid), t);
		if (t)
			t->rescan = true; /* after the drain: attaching here would nest */
		return 0;
	}
	bad = nnp_event_decode(data, size, &ev) != 0;
	if (!bad)
		nnp_runtime_event(&m->agg, &ev);
	nnp_agg_apply(&m->agg, bad ? NULL : &ev);
	if (m->budget && !bad && ev.hdr.type == NNP_EV_INFER)
		nnp_budget_infer(m->budget, ev.infer.start_ns, ev.infer.end_ns);
	return 0;
}

/* the budget's switch: the links of every target and the session's */
static int toggle_all(void *ctx, const uint32_t *ids, size_t n, enum nnp_link_part part, bool on)
{
	struct nnp_monitor *m = ctx;
	int err = nnp_session_toggle(m->s, ids, n, part, on), e;
	struct target *t, *tmp;

	HASH_ITER(hh, m->targets, t, tmp) {
		e = nnp_links_toggle(m->s, t->links, t->nlinks, ids, n, part, on);
		err = err ? err : e;
	}
	return err;
}

int nnp_monitor_open(const struct nnp_monitor_opts *o, struct nnp_monitor **out)
{
	struct nnp_monitor *m = calloc(1, sizeof(*m));
	int err;

	if (!m)
		return -ENOMEM;
	m->o = *o;
	m->only = o->runtime ? nnp_runtime_by_name(o->runtime) : NULL;
	m->defs = (struct nnp_common_opts){ .defs = o->defs,
					    .ndefs = o->ndefs,
					    .def_runtimes = o->def_runtimes };
	if (!m->o.forget_ns)
		m->o.forget_ns = DEFAULT_FORGET_NS;
	pthread_mutex_init(&m->mu, NULL);
	err = nnp_agg_init(&m->agg, &o->agg);
	if (!err)
		err = nnp_session_open(&o->session, on_event, m, &m->s);
	if (!err && o->overhead_budget > 0)
		err = nnp_budget_new(m->s, &m->agg, o->overhead_budget, nnp_mono_ns(), toggle_all,
				     m, &m->budget);
	/* libbpf parsed the whole kernel BTF (~12 MiB) for CO-RE and freed it: give it back */
	malloc_trim(0);
	if (err) {
		nnp_monitor_close(m);
		return err;
	}
	*out = m;
	return 0;
}

bool nnp_monitor_probes_only(const struct nnp_monitor *m)
{
	return m->o.ndefs && !m->o.runtime;
}

/* the runtime label of target t: what its scan found, its adapter's, or "probe"/"spec" */
static const char *target_runtime(const struct nnp_monitor *m, const struct target *t)
{
	if (t->scan && nnp_scanner_runtime(t->scan))
		return nnp_scanner_runtime(t->scan);
	return t->rt ? t->rt->name : m->o.ndefs ? m->o.def_runtimes[0] : "none";
}

static void detach(struct target *t)
{
	nnp_late_defs_free(&t->late);
	nnp_links_destroy(t->links, t->nlinks);
	nnp_scanner_free(t->scan);
	t->scan = NULL;
	nnp_planner_free(t->plan);
	t->plan = NULL;
	free(t->links);
	t->links = NULL;
	t->nlinks = 0;
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}

static void forget(struct nnp_monitor *m, struct target *t)
{
	detach(t);
	nnp_agg_proc_remove(&m->agg, (uint32_t)t->pid);
	HASH_DEL(m->targets, t);
	free(t);
}

void nnp_monitor_close(struct nnp_monitor *m)
{
	struct target *t, *tmp;

	if (!m)
		return;
	HASH_ITER(hh, m->targets, t, tmp)
		forget(m, t);
	nnp_budget_free(m->budget);
	nnp_session_close(m->s);
	nnp_agg_free(&m->agg);
	pthread_mutex_destroy(&m->mu);
	free(m->pfds);
	free(m->pfd_target);
	free(m);
}

void nnp_monitor_lock(struct nnp_monitor *m)
{
	pthread_mutex_lock(&m->mu);
}

void nnp_monitor_unlock(struct nnp_monitor *m)
{
	pthread_mutex_unlock(&m->mu);
}

const struct nnp_agg *nnp_monitor_agg(const struct nnp_monitor *m)
{
	return &m->agg;
}

struct nnp_session *nnp_monitor_session(struct nnp_monitor *m)
{
	return m->s;
}

struct nnp_monitor_counts nnp_monitor_counts(const struct nnp_monitor *m)
{
	return m->c;
}

bool nnp_monitor_labels(void *ctx, uint32_t tgid, struct nnp_proc_labels *out)
{
	struct nnp_monitor *m = ctx;
	pid_t pid = (pid_t)tgid;
	struct target *t;

	HASH_FIND(hh, m->targets, &pid, sizeof(pid), t);
	if (!t)
		return false;
	out->runtime = target_runtime(m, t);
	out->model = t->model;
	return true;
}

/* the links made since FIRST become the target's own */
static int keep_links(struct nnp_monitor *m, struct target *t, size_t first)
{
	struct nnp_link *more, *all;
	size_t n;
	int err = nnp_session_take_links(m->s, first, &more, &n);

	if (err || !n)
		return err;
	all = realloc(t->links, (t->nlinks + n) * sizeof(*all));
	if (!all) {
		nnp_links_destroy(more, n);
		free(more);
		return -ENOMEM;
	}
	memcpy(all + t->nlinks, more, n * sizeof(*all));
	t->links = all;
	t->nlinks += n;
	free(more);
	return 0;
}

/* every runtime found in the target, and a watch on its dynamic loader;
 * exe: a launched target that has not exec'd yet */
static int attach(struct nnp_monitor *m, struct target *t, const char *exe)
{
	struct nnp_target nt = { .pid = t->pid, .exe = exe };
	size_t first = nnp_session_links(m->s);
	int n, err;

	err = nnp_planner_new(m->s, &m->agg, &nt, &t->plan);
	if (!err)
		err = nnp_scanner_new(t->plan, &t->scan);
	if (!err) /* --probe and --spec, one deferred set; a command's may wait for dlopen */
		err = nnp_late_defs_attach(&t->late, t->plan, &m->defs, exe != NULL);
	if (err)
		return keep_links(m, t, first) ? -ENOMEM : err;
	n = nnp_monitor_probes_only(m) ? 0 : nnp_scanner_scan(t->scan, m->only, true);
	m->agg.infer_by_period |= nnp_scanner_infer_by_period(t->scan);
	t->launched = exe != NULL;
	if (exe)
		snprintf(t->cmd, sizeof(t->cmd), "%s", exe);
	err = (!nnp_monitor_probes_only(m) && (n > 0 || exe)) || t->late.npending
		  ? nnp_scanner_watch_loader(t->scan, t->launched)
		  : 0;
	err = keep_links(m, t, first) ? -ENOMEM : err;
	if (err)
		return err;
	/* a launched command may load its runtime later: the loader watch is on */
	if (n < 0)
		return n;
	return !nnp_planner_sites(t->plan) && !exe ? -ENOENT : 0;
}

/* libraries the loader mapped since the last look */
static void rescan(struct nnp_monitor *m)
{
	struct target *t, *tmp;

	HASH_ITER(hh, m->targets, t, tmp) {
		size_t first = nnp_session_links(m->s);

		if (!t->rescan || t->exited || !t->scan)
			continue;
		t->rescan = false;
		nnp_scanner_execd(t->scan); /* its loader runs: it has exec'd */
		if (!nnp_monitor_probes_only(m) && nnp_scanner_scan(t->scan, m->only, true) < 0)
			m->c.attach_failures++;
		if (t->late.npending && nnp_late_defs_retry(&t->late, t->plan, &m->defs))
			m->c.attach_failures++;
		m->agg.infer_by_period |= nnp_scanner_infer_by_period(t->scan);
		if (keep_links(m, t, first))
			m->c.attach_failures++;
		if (t->launched)
			kill(t->pid, SIGCONT); /* stopped by the loader watch */
	}
}

static int add_locked(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt,
		      const char *exe)
{
	struct target *t;
	int err;

	HASH_FIND(hh, m->targets, &pid, sizeof(pid), t);
	if (t && !t->exited)
		return -EEXIST;
	if (t)
		forget(m, t); /* the pid was reused before its old stats were reported */
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->pid = pid;
	t->rt = rt;
	t->pidfd = nnp_pidfd_open(pid);
	err = t->pidfd == -ESRCH ? -ESRCH : 0;
	if (t->pidfd < 0)
		t->pidfd = -1;
	if (!err && exe)
		snprintf(t->model, sizeof(t->model), "%s",
			 strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe);
	else if (!err && nnp_proc_model(pid, m->o.model_flag, t->model, sizeof(t->model)))
		snprintf(t->model, sizeof(t->model), "unknown");
	if (!err)
		err = attach(m, t, exe);
	if (err) {
		detach(t);
		free(t);
		return err;
	}
	HASH_ADD(hh, m->targets, pid, sizeof(t->pid), t);
	return 0;
}

static int add(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt, const char *exe)
{
	struct target *t;
	int err;

	nnp_monitor_lock(m);
	err = add_locked(m, pid, rt, exe);
	if (!err) {
		m->c.attaches++;
		m->c.targets++;
		/* the runtime attached, which --runtime may make other than the one found */
		HASH_FIND(hh, m->targets, &pid, sizeof(pid), t);
		nnp_info("attached to process %d (%s)", (int)pid, target_runtime(m, t));
	} else if (err != -EEXIST && err != -ENOENT) {
		m->c.attach_failures++;
	}
	nnp_monitor_unlock(m);
	return err;
}

int nnp_monitor_add(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt)
{
	return add(m, pid, rt, NULL);
}

int nnp_monitor_add_launched(struct nnp_monitor *m, pid_t pid, const struct nnp_runtime *rt,
			     const char *exe)
{
	return add(m, pid, rt, exe);
}

/* its links go first, so that the drain that follows sees its last events */
static void target_exited(struct nnp_monitor *m, struct target *t)
{
	/* as record says it: a --probe library the command never loaded */
	if (t->launched)
		nnp_late_defs_warn(&t->late, &m->defs, t->cmd);
	detach(t);
	nnp_session_drain(m->s);
	nnp_agg_period_flush(&m->agg, (uint32_t)t->pid);
	nnp_agg_proc_exited(&m->agg, (uint32_t)t->pid);
	t->exited = true;
	t->exit_ns = nnp_mono_ns();
	t->exit_report = m->reports;
	m->c.targets--;
	nnp_info("process %d exited", (int)t->pid);
}

static void collect_garbage(struct nnp_monitor *m)
{
	uint64_t now = nnp_mono_ns();
	struct target *t, *tmp;

	HASH_ITER(hh, m->targets, t, tmp) {
		if (t->exited &&
		    (m->reports > t->exit_report || now - t->exit_ns >= m->o.forget_ns))
			forget(m, t);
	}
}

static int build_pollfds(struct nnp_monitor *m, size_t *n)
{
	size_t need = HASH_COUNT(m->targets) + 1, i = 1;
	struct target *t, *tmp;

	if (need > m->cap) {
		struct pollfd *p = realloc(m->pfds, need * sizeof(*p));
		struct target **pt;

		if (!p)
			return -ENOMEM;
		m->pfds = p;
		pt = realloc(m->pfd_target, need * sizeof(*pt));
		if (!pt)
			return -ENOMEM;
		m->pfd_target = pt;
		m->cap = need;
	}
	m->pfds[0] = (struct pollfd){ .fd = nnp_session_fd(m->s), .events = POLLIN };
	m->pfd_target[0] = NULL;
	HASH_ITER(hh, m->targets, t, tmp) {
		if (t->exited || t->pidfd < 0)
			continue;
		m->pfds[i] = (struct pollfd){ .fd = t->pidfd, .events = POLLIN };
		m->pfd_target[i++] = t;
	}
	*n = i;
	return 0;
}

static void check_exits(struct nnp_monitor *m, size_t n)
{
	struct target *t, *tmp;

	for (size_t i = 1; i < n; i++)
		if (m->pfds[i].revents)
			target_exited(m, m->pfd_target[i]);
	HASH_ITER(hh, m->targets, t, tmp) {
		if (!t->exited && t->pidfd < 0 && !nnp_proc_alive(t->pid))
			target_exited(m, t);
	}
}

int nnp_monitor_poll(struct nnp_monitor *m, int timeout_ms)
{
	size_t n;
	int err = build_pollfds(m, &n), r;

	if (err)
		return err;
	if (m->budget && nnp_budget_next_ms(m->budget, nnp_mono_ns()) < timeout_ms)
		timeout_ms = nnp_budget_next_ms(m->budget, nnp_mono_ns());
	r = poll(m->pfds, n, timeout_ms);
	if (r < 0 && errno != EINTR)
		return -errno;
	nnp_monitor_lock(m);
	r = nnp_session_drain(m->s);
	if (r >= 0) {
		rescan(m);
		check_exits(m, n);
		collect_garbage(m);
	}
	if (r >= 0 && m->budget && nnp_budget_tick(m->budget, nnp_mono_ns()) == -ENOMEM)
		r = -ENOMEM;
	if (m->budget && nnp_budget_publish(m->budget, &m->ov))
		m->have_ov = true;
	nnp_monitor_unlock(m);
	return r < 0 ? r : 0;
}

const struct nnp_rec_overhead *nnp_monitor_overhead(const struct nnp_monitor *m)
{
	return m->have_ov ? &m->ov : NULL;
}

void nnp_monitor_reported(struct nnp_monitor *m)
{
	m->reports++;
	collect_garbage(m);
}
