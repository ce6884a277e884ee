// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The LIB of a probe site, for a process not yet running: among what it will load. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libname.h"
#include "libpath.h"

struct lib_pick {
	const char *name;
	char *out;
	size_t len;
	int best;
	int err;
};

static int pick_dep(const char *path, void *ctx)
{
	struct lib_pick *p = ctx;
	int score = nnp_lib_name_match(path, p->name);

	if (score <= p->best)
		return 0;
	p->best = score;
	p->err = snprintf(p->out, p->len, "%s", path) < (int)p->len ? 0 : -ENAMETOOLONG;
	return score == 2;
}

static int copy_real(const char *path, char *out, size_t len)
{
	char real[PATH_MAX];

	if (!realpath(path, real))
		return -ENOENT;
	return snprintf(out, len, "%s", real) < (int)len ? 0 : -ENAMETOOLONG;
}

int nnp_lib_resolve(const char *exe, const char *lib, char *out, size_t len)
{
	struct lib_pick p = { .name = lib, .out = out, .len = len };
	int err;

	if (!lib || !*lib)
		return -ENOENT;
	if (strchr(lib, '/'))
		return copy_real(lib, out, len);
	if (nnp_lib_name_match(exe, lib))
		return copy_real(exe, out, len);
	err = nnp_deps_foreach(exe, pick_dep, &p);
	if (err)
		return err;
	return p.best ? p.err : -ENOENT;
}
