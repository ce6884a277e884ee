/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * BPF-side state shared by layer.bpf.c (probes), sched.bpf.c (scheduler
 * hooks) and fault.bpf.c (fault timing). Each object declares the shared maps
 * through NNP_SHARED_MAPS; user space loads layer.bpf.c first and hands its
 * map fds to the others (bpf_map__reuse_fd), so all see one state.
 */
#ifndef NNPERF_STATE_H
#define NNPERF_STATE_H

#include <bpf/bpf_core_read.h>

#include "nnperf_abi.h"

/* A thread's cumulative kernel signals at one instant. */
struct ksnap {
	__u64 offcpu_ns;
	__u64 run_delay;
	__u64 fault_ns;
	__u64 nvcsw, nivcsw, minflt, majflt, migrations;
	__u64 counters[NNP_MAX_COUNTERS];
};

struct frame {
	__u64 start_ns;
	__u64 key;
	__u64 child_ns;
	__u32 probe_id;
	__u16 skip;	 /* not a layer (a `when` that failed, a re-entry): its end only pops it */
	__u16 unsampled; /* --sample: pushed only to match its end; not measured */
	struct ksnap snap;
};

/* Maintained by sched.bpf.c and fault.bpf.c for every tracked thread. */
struct thread_sched {
	__u64 offcpu_ns;     /* cumulative */
	__u64 switch_out_ns; /* when it last left the CPU, 0 while running */
	/* the same moment on the runqueue's clock (sched_clock: what sched_info's
	 * last_arrival is in, hundreds of ms away from bpf_ktime_get_ns on some
	 * machines), 0 where nnperf cannot read it */
	__u64 switch_out_clk;
	__u64 fault_ns; /* cumulative time in the fault handler */
	__u64 fault_start;
	__u32 preempted; /* last switch-out left it runnable */
	__u32 by_pid, by_tgid;
	__u32 counters_on; /* counter_in holds a valid reading */
	/* bumped at every switch out and in: a uprobe program can be preempted
	 * (it runs with migration, not preemption, disabled), and a snapshot that
	 * a switch cut in two is taken again (layer.bpf.c, ksnap_take) */
	__u32 switches;
	char by_comm[NNP_COMM_LEN];
	__u64 counter_acc[NNP_MAX_COUNTERS]; /* events while on CPU, cumulative */
	__u64 counter_in[NNP_MAX_COUNTERS];  /* reading when it was switched in */
};

struct thread_state {
	__u64 infer_start;
	__u64 infer_seq;
	__u32 infer_depth;
	__u32 infer_layers;
	__u32 depth;	  /* frames in use */
	__u32 overflow;	  /* begins not pushed because frames were full */
	__u32 has_open;	  /* an entry-only layer is open */
	__u32 sample_ctr; /* outermost layer begins, phase reset per inference (layer.bpf.c) */
	__u32 wake_ctr;	  /* events sent (wakeup_flags_ts) */
	/* when-cache=thread: the answer of the `when` when_id for the argument
	 * value when_base (layer.bpf.c, when_fails); when_id 0: none yet */
	__u32 when_id;
	__u64 when_base;
	__u32 when_failed;
	__u32 pad;
	struct ksnap infer_snap;
	struct frame open;
	struct frame frames[NNP_MAX_DEPTH];
	struct thread_sched sched;
};

#define NNP_SHARED_MAPS                                                                            \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_LRU_HASH);                                               \
		__uint(max_entries, 16384);                                                        \
		__type(key, __u32);                                                                \
		__type(value, struct thread_state);                                                \
	} threads SEC(".maps");                                                                    \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);                                           \
		__uint(max_entries, NNP_STAT_NR);                                                  \
		__type(key, __u32);                                                                \
		__type(value, __u64);                                                              \
	} stats SEC(".maps");                                                                      \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_RINGBUF);                                                \
		__uint(max_entries, 4 << 20);                                                      \
	} events SEC(".maps");                                                                     \
	struct {                                                                                   \
		__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);                                       \
		__uint(key_size, sizeof(__u32));                                                   \
		__uint(value_size, sizeof(__u32));                                                 \
	} pmu SEC(".maps")

