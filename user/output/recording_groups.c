// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recording_groups.h"

int nnp_rec_groups(struct nnp_layer_stats *const *ls, size_t n, enum nnp_group_by by,
		   struct nnp_rec_group **out, size_t *ngroups)
{
	struct nnp_rec_group *v, *g, *by_name = NULL;
	char name[NNP_GROUP_LEN];
	size_t ng = 0;
	int from;

	*out = NULL;
	*ngroups = 0;
	if (by == NNP_GROUP_NONE)
		return -EINVAL;
	if (!n)
		return 0;
	v = calloc(n, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		from = nnp_group_of(by, ls[i]->name, ls[i]->op, name, sizeof(name));
		if (from < 0) {
			HASH_CLEAR(hh, by_name);
			free(v);
			return from;
		}
		HASH_FIND_STR(by_name, name, g);
		if (!g) {
			g = &v[ng++];
			memcpy(g->name, name, sizeof(name));
			g->from = from;
			g->first = i;
			HASH_ADD_STR(by_name, name, g);
		}
		g->layers++;
		g->calls += ls[i]->hist.count;
		g->self_ns += ls[i]->self_ns;
		g->total_ns += ls[i]->hist.sum;
	}
	HASH_CLEAR(hh, by_name);
	*out = v;
	*ngroups = ng;
	return 0;
}

bool nnp_rec_group_share(const struct nnp_agg *a, const struct nnp_proc_stats *p,
			 const struct nnp_rec_group *g, double *share)
{
	if (!p->infer.count || !p->infer.sum)
		return false;
	*share = (double)g->self_ns * nnp_agg_sample(a) / (double)p->infer.sum;
	return true;
}

const char *nnp_rec_group_rule(enum nnp_group_by by)
{
	switch (by) {
	case NNP_GROUP_BLOCK:
		return "by block (blk.N or a numbered module in the name, else the op type)";
	case NNP_GROUP_PART:
		return "by part (attention, feed-forward, norm, input, output from llama.cpp's "
		       "names, else the op type)";
	case NNP_GROUP_OP:
		return "by op type";
	default:
		return "none";
	}
}
