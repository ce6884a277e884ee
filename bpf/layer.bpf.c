// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The generic probe programs. Every attached site (uprobe, uretprobe or USDT)
 * carries a cookie that indexes `specs`: the spec says what the hit means
 * (inference/layer begin/end) and how to read a key, name and op from the
 * arguments. Per-thread state pairs begins with ends; finished layers and
 * inferences go to user space through the `events` ring buffer.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/usdt.bpf.h>

#include "nnperf_state.h"

NNP_SHARED_MAPS;

/* libbpf 1.1 stops at PARM5; arm64 passes 8 arguments in x0..x7 (fetch_expr.h) */
#ifndef PT_REGS_PARM6
#if defined(__TARGET_ARCH_x86)
#define PT_REGS_PARM6(x) (__PT_REGS_CAST(x)->r9)
#elif defined(__TARGET_ARCH_arm64)
#define PT_REGS_PARM6(x) (((const struct user_pt_regs *)(x))->regs[5])
#endif
#endif
#if defined(__TARGET_ARCH_arm64)
#define NNP_ARG6(x) (((const struct user_pt_regs *)(x))->regs[6])
#define NNP_ARG7(x) (((const struct user_pt_regs *)(x))->regs[7])
#else
#define NNP_ARG6(x) 0
#define NNP_ARG7(x) 0
#endif
/* where a function's stack arguments start, from sp at its entry (AAPCS64: at sp;
 * x86-64 SysV: above the return address the call pushed) */
#if defined(__TARGET_ARCH_arm64)
#define NNP_STACK_ARGS 0
#else
#define NNP_STACK_ARGS 8
#endif

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* set through rodata before load: measure one outermost layer call in N (--sample) */
const volatile __u32 sample_rate = 1;
/* --overhead-budget: count the hits of each spec (user space prices them by site) */
const volatile bool count_hits = false;

struct name_key {
	__u32 tgid;
	__u32 probe_id;
	__u64 key;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NNP_DEFAULT_SPECS);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, __u32);
	__type(value, struct nnp_spec);
} specs SEC(".maps");

/* --overhead-budget: 1 for a layer probe (by probe_id) whose begins measure
 * nothing now: user space clears it once the probe's links are attached and
 * sets it before detaching them, so the calls measured are exactly those that
 * began between the two (sized like specs before load) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NNP_DEFAULT_SPECS);
	__type(key, __u32);
	__type(value, __u8);
} gated SEC(".maps");

/* hits per spec and CPU, only with count_hits (sized like specs before load) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, NNP_DEFAULT_SPECS);
	__type(key, __u32);
	__type(value, __u64);
} spec_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct thread_state);
} zero_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct name_key);
	__type(value, __u8);
} named SEC(".maps");

/*
 * In front of `named`: a direct-mapped table of 64-bit tags of (process,
 * probe, key) whose names were sent. An array lookup is inlined by the
 * verifier, a hash lookup is a helper call (~125 ns a measured hit here, more
 * than the rest of a begin). A tag is one aligned 8-byte store, so CPUs racing
 * on a slot leave one tag or the other, never a mix; a slot that holds another
 * tag only sends the lookup on to `named`.
 */
#define NAME_SEEN_SLOTS 4096
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, NAME_SEEN_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} name_seen SEC(".maps");

static __always_inline __u64 get_arg(struct pt_regs *ctx, bool usdt, __u32 i)
{
	/* fixed-offset loads into a stack array: a switch on i would let clang
	 * compute ctx + variable offset, which the verifier rejects */
	__u64 regs[8] = { PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx),
			  PT_REGS_PARM4(ctx), PT_REGS_PARM5(ctx), PT_REGS_PARM6(ctx),
			  NNP_ARG6(ctx),      NNP_ARG7(ctx) };
	__u64 sp = PT_REGS_SP(ctx), rc = PT_REGS_RC(ctx), ip = PT_REGS_IP(ctx);
	long v = 0;

	/* sp and rc loaded here, at their fixed offsets: clang would otherwise fold
	 * them into regs[]'s loads as ctx + a computed offset, which the verifier
	 * rejects */
	asm volatile("" : "+r"(sp), "+r"(rc), "+r"(ip));
	if (i == NNP_FETCH_ARG_STACK)
		return sp + NNP_STACK_ARGS;
	if (i == NNP_FETCH_ARG_RET)
		return rc;
	if (i == NNP_FETCH_ARG_PC)
		return ip;
	if (usdt) {
		bpf_usdt_arg(ctx, i, &v);
		return v;
	}
	return regs[i & 7];
}

