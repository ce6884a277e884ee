// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * LiteRT and TensorFlow Lite (ai-edge-litert's libpywrap_litert_common.so and,
 * in 1.x, _pywrap_tensorflow_interpreter_wrapper.so; tflite-runtime's module
 * of that name): the wheels keep .symtab. tflite::Subgraph::Invoke is the
 * inference (what the Python wrapper calls; Interpreter::Invoke is not on its
 * path). Each node of the execution plan is the kernel call inside
 * Subgraph::InvokeImpl (litert.h, find.c): at the call rdi is &context_ and
 * rsi the TfLiteNode, followed in memory by its TfLiteRegistration. The key is
 * the node; the name its first output tensor's, context->tensors[
 * node->outputs->data[0]].name (tensors at +16, 112-byte TfLiteTensor, name
 * at +56); the op the registration's builtin_code looked up in the library's
 * own EnumNamesBuiltinOperator() table, pc-relative ("CONV_2D"; "DELEGATE"
 * for a node an XNNPACK delegate runs).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_sym.h"
#include "litert.h"
#include "log.h"
#include "planner.h"
#include "probe_spec.h"
#include "runtimes.h"
#include "warn_once.h"

#define INVOKE "_ZN6tflite8Subgraph6InvokeEv"
#define INVOKE_IMPL "_ZN6tflite8Subgraph10InvokeImplEv"
#define OP_INVOKE "_ZN6tflite8Subgraph8OpInvokeERK18TfLiteRegistrationP10TfLiteNode"
#define OP_NAMES "_ZZN6tflite24EnumNamesBuiltinOperatorEvE5names"
#define PAIR "tflite::Subgraph node kernel"

/* the kernel calls in InvokeImpl; 0 or -errno */
static int find_calls(struct nnp_elf *e, struct nnp_litert_calls *c)
{
	struct nnp_sym fn;
	uint8_t *code;
	int err = nnp_litert_find_fn(e, INVOKE_IMPL, &fn);

	if (!err)
		err = nnp_litert_read_code(e, &fn, &code);
	if (err)
		return err;
	err = nnp_litert_find_calls(nnp_litert_machine(e), code, fn.size, fn.vaddr, c);
	free(code);
	return err;
}

/* the address of the library's op-name table, 0 (said) when it has none */
static uint64_t op_names(struct nnp_elf *e)
{
	uint64_t names = 0, size = 0;

	if (nnp_elf_object(e, OP_NAMES, &names, &size) || !size) {
		nnp_info("litert: no %s in %s: nodes without op names", OP_NAMES, nnp_elf_path(e));
		return 0;
	}
	return names;
}

/* op=: the name of the builtin_code at arg1 + BUILTIN from the table at NAMES,
 * pc-relative to the site at AT; "" without a table or out of reach */
static void op_fetch(uint64_t names, uint64_t at, int builtin, char *out, size_t len)
{
	int64_t d = (int64_t)(names - at);

	*out = '\0';
	if (names && d >= INT32_MIN && d <= INT32_MAX)
		snprintf(out, len, ",op=str(*(pc%+lld+u32(*(arg1+%d))*8))", (long long)d, builtin);
}

/* name=: the node's first output tensor's name, the context's tensors at CONTEXT + 16
 * (CONTEXT: an ADDR of &context_), the node at NODE */
static void name_fetch(const char *context, const char *node, char *out, size_t len)
{
	snprintf(out, len, ",name=str(*(*(%s+16)+u32(*(*(%s+8)+4))*112+56))", context, node);
}

/* ref: the Subgraph*, the context's impl_ (CONTEXT_OFF from argument ARG), for
 * node_keys.c to key the node by its index */
static struct nnp_fetch subgraph_ref(int arg, uint32_t context_off)
{
	return (struct nnp_fetch){ .kind = NNP_FETCH_VALUE,
				   .arg = (uint8_t)arg,
				   .nderef = 1,
				   .width = 8,
				   .deref_off = { (int32_t)(context_off + NNP_LITERT_CTX_IMPL) } };
}

/* the node's end first (planner.h: a begin attached before its end could open
 * a frame no end closes), then its begin; both tagged PAIR and the call's number */
static int attach_node_call(struct nnp_planner *p, const char *path, struct nnp_elf *e,
			    uint64_t names, const struct nnp_litert_call *c, size_t i)
{
	char text[PATH_MAX + 256], op[96], name[96], pair[64];
	struct nnp_fetch ref;
	uint64_t call, end;
	int err;

	if (nnp_elf_vaddr_to_off(e, c->call_vaddr, &call) ||
	    nnp_elf_vaddr_to_off(e, c->end_vaddr, &end))
		return -ENOEXEC;
	snprintf(pair, sizeof(pair), "%s %zu", PAIR, i + 1);
	snprintf(text, sizeof(text), "layer-end=%s:0x%llx", path, (unsigned long long)end);
	err = nnp_runtime_attach_text(p, "litert", text, pair, NULL);
	if (err)
		return err;
	op_fetch(names, c->call_vaddr, NNP_LITERT_BUILTIN_OFF, op, sizeof(op));
	name_fetch("arg0", "arg1", name, sizeof(name));
	snprintf(text, sizeof(text), "layer-begin=%s:0x%llx,key=arg1%s%s", path,
		 (unsigned long long)call, name, op);
	ref = subgraph_ref(0, 0);
	err = nnp_runtime_attach_ref(p, "litert", text, pair, &ref);
	if (!err)
		nnp_info("litert: node kernels: call %s at 0x%llx in %s, ended at 0x%llx (%s)",
			 c->target, (unsigned long long)c->call_vaddr, INVOKE_IMPL,
			 (unsigned long long)c->end_vaddr, c->end_insn);
	return err;
}

