/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The command line of `nnperf top`. */
#ifndef NNP_TOP_OPTS_H
#define NNP_TOP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common_opts.h"
#include "layer_group.h"

struct top_opts {
	struct nnp_common_opts common; /* -p (repeatable), --counters, --sample, -v */
	char **cmd;		       /* -- CMD ARGS, NULL-terminated, or NULL */
	bool all;		       /* neither -p nor a command: every inference process */
	double delay_s;
	bool batch;
	long iterations;	    /* -n: refreshes before exiting; 0 = until q or a signal */
	enum nnp_group_by group_by; /* --group-by: the layer view's groups (NONE: layers) */
};

/* a -p process that does not exist is a bad value; errors print one line */
enum nnp_parse top_opts_parse(int argc, char **argv, struct top_opts *o);
void top_opts_free(struct top_opts *o);

#endif
