// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "diff_align.h"
#include "op_family.h"

#define NONE SIZE_MAX

/* of one op family: a QLinearConv of the int8 model is the float model's Conv */
static bool same_op(const struct diff_layer *x, const struct diff_layer *y)
{
	return nnp_op_same_family(x->op, y->op);
}

/* the same name and occurrence, another op of the same family (Conv in A, QLinearConv in B) */
static void match_renamed_ops(const struct diff_profile *a, const struct diff_profile *b,
			      size_t *a2b, size_t *b2a)
{
	for (size_t i = 0; i < a->nlayers; i++) {
		const struct diff_layer *l = &a->layers[i];

		for (size_t j = 0; a2b[i] == NONE && j < b->nlayers; j++) {
			const struct diff_layer *m = &b->layers[j];

			if (b2a[j] != NONE || m->occurrence != l->occurrence ||
			    strcmp(m->name, l->name) || !same_op(l, m))
				continue;
			a2b[i] = j;
			b2a[j] = i;
		}
	}
}

static int match_names(const struct diff_profile *a, const struct diff_profile *b, size_t *a2b,
		       size_t *b2a)
{
	struct diff_layer_index *e;
	char *key;

	for (size_t i = 0; i < a->nlayers; i++) {
		const struct diff_layer *l = &a->layers[i];

		if (asprintf(&key, "%s\x1f%s\x1f%u", l->name, l->op, l->occurrence) < 0)
			return -ENOMEM;
		HASH_FIND_STR(b->index, key, e);
		free(key);
		if (e) {
			a2b[i] = e->idx;
			b2a[e->idx] = i;
		}
	}
	match_renamed_ops(a, b, a2b, b2a);
	return 0;
}

/* indexes of the layers still unmatched, in order */
static size_t unmatched(const size_t *map, size_t n, size_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (map[i] == NONE)
			out[k++] = i;
	return k;
}

/* when the table would be too big: each A layer takes the next B layer of its op */
static void align_greedy(const struct diff_profile *a, const struct diff_profile *b,
			 const size_t *ra, size_t na, const size_t *rb, size_t nb, size_t *a2b,
			 size_t *b2a)
{
	size_t j0 = 0;

	for (size_t i = 0; i < na; i++)
		for (size_t j = j0; j < nb; j++) {
			if (!same_op(&a->layers[ra[i]], &b->layers[rb[j]]))
				continue;
			a2b[ra[i]] = rb[j];
			b2a[rb[j]] = ra[i];
			j0 = j + 1;
			break;
		}
}

/* LCS table L[i][j] = longest alignment of ra[i..] and rb[j..]; then walk it from the start */
static int align_lcs(const struct diff_profile *a, const struct diff_profile *b, const size_t *ra,
		     size_t na, const size_t *rb, size_t nb, size_t *a2b, size_t *b2a)
{
	size_t w = nb + 1, i = 0, j = 0;
	uint32_t *L = calloc((na + 1) * w, sizeof(*L));

	if (!L)
		return -ENOMEM;
	for (size_t x = na; x-- > 0;)
		for (size_t y = nb; y-- > 0;) {
			uint32_t skip = L[(x + 1) * w + y] > L[x * w + y + 1] ? L[(x + 1) * w + y]
									      : L[x * w + y + 1];

			L[x * w + y] = same_op(&a->layers[ra[x]], &b->layers[rb[y]])
					   ? L[(x + 1) * w + y + 1] + 1
					   : skip;
		}
	while (i < na && j < nb) {
		if (same_op(&a->layers[ra[i]], &b->layers[rb[j]]) &&
		    L[i * w + j] == L[(i + 1) * w + j + 1] + 1) {
			a2b[ra[i]] = rb[j];
			b2a[rb[j]] = ra[i];
			i++;
			j++;
		} else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) {
			i++;
		} else {
			j++;
		}
	}
	free(L);
	return 0;
}

struct slot {
	size_t major, minor; /* display order */
	struct diff_pair p;
};

static int cmp_slot(const void *x, const void *y)
{
	const struct slot *l = x, *r = y;

	if (l->major != r->major)
		return l->major < r->major ? -1 : 1;
	return l->minor < r->minor ? -1 : l->minor > r->minor;
}

