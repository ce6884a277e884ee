// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* LiteRT's node-kernel call in Subgraph::InvokeImpl: the one call through a register
 * loaded from the pair's invoke field, with rdi and rsi set and rdx not; its end. */
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

static int find(const uint8_t *code, size_t len, struct nnp_litert_call *c)
{
	memset(c, 0, sizeof(*c));
	return nnp_litert_find_call(code, len, BASE, c);
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

static void test_several(void **state)
{
	static const uint8_t code[] = { LOAD, RDI, RSI, CALL, JE, LOAD, RDI, RSI, CALL, JE };
	struct nnp_litert_call c;

	(void)state;
	assert_int_equal(find(code, sizeof(code), &c), -ENOTUNIQ);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),	       cmocka_unit_test(test_stepped_end),
		cmocka_unit_test(test_not_the_layout), cmocka_unit_test(test_several),
		cmocka_unit_test(test_resumes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