/*
 * An index term's value times its scale, wrapping as the address sum does, with
 * ADD (an inner index term's, 0 if none) added at step AT of its walk; 0 or -EFAULT
 */
static __always_inline int index_walk(struct pt_regs *ctx, bool usdt, const struct nnp_index *x,
				      __u64 add, __u8 at, __u64 *out)
{
	__u64 v = get_arg(ctx, usdt, x->arg);
	__u32 bits = NNP_WIDTH_BYTES(x->width) * 8;

	for (int i = 0; i < NNP_MAX_DEREF; i++) {
		if (i >= x->nderef)
			break;
		if (bpf_probe_read_user(
			&v, sizeof(v),
			(void *)(v + (__s64)x->deref_off[i] + (at == i + 1 ? add : 0))))
			return -EFAULT;
	}
	v += (__s64)x->final_off + (at == x->nderef + 1 ? add : 0);
	if (bits && bits < 64) {
		v &= (1ULL << bits) - 1;
		if ((x->width & NNP_WIDTH_SIGNED) && (v >> (bits - 1)))
			v |= ~0ULL << bits; /* sign-extended */
	}
	/* unsigned: a hostile index times a scale may not overflow a signed type */
	*out = v * (__u64)(__s64)x->scale;
	return 0;
}

/* A fetch's index term, with the one inside it; 0 or -EFAULT */
static __noinline int fetch_index(struct pt_regs *ctx, bool usdt, const struct nnp_fetch *f,
				  __u64 *out)
{
	__u64 y = 0;

	if (f->idx_in.at && index_walk(ctx, usdt, &f->idx_in, 0, 0, &y))
		return -EFAULT;
	return index_walk(ctx, usdt, &f->idx, y, f->idx_in.at, out);
}

/* The address or value a fetch describes; 0 or -EFAULT */
static __always_inline int fetch_addr(struct pt_regs *ctx, bool usdt, const struct nnp_fetch *f,
				      __u64 *out)
{
	__u64 v = get_arg(ctx, usdt, f->arg), x = 0;

	if (f->idx.at && fetch_index(ctx, usdt, f, &x))
		return -EFAULT;
	for (int i = 0; i < NNP_MAX_DEREF; i++) {
		if (i >= f->nderef)
			break;
		if (bpf_probe_read_user(
			&v, sizeof(v),
			(void *)(v + (__s64)f->deref_off[i] + (f->idx.at == i + 1 ? x : 0))))
			return -EFAULT;
	}
	*out = v + (__s64)f->final_off + (f->idx.at == f->nderef + 1 ? x : 0);
	return 0;
}

#define FNV_BASIS 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

/*
 * The C string at addr hashed on into *h, eight bytes a step (FNV-1a's
 * multiply on whole words; the bytes after the string's end are masked off,
 * so equal strings hash equal whatever follows them); 0 or -EFAULT
 */
static __always_inline int hash_more(__u64 addr, __u64 *h)
{
	__u64 buf[NNP_NAME_LEN / 8];
	long n = bpf_probe_read_user_str(buf, sizeof(buf), (void *)addr);

	if (n < 0)
		return -EFAULT;
	n--; /* without its 0 byte */
	for (int i = 0; i < NNP_NAME_LEN / 8; i++) {
		__u64 w = buf[i];

		if (i * 8 >= n)
			break;
		if (n - i * 8 < 8)
			w &= (1ULL << ((n - i * 8) * 8)) - 1;
		*h = (*h ^ w) * FNV_PRIME;
	}
	*h = (*h ^ (__u64)n) * FNV_PRIME; /* "a" and "a\0\0" differ by length */
	return 0;
}

