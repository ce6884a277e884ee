// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "runtimes.h"

const struct nnp_runtime *const nnp_runtimes[] = {
	NULL,
};

const struct nnp_runtime *nnp_runtime_by_name(const char *name)
{
	for (size_t i = 0; nnp_runtimes[i]; i++)
		if (!strcmp(nnp_runtimes[i]->name, name))
			return nnp_runtimes[i];
	return NULL;
}

const struct nnp_runtime *nnp_runtime_for_lib(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (size_t i = 0; nnp_runtimes[i]; i++)
		for (const char *const *l = nnp_runtimes[i]->libs; *l; l++)
			if (!fnmatch(*l, base, 0))
				return nnp_runtimes[i];
	return NULL;
}

const char *nnp_runtime_names(void)
{
	static char buf[256];
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; nnp_runtimes[i] && off < sizeof(buf); i++)
		off += snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? ", " : "",
				nnp_runtimes[i]->name);
	return buf;
}
