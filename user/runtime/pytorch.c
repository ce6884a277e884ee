// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * PyTorch (libtorch_cpu): one layer per call of an ATen operator through the
 * dispatcher, at::_ops::<op>::call (exported; functions start with push, so
 * the probes are the cheap kind on x86-64). Ops returning a Tensor by value
 * take the address of the return slot as a hidden argument: on x86-64 in rdi
 * (arg0), so arg1 is &input, arg2 &weight, and *arg2 the weight's TensorImpl,
 * stable for the life of the model — the layer's identity; on arm64 in x8, so
 * arg0 is &input and arg1 &weight (checked in Debian's arm64 libtorch 1.13:
 * every op below saves x8 and takes input, weight, ... from x0 on; its
 * functions start with sub sp or stp, stepped out of line).
 * Optional weights (c10::optional<Tensor>: a flag, then the Tensor at +8)
 * are read at +8. Ops without weights are one layer per op type. There is no
 * per-inference function in eager PyTorch: inferences are the periods of the
 * layer sequence (agg.c, infer_by_period).
 * A layer's shape is its weight's (out, in, kh, kw for conv2d): what pruning
 * changes. TensorImpl keeps the number of dimensions at +72 and the sizes
 * inline from +80 (c10::impl::SizesAndStrides, checked on Debian's 1.13 with
 * ctypes on Tensor._cdata); the rank guards the read: a build laid out
 * otherwise gives an implausible rank and no shape, not a wrong one.
 */
#include "runtimes.h"

static const char *const libs[] = { "libtorch_cpu.so*", NULL };

/* the declared arguments of an op returning a Tensor: after the return slot */
#if defined(__aarch64__)
#define A1 "arg0"
#define A2 "arg1"
#define A3 "arg2"
#define A4 "arg3"
#else
#define A1 "arg1"
#define A2 "arg2"
#define A3 "arg3"
#define A4 "arg4"
#endif

#define OP(op, key) "layer=%s:at::_ops::" op "::call" key ",name=\"" op "\",op=\"" op "\""
#define W(at) ",key=" at
/* the shape of the tensor whose TensorImpl * is T, N dimensions at most */
#define S(t, n) ",shape=i64x" n "(" t "+80),rank=*(" t "+72)"

static const char *const probes[] = {
	/* weights: one layer per module */
	OP("conv1d", W("*" A2) S("*" A2, "3")),
	OP("conv2d", W("*" A2) S("*" A2, "4")),
	OP("conv3d", W("*" A2)), /* a 5-dimensional weight: more than a shape holds */
	OP("linear", W("*" A2) S("*" A2, "2")),
	/* self is the bias: stable (mat2 is a fresh t() view: in, out) */
	OP("addmm", W("*" A1) S("*" A3, "2")),
	OP("batch_norm", W("*(" A2 "+8)") S("*(" A2 "+8)", "1")),
	/* input, normalized_shape (2 registers), weight */
	OP("layer_norm", W("*(" A4 "+8)") S("*(" A4 "+8)", "4")),
	OP("embedding", W("*" A1) S("*" A1, "2")),
	/* no weights: one layer per op */
	OP("matmul", ""),
	OP("bmm", ""),
	OP("relu", ""),
	OP("relu_", ""),
	OP("hardtanh", ""),
	OP("hardtanh_", ""),
	OP("gelu", ""),
	OP("silu", ""),
	OP("silu_", ""),
	OP("sigmoid", ""),
	OP("tanh", ""),
	OP("add_Tensor", ""),
	OP("mul_Tensor", ""),
	OP("max_pool2d", ""),
	OP("adaptive_avg_pool2d", ""),
	OP("softmax_int", ""),
	OP("_softmax", ""),
	OP("scaled_dot_product_attention", ""),
	NULL,
};

const struct nnp_runtime nnp_rt_pytorch = {
	.name = "pytorch",
	.libs = libs,
	.probes = probes,
	.infer_by_period = true,
};
