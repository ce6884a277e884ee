// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf export: a service. Attaches to the -p processes or, with --all (the
 * default), to every process that uses a known runtime as it appears; serves
 * GET /metrics (Prometheus text or OpenMetrics) or writes JSON lines every
 * --interval. Runs until SIGINT/SIGTERM.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/capability.h>

#include "btf_path.h"
#include "clock.h"
#include "cmds.h"
#include "discover.h"
#include "features.h"
#include "features_try.h"
#include "http_server.h"
#include "jsonl_write.h"
#include "kernel_cfg.h"
#include "log.h"
#include "monitor.h"
#include "common_opts.h"
#include "privs.h"
#include "procmaps.h"
#include "prom_metrics.h"
#include "record_opts.h"
#include "runtimes.h"
#include "spec_runtimes.h"
#include "stop_signal.h"
#include "web_config.h"

enum export_format { FMT_PROMETHEUS, FMT_JSON };

struct export_opts {
	/* -p (repeatable), --counters, --btf, --sample, --ringbuf-size, --probe, --spec,
	 * --runtime, -v */
	struct nnp_common_opts common;
	bool all;
	const char *listen;
	enum export_format format;
	double interval_s;
	size_t max_series;
	const char *model_flag;
	bool bpf_stats;
	const char *web_config;	    /* --web-config FILE: TLS, basic auth */
	enum nnp_group_by group_by; /* --group-by: a "group" label on layer series */
};

struct exporter {
	struct export_opts o;
	struct nnp_monitor *m;
	struct nnp_discover *disc;
	struct nnp_http *http;
	int stats_fd; /* held while exporting: the kernel counts BPF run time */
	int hw_pmu;
	struct nnp_kernel_cfg kcfg;		 /* kernel signals collected */
	uint64_t last_scrape_ns, series_dropped; /* under the monitor lock */
	struct nnp_web_config web;
};

static const char usage_text[] =
    "usage: nnperf export [-p PID ... | --all] [--listen ADDR:PORT]\n"
    "                     [--format prometheus|json] [--interval S] [--max-series N]\n"
    "                     [--model-arg FLAG] [--ringbuf-size SIZE] [--sample N]\n"
    "                     [--no-bpf-stats] [--group-by G] [--overhead-budget PCT]\n"
    "                     [--probe ROLE=SITE[,OPT...]] [--spec FILE] [--probes-dir DIR]\n"
    "                     [--runtime NAME] [-v]\n"
    "\n"
    "  -p, --pid PID        export this process (repeatable)\n"
    "  -a, --all            every process that uses a known runtime, as it starts\n"
    "                       (the default without -p)\n"
    "  -l, --listen ADDR    serve GET /metrics and /healthz here (default " NNP_HTTP_DEFAULT_LISTEN
    ")\n"
    "  -f, --format F       prometheus (HTTP, default) or json (JSON lines on stdout)\n"
    "  -i, --interval S     discovery scan and JSON line period, seconds (default 1)\n"
    "      --max-series N   at most N process and layer series per page (0 = no limit)\n"
    "      --model-arg FLAG model label from the argument after FLAG in the target's\n"
    "                       command line (NNPERF_MODEL in its environment wins)\n"
    "      --ringbuf-size S ring buffer size (default 4M)\n"
    "      --no-bpf-stats   do not turn on the kernel's BPF run-time statistics\n"
    "      --counters LIST  perf counters per layer (see nnperf record --help)\n"
    "      --sample N       measure one layer call in N (default 1: every call);\n"
    "                       nnperf_sample_rate says N (docs/metrics.md)\n"
    "      --overhead-budget PCT  keep nnperf's estimated added time under PCT%\n"
    "                       of the targets': the shortest layers' probes measured\n"
    "                       part of the time (nnperf_overhead_*, docs/metrics.md)\n"
    "      --btf FILE       kernel BTF to use instead of /sys/kernel/btf/vmlinux\n"
    "      --web-config F   TLS and basic auth, exporter-toolkit format (see nnperf(8))\n"
    "      --group-by G     a group label on layer series: block, part, op, none\n"
    "      --probe DEF      add a probe to each -p process (see nnperf record --help)\n"
    "      --spec FILE      add the probes of a spec file (docs/spec-format.md); with\n"
    "                       --probe or --spec, runtimes only with --runtime\n"
    "      --probes-dir DIR runtimes from DIR's *.spec files (default\n"
    "                       " NNP_PROBES_DIR_DEFAULT "; \"\": none)\n"
    "      --runtime NAME   use only this runtime adapter (usdt, pytorch, ...)\n"
    "  -v, --verbose        say what is attached and detached\n";

