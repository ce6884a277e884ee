// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf-bench-calls: the target of the overhead benchmark (tests/bench/run.sh).
 *
 *   nnperf-bench-calls calls FUNC N ROUNDS OUT
 *	time ROUNDS rounds of N calls of FUNC (cet: starts with endbr64, then
 *	push %rbp, on arm64 paciasp then stp x29, x30; plain: starts with the
 *	push or the stp; nop5, nop1: bench_nop5/bench_nop1 start with a 5-byte
 *	and a 1-byte nop on x86-64, a nop on arm64, the floor sites; usdt: one
 *	nnperf layer_begin and layer_end marker around the call) after one
 *	warm-up round and write "FUNC ns_per_call MEDIAN rounds R1 R2 ..." to OUT
 *   nnperf-bench-calls layers LAYERS PASSES HOLD_MS [PAUSE_MS]
 *	PASSES inferences of LAYERS distinct layers (keys 1..LAYERS, names
 *	"layer_00001", ...) through nnperf's USDT markers, PAUSE_MS apart, then
 *	sleep HOLD_MS (so that a reader can sample the tracer's memory before the
 *	target exits)
 *
 * The tracer launches this program (nnperf record -- CMD, bpftrace -c CMD), so
 * every probe is in place before the first call: no sleeping and hoping.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nnperf/usdt.h>

static volatile uint64_t sink_v;

__attribute__((noinline)) static void touch(uint64_t v)
{
	sink_v = v;
}

/* Like a runtime's layer function, these call something, so they build a frame
 * (push %rbp, as -fno-omit-frame-pointer asks); noinline keeps a real call. */
__attribute__((noinline)) uint64_t bench_cet(uint64_t key)
{
	touch(key);
	return key * 3 + 1;
}

/* no endbr64 (x86-64) or paciasp/bti (arm64): the function starts with its frame */
#if defined(__aarch64__)
#define NO_ENTRY_MARK target("branch-protection=none")
#else
#define NO_ENTRY_MARK nocf_check
#endif
__attribute__((noinline, NO_ENTRY_MARK)) uint64_t bench_plain(uint64_t key)
{
	touch(key);
	return key * 3 + 1;
}

/*
 * The probe floor's sites, written in assembly so that the compiler puts nothing
 * before the nop: the 5-byte nop kernels from 6.18 optimize (0f 1f 44 00 00)
 * and the 1-byte nop of sys/sdt.h's markers. arm64 has one nop (simulated).
 */
uint64_t bench_nop5(uint64_t key);
uint64_t bench_nop1(uint64_t key);
#if defined(__x86_64__)
__asm__(".text\n"
	".globl bench_nop5\n.type bench_nop5, @function\nbench_nop5:\n"
	".byte 0x0f, 0x1f, 0x44, 0x00, 0x00\nlea 1(%rdi), %rax\nret\n"
	".size bench_nop5, .-bench_nop5\n"
	".globl bench_nop1\n.type bench_nop1, @function\nbench_nop1:\n"
	"nop\nlea 1(%rdi), %rax\nret\n.size bench_nop1, .-bench_nop1\n");
#elif defined(__aarch64__)
__asm__(".text\n"
	".globl bench_nop5\n.type bench_nop5, %function\nbench_nop5:\n"
	"nop\nadd x0, x0, #1\nret\n.size bench_nop5, .-bench_nop5\n"
	".globl bench_nop1\n.type bench_nop1, %function\nbench_nop1:\n"
	"nop\nadd x0, x0, #1\nret\n.size bench_nop1, .-bench_nop1\n");
#endif

/* a layer as a runtime with nnperf's USDT header marks it */
__attribute__((noinline)) uint64_t bench_usdt(uint64_t key)
{
	NNPERF_LAYER_BEGIN(key & 15, "bench_layer", "bench"); /* 16 layers */
	touch(key);
	NNPERF_LAYER_END(key & 15);
	return key * 3 + 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long arg_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "nnperf-bench-calls: '%s' is not in [%ld, %ld]\n", s, min, max);
		exit(2);
	}
	return v;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return a < b ? -1 : a > b;
}

static double round_ns(uint64_t (*fn)(uint64_t), long n, uint64_t *sink)
{
	uint64_t t0 = now_ns(), acc = 0;

	for (long i = 0; i < n; i++)
		acc += fn((uint64_t)i);
	*sink += acc;
	return (double)(now_ns() - t0) / (double)n;
}

static int run_calls(const char *func, long n, long rounds, const char *out)
{
	/* nocf_check is part of bench_plain's type (x86): a cast, not a ?: of both */
	uint64_t (*fn)(uint64_t) = bench_cet;
	double r[64], sorted[64];
	uint64_t sink = 0;
	FILE *f;

	if (!strcmp(func, "plain"))
		fn = (uint64_t(*)(uint64_t))bench_plain;
	else if (!strcmp(func, "nop5"))
		fn = bench_nop5;
	else if (!strcmp(func, "nop1"))
		fn = bench_nop1;
	else if (!strcmp(func, "usdt"))
		fn = bench_usdt;
	else if (strcmp(func, "cet")) {
		fprintf(stderr,
			"nnperf-bench-calls: FUNC is cet, plain, nop5, nop1 or usdt, not '%s'\n",
			func);
		return 2;
	}
	round_ns(fn, n / 4 + 1, &sink); /* warm-up: page faults, caches, frequency */
	for (long i = 0; i < rounds; i++)
		r[i] = sorted[i] = round_ns(fn, n, &sink);
	qsort(sorted, (size_t)rounds, sizeof(sorted[0]), cmp_double);
	f = fopen(out, "w");
	if (!f) {
		fprintf(stderr, "nnperf-bench-calls: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f, "%s ns_per_call %.1f rounds", func, sorted[rounds / 2]);
	for (long i = 0; i < rounds; i++)
		fprintf(f, " %.1f", r[i]);
	fprintf(f, " sink %llu\n", (unsigned long long)(sink & 1));
	return fclose(f) ? 1 : 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static int run_layers(long layers, long passes, long hold_ms, long pause_ms)
{
	char(*names)[32] = calloc((size_t)layers, sizeof(*names));

	if (!names)
		return 1;
	for (long k = 0; k < layers; k++)
		snprintf(names[k], sizeof(names[k]), "layer_%05ld", k + 1);
	for (long p = 0; p < passes; p++) {
		NNPERF_INFERENCE_BEGIN(p);
		for (long k = 0; k < layers; k++) {
			NNPERF_LAYER_BEGIN(k + 1, names[k], "bench");
			NNPERF_LAYER_END(k + 1);
		}
		NNPERF_INFERENCE_END(p);
		sleep_ms(pause_ms);
	}
	free(names);
	sleep_ms(hold_ms);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "calls"))
		return run_calls(argv[2], arg_long(argv[3], 1, 100000000), arg_long(argv[4], 1, 63),
				 argv[5]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "layers"))
		return run_layers(arg_long(argv[2], 1, 1000000), arg_long(argv[3], 1, 1000000),
				  arg_long(argv[4], 0, 3600000),
				  argc == 6 ? arg_long(argv[5], 0, 3600000) : 0);
	fprintf(stderr, "usage: nnperf-bench-calls calls cet|plain|nop5|nop1|usdt N ROUNDS OUT\n"
			"       nnperf-bench-calls layers LAYERS PASSES HOLD_MS [PAUSE_MS]\n");
	return 2;
}
