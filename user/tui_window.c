// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tui_window.h"

#define ROW_BYTES (NNP_HIST_SUB * sizeof(uint32_t))

static int ensure_row(struct nnp_hist *h, unsigned int r)
{
	if (!h->rows[r])
		h->rows[r] = malloc(ROW_BYTES);
	return h->rows[r] ? 0 : -ENOMEM;
}

int tui_hist_copy(struct nnp_hist *dst, const struct nnp_hist *src)
{
	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++) {
		if (!src->rows[r]) {
			free(dst->rows[r]);
			dst->rows[r] = NULL;
			continue;
		}
		if (ensure_row(dst, r))
			return -ENOMEM;
		memcpy(dst->rows[r], src->rows[r], ROW_BYTES);
	}
	dst->count = src->count;
	dst->sum = src->sum;
	dst->sumsq = src->sumsq;
	dst->min = src->min;
	dst->max = src->max;
	return 0;
}

static uint64_t sub(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

int tui_hist_delta(struct nnp_hist *dst, const struct nnp_hist *cur, const struct nnp_hist *prev)
{
	for (unsigned int r = 0; r < NNP_HIST_ROWS; r++) {
		if (!cur->rows[r]) {
			if (dst->rows[r])
				memset(dst->rows[r], 0, ROW_BYTES);
			continue;
		}
		if (ensure_row(dst, r))
			return -ENOMEM;
		for (unsigned int s = 0; s < NNP_HIST_SUB; s++)
			dst->rows[r][s] =
			    (uint32_t)sub(cur->rows[r][s], prev->rows[r] ? prev->rows[r][s] : 0);
	}
	dst->count = sub(cur->count, prev->count);
	dst->sum = sub(cur->sum, prev->sum);
	dst->sumsq = cur->sumsq > prev->sumsq ? cur->sumsq - prev->sumsq : 0;
	dst->min = cur->min;
	dst->max = cur->max;
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