static int parse_value(struct export_opts *o, int c, const char *arg)
{
	char *end;

	switch (c) {
	case 'f':
		if (!strcmp(arg, "prometheus"))
			o->format = FMT_PROMETHEUS;
		else if (!strcmp(arg, "json"))
			o->format = FMT_JSON;
		else
			break;
		return 0;
	case 'i':
		o->interval_s = strtod(arg, &end);
		if (*arg && !*end && isfinite(o->interval_s) && o->interval_s >= 0.05 &&
		    o->interval_s <= 3600)
			return 0;
		break;
	case 'S':
		errno = 0;
		o->max_series = strtoull(arg, &end, 10);
		if (*arg && !*end && !errno && arg[0] != '-')
			return 0;
		break;
	}
	nnp_err("invalid value '%s' for %s", arg,
		c == 'f'   ? "--format (want prometheus or json)"
		: c == 'i' ? "--interval (seconds, 0.05 to 3600)"
			   : "--max-series");
	return -EINVAL;
}

/* --listen's syntax, checked before anything is loaded (binding it comes later) */
static bool listen_bad(const char *arg)
{
	struct sockaddr_storage addr;
	socklen_t len;

	if (!nnp_http_parse_listen(arg, &addr, &len))
		return false;
	nnp_err("invalid --listen '%s': want ADDR:PORT, [ADDR]:PORT or :PORT", arg);
	return true;
}

/* the options only export takes */
static enum nnp_parse own_opt(struct export_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'a':
		o->all = true;
		break;
	case 'l':
		o->listen = arg;
		if (listen_bad(arg))
			return NNP_PARSE_BAD_VALUE;
		break;
	case 'M':
		o->model_flag = arg;
		break;
	case 'B':
		o->bpf_stats = false;
		break;
	case 'W':
		o->web_config = arg;
		break;
	case 'G':
		return nnp_parse_group_by(arg, &o->group_by) ? NNP_PARSE_BAD_VALUE : NNP_PARSE_OK;
	case 'h':
		fputs(usage_text, stdout);
		return NNP_PARSE_HELP;
	case '?':
		fputs(usage_text, stderr);
		return NNP_PARSE_USAGE;
	default:
		return parse_value(o, c, arg) ? NNP_PARSE_BAD_VALUE : NNP_PARSE_OK;
	}
	return NNP_PARSE_OK;
}

