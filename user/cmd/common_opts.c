// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btf_path.h"
#include "common_opts.h"
#include "log.h"
#include "pid_list.h"

int nnp_parse_exit(enum nnp_parse r)
{
	return r == NNP_PARSE_HELP ? 0 : r == NNP_PARSE_USAGE ? 2 : 1;
}

void nnp_common_opts_init(struct nnp_common_opts *c)
{
	*c = (struct nnp_common_opts){ .sample = 1 };
}

void nnp_common_opts_free(struct nnp_common_opts *c)
{
	free(c->pids);
	c->pids = NULL;
	c->npids = 0;
	nnp_probe_opts_free(c);
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

/* --overhead-budget PCT: a percentage in (0, 1000] */
static int parse_budget(const char *arg, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(*out) || *out <= 0 || *out > 1000) {
		nnp_err("--overhead-budget: '%s' is not a percentage in (0, 1000]", arg);
		return -EINVAL;
	}
	return 0;
}

static int take(struct nnp_common_opts *c, int opt, const char *arg)
{
	switch (opt) {
	case 'p':
		return nnp_pid_list_add(&c->pids, &c->npids, arg);
	case NNP_OPT_BTF:
		return nnp_btf_set(arg);
	case NNP_OPT_SAMPLE:
		return nnp_parse_sample("--sample", arg, &c->sample);
	case NNP_OPT_RINGBUF:
		if (!parse_size(arg, &c->ringbuf_bytes))
			return 0;
		nnp_err("--ringbuf-size: '%s' is not a positive size", arg);
		return -EINVAL;
	case NNP_OPT_BUDGET:
		return parse_budget(arg, &c->overhead_budget);
	case NNP_OPT_PROBE:
	case NNP_OPT_SPEC:
	case NNP_OPT_RUNTIME:
	case NNP_OPT_PROBES_DIR:
		return nnp_probe_opt(c, opt, arg);
	}
	return 0;
}

int nnp_common_opt(struct nnp_common_opts *c, int opt, const char *arg)
{
	switch (opt) {
	case NNP_OPT_COUNTERS:
		c->counters = arg;
		return 1;
	case 'v':
		nnp_log_set_verbose(nnp_log_verbose() + 1);
		return 1;
	case 'p':
	case NNP_OPT_BTF:
	case NNP_OPT_SAMPLE:
	case NNP_OPT_RINGBUF:
	case NNP_OPT_BUDGET:
	case NNP_OPT_PROBE:
	case NNP_OPT_SPEC:
	case NNP_OPT_RUNTIME:
	case NNP_OPT_PROBES_DIR:
		return take(c, opt, arg) ? -EINVAL : 1;
	}
	return 0;
}

int nnp_parse_group_by(const char *arg, enum nnp_group_by *out)
{
	if (nnp_group_by_parse(arg, out)) {
		nnp_err("--group-by: '%s' is not one of block, part, op, none", arg);
		return -EINVAL;
	}
	return 0;
}
