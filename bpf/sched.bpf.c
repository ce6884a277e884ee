// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Scheduler hooks for tracked threads (those with state in `threads`):
 * off-CPU time, who preempted a thread inside an inference, and per-thread
 * virtualisation of the per-CPU perf counters. tp_btf programs with raw_tp
 * twins; user space loads one set (features.c chooses).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "nnperf_state.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

NNP_SHARED_MAPS;

/*
 * rq->clock of the runqueue PREV leaves, just updated by __schedule before the
 * tracepoint: the clock sched_info.last_arrival is taken on. Reached through
 * the task's cfs_rq (CONFIG_FAIR_GROUP_SCHED; the runqueue's own address is
 * not in a kallsyms without data symbols); 0 where that is missing.
 */
static __always_inline __u64 rq_clock_of(struct task_struct *prev)
{
	struct cfs_rq *cfs;
	struct rq *rq;

	if (!bpf_core_field_exists(prev->se.cfs_rq) || !bpf_core_field_exists(struct cfs_rq, rq))
		return 0;
	cfs = BPF_CORE_READ(prev, se.cfs_rq);
	rq = cfs ? BPF_CORE_READ(cfs, rq) : NULL;
	return rq ? BPF_CORE_READ(rq, clock) : 0;
}

struct task_struct___old {
	long state;
} __attribute__((preserve_access_index));

/* still runnable after the switch: preempted or yielded, not sleeping */
static __always_inline bool left_runnable(bool preempt, struct task_struct *prev)
{
	struct task_struct___old *old = (void *)prev;

	if (preempt)
		return true;
	if (bpf_core_field_exists(prev->__state))
		return BPF_CORE_READ(prev, __state) == 0;
	return BPF_CORE_READ(old, state) == 0;
}

static __always_inline void switch_out(struct thread_state *ts, bool preempt,
				       struct task_struct *prev, struct task_struct *next,
				       __u64 now)
{
	struct thread_sched *s = &ts->sched;

	if (!s->counters_on && s->switch_out_ns)
		offcpu_to_arrival(s, prev, &stats); /* out again: no switch-in was shown */
	s->switches++;
	s->switch_out_ns = now;
	s->switch_out_clk = rq_clock_of(prev);
	s->preempted = left_runnable(preempt, prev);
	if (s->preempted) {
		s->by_pid = BPF_CORE_READ(next, pid);
		s->by_tgid = BPF_CORE_READ(next, tgid);
		bpf_probe_read_kernel_str(s->by_comm, sizeof(s->by_comm), &next->comm);
	}
	for (int i = 0; i < NNP_MAX_COUNTERS; i++) {
		if (i >= nr_counters || !s->counters_on)
			break;
		s->counter_acc[i] += pmu_read(&pmu, i) - s->counter_in[i];
	}
	s->counters_on = 0;
}

static __always_inline void emit_preempt(struct thread_state *ts, __u32 tgid, __u32 tid, __u64 now)
{
	struct nnp_preempt_event *e =
	    reserve_event(&events, &stats, sizeof(*e), NNP_EV_PREEMPT, tgid, tid, 0);

	if (!e)
		return;
	e->infer_seq = ts->infer_seq;
	e->start_ns = ts->sched.switch_out_ns;
	e->end_ns = now;
	e->by_pid = ts->sched.by_pid;
	e->by_tgid = ts->sched.by_tgid;
	__builtin_memcpy(e->by_comm, ts->sched.by_comm, sizeof(e->by_comm));
	bpf_ringbuf_submit(e, wakeup_flags(&events));
}

static __always_inline void switch_in(struct thread_state *ts, struct task_struct *next, __u64 now)
{
	struct thread_sched *s = &ts->sched;

	if (s->switch_out_ns) {
		s->offcpu_ns += now - s->switch_out_ns;
		if (s->preempted && ts->infer_depth)
			emit_preempt(ts, BPF_CORE_READ(next, tgid), BPF_CORE_READ(next, pid), now);
	}
	s->switches++;
	s->switch_out_ns = 0;
	s->preempted = 0;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++) {
		if (i >= nr_counters)
			break;
		s->counter_in[i] = pmu_read(&pmu, i);
	}
	s->counters_on = 1;
}

static __always_inline int on_switch(bool preempt, struct task_struct *prev,
				     struct task_struct *next)
{
	__u32 prev_tid = BPF_CORE_READ(prev, pid), next_tid = BPF_CORE_READ(next, pid);
	__u64 now = bpf_ktime_get_ns();
	struct thread_state *ts;

	ts = bpf_map_lookup_elem(&threads, &prev_tid);
	if (ts)
		switch_out(ts, preempt, prev, next, now);
	ts = bpf_map_lookup_elem(&threads, &next_tid);
	if (ts)
		switch_in(ts, next, now);
	return 0;
}

/* a new thread may reuse an exited one's id: forget its state */
static __always_inline int on_exit(struct task_struct *t)
{
	__u32 tid = BPF_CORE_READ(t, pid);

	bpf_map_delete_elem(&threads, &tid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(nnp_switch_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(preempt, prev, next);
}

SEC("raw_tp/sched_switch")
int BPF_PROG(nnp_switch_raw, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	return on_switch(preempt, prev, next);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(nnp_exit_btf, struct task_struct *t)
{
	return on_exit(t);
}

SEC("raw_tp/sched_process_exit")
int BPF_PROG(nnp_exit_raw, struct task_struct *t)
{
	return on_exit(t);
}