/* A VALUE or HASH fetch's value into *out; 0, or -EFAULT (counted) */
static __always_inline int fetch_value(struct pt_regs *ctx, bool usdt, const struct nnp_fetch *f,
				       __u64 *out)
{
	__u64 v, h = FNV_BASIS;

	*out = 0;
	if (f->kind != NNP_FETCH_VALUE && f->kind != NNP_FETCH_HASH)
		return 0;
	if (fetch_addr(ctx, usdt, f, &v) || (f->kind == NNP_FETCH_HASH && hash_more(v, &h))) {
		stat_inc(&stats, NNP_STAT_FETCH_ERR);
		return -EFAULT;
	}
	if (f->kind == NNP_FETCH_HASH)
		v = h ? h : 1; /* 0 means "no key" */
	else if (f->width && f->width < 8)
		v &= (1ULL << (f->width * 8)) - 1;
	*out = v;
	return 0;
}

/* a fetch's value, 0 if it cannot be read */
static __always_inline __u64 fetch_key(struct pt_regs *ctx, bool usdt, const struct nnp_fetch *f)
{
	__u64 v;

	fetch_value(ctx, usdt, f, &v);
	return v;
}

/* a layer's key: key=, and for key=hash(str(A),str(B)) B's string hashed on */
static __always_inline __u64 layer_key(struct pt_regs *ctx, bool usdt, const struct nnp_spec *s)
{
	__u64 v, h = FNV_BASIS;

	if (s->key.kind != NNP_FETCH_HASH || s->key2.kind != NNP_FETCH_HASH)
		return fetch_key(ctx, usdt, &s->key);
	if (fetch_addr(ctx, usdt, &s->key, &v) || hash_more(v, &h)) {
		stat_inc(&stats, NNP_STAT_FETCH_ERR);
		return 0;
	}
	h *= FNV_PRIME; /* the 0 byte between the strings: "ab"+"c" is not "a"+"bc" */
	if (!fetch_addr(ctx, usdt, &s->key2, &v))
		hash_more(v, &h); /* unreadable: "" */
	return h ? h : 1;
}

static __always_inline void fetch_str(struct pt_regs *ctx, bool usdt, const struct nnp_fetch *f,
				      char *buf, __u32 len)
{
	__u64 addr;

	buf[0] = 0;
	if (f->kind != NNP_FETCH_STRING)
		return;
	if (fetch_addr(ctx, usdt, f, &addr) ||
	    bpf_probe_read_user_str(buf, len, (void *)addr) < 0) {
		buf[0] = 0;
		stat_inc(&stats, NNP_STAT_FETCH_ERR);
	}
}

/* shape_dims integers of shape.width bytes (4 or 8) at the shape fetch's address */
static __always_inline void fetch_shape(struct pt_regs *ctx, bool usdt, const struct nnp_spec *s,
					struct nnp_name_event *e)
{
	__u64 addr, dims = s->shape_dims;

	e->shape_dims = 0;
	e->pad = 0;
	if (s->rank.kind != NNP_FETCH_NONE) {
		__u64 rank = fetch_key(ctx, usdt, &s->rank);

		if (!rank || rank > 8)
			return;
		dims = rank < dims ? rank : dims;
	}
	if (!dims || fetch_addr(ctx, usdt, &s->shape, &addr))
		return;
	for (int i = 0; i < NNP_SHAPE_DIMS; i++) {
		__s32 v32 = 0;

		e->shape[i] = 0;
		if (i >= dims)
			continue;
		if (s->shape.width == 4
			? bpf_probe_read_user(&v32, 4, (void *)(addr + 4 * i))
			: bpf_probe_read_user(&e->shape[i], 8, (void *)(addr + 8 * i))) {
			stat_inc(&stats, NNP_STAT_FETCH_ERR);
			return;
		}
		if (s->shape.width == 4)
			e->shape[i] = v32;
	}
	e->shape_dims = dims;
}

/* name_seen's tag of NK: never 0, the value of a slot never written */
static __always_inline __u64 name_tag(const struct name_key *nk)
{
	__u64 h = FNV_BASIS;

	h = (h ^ (((__u64)nk->tgid << 32) | nk->probe_id)) * FNV_PRIME;
	h = (h ^ nk->key) * FNV_PRIME;
	h ^= h >> 29;
	return h ? h : 1;
}