static const char *why(int err)
{
	if (err == -ENOTUNIQ)
		return "too many calls look like it: a layout nnperf does not know";
	if (err == -ENOTSUP)
		return "code of a machine the finder does not read (x86-64 and arm64 only)";
	if (err == -ENOENT)
		return "no call of the known layout";
	return strerror(-err);
}

/*
 * tflite-runtime's OpInvoke(this, registration, node), a function of its own
 * (a tail call of the kernel: its return probe sees the kernel return): one
 * layer probe at its entry, kept there (it reads pc). The name needs &context_,
 * this + the offset OpInvoke adds; without it the nodes are keyed and typed.
 */
static int attach_op_invoke(struct nnp_planner *p, const char *path, struct nnp_elf *e,
			    const struct nnp_sym *fn, uint64_t names)
{
	char text[PATH_MAX + 256], op[96], name[96] = "", context[32];
	struct nnp_fetch ref = { 0 };
	uint32_t ctx;
	uint8_t *code;
	int err = nnp_litert_read_code(e, fn, &code);

	if (err)
		return err;
	if (!nnp_litert_find_context(nnp_litert_machine(e), code, fn->size, &ctx)) {
		snprintf(context, sizeof(context), "arg0+%u", ctx);
		name_fetch(context, "arg2", name, sizeof(name));
		ref = subgraph_ref(0, ctx);
	} else {
		nnp_info("litert: no &context_ in %s's OpInvoke: nodes without names", path);
	}
	free(code);
	op_fetch(names, fn->vaddr, NNP_LITERT_REG_BUILTIN, op, sizeof(op));
	snprintf(text, sizeof(text), "layer=%s:0x%llx,key=arg2%s%s", path,
		 (unsigned long long)fn->file_off, name, op);
	err = nnp_runtime_attach_ref(p, "litert", text, NULL, ref.kind ? &ref : NULL);
	if (!err)
		nnp_info("litert: node kernels: tflite::Subgraph::OpInvoke at 0x%llx",
			 (unsigned long long)fn->vaddr);
	return err ? err : 1;
}

/* per-node sites where this build allows; > 0 attached, 0 none (said why) or -errno */
static int nodes(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	uint64_t names = op_names(e);
	struct nnp_litert_calls c;
	struct nnp_sym fn;
	int err;

	if (!nnp_litert_find_fn(e, OP_INVOKE, &fn))
		return attach_op_invoke(p, path, e, &fn, names);
	err = find_calls(e, &c);
	if (err) {
		if (nnp_warn_once(path))
			nnp_warn(
			    "litert: no node-kernel call in tflite::Subgraph::InvokeImpl of %s "
			    "(%s): inferences only, no per-node times",
			    path, why(err));
		return 0;
	}
	for (size_t i = 0; i < c.n; i++) {
		err = attach_node_call(p, path, e, names, &c.c[i], i);
		if (err)
			return err;
	}
	return (int)c.n;
}

/* nodes first: an inference seen before its nodes' probes are in would count without them */
static int litert_attach(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	char text[PATH_MAX + 64];
	struct nnp_sym inv;
	int n, err;

	if (nnp_litert_find_fn(e, INVOKE, &inv)) {
		if (nnp_warn_once(path))
			nnp_warn("litert: no tflite::Subgraph::Invoke in %s (no symbol table?): "
				 "not measured",
				 path);
		return 0;
	}
	n = nodes(p, path, e);
	if (n < 0)
		return n;
	err = nnp_litert_attach_xnnpack(p, path, e);
	if (err < 0)
		return err;
	n += err;
	snprintf(text, sizeof(text), "inference=%s:" INVOKE, path);
	err = nnp_runtime_attach_text(p, "litert", text, NULL, NULL);
	return err ? err : n + 1;
}

/* ai-edge-litert 2.x; ai-edge-litert 1.x and tflite-runtime */
static const char *const litert_libs[] = { "libpywrap_litert_common.so",
					   "_pywrap_tensorflow_interpreter_wrapper*.so", NULL };
static const char *const no_probes[] = { NULL };

const struct nnp_runtime nnp_rt_litert = {
	.name = "litert",
	.libs = litert_libs,
	.probes = no_probes,
	.attach = litert_attach,
	.name_event = nnp_litert_name_event,
	.layer_event = nnp_litert_layer_event,
};
