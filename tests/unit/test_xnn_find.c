// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* XNNPACK's operator type names: the table xnn_operator_type_to_string reads, and the
 * type's offset in xnn_operator from the code that reads it (real wheels' bytes). */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "xnnpack.h"

#define LE32(v) (v) & 0xff, ((v) >> 8) & 0xff, ((v) >> 16) & 0xff, ((v) >> 24) & 0xff

/* ai-edge-litert 2.3.0 (x86-64), at 0xa4e800 */
static const uint8_t rel32_x86[] = {
	0x55,					  /* push rbp */
	0x48, 0x89, 0xe5,			  /* mov rbp, rsp */
	0x48, 0x63, 0xc7,			  /* movsxd rax, edi */
	0x48, 0x8d, 0x0d, 0x7a, 0x3b, 0x70, 0xff, /* lea rcx, [rip - 0x8fc486] */
	0x48, 0x63, 0x04, 0x81,			  /* movsxd rax, [rcx + rax*4] */
	0x48, 0x01, 0xc8,			  /* add rax, rcx */
	0x5d,					  /* pop rbp */
	0xc3,					  /* ret */
};

/* tflite-runtime 2.14.0 (x86-64), at 0x4509f0 */
static const uint8_t off16_x86[] = {
	0xf3, 0x0f, 0x1e, 0xfa,			  /* endbr64 */
	0x89, 0xff,				  /* mov edi, edi */
	0x48, 0x8d, 0x05, 0xe3, 0x6c, 0x0e, 0x00, /* lea rax, [rip + 0xe6ce3] */
	0x48, 0x8d, 0x15, 0x5c, 0x61, 0x0e, 0x00, /* lea rdx, [rip + 0xe615c] */
	0x0f, 0xb7, 0x04, 0x78,			  /* movzx eax, word [rax + rdi*2] */
	0x48, 0x01, 0xd0,			  /* add rax, rdx */
	0xc3,					  /* ret */
};

/* ai-edge-litert 2.3.0 (aarch64), at 0x88fa1c */
static const uint8_t rel32_arm64[] = {
	LE32(0xf0ffc628u), /* adrp x8, 0x156000 */
	LE32(0x9135b108u), /* add x8, x8, #0xd6c */
	LE32(0xb8a0d909u), /* ldrsw x9, [x8, w0, sxtw #2] */
	LE32(0x8b090100u), /* add x0, x8, x9 */
	LE32(0xd65f03c0u), /* ret */
};

static int table(uint16_t m, const uint8_t *code, size_t len, uint64_t vaddr,
		 struct nnp_xnn_table *t)
{
	memset(t, 0, sizeof(*t));
	return nnp_xnn_find_table(m, code, len, vaddr, t);
}

static void test_table_rel32(void **state)
{
	struct nnp_xnn_table t;

	(void)state;
	assert_int_equal(table(EM_X86_64, rel32_x86, sizeof(rel32_x86), 0xa4e800, &t), 0);
	assert_int_equal(t.kind, NNP_XNN_REL32);
	assert_int_equal(t.table, 0x152388);
	assert_int_equal(table(EM_AARCH64, rel32_arm64, sizeof(rel32_arm64), 0x88fa1c, &t), 0);
	assert_int_equal(t.kind, NNP_XNN_REL32);
	assert_int_equal(t.table, 0x156d6c);
}

static void test_table_off16(void **state)
{
	struct nnp_xnn_table t;

	(void)state;
	assert_int_equal(table(EM_X86_64, off16_x86, sizeof(off16_x86), 0x4509f0, &t), 0);
	assert_int_equal(t.kind, NNP_XNN_OFF16);
	assert_int_equal(t.table, 0x5376e0);
	assert_int_equal(t.data, 0x536b60);
}

static void test_table_none(void **state)
{
	static const uint8_t plain[] = { 0x31, 0xc0, 0xc3 }; /* xor eax, eax; ret */
	/* the lea's register overwritten before the read: mov rcx, rdx */
	static const uint8_t lost[] = { 0x48, 0x8d, 0x0d, 0x7a, 0x3b, 0x70, 0xff, 0x48,
					0x89, 0xd1, 0x48, 0x63, 0x04, 0x81, 0xc3 };
	/* the read after the return is not this function's */
	static const uint8_t late[] = { 0x48, 0x8d, 0x0d, 0x7a, 0x3b, 0x70,
					0xff, 0xc3, 0x48, 0x63, 0x04, 0x81 };
	/* a 16-bit read with no string block beside its table, or two */
	uint8_t one[sizeof(off16_x86)], three[sizeof(off16_x86) + 7];
	struct nnp_xnn_table t;

	(void)state;
	assert_int_equal(table(EM_X86_64, plain, sizeof(plain), 0, &t), -ENOENT);
	assert_int_equal(table(EM_X86_64, lost, sizeof(lost), 0, &t), -ENOENT);
	assert_int_equal(table(EM_X86_64, late, sizeof(late), 0, &t), -ENOENT);
	memcpy(one, off16_x86, sizeof(one));
	memset(one + 13, 0x90, 7); /* the lea rdx: nops */
	assert_int_equal(table(EM_X86_64, one, sizeof(one), 0, &t), -ENOENT);
	memcpy(three, off16_x86, 20);
	memcpy(three + 20, off16_x86 + 13, 7); /* lea rdx, then the same as lea rsi */
	three[22] = 0x35;
	memcpy(three + 27, off16_x86 + 20, 8);
	assert_int_equal(table(EM_X86_64, three, sizeof(three), 0, &t), -ENOENT);
	assert_int_equal(table(EM_ARM, rel32_arm64, sizeof(rel32_arm64), 0, &t), -ENOTSUP);
	/* truncated mid-instruction */
	assert_int_equal(table(EM_X86_64, rel32_x86, 16, 0xa4e800, &t), -ENOENT);
}

