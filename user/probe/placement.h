/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where to put a function's entry probe. A uprobe on an instruction the
 * kernel emulates (x86-64: push, nop, call, jmp; arm64: b, bl, b.cond, cbz,
 * tbz, br, blr, ret, adr, adrp) costs ~1 us here; one it must single-step out
 * of line (endbr64, mov, lea; on arm64 paciasp, bti c, stp and the rest)
 * ~12 us (shared/KERNEL.md). Moving the probe forward over instructions that
 * change neither an argument register nor the stack pointer nor the flow
 * (nor, on arm64, touch the link register x30, which a uretprobe replaces at
 * the entry hit) keeps arguments and the return address where the probe
 * programs read them. Decoded with capstone, in the mode of the file's
 * e_machine (EM_X86_64 or EM_AARCH64), whatever the host.
 */
#ifndef NNP_PLACEMENT_H
#define NNP_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum nnp_insn_class {
	NNP_INSN_STEPPED,  /* single-stepped out of line: the expensive kind */
	NNP_INSN_EMULATED, /* emulated (x86) or simulated (arm64) by the kernel */
	NNP_INSN_REJECTED, /* the kernel refuses a uprobe on it (EINVAL) */
};

struct nnp_placement {
	uint32_t skip;		 /* bytes from the entry to the chosen instruction */
	bool emulated;		 /* the kernel emulates the chosen instruction */
	enum nnp_insn_class cls; /* of the chosen instruction */
	char mnemonic[32];	 /* of the chosen instruction ("push", "endbr64", "bti c") */
};

/* ELF machines placement decodes (elf.h's EM_X86_64, EM_AARCH64) */
#define NNP_EM_X86_64 62
#define NNP_EM_AARCH64 183

/* from the first bytes of a function of MACHINE; 0, -EINVAL (undecodable: stay
 * at 0) or -ENOTSUP (a machine placement does not know) */
int nnp_place_code(uint16_t machine, const uint8_t *code, size_t len, struct nnp_placement *out);
/* reads the function at FILE_OFF of PATH, decoded as its ELF header's e_machine; 0 or -errno */
int nnp_place_probe(const char *path, uint64_t file_off, struct nnp_placement *out);
/* what a hit on an instruction of class CLS costs, for -v and doctor */
const char *nnp_insn_class_str(enum nnp_insn_class cls);

/* whether the x86-64 kernel emulates the instruction of N bytes at B */
bool nnp_x86_emulated(const uint8_t *b, size_t n);

/* whether the arm64 kernel simulates the instruction word W (placement_arm64.c) */
bool nnp_arm64_simulated(uint32_t w);

/* the arm64 decoder (placement_arm64.c) */
int nnp_place_arm64(const uint8_t *code, size_t len, struct nnp_placement *out);

#endif
