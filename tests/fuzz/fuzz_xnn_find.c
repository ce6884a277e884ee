// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * XNNPACK's type-name table and type-offset finders (litert/xnn_find.c) on any
 * bytes: the input is an address (8 bytes, little-endian; its top bit set:
 * arm64 code, else x86-64), the name function's address (8 bytes; 0: the code
 * is xnn_operator_type_to_string_v2's own) and the code, as a hostile
 * library's would be read. A table found is of a known kind, its OFF16 string
 * block another address; an offset found is an int field of a few KiB; the
 * errors are the documented ones.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capstone_dl.h"
#include "fuzz_util.h"
#include "xnnpack.h"

#define RELEASE_EVERY 1024 /* inputs between unloads of capstone */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!nnp_capstone()) {
		fprintf(stderr, "fuzz_xnn_find: capstone cannot be loaded: nothing to fuzz\n");
		exit(1);
	}
	return 0;
}

static void check_table(int err, const struct nnp_xnn_table *t)
{
	if (err) {
		if (err != -ENOENT && err != -ENOMEM)
			abort();
		return;
	}
	if (t->kind == NNP_XNN_REL32 && t->data != 0)
		abort();
	if (t->kind == NNP_XNN_OFF16 && t->data == t->table)
		abort(); /* the block is another register's address */
	if (t->kind != NNP_XNN_REL32 && t->kind != NNP_XNN_OFF16)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct nnp_xnn_table t;
	uint64_t vaddr, callee;
	uint16_t machine;
	uint32_t off = 0;
	int err;

	if (size < 16)
		return 0;
	memcpy(&vaddr, data, 8);
	memcpy(&callee, data + 8, 8);
	machine = vaddr >> 63 ? EM_AARCH64 : EM_X86_64;
	vaddr &= ~(1ULL << 63);
	if (vaddr > UINT64_MAX / 2 - size)
		return 0; /* no code ends past 2^63 */
	memset(&t, 0, sizeof(t));
	check_table(nnp_xnn_find_table(machine, data + 16, size - 16, vaddr, &t), &t);
	err = nnp_xnn_find_type_off(machine, data + 16, size - 16, vaddr, callee, &off);
	if (!err && (off > NNP_XNN_MAX_TYPE_OFF || off % 4))
		abort();
	if (err && err != -ENOENT && err != -ENOTUNIQ && err != -ENOMEM)
		abort();
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}
