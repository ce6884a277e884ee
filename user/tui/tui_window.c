// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tui_window.h"

int tui_hist_copy(struct nnp_hist *dst, const struct nnp_hist *src)
{
	return nnp_hist_copy(dst, src);
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

int tui_hist_delta(struct nnp_hist *dst, const struct nnp_hist *cur, const struct nnp_hist *prev)
{
	int err = nnp_hist_copy(dst, cur);

	if (err)
		return err;
	for (unsigned int i = 0; i < dst->n; i++)
		dst->c[i] = (uint32_t)sub(dst->c[i], nnp_hist_bucket(prev, dst->first + i));
	dst->count = sub(cur->count, prev->count);
	dst->sum = sub(cur->sum, prev->sum);
	dst->sumsq = cur->sumsq > prev->sumsq ? cur->sumsq - prev->sumsq : 0;
	return 0;
}

void tui_ksig_delta(struct nnp_ksig_sum *d, const struct nnp_ksig_sum *cur,
		    const struct nnp_ksig_sum *prev)
{
	d->offcpu_ns = sub(cur->offcpu_ns, prev->offcpu_ns);
	d->runq_ns = sub(cur->runq_ns, prev->runq_ns);
	d->fault_ns = sub(cur->fault_ns, prev->fault_ns);
	d->vcsw = sub(cur->vcsw, prev->vcsw);
	d->ivcsw = sub(cur->ivcsw, prev->ivcsw);
	d->minflt = sub(cur->minflt, prev->minflt);
	d->majflt = sub(cur->majflt, prev->majflt);
	d->migrations = sub(cur->migrations, prev->migrations);
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		d->counters[i] = sub(cur->counters[i], prev->counters[i]);
}
