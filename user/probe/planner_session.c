// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The planner's operations on the real kernel side: the BPF session. */
#include "libpath.h"
#include "planner.h"
#include "procmaps.h"
#include "session.h"

static int add_spec(void *ctx, const struct nnp_spec *spec, uint32_t *idx)
{
	return nnp_session_add_spec(ctx, spec, idx);
}

static uint32_t new_probe_id(void *ctx)
{
	return nnp_session_new_probe_id(ctx);
}

static bool uprobe_multi(void *ctx)
{
	return nnp_session_uprobe_multi(ctx);
}

static int attach_uprobe(void *ctx, uint32_t idx, pid_t pid, const char *path, uint64_t off,
			 bool ret)
{
	return nnp_session_attach_uprobe(ctx, idx, pid, path, off, ret);
}

static int attach_uprobes(void *ctx, pid_t pid, const char *path, const uint64_t *offs,
			  const uint64_t *cookies, size_t n, bool ret)
{
	return nnp_session_attach_uprobes(ctx, pid, path, offs, cookies, n, ret);
}

static int attach_usdt(void *ctx, uint32_t idx, pid_t pid, const char *path, const char *provider,
		       const char *name)
{
	return nnp_session_attach_usdt(ctx, idx, pid, path, provider, name);
}

/* before a launched command exec's, among what it will load; after, in its maps */
static int resolve(void *ctx, const struct nnp_target *t, const char *lib, char *out, size_t len)
{
	(void)ctx;
	if (t->exe)
		return nnp_lib_resolve(t->exe, lib, out, len);
	return nnp_proc_find_lib(t->pid, lib, out, len);
}

static void site_cost(void *ctx, uint32_t idx, uint8_t cost)
{
	nnp_session_site_cost(ctx, idx, (enum nnp_site_cost)cost);
}

const struct nnp_planner_ops nnp_planner_session_ops = {
	.add_spec = add_spec,
	.new_probe_id = new_probe_id,
	.uprobe_multi = uprobe_multi,
	.attach_uprobe = attach_uprobe,
	.attach_uprobes = attach_uprobes,
	.attach_usdt = attach_usdt,
	.site_cost = site_cost,
	.resolve = resolve,
};

int nnp_planner_new(struct nnp_session *s, struct nnp_agg *a, const struct nnp_target *t,
		    struct nnp_planner **out)
{
	return nnp_planner_new_ops(&nnp_planner_session_ops, s, a, t, out);
}
