// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Probe placement: table-driven {code, want skip, want emulated}, x86-64 and arm64. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

		assert_int_equal(nnp_place_code(NNP_EM_X86_64, c->code, c->len, &pl), 0);
		if (pl.skip != c->skip || pl.emulated != c->emulated ||
		    strcmp(pl.mnemonic, c->mnemonic))
			fail_msg("%s: got skip %u %s %d", c->name, pl.skip, pl.mnemonic,
				 pl.emulated);
	}
}

/* arm64: instruction words (little-endian in memory), as arch/arm64/kernel/probes decides */
struct acase {
	const char *name;
	uint32_t words[4];
	size_t n;
	uint32_t skip;
	enum nnp_insn_class cls;
	const char *mnemonic;
};

#define PACIASP 0xd503233f
#define BTI_C 0xd503245f
#define STP_FP_LR 0xa9bf7bfd /* stp x29, x30, [sp, #-16]! */
#define B_FWD 0x14000002

static const struct acase acases[] = {
	/* Debian's -mbranch-protection=standard: the entry signs x30, stays */
	{ "paciasp stp", { PACIASP, STP_FP_LR }, 2, 0, NNP_INSN_STEPPED, "paciasp" },
	/* never past what signs x30, even to a simulated branch */
	{ "paciasp b", { PACIASP, B_FWD }, 2, 0, NNP_INSN_STEPPED, "paciasp" },
	/* bti c touches no register: on to the simulated adrp x16 */
	{ "bti c adrp x16", { BTI_C, 0xf0000010 }, 2, 4, NNP_INSN_EMULATED, "adrp" },
	{ "bti c cbz x0", { BTI_C, 0xb4000040 }, 2, 4, NNP_INSN_EMULATED, "cbz" },
	/* stp saves x30 for the return a uretprobe replaced: stay before it */
	{ "bti c stp", { BTI_C, STP_FP_LR, 0x910003fd }, 3, 0, NNP_INSN_STEPPED, "bti c" },
	{ "stp mov", { STP_FP_LR, 0x910003fd }, 2, 0, NNP_INSN_STEPPED, "stp" },
	/* mov x9, x0 writes no argument register; mov x0, x9 does */
	{ "mov x9 b", { 0xaa0003e9, B_FWD }, 2, 4, NNP_INSN_EMULATED, "b" },
	{ "mov x0 b", { 0xaa0903e0, B_FWD }, 2, 0, NNP_INSN_STEPPED, "mov" },
	/* x8 carries the address of a returned struct */
	{ "mov x8 b", { 0xaa0903e8, B_FWD }, 2, 0, NNP_INSN_STEPPED, "mov" },
	{ "mov x16 tbz", { 0xd2800010, 0x36000040 }, 2, 4, NNP_INSN_EMULATED, "tbz" },
	{ "nop b", { 0xd503201f, B_FWD }, 2, 4, NNP_INSN_EMULATED, "b" },
	/* the stack pointer moves (sub, or a store with writeback) */
	{ "sub sp b", { 0xd10043ff, B_FWD }, 2, 0, NNP_INSN_STEPPED, "sub" },
	{ "str x19 pre-index b", { 0xf81e0ff3, B_FWD }, 2, 0, NNP_INSN_STEPPED, "str" },
	{ "mrs x0 tpidr_el0 b", { 0xd53bd040, B_FWD }, 2, 0, NNP_INSN_STEPPED, "mrs" },
	/* simulated at the entry */
	{ "ret", { 0xd65f03c0 }, 1, 0, NNP_INSN_EMULATED, "ret" },
	{ "bl", { 0x94000000 }, 1, 0, NNP_INSN_EMULATED, "bl" },
	{ "adr x0", { 0x10000000 }, 1, 0, NNP_INSN_EMULATED, "adr" },
	{ "b.eq", { 0x54000040 }, 1, 0, NNP_INSN_EMULATED, "b.eq" },
	/* refused by the kernel: ldr (literal) is moved past, to the stp */
	{ "ldr x16 literal stp", { 0x58000050, STP_FP_LR }, 2, 4, NNP_INSN_STEPPED, "stp" },
	{ "ldxr x0", { 0xc85f7c00 }, 1, 0, NNP_INSN_REJECTED, "ldxr" },
	{ "autiasp ret", { 0xd50323bf, 0xd65f03c0 }, 2, 0, NNP_INSN_REJECTED, "autiasp" },
	{ "svc", { 0xd4000001 }, 1, 0, NNP_INSN_REJECTED, "svc" },
};

