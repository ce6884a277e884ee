// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnperf's own cost, as the exporter reports it. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"
#include "monitor.h"

struct prog_fill {
	struct nnp_prog_stat *v;
	size_t n, max;
};

static int on_prog(void *ctx, const char *name, uint64_t run_ns, uint64_t run_cnt)
{
	struct prog_fill *pf = ctx;

	if (pf->n == pf->max)
		return 0;
	snprintf(pf->v[pf->n].name, sizeof(pf->v[pf->n].name), "%s", name);
	pf->v[pf->n].run_ns = run_ns;
	pf->v[pf->n].run_cnt = run_cnt;
	pf->n++;
	return 0;
}

int nnp_monitor_self_stats(struct nnp_monitor *m, struct nnp_self_stats *s,
			   struct nnp_prog_stat *progs, size_t max)
{
	struct nnp_monitor_counts c = nnp_monitor_counts(m);
	struct prog_fill pf = { .v = progs, .max = max };
	int err;

	s->targets = c.targets;
	s->attaches = c.attaches;
	s->attach_failures = c.attach_failures;
	s->cpu_ns = nnp_clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	err = nnp_session_stats(nnp_monitor_session(m), s->bpf);
	if (err)
		return err;
	s->progs = progs;
	s->nprogs = 0;
	if (!s->bpf_stats)
		return 0;
	err = nnp_session_prog_stats(nnp_monitor_session(m), on_prog, &pf);
	s->nprogs = pf.n;
	return err;
}
