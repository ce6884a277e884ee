// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the session knows per spec slot: its spec, what a hit costs, its hits, its gate. */
#include <errno.h>
#include <stdlib.h>

#include <bpf/libbpf.h>

#include "layer.skel.h"
#include "session_priv.h"

void nnp_session_site_cost(struct nnp_session *s, uint32_t idx, enum nnp_site_cost c)
{
	if (idx < s->nspecs && c > s->spec_cost[idx])
		s->spec_cost[idx] = (uint8_t)c;
}

enum nnp_site_cost nnp_session_spec_cost(const struct nnp_session *s, uint32_t idx)
{
	return idx < s->nspecs ? (enum nnp_site_cost)s->spec_cost[idx] : NNP_COST_UNKNOWN;
}

int nnp_session_gate(struct nnp_session *s, const uint32_t *ids, size_t n, bool gated)
{
	uint8_t v = gated;

	for (size_t i = 0; i < n; i++) {
		int err = bpf_map__update_elem(s->skel->maps.gated, &ids[i], sizeof(ids[i]), &v,
					       sizeof(v), 0);

		if (err)
			return err;
	}
	return 0;
}

uint32_t nnp_session_nspecs(const struct nnp_session *s)
{
	return s->nspecs;
}

const struct nnp_spec *nnp_session_spec(const struct nnp_session *s, uint32_t idx)
{
	return idx < s->nspecs ? &s->spec_copy[idx] : NULL;
}

int nnp_percpu_sums(const struct bpf_map *map, uint64_t *out, uint32_t n)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v;
	int err = 0;

	if (ncpu < 0)
		return ncpu;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < n && !err; i++) {
		err = bpf_map__lookup_elem(map, &i, sizeof(i), v, ncpu * sizeof(*v), 0);
		out[i] = 0;
		for (int c = 0; c < ncpu && !err; c++)
			out[i] += v[c];
	}
	free(v);
	return err;
}

int nnp_session_spec_hits(const struct nnp_session *s, uint64_t *out, uint32_t n)
{
	return nnp_percpu_sums(s->skel->maps.spec_hits, out, n);
}
