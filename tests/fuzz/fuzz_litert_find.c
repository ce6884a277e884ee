// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * LiteRT's node-kernel call finder (litert/find.c) on any bytes: the input is
 * an address (8 bytes, little-endian) and the code at it, as InvokeImpl's
 * would be read from a hostile library. A call found is an indirect call
 * through a register (ff /2, mod 3) inside the code; its end is after it and
 * inside the code; the register's name and the end's mnemonic are strings.
 */
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

static void check(const uint8_t *code, size_t len, uint64_t vaddr, const struct nnp_litert_call *c)
{
	uint64_t off = c->call_vaddr - vaddr, end = c->end_vaddr - vaddr;
	const uint8_t *p;

	if (c->call_vaddr < vaddr || off >= len)
		abort();
	p = code + off;
	if (len - off >= 3 && (p[0] & 0xf0) == 0x40) /* a REX prefix (call r8..r15) */
		p++;
	if (p + 2 > code + len || p[0] != 0xff || (p[1] & 0xf8) != 0xd0)
		abort(); /* call REG: ff, modrm 11 010 rrr */
	if (c->end_vaddr <= c->call_vaddr || end > len)
		abort();
	if (!memchr(c->target, '\0', sizeof(c->target)) || !c->target[0] ||
	    !memchr(c->end_insn, '\0', sizeof(c->end_insn)) || !c->end_insn[0])
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct nnp_litert_call c;
	uint64_t vaddr;
	int err;

	if (size < 8)
		return 0;
	memcpy(&vaddr, data, 8);
	if (vaddr > UINT64_MAX - size)
		return 0; /* no code ends past 2^64 */
	memset(&c, 0, sizeof(c));
	err = nnp_litert_find_call(data + 8, size - 8, vaddr, &c);
	if (!err)
		check(data + 8, size - 8, vaddr, &c);
	else if (err != -ENOENT && err != -ENOTUNIQ && err != -ENOMEM)
		abort();
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}
