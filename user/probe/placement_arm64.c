// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Probe placement on arm64. The kernel decides a uprobe's fate from the
 * instruction word (arch/arm64/kernel/probes/decode-insn.c, uprobes.c): it
 * simulates b, bl, b.cond, cbz/cbnz, tbz/tbnz, br/blr/ret and adr/adrp; it
 * single-steps out of line what aarch64_insn_is_steppable() allows (including
 * the hints nop, paciasp, pacibsp, bti c: Debian's 6.1 has no simulate_nop,
 * newer kernels simulate nop too); it refuses the rest with EINVAL: ldr/ldrsw/prfm
 * (literal) since "arm64: probes: Remove broken LDR (literal) uprobe support"
 * (CVE-2024-50099, in 6.1 stable), exclusive loads and stores, msr, svc/brk,
 * eret, the authenticating branches (retaa, braa, blraa), mrs of DAIF and the
 * other hints (autiasp, ...). The masks below are the kernel's (asm/insn.h).
 *
 * A uretprobe replaces the return address in x30 when the entry probe hits,
 * so the entry site must come before anything that reads or changes x30:
 * paciasp signs it, stp x29, x30 saves it. In practice a function built with
 * branch protection keeps its probe on the first instruction (stepped); one
 * starting with bti c can move to a simulated instruction after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capstone_dl.h"
#include "placement.h"

#define MAX_SCAN 8 /* instructions looked at */
#define INSN_SIZE 4

struct op {
	uint32_t mask, val;
};

static bool any(const struct op *ops, size_t n, uint32_t w)
{
	for (size_t i = 0; i < n; i++)
		if ((w & ops[i].mask) == ops[i].val)
			return true;
	return false;
}

/* arm_probe_decode_insn's INSN_GOOD_NO_SLOT list */
static const struct op simulated[] = {
	{ 0xff000010, 0x54000000 }, /* b.cond */
	{ 0x7e000000, 0x34000000 }, /* cbz, cbnz */
	{ 0x7e000000, 0x36000000 }, /* tbz, tbnz */
	{ 0x1f000000, 0x10000000 }, /* adr, adrp */
	{ 0x7c000000, 0x14000000 }, /* b, bl */
	{ 0xfffffc1f, 0xd61f0000 }, /* br */
	{ 0xfffffc1f, 0xd63f0000 }, /* blr */
	{ 0xfffffc1f, 0xd65f0000 }, /* ret */
};

/* not steppable (and not simulated) outside the branch/system class */
static const struct op unsteppable[] = {
	{ 0xbf000000, 0x18000000 }, /* ldr (literal) */
	{ 0xff000000, 0x98000000 }, /* ldrsw (literal) */
	{ 0xff000000, 0xd8000000 }, /* prfm (literal) */
	{ 0x3f800000, 0x08000000 }, /* exclusive load/store */
};

/* not steppable in the branch/system class: the rest of it is */
static const struct op unsteppable_sys[] = {
	{ 0xfefff800, 0xd61f0800 }, /* braa, brab */
	{ 0xfefff800, 0xd63f0800 }, /* blraa, blrab */
	{ 0xfffffbff, 0xd65f0bff }, /* retaa, retab */
	{ 0xfff8f01f, 0xd500401f }, /* msr (immediate) */
	{ 0xfff00000, 0xd5100000 }, /* msr (register) */
	{ 0xff000000, 0xd4000000 }, /* exception: svc, hvc, brk, ... */
	{ 0xffffffff, 0xd69f03e0 }, /* eret */
	{ 0xfffffbff, 0xd69f0bff }, /* eretaa, eretab */
	{ 0xffffffe0, 0xd53b4220 }, /* mrs xN, daif */
};

#define HINT_MASK 0xfffff01f
#define HINT_VAL 0xd503201f

struct hint {
	uint32_t imm; /* insn & 0xfe0: CRm:op2 */
	const char *name;
	bool steppable; /* aarch64_insn_is_steppable_hint() */
	bool lr;	/* reads or writes x30 */
};

static const struct hint hints[] = {
	{ 0x000, "nop", true, false },	      { 0x0e0, "xpaclri", true, true },
	{ 0x100, "pacia1716", true, false },  { 0x140, "pacib1716", true, false },
	{ 0x180, "autia1716", false, false }, { 0x1c0, "autib1716", false, false },
	{ 0x300, "paciaz", true, true },      { 0x320, "paciasp", true, true },
	{ 0x340, "pacibz", true, true },      { 0x360, "pacibsp", true, true },
	{ 0x380, "autiaz", false, true },     { 0x3a0, "autiasp", false, true },
	{ 0x3c0, "autibz", false, true },     { 0x3e0, "autibsp", false, true },
	{ 0x400, "bti", true, false },	      { 0x440, "bti c", true, false },
	{ 0x480, "bti j", true, false },      { 0x4c0, "bti jc", true, false },
};

