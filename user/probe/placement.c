// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capstone_dl.h"
#include "placement.h"

#define MAX_SCAN 8 /* instructions looked at */

/* x86_nops[] of arch/x86/include/asm/nops.h: the nops every kernel emulates */
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

/*
 * By the bytes, not capstone's id: X86_INS_PUSH is also push $imm and push
 * (%rdi), X86_INS_CALL call *%rax, X86_INS_NOP "cs nopw", which the kernel
 * single-steps (or, with a cs/ds/es/ss prefix, refuses to probe at all).
 * arch/x86/kernel/uprobes.c emulates a push of a register (50+r, 41 50+r),
 * call rel32, jmp rel8/rel32 and nops; these are their plain encodings.
 */
bool nnp_x86_emulated(const uint8_t *b, size_t n)
{
	if (n == 1 && b[0] >= 0x50 && b[0] <= 0x57)
		return true;
	if (n == 2 && b[0] == 0x41 && b[1] >= 0x50 && b[1] <= 0x57)
		return true;
	if ((n == 2 && b[0] == 0xeb) || (n == 5 && (b[0] == 0xe8 || b[0] == 0xe9)))
		return true;
	return n >= 1 && n <= sizeof(nops) / sizeof(nops[0]) && !memcmp(b, nops[n - 1], n);
}

static bool emulated(const cs_insn *insn)
{
	return nnp_x86_emulated(insn->bytes, insn->size);
}

/* registers that carry arguments (any width), the stack pointer, the flow */
static bool guarded(x86_reg r)
{
	static const x86_reg regs[] = {
		X86_REG_RDI, X86_REG_EDI, X86_REG_DI,  X86_REG_DIL, X86_REG_RSI, X86_REG_ESI,
		X86_REG_SI,  X86_REG_SIL, X86_REG_RDX, X86_REG_EDX, X86_REG_DX,	 X86_REG_DL,
		X86_REG_RCX, X86_REG_ECX, X86_REG_CX,  X86_REG_CL,  X86_REG_R8,	 X86_REG_R8D,
		X86_REG_R8W, X86_REG_R8B, X86_REG_R9,  X86_REG_R9D, X86_REG_R9W, X86_REG_R9B,
		X86_REG_RSP, X86_REG_ESP, X86_REG_SP,  X86_REG_RIP,
	};

	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (r == regs[i])
			return true;
	return false;
}

/* false when moving the probe past INSN could change what the probe reads */
static bool harmless(const struct nnp_capstone *cs, csh h, const cs_insn *insn)
{
	cs_regs rd, wr;
	uint8_t nrd, nwr;

	if (cs->insn_group(h, insn, CS_GRP_JUMP) || cs->insn_group(h, insn, CS_GRP_CALL) ||
	    cs->insn_group(h, insn, CS_GRP_RET) || cs->insn_group(h, insn, CS_GRP_INT))
		return false;
	if (cs->regs_access(h, insn, rd, &nrd, wr, &nwr) != CS_ERR_OK)
		return false;
	for (int i = 0; i < nwr; i++)
		if (guarded(wr[i]))
			return false;
	return true;
}

static void choose(const cs_insn *insn, uint32_t skip, struct nnp_placement *out)
{
	out->skip = skip;
	out->emulated = emulated(insn);
	out->cls = out->emulated ? NNP_INSN_EMULATED : NNP_INSN_STEPPED;
	snprintf(out->mnemonic, sizeof(out->mnemonic), "%s", insn->mnemonic);
}

static void scan(const struct nnp_capstone *cs, csh h, const cs_insn *insn, size_t n,
		 struct nnp_placement *out)
{
	uint32_t skip = 0;

	choose(&insn[0], 0, out);
	for (size_t i = 0; i < n && i < MAX_SCAN; i++) {
		if (emulated(&insn[i])) {
			choose(&insn[i], skip, out);
			return;
		}
		if (!harmless(cs, h, &insn[i]))
			return;
		skip += insn[i].size;
	}
}

static int place_x86(const uint8_t *code, size_t len, struct nnp_placement *out)
{
	const struct nnp_capstone *cs = nnp_capstone();
	cs_insn *insn = NULL;
	size_t n;
	csh h;

	if (!cs || cs->open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK)
		return -EINVAL;
	cs->option(h, CS_OPT_DETAIL, CS_OPT_ON);
	n = cs->disasm(h, code, len, 0, MAX_SCAN, &insn);
	if (n)
		scan(cs, h, insn, n, out);
	cs->free(insn, n);
	cs->close(&h);
	return n ? 0 : -EINVAL;
}

int nnp_place_code(uint16_t machine, const uint8_t *code, size_t len, struct nnp_placement *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	if (machine == NNP_EM_X86_64)
		err = place_x86(code, len, out);
	else if (machine == NNP_EM_AARCH64)
		err = nnp_place_arm64(code, len, out);
	else
		err = -ENOTSUP;
	if (err)
		memset(out, 0, sizeof(*out));
	return err;
}

const char *nnp_insn_class_str(enum nnp_insn_class cls)
{
	switch (cls) {
	case NNP_INSN_EMULATED:
		return "emulated by the kernel, ~1 us a hit";
	case NNP_INSN_REJECTED:
		return "refused by the kernel's uprobe decoder: the probe cannot attach";
	default:
		return "single-stepped out of line, ~12 us a hit";
	}
}

/* e_machine of a little-endian ELF64 header; -ENOEXEC for anything else */
static int elf_machine(int fd, uint16_t *machine)
{
	uint8_t eh[20];

	if (pread(fd, eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) || memcmp(eh, "\177ELF", 4) ||
	    eh[4] != 2 || eh[5] != 1)
		return -ENOEXEC;
	*machine = (uint16_t)(eh[18] | eh[19] << 8);
	return 0;
}

int nnp_place_probe(const char *path, uint64_t file_off, struct nnp_placement *out)
{
	uint8_t code[64];
	uint16_t machine = 0;
	ssize_t n;
	int fd, err;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	err = elf_machine(fd, &machine);
	n = err ? 0 : pread(fd, code, sizeof(code), (off_t)file_off);
	if (n < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	if (n == 0)
		return -EINVAL;
	return nnp_place_code(machine, code, (size_t)n, out);
}
