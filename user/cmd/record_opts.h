/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line of `nnperf record`. */
#ifndef NNP_RECORD_OPTS_H
#define NNP_RECORD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common_opts.h"
#include "probe_spec.h"

enum nnp_out_format { NNP_OUT_TABLE, NNP_OUT_JSON };

struct nnp_node_names;

struct record_opts {
	struct nnp_common_opts common; /* -p, --counters, --btf, --sample, --ringbuf-size, -v */
	pid_t pid;		       /* -p: the one process (record attaches to one) */
	char **cmd;		       /* after --, NULL-terminated */
	double duration_s;	       /* -d, 0 = until the target exits or SIGINT */
	const char *output;	       /* -o FILE (JSON) */
	enum nnp_out_format format;
	bool usdt_auto;
	uint32_t max_sites;
	const char *runtime;	    /* --runtime NAME, NULL = every adapter */
	struct nnp_probe_def *defs; /* --probe and --spec, in order */
	size_t ndefs;
	const char **runtimes; /* per def: "probe" or "spec" */
	const char *trace;     /* --trace FILE: Chrome/Perfetto trace events */
	bool quiet;	       /* print nothing on stdout (nnperf compare) */
	bool follow;	       /* --follow: re-attach to the next process of the same exe */
	struct nnp_node_names *node_names; /* --node-names FILE, read at parse time */
};

/* errors print one line */
enum nnp_parse record_opts_parse(int argc, char **argv, struct record_opts *o);
void record_opts_free(struct record_opts *o);

#endif
