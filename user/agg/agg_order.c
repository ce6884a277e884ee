// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Execution order: the order in which layers start within an inference. A
 * layer takes its place from its first call inside an inference: how long
 * after that inference began the call started. The inference's start comes
 * with its event, after its layers' events, so the call waits until then
 * (one per layer: the first call of the latest inference it ran in, so that a
 * lost inference event only delays it). An offset, not a time: attached in
 * the middle of an inference, the rest of it is seen first, outside any
 * (BPF missed its begin); with --sample N each inference measures other
 * layers; a branch first taken in a later inference still lands in its place.
 * Layers never placed (runtimes without inference events, whose inferences
 * agg_period.c finds) keep first-seen order, after the placed ones.
 */
#include <errno.h>
#include <stdlib.h>

#include "agg.h"

void nnp_agg_order_layer(struct nnp_proc_stats *p, struct nnp_layer_stats *l,
			 const struct nnp_layer_event *e)
{
	if (l->exec_placed || !e->infer_seq)
		return;
	if (l->exec_seq && l->exec_seq == e->infer_seq && l->exec_tid == e->hdr.tid)
		return; /* a later call in the same inference */
	if (!l->exec_seq)
		p->exec_waiting++;
	l->exec_seq = e->infer_seq;
	l->exec_tid = e->hdr.tid;
	l->exec_start_ns = e->start_ns;
}

void nnp_agg_order_infer(struct nnp_proc_stats *p, const struct nnp_infer_event *e)
{
	struct nnp_layer_stats *l, *tmp;

	if (!p->exec_waiting)
		return;
	HASH_ITER(hh, p->layers, l, tmp) {
		if (l->exec_placed || l->exec_seq != e->infer_seq || l->exec_tid != e->hdr.tid)
			continue;
		l->exec_ns = l->exec_start_ns > e->start_ns ? l->exec_start_ns - e->start_ns : 0;
		l->exec_placed = true;
		l->exec_seq = 0;
		p->exec_waiting--;
	}
}

static int cmp_exec(const void *x, const void *y)
{
	const struct nnp_layer_stats *l = *(struct nnp_layer_stats *const *)x;
	const struct nnp_layer_stats *r = *(struct nnp_layer_stats *const *)y;

	if (l->exec_placed != r->exec_placed)
		return l->exec_placed ? -1 : 1;
	if (l->exec_placed && l->exec_ns != r->exec_ns)
		return l->exec_ns < r->exec_ns ? -1 : 1;
	return l->order < r->order ? -1 : l->order > r->order;
}

int nnp_agg_sorted_layers(const struct nnp_proc_stats *p, struct nnp_layer_stats ***out, size_t *n)
{
	struct nnp_layer_stats *l, *tmp, **v;
	size_t i = 0, cnt = HASH_COUNT(p->layers);

	*out = NULL;
	*n = 0;
	if (!cnt)
		return 0;
	v = malloc(cnt * sizeof(*v));
	if (!v)
		return -ENOMEM;
	HASH_ITER(hh, p->layers, l, tmp)
		v[i++] = l;
	qsort(v, cnt, sizeof(*v), cmp_exec);
	if (nnp_agg_tree_order(p, v, cnt)) {
		free(v);
		return -ENOMEM;
	}
	*out = v;
	*n = cnt;
	return 0;
}