static void test_arm64_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(acases) / sizeof(acases[0]); i++) {
		const struct acase *c = &acases[i];
		uint8_t code[16];
		struct nnp_placement pl;

		for (size_t k = 0; k < c->n; k++)
			for (int b = 0; b < 4; b++)
				code[4 * k + b] = (uint8_t)(c->words[k] >> (8 * b));
		assert_int_equal(nnp_place_code(NNP_EM_AARCH64, code, 4 * c->n, &pl), 0);
		if (pl.skip != c->skip || pl.cls != c->cls ||
		    pl.emulated != (c->cls == NNP_INSN_EMULATED) ||
		    strcmp(pl.mnemonic, c->mnemonic))
			fail_msg("%s: got skip %u %s class %d", c->name, pl.skip, pl.mnemonic,
				 pl.cls);
	}
}

/* a minimal ELF64 header with MACHINE, then CODE at offset 64 */
static void write_elf(const char *path, uint16_t machine, const uint8_t *code, size_t len)
{
	uint8_t eh[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	eh[16] = 3; /* ET_DYN */
	eh[18] = (uint8_t)machine;
	eh[19] = (uint8_t)(machine >> 8);
	assert_int_equal(fwrite(eh, 1, sizeof(eh), f), sizeof(eh));
	assert_int_equal(fwrite(code, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* the file's e_machine chooses the decoder, not the host */
static void test_by_file_machine(void **state)
{
	/* bti c; b: 4 bytes in on arm64. As x86 bytes (5f 24 03 d5: pop %rdi; and ...) nothing */
	static const uint8_t code[] = { 0x5f, 0x24, 0x03, 0xd5, 0x02, 0x00, 0x00, 0x14 };
	char path[] = "/tmp/nnp_place_XXXXXX";
	struct nnp_placement pl;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_elf(path, NNP_EM_AARCH64, code, sizeof(code));
	assert_int_equal(nnp_place_probe(path, 64, &pl), 0);
	assert_int_equal(pl.skip, 4);
	assert_string_equal(pl.mnemonic, "b");
	write_elf(path, NNP_EM_X86_64, code, sizeof(code));
	assert_int_equal(nnp_place_probe(path, 64, &pl), 0);
	assert_string_equal(pl.mnemonic, "pop");
	write_elf(path, 40 /* EM_ARM */, code, sizeof(code));
	assert_int_equal(nnp_place_probe(path, 64, &pl), -ENOTSUP);
	assert_int_equal(pl.skip, 0);
	assert_int_equal(nnp_place_code(40, code, sizeof(code), &pl), -ENOTSUP);
	unlink(path);
}

static void test_undecodable(void **state)
{
	static const uint8_t junk[] = { 0x0f, 0xff };
	struct nnp_placement pl;

	(void)state;
	nnp_place_code(NNP_EM_X86_64, junk, sizeof(junk), &pl);
	assert_int_equal(pl.skip, 0);
	/* less than one arm64 word */
	assert_int_equal(nnp_place_code(NNP_EM_AARCH64, junk, sizeof(junk), &pl), -EINVAL);
	assert_int_equal(pl.skip, 0);
	assert_int_equal(nnp_place_probe("/nonexistent", 0, &pl), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_arm64_cases),
		cmocka_unit_test(test_by_file_machine),
		cmocka_unit_test(test_undecodable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
