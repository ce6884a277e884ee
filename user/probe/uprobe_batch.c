// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uprobe_batch.h"

int nnp_ubatch_add(struct nnp_ubatch *b, const struct nnp_usite *site)
{
	struct nnp_usite *n, *s;

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;

		n = realloc(b->sites, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		b->sites = n;
		b->cap = cap;
	}
	s = &b->sites[b->n];
	*s = *site;
	s->seq = b->n;
	s->path = strdup(site->path);
	s->label = strdup(site->label);
	if (!s->path || !s->label) {
		free(s->path);
		free(s->label);
		return -ENOMEM;
	}
	b->n++;
	return 0;
}

static bool same_group(const struct nnp_usite *a, const struct nnp_usite *b)
{
	return a->ret == b->ret && a->pid == b->pid && !strcmp(a->path, b->path);
}

static int cmp_site(const void *pa, const void *pb)
{
	const struct nnp_usite *a = pa, *b = pb;
	int c;

	if (a->ret != b->ret)
		return a->ret ? -1 : 1;
	c = strcmp(a->path, b->path);
	if (c)
		return c;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void nnp_ubatch_drop(struct nnp_ubatch *b, size_t from)
{
	for (size_t i = from; i < b->n; i++) {
		free(b->sites[i].path);
		free(b->sites[i].label);
	}
	if (from < b->n)
		b->n = from;
}

int nnp_ubatch_flush(struct nnp_ubatch *b, nnp_ubatch_cb cb, void *ctx)
{
	size_t first = 0;
	int err = 0;

	if (!b->n)
		return 0;
	qsort(b->sites, b->n, sizeof(*b->sites), cmp_site);
	for (size_t i = 1; i <= b->n && !err; i++) {
		if (i < b->n && same_group(&b->sites[first], &b->sites[i]))
			continue;
		err = cb(ctx, b->sites + first, i - first);
		first = i;
	}
	nnp_ubatch_drop(b, 0);
	return err;
}

void nnp_ubatch_free(struct nnp_ubatch *b)
{
	nnp_ubatch_drop(b, 0);
	free(b->sites);
	b->sites = NULL;
	b->cap = 0;
}
