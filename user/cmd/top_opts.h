/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The command line of `nnperf top`. */
#ifndef NNP_TOP_OPTS_H
#define NNP_TOP_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct top_opts {
	pid_t *pids; /* -p, repeatable */
	size_t npids;
	char **cmd; /* -- CMD ARGS, NULL-terminated, or NULL */
	bool all;   /* neither -p nor a command: every inference process */
	double delay_s;
	bool batch;
	long iterations; /* -n: refreshes before exiting; 0 = until q or a signal */
	const char *counters;
	uint32_t sample; /* --sample N: one layer call in N measured */
};

/*
 * 0; 1 after --help (printed); 2 for a usage error, 3 for a bad value or a
 * -p process that does not exist (one error line printed)
 */
int top_opts_parse(int argc, char **argv, struct top_opts *o);
void top_opts_free(struct top_opts *o);

#endif
