/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI shared by bpf/ and user/: probe specs (user -> BPF, read-only for
 * programs) and events (BPF -> user through the ring buffer).
 * Fixed-width types only; both sides compile this file.
 */
#ifndef NNPERF_ABI_H
#define NNPERF_ABI_H

#ifdef __bpf__
/* vmlinux.h provides __u8 .. __u64 and __s32 */
#else
#include <linux/types.h>
#endif

#define NNP_ABI_VERSION 1

#define NNP_MAX_DEREF 4 /* dereference steps in one fetch */
#define NNP_NAME_LEN 64 /* bytes of a layer name read from the target */
#define NNP_OP_LEN 32	/* bytes of an op type read from the target */
#define NNP_MAX_DEPTH 8 /* nested open layers per thread */
#define NNP_DEFAULT_SPECS 4096
#define NNP_MAX_COUNTERS 4 /* perf counters read per layer */
#define NNP_COMM_LEN 16
#define NNP_SHAPE_DIMS 4 /* dimensions of a layer's shape (shape=i64xN) */

/* What a probe site means when it is hit. */
enum nnp_role {
	NNP_ROLE_INFER_BEGIN = 1,
	NNP_ROLE_INFER_END = 2,
	NNP_ROLE_LAYER_BEGIN = 3,
	NNP_ROLE_LAYER_END = 4,
	NNP_ROLE_LIBLOAD = 5, /* the dynamic loader changed the link map (dlopen) */
};

/* nnp_spec.flags */
/* a layer or layer-begin: the next begin, an entry-only layer-end or the inference's end
 * ends it; a layer-end: ends the entry-only layer open on the thread */
#define NNP_SPEC_ENTRY_ONLY (1u << 0)
#define NNP_SPEC_STOP                                                                              \
	(1u << 1)		   /* LIBLOAD: stop the process until user space has               \
				    * attached to what was loaded (it sends SIGCONT) */
#define NNP_SPEC_WHEN_EQ (1u << 2) /* a layer only if when == when_val */
#define NNP_SPEC_WHEN_NE (1u << 3) /* a layer only if when != when_val */
/* LAYER_END at a layer's return: its key (read from ret) replaces the begin
 * frame's, which the end then closes whatever its key (see NNP_FETCH_ARG_RET) */
#define NNP_SPEC_RET_KEY (1u << 4)
/* when-cache=thread: the `when` is read once per thread and value of the
 * argument its address starts from, and the answer reused (nnp_spec.when_id) */
#define NNP_SPEC_WHEN_CACHE (1u << 5)

/* What a fetch yields: nothing, a 64-bit value, or a string at an address. */
enum nnp_fetch_kind {
	NNP_FETCH_NONE = 0,
	NNP_FETCH_VALUE = 1,
	NNP_FETCH_STRING = 2,
	NNP_FETCH_HASH = 3, /* a 64-bit FNV-1a hash of the C string at the address */
};

/*
 * v = arg[arg] (or the stack address);
 * for i < nderef: v = *(u64 *)(v + deref_off[i] + (idx.at == i + 1 ? X : 0));
 * v += final_off + (idx.at == nderef + 1 ? X : 0);
 * then VALUE: key = v & mask (mask 0 = all bits); STRING: read a C string at v.
 * X, an index term (ADDR + VALUE * SIZE), is idx's value times idx.scale; the
 * index's own walk may add one index term of its own, idx_in, the same way
 * (idx_in.at: a step of idx's walk), and no deeper.
 */
/* nnp_index.width: the value is signed (s8, s16, s32): sign-extended from its
 * width before it is scaled (a table of relative offsets) */
#define NNP_WIDTH_SIGNED 0x80
#define NNP_WIDTH_BYTES(w) ((w)&0x0f)
/* nnp_fetch.arg: the first stack-passed argument's address at a function's
 * entry (x86-64: sp + 8, above the return address; arm64: sp), not a register */
#define NNP_FETCH_ARG_STACK 0x80
/* nnp_fetch.arg: the return value register (x86-64 rax, arm64 x0) at a return
 * probe. A layer's fetches that read it are made at its return, in its
 * LAYER_END spec: key (flag NNP_SPEC_RET_KEY), name/op/shape/rank (sent before
 * the layer event) and when (a failing when drops the call) */
#define NNP_FETCH_ARG_RET 0x81
/* nnp_fetch.arg: the probed instruction's address in the process (x86-64 rip,
 * arm64 pc at the uprobe or USDT site), a base for pc-relative reads of the
 * library's own data */
#define NNP_FETCH_ARG_PC 0x82

/* A value read at run time, as a fetch of its own (no index in it), times scale;
 * at = 0: no index term */
struct nnp_index {
	__u8 at;
	__u8 arg;
	__u8 nderef;
	__u8 width;
	__s32 scale;
	__s32 final_off;
	__s32 deref_off[NNP_MAX_DEREF];
};

struct nnp_fetch {
	__u8 kind;
	__u8 arg; /* argument register index, or NNP_FETCH_ARG_STACK / _RET / _PC */
	__u8 nderef;
	__u8 width; /* VALUE: bytes kept of the result (8, 4, 2, 1) */
	__s32 final_off;
	__s32 deref_off[NNP_MAX_DEREF];
	struct nnp_index idx;
	struct nnp_index idx_in; /* the index term inside idx's value (at = 0: none) */
};

