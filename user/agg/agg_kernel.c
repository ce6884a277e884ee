// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The aggregator's kernel-signal part: sums of struct nnp_ksig and the
 * table of tasks that preempted a process's inferences. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "text.h"

void nnp_ksig_add(struct nnp_ksig_sum *s, const struct nnp_ksig *k)
{
	s->offcpu_ns += k->offcpu_ns;
	s->runq_ns += k->runq_ns;
	s->fault_ns += k->fault_ns;
	s->vcsw += k->vcsw;
	s->ivcsw += k->ivcsw;
	s->minflt += k->minflt;
	s->majflt += k->majflt;
	s->migrations += k->migrations;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		s->counters[i] += k->counters[i];
}

int nnp_agg_preempt(struct nnp_agg *a, struct nnp_proc_stats *p, const struct nnp_preempt_event *e)
{
	uint64_t ns = e->end_ns - e->start_ns;
	struct nnp_preemptor *t;

	(void)a;
	HASH_FIND(hh, p->preemptors, &e->by_pid, sizeof(e->by_pid), t);
	if (!t && p->npreemptors < NNP_MAX_PREEMPTORS) {
		t = calloc(1, sizeof(*t));
		if (!t)
			return -ENOMEM;
		t->pid = e->by_pid;
		t->tgid = e->by_tgid;
		nnp_text_copy(t->comm, sizeof(t->comm), e->by_comm, sizeof(e->by_comm));
		HASH_ADD(hh, p->preemptors, pid, sizeof(t->pid), t);
		p->npreemptors++;
	}
	if (!t) {
		p->preempt_other_count++;
		p->preempt_other_ns += ns;
		return 0;
	}
	t->count++;
	t->total_ns += ns;
	return 0;
}

void nnp_agg_free_preemptors(struct nnp_proc_stats *p)
{
	struct nnp_preemptor *t, *tmp;

	HASH_ITER(hh, p->preemptors, t, tmp) {
		HASH_DEL(p->preemptors, t);
		free(t);
	}
	p->npreemptors = 0;
}

static int cmp_time(const void *x, const void *y)
{
	const struct nnp_preemptor *l = *(struct nnp_preemptor *const *)x;
	const struct nnp_preemptor *r = *(struct nnp_preemptor *const *)y;

	if (l->total_ns != r->total_ns)
		return l->total_ns > r->total_ns ? -1 : 1;
	return l->pid < r->pid ? -1 : l->pid > r->pid;
}

int nnp_agg_sorted_preemptors(const struct nnp_proc_stats *p, struct nnp_preemptor ***out,
			      size_t *n)
{
	struct nnp_preemptor **v = calloc(p->npreemptors + 1, sizeof(*v));
	const struct nnp_preemptor *t;
	size_t i = 0;

	if (!v)
		return -ENOMEM;
	for (t = p->preemptors; t; t = t->hh.next)
		v[i++] = (struct nnp_preemptor *)t;
	qsort(v, i, sizeof(*v), cmp_time);
	*out = v;
	*n = i;
	return 0;
}
