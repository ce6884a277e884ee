/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which layer of B is which layer of A. Layers with the same name, op and
 * occurrence match first; the rest are aligned in order by op type with a
 * longest-common-subsequence alignment, because pruning, fusion and
 * quantization drop, merge and rename layers but keep their order.
 */
#ifndef NNP_DIFF_ALIGN_H
#define NNP_DIFF_ALIGN_H

#include <stdbool.h>
#include <stddef.h>

#include "diff_profile.h"

enum diff_match {
	DIFF_MATCH_NAME,  /* same name and op */
	DIFF_MATCH_ORDER, /* same op, at the same place in the order */
	DIFF_ONLY_A,
	DIFF_ONLY_B,
};

struct diff_pair {
	enum diff_match how;
	const struct diff_layer *a; /* NULL for DIFF_ONLY_B */
	const struct diff_layer *b; /* NULL for DIFF_ONLY_A */
};

struct diff_alignment {
	struct diff_pair *pairs; /* A's order, B-only layers after their predecessor in B */
	size_t n;
	size_t by_name, by_order, only_a, only_b;
};

/* Below this share of aligned layers (of the larger model), two recordings are unrelated. */
#define DIFF_MIN_ALIGNED 0.30
/* Above this many cells (A's unmatched x B's unmatched) the alignment is greedy, not LCS. */
#define DIFF_LCS_MAX_CELLS (16u << 20)

/* 0 or -ENOMEM */
int diff_align(const struct diff_profile *a, const struct diff_profile *b,
	       struct diff_alignment *out);
void diff_alignment_free(struct diff_alignment *al);
/* false with one line in why when too few layers align (see DIFF_MIN_ALIGNED) */
bool diff_related(const struct diff_alignment *al, const struct diff_profile *a,
		  const struct diff_profile *b, char *why, size_t len);

#endif
