// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --probe, --spec and --runtime, which record, top and export share */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "common_opts.h"
#include "log.h"
#include "probe_spec.h"
#include "runtimes.h"

static int add_def(struct nnp_common_opts *c, const struct nnp_probe_def *d, const char *runtime)
{
	struct nnp_probe_def *defs = realloc(c->defs, (c->ndefs + 1) * sizeof(*defs));
	const char **rt;

	if (!defs)
		return -ENOMEM;
	c->defs = defs;
	rt = realloc(c->def_runtimes, (c->ndefs + 1) * sizeof(*rt));
	if (!rt)
		return -ENOMEM;
	c->def_runtimes = rt;
	c->defs[c->ndefs] = *d;
	c->def_runtimes[c->ndefs++] = runtime;
	return 0;
}

static int opt_probe(struct nnp_common_opts *c, const char *arg)
{
	struct nnp_probe_def *d = calloc(1, sizeof(*d));
	char err[256];
	int col = 0, ret;

	if (!d)
		return -ENOMEM;
	ret = nnp_probe_parse(arg, d, err, sizeof(err), &col);
	if (ret) {
		nnp_err("--probe '%s': column %d: %s", arg, col, err);
	} else {
		snprintf(d->origin, sizeof(d->origin), "--probe %.*s", (int)sizeof(d->origin) - 9,
			 arg);
		ret = add_def(c, d, "probe");
	}
	free(d);
	return ret;
}

static int opt_spec(struct nnp_common_opts *c, const char *path)
{
	struct nnp_probe_def *defs = NULL;
	size_t n = 0;
	char err[PATH_MAX + 256];
	int ret = nnp_spec_load(path, &defs, &n, err, sizeof(err));

	if (ret)
		nnp_err("--spec %s", err);
	for (size_t i = 0; !ret && i < n; i++)
		ret = add_def(c, &defs[i], "spec");
	free(defs);
	return ret;
}

int nnp_probe_opt(struct nnp_common_opts *c, int opt, const char *arg)
{
	switch (opt) {
	case NNP_OPT_PROBE:
		return opt_probe(c, arg);
	case NNP_OPT_SPEC:
		return opt_spec(c, arg);
	case NNP_OPT_RUNTIME:
		if (nnp_runtime_by_name(arg)) {
			c->runtime = arg;
			return 0;
		}
		nnp_err("--runtime: unknown runtime '%s' (known: %s)", arg, nnp_runtime_names());
		return -EINVAL;
	}
	return -EINVAL;
}

void nnp_probe_opts_free(struct nnp_common_opts *c)
{
	free(c->defs);
	free(c->def_runtimes);
	c->defs = NULL;
	c->def_runtimes = NULL;
	c->ndefs = 0;
}
