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

/* the group of layer L into g[*n] or the one already there; -errno */
static int add_side(struct diff_group *g, size_t *n, struct gidx **idx, struct gidx *slots,
		    enum nnp_group_by by, const struct diff_profile *p, const struct diff_layer *l,
		    bool b)
{
	char name[NNP_GROUP_LEN];
	int from = nnp_group_of(by, l->name, l->op, name, sizeof(name));
	struct gidx *e;
	double v = self_per_infer(p, l);

	if (from < 0)
		return from;
	HASH_FIND_STR(*idx, name, e);
	if (!e) {
		e = &slots[*n];
		memcpy(g[*n].name, name, sizeof(name));
		g[*n].from = from;
		e->name = g[*n].name;
		e->i = (*n)++;
		HASH_ADD_KEYPTR(hh, *idx, e->name, strlen(e->name), e);
	}
	if (b) {
		g[e->i].b_layers++;
		g[e->i].b_ns += isfinite(v) ? v : 0;
	} else {
		g[e->i].a_layers++;
		g[e->i].a_ns += isfinite(v) ? v : 0;
	}
	return 0;
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
	struct gidx *idx = NULL, *slots;
	int err = 0;

	if (by == NNP_GROUP_NONE)
		return -EINVAL;
	r->groups = calloc(2 * r->n + 1, sizeof(*r->groups));
	slots = calloc(2 * r->n + 1, sizeof(*slots));
	if (!r->groups || !slots) {
		free(slots);
		free(r->groups);
		r->groups = NULL;
		return -ENOMEM;
	}
	r->group_by = by;
	for (size_t i = 0; i < r->n && !err; i++) {
		const struct diff_pair *p = &r->rows[i].pair;

		if (p->a)
			err = add_side(r->groups, &r->ngroups, &idx, slots, by, r->a, p->a, false);
		if (!err && p->b)
			err = add_side(r->groups, &r->ngroups, &idx, slots, by, r->b, p->b, true);
	}
	HASH_CLEAR(hh, idx);
	free(slots);
	finish(r);
	return err;
}

unsigned int diff_row_depth(const struct diff_row *row)
{
	return row->pair.a ? row->pair.a->depth : row->pair.b->depth;
}
