// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf-hostile: a workload whose layer names attack whatever prints them
 * (200-byte names, invalid UTF-8, newlines, quotes, terminal escapes, label
 * syntax), and a flood mode that emits layers as fast as it can (ring buffer
 * overflow, soak). The reliability tests record it end to end.
 *
 *   nnperf-hostile names [ITERATIONS]     hostile names, ITERATIONS inferences
 *   nnperf-hostile flood SECONDS          empty layers as fast as possible
 *   nnperf-hostile rate LAYERS_PER_S SECS a steady layer rate
 *
 * With NNP_WAIT_STDIN set, waits for a line on stdin before the work and
 * for another (or EOF) after it, so that a tracer can attach and read first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nnperf/usdt.h>

static char long_name[201];

static const char *const names[] = {
	long_name,
	"bad\xff\xfe"
	"utf8\xc3(\xe2\x82",
	"new\nline\r\nand\ttab",
	"quote\"back\\slash'",
	"esc\x1b[31mred\x1b[0m\x07"
	"bell\x1b]0;title\x07",
	"label}=\"x\",le=\"+Inf\"{",
	"\xed\xa0\x80"
	"surrogate\xf4\x90\x80\x80"
	"toolarge\xc0\xaf"
	"overlong",
	"",
};
#define NNAMES (sizeof(names) / sizeof(names[0]))

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long arg_long(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max) {
		fprintf(stderr, "nnperf-hostile: '%s' is not in [%ld, %ld]\n", s, min, max);
		exit(2);
	}
	return v;
}

static void hostile_names(long iterations)
{
	for (size_t i = 0; i < sizeof(long_name) - 1; i++)
		long_name[i] = (char)('a' + i % 26);
	for (long it = 0; it < iterations; it++) {
		NNPERF_INFERENCE_BEGIN(it);
		for (size_t i = 0; i < NNAMES; i++) {
			/* through a plain variable: libbpf 1.1 cannot read an indexed
			 * USDT operand such as 8@(%r8,%rax,8) */
			const char *volatile name = names[i];

			NNPERF_LAYER_BEGIN(i + 1, name, "op\n\x1b[2J\xff");
			NNPERF_LAYER_END(i + 1);
		}
		NNPERF_INFERENCE_END(it);
	}
}

/* layers_per_s 0: no pause at all */
static unsigned long long emit(long layers_per_s, double seconds)
{
	double t0 = now_s(), next = t0;
	unsigned long long n = 0;

	while (now_s() - t0 < seconds) {
		for (int batch = 0; batch < 100; batch++, n++) {
			NNPERF_LAYER_BEGIN(n % 16, "flood", "op");
			NNPERF_LAYER_END(n % 16);
		}
		if (!layers_per_s)
			continue;
		next += 100.0 / layers_per_s;
		double wait = next - now_s();
		if (wait > 0) {
			struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };

			nanosleep(&ts, NULL);
		}
	}
	return n;
}

int main(int argc, char **argv)
{
	char line[16];

	if (argc < 2) {
		fprintf(stderr, "usage: nnperf-hostile names [N] | flood SECS | rate N SECS\n");
		return 2;
	}
	if (getenv("NNP_WAIT_STDIN") && !fgets(line, sizeof(line), stdin))
		return 1;
	if (!strcmp(argv[1], "names"))
		hostile_names(argc > 2 ? arg_long(argv[2], 1, 1000000000) : 10);
	else if (!strcmp(argv[1], "flood") && argc == 3)
		printf("layers %llu\n", emit(0, arg_long(argv[2], 1, 86400)));
	else if (!strcmp(argv[1], "rate") && argc == 4)
		printf("layers %llu\n",
		       emit(arg_long(argv[2], 100, 100000000), arg_long(argv[3], 1, 86400)));
	else {
		fprintf(stderr, "nnperf-hostile: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	fflush(stdout);
	if (getenv("NNP_WAIT_STDIN"))
		(void)!fgets(line, sizeof(line), stdin);
	return 0;
}
