/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * LiteRT / TensorFlow Lite: where a node's kernel is called. Subgraph's loop
 * over the execution plan calls registration->invoke(&context_, node) for
 * each node; in ai-edge-litert's builds OpInvoke is inlined into
 * Subgraph::InvokeImpl, so the call is an indirect call inside it (two, on
 * arm64, where the compiler duplicated it), found by litert/find.c and probed
 * begin (the call) and end (the first emulated instruction after it).
 */
#ifndef NNP_LITERT_H
#define NNP_LITERT_H

#include <stddef.h>
#include <stdint.h>

#include "nnperf_abi.h"

/* a node's kernel call: the call instruction, and where the node ends */
struct nnp_litert_call {
	uint64_t call_vaddr, end_vaddr;
	char target[16];   /* the register called ("rax", "x8") */
	char end_insn[32]; /* the end's mnemonic ("je", "cbnz"), or "stepped" */
};

#define NNP_LITERT_MAX_CALLS 4

struct nnp_litert_calls {
	struct nnp_litert_call c[NNP_LITERT_MAX_CALLS];
	size_t n;
};

/* how far TfLiteNode's registration (and its invoke at +24) is from the node
 * in Subgraph's nodes_and_registration_ (std::pair<TfLiteNode, TfLiteRegistration>) */
#define NNP_LITERT_REG_OFF 80
#define NNP_LITERT_INVOKE_OFF (NNP_LITERT_REG_OFF + 24)
/* TfLiteRegistration's builtin_code, from the registration and from the node */
#define NNP_LITERT_REG_BUILTIN 40
#define NNP_LITERT_BUILTIN_OFF (NNP_LITERT_REG_OFF + NNP_LITERT_REG_BUILTIN)
/* TfLiteContext's impl_ (after tensors_size, GetExecutionPlan, tensors): the Subgraph */
#define NNP_LITERT_CTX_IMPL 24

/*
 * In CODE (LEN bytes of MACHINE's code at VADDR, Subgraph::InvokeImpl; EM_X86_64
 * or EM_AARCH64): every indirect call through a register that sets the first
 * two argument registers just before (the context and the node) and not the
 * third, the register loaded from the pair's invoke field. 0; -ENOENT (none),
 * -ENOTUNIQ (more than NNP_LITERT_MAX_CALLS: not this layout), -ENOTSUP
 * (another machine), -ENOMEM.
 */
int nnp_litert_find_calls(uint16_t machine, const uint8_t *code, size_t len, uint64_t vaddr,
			  struct nnp_litert_calls *out);

/*
 * tflite-runtime 2.14 keeps Subgraph::OpInvoke(const TfLiteRegistration&,
 * TfLiteNode*) as a function, ending in a tail call of the kernel with
 * &context_ as its first argument: in CODE (OpInvoke, LEN bytes of MACHINE's
 * code), the offset of context_ in Subgraph, from the `add rdi, IMM` (arm64
 * `add x0, x0, #IMM`) right before the jump or call through a register.
 * 0 (*off set); -ENOENT, -ENOTSUP, -ENOMEM.
 */
int nnp_litert_find_context(uint16_t machine, const uint8_t *code, size_t len, uint32_t *off);

/*
 * Keys a node by its node index (node_keys.c): its name event's key (the
 * TfLiteNode*) becomes the index, read through e->ref (the Subgraph*), and
 * so do the keys of its layer events from then on
 */
void nnp_litert_name_event(struct nnp_name_event *e);
void nnp_litert_layer_event(struct nnp_layer_event *e);

struct nnp_elf;
struct nnp_sym;

/* lib_code.c: the first symbol NAME matches; 0, -ENOENT or -errno */
int nnp_litert_find_fn(struct nnp_elf *e, const char *name, struct nnp_sym *sym);
/* FN's code (malloc'ed, *code; at most 256 KiB); 0 or -errno */
int nnp_litert_read_code(struct nnp_elf *e, const struct nnp_sym *fn, uint8_t **code);
/* the library's e_machine */
uint16_t nnp_litert_machine(struct nnp_elf *e);

/* xnnpack.c: XNNPACK's operators as layers, if the library has XNNPACK; > 0
 * probes attached, 0 none (said why when it has XNNPACK), or -errno */
struct nnp_planner;
int nnp_litert_attach_xnnpack(struct nnp_planner *p, const char *path, struct nnp_elf *e);

#endif
