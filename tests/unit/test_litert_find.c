// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* LiteRT's node-kernel call in Subgraph::InvokeImpl: the one call through a register
 * loaded from the pair's invoke field, with rdi and rsi set and rdx not; its end. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "litert.h"

#define BASE 0xabd000

/* ai-edge-litert 1.2.0's: load, rdi, rsi, call; mov, test, je after it */
#define LOAD 0x48, 0x8b, 0x44, 0x32, 0x68 /* mov rax, [rdx+rsi+0x68] */
#define RDI 0x48, 0x8b, 0x7d, 0xc8	  /* mov rdi, [rbp-0x38] */
#define RSI 0x4c, 0x89, 0xee		  /* mov rsi, r13 */
#define CALL 0xff, 0xd0			  /* call rax */
#define AFTER 0x89, 0xc3, 0x85, 0xc0	  /* mov ebx, eax; test eax, eax */
#define JE 0x74, 0x05			  /* je +5 */

static struct nnp_litert_calls all;

/* the first call found, and how many */
static int find_m(uint16_t machine, const uint8_t *code, size_t len, struct nnp_litert_call *c)
{
	int err;

	memset(&all, 0, sizeof(all));
	err = nnp_litert_find_calls(machine, code, len, BASE, &all);
	memset(c, 0, sizeof(*c));
	if (!err) {
		assert_true(all.n >= 1);
		*c = all.c[0];
	} else {
		assert_int_equal(all.n, 0);
	}
	return err;
}

static int find(const uint8_t *code, size_t len, struct nnp_litert_call *c)
{
	return find_m(EM_X86_64, code, len, c);
}

static void test_found(void **state)
{
	static const uint8_t code[] = { 0x90, LOAD, RDI, RSI, CALL, AFTER, JE, 0xc3 };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(code, sizeof(code), &c), 0);
	assert_int_equal(c.call_vaddr, BASE + 13);
	assert_int_equal(c.end_vaddr, BASE + 19); /* the je, past the stepped mov and test */
	assert_string_equal(c.target, "rax");
	assert_string_equal(c.end_insn, "je");
}

/* a return, not an emulated instruction, after the call: the end is the next one */
static void test_stepped_end(void **state)
{
	static const uint8_t code[] = { LOAD, RDI, RSI, CALL, 0x89, 0xc3, 0xc3, JE };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(code, sizeof(code), &c), 0);
	assert_int_equal(c.end_vaddr, BASE + 14);
	assert_string_equal(c.end_insn, "stepped");
}

static void test_not_the_layout(void **state)
{
	/* another displacement: a pair laid out otherwise */
	static const uint8_t disp[] = { 0x48, 0x8b, 0x44, 0x32, 0x60, RDI, RSI, CALL, JE };
	/* three arguments: the opaque kernels' invoke */
	static const uint8_t rdx[] = { LOAD, 0xba, 1, 0, 0, 0, RDI, RSI, CALL, JE };
	/* rsi not set: a virtual call */
	static const uint8_t no_rsi[] = { LOAD, RDI, 0x90, CALL, JE };
	/* call [rax+0x68]: through memory, not a register */
	static const uint8_t mem[] = { RDI, RSI, 0xff, 0x50, 0x68, JE };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(disp, sizeof(disp), &c), -ENOENT);
	assert_int_equal(find(rdx, sizeof(rdx), &c), -ENOENT);
	assert_int_equal(find(no_rsi, sizeof(no_rsi), &c), -ENOENT);
	assert_int_equal(find(mem, sizeof(mem), &c), -ENOENT);
	assert_int_equal(find(mem, 0, &c), -ENOENT);
}

#define SITE LOAD, RDI, RSI, CALL, JE

static void test_several(void **state)
{
	static const uint8_t two[] = { SITE, SITE };
	static const uint8_t five[] = { SITE, SITE, SITE, SITE, SITE };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(two, sizeof(two), &c), 0);
	assert_int_equal(all.n, 2);
	assert_int_equal(all.c[1].call_vaddr, BASE + 16 + 12);
	assert_int_equal(all.c[1].end_vaddr, BASE + 16 + 14);
	assert_int_equal(NNP_LITERT_MAX_CALLS, 4);
	assert_int_equal(find(five, sizeof(five), &c), -ENOTUNIQ);
}

