// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_ort_find's seed: a stand-in for onnxruntime::ExecuteKernel, the one
 * function whose code references ORT's kernel error text (a rip-relative lea),
 * with its FDE in .eh_frame and .eh_frame_hdr's table. Built by the commands in
 * tests/fuzz/SEEDS.md; the real library is 45 MB.
 */
#include <stdio.h>

__attribute__((noinline)) int execute_kernel(FILE *log, const char *op, int status)
{
	if (!status)
		return 0;
	fputs("Non-zero status code returned while running ", log);
	fputs(op, log);
	fputs(" node.\n", log);
	return -1;
}

int main(int argc, char **argv)
{
	return execute_kernel(stderr, argc > 1 ? argv[1] : "Conv", argc > 2) ? 1 : 0;
}
