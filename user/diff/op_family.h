/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The op a layer computes, whatever kernel computes it: quantization and
 * fusion rename ops but not what they do. ONNX Runtime's int8 kernels are
 * QLinearConv, QLinearAdd, QGemm, ConvInteger, MatMulInteger; its fused ones
 * FusedConv, FusedMatMul: all of the family of Conv, Add, Gemm, MatMul.
 * TensorFlow Lite keeps the op's name (CONV_2D) for its int8 kernels.
 */
#ifndef NNP_OP_FAMILY_H
#define NNP_OP_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

/* the family of OP: a part of it, at *start, of the returned length */
size_t nnp_op_family(const char *op, const char **start);
/* whether ops A and B are of one family (equal ops are) */
bool nnp_op_same_family(const char *a, const char *b);

#endif
