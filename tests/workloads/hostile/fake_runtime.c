// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libnnperf-fake-runtime.so: one small library holding what nnperf's runtime
 * adapters look for (user/runtime_*.c): PyTorch's at::_ops::<op>::call,
 * OpenCV's Net::forward and Net::Impl::forwardLayer, ggml's
 * ggml_compute_forward_<op> and ggml_backend_score, llama_decode, and ONNX
 * Runtime's OrtGetApiBase (whose table's Run slot is set) with the kernel
 * error text and its one code reference. craft_elf.py corrupts copies of it,
 * each named like one of those runtimes (test_hostile_target.sh); the copy
 * left whole is the baseline. Nothing calls these functions.
 *
 * nnperf loads ONNX Runtime and ggml files in a child to ask them things
 * (user/runtime_ort_api.c, runtime_ggml_pick.c): the constructor reports what
 * that child left it. It writes a line on stdout and stderr, which nnperf's
 * output must not show, and, when NNP_FAKE_RUNTIME_REPORT names a file, its
 * uid and every open descriptor with its target there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int calls;

/* distinct bodies, so that no two functions are folded into one */
#define NAMED(fn, sym, c)                                                                          \
	void fn(void) __asm__(sym);                                                                \
	void fn(void)                                                                              \
	{                                                                                          \
		calls += (c);                                                                      \
	}

NAMED(torch_conv2d, "_ZN2at4_ops6conv2d4callEv", 1)
NAMED(torch_linear, "_ZN2at4_ops6linear4callEv", 2)
NAMED(torch_relu, "_ZN2at4_ops4relu4callEv", 3)
NAMED(cv_forward, "_ZN2cv3dnn14dnn4_v202205243Net7forwardEv", 4)
NAMED(cv_forward_layer, "_ZN2cv3dnn14dnn4_v202205243Net4Impl12forwardLayerEv", 5)
NAMED(ggml_add, "ggml_compute_forward_add", 6)
NAMED(ggml_mul_mat, "ggml_compute_forward_mul_mat", 7)
NAMED(llama, "llama_decode", 8)

int ggml_backend_score(void);
int ggml_backend_score(void)
{
	return 1;
}

/* ORT builds this text when a kernel fails; nnperf finds ExecuteKernel by its one lea */
const char *ort_kernel_error(int fail);
const char *ort_kernel_error(int fail)
{
	return fail ? "Non-zero status code returned while running " : "";
}

struct ort_api_base {
	const void *(*get_api)(uint32_t version);
	const char *(*version)(void);
};

static void ort_run(void)
{
	calls += 9;
}

static void (*api[16])(void);

static const void *get_api(uint32_t version)
{
	(void)version;
	api[9] = ort_run; /* OrtApi::Run */
	return api;
}

static const char *version(void)
{
	return "0.0.0-fake";
}

static const struct ort_api_base base = { get_api, version };

const struct ort_api_base *OrtGetApiBase(void);
const struct ort_api_base *OrtGetApiBase(void)
{
	return &base;
}

__attribute__((constructor)) static void report(void)
{
	const char *path = getenv("NNP_FAKE_RUNTIME_REPORT");
	char link[64], target[256];
	FILE *f;

	dprintf(1, "nnperf-fake-runtime: constructor wrote on stdout\n");
	dprintf(2, "nnperf-fake-runtime: constructor wrote on stderr\n");
	f = path ? fopen(path, "a") : NULL;
	if (!f)
		return;
	fprintf(f, "pid %d uid %d\n", (int)getpid(), (int)getuid());
	for (int fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0 || fd == fileno(f))
			continue;
		target[n] = '\0';
		fprintf(f, "pid %d fd %d %s\n", (int)getpid(), fd, target);
	}
	fclose(f);
}
