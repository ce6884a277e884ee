/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `nnperf diff`: two profiles aligned layer by layer, with Welch confidence
 * intervals, kernel signals side by side and where the inference time went.
 * Its writers are in diff_writers.h.
 */
#ifndef NNP_DIFF_RESULT_H
#define NNP_DIFF_RESULT_H

#include <stdbool.h>
#include <stdio.h>

#include "diff_align.h"
#include "diff_profile.h"
#include "layer_group.h"
#include "stats.h"

#define DIFF_CONFIDENCE 0.95

/* A kernel signal present in both layers; null (not measured) on a side is n/a. */
struct diff_kcmp {
	const char *key;
	bool a_null, b_null;
	double a, b;
	double ratio; /* b / a; NAN when n/a or a is 0 */
};

struct diff_row {
	struct diff_pair pair;
	double a_calls, b_calls;     /* calls per inference; NAN without inferences */
	struct nnp_interval delta;   /* mean(B) - mean(A), ns; est NAN for one-sided rows */
	struct nnp_interval speedup; /* mean(A) / mean(B) */
	double contrib_ns;	     /* self time per inference, B - A (one-sided: +-its own) */
	double share;		     /* contrib_ns / the inference difference */
	bool by_runs;		     /* intervals over runs' means, not over calls */
	struct diff_kcmp *kernel;
	size_t nkernel;
};

/* --group-by: the rows rolled up by the group of each side's layer */
struct diff_group {
	char name[NNP_GROUP_LEN];
	int from;		   /* NNP_GROUP_FROM_NAME or _OP */
	size_t a_layers, b_layers; /* layers of each side in it */
	double a_ns, b_ns;	   /* self time per inference of those layers */
	double speedup;		   /* a_ns / b_ns; NAN when b_ns is 0 */
	double delta_ns;	   /* b_ns - a_ns */
	double share;		   /* delta_ns / the inference difference; NAN if that is 0 */
};

struct diff_result {
	const struct diff_profile *a, *b;
	struct diff_alignment al;
	struct diff_row *rows; /* al.n, in al's order */
	size_t n;
	struct nnp_interval infer_delta;   /* inference mean B - A, ns */
	struct nnp_interval infer_speedup; /* inference mean A / B */
	bool infer_by_runs;		   /* its intervals are over runs' means */
	double layers_delta_ns;		   /* sum of contrib_ns */
	double unattributed_ns;		   /* infer_delta.est - layers_delta_ns: outside layers */
	size_t *ranked; /* rows by |contrib_ns|, largest first (finite ones only) */
	size_t nranked;
	enum nnp_group_by group_by; /* NONE: no groups */
	struct diff_group *groups;  /* in the order of their first row */
	size_t ngroups;
};

/*
 * Aligns and compares; 0, -ENOMEM, or -EINVAL with one line in err when the
 * recordings look unrelated (unless force).
 */
int diff_compute(const struct diff_profile *a, const struct diff_profile *b, bool force,
		 struct diff_result *r, char *err, size_t errlen);
/*
 * One profile on its own (`nnperf report`): a row per layer with only A, b is
 * NULL; a row's share is its self time over the inference time. 0 or -ENOMEM.
 */
int diff_compute_one(const struct diff_profile *a, struct diff_result *r);
void diff_result_free(struct diff_result *r);

/* diff_groups.c: rolls R's rows up by BY into r->groups; 0, -EINVAL or -ENOMEM */
int diff_groups(struct diff_result *r, enum nnp_group_by by);
/* how deep ROW's layer is nested (A's, else B's) */
unsigned int diff_row_depth(const struct diff_row *row);
/* a layer's display name: "conv1", or "conv1 -> conv1_fused" when the names differ */
void diff_row_name(const struct diff_row *row, char *buf, size_t len);
/* the same indented two spaces per level of nesting, for text tables */
void diff_row_tree_name(const struct diff_row *row, char *buf, size_t len);

#endif
