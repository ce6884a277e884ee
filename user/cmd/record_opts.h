/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line of `nnperf record`. */
#ifndef NNP_RECORD_OPTS_H
#define NNP_RECORD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe_spec.h"

enum nnp_out_format { NNP_OUT_TABLE, NNP_OUT_JSON };

struct nnp_node_names;

struct record_opts {
	pid_t pid;	    /* -p */
	char **cmd;	    /* after --, NULL-terminated */
	double duration_s;  /* -d, 0 = until the target exits or SIGINT */
	const char *output; /* -o FILE (JSON) */
	enum nnp_out_format format;
	bool usdt_auto;
	uint32_t ringbuf_bytes;
	uint32_t max_sites;
	const char *counters;       /* --counters LIST, NULL = the default */
	const char *runtime;        /* --runtime NAME, NULL = every adapter */
	struct nnp_probe_def *defs; /* --probe and --spec, in order */
	size_t ndefs;
	const char **runtimes; /* per def: "probe" or "spec" */
	const char *trace;     /* --trace FILE: Chrome/Perfetto trace events */
	bool quiet;	       /* print nothing on stdout (nnperf compare) */
	bool follow;	       /* --follow: re-attach to the next process of the same exe */
	uint32_t sample;       /* --sample N: measure one layer call in N (1 = every call) */
	struct nnp_node_names *node_names; /* --node-names FILE, read at parse time */
};

/* 0; 1: help printed (exit 0); 2: usage error (unknown option, no target);
 * 3: a bad value (exit 1). Errors print one line. */
int record_opts_parse(int argc, char **argv, struct record_opts *o);
void record_opts_free(struct record_opts *o);
/* "4M", "65536", "1G" -> bytes; 0 or -EINVAL */
int parse_size(const char *s, uint32_t *out);
#define NNP_SAMPLE_MAX 1000000
/* --sample N (record, export, top): a whole number 1..NNP_SAMPLE_MAX; 0 or
 * -EINVAL after one error line naming opt */
int nnp_parse_sample(const char *opt, const char *arg, uint32_t *out);

#endif