/* the hint W is, or NULL (not a hint, or one not listed: neither steppable nor LR-free) */
static const struct hint *hint_of(uint32_t w)
{
	if ((w & HINT_MASK) != HINT_VAL)
		return NULL;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if ((w & 0xfe0) == hints[i].imm)
			return &hints[i];
	return NULL;
}

bool nnp_arm64_simulated(uint32_t w)
{
	return any(simulated, sizeof(simulated) / sizeof(simulated[0]), w);
}

static enum nnp_insn_class classify(uint32_t w)
{
	const struct hint *h = hint_of(w);

	if (any(simulated, sizeof(simulated) / sizeof(simulated[0]), w))
		return NNP_INSN_EMULATED;
	if ((w & HINT_MASK) == HINT_VAL)
		return h && h->steppable ? NNP_INSN_STEPPED : NNP_INSN_REJECTED;
	if (((w >> 25) & 0xe) == 0xa) /* AARCH64_INSN_CLS_BR_SYS */
		return any(unsteppable_sys, sizeof(unsteppable_sys) / sizeof(unsteppable_sys[0]), w)
			   ? NNP_INSN_REJECTED
			   : NNP_INSN_STEPPED;
	return any(unsteppable, sizeof(unsteppable) / sizeof(unsteppable[0]), w) ? NNP_INSN_REJECTED
										 : NNP_INSN_STEPPED;
}

static uint32_t word(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* x0-x7 carry arguments, x8 the address of a returned struct, x30 the return address */
static bool guarded(arm64_reg r)
{
	return (r >= ARM64_REG_X0 && r <= ARM64_REG_X8) ||
	       (r >= ARM64_REG_W0 && r <= ARM64_REG_W8) || r == ARM64_REG_SP ||
	       r == ARM64_REG_WSP || r == ARM64_REG_X30 || r == ARM64_REG_W30;
}

/* false when moving the probe past INSN could change what the probe reads, or x30 */
static bool harmless(const struct nnp_capstone *cs, csh h, const cs_insn *insn, uint32_t w)
{
	const struct hint *hint = hint_of(w);
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if ((w & HINT_MASK) == HINT_VAL)
		return hint && !hint->lr;
	if (cs->insn_group(h, insn, CS_GRP_JUMP) || cs->insn_group(h, insn, CS_GRP_CALL) ||
	    cs->insn_group(h, insn, CS_GRP_RET) || cs->insn_group(h, insn, CS_GRP_INT) ||
	    insn->detail->arm64.writeback)
		return false;
	if (cs->regs_access(h, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return false;
	for (int i = 0; i < nwr; i++)
		if (guarded(wr[i]))
			return false;
	for (int i = 0; i < nrd; i++) /* stp x29, x30, [sp, ...] saves it */
		if (rd[i] == ARM64_REG_X30 || rd[i] == ARM64_REG_W30)
			return false;
	return true;
}

static void choose(const cs_insn *insn, const uint8_t *code, uint32_t skip,
		   struct nnp_placement *out)
{
	const struct hint *h = hint_of(word(code + skip));

	out->skip = skip;
	out->cls = classify(word(code + skip));
	out->emulated = out->cls == NNP_INSN_EMULATED;
	snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", h ? h->name : insn->mnemonic);
}

/* the first simulated instruction reachable, else the first the kernel takes, else the entry */
static void scan(const struct nnp_capstone *cs, csh h, const cs_insn *insn, size_t n,
		 const uint8_t *code, struct nnp_placement *out)
{
	size_t first_ok = n;

	for (size_t i = 0; i < n && i < MAX_SCAN; i++) {
		uint32_t w = word(code + i * INSN_SIZE);
		enum nnp_insn_class cls = classify(w);

		if (cls == NNP_INSN_EMULATED) {
			choose(&insn[i], code, (uint32_t)(i * INSN_SIZE), out);
			return;
		}
		if (cls == NNP_INSN_STEPPED && first_ok == n)
			first_ok = i;
		if (!harmless(cs, h, &insn[i], w))
			break;
	}
	if (first_ok == n)
		first_ok = 0;
	choose(&insn[first_ok], code, (uint32_t)(first_ok * INSN_SIZE), out);
}

int nnp_place_arm64(const uint8_t *code, size_t len, struct nnp_placement *out)
{
	const struct nnp_capstone *cs = nnp_capstone();
	cs_insn *insn = NULL;
	size_t n;
	csh h;

	memset(out, 0, sizeof(*out));
	if (!cs || cs->open(CS_ARCH_ARM64, CS_MODE_ARM, &h) != CS_ERR_OK)
		return -EINVAL;
	cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
	/* whole words only; capstone stops at the first it cannot decode */
	n = cs->disasm(h, code, len - len % INSN_SIZE, 0, MAX_SCAN, &insn);
	if (n)
		scan(cs, h, insn, n, code, out);
	cs->free(insn, n);
	cs->close(&h);
	return n ? 0 : -EINVAL;
}