/* Names are read once per (process, probe, key): the first begin sends them. */
static __always_inline void send_name(struct pt_regs *ctx, bool usdt, const struct nnp_spec *s,
				      __u32 tgid, __u32 tid, __u64 key)
{
	struct name_key nk = { .tgid = tgid, .probe_id = s->probe_id, .key = key };
	__u64 tag = name_tag(&nk), *seen;
	__u32 slot = tag & (NAME_SEEN_SLOTS - 1);
	struct nnp_name_event *e;
	__u8 one = 1;

	if (s->name.kind != NNP_FETCH_STRING && s->op.kind != NNP_FETCH_STRING && !s->shape_dims &&
	    s->ref.kind != NNP_FETCH_VALUE)
		return;
	seen = bpf_map_lookup_elem(&name_seen, &slot);
	if (seen && *seen == tag)
		return;
	if (bpf_map_lookup_elem(&named, &nk)) {
		if (seen)
			*seen = tag;
		return;
	}
	e = reserve_event(&events, &stats, sizeof(*e), NNP_EV_NAME, tgid, tid, s->probe_id);
	if (!e)
		return;
	e->key = key;
	fetch_str(ctx, usdt, &s->name, e->name, sizeof(e->name));
	fetch_str(ctx, usdt, &s->op, e->op, sizeof(e->op));
	fetch_shape(ctx, usdt, s, e);
	e->ref = 0;
	if (s->ref.kind == NNP_FETCH_VALUE && fetch_addr(ctx, usdt, &s->ref, &e->ref)) {
		e->ref = 0;
		stat_inc(&stats, NNP_STAT_FETCH_ERR);
	}
	/* user space reads what a ref points at while the target still has it */
	bpf_ringbuf_submit(e, e->ref ? BPF_RB_FORCE_WAKEUP : wakeup_flags(&events));
	bpf_map_update_elem(&named, &nk, &one, BPF_ANY);
	if (seen)
		*seen = tag;
}

#define compiler_barrier() asm volatile("" ::: "memory")
#define SNAP_TRIES 4

/* one try at ksnap_take: the thread's own counters and the per-thread sums
 * that sched.bpf.c keeps at its switches */
static __always_inline void ksnap_read(struct thread_state *ts, struct ksnap *s)
{
	struct task_struct *t = bpf_get_current_task_btf();

	s->nvcsw = t->nvcsw;
	s->nivcsw = t->nivcsw;
	s->minflt = t->min_flt;
	s->majflt = t->maj_flt;
	s->run_delay = t->sched_info.run_delay;
	s->migrations = t->se.nr_migrations;
	s->offcpu_ns = ts->sched.offcpu_ns;
	s->fault_ns = ts->sched.fault_ns;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++) {
		if (i >= nr_counters)
			break;
		s->counters[i] = ts->sched.counter_acc[i];
		if (ts->sched.counters_on)
			s->counters[i] += pmu_read(&pmu, i) - ts->sched.counter_in[i];
	}
}

/*
 * The thread runs (its own probe fired), yet sched.bpf.c last saw it leave
 * the CPU: the kernel switched it in without a sched_switch event that showed
 * it (seen on 6.18 under load, about 1 in 300 involuntary switches of a
 * probed thread; bpftrace on the tracepoint sees the same: two switch-outs in
 * a row). Counting restarts here: off-CPU time ends at the task's last arrival
 * on a CPU (sched_info), the counters count from now. Left alone, counting
 * stayed off until the next switch pair and whole layers lost their page
 * faults; resynchronised here, the software counter matched the task counter
 * exactly in every run under load (docs/reliability.md).
 */
static __always_inline void missed_switch_in(struct thread_state *ts)
{
	struct thread_sched *s = &ts->sched;
	__u64 in[NNP_MAX_COUNTERS] = {};
	__u32 seq = *(volatile __u32 *)&s->switches;

	if (s->counters_on || !s->switch_out_ns)
		return;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		if (i < nr_counters)
			in[i] = pmu_read(&pmu, i);
	compiler_barrier();
	if (*(volatile __u32 *)&s->switches != seq)
		return; /* a switch in since: its state is newer */
	offcpu_to_arrival(s, bpf_get_current_task_btf(), &stats);
	s->switch_out_ns = 0;
	s->preempted = 0;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		if (i < nr_counters)
			s->counter_in[i] = in[i];
	s->counters_on = 1;
	s->switches++;
}

/*
 * Cumulative signals of the current thread now. The program may be preempted
 * in the middle (uprobe programs run with only migration disabled): the switch
 * out then moves the counter delta into counter_acc after it was read, and the
 * switch in resets counter_in, so the snapshot could lose the events since the
 * last switch in. Switches bump sched.switches; a snapshot that one cut in two
 * is taken again. Same CPU on both sides, so compiler barriers are enough.
 */
