// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * LiteRT's node-kernel call finder (litert/find.c) on any bytes: the input is
 * an address (8 bytes, little-endian; its top bit set: arm64 code, else
 * x86-64) and the code at it, as InvokeImpl's would be read from a hostile
 * library. A call found is an indirect call through a register (x86-64 ff /2,
 * mod 3; arm64 blr, 4-byte aligned) inside the code, in order, at most
 * NNP_LITERT_MAX_CALLS; its end is after it and inside the code; the
 * register's name and the end's mnemonic are strings.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capstone_dl.h"
#include "fuzz_util.h"
#include "litert.h"

#define RELEASE_EVERY 1024 /* inputs between unloads of capstone */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!nnp_capstone()) {
		fprintf(stderr, "fuzz_litert_find: capstone cannot be loaded: nothing to fuzz\n");
		exit(1);
	}
	return 0;
}

static void check(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
		  const struct nnp_litert_call *c)
{
	uint64_t off = c->call_vaddr - vaddr, end = c->end_vaddr - vaddr;
	const uint8_t *p;
	uint32_t w;

	if (c->call_vaddr < vaddr || off >= len)
		abort();
	p = code + off;
	if (machine == EM_AARCH64) {
		if (len - off < 4 || off % 4)
			abort();
		memcpy(&w, p, 4);
		if ((w & 0xfffffc1f) != 0xd63f0000)
			abort(); /* blr Xn */
	} else {
		if (len - off >= 3 && (p[0] & 0xf0) == 0x40) /* a REX prefix (call r8..r15) */
			p++;
		if (p + 2 > code + len || p[0] != 0xff || (p[1] & 0xf8) != 0xd0)
			abort(); /* call REG: ff, modrm 11 010 rrr */
	}
	if (c->end_vaddr <= c->call_vaddr || end > len)
		abort();
	if (!memchr(c->target, '\0', sizeof(c->target)) || !c->target[0] ||
	    !memchr(c->end_insn, '\0', sizeof(c->end_insn)) || !c->end_insn[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct nnp_litert_calls c;
	uint32_t off = 0;
	uint16_t machine;
	uint64_t vaddr;
	int err;

	if (size < 8)
		return 0;
	memcpy(&vaddr, data, 8);
	/* the address's top bit picks the machine: no code lives up there */
	machine = vaddr >> 63 ? EM_AARCH64 : EM_X86_64;
	vaddr &= ~(1ULL << 63);
	if (vaddr > UINT64_MAX / 2 - size)
		return 0; /* no code ends past 2^63 */
	memset(&c, 0, sizeof(c));
	err = nnp_litert_find_calls(machine, data + 8, size - 8, vaddr, &c);
	if (!err && (c.n < 1 || c.n > NNP_LITERT_MAX_CALLS))
		abort();
	for (size_t i = 0; !err && i < c.n; i++) {
		check(machine, data + 8, size - 8, vaddr, &c.c[i]);
		if (i && c.c[i].call_vaddr <= c.c[i - 1].call_vaddr)
			abort(); /* in order, each once */
	}
	if (err && (c.n || (err != -ENOENT && err != -ENOTUNIQ && err != -ENOMEM)))
		abort();
	/* OpInvoke's context offset: 1..0x10000 when found */
	err = nnp_litert_find_context(machine, data + 8, size - 8, &off);
	if ((!err && (off == 0 || off > 0x10000)) || (err && err != -ENOENT && err != -ENOMEM))
		abort();
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}