static int off(uint16_t m, const uint8_t *code, size_t len, uint64_t vaddr, uint64_t callee,
	       uint32_t *o)
{
	*o = 0;
	return nnp_xnn_find_type_off(m, code, len, vaddr, callee, o);
}

static void test_type_off_own(void **state)
{
	/* 2.3.0's xnn_operator_type_to_string_v2(op), x86-64 and aarch64 */
	static const uint8_t x86[] = { 0x55, 0x48, 0x89, 0xe5, 0x48, 0x89, 0xf8,
				       0x8b, 0xbf, 0xb8, 0x00, 0x00, 0x00, 0xc3 };
	static const uint8_t arm[] = { LE32(0xaa0003e8u), LE32(0xb940b800u), LE32(0xd65f03c0u) };
	/* the argument replaced first: mov rdi, rsi */
	static const uint8_t gone[] = {
		0x48, 0x89, 0xf7, 0x8b, 0xbf, 0xb8, 0x00, 0x00, 0x00, 0xc3
	};
	/* an offset that is no int field of a few-KiB struct */
	static const uint8_t odd[] = { 0x8b, 0xbf, 0xb9, 0x00, 0x00, 0x00, 0xc3 };
	static const uint8_t far[] = { 0x8b, 0xbf, 0x00, 0x20, 0x00, 0x00, 0xc3 };
	uint32_t o;

	(void)state;
	assert_int_equal(off(EM_X86_64, x86, sizeof(x86), 0x882420, 0, &o), 0);
	assert_int_equal(o, 0xb8);
	assert_int_equal(off(EM_AARCH64, arm, sizeof(arm), 0x7cc298, 0, &o), 0);
	assert_int_equal(o, 184);
	assert_int_equal(off(EM_X86_64, gone, sizeof(gone), 0, 0, &o), -ENOENT);
	assert_int_equal(off(EM_X86_64, odd, sizeof(odd), 0, 0, &o), -ENOENT);
	assert_int_equal(off(EM_X86_64, far, sizeof(far), 0, 0, &o), -ENOENT);
}

#define CALLER 0x76e00
#define CALLEE 0x1c9930
/* mov edi, [rax + 0x1ec]: 1.2.0's profiler reading op->type */
#define LOAD_1EC 0x8b, 0xb8, 0xec, 0x01, 0x00, 0x00
#define LOAD_1F0 0x8b, 0xb8, 0xf0, 0x01, 0x00, 0x00
#define MOV_EDI_7 0xbf, 0x07, 0x00, 0x00, 0x00
/* call CALLEE from the call's address AT */
#define CALL_AT(at) 0xe8, LE32((uint32_t)(CALLEE - ((at) + 5)))

static void test_type_off_callers(void **state)
{
	/* two loads, each right before a call of the name function */
	static const uint8_t two[] = { LOAD_1EC, CALL_AT(CALLER + 6),  0x90,
				       LOAD_1EC, CALL_AT(CALLER + 18), 0xc3 };
	static const uint8_t disagree[] = { LOAD_1EC, CALL_AT(CALLER + 6), LOAD_1F0,
					    CALL_AT(CALLER + 17), 0xc3 };
	/* a constant argument is no read of the type: ignored */
	static const uint8_t constant[] = { MOV_EDI_7, CALL_AT(CALLER + 5), LOAD_1EC,
					    CALL_AT(CALLER + 16), 0xc3 };
	/* the load overwritten before the call */
	static const uint8_t clobbered[] = { LOAD_1EC, MOV_EDI_7, CALL_AT(CALLER + 11), 0xc3 };
	static const uint8_t other_callee[] = { LOAD_1EC, 0xe8, LE32(0x100u), 0xc3 };
	/* arm64: ldr w0, [x8, #184]; bl CALLEE */
	static const uint8_t arm[] = { LE32(0xb940b900u),
				       LE32(0x94000000u | ((CALLEE - (CALLER + 4)) / 4)),
				       LE32(0xd65f03c0u) };
	uint32_t o;

	(void)state;
	assert_int_equal(off(EM_X86_64, two, sizeof(two), CALLER, CALLEE, &o), 0);
	assert_int_equal(o, 0x1ec);
	assert_int_equal(off(EM_X86_64, disagree, sizeof(disagree), CALLER, CALLEE, &o), -ENOTUNIQ);
	assert_int_equal(off(EM_X86_64, constant, sizeof(constant), CALLER, CALLEE, &o), 0);
	assert_int_equal(o, 0x1ec);
	assert_int_equal(off(EM_X86_64, clobbered, sizeof(clobbered), CALLER, CALLEE, &o), -ENOENT);
	assert_int_equal(off(EM_X86_64, other_callee, sizeof(other_callee), CALLER, CALLEE, &o),
			 -ENOENT);
	assert_int_equal(off(EM_AARCH64, arm, sizeof(arm), CALLER, CALLEE, &o), 0);
	assert_int_equal(o, 184);
	assert_int_equal(off(EM_ARM, arm, sizeof(arm), CALLER, CALLEE, &o), -ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rel32),	 cmocka_unit_test(test_table_off16),
		cmocka_unit_test(test_table_none),	 cmocka_unit_test(test_type_off_own),
		cmocka_unit_test(test_type_off_callers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
