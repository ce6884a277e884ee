// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "procmaps.h"
#include "spec_runtimes.h"
#include "top_opts.h"

static const char usage_text[] =
    "usage: nnperf top [-d SECONDS] [-b] [-n N] [-p PID ...] [--group-by G] [--counters LIST]\n"
    "                  [--sample N] [--overhead-budget PCT] [--probe DEF] [--spec FILE]\n"
    "                  [--probes-dir DIR] [--runtime NAME] [-- CMD ARGS]\n"
    "\n"
    "Live per-layer view of inference processes: all of them that use a known runtime\n"
    "(the default), the -p processes, or a command launched with its first instruction\n"
    "traced (it is stopped when top quits).\n"
    "\n"
    "  -d, --delay S        refresh every S seconds (default 1, 0.1 to 3600)\n"
    "  -b, --batch          print the tables as text instead of the interactive view\n"
    "  -n, --iterations N   exit after N refreshes (batch mode: print N sets)\n"
    "  -p, --pid PID        watch this process (repeatable)\n"
    "      --group-by G     layers rolled up by block, part or op (default none; key g)\n"
    "      --counters LIST  perf counters per layer (see nnperf record --help)\n"
    "      --sample N       measure one layer call in N (default 1: every call)\n"
    "      --overhead-budget PCT  keep nnperf's estimated added time under PCT%:\n"
    "                       the shortest layers' probes measured part of the time\n"
    "      --probe DEF      add a probe to the -p processes or the command (see\n"
    "                       nnperf record --help)\n"
    "      --spec FILE      add the probes of a spec file (docs/spec-format.md); with\n"
    "                       --probe or --spec, runtimes only with --runtime\n"
    "      --probes-dir DIR runtimes from DIR's *.spec files (default\n"
    "                       " NNP_PROBES_DIR_DEFAULT "; \"\": none)\n"
    "      --runtime NAME   use only this runtime adapter (usdt, pytorch, ...)\n"
    "  -v, --verbose        say what is attached and detached\n"
    "\n"
    "Keys: arrows PgUp PgDn Home End move, Enter layers, Esc back, s/F6 sort,\n"
    "S reverse, / filter, g group, p pause, ? help, q quit.\n";

enum { OPT_GROUP_BY = NNP_OPT_OWN };

static int parse_value(struct top_opts *o, int c, const char *arg)
{
	char *end;

	errno = 0;
	if (c == OPT_GROUP_BY) {
		if (!nnp_group_by_parse(arg, &o->group_by))
			return 0;
		nnp_err("--group-by: '%s' is not one of block, part, op, none", arg);
		return -EINVAL;
	}
	if (c == 'd') {
		o->delay_s = strtod(arg, &end);
		if (*arg && !*end && isfinite(o->delay_s) && o->delay_s >= 0.1 &&
		    o->delay_s <= 3600)
			return 0;
		nnp_err("invalid value '%s' for -d (seconds, 0.1 to 3600)", arg);
		return -EINVAL;
	}
	o->iterations = strtol(arg, &end, 10);
	if (*arg && !*end && !errno && o->iterations > 0)
		return 0;
	nnp_err("invalid value '%s' for -n (a count > 0)", arg);
	return -EINVAL;
}

static enum nnp_parse check(int argc, char **argv, struct top_opts *o)
{
	if (optind < argc) {
		if (!argv[optind - 1] || strcmp(argv[optind - 1], "--")) {
			nnp_err("unexpected argument '%s' (a command goes after --)", argv[optind]);
			return NNP_PARSE_USAGE;
		}
		o->cmd = &argv[optind];
	}
	if (o->cmd && o->common.npids) {
		nnp_err("-p and a command exclude each other");
		return NNP_PARSE_USAGE;
	}
	for (size_t i = 0; i < o->common.npids; i++) {
		if (!nnp_proc_alive(o->common.pids[i])) {
			nnp_err("no such process: %d", o->common.pids[i]);
			return NNP_PARSE_BAD_VALUE;
		}
	}
	o->all = !o->cmd && !o->common.npids;
	if (o->all && o->common.ndefs) {
		nnp_err("--probe and --spec need -p PID or -- CMD: without them, top finds "
			"processes by the libraries of runtimes (for your own, a spec file with a "
			"library= line in the probes directory, --probes-dir)");
		return NNP_PARSE_BAD_VALUE;
	}
	return NNP_PARSE_OK;
}

enum nnp_parse top_opts_parse(int argc, char **argv, struct top_opts *o)
{
	static const struct option lo[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "group-by", required_argument, NULL, OPT_GROUP_BY },
		NNP_LONG_PID,
		NNP_LONG_COUNTERS,
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
	int c, taken;

	*o = (struct top_opts){ .delay_s = 1 };
	nnp_common_opts_init(&o->common);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+d:bn:p:vh", lo, NULL)) != -1) {
		if (c == 'b') {
			o->batch = true;
		} else if (c == 'h') {
			fputs(usage_text, stdout);
			return NNP_PARSE_HELP;
		} else if (c == '?') {
			fputs(usage_text, stderr);
			return NNP_PARSE_USAGE;
		} else {
			taken = nnp_common_opt(&o->common, c, optarg);
			if (taken < 0 || (!taken && parse_value(o, c, optarg)))
				return NNP_PARSE_BAD_VALUE;
		}
	}
	if (nnp_common_opts_done(&o->common))
		return NNP_PARSE_BAD_VALUE;
	return check(argc, argv, o);
}

void top_opts_free(struct top_opts *o)
{
	nnp_common_opts_free(&o->common);
}