/* set through rodata: CPUs, and counters open in `pmu` (counter-major:
 * index = counter * nr_cpus + cpu) */
const volatile __u32 nr_cpus = 1;
const volatile __u32 nr_counters = 0;
/* wake the reader only once this much is waiting: it polls on a timer
 * anyway, and a wakeup per event would preempt the inference it measures */
const volatile __u64 wakeup_bytes = 0;

static __always_inline void stat_inc(void *stats_map, __u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(stats_map, &idx);

	if (v)
		(*v)++;
}

/*
 * A ring-buffer record of SIZE bytes (a constant: the verifier wants it) that
 * starts with struct nnp_event_hdr, the header filled; NULL, counted in
 * NNP_STAT_LOST, when the buffer is full.
 */
static __always_inline void *reserve_event(void *ringbuf, void *stats_map, __u64 size, __u32 type,
					   __u32 tgid, __u32 tid, __u32 probe_id)
{
	struct nnp_event_hdr *h = bpf_ringbuf_reserve(ringbuf, size, 0);

	if (!h) {
		stat_inc(stats_map, NNP_STAT_LOST);
		return NULL;
	}
	h->type = type;
	h->tgid = tgid;
	h->tid = tid;
	h->probe_id = probe_id;
	return h;
}

static __always_inline __u64 wakeup_flags(void *ringbuf)
{
	if (!wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(ringbuf, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
}

/*
 * wakeup_flags() for a thread's layer and inference events, asked at one in
 * NNP_WAKE_EVERY: bpf_ringbuf_query reads the reader's position, a cache line
 * the reader writes at every record it takes, and cost ~120 ns an event here
 * (2 vCPUs, the reader draining; nnperf's minimal entry-only hit 700 -> 570
 * ns). The threshold is a quarter of the buffer, far above what the events
 * between two queries fill.
 */
#define NNP_WAKE_EVERY 32
static __always_inline __u64 wakeup_flags_ts(struct thread_state *ts, void *ringbuf)
{
	if (!wakeup_bytes)
		return 0;
	if (ts->wake_ctr++ % NNP_WAKE_EVERY)
		return BPF_RB_NO_WAKEUP;
	return wakeup_flags(ringbuf);
}

/* the current CPU's reading of counter i, 0 if it cannot be read */
static __always_inline __u64 pmu_read(void *pmu_map, __u32 i)
{
	struct bpf_perf_event_value v = {};
	__u64 idx = (__u64)i * nr_cpus + bpf_get_smp_processor_id();

	if (bpf_perf_event_read_value(pmu_map, idx, &v, sizeof(v)))
		return 0;
	return v.counter;
}

/*
 * Thread T runs again although sched_switch never showed it switched in (seen
 * on 6.18 under load: two switch-outs in a row). Its off-CPU time since the
 * last switch-out that was shown ends at its last arrival on a CPU. Called
 * from T's next probe (layer.bpf.c, missed_switch_in) or its next switch-out
 * (sched.bpf.c), whichever sees it first.
 */
static __always_inline void offcpu_to_arrival(struct thread_sched *s, struct task_struct *t,
					      void *stats_map)
{
	__u64 back = BPF_CORE_READ(t, sched_info.last_arrival);

	/* both on the runqueue clock: last_arrival minus bpf_ktime_get_ns once added
	 * the two clocks' distance (174 ms on a test VM) to a layer's off-CPU time */
	if (s->switch_out_clk && back > s->switch_out_clk)
		s->offcpu_ns += back - s->switch_out_clk;
	stat_inc(stats_map, NNP_STAT_MISSED_SWITCH);
}

#endif /* NNPERF_STATE_H */