static __always_inline void ksnap_take(struct thread_state *ts, struct ksnap *s)
{
	missed_switch_in(ts);
	for (int try = 0; try < SNAP_TRIES; try++) {
		__u32 seq = *(volatile __u32 *)&ts->sched.switches;

		compiler_barrier();
		ksnap_read(ts, s);
		compiler_barrier();
		if (*(volatile __u32 *)&ts->sched.switches == seq)
			return;
	}
	/* four switches inside a few hundred ns: keep the last try */
}

/* k = what happened between snapshot a and now */
static __always_inline void ksig_since(struct thread_state *ts, const struct ksnap *a,
				       struct nnp_ksig *k)
{
	struct ksnap b = {};

	ksnap_take(ts, &b);
	k->offcpu_ns = b.offcpu_ns - a->offcpu_ns;
	k->runq_ns = b.run_delay - a->run_delay;
	k->fault_ns = b.fault_ns - a->fault_ns;
	k->vcsw = b.nvcsw - a->nvcsw;
	k->ivcsw = b.nivcsw - a->nivcsw;
	k->minflt = b.minflt - a->minflt;
	k->majflt = b.majflt - a->majflt;
	k->migrations = b.migrations - a->migrations;
	k->pad = 0;
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		k->counters[i] = i < nr_counters ? b.counters[i] - a->counters[i] : 0;
}

static __always_inline void emit_layer(struct thread_state *ts, const struct frame *f, __u32 tgid,
				       __u32 tid, __u64 now)
{
	struct nnp_layer_event *e;

	if (ts->infer_depth)
		ts->infer_layers++;
	e = reserve_event(&events, &stats, sizeof(*e), NNP_EV_LAYER, tgid, tid, f->probe_id);
	if (!e)
		return;
	e->key = f->key;
	e->start_ns = f->start_ns;
	e->end_ns = now;
	e->child_ns = f->child_ns;
	e->infer_seq = ts->infer_depth ? ts->infer_seq : 0;
	e->cpu = bpf_get_smp_processor_id();
	e->depth = ts->depth;
	ksig_since(ts, &f->snap, &e->k);
	bpf_ringbuf_submit(e, wakeup_flags_ts(ts, &events));
}

static __always_inline void close_open(struct thread_state *ts, __u32 tgid, __u32 tid, __u64 now)
{
	if (!ts->has_open)
		return;
	ts->has_open = 0;
	emit_layer(ts, &ts->open, tgid, tid, now);
}

static __always_inline struct thread_state *thread_get(__u32 tid)
{
	struct thread_state *ts = bpf_map_lookup_elem(&threads, &tid);
	__u32 zero = 0;

	if (ts)
		return ts;
	ts = bpf_map_lookup_elem(&zero_state, &zero);
	if (!ts)
		return NULL;
	bpf_map_update_elem(&threads, &tid, ts, BPF_NOEXIST);
	ts = bpf_map_lookup_elem(&threads, &tid);
	if (!ts)
		return NULL;
	/* counters count from here; sched.bpf.c keeps them per thread at switches */
	for (int i = 0; i < NNP_MAX_COUNTERS; i++)
		if (i < nr_counters)
			ts->sched.counter_in[i] = pmu_read(&pmu, i);
	ts->sched.counters_on = 1;
	return ts;
}

static __always_inline void infer_begin(struct thread_state *ts, __u64 now)
{
	if (ts->infer_depth++)
		return;
	ts->infer_start = now;
	ts->infer_seq++;
	/* see sampled(): inference i measures the positions p with (i - 1 + p) % N == 0;
	 * inside an open layer (one wrapping the inference) the counter runs on */
	if (!ts->depth)
		ts->sample_ctr = (__u32)ts->infer_seq - 1;
	ts->infer_layers = 0;
	ksnap_take(ts, &ts->infer_snap);
}

