// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "recording_groups.h"

/* each layer's group name and where it came from (nnp_group_layers); -errno */
static int layer_groups(struct nnp_layer_stats *const *ls, size_t n, enum nnp_group_by by,
			char (**names)[NNP_GROUP_LEN], int **from)
{
	const char **nv = calloc(n, sizeof(*nv)), **ov = calloc(n, sizeof(*ov));
	int err = -ENOMEM;

	*names = calloc(n, sizeof(**names));
	*from = calloc(n, sizeof(**from));
	if (nv && ov && *names && *from) {
		for (size_t i = 0; i < n; i++) {
			nv[i] = ls[i]->name;
			ov[i] = ls[i]->op;
		}
		err = nnp_group_layers(by, nv, ov, n, *names, *from);
	}
	free(nv);
	free(ov);
	return err;
}

/* groups of the layers' names into v, in the order of their first layer */
static uint64_t scaled(uint64_t v, double scale)
{
	return scale > 1 ? (uint64_t)((double)v * scale + 0.5) : v;
}

static size_t collect(const struct nnp_agg *a, struct nnp_layer_stats *const *ls, size_t n,
		      char (*names)[NNP_GROUP_LEN], const int *from, struct nnp_rec_group *v,
		      size_t *of_layer)
{
	struct nnp_rec_group *g, *by_name = NULL;
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		double sc = nnp_agg_probe_scale(a, ls[i]);

		HASH_FIND_STR(by_name, names[i], g);
		if (!g) {
			g = &v[ng++];
			memcpy(g->name, names[i], NNP_GROUP_LEN);
			g->from = from[i];
			g->first = i;
			HASH_ADD_STR(by_name, name, g);
		}
		if (from[i] == NNP_GROUP_FROM_NAME) /* a group is named if one layer names it */
			g->from = from[i];
		g->layers++;
		g->calls += scaled(ls[i]->hist.count, sc);
		g->self_ns += scaled(ls[i]->self_ns, sc);
		g->total_ns += scaled(ls[i]->hist.sum, sc);
		if (of_layer)
			of_layer[i] = (size_t)(g - v);
	}
	HASH_CLEAR(hh, by_name);
	return ng;
}

int nnp_rec_groups(const struct nnp_agg *a, struct nnp_layer_stats *const *ls, size_t n,
		   enum nnp_group_by by, struct nnp_rec_group **out, size_t *ngroups,
		   size_t **of_layer)
{
	char(*names)[NNP_GROUP_LEN] = NULL;
	int *from = NULL, err;

	*out = NULL;
	*ngroups = 0;
	if (of_layer)
		*of_layer = NULL;
	if (by == NNP_GROUP_NONE)
		return -EINVAL;
	if (!n)
		return 0;
	err = layer_groups(ls, n, by, &names, &from);
	if (!err) {
		*out = calloc(n, sizeof(**out));
		if (of_layer)
			*of_layer = calloc(n, sizeof(**of_layer));
		err = *out && (!of_layer || *of_layer) ? 0 : -ENOMEM;
	}
	if (!err)
		*ngroups = collect(a, ls, n, names, from, *out, of_layer ? *of_layer : NULL);
	if (err) {
		free(*out);
		*out = NULL;
		if (of_layer) {
			free(*of_layer);
			*of_layer = NULL;
		}
	}
	free(names);
	free(from);
	return err;
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
