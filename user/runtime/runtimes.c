// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "agg.h"
#include "decode.h"
#include "elf_sym.h"
#include "runtimes.h"

/* nnperf's own markers (include/nnperf/usdt.h) in any file */
static int has_nnperf_usdt(const char *path)
{
	struct nnp_elf *e;
	int v;

	if (nnp_elf_open(path, &e))
		return 0; /* not ELF or unreadable: none of our markers there */
	v = nnp_elf_has_usdt(e, "nnperf");
	nnp_elf_close(e);
	return v > 0;
}

static const char *const no_libs[] = { NULL };

/* its sites come from the notes: the planner's USDT path attaches them */
static const struct nnp_runtime rt_usdt = {
	.name = "usdt",
	.libs = no_libs,
	.probes = no_libs,
	.claims = has_nnperf_usdt,
};

#define BUILT_IN 6
const struct nnp_runtime *nnp_runtimes[BUILT_IN + NNP_MAX_ADDED_RUNTIMES + 1] = {
	&rt_usdt, &nnp_rt_pytorch, &nnp_rt_opencv, &nnp_rt_ort, &nnp_rt_ggml, &nnp_rt_litert, NULL,
};

int nnp_runtime_add(const struct nnp_runtime *rt)
{
	size_t i;

	if (nnp_runtime_by_name(rt->name))
		return -EEXIST;
	for (i = 0; nnp_runtimes[i]; i++)
		;
	if (i >= BUILT_IN + NNP_MAX_ADDED_RUNTIMES)
		return -ENOSPC;
	nnp_runtimes[i] = rt;
	nnp_runtimes[i + 1] = NULL;
	return 0;
}

void nnp_runtimes_reset(void)
{
	nnp_runtimes[BUILT_IN] = NULL;
}

static void name_event(const struct nnp_agg *a, struct nnp_name_event *e)
{
	const struct nnp_probe_info *pi = nnp_agg_probe(a, e->hdr.probe_id);
	const struct nnp_runtime *rt = pi ? nnp_runtime_by_name(pi->runtime) : NULL;

	if (e->ref && rt && rt->name_event)
		rt->name_event(e);
}

void nnp_runtime_event(const struct nnp_agg *a, union nnp_event *ev)
{
	if (ev->hdr.type == NNP_EV_NAME)
		name_event(a, &ev->name);
	if (ev->hdr.type != NNP_EV_LAYER)
		return;
	for (size_t i = 0; nnp_runtimes[i]; i++)
		if (nnp_runtimes[i]->layer_event)
			nnp_runtimes[i]->layer_event(&ev->layer);
}

const struct nnp_runtime *nnp_runtime_by_name(const char *name)
{
	for (size_t i = 0; nnp_runtimes[i]; i++)
		if (!strcmp(nnp_runtimes[i]->name, name))
			return nnp_runtimes[i];
	return NULL;
}

int nnp_runtime_names_file(const struct nnp_runtime *rt, const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (const char *const *l = rt->libs; l && *l; l++)
		if (!fnmatch(*l, base, 0))
			return 1;
	return 0;
}

int nnp_runtime_claims(const struct nnp_runtime *rt, const char *path)
{
	if (nnp_runtime_names_file(rt, path))
		return 1;
	return rt->claims ? rt->claims(path) : 0;
}

static const char *join(char *buf, size_t len, bool patterns)
{
	size_t off = 0;

	buf[0] = 0;
	for (size_t i = 0; nnp_runtimes[i] && off < len; i++) {
		const struct nnp_runtime *rt = nnp_runtimes[i];

		if (!patterns) {
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "", rt->name);
			continue;
		}
		if (!rt->libs[0])
			off += snprintf(buf + off, len - off, "%s%s markers", off ? ", " : "",
					rt->name);
		for (const char *const *l = rt->libs; *l && off < len; l++)
			off += snprintf(buf + off, len - off, "%s%s", off ? ", " : "", *l);
	}
	return buf;
}

const char *nnp_runtime_names(void)
{
	static char buf[1024];

	return join(buf, sizeof(buf), false);
}

const char *nnp_runtime_lookfor(void)
{
	static char buf[2048];

	return join(buf, sizeof(buf), true);
}
