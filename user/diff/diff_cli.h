/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What `nnperf diff` and `nnperf compare` share: the output options and the final step. */
#ifndef NNP_DIFF_CLI_H
#define NNP_DIFF_CLI_H

#include <stdbool.h>

#include "diff_writers.h"

struct diff_out_opts {
	enum diff_format format;
	const char *output;	    /* -o FILE, NULL = stdout */
	bool force;		    /* diff recordings that look unrelated */
	enum nnp_group_by group_by; /* --group-by: groups after the layers */
};

/*
 * Compares two finished profiles and writes the result; prints one error line
 * on failure. Returns the exit status: 0, or 1.
 */
int diff_cli_run(const struct diff_profile *a, const struct diff_profile *b,
		 const struct diff_out_opts *o);

/* one of diff's output options (getopt code 'f', 'o', 'F', 'v', 'g'); 0, or 2: usage error */
int diff_parse_out_opt(int c, const char *arg, struct diff_out_opts *o);

#endif