/* A's order; a B-only layer goes right after the A layer matched to its predecessor in B */
static int assemble(const struct diff_profile *a, const struct diff_profile *b, const size_t *a2b,
		    const size_t *b2a, const bool *named, struct diff_alignment *out)
{
	struct slot *s = calloc(a->nlayers + b->nlayers + 1, sizeof(*s));
	size_t n = 0, after = 0;

	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < a->nlayers; i++) {
		bool m = a2b[i] != NONE;

		s[n++] = (struct slot){ 2 * i + 1,
					0,
					{ m ? (named[i] ? DIFF_MATCH_NAME : DIFF_MATCH_ORDER)
					    : DIFF_ONLY_A,
					  &a->layers[i], m ? &b->layers[a2b[i]] : NULL } };
	}
	for (size_t j = 0; j < b->nlayers; j++) {
		if (b2a[j] != NONE) {
			after = 2 * b2a[j] + 2;
			continue;
		}
		s[n++] = (struct slot){ after, j, { DIFF_ONLY_B, NULL, &b->layers[j] } };
	}
	qsort(s, n, sizeof(*s), cmp_slot);
	out->pairs = calloc(n + 1, sizeof(*out->pairs));
	if (!out->pairs) {
		free(s);
		return -ENOMEM;
	}
	for (size_t k = 0; k < n; k++) {
		out->pairs[k] = s[k].p;
		out->by_name += s[k].p.how == DIFF_MATCH_NAME;
		out->by_order += s[k].p.how == DIFF_MATCH_ORDER;
		out->only_a += s[k].p.how == DIFF_ONLY_A;
		out->only_b += s[k].p.how == DIFF_ONLY_B;
	}
	out->n = n;
	free(s);
	return 0;
}

int diff_align(const struct diff_profile *a, const struct diff_profile *b,
	       struct diff_alignment *out)
{
	size_t na = a->nlayers, nb = b->nlayers, ua, ub;
	size_t *a2b = malloc((na + 1) * sizeof(*a2b)), *b2a = malloc((nb + 1) * sizeof(*b2a));
	size_t *ra = malloc((na + 1) * sizeof(*ra)), *rb = malloc((nb + 1) * sizeof(*rb));
	bool *named = calloc(na + 1, sizeof(*named));
	int err = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!a2b || !b2a || !ra || !rb || !named)
		goto cleanup;
	for (size_t i = 0; i < na; i++)
		a2b[i] = NONE;
	for (size_t j = 0; j < nb; j++)
		b2a[j] = NONE;
	err = match_names(a, b, a2b, b2a);
	if (err)
		goto cleanup;
	for (size_t i = 0; i < na; i++)
		named[i] = a2b[i] != NONE;
	ua = unmatched(a2b, na, ra);
	ub = unmatched(b2a, nb, rb);
	if (ua && ub && (double)ua * (double)ub > DIFF_LCS_MAX_CELLS)
		align_greedy(a, b, ra, ua, rb, ub, a2b, b2a);
	else if (ua && ub)
		err = align_lcs(a, b, ra, ua, rb, ub, a2b, b2a);
	if (!err)
		err = assemble(a, b, a2b, b2a, named, out);
cleanup:
	free(a2b);
	free(b2a);
	free(ra);
	free(rb);
	free(named);
	return err;
}

void diff_alignment_free(struct diff_alignment *al)
{
	free(al->pairs);
	memset(al, 0, sizeof(*al));
}

bool diff_related(const struct diff_alignment *al, const struct diff_profile *a,
		  const struct diff_profile *b, char *why, size_t len)
{
	size_t big = a->nlayers > b->nlayers ? a->nlayers : b->nlayers;
	size_t matched = al->by_name + al->by_order;

	if (!a->nlayers || !b->nlayers) {
		snprintf(why, len, "%s has no layers", a->nlayers ? b->label : a->label);
		return false;
	}
	if ((double)matched < DIFF_MIN_ALIGNED * (double)big) {
		snprintf(why, len,
			 "%s and %s look like different models: only %zu of %zu layers align "
			 "(by name or op type; --force diffs them anyway)",
			 a->label, b->label, matched, big);
		return false;
	}
	return true;
}
