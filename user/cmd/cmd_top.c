// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf top: a live view of inference processes (all of them, -p PID, or a
 * command it launches). A monitor thread attaches and reads events; the main
 * thread refreshes the model every -d seconds and draws it (ncurses), or
 * prints it as text in batch mode (-b), and handles keys in between.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/resource.h>

#include "clock.h"
#include "cmds.h"
#include "discover.h"
#include "features.h"
#include "kernel_cfg.h"
#include "launch.h"
#include "libpath.h"
#include "log.h"
#include "monitor.h"
#include "procmaps.h"
#include "runtimes.h"
#include "stop_signal.h"
#include "top_opts.h"
#include "tui_screen.h"

#define SCAN_MIN_NS 1000000000ull /* discovery at most once a second */
#define BATCH_WIDTH 100

struct top {
	struct top_opts o;
	struct nnp_monitor *m;
	struct nnp_discover *disc;
	struct nnp_kernel_cfg kcfg;
	bool kcfg_ok;
	struct nnp_child child;
	bool launched, child_done;
	char exe[PATH_MAX];
	pthread_t thread;
	bool thread_started;
	atomic_bool stop;
	atomic_int thread_err;
	struct tui_model model;
	struct tui_screen screen;
	struct tui_header hdr;
	char target[PATH_MAX + 32];
	uint64_t last_ns, last_cpu_ns;
	SCREEN *term;
	long refreshes;
};

static int on_found(void *ctx, pid_t pid, const struct nnp_runtime *rt)
{
	struct top *t = ctx;
	int err = nnp_monitor_add(t->m, pid, rt);

	return err == -EEXIST ? 0 : err;
}

/* the only thread that drives the monitor (see monitor.h) */
static void *monitor_thread(void *arg)
{
	uint64_t period = (uint64_t)(((struct top *)arg)->o.delay_s * 1e9), next = 0;
	struct top *t = arg;
	int err = 0;

	if (period < SCAN_MIN_NS)
		period = SCAN_MIN_NS;
	while (!atomic_load(&t->stop) && !err) {
		uint64_t now = nnp_mono_ns();

		if (t->o.all && now >= next) {
			next = now + period;
			err = nnp_discover_scan(t->disc, on_found, t);
		}
		if (!err)
			err = nnp_monitor_poll(t->m, 100);
	}
	atomic_store(&t->thread_err, err);
	return NULL;
}

static int start_thread(struct top *t)
{
	sigset_t all, old;
	int err;

	/* signals (SIGINT, SIGWINCH) go to the main thread, whose poll they interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = -pthread_create(&t->thread, NULL, monitor_thread, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->thread_started = !err;
	if (err)
		nnp_err("failed to start the monitor thread: %s", strerror(-err));
	return err;
}

/* interactive: the command must not write over the screen nor read the keys */
static int launch_quiet(struct top *t)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), saved[3] = { -1, -1, -1 }, err;

	if (null < 0)
		return -errno;
	for (int fd = 0; fd < 3; fd++) {
		saved[fd] = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (saved[fd] >= 0)
			dup2(null, fd);
	}
	err = nnp_launch_prepare(t->o.cmd, &t->child);
	for (int fd = 0; fd < 3; fd++) {
		if (saved[fd] >= 0) {
			dup2(saved[fd], fd);
			close(saved[fd]);
		}
	}
	close(null);
	return err;
}

static int launch(struct top *t)
{
	int err = nnp_path_find_exe(t->o.cmd[0], t->exe, sizeof(t->exe));

	if (err) {
		nnp_err("%s: %s", t->o.cmd[0],
			err == -ENOENT ? "command not found" : strerror(-err));
		return err;
	}
	err = t->o.batch ? nnp_launch_prepare(t->o.cmd, &t->child) : launch_quiet(t);
	if (err) {
		nnp_err("failed to start %s: %s", t->o.cmd[0], strerror(-err));
		return err;
	}
	t->launched = true;
	err = nnp_monitor_add_launched(
	    t->m, t->child.pid, nnp_monitor_probes_only(t->m) ? NULL : nnp_runtimes[0], t->exe);
	if (err)
		nnp_err("failed to attach to %s: %s", t->exe, strerror(-err));
	if (!err) {
		err = nnp_launch_release(&t->child);
		if (err)
			nnp_err("failed to start %s: %s", t->o.cmd[0], strerror(-err));
	}
	return err;
}

