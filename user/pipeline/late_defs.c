// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>

#include "late_defs.h"
#include "log.h"

int nnp_late_defs_attach(struct nnp_late_defs *l, struct nnp_planner *p,
			 const struct nnp_common_opts *c, bool late)
{
	int err;

	if (late && c->ndefs && !l->pending) {
		l->pending = calloc(c->ndefs, sizeof(*l->pending));
		if (!l->pending)
			return -ENOMEM;
	}
	err =
	    nnp_planner_attach_set(p, c->defs, c->def_runtimes, c->ndefs, late ? l->pending : NULL);
	l->npending = 0;
	for (size_t i = 0; late && i < c->ndefs; i++)
		l->npending += l->pending[i];
	return err;
}

/* the waiting definitions, in order, into defs and rts; how many */
static size_t gather(const struct nnp_late_defs *l, const struct nnp_common_opts *c,
		     struct nnp_probe_def *defs, const char **rts)
{
	size_t k = 0;

	for (size_t i = 0; i < c->ndefs; i++)
		if (l->pending[i]) {
			defs[k] = c->defs[i];
			rts[k++] = c->def_runtimes[i];
		}
	return k;
}

int nnp_late_defs_retry(struct nnp_late_defs *l, struct nnp_planner *p,
			const struct nnp_common_opts *c)
{
	struct nnp_probe_def *defs = calloc(l->npending, sizeof(*defs));
	const char **rts = calloc(l->npending, sizeof(*rts));
	bool *still = calloc(l->npending, sizeof(*still));
	size_t n, k = 0;
	int err = -ENOMEM;

	if (defs && rts && still) {
		n = gather(l, c, defs, rts);
		nnp_planner_execd(p);
		err = nnp_planner_attach_set(p, defs, rts, n, still);
		for (size_t i = 0; i < c->ndefs; i++) {
			if (!l->pending[i])
				continue;
			l->pending[i] = still[k++];
			if (!l->pending[i])
				nnp_info("%s: attached now that %s is loaded", c->defs[i].origin,
					 c->defs[i].lib);
			l->npending -= !l->pending[i];
		}
	}
	free(defs);
	free(rts);
	free(still);
	return err;
}

void nnp_late_defs_warn(const struct nnp_late_defs *l, const struct nnp_common_opts *c,
			const char *cmd)
{
	for (size_t i = 0; l->npending && i < c->ndefs; i++)
		if (l->pending[i])
			nnp_warn("%s: library '%s' was never loaded by %s: nothing measured "
				 "through it",
				 c->defs[i].origin, c->defs[i].lib, cmd);
}

const struct nnp_probe_def *nnp_late_defs_first(const struct nnp_late_defs *l,
						const struct nnp_common_opts *c)
{
	for (size_t i = 0; l->npending && i < c->ndefs; i++)
		if (l->pending[i])
			return &c->defs[i];
	return NULL;
}

void nnp_late_defs_free(struct nnp_late_defs *l)
{
	free(l->pending);
	l->pending = NULL;
	l->npending = 0;
}
