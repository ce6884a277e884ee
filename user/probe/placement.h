/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Where to put a function's entry probe. A uprobe on an instruction the
 * kernel emulates (push, nop, call, jmp) costs ~1 us here; one it must
 * single-step out of line (endbr64, mov, lea) ~12 us (shared/KERNEL.md).
 * Moving the probe forward over instructions that change neither an argument
 * register nor the stack pointer nor the flow keeps arguments (and the return
 * address at [rsp], for uretprobes) where the probe programs read them.
 * Decoded with capstone; x86-64 only (elsewhere the entry stays).
 */
#ifndef NNP_PLACEMENT_H
#define NNP_PLACEMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nnp_placement {
	uint32_t skip;	   /* bytes from the entry to the chosen instruction */
	bool emulated;	   /* the kernel emulates the chosen instruction */
	char mnemonic[32]; /* of the chosen instruction ("push", "endbr64") */
};

/* from the first bytes of a function; 0 or -EINVAL (undecodable: stay at 0) */
int nnp_place_code(const uint8_t *code, size_t len, struct nnp_placement *out);
/* reads the function at FILE_OFF of PATH; 0 or -errno */
int nnp_place_probe(const char *path, uint64_t file_off, struct nnp_placement *out);

#endif
