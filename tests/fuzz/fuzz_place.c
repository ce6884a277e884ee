// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Probe placement on any bytes. capstone is loaded the way nnperf loads it
 * (nnp_capstone(): dlopen of the build's SONAME) and unloaded every so often,
 * as after each attach batch. The placement must stay inside the code, name
 * its instruction, and call it emulated only if the kernel emulates it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capstone_dl.h"
#include "fuzz_util.h"
#include "placement.h"

#define RELEASE_EVERY 1024 /* inputs between unloads of capstone */

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

static bool legacy_prefix(uint8_t b)
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
static size_t kernel_emulates(const uint8_t *c, size_t len)
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

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!nnp_capstone()) {
		fprintf(stderr, "fuzz_place: capstone cannot be loaded: nothing to fuzz\n");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct nnp_placement pl;
	size_t k;
	int err;

	memset(&pl, 0xa5, sizeof(pl)); /* nothing may be left from before the call */
	err = nnp_place_code(NNP_EM_X86_64, data, size, &pl);
	if (err && (err != -EINVAL || pl.skip || pl.emulated || pl.mnemonic[0]))
		abort(); /* undecodable: stay at the entry */
	if (!memchr(pl.mnemonic, '\0', sizeof(pl.mnemonic)) || pl.skip > size)
		abort();
	if (!err && (!pl.mnemonic[0] || pl.skip >= size))
		abort(); /* a decoded instruction, inside the code */
	if (pl.emulated) {
		k = kernel_emulates(data + pl.skip, size - pl.skip);
		if (!k || pl.skip + k > size)
			abort();
	}
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}
