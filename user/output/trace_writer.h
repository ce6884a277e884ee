/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `nnperf record --trace FILE`: the Chrome trace-event format (JSON object
 * form, read by Perfetto and chrome://tracing), streamed as events arrive:
 * one complete ("X") slice per layer call and per inference, on the thread
 * that ran it, plus process and thread names ("M"). Memory stays bounded by
 * the number of threads seen.
 */
#ifndef NNP_TRACE_WRITER_H
#define NNP_TRACE_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "agg.h"

struct nnp_trace;

/* creates path and writes the header; 0 or -errno */
int nnp_trace_open(const char *path, struct nnp_trace **out);
/* whether off-CPU time was measured (scheduler hooks on): without it the
 * slices carry no offcpu_ns, rather than a made-up 0 */
void nnp_trace_set_offcpu(struct nnp_trace *t, bool measured);
/*
 * One decoded ring-buffer record (nnp_event_decode), after the aggregator
 * has applied it: layer names and ops are the aggregator's at that moment.
 */
void nnp_trace_event(struct nnp_trace *t, struct nnp_agg *a, const union nnp_event *ev);
/* finishes the JSON document and frees t; 0 or the first write error (-errno) */
int nnp_trace_close(struct nnp_trace *t);

#endif
