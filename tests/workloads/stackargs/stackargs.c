// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A tiny network runtime that passes what nnperf must read on the stack:
 * forward_layer() takes its layer struct by value (x86-64 copies it to the
 * stack; arm64 passes a pointer to a copy in x0), run_layer() takes ten
 * integer arguments (x86-64 passes the last four on the stack, arm64 the last
 * two). predict() is one inference.
 *   nnperf-stackargs [ITERATIONS]
 */
#include <stdio.h>
#include <stdlib.h>

struct layer {
	long id;
	const char *name;
	const char *type;
	double work[4]; /* larger than 16 bytes: passed in memory, not in registers */
};

static volatile double sink;

static void spin(long n)
{
	double x = 0;

	for (long i = 0; i < n; i++)
		x += (double)i * 0.5;
	sink = x;
}

__attribute__((noinline, noipa)) void forward_layer(struct layer l, long n)
{
	spin(n * (long)l.work[0]);
}

__attribute__((noinline, noipa)) void run_layer(long a0, long a1, long a2, long a3, long a4,
						long a5, long a6, long a7, long id,
						const char *name)
{
	spin(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + id + (name[0] == 'x'));
}

static const struct layer layers[] = {
	{ 1, "conv1", "Convolution", { 3 } },
	{ 2, "conv2", "Convolution", { 2 } },
	{ 3, "fc", "InnerProduct", { 1 } },
};

__attribute__((noinline, noipa)) void predict(void)
{
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++) {
		forward_layer(layers[i], 2000);
		run_layer(100, 100, 100, 100, 100, 100, 100, 100, 10 + layers[i].id,
			  layers[i].name);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 100;

	/* a runtime reads its layers' names while it loads the model: nnperf's
	 * first read of a name finds the page present (BPF cannot fault it in) */
	for (size_t i = 0; i < sizeof(layers) / sizeof(layers[0]); i++)
		printf("%s%s (%s)", i ? ", " : "layers: ", layers[i].name, layers[i].type);
	printf("\n");
	for (long i = 0; i < n; i++)
		predict();
	printf("stackargs: %ld inferences\n", n);
	return 0;
}
