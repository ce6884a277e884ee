// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recording_util.h"
#include "text.h"

static int cmp_pid(const void *x, const void *y)
{
	const struct nnp_proc_stats *l = *(struct nnp_proc_stats *const *)x;
	const struct nnp_proc_stats *r = *(struct nnp_proc_stats *const *)y;

	return l->tgid < r->tgid ? -1 : l->tgid > r->tgid;
}

int nnp_rec_sorted_procs(const struct nnp_agg *a, struct nnp_proc_stats ***out, size_t *n)
{
	struct nnp_proc_stats *p, *tmp, **v;
	size_t i = 0, cnt = HASH_COUNT(a->procs);

	*out = NULL;
	*n = 0;
	if (!cnt)
		return 0;
	v = malloc(cnt * sizeof(*v));
	if (!v)
		return -ENOMEM;
	HASH_ITER(hh, a->procs, p, tmp)
		v[i++] = p;
	qsort(v, cnt, sizeof(*v), cmp_pid);
	*out = v;
	*n = cnt;
	return 0;
}

uint64_t nnp_rec_mean_ns(const struct nnp_hist *h)
{
	if (!h->count)
		return 0;
	return h->sum / h->count + (h->sum % h->count >= (h->count + 1) / 2);
}

bool nnp_rec_share(const struct nnp_proc_stats *p, const struct nnp_layer_stats *l, double *share)
{
	if (!p->infer.count || !p->infer.sum)
		return false;
	/* self time: layers run inside other layers are not counted twice */
	*share = (double)l->self_ns / (double)p->infer.sum;
	return true;
}

bool nnp_rec_share_est(const struct nnp_agg *a, const struct nnp_proc_stats *p,
		       const struct nnp_layer_stats *l, double *share)
{
	if (!nnp_rec_share(p, l, share))
		return false;
	*share *= nnp_agg_scale(a, l);
	return true;
}

void nnp_rec_tree_name(char *buf, size_t len, size_t *width, const struct nnp_proc_stats *p,
		       const struct nnp_layer_stats *l, size_t cols)
{
	size_t indent = 2 * nnp_agg_layer_depth(p, l);

	if (len < indent + 1 || cols <= indent + 1)
		indent = 0;
	memset(buf, ' ', indent);
	*width = indent + nnp_text_display(buf + indent, len - indent, l->name, cols - indent);
}
