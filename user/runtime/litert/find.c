// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The node-kernel call inside tflite::Subgraph::InvokeImpl (x86-64). OpInvoke,
 * inlined, ends in `mov rdi, <&context_>; mov rsi, <node>; call <reg>` where
 * reg was loaded from [<pair> + 0x68]: the registration's invoke, 24 bytes into
 * the TfLiteRegistration that follows the 80-byte TfLiteNode. Other indirect
 * calls in the function (the delegate's buffer-handle copies, the opaque
 * kernels' invoke with three arguments, the profiler's virtual calls) set
 * rdx, read a vtable or do not set rsi. The load's displacement is the
 * layout check: a build whose pair is laid out otherwise has no match, and
 * nnperf then measures inferences only rather than read a wrong field.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "capstone_dl.h"
#include "litert.h"
#include "placement.h"

#define WINDOW 8   /* instructions remembered before a call */
#define END_WALK 6 /* instructions looked at after it for an emulated end */

struct seen {
	char mnemonic[32];
	char ops[160];
};

static bool writes(const struct seen *s, const char *reg)
{
	size_t n = strlen(reg);

	return !strncmp(s->ops, reg, n) && s->ops[n] == ',';
}

/* a bare 64-bit register operand: "rax", "r11" */
static bool is_reg(const char *ops)
{
	size_t n = strlen(ops);

	return n >= 2 && n < 4 && ops[0] == 'r' &&
	       strspn(ops, "abcdefghijklmnopqrstuvwxyz0123456789") == n;
}

/* the call at W[0] (newest first): rdi and rsi set by the two instructions
 * before it, rdx by none of the WINDOW, and its register loaded from +0x68 */
static bool is_kernel_call(const struct seen *w, int n, const char *target)
{
	char load[32];
	bool rdi = false, rsi = false;

	for (int i = 1; i < n && i <= 2; i++) {
		rdi |= !strcmp(w[i].mnemonic, "mov") && writes(&w[i], "rdi");
		rsi |= !strcmp(w[i].mnemonic, "mov") && writes(&w[i], "rsi");
	}
	if (!rdi || !rsi)
		return false;
	for (int i = 1; i < n; i++)
		if (writes(&w[i], "rdx") || writes(&w[i], "edx"))
			return false;
	snprintf(load, sizeof(load), "+ 0x%x]", NNP_LITERT_INVOKE_OFF);
	for (int i = 1; i < n; i++)
		if (!strcmp(w[i].mnemonic, "mov") && writes(&w[i], target) &&
		    strstr(w[i].ops, load))
			return true;
	return false;
}

static void remember(struct seen *w, int *n, const cs_insn *insn)
{
	memmove(w + 1, w, sizeof(*w) * (WINDOW - 1));
	snprintf(w[0].mnemonic, sizeof(w[0].mnemonic), "%s", insn->mnemonic);
	snprintf(w[0].ops, sizeof(w[0].ops), "%s", insn->op_str);
	if (*n < WINDOW)
		(*n)++;
}

/* jcc rel8 / rel32: the kernel emulates conditional jumps as it does jmp */
static bool is_jcc(const uint8_t *b, size_t n)
{
	return (n == 2 && b[0] >= 0x70 && b[0] <= 0x7f) ||
	       (n == 6 && b[0] == 0x0f && b[1] >= 0x80 && b[1] <= 0x8f);
}

/*
 * The node's end: the first instruction after the call, on its straight path,
 * that the kernel emulates (~1 us a hit; the `mov eax` the call returns to is
 * single-stepped, ~10x that, outside the node's time), else the one right
 * after the call. The instructions stepped over (test, mov) cost nanoseconds.
 */
static void end_site(const struct nnp_capstone *api, csh cs, const uint8_t *code, size_t len,
		     struct nnp_litert_call *out)
{
	cs_insn *insn = api->malloc(cs);
	uint64_t pc = out->end_vaddr;

	snprintf(out->end_insn, sizeof(out->end_insn), "stepped");
	for (int i = 0; insn && i < END_WALK && api->disasm_iter(cs, &code, &len, &pc, insn); i++) {
		if (nnp_x86_emulated(insn->bytes, insn->size) || is_jcc(insn->bytes, insn->size)) {
			out->end_vaddr = insn->address;
			snprintf(out->end_insn, sizeof(out->end_insn), "%s", insn->mnemonic);
			break;
		}
		if (api->insn_group(cs, insn, CS_GRP_JUMP) ||
		    api->insn_group(cs, insn, CS_GRP_CALL) || api->insn_group(cs, insn, CS_GRP_RET))
			break;
	}
	if (insn)
		api->free(insn, 1);
}

static int sweep(const struct nnp_capstone *api, csh cs, const uint8_t *code, size_t len,
		 uint64_t vaddr, struct nnp_litert_call *out)
{
	const uint8_t *start = code;
	size_t start_len = len;
	struct seen w[WINDOW];
	cs_insn *insn = api->malloc(cs);
	uint64_t pc = vaddr;
	int n = 0, found = 0;

	if (!insn)
		return -ENOMEM;
	while (len) {
		if (!api->disasm_iter(cs, &code, &len, &pc, insn)) {
			/* bytes that are no instruction (a jump table, padding): go on after them
			 */
			code++;
			len--;
			pc++;
			n = 0;
			continue;
		}
		remember(w, &n, insn);
		if (strcmp(insn->mnemonic, "call") || !is_reg(insn->op_str) ||
		    !is_kernel_call(w, n, insn->op_str))
			continue;
		if (found++)
			break;
		out->call_vaddr = insn->address;
		out->end_vaddr = insn->address + insn->size;
		snprintf(out->target, sizeof(out->target), "%s", insn->op_str);
	}
	if (found == 1)
		end_site(api, cs, start + (out->end_vaddr - vaddr),
			 start_len - (out->end_vaddr - vaddr), out);
	api->free(insn, 1);
	return found == 1 ? 0 : found ? -ENOTUNIQ : -ENOENT;
}

int nnp_litert_find_call(const uint8_t *code, size_t len, uint64_t vaddr,
			 struct nnp_litert_call *out)
{
	const struct nnp_capstone *api = nnp_capstone();
	csh cs;
	int err;

	if (!api)
		return -ENOENT;
	if (api->open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return -ENOMEM;
	/* instruction groups (the end walk's stop at a jump) need the details */
	api->option(cs, CS_OPT_DETAIL, CS_OPT_ON);
	err = sweep(api, cs, code, len, vaddr, out);
	api->close(&cs);
	return err;
}
