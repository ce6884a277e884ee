/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What a process is labelled with beyond what the aggregator knows (the
 * runtime that found it, its model): the monitor knows, and every output that
 * lists processes (Prometheus, JSON lines, top) asks through this callback.
 */
#ifndef NNP_LABELS_H
#define NNP_LABELS_H

#include <stdbool.h>
#include <stdint.h>

struct nnp_proc_labels {
	const char *runtime; /* adapter that found it: "usdt" */
	const char *model;
};

/* fills *out for tgid; false = not a current target (its series are left out) */
typedef bool (*nnp_proc_labels_fn)(void *ctx, uint32_t tgid, struct nnp_proc_labels *out);

#endif