static __always_inline void infer_end(struct thread_state *ts, const struct nnp_spec *s, __u32 tgid,
				      __u32 tid, __u64 now)
{
	struct nnp_infer_event *e;

	if (!ts->infer_depth) {
		stat_inc(&stats, NNP_STAT_UNMATCHED);
		return;
	}
	close_open(ts, tgid, tid, now);
	if (--ts->infer_depth)
		return;
	e = reserve_event(&events, &stats, sizeof(*e), NNP_EV_INFER, tgid, tid, s->probe_id);
	if (!e)
		return;
	e->start_ns = ts->infer_start;
	e->end_ns = now;
	e->infer_seq = ts->infer_seq;
	e->layers = ts->infer_layers;
	e->pad = 0;
	ksig_since(ts, &ts->infer_snap, &e->k);
	bpf_ringbuf_submit(e, wakeup_flags_ts(ts, &events));
}

/*
 * --sample N: is this layer call measured? Outermost calls (no open frame)
 * decide by a per-thread counter; nested calls inherit their parent's
 * decision, so a measured layer's child time is complete and an unmeasured
 * subtree reads no clock, counter or name. infer_begin restarts the counter
 * from the inference number: over any N consecutive inferences each layer
 * position is measured exactly once, however many layers an inference runs.
 */
static __always_inline bool sampled(struct thread_state *ts)
{
	__u32 d = ts->depth;

	if (sample_rate <= 1)
		return true;
	if (d)
		return !ts->frames[(d - 1) & (NNP_MAX_DEPTH - 1)].unsampled;
	return ts->sample_ctr++ % sample_rate == 0;
}

/*
 * An unmeasured call only pushes what its end needs to find its frame. An
 * entry-only begin ends the layer open before it at NOW, the hit's first
 * clock read (as an end site's does), and starts its own after that layer's
 * event is written: the probe's own work is in neither layer, as with an
 * end and a begin site.
 */
static __always_inline void layer_begin(struct thread_state *ts, const struct nnp_spec *s,
					__u64 key, __u32 tgid, __u32 tid, bool measure, __u64 now)
{
	struct frame *f;
	__u32 d = ts->depth;

	if (s->flags & NNP_SPEC_ENTRY_ONLY) {
		close_open(ts, tgid, tid, now);
		if (!measure)
			return;
		ts->open.start_ns = bpf_ktime_get_ns();
		ts->open.key = key;
		ts->open.child_ns = 0;
		ts->open.probe_id = s->probe_id;
		ksnap_take(ts, &ts->open.snap);
		ts->has_open = 1;
		return;
	}
	if (d >= NNP_MAX_DEPTH) {
		ts->overflow++;
		stat_inc(&stats, NNP_STAT_OVERFLOW);
		return;
	}
	f = &ts->frames[d & (NNP_MAX_DEPTH - 1)];
	f->key = key;
	f->probe_id = s->probe_id;
	f->skip = 0;
	f->unsampled = !measure;
	ts->depth = d + 1;
	if (!measure)
		return;
	f->start_ns = bpf_ktime_get_ns();
	f->child_ns = 0;
	ksnap_take(ts, &f->snap);
}

/*
 * A `when` that fails: the call is not a layer. With when-cache=thread the
 * answer read at the thread's last call with the same argument value (ggml:
 * &params, whose ith a thread keeps) stands; a read that failed is not kept.
 */
static __always_inline bool when_fails(struct pt_regs *ctx, bool usdt, const struct nnp_spec *s,
				       struct thread_state *ts)
{
	bool cache = s->flags & NNP_SPEC_WHEN_CACHE, failed;
	__u64 base = 0, v;
	int err;

	if (!(s->flags & (NNP_SPEC_WHEN_EQ | NNP_SPEC_WHEN_NE)))
		return false;
	if (cache) {
		base = get_arg(ctx, usdt, s->when.arg);
		if (ts->when_id == s->when_id && ts->when_base == base)
			return ts->when_failed;
	}
	err = fetch_value(ctx, usdt, &s->when, &v);
	failed = (v == s->when_val) != !!(s->flags & NNP_SPEC_WHEN_EQ);
	if (cache && !err) {
		ts->when_id = s->when_id;
		ts->when_base = base;
		ts->when_failed = failed;
	}
	return failed;
}

/* A call with the key of the innermost open layer is that layer again (a
 * dispatcher calling its implementation, recursion): not a second layer */
static __always_inline bool reentry(const struct thread_state *ts, const struct nnp_spec *s,
				    __u64 key)
{
	__u32 d = ts->depth;

	if (!key || s->key.kind == NNP_FETCH_NONE || (s->flags & NNP_SPEC_ENTRY_ONLY) || !d)
		return false;
	return ts->frames[(d - 1) & (NNP_MAX_DEPTH - 1)].key == key;
}

