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
 * sites; an op whose call has no emulated end keeps its own entry and return.
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

int nnp_ggml_loop_find(struct nnp_elf *e, const char (*ops)[64], size_t nops,
		       struct nnp_ggml_loop *out)
{
	struct loop_walk w = { .e = e, .ops = ops, .nops = nops, .out = out };
	struct nnp_sym fn = { 0 };
	uint8_t *code = NULL;
	int err, cls, machine, type;

	memset(out, 0, sizeof(*out));
	nnp_elf_abi(e, &cls, &machine, &type);
	if (machine != EM_X86_64)
		return -ENOTSUP;
	if (nnp_elf_match(e, LOOP_FN, first_fn, &fn) <= 0 || !fn.size)
		return -ENOENT;
	if (fn.size > MAX_LOOP_CODE)
		return -E2BIG;
	snprintf(out->fn, sizeof(out->fn), "%s", fn.name);
	w.delta = fn.file_off - fn.vaddr;
	code = malloc(fn.size);
	err = code ? nnp_elf_pread(e, code, fn.size, fn.file_off) : -ENOMEM;
	if (!err)
		err = nnp_callsites_x86(code, fn.size, fn.vaddr, on_call, &w);
	free(code);
	if (err)
		nnp_ggml_loop_free(out);
	return err;
}

void nnp_ggml_loop_free(struct nnp_ggml_loop *l)
{
	free(l->sites);
	memset(l, 0, sizeof(*l));
}
