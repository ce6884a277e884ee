// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Feature tries for `nnperf doctor`: one tiny program per kernel mechanism.
 * User space loads exactly one of them at a time (autoload off for the rest),
 * attaches it, triggers it from its own process and reads back what the
 * program saw. A try that loads, attaches and sees the expected value is the
 * only proof that a mechanism works; kernel versions and configs prove nothing.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
/* the doctor attaches one USDT probe: keep libbpf's spec maps small */
#define BPF_USDT_MAX_SPEC_CNT 4
#include <bpf/usdt.bpf.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Kernel-wide hooks fire for every task: count only the doctor's own. */
const volatile __u32 target_tgid;

/* What each program saw; zero until it runs. */
__u64 uprobe_hits;
__s64 uprobe_arg;
__u64 uretprobe_hits;
__s64 uretprobe_rc;
__u64 cookie_hits;
__u64 cookie_value;
__u64 multi_hits;
__u64 multi_cookie;
__u64 usdt_hits;
__s64 usdt_arg;
__u64 tp_btf_hits;
__u64 raw_tp_hits;
__u64 fentry_hits;
__u64 kprobe_hits;

static __always_inline bool from_target(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("uprobe")
int BPF_KPROBE(feat_uprobe, int x)
{
	uprobe_arg = x;
	__sync_fetch_and_add(&uprobe_hits, 1);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(feat_uretprobe, int rc)
{
	uretprobe_rc = rc;
	__sync_fetch_and_add(&uretprobe_hits, 1);
	return 0;
}

/* Separate from feat_uprobe: a kernel without the helper rejects this program
 * alone, and uprobes are then still reported for what they are. */
SEC("uprobe")
int BPF_KPROBE(feat_cookie)
{
	cookie_value = bpf_get_attach_cookie(ctx);
	__sync_fetch_and_add(&cookie_hits, 1);
	return 0;
}

/* loaded with expected attach type BPF_TRACE_UPROBE_MULTI (6.6+) by user space:
 * libbpf 1.1 knows no uprobe.multi section */
SEC("uprobe")
int BPF_KPROBE(feat_uprobe_multi)
{
	multi_cookie = bpf_get_attach_cookie(ctx);
	__sync_fetch_and_add(&multi_hits, 1);
	return 0;
}

SEC("usdt")
int BPF_USDT(feat_usdt, int x)
{
	usdt_arg = x;
	__sync_fetch_and_add(&usdt_hits, 1);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(feat_tp_btf, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (from_target())
		__sync_fetch_and_add(&tp_btf_hits, 1);
	return 0;
}

SEC("raw_tp/sched_switch")
int BPF_PROG(feat_raw_tp)
{
	if (from_target())
		__sync_fetch_and_add(&raw_tp_hits, 1);
	return 0;
}

SEC("fentry/do_nanosleep")
int BPF_PROG(feat_fentry)
{
	if (from_target())
		__sync_fetch_and_add(&fentry_hits, 1);
	return 0;
}

SEC("kprobe/do_nanosleep")
int BPF_KPROBE(feat_kprobe)
{
	if (from_target())
		__sync_fetch_and_add(&kprobe_hits, 1);
	return 0;
}
