// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_path.h"
#include "log.h"
#include "node_names.h"
#include "record_opts.h"
#include "session.h"

enum {
	OPT_PROBE = 256,
	OPT_SPEC,
	OPT_FORMAT,
	OPT_USDT,
	OPT_RINGBUF,
	OPT_MAX_SITES,
	OPT_COUNTERS,
	OPT_TRACE,
	OPT_RUNTIME,
	OPT_BTF,
	OPT_FOLLOW,
	OPT_SAMPLE,
	OPT_NODE_NAMES,
};

static const struct option long_opts[] = {
	{ "pid", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "probe", required_argument, NULL, OPT_PROBE },
	{ "spec", required_argument, NULL, OPT_SPEC },
	{ "usdt", required_argument, NULL, OPT_USDT },
	{ "ringbuf-size", required_argument, NULL, OPT_RINGBUF },
	{ "max-sites", required_argument, NULL, OPT_MAX_SITES },
	{ "counters", required_argument, NULL, OPT_COUNTERS },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "runtime", required_argument, NULL, OPT_RUNTIME },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "follow", no_argument, NULL, OPT_FOLLOW },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "node-names", required_argument, NULL, OPT_NODE_NAMES },
	{ "verbose", no_argument, NULL, 'v' },
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
	       "      --node-names FILE  name ONNX Runtime nodes from a profile ORT wrote\n"
	       "                         (enableProfiling): names and op types by NodeIndex\n"
	       "      --follow           with -p: when it exits, attach to the next process of\n"
	       "                         the same executable (until -d or Ctrl-C)\n"
	       "      --btf FILE         kernel BTF (kernels without /sys/kernel/btf/vmlinux)\n"
	       "  -v, --verbose          show attached sites (-vv: libbpf messages)\n",
	       NNP_DEFAULT_SPECS);
}

int parse_size(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		end++;
		break;
	}
	if (*end || v == 0 || v > UINT32_MAX / 2 + 1)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int nnp_parse_sample(const char *opt, const char *arg, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] < '0' || arg[0] > '9' || v < 1 ||
	    v > NNP_SAMPLE_MAX) {
		nnp_err("%s: '%s' is not a whole number from 1 to %d", opt, arg, NNP_SAMPLE_MAX);
		return -EINVAL;
	}
	*out = (uint32_t)v;
	return 0;
}

static int add_def(struct record_opts *o, const struct nnp_probe_def *d, const char *runtime)
{
	struct nnp_probe_def *defs = realloc(o->defs, (o->ndefs + 1) * sizeof(*defs));
	const char **rt;

	if (!defs)
		return -ENOMEM;
	o->defs = defs;
	rt = realloc(o->runtimes, (o->ndefs + 1) * sizeof(*rt));
	if (!rt)
		return -ENOMEM;
	o->runtimes = rt;
	o->defs[o->ndefs] = *d;
	o->runtimes[o->ndefs++] = runtime;
	return 0;
}

static int opt_probe(struct record_opts *o, const char *arg)
{
	struct nnp_probe_def *d = calloc(1, sizeof(*d));
	char err[256];
	int col = 0, ret;

	if (!d)
		return -ENOMEM;
	ret = nnp_probe_parse(arg, d, err, sizeof(err), &col);
	if (ret) {
		nnp_err("--probe '%s': column %d: %s", arg, col, err);
	} else {
		snprintf(d->origin, sizeof(d->origin), "--probe %.*s", (int)sizeof(d->origin) - 9,
			 arg);
		ret = add_def(o, d, "probe");
	}
	free(d);
	return ret;
}

static int opt_spec(struct record_opts *o, const char *path)
{
	struct nnp_probe_def *defs = NULL;
	size_t n = 0;
	char err[PATH_MAX + 256];
	int ret = nnp_spec_load(path, &defs, &n, err, sizeof(err));

	if (ret)
		nnp_err("--spec %s", err);
	for (size_t i = 0; !ret && i < n; i++)
		ret = add_def(o, &defs[i], "spec");
	free(defs);
	return ret;
}

static int opt_pid(struct record_opts *o, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX) {
		nnp_err("-p: '%s' is not a process id", arg);
		return -EINVAL;
	}
	o->pid = (pid_t)v;
	return 0;
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
	case 'p':
		return opt_pid(o, arg);
	case 'd':
		return opt_duration(o, arg);
	case 'o':
		o->output = arg;
		return 0;
	case OPT_TRACE:
		o->trace = arg;
		return 0;
	case OPT_BTF:
		return nnp_btf_set(arg);
	case OPT_FOLLOW:
		o->follow = true;
		return 0;
	case 'v':
		nnp_log_set_verbose(nnp_log_verbose() + 1);
		return 0;
	case OPT_PROBE:
		return opt_probe(o, arg);
	case OPT_SPEC:
		return opt_spec(o, arg);
	case OPT_RINGBUF:
		return opt_u32("--ringbuf-size", arg, &o->ringbuf_bytes);
	case OPT_MAX_SITES:
		return opt_u32("--max-sites", arg, &o->max_sites);
	case OPT_SAMPLE:
		return nnp_parse_sample("--sample", arg, &o->sample);
	case OPT_NODE_NAMES:
		return opt_node_names(o, arg);
	case OPT_COUNTERS:
		o->counters = arg;
		return 0;
	case OPT_RUNTIME:
		o->runtime = arg;
		return 0;
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

int record_opts_parse(int argc, char **argv, struct record_opts *o)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->usdt_auto = true;
	o->sample = 1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:d:o:vh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return 1;
		}
		if (c == '?')
			return 2; /* getopt said why */
		if (parse_one(o, c, optarg))
			return 3;
	}
	if (optind < argc)
		o->cmd = argv + optind;
	if (o->follow && !o->pid) {
		nnp_err(
		    "--follow needs -p PID: it re-attaches to processes, it re-runs no command");
		return 3;
	}
	if (!o->cmd == !o->pid) {
		nnp_err(o->pid ? "give either -p PID or a command after --, not both"
			       : "nothing to record: give -p PID or -- CMD (see --help)");
		return 2;
	}
	return 0;
}

void record_opts_free(struct record_opts *o)
{
	if (o->node_names)
		nnp_node_names_free(o->node_names);
	free(o->node_names);
	o->node_names = NULL;
	free(o->defs);
	free(o->runtimes);
	o->defs = NULL;
	o->runtimes = NULL;
}
