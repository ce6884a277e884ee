/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Option parsing: every value is checked, every mistake gets one clear line. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ITERATIONS 1000000000ULL
#define MAX_THREADS 256
#define MAX_SLEEP_US 10000000ULL
#define MAX_TOUCH_PAGES 262144ULL
#define MAX_DELAY_MS 3600000ULL

enum {
	OPT_SLEEP_LAYER = 256,
	OPT_SLEEP_US,
	OPT_TOUCH_LAYER,
	OPT_TOUCH_PAGES,
	OPT_START_DELAY,
	OPT_WAIT_STDIN,
	OPT_SELF_PROFILE,
	OPT_PROFILE_OUT,
	OPT_LIST_LAYERS,
};

static const struct option long_opts[] = {
	{ "model", required_argument, NULL, 'm' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "threads", required_argument, NULL, 't' },
	{ "seed", required_argument, NULL, 's' },
	{ "sleep-layer", required_argument, NULL, OPT_SLEEP_LAYER },
	{ "sleep-us", required_argument, NULL, OPT_SLEEP_US },
	{ "touch-layer", required_argument, NULL, OPT_TOUCH_LAYER },
	{ "touch-pages", required_argument, NULL, OPT_TOUCH_PAGES },
	{ "start-delay-ms", required_argument, NULL, OPT_START_DELAY },
	{ "wait-stdin", no_argument, NULL, OPT_WAIT_STDIN },
	{ "self-profile", no_argument, NULL, OPT_SELF_PROFILE },
	{ "self-profile-out", required_argument, NULL, OPT_PROFILE_OUT },
	{ "list-layers", no_argument, NULL, OPT_LIST_LAYERS },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

void tinynet_err(const char *fmt, ...)
{
	va_list ap;

	fputs("nnperf-tinynet: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void tinynet_usage(FILE *f)
{
	fputs("Usage: nnperf-tinynet [OPTIONS]\n"
	      "A small CNN (3x64x64 input, 13 layers) that nnperf's tests measure.\n\n"
	      "  -m, --model M            dense|pruned|sparse|int8 (default dense)\n"
	      "  -n, --iterations N       total inferences (default 100)\n"
	      "  -t, --threads T          threads sharing the N inferences (default 1)\n"
	      "  -s, --seed S             weights and inputs (default 42)\n"
	      "      --sleep-layer NAME   layer NAME also sleeps --sleep-us US per call\n"
	      "      --sleep-us US\n"
	      "      --touch-layer NAME   layer NAME also faults in --touch-pages P fresh\n"
	      "      --touch-pages P      pages per call\n"
	      "      --start-delay-ms MS  wait MS before the first inference\n"
	      "      --wait-stdin         wait for a line on stdin before the first inference\n"
	      "      --self-profile       time every layer; JSON to stderr at the end\n"
	      "      --self-profile-out F write that JSON to F instead\n"
	      "      --list-layers        print the layers and their MACs per variant, exit\n"
	      "  -h, --help               this text\n\n"
	      "Prints one line: model, iterations, threads, total_ms, ms_per_inference (mean\n"
	      "latency of one inference), checksum (same seed and model => same checksum).\n",
	      f);
}

static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno || v < min || v > max) {
		tinynet_err("--%s: '%s' is not an integer in [%" PRIu64 ", %" PRIu64 "]", opt, s,
			    min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int parse_layer(const char *opt, const char *s, const char **out)
{
	if (tinynet_layer_index(s) < 0) {
		tinynet_err("--%s: no layer named '%s' (see --list-layers)", opt, s);
		return -EINVAL;
	}
	*out = s;
	return 0;
}

static int parse_one(int c, const char *arg, struct tinynet_opts *o)
{
	const char *name = NULL;
	uint64_t v = 0;
	int err;

	for (const struct option *lo = long_opts; lo->name; lo++)
		if (lo->val == c)
			name = lo->name;
	switch (c) {
	case 'm':
		if (tinynet_variant_parse(arg, &o->variant)) {
			tinynet_err("--model: '%s' is not one of dense, pruned, sparse, int8", arg);
			return -EINVAL;
		}
		return 0;
	case 'n':
		return parse_u64(name, arg, 1, MAX_ITERATIONS, &o->iterations);
	case 's':
		return parse_u64(name, arg, 0, UINT64_MAX, &o->seed);
	case OPT_SLEEP_LAYER:
		return parse_layer(name, arg, &o->sleep_layer);
	case OPT_TOUCH_LAYER:
		return parse_layer(name, arg, &o->touch_layer);
	case OPT_PROFILE_OUT:
		o->profile_out = arg;
		o->self_profile = true;
		return 0;
	case OPT_WAIT_STDIN:
		o->wait_stdin = true;
		return 0;
	case OPT_SELF_PROFILE:
		o->self_profile = true;
		return 0;
	case OPT_LIST_LAYERS:
		o->list_layers = true;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	case 't':
		err = parse_u64(name, arg, 1, MAX_THREADS, &v);
		o->threads = (unsigned)v;
		return err;
	case OPT_SLEEP_US:
		err = parse_u64(name, arg, 1, MAX_SLEEP_US, &v);
		o->sleep_us = (unsigned)v;
		return err;
	case OPT_TOUCH_PAGES:
		err = parse_u64(name, arg, 1, MAX_TOUCH_PAGES, &v);
		o->touch_pages = (unsigned)v;
		return err;
	case OPT_START_DELAY:
		err = parse_u64(name, arg, 0, MAX_DELAY_MS, &v);
		o->start_delay_ms = (unsigned)v;
		return err;
	}
	return -EINVAL;
}

/* Options that only make sense together. */
static int check_pairs(const struct tinynet_opts *o)
{
	if (!o->sleep_layer != !o->sleep_us) {
		tinynet_err("--sleep-layer and --sleep-us go together");
		return -EINVAL;
	}
	if (!o->touch_layer != !o->touch_pages) {
		tinynet_err("--touch-layer and --touch-pages go together");
		return -EINVAL;
	}
	return 0;
}

int tinynet_opts_parse(int argc, char **argv, struct tinynet_opts *o)
{
	int c, err;

	*o = (struct tinynet_opts){
		.variant = TINYNET_DENSE, .iterations = 100, .threads = 1, .seed = 42
	};
	opterr = 0; /* our messages, not getopt's */
	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:n:t:s:h", long_opts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			const char *what = c == '?' ? "unknown option" : "missing value for";

			const char *word = argv[optind - 1];

			if (!strncmp(word, "--", 2))
				tinynet_err("%s '%s' (see --help)", what, word);
			else
				tinynet_err("%s '-%c' (see --help)", what, optopt);
			return -EINVAL;
		}
		err = parse_one(c, optarg, o);
		if (err)
			return err;
	}
	if (optind < argc) {
		tinynet_err("unexpected argument '%s' (see --help)", argv[optind]);
		return -EINVAL;
	}
	return check_pairs(o);
}