/* new numbers: the model's window ends now; nnperf's CPU over the same window */
static int update(struct top *t)
{
	uint64_t st[NNP_STAT_NR] = { 0 }, now = nnp_mono_ns(),
		 cpu = nnp_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	int err;

	nnp_monitor_lock(t->m);
	err = tui_model_update(&t->model, nnp_monitor_agg(t->m), nnp_monitor_labels, t->m, now);
	nnp_session_stats(nnp_monitor_session(t->m), st);
	t->hdr.has_ov = nnp_monitor_overhead(t->m) != NULL;
	if (t->hdr.has_ov)
		t->hdr.ov = *nnp_monitor_overhead(t->m);
	nnp_monitor_unlock(t->m);
	if (err) {
		nnp_err("failed to update the view: %s", strerror(-err));
		return err;
	}
	t->hdr.totals = t->model.totals;
	t->hdr.lost = st[NNP_STAT_LOST];
	t->hdr.self_cpu =
	    now > t->last_ns ? (double)(cpu - t->last_cpu_ns) / (double)(now - t->last_ns) : 0;
	t->last_ns = now;
	t->last_cpu_ns = cpu;
	t->refreshes++;
	return tui_screen_update(&t->screen, &t->model);
}

/* the terminal's width, else $COLUMNS (as procps top and ls take it), else 100 */
static int batch_width(void)
{
	const char *env = getenv("COLUMNS");
	struct winsize ws;
	char *end;
	long cols;

	if (isatty(STDOUT_FILENO) && !ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	if (env && *env) {
		errno = 0;
		cols = strtol(env, &end, 10);
		if (!errno && !*end && cols >= 40)
			return cols < TUI_LINE_LEN - 1 ? (int)cols : TUI_LINE_LEN - 1;
	}
	return BATCH_WIDTH;
}

static void show(struct top *t)
{
	t->hdr.paused = t->screen.paused;
	t->hdr.group_by = t->screen.group_by;
	if (t->term)
		tui_screen_draw(&t->screen, &t->hdr);
	else
		tui_screen_print(&t->screen, &t->model, &t->hdr, stdout, batch_width());
}

static void read_keys(struct top *t)
{
	bool redraw = false;
	int key;

	while ((key = getch()) != ERR)
		redraw |= tui_screen_key(&t->screen, &t->model, key);
	if (redraw && !t->screen.quit)
		show(t);
}

/* waits for a key (interactive) or the next refresh */
static void wait_until(struct top *t, uint64_t deadline)
{
	uint64_t now = nnp_mono_ns();
	int ms = deadline > now ? (int)((deadline - now + 999999) / 1000000) : 0;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

	if (!t->term) {
		poll(NULL, 0, ms);
		return;
	}
	/* EINTR too: SIGWINCH makes getch() return KEY_RESIZE */
	if (poll(&pfd, 1, ms) != 0)
		read_keys(t);
}

/* a launched command that exited: said at the bottom; batch mode stops */
static bool command_done(struct top *t)
{
	if (!t->launched || t->child_done || nnp_launch_poll_exit(&t->child) != 1)
		return false;
	t->child_done = true;
	snprintf(t->screen.status, sizeof(t->screen.status), "%s exited with status %d; q quits",
		 t->o.cmd[0], nnp_launch_exit_code(&t->child));
	return true;
}

static int loop(struct top *t)
{
	uint64_t period = (uint64_t)(t->o.delay_s * 1e9), next = nnp_mono_ns() + period;
	int err = 0;

	if (t->term)
		show(t);
	while (!nnp_stop_signal && !t->screen.quit && !err) {
		bool done = command_done(t) && t->o.batch;

		err = atomic_load(&t->thread_err);
		if (err) {
			nnp_err("failed to read events: %s", strerror(-err));
			break;
		}
		if (nnp_mono_ns() >= next || done) {
			next = nnp_mono_ns() + period;
			if (!t->screen.paused)
				err = update(t);
			if (!err)
				show(t);
			if (done || (t->o.iterations && t->refreshes >= t->o.iterations))
				break;
		}
		wait_until(t, next);
	}
	return err;
}

static int curses_start(struct top *t)
{
	setlocale(LC_ALL, "");
	t->term = newterm(NULL, stdout, stdin);
	if (!t->term) {
		nnp_err("cannot drive terminal type '%s': use -b for text output", getenv("TERM"));
		return -ENOTTY;
	}
	set_term(t->term);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	return 0;
}

static void describe_target(struct top *t)
{
	size_t off = 0;

	if (t->o.all)
		snprintf(t->target, sizeof(t->target), "all inference processes");
	else if (t->o.cmd)
		snprintf(t->target, sizeof(t->target), "command %s", t->o.cmd[0]);
	for (size_t i = 0; i < t->o.common.npids && off < sizeof(t->target); i++)
		off += (size_t)snprintf(t->target + off, sizeof(t->target) - off, "%s%d",
					i ? "," : "pid ", (int)t->o.common.pids[i]);
	t->hdr = (struct tui_header){ .target = t->target,
				      .refresh_s = t->o.delay_s,
				      .sample = t->o.common.sample,
				      .ki = &t->kcfg.info };
}

static int setup(struct top *t)
{
	struct nnp_monitor_opts mo = {
		.session = { .sample = t->o.common.sample,
			     .budget = t->o.common.overhead_budget > 0 },
		.agg = { .sample = t->o.common.sample },
		.overhead_budget = t->o.common.overhead_budget,
		.defs = t->o.common.defs,
		.ndefs = t->o.common.ndefs,
		.def_runtimes = t->o.common.def_runtimes,
		.runtime = t->o.common.runtime,
	};
	int err = nnp_kernel_cfg_init(&t->kcfg, t->o.common.counters);

	if (err)
		return err;
	t->kcfg_ok = true;
	nnp_kernel_cfg_session(&t->kcfg, &mo.session);
	err = nnp_discover_new(&t->disc);
	if (!err)
		err = nnp_monitor_open(&mo, &t->m);
	if (err) {
		nnp_err("failed to start monitoring: %s", strerror(-err));
		return err;
	}
	err = t->o.cmd ? launch(t)
		       : nnp_monitor_add_pids(t->m, t->disc, t->o.common.pids, t->o.common.npids);
	if (err)
		return err;
	describe_target(t);
	t->last_ns = nnp_mono_ns();
	t->last_cpu_ns = nnp_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	tui_model_init(&t->model, &t->kcfg.info, t->last_ns);
	err = tui_screen_init(&t->screen, t->o.group_by);
	if (!err)
		err = start_thread(t);
	if (!err && !t->o.batch)
		err = curses_start(t);
	return err;
}

static void teardown(struct top *t)
{
	atomic_store(&t->stop, true);
	if (t->thread_started)
		pthread_join(t->thread, NULL);
	if (t->term) {
		endwin();
		delscreen(t->term);
	}
	if (t->launched) {
		if (!t->child_done && nnp_launch_poll_exit(&t->child) == 0)
			nnp_launch_stop(&t->child, 2000);
		nnp_launch_close(&t->child);
	}
	nnp_monitor_close(t->m);
	nnp_discover_free(t->disc);
	if (t->kcfg_ok)
		nnp_kernel_cfg_free(&t->kcfg);
	tui_model_free(&t->model);
	tui_screen_free(&t->screen);
	top_opts_free(&t->o);
}

/* checked before anything is loaded, so that the error is the only output */
static int check_terminal(const struct top *t)
{
	if (t->o.batch)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		nnp_err("not a terminal: use -b for text output");
		return -ENOTTY;
	}
	if (!getenv("TERM") || !*getenv("TERM")) {
		nnp_err("TERM is not set: use -b for text output");
		return -ENOTTY;
	}
	return 0;
}

