/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * tinynet: a small CNN in plain C, the workload nnperf's tests measure.
 *
 * Every layer function is exported, never inlined and has the signature
 *
 *     int tinynet_<op>_<variant>(const struct tinynet_layer *l, const void *in, void *out);
 *
 * nnperf's uprobe path (tinynet.spec) reads the layer from the first argument,
 * so the head of struct tinynet_layer is an ABI (x86_64 / any LP64 target):
 *
 *     offset  0: const char *name   "conv1", "relu1", ... (same in every variant)
 *     offset  8: int id             0..n-1 in execution order (+4 bytes padding)
 *     offset 16: const char *op     "conv2d", "relu", "maxpool", "fc", "softmax"
 *
 * i.e. key=arg0, name=str(*arg0), op=str(*(arg0+16)). The static asserts below
 * keep it so. The same region is marked with NNPERF_LAYER_BEGIN/END inside each
 * layer function, so uprobes and USDT time the same work.
 */
#ifndef TINYNET_H
#define TINYNET_H

#include <stddef.h>
#include <stdint.h>

#define TINYNET_MAX_LAYERS 16
#define TINYNET_CLASSES 10
#define TINYNET_INPUT_C 3
#define TINYNET_INPUT_HW 64
/* int8 convolutions accumulate one output plane in an int32 stack buffer */
#define TINYNET_MAX_PLANE (TINYNET_INPUT_HW * TINYNET_INPUT_HW)

enum tinynet_variant {
	TINYNET_DENSE,
	TINYNET_PRUNED,
	TINYNET_SPARSE,
	TINYNET_INT8,
	TINYNET_VARIANTS
};

enum tinynet_op {
	TINYNET_OP_CONV2D,
	TINYNET_OP_RELU,
	TINYNET_OP_MAXPOOL,
	TINYNET_OP_FC,
	TINYNET_OP_SOFTMAX,
	TINYNET_OPS
};

struct tinynet_layer;
typedef int (*tinynet_layer_fn)(const struct tinynet_layer *l, const void *in, void *out);

struct tinynet_shape {
	int c, h, w;
};

/* Compressed sparse rows: conv rows are output channels, columns (ic*k + ky)*k + kx */
struct tinynet_csr {
	uint32_t *row_ptr; /* rows + 1 */
	uint32_t *col;
	float *val;
	uint32_t nnz;
};

struct tinynet_layer {
	const char *name; /* +0: read by nnperf, see above */
	int id;		  /* +8 */
	const char *op;	  /* +16 */
	tinynet_layer_fn fn;
	enum tinynet_op op_kind;
	struct tinynet_shape in, out;
	int k, pad;	      /* conv kernel and padding; pool window (= stride) */
	uint64_t macs;	      /* multiply-accumulates (conv, fc) or elements touched */
	unsigned sleep_us;    /* --sleep-layer: nanosleep inside the layer */
	unsigned touch_pages; /* --touch-layer: fault in fresh pages inside the layer */
	/* fp32 (dense, pruned; fc and conv) */
	float *w, *b;
	/* sparse */
	struct tinynet_csr csr;
	/* int8: symmetric, zero point 0 */
	int8_t *qw;
	int32_t *qb;  /* bias in units of in_scale * w_scale[row] */
	float *qmult; /* per output row: in_scale * w_scale[row] / out_scale */
	float in_scale, out_scale;
};

_Static_assert(offsetof(struct tinynet_layer, name) == 0, "nnperf reads name at +0");
_Static_assert(offsetof(struct tinynet_layer, id) == 8, "nnperf keys on +8");
_Static_assert(sizeof(void *) != 8 || offsetof(struct tinynet_layer, op) == 16,
	       "nnperf reads op at +16");

struct tinynet_model {
	enum tinynet_variant variant;
	int n_layers;
	struct tinynet_layer layers[TINYNET_MAX_LAYERS];
	size_t act_bytes;  /* largest activation of any layer, in bytes */
	float input_scale; /* int8: input quantization */
};

/* Per-thread state: activations are private, the model is shared read-only. */
struct tinynet_ctx {
	void *buf[2];
	int8_t *qinput;
	float output[TINYNET_CLASSES];
	int profile; /* --self-profile: time each layer call */
	uint64_t layer_ns[TINYNET_MAX_LAYERS];
	uint64_t layer_calls[TINYNET_MAX_LAYERS];
	uint64_t layer_min_ns[TINYNET_MAX_LAYERS];
	uint64_t layer_max_ns[TINYNET_MAX_LAYERS];
};

/* model.c */
const char *tinynet_variant_name(enum tinynet_variant v);
int tinynet_variant_parse(const char *s, enum tinynet_variant *v);
int tinynet_layer_index(const char *name); /* -1 if no layer has that name */
int tinynet_model_build(struct tinynet_model *m, enum tinynet_variant v, uint64_t seed);
void tinynet_model_free(struct tinynet_model *m);
/* Helpers for the variant builders */
int tinynet_model_shape(struct tinynet_model *m, enum tinynet_variant v, const int *widths);
void *tinynet_alloc(size_t n, size_t size);
/* keep[0..k) = indices of the k largest scores (ties: lower index), ascending */
int tinynet_top_k(const float *score, int n, int k, int *keep);

/* model_dense.c, model_pruned.c, model_sparse.c, model_int8.c */
int tinynet_build_dense(struct tinynet_model *m, uint64_t seed);
int tinynet_build_pruned(struct tinynet_model *m, const struct tinynet_model *dense);
int tinynet_build_sparse(struct tinynet_model *m, const struct tinynet_model *dense);
int tinynet_build_int8(struct tinynet_model *m, const struct tinynet_model *dense, uint64_t seed);

/* rng.c */
#define TINYNET_INPUT_ELEMS (TINYNET_INPUT_C * TINYNET_INPUT_HW * TINYNET_INPUT_HW)
void tinynet_input_fill(float *x, uint64_t seed, uint64_t index);
uint64_t tinynet_rng_next(uint64_t *state);
float tinynet_rng_uniform(uint64_t *state, float lo, float hi);

/* infer.c */
int tinynet_ctx_init(struct tinynet_ctx *c, const struct tinynet_model *m, int profile);
void tinynet_ctx_free(struct tinynet_ctx *c);
int tinynet_infer(const struct tinynet_model *m, struct tinynet_ctx *c, const float *input,
		  uint64_t seq);
int tinynet_layer_extras(const struct tinynet_layer *l);

/* Layer functions: see the comment at the top. */
int tinynet_conv2d_f32(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_relu_f32(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_maxpool_f32(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_fc_f32(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_softmax_f32(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_conv2d_csr(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_fc_csr(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_conv2d_i8(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_relu_i8(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_maxpool_i8(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_fc_i8(const struct tinynet_layer *l, const void *in, void *out);
int tinynet_softmax_i8(const struct tinynet_layer *l, const void *in, void *out);

/* The computations without markers, for building models (int8 calibration). */
void tinynet_f32_compute(const struct tinynet_layer *l, const float *in, float *out);

#endif
