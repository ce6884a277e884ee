/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* `nnperf record`'s command line run as a function: compare records each side with it. */
#ifndef NNP_RECORD_RUN_H
#define NNP_RECORD_RUN_H

#include <stdbool.h>

#include "record_opts.h"
#include "recorder.h"

/*
 * The record options of one side of `nnperf compare`: record_argv is
 * {"record", OPTIONS..., "--", CMD..., NULL} as `nnperf record` takes it.
 * Records into out_path, printing nothing on stdout; with out_path NULL only
 * checks the options. Prints one error line on failure; 0 or -errno.
 */
int nnp_record_to_file(char **record_argv, int argc, const char *out_path);

#endif
