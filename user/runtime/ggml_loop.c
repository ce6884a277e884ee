// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ggml's graph loop: ggml_graph_compute_thread (static, in .symtab) runs every
 * node through ggml_compute_forward, inlined into it as a switch whose cases
 * call ggml_compute_forward_<op>(params, node) (through the PLT: the ops are
 * exported). Many op functions start with single-stepped instructions only
 * (endbr64, then a stack-realigning lea/and, or a mov), and a uretprobe past
 * the realignment would take the copied return address, which their epilogue
 * does not return through. Their call sites have no such problem: the call is
 * emulated, the arguments are in place, and the jump back into the loop after
 * it is emulated too (callsite.h). Each op found there is measured at its call
 * sites: entry-only, each node lasting until the next node's call, where a
 * caller of the loop (ggml_graph_compute*) has an emulated instruction after
 * its call of it to end the graph's last node; else at the call and its end,
 * an op whose call has no emulated end keeping its own entry and return.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "callsite.h"
#include "elf_sym.h"
#include "ggml.h"

#define LOOP_FN "ggml_graph_compute_thread*"
#define CALLER_FN "ggml_graph_compute*" /* ggml_graph_compute, its OpenMP outlined part */
#define MAX_LOOP_CODE (1u << 20)

struct loop_walk {
	struct nnp_elf *e;
	const char (*ops)[64];
	size_t nops;
	struct nnp_ggml_loop *out;
	uint64_t delta; /* file offset - vaddr in the loop's segment */
	int err;
};

static int first_fn(const struct nnp_sym *sym, void *arg)
{
	struct nnp_sym *out = arg;

	if (!sym->size)
		return 0;
	*out = *sym;
	return 1;
}

/* the op a call goes to, as an index into ops[], or -1 */
static int callee_op(struct loop_walk *w, uint64_t target)
{
	struct nnp_sym s;
	char name[64] = "";

	if (!nnp_elf_sym_at(w->e, target, &s) && s.vaddr == target && strlen(s.name) < sizeof(name))
		snprintf(name, sizeof(name), "%s", s.name);
	else if (nnp_elf_plt_name(w->e, target, name, sizeof(name)))
		return -1;
	for (size_t i = 0; i < w->nops; i++)
		if (!strcmp(name, w->ops[i]))
			return (int)i;
	return -1;
}

static int on_call(const struct nnp_callsite *c, void *arg)
{
	struct loop_walk *w = arg;
	struct nnp_ggml_loop *l = w->out;
	struct nnp_ggml_site *s;
	int op = callee_op(w, c->target);

	if (op < 0)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct nnp_ggml_site *n = realloc(l->sites, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->sites = n;
		l->cap = cap;
	}
	s = &l->sites[l->n++];
	*s = (struct nnp_ggml_site){ .op = (size_t)op, .call_off = c->call + w->delta };
	s->end_off = c->end ? c->end + w->delta : 0;
	snprintf(s->end_insn, sizeof(s->end_insn), "%s", c->end_insn);
	return 0;
}

/* every call in function SYM's code, to CB; 0, the callback's value, -E2BIG
 * (over MAX_LOOP_CODE), -EINVAL (undecodable) or -errno */
static int walk_calls(struct nnp_elf *e, const struct nnp_sym *sym, nnp_callsite_cb cb, void *arg)
{
	uint8_t *code;
	int err;

	if (sym->size > MAX_LOOP_CODE)
		return -E2BIG;
	code = malloc(sym->size);
	if (!code)
		return -ENOMEM;
	err = nnp_elf_pread(e, code, sym->size, sym->file_off);
	if (!err)
		err = nnp_callsites_x86(code, sym->size, sym->vaddr, cb, arg);
	free(code);
	return err;
}

struct end_walk {
	struct nnp_elf *e;
	struct nnp_ggml_loop *out;
	const struct nnp_sym *caller;
	uint64_t loop; /* the loop function's address */
	int err;
};

static int on_loop_call(const struct nnp_callsite *c, void *arg)
{
	struct end_walk *w = arg;
	struct nnp_ggml_end *end;

	if (c->target != w->loop || !c->end || w->out->nends == NNP_GGML_MAX_ENDS)
		return 0;
	end = &w->out->ends[w->out->nends++];
	end->off = c->end + w->caller->file_off - w->caller->vaddr;
	snprintf(end->insn, sizeof(end->insn), "%s", c->end_insn);
	snprintf(end->caller, sizeof(end->caller), "%s", w->caller->name);
	return 0;
}

/* the calls of the loop in one ggml_graph_compute* function (not the loop itself) */
static int caller_ends(const struct nnp_sym *sym, void *arg)
{
	struct end_walk *w = arg;
	int err;

	if (!sym->size || sym->vaddr == w->loop || sym->demangled)
		return 0;
	w->caller = sym;
	err = walk_calls(w->e, sym, on_loop_call, w);
	if (err == -ENOMEM)
		w->err = err;
	return w->err ? 1 : 0; /* an undecodable or oversized caller gives no end */
}

int nnp_ggml_loop_find(struct nnp_elf *e, const char (*ops)[64], size_t nops,
		       struct nnp_ggml_loop *out)
{
	struct loop_walk w = { .e = e, .ops = ops, .nops = nops, .out = out };
	struct nnp_sym fn = { 0 };
	int err, cls, machine, type;

	memset(out, 0, sizeof(*out));
	nnp_elf_abi(e, &cls, &machine, &type);
	if (machine != EM_X86_64)
		return -ENOTSUP;
	if (nnp_elf_match(e, LOOP_FN, first_fn, &fn) <= 0 || !fn.size)
		return -ENOENT;
	snprintf(out->fn, sizeof(out->fn), "%s", fn.name);
	w.delta = fn.file_off - fn.vaddr;
	err = walk_calls(e, &fn, on_call, &w);
	if (!err) {
		struct end_walk ew = { .e = e, .out = out, .loop = fn.vaddr };

		err = nnp_elf_match(e, CALLER_FN, caller_ends, &ew);
		err = err < 0 ? err : ew.err;
	}
	if (err)
		nnp_ggml_loop_free(out);
	return err;
}

void nnp_ggml_loop_free(struct nnp_ggml_loop *l)
{
	free(l->sites);
	memset(l, 0, sizeof(*l));
}
