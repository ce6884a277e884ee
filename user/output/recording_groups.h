/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `record --group-by`: a process's layers rolled up into groups (layer_group.h),
 * for the table and the JSON alike. A group's time is the self time of its
 * layers, so a layer nested in another group's layer is not counted twice.
 */
#ifndef NNP_RECORDING_GROUPS_H
#define NNP_RECORDING_GROUPS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <uthash.h>

#include "agg.h"
#include "layer_group.h"

struct nnp_rec_group {
	char name[NNP_GROUP_LEN];
	int from;	   /* NNP_GROUP_FROM_NAME or NNP_GROUP_FROM_OP */
	size_t layers;	   /* how many of the process's layers are in it */
	size_t first;	   /* index of its first layer in the layers given */
	uint64_t calls;	   /* measured calls of its layers */
	uint64_t self_ns;  /* their self time, measured calls */
	uint64_t total_ns; /* their inclusive time, measured calls */
	UT_hash_handle hh; /* nnp_rec_groups' own use */
};

/*
 * Groups of the N layers LS (in execution order: nnp_agg_sorted_layers) by BY
 * (nnp_group_layers), in the order of their first layer; *out, and with
 * of_layer each layer's index in *out, are malloc'ed (NULL when n is 0),
 * caller frees. Sums are scaled by each layer's probe scale (nnp_agg_probe_scale).
 * 0, -EINVAL for NNP_GROUP_NONE, or -ENOMEM.
 */
int nnp_rec_groups(const struct nnp_agg *a, struct nnp_layer_stats *const *ls, size_t n,
		   enum nnp_group_by by, struct nnp_rec_group **out, size_t *ngroups,
		   size_t **of_layer);
/* a group's self time over its process's inference time (scaled by --sample);
 * false without inferences */
bool nnp_rec_group_share(const struct nnp_agg *a, const struct nnp_proc_stats *p,
			 const struct nnp_rec_group *g, double *share);
/* recording_gtable.c: the table of groups under record's layer table; 0 or -errno */
int nnp_recording_write_gtable(FILE *f, const struct nnp_agg *a, const struct nnp_proc_stats *p,
			       struct nnp_layer_stats *const *ls, size_t n, enum nnp_group_by by);
/* the line said above a group table and in JSON: how groups were made */
const char *nnp_rec_group_rule(enum nnp_group_by by);

#endif
