// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Time tracked threads spend handling page faults: fentry/fexit on
 * handle_mm_fault, with kprobe/kretprobe twins for kernels without fentry.
 * User space loads one pair, or none (features.c chooses).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "nnperf_state.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

NNP_SHARED_MAPS;

static __always_inline int fault_enter(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct thread_state *ts = bpf_map_lookup_elem(&threads, &tid);

	if (ts)
		ts->sched.fault_start = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int fault_exit(void)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct thread_state *ts = bpf_map_lookup_elem(&threads, &tid);

	if (ts && ts->sched.fault_start) {
		ts->sched.fault_ns += bpf_ktime_get_ns() - ts->sched.fault_start;
		ts->sched.fault_start = 0;
	}
	return 0;
}

SEC("fentry/handle_mm_fault")
int BPF_PROG(nnp_fault_fentry)
{
	return fault_enter();
}

SEC("fexit/handle_mm_fault")
int BPF_PROG(nnp_fault_fexit)
{
	return fault_exit();
}

SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(nnp_fault_kprobe)
{
	return fault_enter();
}

SEC("kretprobe/handle_mm_fault")
int BPF_KRETPROBE(nnp_fault_kretprobe)
{
	return fault_exit();
}
