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
#define MAX_FN (256 * 1024) /* InvokeImpl is 2-3 KiB; a hostile size reads no more */
#define PAIR "tflite::Subgraph node kernel"

static int first_sym(const struct nnp_sym *sym, void *arg)
{
	*(struct nnp_sym *)arg = *sym;
	return 1;
}

static int find_fn(struct nnp_elf *e, const char *name, struct nnp_sym *sym)
{
	int n = nnp_elf_match(e, name, first_sym, sym);

	return n < 0 ? n : n ? 0 : -ENOENT;
}

/* FN's code (malloc'ed, *code) and its symbol; 0 or -errno */
static int read_fn(struct nnp_elf *e, const char *name, struct nnp_sym *fn, uint8_t **code)
{
	int err = find_fn(e, name, fn);

	if (err)
		return err;
	if (!fn->size || fn->size > MAX_FN)
		return -EFBIG;
	*code = malloc(fn->size);
	if (!*code)
		return -ENOMEM;
	err = nnp_elf_pread(e, *code, fn->size, fn->file_off);
	if (err)
		free(*code);
	return err;
}

static uint16_t machine_of(struct nnp_elf *e)
{
	int cls, machine, type;

	nnp_elf_abi(e, &cls, &machine, &type);
	return (uint16_t)machine;
}

/* the kernel calls in InvokeImpl; 0 or -errno */
static int find_calls(struct nnp_elf *e, struct nnp_litert_calls *c)
{
	struct nnp_sym fn;
	uint8_t *code;
	int err = read_fn(e, INVOKE_IMPL, &fn, &code);

	if (err)
		return err;
	err = nnp_litert_find_calls(machine_of(e), code, fn.size, fn.vaddr, c);
	free(code);
	return err;
}

static int attach_text(struct nnp_planner *p, const char *text, const char *pair)
{
	struct nnp_probe_def d;
	char msg[256];
	int col;

	if (nnp_probe_parse(text, &d, msg, sizeof(msg), &col)) {
		nnp_err("runtime litert: bad probe '%s': %s", text, msg);
		return -EINVAL;
	}
	snprintf(d.origin, sizeof(d.origin), "runtime litert");
	snprintf(d.pair, sizeof(d.pair), "%s", pair);
	return nnp_planner_attach(p, &d, "litert");
}

/* op=: the builtin_code's name from the library's table, D bytes from the site
 * at AT; the builtin_code at REG + BUILTIN (REG: the argument it is relative to) */
static void op_fetch(struct nnp_elf *e, uint64_t at, const char *reg, int builtin, char *out,
		     size_t len)
{
	uint64_t names = 0, size = 0;
	int64_t d;

	*out = '\0';
	if (nnp_elf_object(e, OP_NAMES, &names, &size) || !size) {
		nnp_info("litert: no %s in %s: nodes without op names", OP_NAMES, nnp_elf_path(e));
		return;
	}
	d = (int64_t)(names - at);
	if (d < INT32_MIN || d > INT32_MAX)
		return;
	snprintf(out, len, ",op=str(*(pc%+lld+u32(*(%s+%d))*8))", (long long)d, reg, builtin);
}

/* the node's end first (planner.h: a begin attached before its end could open
 * a frame no end closes), then its begin; both tagged PAIR and the call's number */
static int attach_node_call(struct nnp_planner *p, const char *path, struct nnp_elf *e,
			    const struct nnp_litert_call *c, size_t i)
{
	char text[PATH_MAX + 256], op[96], pair[64];
	uint64_t call, end;
	int err;

	if (nnp_elf_vaddr_to_off(e, c->call_vaddr, &call) ||
	    nnp_elf_vaddr_to_off(e, c->end_vaddr, &end))
		return -ENOEXEC;
	snprintf(pair, sizeof(pair), "%s %zu", PAIR, i + 1);
	snprintf(text, sizeof(text), "layer-end=%s:0x%llx", path, (unsigned long long)end);
	err = attach_text(p, text, pair);
	if (err)
		return err;
	op_fetch(e, c->call_vaddr, "arg1", NNP_LITERT_BUILTIN_OFF, op, sizeof(op));
	snprintf(text, sizeof(text),
		 "layer-begin=%s:0x%llx,key=arg1,"
		 "name=str(*(*(arg0+16)+u32(*(*(arg1+8)+4))*112+56))%s",
		 path, (unsigned long long)call, op);
	err = attach_text(p, text, pair);
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
static int attach_op_invoke(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	char text[PATH_MAX + 256], op[96], name[96] = "";
	struct nnp_sym fn;
	uint32_t ctx;
	uint8_t *code;
	int err = read_fn(e, OP_INVOKE, &fn, &code);

	if (err)
		return err;
	if (!nnp_litert_find_context(machine_of(e), code, fn.size, &ctx))
		snprintf(name, sizeof(name), ",name=str(*(*(arg0+%u)+u32(*(*(arg2+8)+4))*112+56))",
			 ctx + 16);
	else
		nnp_info("litert: no &context_ in %s's OpInvoke: nodes without names", path);
	free(code);
	op_fetch(e, fn.vaddr, "arg1", 40, op, sizeof(op));
	snprintf(text, sizeof(text), "layer=%s:0x%llx,key=arg2%s%s", path,
		 (unsigned long long)fn.file_off, name, op);
	err = attach_text(p, text, "");
	if (!err)
		nnp_info("litert: node kernels: tflite::Subgraph::OpInvoke at 0x%llx",
			 (unsigned long long)fn.vaddr);
	return err ? err : 1;
}

/* per-node sites where this build allows; > 0 attached, 0 none (said why) or -errno */
static int nodes(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	struct nnp_litert_calls c;
	struct nnp_sym fn;
	int err;

	if (!find_fn(e, OP_INVOKE, &fn))
		return attach_op_invoke(p, path, e);
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
		err = attach_node_call(p, path, e, &c.c[i], i);
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

	if (find_fn(e, INVOKE, &inv)) {
		if (nnp_warn_once(path))
			nnp_warn("litert: no tflite::Subgraph::Invoke in %s (no symbol table?): "
				 "not measured",
				 path);
		return 0;
	}
	n = nodes(p, path, e);
	if (n < 0)
		return n;
	snprintf(text, sizeof(text), "inference=%s:" INVOKE, path);
	err = attach_text(p, text, "");
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
};
