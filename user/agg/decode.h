/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One ring-buffer record (bpf/nnperf_abi.h), checked and copied out: the
 * ring buffer promises only 8-byte alignment, and a record may be short or of
 * a type this build does not know. The aggregator and the trace writer both
 * read records through this.
 */
#ifndef NNP_DECODE_H
#define NNP_DECODE_H

#include <stddef.h>

#include "nnperf_abi.h"

union nnp_event {
	struct nnp_event_hdr hdr;
	struct nnp_layer_event layer;
	struct nnp_infer_event infer;
	struct nnp_name_event name;
	struct nnp_preempt_event preempt;
};

/* Copies the record at DATA into EV: 0, or -EINVAL for a record shorter than
 * its type, of an unknown type, or with an interval that ends before it starts. */
int nnp_event_decode(const void *data, size_t size, union nnp_event *ev);

#endif /* NNP_EVENT_H */
