/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Probes on a call site instead of the callee: the call instruction (x86-64
 * `call rel32`, which the kernel emulates) begins the call with the
 * arguments already in their registers, and the first instruction the kernel
 * emulates on the straight path after the call returns ends it. For callees
 * whose own entry only offers single-stepped instructions (endbr64 followed
 * by a stack-realigning `lea`/`and`, or a `mov`), and whose return a
 * uretprobe cannot take safely, this is one emulated hit at each end instead
 * of a ~12 us single step. The walk to the end stops at anything that changes
 * the flow without being emulated (a conditional jump, an indirect jump, a
 * return): such a call has no end site and keeps the callee's own probes.
 */
#ifndef NNP_CALLSITE_H
#define NNP_CALLSITE_H

#include <stddef.h>
#include <stdint.h>

struct nnp_callsite {
	uint64_t call;	   /* address of the call instruction */
	uint64_t target;   /* the address it calls (a function or a PLT stub) */
	uint64_t end;	   /* the emulated instruction that ends it, 0 if none */
	char end_insn[32]; /* its mnemonic ("jmp", "call"), or what stopped the walk */
};

/* return non-zero to stop the walk (that value is returned) */
typedef int (*nnp_callsite_cb)(const struct nnp_callsite *cs, void *ctx);

/*
 * Every `call rel32` in the LEN bytes of x86-64 code at address VADDR, in
 * order; the end walk stays inside the code. 0, the callback's non-zero
 * value, -EINVAL (nothing decodes) or -ENOMEM.
 */
int nnp_callsites_x86(const uint8_t *code, size_t len, uint64_t vaddr, nnp_callsite_cb cb,
		      void *ctx);

#endif
