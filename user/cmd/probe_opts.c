// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --probe, --spec, --runtime and --probes-dir, which record, top and export share */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_opts.h"
#include "log.h"
#include "probe_spec.h"
#include "runtimes.h"
#include "spec_runtimes.h"

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

/* a spec file's runtime= name, kept for the definitions' labels */
static const char *keep_name(struct nnp_common_opts *c, const char *name)
{
	char **names;

	if (!name[0])
		return "spec";
	names = realloc(c->spec_names, (c->nspec_names + 1) * sizeof(*names));
	if (!names)
		return NULL;
	c->spec_names = names;
	names[c->nspec_names] = strdup(name);
	return names[c->nspec_names] ? names[c->nspec_names++] : NULL;
}

static int opt_spec(struct nnp_common_opts *c, const char *path)
{
	struct nnp_spec_meta *meta = calloc(1, sizeof(*meta));
	struct nnp_probe_def *defs = NULL;
	const char *label = NULL;
	size_t n = 0;
	char err[PATH_MAX + 256];
	int ret = meta ? nnp_spec_load_meta(path, &defs, &n, meta, err, sizeof(err)) : -ENOMEM;

	if (ret)
		nnp_err("--spec %s", meta ? err : strerror(ENOMEM));
	if (!ret && n) {
		label = keep_name(c, meta->runtime);
		ret = label ? 0 : -ENOMEM;
	}
	for (size_t i = 0; !ret && i < n; i++)
		ret = add_def(c, &defs[i], label);
	free(defs);
	free(meta);
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
		c->runtime = arg; /* checked once the probes directory's are known */
		return 0;
	case NNP_OPT_PROBES_DIR:
		c->probes_dir = arg;
		return 0;
	}
	return -EINVAL;
}

int nnp_common_opts_done(struct nnp_common_opts *c)
{
	const char *dir = c->probes_dir ? c->probes_dir : NNP_PROBES_DIR_DEFAULT;
	int n = dir[0] ? nnp_spec_runtimes_load(dir, c->probes_dir != NULL) : 0;

	if (n == -ENOMEM)
		nnp_err("probes directory %s: %s", dir, strerror(ENOMEM));
	if (n < 0)
		return n;
	if (c->runtime && !nnp_runtime_by_name(c->runtime)) {
		nnp_err("--runtime: unknown runtime '%s' (known: %s)", c->runtime,
			nnp_runtime_names());
		return -EINVAL;
	}
	return 0;
}

void nnp_probe_opts_free(struct nnp_common_opts *c)
{
	free(c->defs);
	free(c->def_runtimes);
	for (size_t i = 0; i < c->nspec_names; i++)
		free(c->spec_names[i]);
	free(c->spec_names);
	c->spec_names = NULL;
	c->nspec_names = 0;
	nnp_spec_runtimes_free();
	c->defs = NULL;
	c->def_runtimes = NULL;
	c->ndefs = 0;
}
