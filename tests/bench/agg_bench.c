// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf-bench-agg: how fast nnperf's reader consumes events (tests/bench/run.sh).
 *
 *   nnperf-bench-agg drain SECONDS [LAYERS]
 *	A BPF program (ringbuf.bpf.c, run with BPF_PROG_TEST_RUN) fills the
 *	default-size ring buffer to 90% with layer and inference records in
 *	nnperf's format; the reader then drains it through libbpf's
 *	ring_buffer__consume into nnp_agg_event, as nnperf record does. Repeated
 *	for SECONDS; only the draining is timed, on one pinned CPU.
 *   nnperf-bench-agg live RATE SECONDS [LAYERS [RINGBUF]]
 *	The producer runs on another CPU at RATE events/s (1 ms batches, waking
 *	the reader at a quarter full as nnperf's programs do) while the reader
 *	polls as nnperf record does (100 ms timeout, then consume); prints what
 *	was produced, consumed and lost, and the reader's CPU time. RINGBUF: the
 *	ring buffer's size in bytes (default NNP_DEFAULT_RINGBUF).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agg.h"
#include "bench_ringbuf.skel.h"
#include "session.h"

#define LAYER_REC (sizeof(struct nnp_layer_event) + 8) /* + the ring buffer's header */

struct bench {
	struct bench_ringbuf_bpf *skel;
	struct ring_buffer *rb;
	struct nnp_agg agg;
	atomic_bool stop;
	double rate;
	uint64_t batches;
};

static double now_s(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pin(int cpu)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n > 0 ? cpu % (int)n : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fprintf(stderr, "nnperf-bench-agg: cannot pin to CPU %d: %s\n", cpu,
			strerror(errno));
}

/* nnperf record's callback, less the trace writer */
static int on_event(void *ctx, void *data, size_t size)
{
	struct bench *b = ctx;

	nnp_agg_event(&b->agg, data, size);
	return 0;
}

static int bench_open(struct bench *b, uint32_t batch, uint32_t layers, uint32_t ringbuf,
		      uint64_t wakeup)
{
	int err;

	b->skel = bench_ringbuf_bpf__open();
	if (!b->skel)
		return -errno;
	b->skel->rodata->batch = batch;
	b->skel->rodata->nlayers = layers;
	b->skel->rodata->wakeup_bytes = wakeup;
	err = bpf_map__set_max_entries(b->skel->maps.events, ringbuf);
	if (!err)
		err = bench_ringbuf_bpf__load(b->skel);
	if (err)
		return err;
	b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.events), on_event, b, NULL);
	if (!b->rb)
		return -errno;
	nnp_agg_init(&b->agg, NULL);
	nnp_agg_add_probe(&b->agg, 1, "bench_infer", "", "bench");
	return nnp_agg_add_probe(&b->agg, 2, "bench_layer", "", "bench");
}

static void bench_close(struct bench *b)
{
	ring_buffer__free(b->rb);
	bench_ringbuf_bpf__destroy(b->skel);
	nnp_agg_free(&b->agg);
}

static int fill_once(struct bench *b)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);

	return bpf_prog_test_run_opts(bpf_program__fd(b->skel->progs.fill), &opts) ? -errno : 0;
}

static int drain(double seconds, uint32_t layers)
{
	uint32_t batch = (uint32_t)(NNP_DEFAULT_RINGBUF * 0.9 / LAYER_REC) - 2;
	struct bench b = { 0 };
	double busy = 0, t_end;
	int err, n;

	pin(0);
	err = bench_open(&b, batch, layers, NNP_DEFAULT_RINGBUF, 0);
	t_end = now_s(CLOCK_MONOTONIC) + seconds;
	while (!err && now_s(CLOCK_MONOTONIC) < t_end) {
		double t0;

		err = fill_once(&b);
		t0 = now_s(CLOCK_MONOTONIC);
		n = err ? 0 : ring_buffer__consume(b.rb);
		busy += now_s(CLOCK_MONOTONIC) - t0;
		if (n < 0)
			err = n;
	}
	if (!err)
		printf("drain events %llu lost %llu seconds %.3f events_per_s %.0f ns_per_event "
		       "%.1f bad %llu\n",
		       (unsigned long long)b.agg.events, (unsigned long long)b.skel->bss->lost,
		       busy, b.agg.events / busy, busy * 1e9 / b.agg.events,
		       (unsigned long long)b.agg.bad_events);
	bench_close(&b);
	return err;
}

/* the producer: one batch a millisecond, on its own CPU */
static void *produce(void *arg)
{
	struct bench *b = arg;
	double t0 = now_s(CLOCK_MONOTONIC);

	pin(1);
	while (!atomic_load(&b->stop)) {
		double due = t0 + (double)b->batches * 1e-3, now = now_s(CLOCK_MONOTONIC);

		if (now < due) {
			usleep((useconds_t)((due - now) * 1e6));
			continue;
		}
		if (fill_once(b))
			break;
		b->batches++;
	}
	return NULL;
}

static int live(double rate, double seconds, uint32_t layers, uint32_t ringbuf)
{
	struct bench b = { 0 };
	double t_end, cpu0;
	pthread_t th;
	int err;

	pin(0);
	err = bench_open(&b, (uint32_t)(rate / 1000), layers, ringbuf, ringbuf / 4);
	if (err || (err = -pthread_create(&th, NULL, produce, &b)))
		goto cleanup;
	cpu0 = now_s(CLOCK_THREAD_CPUTIME_ID);
	t_end = now_s(CLOCK_MONOTONIC) + seconds;
	while (now_s(CLOCK_MONOTONIC) < t_end) {
		if (ring_buffer__poll(b.rb, 100) < 0 && errno != EINTR)
			break;
		ring_buffer__consume(b.rb);
	}
	atomic_store(&b.stop, true);
	pthread_join(th, NULL);
	ring_buffer__consume(b.rb);
	printf("live target_per_s %.0f produced %llu consumed %llu lost %llu seconds %.1f "
	       "achieved_per_s %.0f reader_cpu_share %.3f\n",
	       rate, (unsigned long long)b.skel->bss->produced, (unsigned long long)b.agg.events,
	       (unsigned long long)b.skel->bss->lost, seconds, b.skel->bss->produced / seconds,
	       (now_s(CLOCK_THREAD_CPUTIME_ID) - cpu0) / seconds);
cleanup:
	bench_close(&b);
	return err;
}

int main(int argc, char **argv)
{
	int err = -EINVAL;

	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "drain"))
		err = drain(atof(argv[2]), argc == 4 ? (uint32_t)atoi(argv[3]) : 100);
	else if (argc >= 4 && argc <= 6 && !strcmp(argv[1], "live"))
		err = live(atof(argv[2]), atof(argv[3]), argc >= 5 ? (uint32_t)atoi(argv[4]) : 100,
			   argc == 6 ? (uint32_t)strtoul(argv[5], NULL, 0) : NNP_DEFAULT_RINGBUF);
	else
		fprintf(stderr, "usage: nnperf-bench-agg drain SECONDS [LAYERS]\n"
				"       nnperf-bench-agg live RATE SECONDS [LAYERS [RINGBUF]]\n");
	if (err && err != -EINVAL)
		fprintf(stderr, "nnperf-bench-agg: %s\n", strerror(-err));
	return err ? 1 : 0;
}
