// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * llama.cpp / ggml (CPU backend): llama_decode (libllama) is the inference,
 * one per batch of tokens; every node of the compute graph runs through
 * ggml_compute_forward_<op>(params, dst) in libggml-cpu*.so, the variant for
 * this CPU being dlopen'd by libggml. Each exported ggml_compute_forward_<op>
 * is one probe whose op is <op>: function names do not move between ggml
 * versions, the enum ggml_op does. dst (arg1) is the struct ggml_tensor being
 * computed: ne[4] (int64) at +16, src[0] at +152, name[64] at +256 (ggml.h,
 * stable since 2023). The key is a hash of that name and of src[0]'s:
 * llama.cpp rebuilds the graph at every decode, and the same node may get
 * another tensor address when the graph's shape changes (a prompt, then single
 * tokens); it names every norm of a block norm-N, told apart by their input. Every worker thread
 * calls every node with its index params->ith (arg0's first int): only ith 0, the thread that
 * called ggml_graph_compute, makes it a layer. A node calling another op on its dst (cpy -> dup,
 * add -> add_non_quantized) has the same key and is not counted again (layer.bpf.c, re-entry).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_sym.h"
#include "log.h"
#include "probe_spec.h"
#include "planner.h"
#include "ggml.h"
#include "runtimes.h"

#define OP_PREFIX "ggml_compute_forward_"
#define MAX_OPS 512

static const char *const ggml_libs[] = { "libggml-cpu*.so*", "libllama*.so*", NULL };

static const char *const ggml_probes[] = {
	"inference=%s:llama_decode",
	NULL,
};

struct op_list {
	char (*names)[64];
	size_t n;
};

/* exported C functions only: the C++ helpers behind them (dup_flt<...>,
 * upscale_f32) take other arguments or run inside an op */
static int collect(const struct nnp_sym *sym, void *arg)
{
	struct op_list *l = arg;

	if (sym->demangled || strlen(sym->name) >= sizeof(l->names[0]) || l->n == MAX_OPS)
		return 0;
	snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", sym->name);
	return 0;
}

/* "add" for ggml_compute_forward_add */
static const char *op_of(const char *fn)
{
	return strncmp(fn, OP_PREFIX, strlen(OP_PREFIX)) ? fn : fn + strlen(OP_PREFIX);
}

int nnp_ggml_op_probe(char *text, size_t len, const char *path, const char *fn, uint64_t call_off,
		      bool entry_only)
{
	char site[32];
	int n;

	snprintf(site, sizeof(site), "0x%llx", (unsigned long long)call_off);
	n = snprintf(text, len,
		     "%s=%s:%s,key=hash(str(arg1+256),str(*(arg1+152)+256)),"
		     "name=str(arg1+256),op=\"%.31s\","
		     "when=u32(*arg0)==0,when-cache=thread,shape=i64x4(arg1+16)%s",
		     call_off ? "layer-begin" : "layer", path, call_off ? site : fn, op_of(fn),
		     entry_only ? ",mode=entry-only" : "");
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int attach_op(struct nnp_planner *p, const char *path, const char *fn)
{
	char text[PATH_MAX + 512];

	if (nnp_ggml_op_probe(text, sizeof(text), path, fn, 0, false))
		return -ENAMETOOLONG;
	return nnp_runtime_attach_text(p, "ggml", text, NULL, NULL);
}

/* FN measured at one call site: its end first (planner.h: a begin attached
 * before its end could open a frame no end closes), both tagged FN */
static int attach_call(struct nnp_planner *p, const char *path, const char *fn,
		       const struct nnp_ggml_site *s)
{
	char text[PATH_MAX + 512];
	int n = snprintf(text, sizeof(text), "layer-end=%s:0x%llx", path,
			 (unsigned long long)s->end_off);
	int err;

	if (n < 0 || (size_t)n >= sizeof(text))
		return -ENAMETOOLONG;
	err = nnp_runtime_attach_text(p, "ggml", text, fn, op_of(fn));
	if (!err)
		err = nnp_ggml_op_probe(text, sizeof(text), path, fn, s->call_off, false);
	if (!err)
		err = nnp_runtime_attach_text(p, "ggml", text, fn, NULL);
	if (!err)
		nnp_info("ggml: %s: call at 0x%llx, ended at 0x%llx (%s); both emulated, "
			 "~1 us a hit",
			 fn, (unsigned long long)s->call_off, (unsigned long long)s->end_off,
			 s->end_insn);
	return err;
}

/* FN's node at one call site, entry-only: it lasts until the next node's call,
 * or the graph's end (attach_ends) */
static int attach_entry(struct nnp_planner *p, const char *path, const char *fn,
			const struct nnp_ggml_site *s)
{
	char text[PATH_MAX + 512];
	int err = nnp_ggml_op_probe(text, sizeof(text), path, fn, s->call_off, true);

	if (!err)
		err = nnp_runtime_attach_text(p, "ggml", text, fn, NULL);
	if (!err)
		nnp_info("ggml: %s: call at 0x%llx, entry-only: the node ends at the next node's "
			 "call or the graph's end; emulated, ~1 us a hit",
			 fn, (unsigned long long)s->call_off);
	return err;
}

/* the graph's ends: where the loop's callers go on, each ending the last node */
static int attach_ends(struct nnp_planner *p, const char *path, const struct nnp_ggml_loop *lp)
{
	char text[PATH_MAX + 64];
	int err = 0;

	for (size_t i = 0; i < lp->nends && !err; i++) {
		const struct nnp_ggml_end *end = &lp->ends[i];
		int n = snprintf(text, sizeof(text), "layer-end=%s:0x%llx,mode=entry-only", path,
				 (unsigned long long)end->off);

		if (n < 0 || (size_t)n >= sizeof(text))
			return -ENAMETOOLONG;
		err = nnp_runtime_attach_text(p, "ggml", text, lp->fn, NULL);
		if (!err)
			nnp_info("ggml: graph end after %s's call of %s at 0x%llx (%s, emulated): "
				 "ends the last node",
				 end->caller, lp->fn, (unsigned long long)end->off, end->insn);
	}
	return err;
}

/* 1 if PATH is the CPU variant ggml keeps (or not a variant), else 0; the
 * answer for a directory is kept: ggml maps every variant in turn */
static int kept_variant(const char *path)
{
	static char dir[PATH_MAX], best[NAME_MAX + 1];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t dlen = slash ? (size_t)(slash - path) : 0;

	if (strncmp(base, "libggml-cpu-", 12) || dlen >= sizeof(dir))
		return 1;
	if (strlen(dir) != dlen || strncmp(dir, path, dlen)) {
		snprintf(dir, sizeof(dir), "%.*s", (int)dlen, path);
		if (nnp_ggml_best_variant(dir, best, sizeof(best)))
			best[0] = 0;
		if (best[0])
			nnp_info("ggml: %s is the CPU variant ggml keeps here", best);
		else
			nnp_warn("ggml: no libggml-cpu variant in %s scores on this CPU: "
				 "probing every one",
				 dir);
	}
	return !best[0] || !strcmp(base, best);
}

enum op_how { OP_UNSEEN, OP_AT_CALLS, OP_OWN };

/* NNPERF_GGML_CALL_SITES: unset or 1, each node entry-only at its call (one hit
 * a node; the graph's end closes the last); "pairs", at its call and at the
 * jump back after it (two hits, the placement before); 0, each op on its own
 * entry and return. The benchmark compares them. */
enum sites_mode { SITES_ENTRY, SITES_PAIRS, SITES_OWN };

static enum sites_mode sites_mode(void)
{
	static bool warned;
	const char *v = getenv("NNPERF_GGML_CALL_SITES");

	if (!v || !strcmp(v, "1"))
		return SITES_ENTRY;
	if (!strcmp(v, "0"))
		return SITES_OWN;
	if (!strcmp(v, "pairs"))
		return SITES_PAIRS;
	if (!warned)
		nnp_warn("ggml: NNPERF_GGML_CALL_SITES=%s is not 0, 1 or pairs: using 1", v);
	warned = true;
	return SITES_ENTRY;
}

/* OP_AT_CALLS for an op whose every call in the loop can be measured there:
 * entry-only, any call; in pairs, a call with an end of its own */
static void classify(const struct nnp_ggml_loop *lp, bool entry, enum op_how *how)
{
	for (size_t i = 0; i < lp->n; i++) {
		const struct nnp_ggml_site *s = &lp->sites[i];
		bool shared = false;

		for (size_t j = 0; j < lp->n && s->end_off && !entry; j++)
			shared |= j != i && lp->sites[j].end_off == s->end_off;
		if (!entry && (!s->end_off || shared))
			how[s->op] = OP_OWN;
		else if (how[s->op] == OP_UNSEEN)
			how[s->op] = OP_AT_CALLS;
	}
}

static void no_loop(const char *path, int err)
{
	if (err == -ECANCELED)
		nnp_info("ggml: NNPERF_GGML_CALL_SITES=0: each op of %s on its own entry", path);
	else if (err == -ENOENT || err == -ENOTSUP)
		nnp_info("ggml: no graph loop to probe in %s (%s): each op on its own entry", path,
			 err == -ENOENT ? "no ggml_graph_compute_thread symbol" : "not x86-64");
	else
		nnp_warn("ggml: the graph loop of %s could not be read (%s): each op on its own "
			 "entry",
			 path, strerror(-err));
}

/* every op called from the loop at its call sites, the rest on their own entry;
 * with a loop, ops it never calls run inside other ops and are timed with them */
static int attach_ops(struct nnp_planner *p, const char *path, struct nnp_elf *e,
		      const struct op_list *l)
{
	struct nnp_ggml_loop lp = { 0 };
	enum op_how *how = calloc(l->n, sizeof(*how));
	enum sites_mode mode = sites_mode();
	size_t calls = 0, own = 0, inside = 0;
	bool entry;
	int err;

	if (!how)
		return -ENOMEM;
	err = mode == SITES_OWN ? -ECANCELED
				: nnp_ggml_loop_find(e, (const char(*)[64])l->names, l->n, &lp);
	if (err == -ENOMEM)
		goto out;
	if (err)
		no_loop(path, err);
	/* entry-only needs a graph end to close the last node */
	entry = mode == SITES_ENTRY && lp.nends;
	if (mode == SITES_ENTRY && lp.n && !lp.nends)
		nnp_info("ggml: no emulated instruction after a call of %s in %s: each node at its "
			 "call and its jump back",
			 lp.fn, path);
	classify(&lp, entry, how);
	for (size_t i = 0; i < l->n && !lp.n; i++)
		how[i] = OP_OWN; /* no loop: every op on its own entry */
	err = entry ? attach_ends(p, path, &lp) : 0;
	for (size_t i = 0; i < lp.n && !err; i++) {
		const struct nnp_ggml_site *s = &lp.sites[i];

		if (how[s->op] != OP_AT_CALLS)
			continue;
		err = entry ? attach_entry(p, path, l->names[s->op], s)
			    : attach_call(p, path, l->names[s->op], s);
		calls++;
	}
	for (size_t i = 0; i < l->n && !err; i++) {
		if (how[i] == OP_OWN) {
			err = attach_op(p, path, l->names[i]);
			own++;
		} else if (how[i] == OP_UNSEEN) {
			inside++;
		}
	}
	if (!err && lp.n)
		nnp_info("ggml: %zu call sites in %s's graph loop %s (%s); %zu ops on their own "
			 "entry; %zu ops only run inside other ops (timed with them)",
			 calls, path, lp.fn, entry ? "entry-only" : "call and end", own, inside);
	nnp_ggml_loop_free(&lp);
out:
	free(how);
	return err;
}

static int ggml_attach(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	struct op_list l;
	int n, err = 0;

	if (!kept_variant(path))
		return 0;
	l = (struct op_list){ .names = calloc(MAX_OPS, sizeof(*l.names)) };
	if (!l.names)
		return -ENOMEM;
	n = nnp_elf_match(e, OP_PREFIX "*", collect, &l);
	if (n < 0)
		err = n;
	if (!err && l.n)
		err = attach_ops(p, path, e, &l);
	if (!err && l.n)
		nnp_info("ggml: %zu ops in %s", l.n, path);
	free(l.names);
	return err ? err : (int)l.n;
}

const struct nnp_runtime nnp_rt_ggml = {
	.name = "ggml",
	.libs = ggml_libs,
	.probes = ggml_probes,
	.attach = ggml_attach,
};
