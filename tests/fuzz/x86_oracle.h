/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Which x86-64 instructions the kernel's uprobes emulate, written from
 * arch/x86/kernel/uprobes.c and not from user/probe/placement.c: the oracle
 * the placement and call-site harnesses check nnperf's answers against.
 */
#ifndef NNP_FUZZ_X86_ORACLE_H
#define NNP_FUZZ_X86_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* the forms of x86_nops[] (arch/x86/include/asm/nops.h), emulated by every kernel */
static const uint8_t nops[][8] = {
	{ 0x90 },
	{ 0x66, 0x90 },
	{ 0x0f, 0x1f, 0x00 },
	{ 0x0f, 0x1f, 0x40, 0x00 },
	{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
	{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

static inline bool legacy_prefix(uint8_t b)
{
	return b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e ||
	       b == 0x26 || b == 0x64 || b == 0x65 || b == 0x66 || b == 0x67;
}

/*
 * The length of the instruction at c if the kernel emulates it, else 0: an
 * oracle written from arch/x86/kernel/uprobes.c, not from placement.c.
 * uprobe_init_insn refuses es/cs/ss/ds and lock prefixes; branch_setup_xol_ops
 * takes jmp rel8/rel32 and call rel32 without a 66 prefix, and nops;
 * push_setup_xol_ops a push of a register, 1 byte or 41 50+r.
 */
static inline size_t kernel_emulates(const uint8_t *c, size_t len)
{
	size_t p = 0, rex = 0, i;
	bool o16 = false;

	for (i = 0; i < sizeof(nops) / sizeof(nops[0]); i++)
		if (i + 1 <= len && !memcmp(c, nops[i], i + 1))
			return i + 1;
	while (p < len && p < 14 && legacy_prefix(c[p])) {
		if (c[p] == 0xf0 || c[p] == 0x2e || c[p] == 0x36 || c[p] == 0x3e || c[p] == 0x26)
			return 0;
		o16 |= c[p] == 0x66;
		p++;
	}
	if (p < len && (c[p] & 0xf0) == 0x40)
		rex = 1;
	if (p + rex >= len)
		return 0;
	switch (c[p + rex]) {
	case 0x90: /* "prefix* + nop"; with REX.B it is xchg %r8,%rax */
		return rex ? 0 : p + 1;
	case 0xeb:
		return !o16 && p + rex + 2 <= len ? p + rex + 2 : 0;
	case 0xe8:
	case 0xe9:
		return !o16 && p + rex + 5 <= len ? p + rex + 5 : 0;
	}
	if (c[p + rex] < 0x50 || c[p + rex] > 0x57)
		return 0;
	if (!p && !rex)
		return 1;
	return !p && c[0] == 0x41 ? 2 : 0;
}

#endif
