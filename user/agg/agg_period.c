// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Inferences of runtimes that have no per-inference function to probe (eager
 * PyTorch): a script that runs a model in a loop runs the same sequence of
 * outermost layers again and again. The first outermost layer a thread runs
 * is its anchor; each time the anchor runs again, the previous inference ends
 * at the end of the last outermost layer before it and a new one starts.
 * The last one ends at nnp_agg_period_flush. A model that runs its first
 * layer twice per inference would be counted twice: its runtime's markers or
 * an --probe inference=... site are the fix (they disable this).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

struct nnp_period_thread {
	uint32_t tid;
	struct nnp_layer_key anchor;
	bool open;
	uint64_t start_ns, last_end_ns;
	struct nnp_ksig_sum k; /* outermost layers' signals since start */
	UT_hash_handle hh;
};

static int emit(struct nnp_proc_stats *p, struct nnp_period_thread *t)
{
	int err = nnp_hist_add(&p->infer, t->last_end_ns - t->start_ns);

	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		p->infer_k.counters[i] += t->k.counters[i];
	p->infer_k.offcpu_ns += t->k.offcpu_ns;
	p->infer_k.runq_ns += t->k.runq_ns;
	p->infer_k.fault_ns += t->k.fault_ns;
	p->infer_k.vcsw += t->k.vcsw;
	p->infer_k.ivcsw += t->k.ivcsw;
	p->infer_k.minflt += t->k.minflt;
	p->infer_k.majflt += t->k.majflt;
	p->infer_k.migrations += t->k.migrations;
	memset(&t->k, 0, sizeof(t->k));
	p->period_infers++;
	t->open = false;
	return err;
}

int nnp_agg_period_layer(struct nnp_agg *a, struct nnp_proc_stats *p,
			 const struct nnp_layer_event *e)
{
	struct nnp_layer_key id = { .probe_id = e->hdr.probe_id, .key = e->key };
	struct nnp_period_thread *t;
	int err = 0;

	(void)a;
	HASH_FIND(hh, p->periods, &e->hdr.tid, sizeof(e->hdr.tid), t);
	if (!t) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->tid = e->hdr.tid;
		t->anchor = id;
		HASH_ADD(hh, p->periods, tid, sizeof(t->tid), t);
	}
	if (!memcmp(&id, &t->anchor, sizeof(id))) {
		if (t->open)
			err = emit(p, t);
		t->open = true;
		t->start_ns = e->start_ns;
	}
	if (t->open) {
		t->last_end_ns = e->end_ns;
		nnp_ksig_add(&t->k, &e->k);
	}
	return err;
}

void nnp_agg_period_flush(struct nnp_agg *a, uint32_t tgid)
{
	struct nnp_proc_stats *p;
	struct nnp_period_thread *t;

	for (p = a->procs; p; p = p->hh.next) {
		if (tgid && p->tgid != tgid)
			continue;
		for (t = p->periods; t; t = t->hh.next)
			if (t->open)
				emit(p, t);
	}
}

void nnp_agg_period_free(struct nnp_proc_stats *p)
{
	struct nnp_period_thread *t, *tmp;

	HASH_ITER(hh, p->periods, t, tmp) {
		HASH_DEL(p->periods, t);
		free(t);
	}
}
