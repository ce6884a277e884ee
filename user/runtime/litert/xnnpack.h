/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * XNNPACK inside LiteRT / TensorFlow Lite: each operator the delegate's runtime
 * runs goes through xnn_run_operator_with_index(op, opdata_index, object, pool).
 * The operator's type is an enum in the xnn_operator struct; its name is what
 * xnn_operator_type_to_string(type) returns, from a table in the library's
 * read-only data. xnn_find.c reads both from the code that uses them.
 */
#ifndef NNP_XNNPACK_H
#define NNP_XNNPACK_H

#include <stddef.h>
#include <stdint.h>

/* how xnn_operator_type_to_string finds a type's name */
enum nnp_xnn_table_kind {
	NNP_XNN_REL32 = 1, /* table + s32(table + type * 4): offsets from the table */
	NNP_XNN_OFF16 = 2, /* data + u16(table + type * 2): offsets into one string block */
};

struct nnp_xnn_table {
	enum nnp_xnn_table_kind kind;
	uint64_t table; /* the offsets' address (a vaddr of the library) */
	uint64_t data;	/* NNP_XNN_OFF16: the strings' block */
};

/*
 * In CODE (LEN bytes of MACHINE's code at VADDR: xnn_operator_type_to_string;
 * EM_X86_64 or EM_AARCH64), the table it reads: a pc-relative address loaded
 * into a register, then a signed 32-bit element (REL32) or an unsigned 16-bit
 * one (OFF16, the block the other pc-relative address) read at it, indexed by
 * the argument, before the return. 0; -ENOENT (no such read), -ENOTSUP
 * (another machine), -ENOMEM.
 */
int nnp_xnn_find_table(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
		       struct nnp_xnn_table *out);

/*
 * The offset of the operator's type in struct xnn_operator, from code that
 * reads it. CALLEE nonzero (CODE: xnn_get_runtime_profiling_info, or any caller
 * of xnn_operator_type_to_string at CALLEE): the 32-bit load into the first
 * argument register, from a register plus a displacement, right before each
 * call of CALLEE; all of them must agree. CALLEE 0 (CODE:
 * xnn_operator_type_to_string_v2(op)): the first 32-bit load from the first
 * argument plus a displacement. 0 (*off set); -ENOENT, -ENOTUNIQ (loads that
 * disagree), -ENOTSUP, -ENOMEM.
 */
int nnp_xnn_find_type_off(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
			  uint64_t callee, uint32_t *off);

/* the most a type's offset may be: xnn_operator is a few hundred bytes to 2 KiB */
#define NNP_XNN_MAX_TYPE_OFF 0x1000

#endif
