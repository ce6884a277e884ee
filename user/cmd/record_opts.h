/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Command line of `nnperf record`. */
#ifndef NNP_RECORD_OPTS_H
#define NNP_RECORD_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common_opts.h"
#include "run_opts.h"

/* errors print one line */
enum nnp_parse record_opts_parse(int argc, char **argv, struct record_opts *o);
void record_opts_free(struct record_opts *o);

#endif
