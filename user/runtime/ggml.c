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

int nnp_ggml_op_probe(char *text, size_t len, const char *path, const char *fn)
{
	size_t prefix = strncmp(fn, OP_PREFIX, strlen(OP_PREFIX)) ? 0 : strlen(OP_PREFIX);
	int n = snprintf(text, len,
			 "layer=%s:%s,key=hash(str(arg1+256),str(*(arg1+152)+256)),"
			 "name=str(arg1+256),op=\"%.31s\","
			 "when=u32(*arg0)==0,shape=i64x4(arg1+16)",
			 path, fn, fn + prefix);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int attach_op(struct nnp_planner *p, const char *path, const char *fn)
{
	struct nnp_probe_def d;
	char text[PATH_MAX + 512], msg[256];
	int col;

	if (nnp_ggml_op_probe(text, sizeof(text), path, fn))
		return -ENAMETOOLONG;
	if (nnp_probe_parse(text, &d, msg, sizeof(msg), &col)) {
		nnp_err("runtime ggml: bad probe '%s': %s", text, msg);
		return -EINVAL;
	}
	snprintf(d.origin, sizeof(d.origin), "runtime ggml");
	return nnp_planner_attach(p, &d, "ggml");
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
	for (size_t i = 0; i < l.n && !err; i++)
		err = attach_op(p, path, l.names[i]);
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
