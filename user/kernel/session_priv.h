/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The session's state (session.c), for the files that attach with it. */
#ifndef NNP_SESSION_PRIV_H
#define NNP_SESSION_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "kernel_hooks.h"
#include "session.h"

struct nnp_session {
	struct layer_bpf *skel;
	struct nnp_kernel_hooks hooks;
	struct ring_buffer *rb;
	struct nnp_link *links;
	size_t nlinks, cap_links;
	bool uprobe_multi;
	bool budget; /* nnp_session_opts.budget */
	uint32_t nspecs, max_specs;
	uint32_t next_probe_id;
	struct nnp_spec *spec_copy; /* what each slot holds: identical specs share a slot */
	uint8_t *spec_cost;	    /* enum nnp_site_cost per slot, with spec_copy */
	uint32_t ringbuf_bytes;
};

enum nnp_recipe_kind { NNP_RECIPE_UPROBE, NNP_RECIPE_MULTI, NNP_RECIPE_USDT };

/* everything one attach call needs, so that it can be made again */
struct nnp_link_recipe {
	enum nnp_recipe_kind kind;
	uint32_t probe_id;
	enum nnp_link_part part;
	pid_t pid;
	char *path;
	bool ret;
	uint64_t *offs, *cookies; /* uprobes: N sites (one for NNP_RECIPE_UPROBE) */
	size_t n;
	char *provider, *name; /* usdt */
	uint32_t idx;	       /* usdt: its spec */
};

struct bpf_map;
/* per-CPU array MAP's values of keys 0..N-1, summed over CPUs; 0 or -errno */
int nnp_percpu_sums(const struct bpf_map *map, uint64_t *out, uint32_t n);
/* makes the link R describes (waiting for background releases first); 0 or -errno */
int nnp_recipe_attach(struct nnp_session *s, const struct nnp_link_recipe *r, struct nnp_link *out);
/* a copy of R (with strings and arrays), or NULL */
struct nnp_link_recipe *nnp_recipe_dup(const struct nnp_link_recipe *r);
void nnp_recipe_free(struct nnp_link_recipe *r);
/* takes L (its recipe too; both released on failure); 0 or -ENOMEM */
int nnp_session_keep(struct nnp_session *s, struct nnp_link l);

#endif
