// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `--group-by` for diff and compare: each side's layers go to the group of
 * their own name and op (a layer renamed between A and B may change group),
 * and a group's time is its layers' self time per inference, so groups add up
 * to what the layers explain, nested layers counted once.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "diff_result.h"

struct gidx {
	const char *name;
	size_t i;
	UT_hash_handle hh;
};

static double self_per_infer(const struct diff_profile *p, const struct diff_layer *l)
{
	return p->infer.count ? l->self_ns / (double)p->infer.count : NAN;
}

/* a side's layers in row order, grouped with nnp_group_layers */
struct side_groups {
	char (*name)[NNP_GROUP_LEN];
	int *from;
	size_t n;
};

static int side_groups(const struct diff_result *r, bool b, enum nnp_group_by by,
		       struct side_groups *s)
{
	const char **nv = calloc(r->n + 1, sizeof(*nv)), **ov = calloc(r->n + 1, sizeof(*ov));
	int err = -ENOMEM;

	s->name = calloc(r->n + 1, sizeof(*s->name));
	s->from = calloc(r->n + 1, sizeof(*s->from));
	s->n = 0;
	if (nv && ov && s->name && s->from) {
		for (size_t i = 0; i < r->n; i++) {
			const struct diff_layer *l = b ? r->rows[i].pair.b : r->rows[i].pair.a;

			if (l) {
				nv[s->n] = l->name;
				ov[s->n++] = l->op;
			}
		}
		err = nnp_group_layers(by, nv, ov, s->n, s->name, s->from);
	}
	free(nv);
	free(ov);
	return err;
}

/* the group called name, added at the end when new */
static struct diff_group *group_at(struct diff_result *r, struct gidx **idx, struct gidx *slots,
				   const char *name, int from)
{
	struct gidx *e;

	HASH_FIND_STR(*idx, name, e);
	if (e && from == NNP_GROUP_FROM_NAME) /* a group is named if one layer names it */
		r->groups[e->i].from = from;
	if (e)
		return &r->groups[e->i];
	e = &slots[r->ngroups];
	snprintf(r->groups[r->ngroups].name, NNP_GROUP_LEN, "%s", name);
	r->groups[r->ngroups].from = from;
	e->name = r->groups[r->ngroups].name;
	e->i = r->ngroups++;
	HASH_ADD_KEYPTR(hh, *idx, e->name, strlen(e->name), e);
	return &r->groups[e->i];
}

static void add_rows(struct diff_result *r, const struct side_groups *sa,
		     const struct side_groups *sb, struct gidx *slots)
{
	struct gidx *idx = NULL;
	size_t ia = 0, ib = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct diff_pair *p = &r->rows[i].pair;
		struct diff_group *g;
		double v;

		if (p->a) {
			g = group_at(r, &idx, slots, sa->name[ia], sa->from[ia]);
			ia++;
			v = self_per_infer(r->a, p->a);
			g->a_layers++;
			g->a_ns += isfinite(v) ? v : 0;
		}
		if (p->b) {
			g = group_at(r, &idx, slots, sb->name[ib], sb->from[ib]);
			ib++;
			v = self_per_infer(r->b, p->b);
			g->b_layers++;
			g->b_ns += isfinite(v) ? v : 0;
		}
	}
	HASH_CLEAR(hh, idx);
}

static void finish(struct diff_result *r)
{
	double total = r->infer_delta.est;

	for (size_t i = 0; i < r->ngroups; i++) {
		struct diff_group *g = &r->groups[i];

		g->speedup = g->b_ns > 0 && g->a_layers && g->b_layers ? g->a_ns / g->b_ns : NAN;
		g->delta_ns = g->b_ns - g->a_ns;
		g->share = isfinite(total) && total != 0 ? g->delta_ns / total : NAN;
	}
}

int diff_groups(struct diff_result *r, enum nnp_group_by by)
{
	struct side_groups sa = { 0 }, sb = { 0 };
	struct gidx *slots = NULL;
	int err;

	if (by == NNP_GROUP_NONE)
		return -EINVAL;
	err = side_groups(r, false, by, &sa);
	if (!err)
		err = side_groups(r, true, by, &sb);
	r->groups = err ? NULL : calloc(2 * r->n + 1, sizeof(*r->groups));
	slots = err ? NULL : calloc(2 * r->n + 1, sizeof(*slots));
	if (!err && (!r->groups || !slots))
		err = -ENOMEM;
	if (!err) {
		r->group_by = by;
		add_rows(r, &sa, &sb, slots);
		finish(r);
	} else {
		free(r->groups);
		r->groups = NULL;
	}
	free(slots);
	free(sa.name);
	free(sa.from);
	free(sb.name);
	free(sb.from);
	return err;
}

unsigned int diff_row_depth(const struct diff_row *row)
{
	return row->pair.a ? row->pair.a->depth : row->pair.b->depth;
}