/* A begin that is no layer still gets a frame when a return will come, so
 * that the return pairs with it and nothing else */
static __always_inline void layer_skip(struct thread_state *ts, const struct nnp_spec *s, __u64 key)
{
	struct frame *f;
	__u32 d = ts->depth;

	if (s->flags & NNP_SPEC_ENTRY_ONLY)
		return;
	if (d >= NNP_MAX_DEPTH) {
		ts->overflow++;
		return;
	}
	f = &ts->frames[d & (NNP_MAX_DEPTH - 1)];
	f->key = key;
	f->probe_id = s->probe_id;
	f->skip = 1;
	/* what is called inside follows the sampling of the layer around it */
	f->unsampled = d && ts->frames[(d - 1) & (NNP_MAX_DEPTH - 1)].unsampled;
	ts->depth = d + 1;
}

/* The frame an end closes: the innermost one of the same probe (and key, if
 * the end site reads one); frames above it never saw their end. */
static __always_inline int find_frame(struct thread_state *ts, const struct nnp_spec *s, __u64 key)
{
	__u32 d = ts->depth;

	for (int i = 0; i < NNP_MAX_DEPTH; i++) {
		__u32 slot;

		if (i >= d)
			break;
		slot = (d - 1 - i) & (NNP_MAX_DEPTH - 1);
		if (ts->frames[slot].probe_id != s->probe_id)
			continue;
		if (s->key.kind == NNP_FETCH_VALUE && !(s->flags & NNP_SPEC_RET_KEY) &&
		    ts->frames[slot].key != key)
			continue;
		return slot;
	}
	return -1;
}

/* Pops the frame an end closes: its slot when it is to be emitted (DROP: a
 * `when` read at the return failed, the call is no layer), else -1. With the
 * key read at the return, the frame takes it. */
static __always_inline int layer_end(struct thread_state *ts, const struct nnp_spec *s, __u64 key,
				     bool drop)
{
	struct frame *f;
	int slot;

	if (ts->overflow) {
		ts->overflow--;
		return -1;
	}
	slot = find_frame(ts, s, key);
	if (slot < 0) {
		stat_inc(&stats, NNP_STAT_UNMATCHED);
		return -1;
	}
	if ((__u32)slot + 1 != ts->depth)
		stat_inc(&stats, NNP_STAT_UNMATCHED);
	ts->depth = slot;
	f = &ts->frames[slot & (NNP_MAX_DEPTH - 1)];
	if (f->skip || drop)
		return -1;
	if (f->unsampled)
		return -1; /* nor is its parent measured: no child time to add */
	if (s->flags & NNP_SPEC_RET_KEY)
		f->key = key;
	return slot;
}

static __always_inline void layer_emit(struct thread_state *ts, int slot, __u32 tgid, __u32 tid,
				       __u64 now)
{
	struct frame *f = &ts->frames[slot & (NNP_MAX_DEPTH - 1)];

	emit_layer(ts, f, tgid, tid, now);
	if (slot > 0)
		ts->frames[(slot - 1) & (NNP_MAX_DEPTH - 1)].child_ns += now - f->start_ns;
}

/* a library was loaded: user space rescans the maps now, not at its next poll */
static __always_inline void emit_libload(__u32 tgid, __u32 tid)
{
	struct nnp_event_hdr *e =
	    reserve_event(&events, &stats, sizeof(*e), NNP_EV_LIBLOAD, tgid, tid, 0);

	if (!e)
		return;
	bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
}

static __always_inline bool is_gated(const struct nnp_spec *s)
{
	__u32 id = s->probe_id;
	__u8 *g;

	if (!count_hits)
		return false;
	g = bpf_map_lookup_elem(&gated, &id);
	return g && *g;
}

/*
 * A begin site's hit. The key is read only where it is used: for a measured
 * call, and for an unmeasured one only a VALUE key (a register, mostly), which
 * an end site may match its frame by; a hashed key's two string reads were
 * most of an unmeasured ggml hit (--sample, --overhead-budget). A re-entry
 * needs no test when unmeasured: its frame, skipped or unsampled, ends the
 * same way, measuring nothing.
 */
