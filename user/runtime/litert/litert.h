/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * LiteRT / TensorFlow Lite: where a node's kernel is called. Subgraph's loop
 * over the execution plan calls registration->invoke(&context_, node) for
 * each node; in ai-edge-litert's builds OpInvoke is inlined into
 * Subgraph::InvokeImpl, so the call is an indirect call inside it, found by
 * litert/find.c and probed begin (the call) and end (the next instruction).
 */
#ifndef NNP_LITERT_H
#define NNP_LITERT_H

#include <stdint.h>

struct nnp_elf;
struct nnp_sym;

/* a node's kernel call: the call instruction, and where the node ends */
struct nnp_litert_call {
	uint64_t call_vaddr, end_vaddr;
	char target[16];   /* the register called ("rax") */
	char end_insn[32]; /* the end's mnemonic ("je"), or "stepped" */
};

/* how far TfLiteNode's registration (and its invoke at +24) is from the node
 * in Subgraph's nodes_and_registration_ (std::pair<TfLiteNode, TfLiteRegistration>) */
#define NNP_LITERT_REG_OFF 80
#define NNP_LITERT_INVOKE_OFF (NNP_LITERT_REG_OFF + 24)
#define NNP_LITERT_BUILTIN_OFF (NNP_LITERT_REG_OFF + 40)

/*
 * In CODE (LEN bytes of x86-64 code at VADDR, Subgraph::InvokeImpl): the one
 * indirect call through a register that sets rdi and rsi just before (the
 * context and the node) and not rdx, the register loaded from the pair's
 * invoke field. 0; -ENOENT (none), -ENOTUNIQ (several: not this layout), -ENOMEM.
 */
int nnp_litert_find_call(const uint8_t *code, size_t len, uint64_t vaddr,
			 struct nnp_litert_call *out);

#endif
