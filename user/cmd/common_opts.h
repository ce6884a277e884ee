/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What record, export and top share on their command lines: -p, --counters,
 * --btf, --sample, --ringbuf-size, --overhead-budget, --probe, --spec, --runtime,
 * --probes-dir (probe_opts.c) and -v, parsed alike with the same errors,
 * and what a parse comes to. Each command lists the ones it takes in its
 * getopt table with the NNP_LONG_* entries below.
 */
#ifndef NNP_COMMON_OPTS_H
#define NNP_COMMON_OPTS_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "run_opts.h"

enum nnp_parse {
	NNP_PARSE_OK,	     /* run the command */
	NNP_PARSE_HELP,	     /* --help was printed: exit 0 */
	NNP_PARSE_USAGE,     /* an unknown option, a missing target: exit 2 */
	NNP_PARSE_BAD_VALUE, /* a value that does not parse, a process that is gone: exit 1 */
};

/* the exit status of a command that stops at its command line */
int nnp_parse_exit(enum nnp_parse r);

enum {
	NNP_OPT_COUNTERS = 0x200,
	NNP_OPT_BTF,
	NNP_OPT_SAMPLE,
	NNP_OPT_RINGBUF,
	NNP_OPT_BUDGET,
	NNP_OPT_PROBE,
	NNP_OPT_SPEC,
	NNP_OPT_RUNTIME,
	NNP_OPT_PROBES_DIR,
	NNP_OPT_OWN
};

#define NNP_LONG_PID                                                                               \
	{                                                                                          \
		"pid", required_argument, NULL, 'p'                                                \
	}
#define NNP_LONG_COUNTERS                                                                          \
	{                                                                                          \
		"counters", required_argument, NULL, NNP_OPT_COUNTERS                              \
	}
#define NNP_LONG_BTF                                                                               \
	{                                                                                          \
		"btf", required_argument, NULL, NNP_OPT_BTF                                        \
	}
#define NNP_LONG_SAMPLE                                                                            \
	{                                                                                          \
		"sample", required_argument, NULL, NNP_OPT_SAMPLE                                  \
	}
#define NNP_LONG_RINGBUF                                                                           \
	{                                                                                          \
		"ringbuf-size", required_argument, NULL, NNP_OPT_RINGBUF                           \
	}
#define NNP_LONG_BUDGET                                                                            \
	{                                                                                          \
		"overhead-budget", required_argument, NULL, NNP_OPT_BUDGET                         \
	}
#define NNP_LONG_PROBE                                                                             \
	{                                                                                          \
		"probe", required_argument, NULL, NNP_OPT_PROBE                                    \
	}
#define NNP_LONG_SPEC                                                                              \
	{                                                                                          \
		"spec", required_argument, NULL, NNP_OPT_SPEC                                      \
	}
#define NNP_LONG_RUNTIME                                                                           \
	{                                                                                          \
		"runtime", required_argument, NULL, NNP_OPT_RUNTIME                                \
	}
#define NNP_LONG_PROBES_DIR                                                                        \
	{                                                                                          \
		"probes-dir", required_argument, NULL, NNP_OPT_PROBES_DIR                          \
	}
#define NNP_LONG_VERBOSE                                                                           \
	{                                                                                          \
		"verbose", no_argument, NULL, 'v'                                                  \
	}

void nnp_common_opts_init(struct nnp_common_opts *c);
void nnp_common_opts_free(struct nnp_common_opts *c);
/* OPT from getopt: 1 if it is a shared option and was taken, 0 if it is not one,
 * -EINVAL after one error line naming the option and the value */
int nnp_common_opt(struct nnp_common_opts *c, int opt, const char *arg);
/*
 * After the last option: the runtimes of the probes directory (--probes-dir, or
 * NNP_PROBES_DIR_DEFAULT) are added, then --runtime is checked against every
 * runtime. 0, or -errno after one error line.
 */
int nnp_common_opts_done(struct nnp_common_opts *c);

/* probe_opts.c: --probe, --spec, --runtime into c (0 or -errno after one error line),
 * and freeing what they added */
int nnp_probe_opt(struct nnp_common_opts *c, int opt, const char *arg);
void nnp_probe_opts_free(struct nnp_common_opts *c);

/* --group-by G: 0, or -EINVAL after one error line naming the values it takes */
int nnp_parse_group_by(const char *arg, enum nnp_group_by *out);
/* "4M", "65536", "1G" -> bytes; 0 or -EINVAL */
int parse_size(const char *s, uint32_t *out);
#define NNP_SAMPLE_MAX 1000000
/* --sample N: a whole number 1..NNP_SAMPLE_MAX; 0 or -EINVAL after one error line
 * naming opt */
int nnp_parse_sample(const char *opt, const char *arg, uint32_t *out);

#endif
