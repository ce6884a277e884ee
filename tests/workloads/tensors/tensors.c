// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tiny interpreter with TensorFlow Lite's data layout: the prefixes of
 * TfLiteIntArray, TfLiteTensor, TfLiteContext and TfLiteNode as
 * tensorflow/lite/core/c/common.h declares them (LP64: x86-64 and arm64 alike).
 * A kernel's Eval(context, node) knows its output tensor only as an index into
 * context->tensors, so a probe names the layer with an index term:
 *   str(*(*(arg0+16) + u32(*(*(arg1+8)+4)) * 112 + 56))
 * The interpreter runs each node through run_node(), which returns the node's
 * output tensor, so a probe also reads the name from the return value:
 *   key=ret, name=str(*(ret+56))
 * and add_eval returns kTfLiteError (1) on every 4th call, for when=u32(ret)!=0.
 *   nnperf-tensors [ITERATIONS]      prints the layout and each node's output
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
	int size;
	int data[];
} TfLiteIntArray;

typedef struct {
	int type;
	void *data;
	TfLiteIntArray *dims;
	struct {
		float scale;
		int32_t zero_point;
	} params;
	int allocation_type;
	size_t bytes;
	const void *allocation;
	const char *name;
	void *delegate;
	int buffer_handle;
	_Bool data_is_stale;
	_Bool is_variable;
	struct {
		int type;
		void *params;
	} quantization;
	void *sparsity;
	const TfLiteIntArray *dims_signature;
} TfLiteTensor;

typedef struct {
	size_t tensors_size;
	int (*GetExecutionPlan)(void *context, TfLiteIntArray **plan);
	TfLiteTensor *tensors;
} TfLiteContext;

typedef struct {
	TfLiteIntArray *inputs;
	TfLiteIntArray *outputs;
	TfLiteIntArray *intermediates;
	TfLiteIntArray *temporaries;
	void *user_data;
	const void *builtin_data;
} TfLiteNode;

#define NTENSORS 8
#define NNODES 5

static volatile double sink;

static void spin(long n)
{
	double x = 0;

	for (long i = 0; i < n; i++)
		x += (double)i * 0.5;
	sink = x;
}

/* tflite::ops::builtin::<op>::Eval(TfLiteContext *, TfLiteNode *) */
__attribute__((noinline, noipa)) int conv_eval(TfLiteContext *context, TfLiteNode *node)
{
	spin(3000 + (long)context->tensors_size * node->outputs->size);
	return 0;
}

static long add_calls, add_errors;

/* kTfLiteOk (0), and kTfLiteError (1) on every 4th call: the interpreter goes on */
__attribute__((noinline, noipa)) int add_eval(TfLiteContext *context, TfLiteNode *node)
{
	spin(1000 + (long)context->tensors_size * node->outputs->size);
	if (++add_calls % 4)
		return 0;
	add_errors++;
	return 1;
}

__attribute__((noinline, noipa)) int fc_eval(TfLiteContext *context, TfLiteNode *node)
{
	spin(2000 + (long)context->tensors_size * node->outputs->size);
	return 0;
}

typedef int (*eval_fn)(TfLiteContext *, TfLiteNode *);

static const char *const tensor_names[NTENSORS] = {
	"input", "fc/out", "conv1/out", "add/out", "conv3/out", "conv2/out", "unused", "output",
};
/* each node's output tensor: not in node order, so only the index names it */
static const int outputs_of[NNODES] = { 2, 5, 3, 4, 1 };
static const eval_fn evals[NNODES] = { conv_eval, conv_eval, add_eval, conv_eval, fc_eval };

/* one node: its kernel's Eval, and the tensor it wrote */
__attribute__((noinline, noipa)) TfLiteTensor *run_node(TfLiteContext *context, TfLiteNode *node,
							int i)
{
	evals[i](context, node);
	return &context->tensors[node->outputs->data[0]];
}

/* Subgraph::Invoke(): one inference */
__attribute__((noinline, noipa)) void invoke(TfLiteContext *context, TfLiteNode *nodes)
{
	for (int i = 0; i < NNODES; i++)
		run_node(context, &nodes[i], i);
}

int main(int argc, char **argv)
{
	static TfLiteTensor tensors[NTENSORS];
	static TfLiteNode nodes[NNODES];
	TfLiteContext context = { .tensors_size = NTENSORS, .tensors = tensors };
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;

	printf("layout: tensors=%zu outputs=%zu data=%zu tensor_size=%zu name=%zu\n",
	       offsetof(TfLiteContext, tensors), offsetof(TfLiteNode, outputs),
	       offsetof(TfLiteIntArray, data), sizeof(TfLiteTensor), offsetof(TfLiteTensor, name));
	for (int i = 0; i < NTENSORS; i++)
		tensors[i].name = tensor_names[i];
	for (int i = 0; i < NNODES; i++) {
		TfLiteIntArray *out = malloc(sizeof(*out) + 2 * sizeof(int));

		if (!out)
			return 1;
		out->size = 1;
		out->data[0] = outputs_of[i];
		out->data[1] = -1;
		nodes[i].outputs = out;
		/* the interpreter reads its tensors' names while it prepares the graph:
		 * nnperf's first read finds the pages present (BPF cannot fault them in) */
		printf("node %d: tensor %d %s at %p\n", i, out->data[0], tensors[out->data[0]].name,
		       (void *)&tensors[out->data[0]]);
	}
	for (long i = 0; i < n; i++)
		invoke(&context, nodes);
	printf("tensors: %ld inferences, add_eval: %ld errors in %ld calls\n", n, add_errors,
	       add_calls);
	return 0;
}