/* little-endian words */
#define W(x) (x) & 0xff, ((x) >> 8) & 0xff, ((x) >> 16) & 0xff, ((x) >> 24) & 0xff
#define A_LDR W(0xf9403508u)  /* ldr x8, [x8, #0x68] */
#define A_CBZ W(0xb4000508u)  /* cbz x8, +0xa0 */
#define A_ADD W(0x9100a280u)  /* add x0, x20, #0x28 */
#define A_MOV W(0xaa1a03e1u)  /* mov x1, x26 */
#define A_BLR W(0xd63f0100u)  /* blr x8 */
#define A_MOVW W(0x2a0003f6u) /* mov w22, w0 */
#define A_CBNZ W(0x35000b60u) /* cbnz w0, +0x16c */
#define A_MOV2 W(0xaa1a03e2u) /* mov x2, x26 */

/* ai-edge-litert 2.3.0's arm64 build: the call twice, each ended by its cbnz */
static void test_arm64(void **state)
{
	static const uint8_t code[] = { A_LDR, A_CBZ, A_ADD, A_MOV, A_BLR, A_MOVW, A_CBNZ,
					A_LDR, A_CBZ, A_ADD, A_MOV, A_BLR, A_MOVW, A_CBNZ };
	static const uint8_t three_args[] = { A_LDR, A_ADD, A_MOV2, A_MOV, A_BLR, A_CBNZ };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find_m(EM_AARCH64, code, sizeof(code), &c), 0);
	assert_int_equal(all.n, 2);
	assert_int_equal(all.c[0].call_vaddr, BASE + 16);
	assert_int_equal(all.c[0].end_vaddr, BASE + 24);
	assert_string_equal(all.c[0].end_insn, "cbnz");
	assert_string_equal(all.c[0].target, "x8");
	assert_int_equal(all.c[1].call_vaddr, BASE + 44);
	assert_int_equal(find_m(EM_AARCH64, three_args, sizeof(three_args), &c), -ENOENT);
	/* x86-64 bytes read as arm64, and another machine */
	assert_int_equal(find_m(EM_AARCH64, (const uint8_t[]){ SITE, 0x90, 0x90 }, 18, &c),
			 -ENOENT);
	assert_int_equal(find_m(EM_RISCV, code, sizeof(code), &c), -ENOTSUP);
}

/* bytes that decode to nothing before the call: the sweep resumes after them */
static void test_resumes(void **state)
{
	static const uint8_t code[] = { 0x0f, 0x0b, 0xd6, 0xd6, LOAD, RDI, RSI, CALL, JE };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(code, sizeof(code), &c), 0);
	assert_int_equal(c.call_vaddr, BASE + 16);
}

/* tflite-runtime 2.14's OpInvoke: the kernel tail-called with this + 0x28 */
static void test_context(void **state)
{
	static const uint8_t x86[] = {
		0xf3, 0x0f, 0x1e, 0xfa, /* endbr64 */
		0x48, 0x8b, 0x4e, 0x40, /* mov rcx, [rsi+0x40] */
		0x48, 0x83, 0xc7, 0x28, /* add rdi, 0x28 */
		0x48, 0x89, 0xd6,	/* mov rsi, rdx */
		0xff, 0xe0,		/* jmp rax */
	};
	static const uint8_t no_add[] = { 0x48, 0x89, 0xd6, 0xff, 0xe0 };
	static const uint8_t arm[] = { W(0x9100a000u), W(0xaa0203e1u), W(0xd61f0100u) };
	uint32_t off = 0;

	(void)state;
	assert_int_equal(nnp_litert_find_context(EM_X86_64, x86, sizeof(x86), &off), 0);
	assert_int_equal(off, 0x28);
	assert_int_equal(nnp_litert_find_context(EM_X86_64, no_add, sizeof(no_add), &off), -ENOENT);
	off = 0;
	assert_int_equal(nnp_litert_find_context(EM_AARCH64, arm, sizeof(arm), &off), 0);
	assert_int_equal(off, 0x28);
	assert_int_equal(nnp_litert_find_context(EM_RISCV, arm, sizeof(arm), &off), -ENOTSUP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),	       cmocka_unit_test(test_stepped_end),
		cmocka_unit_test(test_not_the_layout), cmocka_unit_test(test_several),
		cmocka_unit_test(test_resumes),	       cmocka_unit_test(test_arm64),
		cmocka_unit_test(test_context),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
