// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Nested layers: which layer ran inside which. A layer's event comes when it
 * ends, with its depth (0: outermost probed layer); on one thread the events
 * of the layers inside it came before it, one level deeper and within its
 * time span. Each thread keeps the last NEST_PENDING events above depth 0
 * until the layer they ran inside ends. A layer's parent is the first one it
 * was seen inside; outputs list it right under that parent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"

#define NEST_PENDING 64
#define NEST_MAX_THREADS 4096

struct nest_item {
	struct nnp_layer_key id;
	uint64_t start_ns, end_ns;
	uint32_t depth;
};

struct nnp_nest_thread {
	uint32_t tid;
	uint32_t n;
	struct nest_item item[NEST_PENDING];
	UT_hash_handle hh;
};

static struct nnp_nest_thread *thread_of(struct nnp_proc_stats *p, uint32_t tid, bool create,
					 int *err)
{
	struct nnp_nest_thread *t;

	HASH_FIND(hh, p->nest, &tid, sizeof(tid), t);
	if (t || !create || p->nnest >= NEST_MAX_THREADS)
		return t;
	t = calloc(1, sizeof(*t));
	if (!t) {
		*err = -ENOMEM;
		return NULL;
	}
	t->tid = tid;
	HASH_ADD(hh, p->nest, tid, sizeof(t->tid), t);
	p->nnest++;
	return t;
}

/* the pending layers inside E get E as parent (if they have none) and leave the list */
static void adopt(struct nnp_proc_stats *p, struct nnp_nest_thread *t,
		  const struct nnp_layer_event *e, const struct nnp_layer_stats *l)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < t->n; i++) {
		struct nest_item *it = &t->item[i];
		struct nnp_layer_stats *c;
		bool inside =
		    it->depth > e->depth && it->start_ns >= e->start_ns && it->end_ns <= e->end_ns;

		if (!inside) {
			t->item[kept++] = *it;
			continue;
		}
		if (it->depth != e->depth + 1)
			continue;
		HASH_FIND(hh, p->layers, &it->id, sizeof(it->id), c);
		if (c && c != l && !c->has_parent) {
			c->parent = l->id;
			c->has_parent = true;
		}
	}
	t->n = kept;
}

int nnp_agg_nest_layer(struct nnp_proc_stats *p, const struct nnp_layer_event *e,
		       struct nnp_layer_stats *l)
{
	int err = 0;
	struct nnp_nest_thread *t = thread_of(p, e->hdr.tid, e->depth > 0, &err);

	if (e->depth > 0)
		l->nested++;
	if (!t)
		return err;
	adopt(p, t, e, l);
	if (!e->depth)
		return 0;
	if (t->n == NEST_PENDING) /* a parent that never ends: forget the oldest */
		memmove(t->item, t->item + 1, (NEST_PENDING - 1) * sizeof(t->item[0]));
	t->item[t->n < NEST_PENDING ? t->n++ : NEST_PENDING - 1] = (struct nest_item){
		.id = l->id, .start_ns = e->start_ns, .end_ns = e->end_ns, .depth = e->depth
	};
	return 0;
}

void nnp_agg_nest_free(struct nnp_proc_stats *p)
{
	struct nnp_nest_thread *t, *tmp;

	HASH_ITER(hh, p->nest, t, tmp) {
		HASH_DEL(p->nest, t);
		free(t);
	}
	p->nnest = 0;
}

const struct nnp_layer_stats *nnp_agg_layer_parent(const struct nnp_proc_stats *p,
						   const struct nnp_layer_stats *l)
{
	struct nnp_layer_stats *parent;

	if (!l->has_parent)
		return NULL;
	HASH_FIND(hh, p->layers, &l->parent, sizeof(l->parent), parent);
	return parent != l ? parent : NULL;
}

unsigned int nnp_agg_layer_depth(const struct nnp_proc_stats *p, const struct nnp_layer_stats *l)
{
	unsigned int d = 0;

	for (const struct nnp_layer_stats *x = nnp_agg_layer_parent(p, l);
	     x && d < NNP_AGG_MAX_NEST; x = nnp_agg_layer_parent(p, x)) {
		if (x == l)
			break; /* a cycle: A first ran inside B, B inside A */
		d++;
	}
	return d;
}

/* child lists in the order of v (execution order): first[i], next[i] index v[]; -1 ends */
static void link_children(const struct nnp_proc_stats *p, struct nnp_layer_stats **v, size_t n,
			  int *parent, int *first, int *next)
{
	for (size_t i = 0; i < n; i++) {
		v[i]->scratch = (uint32_t)i;
		first[i] = next[i] = -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct nnp_layer_stats *x = nnp_agg_layer_parent(p, v[i]);

		parent[i] = x ? (int)x->scratch : -1;
	}
	for (size_t k = n; k-- > 0;)
		if (parent[k] >= 0) {
			next[k] = first[parent[k]];
			first[parent[k]] = (int)k;
		}
}

/* appends the subtree of ROOT to out[*k] depth first; STACK holds n ints */
static void walk(struct nnp_layer_stats **v, struct nnp_layer_stats **out, size_t *k, int root,
		 const int *first, const int *next, int *cur, int *stack, char *seen)
{
	int sp = 0;

	out[(*k)++] = v[root];
	seen[root] = 1;
	stack[sp++] = root;
	cur[root] = first[root];
	while (sp) {
		int top = stack[sp - 1], c = cur[top];

		if (c < 0) {
			sp--;
			continue;
		}
		cur[top] = next[c];
		if (seen[c])
			continue;
		out[(*k)++] = v[c];
		seen[c] = 1;
		stack[sp++] = c;
		cur[c] = first[c];
	}
}

int nnp_agg_tree_order(const struct nnp_proc_stats *p, struct nnp_layer_stats **v, size_t n)
{
	int *ints = malloc(5 * n * sizeof(int) + 1);
	struct nnp_layer_stats **out = malloc(n * sizeof(*out) + 1);
	char *seen = calloc(n + 1, 1);
	size_t k = 0;

	if (!ints || !out || !seen) {
		free(ints);
		free(out);
		free(seen);
		return -ENOMEM;
	}
	link_children(p, v, n, ints, ints + n, ints + 2 * n);
	for (int pass = 0; pass < 2; pass++) /* roots, then what cycles left out */
		for (size_t i = 0; i < n; i++)
			if (!seen[i] && (pass || ints[i] < 0))
				walk(v, out, &k, (int)i, ints + n, ints + 2 * n, ints + 3 * n,
				     ints + 4 * n, seen);
	memcpy(v, out, n * sizeof(*v));
	free(ints);
	free(out);
	free(seen);
	return 0;
}
