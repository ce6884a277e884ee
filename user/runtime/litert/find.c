// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The node-kernel calls inside tflite::Subgraph::InvokeImpl. OpInvoke, inlined,
 * ends in setting the first argument register to &context_ and the second to
 * the node, then calling a register loaded from [<pair> + 0x68]: the
 * registration's invoke, 24 bytes into the TfLiteRegistration that follows the
 * 80-byte TfLiteNode.
 *   x86-64 (ai-edge-litert 2.3.0):  mov rdi, [rbp-0x38]; mov rsi, r13; call rax
 *   arm64:                          add x0, x20, #0x28; mov x1, x26; blr x8
 * Other indirect calls in the function (the delegate's buffer-handle copies,
 * the opaque kernels' invoke with three arguments, the profiler's virtual
 * calls) set the third argument register, read a vtable or set no second one.
 * The load's displacement is the layout check: a build whose pair is laid out
 * otherwise has no match, and nnperf then measures inferences only rather than
 * read a wrong field. The arm64 build has the call twice (two paths to it).
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capstone_dl.h"
#include "litert.h"
#include "placement.h"

#define WINDOW 8   /* instructions remembered before a call */
#define END_WALK 6 /* instructions looked at after it for an emulated end */

struct arch {
	cs_arch cs;
	cs_mode mode;
	size_t step;		/* bytes skipped over what does not decode */
	const char *call;	/* the indirect call's mnemonic */
	const char *args[3];	/* the first three argument registers */
	const char *arg3_32;	/* the third's 32-bit name */
	const char *load;	/* the mnemonic loading the target */
	const char *disp_fmt;	/* how the load's displacement is written */
	const char *writers[6]; /* mnemonics that write their first operand */
};

static const struct arch x86 = {
	CS_ARCH_X86,
	CS_MODE_64,
	1,
	"call",
	{ "rdi", "rsi", "rdx" },
	"edx",
	"mov",
	"+ 0x%x]",
	{ "mov", "lea", "movzx", "xor", NULL },
};

static const struct arch arm64 = {
	CS_ARCH_ARM64,
	CS_MODE_ARM,
	4,
	"blr",
	{ "x0", "x1", "x2" },
	"w2",
	"ldr",
	"#0x%x]",
	{ "mov", "add", "ldr", "sub", "orr", NULL },
};

struct seen {
	char mnemonic[32];
	char ops[160];
};

/* the instruction's first operand is REG */
static bool names_first(const struct seen *s, const char *reg)
{
	size_t n = strlen(reg);

	return !strncmp(s->ops, reg, n) && s->ops[n] == ',';
}

static bool writes(const struct arch *a, const struct seen *s, const char *reg)
{
	for (int i = 0; a->writers[i]; i++)
		if (!strcmp(s->mnemonic, a->writers[i]))
			return names_first(s, reg);
	return false;
}

/* a bare register operand: "rax", "r11", "x8" */
static bool is_reg(const char *ops)
{
	size_t n = strlen(ops);

	return n >= 2 && n < 4 && (ops[0] == 'r' || ops[0] == 'x') &&
	       strspn(ops, "abcdefghijklmnopqrstuvwxyz0123456789") == n;
}

/* the call at W[0] (newest first): the first two argument registers set by the
 * two instructions before it, the third by none of the WINDOW, and its register
 * loaded from +0x68 */
