// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Probe placement: table-driven {code, want skip, want emulated}. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "placement.h"

struct tcase {
	const char *name;
	uint8_t code[16];
	size_t len;
	uint32_t skip;
	bool emulated;
	const char *mnemonic;
};

static const struct tcase cases[] = {
	/* llama.cpp's ggml: endbr64; push %r15 -> 4 bytes in */
	{ "endbr64 push", { 0xf3, 0x0f, 0x1e, 0xfa, 0x41, 0x57 }, 6, 4, true, "push" },
	/* libtorch: push %rbp at the entry */
	{ "push", { 0x55, 0x48, 0x89, 0xe5 }, 4, 0, true, "push" },
	/* mov %edi,%eax writes no argument register: skipped */
	{ "mov eax then push", { 0x89, 0xf8, 0x55 }, 3, 2, true, "push" },
	/* lea 0x1(%rdi,%rdi,2),%edi changes an argument: stay at the entry */
	{ "lea edi then push", { 0x8d, 0x7c, 0x7f, 0x01, 0x55 }, 5, 0, false, "lea" },
	/* endbr64; sub $8,%rsp moves the stack: stay */
	{ "endbr64 sub rsp",
	  { 0xf3, 0x0f, 0x1e, 0xfa, 0x48, 0x83, 0xec, 0x08 },
	  8,
	  0,
	  false,
	  "endbr64" },
	/* endbr64; jmp: a tail call, emulated */
	{ "endbr64 jmp", { 0xf3, 0x0f, 0x1e, 0xfa, 0xe9, 0, 0, 0, 0 }, 9, 4, true, "jmp" },
	/* endbr64; ret: never past a return */
	{ "endbr64 ret", { 0xf3, 0x0f, 0x1e, 0xfa, 0xc3 }, 5, 0, false, "endbr64" },
	/* nop at the entry (USDT-like) */
	{ "nop", { 0x90, 0x55 }, 2, 0, true, "nop" },
	/* capstone calls these push, nop and call too; the kernel single-steps them */
	{ "push imm", { 0x6a, 0x01 }, 2, 0, false, "push" },
	{ "endbr64 push (%rdi)", { 0xf3, 0x0f, 0x1e, 0xfa, 0xff, 0x37 }, 6, 0, false, "endbr64" },
	{ "call *%rax", { 0xff, 0xd0 }, 2, 0, false, "call" },
	/* a cs-prefixed nop cannot be probed at all: skipped over to the push */
	{ "cs nopl push",
	  { 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00, 0x55 },
	  10,
	  9,
	  true,
	  "push" },
	/* the 5-byte nop of x86_nops[] is emulated */
	{ "nopl 5", { 0x0f, 0x1f, 0x44, 0x00, 0x00 }, 5, 0, true, "nop" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *c = &cases[i];
		struct nnp_placement pl;

		assert_int_equal(nnp_place_code(c->code, c->len, &pl), 0);
		if (pl.skip != c->skip || pl.emulated != c->emulated ||
		    strcmp(pl.mnemonic, c->mnemonic))
			fail_msg("%s: got skip %u %s %d", c->name, pl.skip, pl.mnemonic,
				 pl.emulated);
	}
}

static void test_undecodable(void **state)
{
	static const uint8_t junk[] = { 0x0f, 0xff };
	struct nnp_placement pl;

	(void)state;
	nnp_place_code(junk, sizeof(junk), &pl);
	assert_int_equal(pl.skip, 0);
	assert_int_equal(nnp_place_probe("/nonexistent", 0, &pl), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_undecodable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
