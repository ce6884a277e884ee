// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * fuzz_ort_find's seed for InferenceSession::Run: the one function whose code
 * references the profiler's "model_run" text, twice (the event's start and
 * its end), as in the Python wheel's onnxruntime_pybind11_state. With
 * -DTWO_FUNCTIONS a second function references it too: no answer. Built by
 * the commands in tests/fuzz/SEEDS.md.
 */
#include <stdio.h>

__attribute__((noinline)) int session_run(FILE *log, int steps)
{
	fputs("model_run", log);
	for (int i = 0; i < steps; i++)
		fputc('.', log);
	fputs("model_run", log);
	return steps;
}

#ifdef TWO_FUNCTIONS
__attribute__((noinline)) int other_run(FILE *log)
{
	return fputs("model_run", log);
}
#endif

int main(int argc, char **argv)
{
	(void)argv;
#ifdef TWO_FUNCTIONS
	other_run(stderr);
#endif
	return session_run(stderr, argc) > 3;
}
