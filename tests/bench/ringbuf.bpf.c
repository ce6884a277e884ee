// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The producer of the aggregator benchmark (agg_bench.c): fills a ring buffer
 * with records in nnperf's event format (bpf/nnperf_abi.h) when user space runs
 * it with BPF_PROG_TEST_RUN, so the consumer reads real ring-buffer records
 * through libbpf exactly as nnperf's reader does. Layers cycle through
 * `nlayers` keys with pseudo-random durations (1 us .. ~1 ms); every
 * `nlayers` layers an inference ends.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "nnperf_abi.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 nlayers = 100;
const volatile __u32 batch = 1000;
/* as bpf/nnperf_state.h: wake the reader only once this much is waiting */
const volatile __u64 wakeup_bytes = 0;

__u64 seq;
__u64 produced;
__u64 lost;
__u64 rng = 0x9e3779b97f4a7c15ull;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

static __always_inline __u64 next_rand(void)
{
	__u64 x = rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng = x;
	return x;
}

static __always_inline __u64 wake(void)
{
	if (!wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
}

static __always_inline void put_infer(__u64 n, __u64 t)
{
	struct nnp_infer_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		lost++;
		return;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->hdr.type = NNP_EV_INFER;
	e->hdr.tgid = 4242;
	e->hdr.tid = 4242;
	e->hdr.probe_id = 1;
	e->start_ns = t > 1000000 ? t - 1000000 : 0;
	e->end_ns = t;
	e->infer_seq = n;
	e->layers = nlayers;
	bpf_ringbuf_submit(e, wake());
	produced++;
}

static long put_layer(__u64 i, void *ctx)
{
	struct nnp_layer_event *e;
	__u64 n = seq++, r = next_rand(), dur = 1000 + (r & 0xfffff), t = n * 2000;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		lost++;
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->hdr.type = NNP_EV_LAYER;
	e->hdr.tgid = 4242;
	e->hdr.tid = 4242;
	e->hdr.probe_id = 2;
	e->key = n % nlayers + 1;
	e->start_ns = t;
	e->end_ns = t + dur;
	e->infer_seq = n / nlayers + 1;
	e->k.minflt = (r >> 32) & 3;
	e->k.ivcsw = (r >> 40) & 1;
	bpf_ringbuf_submit(e, wake());
	produced++;
	if (n % nlayers == nlayers - 1)
		put_infer(n / nlayers + 1, t + dur);
	return 0;
}

SEC("raw_tp")
int fill(void *ctx)
{
	bpf_loop(batch, put_layer, NULL, 0);
	return 0;
}