struct nnp_spec {
	__u32 probe_id; /* layer group: events of one probe share it */
	__u8 role;	/* enum nnp_role */
	__u8 flags;	/* NNP_SPEC_* */
	__u16 pad;
	struct nnp_fetch key;
	/* HASH after a HASH key (key=hash(str(A),str(B))): B's string is hashed on
	 * after A's and a 0 byte; B unreadable (a NULL pointer on the way) hashes
	 * as "" (NONE: the key is A's alone) */
	struct nnp_fetch key2;
	struct nnp_fetch name;
	struct nnp_fetch op;
	/* a call is a layer only if `when` passes (flags WHEN_*); ADDR of the shape's
	 * shape_dims elements of shape.width bytes (none: shape_dims 0) */
	struct nnp_fetch when;
	__u64 when_val;
	struct nnp_fetch shape;
	__u8 shape_dims;
	__u8 pad2[3];
	/* WHEN_CACHE: the same for every spec with the same `when` (fetch, value and
	 * test), never 0: a thread's cached answer is one when's */
	__u32 when_id;
	/* how many of the shape_dims are real (a tensor's ndim); NONE: all. A rank
	 * of 0 or above 8 means the layout is not what the probe expects: no shape */
	struct nnp_fetch rank;
	/* a 64-bit value sent with the name (not in the grammar: an adapter's, for
	 * user space to read the layer's name from the target's memory, e.g. ONNX
	 * Runtime's SessionState); NONE: 0 */
	struct nnp_fetch ref;
};

enum nnp_event_type {
	NNP_EV_LAYER = 1,
	NNP_EV_INFER = 2,
	NNP_EV_NAME = 3,
	NNP_EV_PREEMPT = 4,
	NNP_EV_LIBLOAD = 5, /* struct nnp_event_hdr only: rescan the process's maps */
};

/*
 * What the kernel did to a thread over an interval (a layer or an inference).
 * The task counters come from task_struct at begin and end (exact); off-CPU
 * time from sched_switch; fault time from fentry/kprobes where the kernel has
 * them; counters from per-CPU perf events virtualised per thread at switches.
 */
struct nnp_ksig {
	__u64 offcpu_ns; /* switched out (sleeping or preempted) */
	__u64 runq_ns;	 /* runnable but waiting for a CPU (sched_info.run_delay) */
	__u64 fault_ns;	 /* in handle_mm_fault (0 when unavailable) */
	__u32 vcsw;	 /* voluntary context switches (nvcsw) */
	__u32 ivcsw;	 /* involuntary ones (nivcsw) */
	__u32 minflt;
	__u32 majflt;
	__u32 migrations; /* se.nr_migrations */
	__u32 pad;
	__u64 counters[NNP_MAX_COUNTERS];
};

struct nnp_event_hdr {
	__u32 type; /* enum nnp_event_type */
	__u32 tgid;
	__u32 tid;
	__u32 probe_id;
};

/* One execution of one layer. Times are CLOCK_MONOTONIC nanoseconds. */
struct nnp_layer_event {
	struct nnp_event_hdr hdr;
	__u64 key;
	__u64 start_ns;
	__u64 end_ns;
	__u64 child_ns;	 /* time spent in nested probed layers */
	__u64 infer_seq; /* per-thread inference number, 0 = outside any */
	__u32 cpu;
	__u32 depth;
	struct nnp_ksig k;
};

/* One inference (outermost begin .. end on one thread). */
struct nnp_infer_event {
	struct nnp_event_hdr hdr;
	__u64 start_ns;
	__u64 end_ns;
	__u64 infer_seq;
	__u32 layers; /* layer executions that ended inside it on this thread */
	__u32 pad;
	struct nnp_ksig k;
};

/* A tracked thread inside an inference was preempted: who ran instead, and
 * how long the thread waited before it ran again. */
struct nnp_preempt_event {
	struct nnp_event_hdr hdr; /* probe_id unused */
	__u64 infer_seq;
	__u64 start_ns; /* switched out */
	__u64 end_ns;	/* switched back in */
	__u32 by_pid;	/* the task that took the CPU (thread id) */
	__u32 by_tgid;
	char by_comm[NNP_COMM_LEN];
};

/* The name and op of a (probe_id, key) pair, sent once per process. */
struct nnp_name_event {
	struct nnp_event_hdr hdr;
	__u64 key;
	char name[NNP_NAME_LEN];
	char op[NNP_OP_LEN];
	__u32 shape_dims; /* 0: no shape */
	__u32 pad;
	__s64 shape[NNP_SHAPE_DIMS];
	__u64 ref; /* the spec's ref (0: none, or unreadable) */
};

/* Indexes of the per-CPU "stats" array: what BPF counts about itself. */
enum nnp_stat {
	NNP_STAT_HITS = 0,	    /* probe program runs */
	NNP_STAT_LOST = 1,	    /* events dropped: ring buffer full */
	NNP_STAT_UNMATCHED = 2,	    /* an end with no matching begin */
	NNP_STAT_OVERFLOW = 3,	    /* a begin nested deeper than NNP_MAX_DEPTH */
	NNP_STAT_FETCH_ERR = 4,	    /* a key/name read from the target failed */
	NNP_STAT_MISSED_SWITCH = 5, /* a tracked thread ran with no sched_switch that showed
				     * it coming in (layer.bpf.c, missed_switch_in) */
	NNP_STAT_NR = 6,
};

#endif /* NNPERF_ABI_H */