static enum nnp_parse export_opts_parse(int argc, char **argv, struct export_opts *o)
{
	static const struct option lo[] = {
		NNP_LONG_PID,
		{ "all", no_argument, NULL, 'a' },
		{ "listen", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "interval", required_argument, NULL, 'i' },
		{ "max-series", required_argument, NULL, 'S' },
		{ "model-arg", required_argument, NULL, 'M' },
		NNP_LONG_RINGBUF,
		{ "no-bpf-stats", no_argument, NULL, 'B' },
		NNP_LONG_COUNTERS,
		NNP_LONG_BTF,
		{ "web-config", required_argument, NULL, 'W' },
		{ "group-by", required_argument, NULL, 'G' },
		NNP_LONG_SAMPLE,
		NNP_LONG_BUDGET,
		NNP_LONG_PROBE,
		NNP_LONG_SPEC,
		NNP_LONG_RUNTIME,
		NNP_LONG_PROBES_DIR,
		NNP_LONG_VERBOSE,
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	enum nnp_parse r = NNP_PARSE_OK;
	int c, taken;

	*o = (struct export_opts){ .listen = NNP_HTTP_DEFAULT_LISTEN,
				   .interval_s = 1,
				   .bpf_stats = true };
	nnp_common_opts_init(&o->common);
	optind = 1;
	while (r == NNP_PARSE_OK && (c = getopt_long(argc, argv, "p:al:f:i:vh", lo, NULL)) != -1) {
		taken = nnp_common_opt(&o->common, c, optarg);
		if (taken < 0)
			r = NNP_PARSE_BAD_VALUE;
		else if (!taken)
			r = own_opt(o, c, optarg);
	}
	if (r == NNP_PARSE_OK && optind < argc) {
		nnp_err("unexpected argument '%s' (try 'nnperf export --help')", argv[optind]);
		r = NNP_PARSE_USAGE;
	}
	if (r == NNP_PARSE_OK && nnp_common_opts_done(&o->common))
		r = NNP_PARSE_BAD_VALUE;
	if (!o->common.npids)
		o->all = true;
	if (r == NNP_PARSE_OK && o->common.ndefs && o->all) {
		nnp_err("--probe and --spec need -p PID: --all finds processes by the libraries of "
			"runtimes (for your own, a spec file with a library= line in the probes "
			"directory, --probes-dir)");
		r = NNP_PARSE_BAD_VALUE;
	}
	return r;
}

/* under the monitor lock */
static int self_stats(struct exporter *x, struct nnp_self_stats *s, struct nnp_prog_stat *progs)
{
	*s = (struct nnp_self_stats){ .version = NNPERF_VERSION,
				      .bpf_stats = x->stats_fd >= 0,
				      .hw_pmu = x->hw_pmu,
				      .kernel = &x->kcfg.info,
				      .last_scrape_ns = x->last_scrape_ns,
				      .series_dropped = x->series_dropped };
	return nnp_monitor_self_stats(x->m, s, progs, NNP_MONITOR_MAX_PROGS);
}

/*
 * One scrape: the page is rendered a slice at a time as the client reads it,
 * under the monitor lock for each slice only, so neither a large page nor a
 * slow scraper holds memory or the aggregator.
 */
#define SLICE_BYTES (64 * 1024)
#define SLICE_UNITS 8 /* families or layers' series per step between size checks */

struct scrape {
	struct exporter *x;
	struct nnp_prog_stat progs[NNP_MONITOR_MAX_PROGS];
	struct nnp_self_stats s;
	struct nnp_prom_page pg;
	struct nnp_prom_gen *g;
	char *buf; /* the current slice */
	size_t len, off;
	uint64_t render_ns; /* time spent rendering slices */
	bool done;
};

/* under the monitor lock: the next slice into s->buf; 0 or -errno */
static int render_slice(struct scrape *s)
{
	uint64_t t0 = nnp_clock_ns(CLOCK_MONOTONIC);
	FILE *f = open_memstream(&s->buf, &s->len);
	int more = 1;

	if (!f)
		return -errno;
	while (more && ftell(f) < SLICE_BYTES)
		more = nnp_prom_gen_step(s->g, &s->pg, f, SLICE_UNITS);
	s->render_ns += nnp_clock_ns(CLOCK_MONOTONIC) - t0;
	if (!more) {
		s->done = true;
		s->x->series_dropped = s->s.series_dropped;
		s->x->last_scrape_ns = s->render_ns;
		nnp_monitor_reported(s->x->m);
	}
	return fclose(f) ? -errno : 0;
}

static ssize_t scrape_read(void *ctx, char *buf, size_t max)
{
	struct scrape *s = ctx;
	size_t n;
	int err;

	if (s->off == s->len) {
		free(s->buf);
		s->buf = NULL;
		s->len = s->off = 0;
		if (s->done)
			return 0;
		nnp_monitor_lock(s->x->m);
		err = render_slice(s);
		nnp_monitor_unlock(s->x->m);
		if (err)
			return err;
	}
	n = s->len - s->off < max ? s->len - s->off : max;
	memcpy(buf, s->buf + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void scrape_done(void *ctx)
{
	struct scrape *s = ctx;

	nnp_prom_gen_free(s->g);
	free(s->buf);
	free(s);
}

static int render(void *ctx, const char *accept, struct nnp_http_body *out)
{
	enum nnp_prom_format fmt = nnp_prom_negotiate(accept);
	struct scrape *s = calloc(1, sizeof(*s));
	struct exporter *x = ctx;
	uint64_t t0 = nnp_clock_ns(CLOCK_MONOTONIC);
	int err;

	if (!s)
		return -ENOMEM;
	s->x = x;
	nnp_monitor_lock(x->m);
	self_stats(x, &s->s, s->progs);
	s->pg = (struct nnp_prom_page){ .agg = nnp_monitor_agg(x->m),
					.labels = nnp_monitor_labels,
					.labels_ctx = x->m,
					.self = &s->s,
					.max_series = x->o.max_series,
					.group_by = x->o.group_by,
					.overhead = nnp_monitor_overhead(x->m) };
	err = nnp_prom_gen_begin(&s->pg, fmt, &s->g);
	nnp_monitor_unlock(x->m);
	s->render_ns = nnp_clock_ns(CLOCK_MONOTONIC) - t0;
	if (err) {
		free(s);
		return err;
	}
	*out = (struct nnp_http_body){ .read = scrape_read,
				       .done = scrape_done,
				       .ctx = s,
				       .ctype = nnp_prom_content_type(fmt) };
	return 0;
}

static int write_json(struct exporter *x)
{
	struct nnp_prog_stat progs[NNP_MONITOR_MAX_PROGS];
	struct nnp_self_stats s;
	int err;

	nnp_monitor_lock(x->m);
	self_stats(x, &s, progs);
	err = nnp_jsonl_write(stdout, nnp_monitor_agg(x->m), nnp_monitor_labels, x->m, &s,
			      nnp_clock_ns(CLOCK_REALTIME), x->o.group_by,
			      nnp_monitor_overhead(x->m));
	nnp_monitor_reported(x->m);
	nnp_monitor_unlock(x->m);
	if (err)
		nnp_err("failed to write JSON lines: %s", strerror(-err));
	return err;
}

static int on_found(void *ctx, pid_t pid, const struct nnp_runtime *rt)
{
	struct exporter *x = ctx;
	int err = nnp_monitor_add(x->m, pid, rt);

	if (err && err != -EEXIST)
		nnp_info("not attached to process %d: %s", (int)pid, strerror(-err));
	return err == -EEXIST ? 0 : err;
}

static int loop(struct exporter *x)
{
	uint64_t period = (uint64_t)(x->o.interval_s * 1e9), next = nnp_clock_ns(CLOCK_MONOTONIC);
	int err = 0;

	while (!nnp_stop_signal && !err) {
		uint64_t now = nnp_clock_ns(CLOCK_MONOTONIC);

		if (now >= next) {
			next = now + period;
			if (x->o.all)
				err = nnp_discover_scan(x->disc, on_found, x);
			if (!err && x->o.format == FMT_JSON)
				err = write_json(x);
			if (err)
				break;
			now = nnp_clock_ns(CLOCK_MONOTONIC);
		}
		err = nnp_monitor_poll(x->m, next > now ? (int)((next - now) / 1000000) + 1 : 0);
		if (err)
			nnp_err("failed to read events: %s", strerror(-err));
	}
	if (nnp_stop_signal)
		nnp_info("stopped by signal %d", (int)nnp_stop_signal);
	return err;
}

static int setup(struct exporter *x)
{
	struct nnp_monitor_opts mo = { .session = { .ringbuf_bytes = x->o.common.ringbuf_bytes,
						    .sample = x->o.common.sample,
						    .budget = x->o.common.overhead_budget > 0 },
				       .agg = { .sample = x->o.common.sample },
				       .model_flag = x->o.model_flag,
				       .overhead_budget = x->o.common.overhead_budget,
				       .defs = x->o.common.defs,
				       .ndefs = x->o.common.ndefs,
				       .def_runtimes = x->o.common.def_runtimes,
				       .runtime = x->o.common.runtime };
	int err;

	err = nnp_kernel_cfg_init(&x->kcfg, x->o.common.counters);
	if (err)
		return err;
	nnp_kernel_cfg_session(&x->kcfg, &mo.session);
	x->hw_pmu = x->kcfg.feat.counters == NNP_COUNTERS_HW;
	if (x->o.bpf_stats) {
		x->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (x->stats_fd < 0)
			nnp_info("kernel BPF statistics unavailable: %s", strerror(errno));
	}
	err = nnp_discover_new(&x->disc);
	if (!err)
		err = nnp_monitor_open(&mo, &x->m);
	if (err)
		return err;
	if (x->o.format == FMT_PROMETHEUS) {
		err = nnp_http_start_web(x->o.listen, &x->web, render, x, &x->http);
		if (err)
			return err;
	}
	return nnp_monitor_add_pids(x->m, x->disc, x->o.common.pids, x->o.common.npids);
}

/* a service beside production: what attaching needs, binding the port and
 * dropping more (CAP_SETPCAP) until the port is bound */
static int limit_privileges(void)
{
	int err = nnp_privs_limit(nnp_privs_attach_set() | 1ull << CAP_NET_BIND_SERVICE |
				  1ull << CAP_SETPCAP);

	if (err)
		nnp_err("failed to drop privileges: %s", strerror(-err));
	return err;
}

int cmd_export(int argc, char **argv)
{
	struct exporter x = { .stats_fd = -1 };
	int err = export_opts_parse(argc, argv, &x.o);

	if (err) {
		nnp_common_opts_free(&x.o.common);
		return nnp_parse_exit(err);
	}
	if (nnp_features_require_record() || nnp_sys_prepare() ||
	    (x.o.web_config && nnp_web_config_load(x.o.web_config, &x.web))) {
		nnp_common_opts_free(&x.o.common);
		return 1;
	}
	nnp_stop_signal_install();
	err = limit_privileges();
	if (!err)
		err = setup(&x);
	/* bound: the rest only attaches (the HTTP thread has no capabilities at all) */
	if (!err && (err = nnp_privs_limit(nnp_privs_attach_set())))
		nnp_err("failed to drop privileges: %s", strerror(-err));
	if (!err) {
		if (x.http)
			nnp_info("serving http://%s/metrics", x.o.listen);
		err = loop(&x);
	}
	nnp_http_stop(x.http);
	nnp_monitor_close(x.m);
	nnp_discover_free(x.disc);
	nnp_kernel_cfg_free(&x.kcfg);
	nnp_web_config_free(&x.web);
	if (x.stats_fd >= 0)
		close(x.stats_fd);
	nnp_common_opts_free(&x.o.common);
	return err ? 1 : 0;
}
