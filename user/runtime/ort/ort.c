// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ONNX Runtime (libonnxruntime.so, stripped as shipped by onnxruntime-node;
 * the PyPI wheel's onnxruntime_pybind11_state*.so, into which ORT is linked
 * statically): OrtApi::Run (or, in the wheel, InferenceSession::Run) is the
 * inference, ExecuteKernel(ctx, NodeIndex, ...) runs every node of the graph.
 * None has a symbol; they are found by ort/api.c and ort/find.c and cached per
 * build-id. ExecuteKernel returns a Status by value: on x86-64 rdi is the
 * return slot and the NodeIndex is arg2; on arm64 the slot is x8, no argument
 * register, and the NodeIndex is arg1. It is the key, which ORT's own profile
 * (enableProfiling) lists as node_index with the node's name and op. The
 * finders read x86-64 and arm64 code; on other machines only OrtApi::Run,
 * found from the function table, is probed.
 */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "log.h"
#include "probe_spec.h"
#include "planner.h"
#include "ort.h"
#include "runtimes.h"
#include "warn_once.h"

#define FINDER_MACHINES                                                                            \
	"onnxruntime: ORT function finder: x86-64 and arm64 only (%s is neither): "                \
	"inferences only, no per-node times"

/* the machines whose code the finders read */
static bool finder_reads(int machine)
{
	return machine == EM_X86_64 || machine == EM_AARCH64;
}

static int machine_of(struct nnp_elf *e)
{
	int cls, machine, type;

	nnp_elf_abi(e, &cls, &machine, &type);
	return machine;
}

/* ExecuteKernel's offset, or 0 (warned) */
static uint64_t find_kernel(const char *path, struct nnp_elf *e)
{
	int machine = machine_of(e), err;
	uint64_t off = 0;

	if (!finder_reads(machine)) {
		if (nnp_warn_once(path))
			nnp_warn(FINDER_MACHINES, path);
		return 0;
	}
	err = nnp_ort_find_kernel(path, &off);
	/* -ENOTSUP is the finder's word for unwind tables it cannot follow */
	if (err && nnp_warn_once(path))
		nnp_warn("onnxruntime: cannot find ExecuteKernel in %s (%s): inferences only, "
			 "no per-node times",
			 path,
			 err == -ENOTSUP ? "no usable .eh_frame entry for the code that "
					   "references its kernel error text"
					 : strerror(-err));
	return err ? 0 : off;
}

static int no_more(const struct nnp_sym *sym, void *arg)
{
	(void)sym;
	(void)arg;
	return 1;
}

/*
 * The inference's site: OrtApi::Run from the table OrtGetApiBase returns, or
 * in a file that exports no OrtGetApiBase (the Python wheel's
 * onnxruntime_pybind11_state, ORT linked in statically) InferenceSession::Run
 * found by its text; 0 or -errno (warned)
 */
static int find_run(const char *path, struct nnp_elf *e, uint64_t *off)
{
	bool api = nnp_elf_match(e, "OrtGetApiBase", no_more, NULL) > 0;
	int machine = machine_of(e), err;

	if (!api && !finder_reads(machine)) {
		if (nnp_warn_once(path))
			nnp_warn("onnxruntime: %s exports no OrtGetApiBase and the function finder "
				 "reads x86-64 and arm64 code only: not measured",
				 path);
		return -ENOTSUP;
	}
	err = api ? nnp_ort_find_run(path, off) : nnp_ort_find_session_run(path, off);
	if (err && nnp_warn_once(path))
		nnp_warn("onnxruntime: cannot find %s in %s (%s): not measured",
			 api ? "OrtApi::Run" : "InferenceSession::Run", path,
			 api || err != -ENOTSUP ? strerror(-err)
						: "no usable .eh_frame entry for the code that "
						  "references \"model_run\"");
	return err;
}

static int sites_for(const char *path, struct nnp_elf *e, struct nnp_ort_sites *s)
{
	const char *id = nnp_elf_build_id(e);
	int machine = machine_of(e), err;

	/* each warning once a file: export examines a process it could not attach to again */
	if (!nnp_ort_cache_get(id, s)) {
		nnp_info("onnxruntime: sites of build %s from the cache", id);
		if (!finder_reads(machine))
			s->kernel_off = 0; /* the finder's answer holds for code it reads */
		if (!s->kernel_off && !finder_reads(machine) && nnp_warn_once(path))
			nnp_warn(FINDER_MACHINES, path);
		else if (!s->kernel_off && nnp_warn_once(path))
			nnp_warn("onnxruntime: no ExecuteKernel in %s (build %s, cached): "
				 "inferences only, no per-node times",
				 path, id);
		return 0;
	}
	err = find_run(path, e, &s->run_off);
	if (err)
		return err;
	s->kernel_off = find_kernel(path, e);
	err = nnp_ort_cache_put(id, s);
	if (err)
		nnp_info("onnxruntime: cannot cache the sites (%s)", strerror(-err));
	return 0;
}

void nnp_ort_probe(char *text, size_t len, const char *path, bool inference, uint64_t off,
		   bool arm64)
{
	if (inference)
		snprintf(text, len, "inference=%s:0x%llx", path, (unsigned long long)off);
	else
		snprintf(text, len, "layer=%s:0x%llx,key=arg%d", path, (unsigned long long)off,
			 arm64 ? 1 : 2);
}

/* nodes first: attaching takes a while per site (-p on a busy process), and
 * an inference seen before its nodes' probe is in would count without them */
static int ort_attach(struct nnp_planner *p, const char *path, struct nnp_elf *e)
{
	struct nnp_ort_sites s = { 0 };
	char text[PATH_MAX + 64];
	int n = 0, err;

	if (sites_for(path, e, &s))
		return 0; /* warned: the rest of the target is still measured */
	if (s.kernel_off) {
		bool arm64 = machine_of(e) == EM_AARCH64;
		/* names from the graph: the context's first member, its SessionState* */
		struct nnp_fetch ref = {
			.kind = NNP_FETCH_VALUE, .arg = arm64 ? 0 : 1, .nderef = 1, .width = 8
		};

		nnp_ort_probe(text, sizeof(text), path, false, s.kernel_off, arm64);
		err = nnp_runtime_attach_ref(p, "onnxruntime", text, NULL, &ref);
		if (err)
			return err;
		n++;
	}
	nnp_ort_probe(text, sizeof(text), path, true, s.run_off, false);
	err = nnp_runtime_attach_text(p, "onnxruntime", text, NULL, NULL);
	return err ? err : n + 1;
}

/* the C API's library; the Python wheel's module, which links ORT in statically */
static const char *const ort_libs[] = { "libonnxruntime.so*", "onnxruntime_pybind11_state*.so",
					NULL };
static const char *const no_probes[] = { NULL };

const struct nnp_runtime nnp_rt_ort = {
	.name = "onnxruntime",
	.libs = ort_libs,
	.probes = no_probes,
	.attach = ort_attach,
	.name_event = nnp_ort_name_event,
};
