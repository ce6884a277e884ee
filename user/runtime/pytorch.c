// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * PyTorch (libtorch_cpu): one layer per call of an ATen operator through the
 * dispatcher, at::_ops::<op>::call (exported; functions start with push, so
 * the probes are the cheap kind). Ops returning a Tensor by value take the
 * return slot in arg0: arg1 is &input, arg2 &weight, and *arg2 the weight's
 * TensorImpl, stable for the life of the model — the layer's identity.
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

#define OP(op, key) "layer=%s:at::_ops::" op "::call" key ",name=\"" op "\",op=\"" op "\""
#define W(at) ",key=" at
/* the shape of the tensor whose TensorImpl * is T, N dimensions at most */
#define S(t, n) ",shape=i64x" n "(" t "+80),rank=*(" t "+72)"

static const char *const probes[] = {
	/* weights: one layer per module */
	OP("conv1d", W("*arg2") S("*arg2", "3")),
	OP("conv2d", W("*arg2") S("*arg2", "4")),
	OP("conv3d", W("*arg2")), /* a 5-dimensional weight: more than a shape holds */
	OP("linear", W("*arg2") S("*arg2", "2")),
	/* self is the bias: stable (mat2 is a fresh t() view: in, out) */
	OP("addmm", W("*arg1") S("*arg3", "2")),
	OP("batch_norm", W("*(arg2+8)") S("*(arg2+8)", "1")),
	/* input, normalized_shape (2 registers), weight */
	OP("layer_norm", W("*(arg4+8)") S("*(arg4+8)", "4")),
	OP("embedding", W("*arg1") S("*arg1", "2")),
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
