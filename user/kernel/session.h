/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A loaded layer.bpf.c: its spec table, its links and its ring buffer.
 * Lifecycle: open (open, size maps, load) -> add specs -> attach -> poll -> close.
 */
#ifndef NNP_SESSION_H
#define NNP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "counters.h"
#include "features.h"
#include "nnperf_abi.h"

#define NNP_DEFAULT_RINGBUF (4u << 20)

struct nnp_session;

struct nnp_session_opts {
	uint32_t ringbuf_bytes;	     /* power of two >= page size; 0 = NNP_DEFAULT_RINGBUF */
	uint32_t max_specs;	     /* 0 = NNP_DEFAULT_SPECS */
	enum nnp_sched_attach sched; /* scheduler hooks: off-CPU time, preemptions */
	enum nnp_fault_attach fault; /* fault handling time */
	const struct nnp_counters *counters; /* open perf counters, or NULL */
	uint32_t sample;   /* measure one outermost layer call in N (--sample); 0, 1 = every call */
	bool uprobe_multi; /* uprobes through uprobe_multi links (features.h uprobes policy) */
	/* --overhead-budget: hits counted per spec, and each layer probe's links kept
	 * apart (one probe, begins or ends) and re-attachable (nnp_session_toggle) */
	bool budget;
};

struct bpf_link;
struct nnp_link_recipe; /* what makes a link again (session_toggle.c) */
/* one attachment: a libbpf link, or the fd of a link libbpf cannot make (uprobe_multi) */
struct nnp_link {
	struct bpf_link *link;
	int fd;				/* -1 with link; both unset: detached, recipe kept */
	struct nnp_link_recipe *recipe; /* owned; NULL: not re-attachable */
};

typedef int (*nnp_event_cb)(void *ctx, void *data, size_t size);

int nnp_session_open(const struct nnp_session_opts *opts, nnp_event_cb cb, void *ctx,
		     struct nnp_session **out);
void nnp_session_close(struct nnp_session *s);

/* stores a spec; *idx is the cookie its sites carry. 0, -ENOSPC */
int nnp_session_add_spec(struct nnp_session *s, const struct nnp_spec *spec, uint32_t *idx);
int nnp_session_attach_uprobe(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			      uint64_t file_off, bool retprobe);
/* the session attaches uprobes through uprobe_multi links */
bool nnp_session_uprobe_multi(const struct nnp_session *s);
/* N sites of PATH (file offsets OFFS, BPF cookies COOKIES) as one uprobe_multi link; only
 * when nnp_session_uprobe_multi. 0 or -errno */
int nnp_session_attach_uprobes(struct nnp_session *s, pid_t pid, const char *path,
			       const uint64_t *offs, const uint64_t *cookies, size_t n,
			       bool retprobe);
int nnp_session_attach_usdt(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			    const char *provider, const char *name);
/* destroys links without waiting for the kernel to release each uprobe
 * (a detached child holds the last references; see session.c) */
void nnp_links_destroy(struct nnp_link *links, size_t n);
/* a probe id unique in this session (all planners share the aggregator) */
uint32_t nnp_session_new_probe_id(struct nnp_session *s);
size_t nnp_session_links(const struct nnp_session *s);
/*
 * The links attached since nnp_session_links() returned `first` leave the
 * session: the caller owns them (nnp_links_destroy, free *out), so one
 * target of many can be detached when it exits. 0, -EINVAL, -ENOMEM.
 */
int nnp_session_take_links(struct nnp_session *s, size_t first, struct nnp_link **out, size_t *n);
/* specs stored, and what slot IDX holds (NULL past them) */
uint32_t nnp_session_nspecs(const struct nnp_session *s);
const struct nnp_spec *nnp_session_spec(const struct nnp_session *s, uint32_t idx);
/* with opts.budget: hits of specs 0..N-1 since open, summed over CPUs; 0 or -errno */
int nnp_session_spec_hits(const struct nnp_session *s, uint64_t *out, uint32_t n);

/* what one hit of a site costs the target, cheapest first: the budget prices
 * hits by the dearest site of each spec (docs/performance.md) */
enum nnp_site_cost {
	NNP_COST_UNKNOWN,
	NNP_COST_RETURN,   /* a uretprobe's return */
	NNP_COST_EMULATED, /* an instruction the kernel emulates (a USDT marker's nop) */
	NNP_COST_STEPPED,  /* one it single-steps out of line */
};
/* the planner tells where it put a uprobe (uretprobes and USDT the session knows) */
void nnp_session_site_cost(struct nnp_session *s, uint32_t idx, enum nnp_site_cost c);
enum nnp_site_cost nnp_session_spec_cost(const struct nnp_session *s, uint32_t idx);

enum nnp_link_part {
	NNP_LINKS_BEGINS, /* a layer's begin sites */
	NNP_LINKS_ENDS,	  /* its end sites (uretprobes, end markers) */
};
/*
 * With opts.budget: the links of the layer probes IDS[0..N) that carry PART
 * are detached (ON false: released in the background, recipe kept) or
 * attached again (ON true). Detach begins before ends and attach ends before
 * begins, so a call in flight meets at worst an end without a begin.
 * 0 or the first error (the other links are still done).
 */
int nnp_session_toggle(struct nnp_session *s, const uint32_t *ids, size_t n,
		       enum nnp_link_part part, bool on);
/* the same over links taken out of the session (nnp_session_take_links) */
int nnp_links_toggle(struct nnp_session *s, struct nnp_link *links, size_t nlinks,
		     const uint32_t *ids, size_t n, enum nnp_link_part part, bool on);

/* with opts.budget: the begins of layer probes IDS[0..N) measure nothing while
 * GATED (they still pair their ends); 0 or -errno (-E2BIG: a probe id past the table) */
int nnp_session_gate(struct nnp_session *s, const uint32_t *ids, size_t n, bool gated);

/* pollable when events are ready: poll it, then nnp_session_drain */
int nnp_session_fd(const struct nnp_session *s);
/* kernel BPF statistics of each loaded program; counted only while
 * bpf_enable_stats(BPF_STATS_RUN_TIME) is held somewhere (0 otherwise) */
typedef int (*nnp_prog_stats_cb)(void *ctx, const char *prog, uint64_t run_ns, uint64_t run_cnt);
int nnp_session_prog_stats(const struct nnp_session *s, nnp_prog_stats_cb cb, void *ctx);

/* events go to cb; returns events consumed or -errno (-EINTR is not an error) */
int nnp_session_poll(struct nnp_session *s, int timeout_ms);
int nnp_session_drain(struct nnp_session *s);
/* sums of the per-CPU BPF counters (enum nnp_stat) */
int nnp_session_stats(const struct nnp_session *s, uint64_t out[NNP_STAT_NR]);
uint32_t nnp_session_ringbuf_bytes(const struct nnp_session *s);

#endif
