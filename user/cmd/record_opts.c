// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "node_names.h"
#include "record_opts.h"
#include "session.h"
#include "spec_runtimes.h"

enum {
	OPT_FORMAT = NNP_OPT_OWN,
	OPT_USDT,
	OPT_MAX_SITES,
	OPT_TRACE,
	OPT_FOLLOW,
	OPT_NODE_NAMES,
	OPT_GROUP_BY,
};

static const struct option long_opts[] = {
	NNP_LONG_PID,
	{ "duration", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	NNP_LONG_PROBE,
	NNP_LONG_SPEC,
	{ "usdt", required_argument, NULL, OPT_USDT },
	NNP_LONG_RINGBUF,
	{ "max-sites", required_argument, NULL, OPT_MAX_SITES },
	NNP_LONG_COUNTERS,
	{ "trace", required_argument, NULL, OPT_TRACE },
	NNP_LONG_RUNTIME,
	NNP_LONG_PROBES_DIR,
	NNP_LONG_BTF,
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	NNP_LONG_SAMPLE,
	{ "node-names", required_argument, NULL, OPT_NODE_NAMES },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	NNP_LONG_BUDGET,
	NNP_LONG_VERBOSE,
	{ "help", no_argument, NULL, 'h' },
	{},
};

static void usage(void)
{
	printf("usage: nnperf record [OPTIONS] (-p PID | -- CMD [ARGS...])\n\n"
	       "Measures every inference and every layer of a process, then prints a table\n"
	       "(or JSON) and optionally writes a recording.\n\n"
	       "  -p, --pid PID          attach to a running process\n"
	       "  -d, --duration SECS    stop after SECS (default: when the target exits or on "
	       "Ctrl-C)\n"
	       "  -o, --output FILE      write the JSON recording to FILE\n"
	       "      --trace FILE       write a Chrome/Perfetto trace (one slice per layer "
	       "call)\n"
	       "      --format FMT       what to print: table (default) or json\n"
	       "      --probe ROLE=SITE[,OPT...]  add a probe, e.g. "
	       "layer=libfoo.so:run_layer,key=arg0\n"
	       "      --spec FILE        add the probes of a spec file (docs/spec-format.md)\n"
	       "      --probes-dir DIR   runtimes from DIR's *.spec files (default\n"
	       "                         " NNP_PROBES_DIR_DEFAULT "; \"\": none)\n"
	       "      --usdt auto|off    attach nnperf USDT markers found in the target (default "
	       "auto)\n"
	       "      --runtime NAME     use only this runtime adapter (usdt, pytorch, ...); by\n"
	       "                         default every known runtime found is measured, unless\n"
	       "                         --probe or --spec is given (then with --runtime only)\n"
	       "      --ringbuf-size N   ring buffer bytes, power of two (default 4M)\n"
	       "      --max-sites N      probe sites at most (default %u)\n"
	       "      --counters LIST    perf counters per layer (default with a PMU:\n"
	       "                         cache-misses,instructions,cycles; '' for none)\n"
	       "      --sample N         measure one layer call in N (default 1: every call);\n"
	       "                         inferences are always all measured\n"
	       "      --overhead-budget PCT  keep nnperf's estimated added time under PCT%%\n"
	       "                         of the target's: the layer probes costing most for\n"
	       "                         their time are measured part of the time (or\n"
	       "                         detached); inferences are always all measured\n"
	       "      --node-names FILE  name ONNX Runtime nodes from a profile ORT wrote\n"
	       "                         (enableProfiling): names and op types by NodeIndex\n"
	       "      --group-by G       also roll layers up into groups: block (llama.cpp's\n"
	       "                         blk.N, a numbered module), part (attention,\n"
	       "                         feed-forward, norm), op, or none (default)\n"
	       "      --follow           with -p: when it exits, attach to the next process of\n"
	       "                         the same executable (until -d or Ctrl-C)\n"
	       "      --btf FILE         kernel BTF (kernels without /sys/kernel/btf/vmlinux)\n"
	       "  -v, --verbose          show attached sites (-vv: libbpf messages)\n",
	       NNP_DEFAULT_SPECS);
}

static int opt_duration(struct record_opts *o, const char *arg)
{
	char *end;

	errno = 0;
	o->duration_s = strtod(arg, &end);
	if (errno || *end || !isfinite(o->duration_s) || o->duration_s <= 0) {
		nnp_err("-d: '%s' is not a positive number of seconds", arg);
		return -EINVAL;
	}
	return 0;
}

static int opt_enum(const char *opt, const char *arg, const char *a, const char *b, int *out)
{
	if (!strcmp(arg, a))
		*out = 0;
	else if (!strcmp(arg, b))
		*out = 1;
	else {
		nnp_err("%s: '%s' is not one of %s, %s", opt, arg, a, b);
		return -EINVAL;
	}
	return 0;
}

static int opt_u32(const char *opt, const char *arg, uint32_t *out)
{
	if (parse_size(arg, out)) {
		nnp_err("%s: '%s' is not a positive size", opt, arg);
		return -EINVAL;
	}
	return 0;
}

/* --node-names FILE: read now, so that a bad file stops nnperf before it starts anything */
static int opt_node_names(struct record_opts *o, const char *path)
{
	char err[512];
	int ret;

	if (o->node_names) {
		nnp_err("--node-names given twice");
		return -EINVAL;
	}
	o->node_names = calloc(1, sizeof(*o->node_names));
	if (!o->node_names)
		return -ENOMEM;
	ret = nnp_node_names_load(path, o->node_names, err, sizeof(err));
	if (ret) {
		nnp_err("--node-names: %s", err);
		free(o->node_names);
		o->node_names = NULL;
	}
	return ret;
}

static int parse_one(struct record_opts *o, int c, const char *arg)
{
	int v = 0, err;

	switch (c) {
	case 'd':
		return opt_duration(o, arg);
	case 'o':
		o->output = arg;
		return 0;
	case OPT_TRACE:
		o->trace = arg;
		return 0;
	case OPT_FOLLOW:
		o->follow = true;
		return 0;
	case OPT_MAX_SITES:
		return opt_u32("--max-sites", arg, &o->max_sites);
	case OPT_NODE_NAMES:
		return opt_node_names(o, arg);
	case OPT_GROUP_BY:
		return nnp_parse_group_by(arg, &o->group_by);
	case OPT_FORMAT:
		err = opt_enum("--format", arg, "table", "json", &v);
		o->format = v ? NNP_OUT_JSON : NNP_OUT_TABLE;
		return err;
	case OPT_USDT:
		err = opt_enum("--usdt", arg, "auto", "off", &v);
		o->usdt_auto = !v;
		return err;
	}
	return -EINVAL;
}

/* the options after getopt: one -p at most, and either it or a command */
static enum nnp_parse check(struct record_opts *o)
{
	if (o->common.npids > 1) {
		nnp_err("-p given %zu times: record attaches to one process", o->common.npids);
		return NNP_PARSE_USAGE;
	}
	o->pid = o->common.npids ? o->common.pids[0] : 0;
	if (o->follow && !o->pid) {
		nnp_err(
		    "--follow needs -p PID: it re-attaches to processes, it re-runs no command");
		return NNP_PARSE_BAD_VALUE;
	}
	if (!o->cmd == !o->pid) {
		nnp_err(o->pid ? "give either -p PID or a command after --, not both"
			       : "nothing to record: give -p PID or -- CMD (see --help)");
		return NNP_PARSE_USAGE;
	}
	return NNP_PARSE_OK;
}

enum nnp_parse record_opts_parse(int argc, char **argv, struct record_opts *o)
{
	int c, taken;

	memset(o, 0, sizeof(*o));
	nnp_common_opts_init(&o->common);
	o->usdt_auto = true;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:d:o:vh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return NNP_PARSE_HELP;
		}
		if (c == '?')
			return NNP_PARSE_USAGE; /* getopt said why */
		taken = nnp_common_opt(&o->common, c, optarg);
		if (taken < 0 || (!taken && parse_one(o, c, optarg)))
			return NNP_PARSE_BAD_VALUE;
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (nnp_common_opts_done(&o->common))
		return NNP_PARSE_BAD_VALUE;
	return check(o);
}

void record_opts_free(struct record_opts *o)
{
	nnp_common_opts_free(&o->common);
	if (o->node_names)
		nnp_node_names_free(o->node_names);
	free(o->node_names);
	o->node_names = NULL;
}
