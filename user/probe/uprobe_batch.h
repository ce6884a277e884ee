/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Uprobe sites planned but not attached yet, handed out in groups of one
 * (file, process, entry or return): what one uprobe_multi link can hold.
 * Every return group comes before every entry group, so that a call entering
 * while the groups are attached gives at worst an end without a begin.
 */
#ifndef NNP_UPROBE_BATCH_H
#define NNP_UPROBE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nnp_usite {
	char *path;  /* owned */
	char *label; /* owned: the symbol or offset, for messages */
	pid_t pid;
	bool ret;
	uint64_t off;
	uint32_t cookie;
	uint32_t probe_id;
	uint8_t role;
	uint8_t cost; /* enum nnp_site_cost */
	size_t seq;   /* order of arrival: kept within a group */
};

struct nnp_ubatch {
	struct nnp_usite *sites;
	size_t n, cap;
};

/* copies PATH and LABEL; 0 or -ENOMEM */
int nnp_ubatch_add(struct nnp_ubatch *b, const struct nnp_usite *site);
/* one group's sites are adjacent in SITES[0..n) */
typedef int (*nnp_ubatch_cb)(void *ctx, const struct nnp_usite *sites, size_t n);
/* sorts the batch into groups (returns first) and calls CB on each until one
 * fails; the batch is empty afterwards either way. 0 or CB's error */
int nnp_ubatch_flush(struct nnp_ubatch *b, nnp_ubatch_cb cb, void *ctx);
/* drops the sites added after the first FROM (a definition that failed) */
void nnp_ubatch_drop(struct nnp_ubatch *b, size_t from);
void nnp_ubatch_free(struct nnp_ubatch *b);

#endif