static __always_inline void begin_hit(struct pt_regs *ctx, bool usdt, const struct nnp_spec *s,
				      struct thread_state *ts, __u32 tgid, __u32 tid, __u64 now)
{
	bool entry_only = s->flags & NNP_SPEC_ENTRY_ONLY, gated, measure;
	__u64 key = 0;

	if (when_fails(ctx, usdt, s, ts)) {
		layer_skip(ts, s, 0);
		return;
	}
	/* gated: no layer; an entry-only one still ends the one open before it */
	gated = is_gated(s);
	measure = !gated && sampled(ts);
	if (!measure) {
		if (!entry_only && s->key.kind == NNP_FETCH_VALUE)
			key = fetch_key(ctx, usdt, &s->key);
		if (gated && !entry_only)
			layer_skip(ts, s, key);
		else
			layer_begin(ts, s, key, tgid, tid, false, now);
		return;
	}
	key = layer_key(ctx, usdt, s);
	if (reentry(ts, s, key)) {
		layer_skip(ts, s, key);
		return;
	}
	send_name(ctx, usdt, s, tgid, tid, key);
	layer_begin(ts, s, key, tgid, tid, true, now);
}

static __always_inline int handle(struct pt_regs *ctx, bool usdt, __u64 cookie)
{
	__u64 id = bpf_get_current_pid_tgid(), now, key = 0;
	__u32 tgid = id >> 32, tid = (__u32)id, idx = (__u32)cookie;
	const struct nnp_spec *s;
	struct thread_state *ts;
	int slot = -1;
	bool drop;

	now = bpf_ktime_get_ns();
	stat_inc(&stats, NNP_STAT_HITS);
	if (count_hits) {
		__u64 *c = bpf_map_lookup_elem(&spec_hits, &idx);

		if (c)
			*c += 1;
	}
	s = bpf_map_lookup_elem(&specs, &idx);
	if (!s)
		return 0;
	if (s->role == NNP_ROLE_LIBLOAD) {
		if (s->flags & NNP_SPEC_STOP)
			bpf_send_signal(19 /* SIGSTOP */);
		emit_libload(tgid, tid);
		return 0;
	}
	ts = thread_get(tid);
	if (!ts)
		return 0;
	/* an entry-only end site (ggml: after the graph loop) ends the layer open here */
	if (s->role == NNP_ROLE_LAYER_END && (s->flags & NNP_SPEC_ENTRY_ONLY)) {
		close_open(ts, tgid, tid, now);
		return 0;
	}
	if (s->role == NNP_ROLE_LAYER_BEGIN) {
		begin_hit(ctx, usdt, s, ts, tgid, tid, now);
		return 0;
	}
	/* a layer's `when` is read at its begin, or (reading ret) at its return */
	drop = s->role == NNP_ROLE_LAYER_END && when_fails(ctx, usdt, s, ts);
	if (s->role == NNP_ROLE_LAYER_END)
		key = layer_key(ctx, usdt, s);
	switch (s->role) {
	case NNP_ROLE_INFER_BEGIN:
		infer_begin(ts, now);
		break;
	case NNP_ROLE_INFER_END:
		infer_end(ts, s, tgid, tid, now);
		break;
	case NNP_ROLE_LAYER_END:
		slot = layer_end(ts, s, key, drop);
		if (slot >= 0)
			key = ts->frames[slot & (NNP_MAX_DEPTH - 1)].key;
		break;
	}
	/* names go before the layer's event; an unmeasured first call leaves them to
	 * the first measured one */
	if (slot >= 0) {
		send_name(ctx, usdt, s, tgid, tid, key);
		layer_emit(ts, slot, tgid, tid, now);
	}
	return 0;
}

SEC("uprobe")
int nnp_uprobe(struct pt_regs *ctx)
{
	return handle(ctx, false, bpf_get_attach_cookie(ctx));
}

/* the twin for uprobe_multi links: session.c loads it with that expected attach
 * type, which a perf-event uprobe refuses, and loads only the twin in use */
SEC("uprobe")
int nnp_uprobe_multi(struct pt_regs *ctx)
{
	return handle(ctx, false, bpf_get_attach_cookie(ctx));
}

SEC("usdt")
int nnp_usdt(struct pt_regs *ctx)
{
	return handle(ctx, true, bpf_usdt_cookie(ctx));
}
