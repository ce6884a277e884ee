/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a run of record, export or top is asked to do, as their command lines
 * (cmd/common_opts.c, cmd/record_opts.c) fill it in.
 */
#ifndef NNP_RUN_OPTS_H
#define NNP_RUN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "layer_group.h"
#include "probe_spec.h"

/* the options record, export and top share */
struct nnp_common_opts {
	pid_t *pids; /* -p, in order */
	size_t npids;
	const char *counters;	    /* --counters LIST, NULL = the default */
	uint32_t sample;	    /* --sample N: one layer call in N measured (1: all) */
	uint32_t ringbuf_bytes;	    /* --ringbuf-size, 0 = the default */
	double overhead_budget;	    /* --overhead-budget PCT, 0: none */
	struct nnp_probe_def *defs; /* --probe and --spec, in order */
	size_t ndefs;
	const char **def_runtimes; /* per def: "probe", "spec" or its file's runtime= */
	char **spec_names;	   /* the runtime= names def_runtimes point to */
	size_t nspec_names;
	const char *runtime;	/* --runtime NAME, NULL = every adapter */
	const char *probes_dir; /* --probes-dir DIR, NULL = the default */
};

enum nnp_out_format { NNP_OUT_TABLE, NNP_OUT_JSON };

struct nnp_node_names;

struct record_opts {
	struct nnp_common_opts common; /* -p, --counters, --btf, --sample, --ringbuf-size,
					  --probe, --spec, --runtime, -v */
	pid_t pid;		       /* -p: the one process (record attaches to one) */
	char **cmd;		       /* after --, NULL-terminated */
	double duration_s;	       /* -d, 0 = until the target exits or SIGINT */
	const char *output;	       /* -o FILE (JSON) */
	enum nnp_out_format format;
	bool usdt_auto;
	uint32_t max_sites;
	const char *trace; /* --trace FILE: Chrome/Perfetto trace events */
	bool quiet;	   /* print nothing on stdout (nnperf compare) */
	bool follow;	   /* --follow: re-attach to the next process of the same exe */
	struct nnp_node_names *node_names; /* --node-names FILE, read at parse time */
	enum nnp_group_by group_by;	   /* --group-by: groups in the table and JSON */
};

#endif
