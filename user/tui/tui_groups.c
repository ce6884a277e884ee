// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui_groups.h"

/* a group's window: self time of all its layers, kernel signals of the counted ones */
struct sums {
	uint64_t calls, self_ns, kcalls, kwall_ns, offcpu_ns, runq_ns, faults;
	double share;
	bool share_ok;
	size_t first; /* its first layer row: says which signals are n/a */
};

static int reserve(struct tui_groups *g, size_t n)
{
	if (n > g->of_cap) {
		int *of = realloc(g->of, n * sizeof(*of));
		struct tui_group_row *r = realloc(g->rows, n * sizeof(*r));

		if (of)
			g->of = of;
		if (r)
			g->rows = r;
		if (!of || !r)
			return -ENOMEM;
		g->of_cap = g->cap = n;
	}
	return 0;
}

static uint64_t name_key(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* the index of the group named NAME, added in order of first sight */
static int group_index(struct tui_groups *g, const char *name, uint64_t order)
{
	for (size_t i = 0; i < g->n; i++)
		if (!strcmp(g->rows[i].name, name))
			return (int)i;
	g->rows[g->n] = (struct tui_group_row){ .key = name_key(name), .order = order };
	snprintf(g->rows[g->n].name, sizeof(g->rows[g->n].name), "%s", name);
	return (int)g->n++;
}

static void add_layer(struct sums *s, const struct tui_layer_row *l, bool counted)
{
	s->calls += l->w.calls;
	s->self_ns += l->w.self_ns;
	if (l->share.st == TUI_V_OK) {
		s->share += l->share.v;
		s->share_ok = true;
	}
	if (!counted)
		return;
	s->kcalls += l->w.calls;
	s->kwall_ns += l->w.wall_ns;
	s->offcpu_ns += l->w.offcpu_ns;
	s->runq_ns += l->w.runq_ns;
	s->faults += l->w.faults;
}

/* a value, or the n/a of the layers' own column, or "-" when nothing ran */
static struct tui_val val(const struct tui_val *like, double num, double den)
{
	if (like->st == TUI_V_NA)
		return *like;
	if (den <= 0)
		return (struct tui_val){ .st = TUI_V_NONE };
	return (struct tui_val){ .v = num / den, .st = TUI_V_OK };
}

static void finish(struct tui_group_row *r, const struct sums *s, const struct tui_proc_row *p)
{
	const struct tui_layer_row *l = &p->layers[s->first];
	const struct tui_val rate = { .st = TUI_V_OK };
	double dt = p->window_s > 0 ? p->window_s : 1e-9, sample = p->sample ? p->sample : 1;

	r->calls_s = val(&rate, (double)s->calls * sample, dt);
	r->self_inf_ns = val(&rate, (double)s->self_ns * sample, (double)p->window_infers);
	r->share = s->share_ok ? (struct tui_val){ .v = s->share, .st = TUI_V_OK }
			       : (struct tui_val){ .st = TUI_V_NONE };
	r->offcpu_share = val(&l->offcpu_share, (double)s->offcpu_ns, (double)s->kwall_ns);
	r->runq_ns = val(&l->runq_ns, (double)s->runq_ns, (double)s->kcalls);
	r->faults_s = val(&l->faults_s, (double)s->faults, dt);
}

/* is layer I inside a layer of its own group? STACK holds its ancestors' rows */
static bool in_own_group(const struct tui_groups *g, const size_t *stack, unsigned int depth,
			 size_t i)
{
	for (unsigned int d = 0; d < depth; d++)
		if (g->of[stack[d]] == g->of[i])
			return true;
	return false;
}

static void sum_layers(struct tui_groups *g, const struct tui_proc_row *p, struct sums *s)
{
	size_t stack[NNP_AGG_MAX_NEST + 1];
	unsigned int sp = 0;

	for (size_t i = 0; i < p->nlayer_rows; i++) {
		const struct tui_layer_row *l = &p->layers[i];
		/* rows come in tree order: the ancestors of a layer at depth d are the
		 * last rows seen at depths 0..d-1 (a cycle's odd depth is clamped) */
		unsigned int d = l->depth < sp ? l->depth : sp;
		struct sums *gs = &s[g->of[i]];

		if (d > NNP_AGG_MAX_NEST)
			d = NNP_AGG_MAX_NEST;
		if (!g->rows[g->of[i]].nlayers)
			gs->first = i;
		g->rows[g->of[i]].nlayers++;
		add_layer(gs, l, !in_own_group(g, stack, d, i));
		stack[d] = i;
		sp = d + 1;
	}
}

/* each layer's group in execution order (nnp_group_layers: ggml's unnamed nodes
 * go with the block around them); -errno */
static int layer_groups(const struct tui_proc_row *p, enum nnp_group_by by,
			char (**names)[NNP_GROUP_LEN])
{
	size_t n = p->nlayer_rows;
	const char **nv = calloc(n, sizeof(*nv)), **ov = calloc(n, sizeof(*ov));
	int *from = calloc(n, sizeof(*from)), err = -ENOMEM;

	*names = calloc(n, sizeof(**names));
	if (nv && ov && from && *names) {
		for (size_t i = 0; i < n; i++) {
			nv[i] = p->layers[i].name;
			ov[i] = p->layers[i].op;
		}
		err = nnp_group_layers(by, nv, ov, n, *names, from);
	}
	free(nv);
	free(ov);
	free(from);
	if (err) {
		free(*names);
		*names = NULL;
	}
	return err;
}

int tui_groups_build(struct tui_groups *g, const struct tui_proc_row *p, enum nnp_group_by by)
{
	char(*names)[NNP_GROUP_LEN] = NULL;
	struct sums *s;
	size_t n = p ? p->nlayer_rows : 0;
	int err = by == NNP_GROUP_NONE ? -EINVAL : reserve(g, n);

	g->n = 0;
	if (err || !n)
		return err;
	err = layer_groups(p, by, &names);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++)
		g->of[i] = group_index(g, names[i], p->layers[i].order);
	free(names);
	s = calloc(g->n, sizeof(*s));
	if (!s)
		return -ENOMEM;
	sum_layers(g, p, s);
	for (size_t k = 0; k < g->n; k++)
		finish(&g->rows[k], &s[k], p);
	free(s);
	return 0;
}

void tui_groups_free(struct tui_groups *g)
{
	free(g->rows);
	free(g->of);
	*g = (struct tui_groups){ 0 };
}
