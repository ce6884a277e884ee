// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * XNNPACK's operator type names and the type's place in xnn_operator, read
 * from the code that uses them (xnnpack.h).
 *   xnn_operator_type_to_string, ai-edge-litert 1.x and 2.x (x86-64):
 *     movsxd rax, edi; lea rcx, [rip + T]; movsxd rax, [rcx + rax*4]; add rax, rcx
 *   arm64:  adrp x8, T; add x8, x8, #lo; ldrsw x9, [x8, w0, sxtw #2]; add x0, x8, x9
 *   tflite-runtime 2.14 (x86-64):
 *     lea rax, [rip + O]; lea rdx, [rip + D]; movzx eax, word [rax + rdi*2]; add rax, rdx
 *   The type, as XNNPACK's profiler reads it before naming it:
 *     mov edi, dword [rax + 0x1ec]; call xnn_operator_type_to_string   (1.x)
 *     mov edi, dword [rdi + 0xb8]  (2.x's xnn_operator_type_to_string_v2(op))
 *     ldr w0, [x0, #184]           (its arm64 build)
 * Nothing here trusts the bytes: a read that is not of this shape is no match.
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "capstone_dl.h"
#include "xnnpack.h"

#define MAX_TRACKED 8

/* registers holding an address computed pc-relative */
struct tracked {
	unsigned int reg[MAX_TRACKED];
	uint64_t val[MAX_TRACKED];
	int n;
};

static int slot(const struct tracked *t, unsigned int reg)
{
	for (int i = 0; i < t->n; i++)
		if (t->reg[i] == reg)
			return i;
	return -1;
}

static void track(struct tracked *t, unsigned int reg, uint64_t val)
{
	int i = slot(t, reg);

	if (i < 0 && t->n < MAX_TRACKED)
		i = t->n++;
	if (i >= 0) {
		t->reg[i] = reg;
		t->val[i] = val;
	}
}

static void forget(struct tracked *t, unsigned int reg)
{
	int i = slot(t, reg);

	if (i >= 0) {
		t->reg[i] = t->reg[--t->n];
		t->val[i] = t->val[t->n];
	}
}

/* the one tracked address other than the one in REG, for OFF16's string block */
static int other(const struct tracked *t, unsigned int reg, uint64_t *val)
{
	int found = -1;

	for (int i = 0; i < t->n; i++) {
		if (t->reg[i] == reg)
			continue;
		if (found >= 0)
			return -ENOENT;
		found = i;
	}
	if (found < 0)
		return -ENOENT;
	*val = t->val[found];
	return 0;
}

static void forget_written(const struct nnp_capstone *api, csh cs, const cs_insn *insn,
			   struct tracked *t)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (api->regs_access(cs, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK) {
		t->n = 0; /* what it wrote is unknown */
		return;
	}
	for (int i = 0; i < nwr; i++)
		forget(t, wr[i]);
}

/* the element read of a table at a tracked base; 1 found (*out set), 0 not this, -ENOENT */
static int x86_table_read(const cs_insn *insn, const struct tracked *t, struct nnp_xnn_table *out)
{
	const cs_x86 *x = &insn->detail->x86;
	const cs_x86_op *m = x->op_count == 2 ? &x->operands[1] : NULL;
	int i;

	if (!m || m->type != X86_OP_MEM || (i = slot(t, m->mem.base)) < 0 ||
	    m->mem.index == X86_REG_INVALID)
		return 0;
	if (insn->id == X86_INS_MOVSXD && m->mem.scale == 4 && m->size == 4) {
		*out = (struct nnp_xnn_table){ NNP_XNN_REL32, t->val[i], 0 };
		return 1;
	}
	if (insn->id == X86_INS_MOVZX && m->mem.scale == 2 && m->size == 2) {
		*out = (struct nnp_xnn_table){ NNP_XNN_OFF16, t->val[i], 0 };
		return other(t, m->mem.base, &out->data) ? -ENOENT : 1;
	}
	return 0;
}

/* lea REG, [rip + D]: REG tracked; 1 if it was one */
static bool x86_lea_rip(const cs_insn *insn, struct tracked *t)
{
	const cs_x86 *x = &insn->detail->x86;

	if (insn->id != X86_INS_LEA || x->op_count != 2 || x->operands[0].type != X86_OP_REG ||
	    x->operands[1].type != X86_OP_MEM || x->operands[1].mem.base != X86_REG_RIP ||
	    x->operands[1].mem.index != X86_REG_INVALID)
		return false;
	track(t, x->operands[0].reg,
	      insn->address + insn->size + (uint64_t)x->operands[1].mem.disp);
	return true;
}

static int arm64_table_read(const cs_insn *insn, const struct tracked *t, struct nnp_xnn_table *out)
{
	const cs_arm64 *a = &insn->detail->arm64;
	const cs_arm64_op *m = a->op_count == 2 ? &a->operands[1] : NULL;
	int i;

	if (!m || m->type != ARM64_OP_MEM || (i = slot(t, m->mem.base)) < 0 ||
	    m->mem.index == ARM64_REG_INVALID)
		return 0;
	if (insn->id == ARM64_INS_LDRSW && m->shift.value == 2) {
		*out = (struct nnp_xnn_table){ NNP_XNN_REL32, t->val[i], 0 };
		return 1;
	}
	if (insn->id == ARM64_INS_LDRH && m->shift.value == 1) {
		*out = (struct nnp_xnn_table){ NNP_XNN_OFF16, t->val[i], 0 };
		return other(t, m->mem.base, &out->data) ? -ENOENT : 1;
	}
	return 0;
}

/* adrp REG, PAGE and add REG, REG, #LO: REG tracked; 1 if it was one */
static bool arm64_pc_rel(const cs_insn *insn, struct tracked *t)
{
	const cs_arm64 *a = &insn->detail->arm64;
	const cs_arm64_op *o = a->operands;
	int i;

	if (insn->id == ARM64_INS_ADRP && a->op_count == 2 && o[0].type == ARM64_OP_REG &&
	    o[1].type == ARM64_OP_IMM) {
		track(t, o[0].reg, (uint64_t)o[1].imm);
		return true;
	}
	if (insn->id == ARM64_INS_ADD && a->op_count == 3 && o[0].type == ARM64_OP_REG &&
	    o[1].type == ARM64_OP_REG && o[2].type == ARM64_OP_IMM && !o[2].shift.value &&
	    (i = slot(t, o[1].reg)) >= 0) {
		uint64_t v = t->val[i] + (uint64_t)o[2].imm;

		track(t, o[0].reg, v);
		return true;
	}
	return false;
}

/* capstone for MACHINE with details; 0, -ENOTSUP, -ENOENT (no capstone), -ENOMEM */
static int open_cs(uint16_t machine, const struct nnp_capstone **api, csh *cs)
{
	cs_arch arch = machine == EM_X86_64 ? CS_ARCH_X86 : CS_ARCH_ARM64;
	cs_mode mode = machine == EM_X86_64 ? CS_MODE_64 : CS_MODE_ARM;

	if (machine != EM_X86_64 && machine != EM_AARCH64)
		return -ENOTSUP;
	*api = nnp_capstone();
	if (!*api)
		return -ENOENT;
	if ((*api)->open(arch, mode, cs) != CS_ERR_OK)
		return -ENOMEM;
	(*api)->option(*cs, CS_OPT_DETAIL, CS_OPT_ON);
	return 0;
}

static bool is_ret(uint16_t machine, const cs_insn *insn)
{
	return machine == EM_X86_64 ? insn->id == X86_INS_RET : insn->id == ARM64_INS_RET;
}

static int table_sweep(const struct nnp_capstone *api, csh cs, uint16_t machine,
		       const uint8_t *code, size_t len, uint64_t vaddr, struct nnp_xnn_table *out)
{
	cs_insn *insn = api->malloc(cs);
	struct tracked t = { .n = 0 };
	int r = 0;

	if (!insn)
		return -ENOMEM;
	while (!r && api->disasm_iter(cs, &code, &len, &vaddr, insn) && !is_ret(machine, insn)) {
		bool x86 = machine == EM_X86_64;

		r = x86 ? x86_table_read(insn, &t, out) : arm64_table_read(insn, &t, out);
		if (r || (x86 ? x86_lea_rip(insn, &t) : arm64_pc_rel(insn, &t)))
			continue;
		forget_written(api, cs, insn, &t);
	}
	api->free(insn, 1);
	return r == 1 ? 0 : -ENOENT;
}

int nnp_xnn_find_table(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
		       struct nnp_xnn_table *out)
{
	const struct nnp_capstone *api;
	csh cs;
	int err = open_cs(machine, &api, &cs);

	if (err)
		return err;
	err = table_sweep(api, cs, machine, code, len, vaddr, out);
	api->close(&cs);
	return err;
}

static bool is_arg0(uint16_t machine, unsigned int reg)
{
	if (machine == EM_X86_64)
		return reg == X86_REG_RDI || reg == X86_REG_EDI || reg == X86_REG_DI ||
		       reg == X86_REG_DIL;
	return reg == ARM64_REG_X0 || reg == ARM64_REG_W0;
}

/* a 32-bit load from [BASE + DISP] (a plain register, no index) into DST: *dst,
 * *base, *disp */
static bool load32(uint16_t machine, const cs_insn *insn, unsigned int *dst, unsigned int *base,
		   int64_t *disp)
{
	if (machine == EM_X86_64) {
		const cs_x86 *x = &insn->detail->x86;
		const cs_x86_op *o = x->operands;

		if (insn->id != X86_INS_MOV || x->op_count != 2 || o[0].type != X86_OP_REG ||
		    o[1].type != X86_OP_MEM || o[1].size != 4 || o[1].mem.base == X86_REG_INVALID ||
		    o[1].mem.base == X86_REG_RIP || o[1].mem.index != X86_REG_INVALID ||
		    o[1].mem.segment != X86_REG_INVALID)
			return false;
		*dst = o[0].reg, *base = o[1].mem.base, *disp = o[1].mem.disp;
		return true;
	} else {
		const cs_arm64 *a = &insn->detail->arm64;
		const cs_arm64_op *o = a->operands;

		if (insn->id != ARM64_INS_LDR || a->op_count != 2 || o[0].type != ARM64_OP_REG ||
		    o[0].reg < ARM64_REG_W0 || o[0].reg > ARM64_REG_W30 ||
		    o[1].type != ARM64_OP_MEM || o[1].mem.base == ARM64_REG_INVALID ||
		    o[1].mem.index != ARM64_REG_INVALID || a->writeback)
			return false;
		*dst = o[0].reg, *base = o[1].mem.base, *disp = o[1].mem.disp;
		return true;
	}
}

/* a direct call or tail jump to CALLEE */
static bool calls(uint16_t machine, const cs_insn *insn, uint64_t callee)
{
	if (machine == EM_X86_64) {
		const cs_x86 *x = &insn->detail->x86;

		return (insn->id == X86_INS_CALL || insn->id == X86_INS_JMP) && x->op_count == 1 &&
		       x->operands[0].type == X86_OP_IMM && (uint64_t)x->operands[0].imm == callee;
	} else {
		const cs_arm64 *a = &insn->detail->arm64;

		return (insn->id == ARM64_INS_BL || insn->id == ARM64_INS_B) && a->op_count == 1 &&
		       a->operands[0].type == ARM64_OP_IMM &&
		       (uint64_t)a->operands[0].imm == callee;
	}
}

/* INSN writes the first argument register (or capstone cannot say) */
static bool writes_arg0(const struct nnp_capstone *api, csh cs, uint16_t machine,
			const cs_insn *insn)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (api->regs_access(cs, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return true;
	for (int i = 0; i < nwr; i++)
		if (is_arg0(machine, wr[i]))
			return true;
	return api->insn_group(cs, insn, CS_GRP_CALL);
}

/* the next instruction, over bytes that are none (a jump table, padding); false at the end */
static bool next(const struct nnp_capstone *api, csh cs, uint16_t machine, const uint8_t **code,
		 size_t *len, uint64_t *pc, cs_insn *insn)
{
	size_t step = machine == EM_X86_64 ? 1 : 4;

	while (*len) {
		size_t skip = *len < step ? *len : step;

		if (api->disasm_iter(cs, code, len, pc, insn))
			return true;
		*code += skip, *len -= skip, *pc += skip;
	}
	return false;
}

struct type_off_walk {
	int64_t pending; /* the last load into the first argument register, -1 none */
	int64_t found;	 /* -1 none yet */
};

/* one instruction of a caller of CALLEE: 0, or -ENOTUNIQ (two loads disagree) */
static int caller_step(const struct nnp_capstone *api, csh cs, uint16_t machine,
		       const cs_insn *insn, uint64_t callee, struct type_off_walk *w)
{
	unsigned int dst, base;
	int64_t disp;

	if (calls(machine, insn, callee)) {
		if (w->pending >= 0 && w->found >= 0 && w->pending != w->found)
			return -ENOTUNIQ;
		if (w->pending >= 0)
			w->found = w->pending;
		w->pending = -1;
	} else if (load32(machine, insn, &dst, &base, &disp) && is_arg0(machine, dst) &&
		   !is_arg0(machine, base)) {
		w->pending = disp;
	} else if (writes_arg0(api, cs, machine, insn)) {
		w->pending = -1;
	}
	return 0;
}

/* one instruction of xnn_operator_type_to_string_v2(op): 1 found, 0 go on, -ENOENT stop */
static int own_step(const struct nnp_capstone *api, csh cs, uint16_t machine, const cs_insn *insn,
		    struct type_off_walk *w)
{
	unsigned int dst, base;
	int64_t disp;

	if (load32(machine, insn, &dst, &base, &disp) && is_arg0(machine, base)) {
		w->found = disp;
		return 1;
	}
	if (is_ret(machine, insn) || writes_arg0(api, cs, machine, insn))
		return -ENOENT; /* the argument is gone before its type was read */
	return 0;
}

static int type_off_sweep(const struct nnp_capstone *api, csh cs, uint16_t machine,
			  const uint8_t *code, size_t len, uint64_t pc, uint64_t callee,
			  uint32_t *off)
{
	struct type_off_walk w = { -1, -1 };
	cs_insn *insn = api->malloc(cs);
	int r = 0;

	if (!insn)
		return -ENOMEM;
	while (!r && next(api, cs, machine, &code, &len, &pc, insn))
		r = callee ? caller_step(api, cs, machine, insn, callee, &w)
			   : own_step(api, cs, machine, insn, &w);
	api->free(insn, 1);
	if (r < 0)
		return r;
	if (w.found < 0 || w.found > NNP_XNN_MAX_TYPE_OFF || w.found % 4)
		return -ENOENT;
	*off = (uint32_t)w.found;
	return 0;
}

int nnp_xnn_find_type_off(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
			  uint64_t callee, uint32_t *off)
{
	const struct nnp_capstone *api;
	csh cs;
	int err = open_cs(machine, &api, &cs);

	if (err)
		return err;
	err = type_off_sweep(api, cs, machine, code, len, vaddr, callee, off);
	api->close(&cs);
	return err;
}
