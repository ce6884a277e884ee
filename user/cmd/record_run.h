/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `nnperf record` as a function, for commands that record several runs (compare). */
#ifndef NNP_RECORD_RUN_H
#define NNP_RECORD_RUN_H

#include <stdbool.h>

#include "record_opts.h"

/*
 * Records as `nnperf record` with these options would (cmd_record.c): checks
 * privileges, attaches, collects until the target exits, writes o->output.
 * Prints one error line on failure; 0 or -errno.
 */
int nnp_record_run(const struct record_opts *o);
/* a SIGINT/SIGTERM/SIGHUP stopped a recording: callers running several should stop too */
bool nnp_record_interrupted(void);

/*
 * The record options of one side of `nnperf compare`: record_argv is
 * {"record", OPTIONS..., "--", CMD..., NULL} as `nnperf record` takes it.
 * Records into out_path, printing nothing on stdout; with out_path NULL only
 * checks the options. Prints one error line on failure; 0 or -errno.
 */
int nnp_record_to_file(char **record_argv, int argc, const char *out_path);

#endif