/* a launched command may load its runtime late: judged once it is done */
static bool measured(struct top *t)
{
	const struct nnp_proc_stats *p;
	bool any;

	nnp_monitor_lock(t->m);
	p = nnp_agg_proc((struct nnp_agg *)nnp_monitor_agg(t->m), (uint32_t)t->child.pid);
	any = p && (p->layer_events || p->infer.count);
	nnp_monitor_unlock(t->m);
	if (!any)
		nnp_err("nothing measured in %s: no known runtime (looked for %s)", t->o.cmd[0],
			nnp_runtime_lookfor());
	return any;
}

int cmd_top(int argc, char **argv)
{
	struct top t = { 0 };
	int err = top_opts_parse(argc, argv, &t.o);

	if (err) {
		top_opts_free(&t.o);
		return nnp_parse_exit(err);
	}
	if (check_terminal(&t) || nnp_features_require_record() || nnp_sys_prepare()) {
		top_opts_free(&t.o);
		return 1;
	}
	nnp_stop_signal_install();
	err = setup(&t);
	if (!err)
		err = loop(&t);
	if (!err && t.launched && !measured(&t))
		err = -ENOENT;
	teardown(&t);
	if (nnp_stop_signal)
		nnp_info("stopped by signal %d", (int)nnp_stop_signal);
	return err ? 1 : 0;
}
