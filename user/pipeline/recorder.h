/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The record loop: one target, launched or attached to, its probes planned and
 * attached, events collected until it exits (or -d, or a signal; with
 * --follow, the next process of its executable too), then the table, the
 * recording and the trace.
 */
#ifndef NNP_RECORDER_H
#define NNP_RECORDER_H

#include <stdbool.h>

#include "run_opts.h"

/*
 * Records as `nnperf record` with these options does: checks
 * privileges, attaches, collects until the target exits, writes o->output.
 * Prints one error line on failure; 0 or -errno.
 */
int nnp_record_run(const struct record_opts *o);
/* a SIGINT/SIGTERM/SIGHUP stopped a recording: callers running several should stop too */
bool nnp_record_interrupted(void);

#endif