static bool is_kernel_call(const struct arch *a, const struct seen *w, int n, const char *target)
{
	char disp[32];
	bool a0 = false, a1 = false;

	for (int i = 1; i < n && i <= 2; i++) {
		a0 |= writes(a, &w[i], a->args[0]);
		a1 |= writes(a, &w[i], a->args[1]);
	}
	if (!a0 || !a1)
		return false;
	for (int i = 1; i < n; i++)
		if (writes(a, &w[i], a->args[2]) || writes(a, &w[i], a->arg3_32))
			return false;
	snprintf(disp, sizeof(disp), a->disp_fmt, NNP_LITERT_INVOKE_OFF);
	for (int i = 1; i < n; i++)
		if (!strcmp(w[i].mnemonic, a->load) && names_first(&w[i], target) &&
		    strstr(w[i].ops, disp))
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

static bool emulated(const struct arch *a, const cs_insn *insn)
{
	if (a == &arm64)
		return insn->size == 4 && nnp_arm64_simulated((uint32_t)insn->bytes[0] |
							      (uint32_t)insn->bytes[1] << 8 |
							      (uint32_t)insn->bytes[2] << 16 |
							      (uint32_t)insn->bytes[3] << 24);
	return nnp_x86_emulated(insn->bytes, insn->size) || is_jcc(insn->bytes, insn->size);
}

/*
 * The node's end: the first instruction after the call, on its straight path,
 * that the kernel emulates (~1 us a hit; the `mov eax` the call returns to is
 * single-stepped, ~10x that, outside the node's time), else the one right
 * after the call. The instructions stepped over (test, mov) cost nanoseconds.
 */
static void end_site(const struct nnp_capstone *api, csh cs, const struct arch *a,
		     const uint8_t *code, size_t len, struct nnp_litert_call *out)
{
	cs_insn *insn = api->malloc(cs);
	uint64_t pc = out->end_vaddr;

	snprintf(out->end_insn, sizeof(out->end_insn), "stepped");
	for (int i = 0; insn && i < END_WALK && api->disasm_iter(cs, &code, &len, &pc, insn); i++) {
		if (emulated(a, insn)) {
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

static void take(const cs_insn *insn, struct nnp_litert_calls *out)
{
	struct nnp_litert_call *c = &out->c[out->n++];

	c->call_vaddr = insn->address;
	c->end_vaddr = insn->address + insn->size;
	snprintf(c->target, sizeof(c->target), "%.15s", insn->op_str); /* is_reg: < 4 */
}

static int sweep(const struct nnp_capstone *api, csh cs, const struct arch *a, const uint8_t *code,
		 size_t len, uint64_t vaddr, struct nnp_litert_calls *out)
{
	const uint8_t *start = code, *p = code;
	size_t left = len, found = 0;
	struct seen w[WINDOW];
	cs_insn *insn = api->malloc(cs);
	uint64_t pc = vaddr;
	int n = 0;

	if (!insn)
		return -ENOMEM;
	while (left) {
		if (!api->disasm_iter(cs, &p, &left, &pc, insn)) {
			/* bytes that are no instruction (a jump table, padding): go on after them
			 */
			size_t skip = left < a->step ? left : a->step;

			p += skip;
			left -= skip;
			pc += skip;
			n = 0;
			continue;
		}
		remember(w, &n, insn);
		if (strcmp(insn->mnemonic, a->call) || !is_reg(insn->op_str) ||
		    !is_kernel_call(a, w, n, insn->op_str))
			continue;
		if (found++ < NNP_LITERT_MAX_CALLS)
			take(insn, out);
	}
	api->free(insn, 1);
	if (found > NNP_LITERT_MAX_CALLS)
		return -ENOTUNIQ;
	for (size_t i = 0; i < out->n; i++) {
		uint64_t at = out->c[i].end_vaddr - vaddr;

		end_site(api, cs, a, start + at, len - at, &out->c[i]);
	}
	return found ? 0 : -ENOENT;
}

/* capstone for MACHINE's code, with the details instruction groups need; 0,
 * -ENOTSUP (a machine the finder does not read), -ENOENT (no capstone), -ENOMEM */
static int open_cs(uint16_t machine, const struct nnp_capstone **api, const struct arch **a,
		   csh *cs)
{
	*a = machine == EM_X86_64 ? &x86 : machine == EM_AARCH64 ? &arm64 : NULL;
	if (!*a)
		return -ENOTSUP;
	*api = nnp_capstone();
	if (!*api)
		return -ENOENT;
	if ((*api)->open((*a)->cs, (*a)->mode, cs) != CS_ERR_OK)
		return -ENOMEM;
	(*api)->option(*cs, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

int nnp_litert_find_calls(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
			  struct nnp_litert_calls *out)
{
	const struct nnp_capstone *api;
	const struct arch *a;
	csh cs;
	int err;

	out->n = 0;
	err = open_cs(machine, &api, &a, &cs);
	if (err)
		return err;
	err = sweep(api, cs, a, code, len, vaddr, out);
	api->close(&cs);
	if (err)
		out->n = 0;
	return err;
}

/* "rdi, 0x28" / "x0, x0, #0x28": the immediate added to the first argument */
static bool context_add(const struct arch *a, const struct seen *s, uint32_t *off)
{
	const char *imm;
	unsigned long v;
	char *end;

	if (strcmp(s->mnemonic, "add") || !names_first(s, a->args[0]))
		return false;
	imm = strrchr(s->ops, ' ');
	if (!imm)
		return false;
	imm += imm[1] == '#' ? 2 : 1;
	v = strtoul(imm, &end, 0);
	if (*end || v == 0 || v > 0x10000)
		return false;
	*off = (uint32_t)v;
	return true;
}

static int context_sweep(const struct nnp_capstone *api, csh cs, const struct arch *a,
			 const uint8_t *code, size_t len, uint32_t *off)
{
	cs_insn *insn = api->malloc(cs);
	struct seen w[WINDOW];
	uint64_t pc = 0;
	int n = 0, err = -ENOENT;

	if (!insn)
		return -ENOMEM;
	while (err && api->disasm_iter(cs, &code, &len, &pc, insn)) {
		bool branch = !strcmp(insn->mnemonic, a == &arm64 ? "br" : "jmp") ||
			      !strcmp(insn->mnemonic, a->call);

		remember(w, &n, insn);
		if (!branch || !is_reg(insn->op_str))
			continue;
		for (int i = 1; i < n && i <= 3 && err; i++)
			if (context_add(a, &w[i], off))
				err = 0;
	}
	api->free(insn, 1);
	return err;
}

int nnp_litert_find_context(uint16_t machine, const uint8_t *code, size_t len, uint32_t *off)
{
	const struct nnp_capstone *api;
	const struct arch *a;
	csh cs;
	int err = open_cs(machine, &api, &a, &cs);

	if (err)
		return err;
	err = context_sweep(api, cs, a, code, len, off);
	api->close(&cs);
	return err;
}
