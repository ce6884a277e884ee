/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What this kernel supports, found by trying (load a tiny program, attach it,
 * open an event), and the one place where each fallback is chosen.
 * NNPERF_FORCE (comma list: no-tp-btf, no-fentry, no-kprobe, no-pmu, no-usdt,
 * no-cookie, no-uprobe-multi) makes detection report a feature as missing, so tests can force
 * every fallback on any machine; doctor shows "forced".
 */
#ifndef NNP_FEATURES_H
#define NNP_FEATURES_H

#include <stdbool.h>
#include <stddef.h>

enum nnp_feat_id {
	NNP_FEAT_PRIV,	  /* CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN */
	NNP_FEAT_MEMLOCK, /* RLIMIT_MEMLOCK could be raised (or memcg accounting) */
	NNP_FEAT_BTF,	  /* /sys/kernel/btf/vmlinux loads */
	NNP_FEAT_BPFFS,	  /* /sys/fs/bpf mounted */
	NNP_FEAT_TRACEFS, /* /sys/kernel/tracing mounted */
	NNP_FEAT_RINGBUF,
	NNP_FEAT_UPROBE,
	NNP_FEAT_URETPROBE,
	NNP_FEAT_USDT,
	NNP_FEAT_COOKIE,       /* bpf_get_attach_cookie in uprobes */
	NNP_FEAT_UPROBE_MULTI, /* uprobe_multi links (6.6+): many sites, one link */
	NNP_FEAT_TP_BTF,
	NNP_FEAT_RAW_TP,
	NNP_FEAT_FENTRY,
	NNP_FEAT_KPROBE,
	NNP_FEAT_PERF_HW, /* hardware PMU events */
	NNP_FEAT_PERF_SW, /* software perf events */
	NNP_FEAT_NR,
};

enum nnp_feat_state {
	NNP_FEAT_UNKNOWN = 0,
	NNP_FEAT_YES,
	NNP_FEAT_NO,
	NNP_FEAT_FORCED_OFF, /* present but disabled through NNPERF_FORCE */
};

struct nnp_feature {
	const char *name; /* "uprobes", "hardware perf events", ... */
	enum nnp_feat_state state;
	int err;	    /* errno of the failed try, 0 if none */
	bool required;	    /* nnperf cannot record without it */
	char detail[192];   /* what was tried and what happened */
	char fallback[192]; /* what nnperf uses instead ("" if nothing needed) */
	char fix[192];	    /* how to fix it, for required features */
};

/* Fallback policies: chosen once in nnp_features_detect */
/* zero is "none", so options left zeroed attach nothing by surprise */
enum nnp_sched_attach { NNP_SCHED_NONE, NNP_SCHED_TP_BTF, NNP_SCHED_RAW_TP };
enum nnp_fault_attach { NNP_FAULT_NONE, NNP_FAULT_FENTRY, NNP_FAULT_KPROBE };
enum nnp_counter_source { NNP_COUNTERS_HW, NNP_COUNTERS_SW_ONLY, NNP_COUNTERS_NONE };
/* multi: one link per (file, process, entry or return); per site: one perf-event link each */
enum nnp_uprobe_attach { NNP_UPROBES_PER_SITE, NNP_UPROBES_MULTI };

/* Each hardware event is tried on its own: a PMU may count cycles and
 * instructions and have no cache-miss event (qemu's arm64 -cpu max). */
#define NNP_HW_EVENTS 8

struct nnp_hw_event {
	const char *name; /* "cycles", "cache-misses"; NULL past the last */
	int err;	  /* 0 when it opens, else the errno of perf_event_open */
	char why[64];	  /* "" or "this PMU has no cache-misses event" */
};

struct nnp_features {
	struct nnp_feature f[NNP_FEAT_NR];
	struct nnp_hw_event hw[NNP_HW_EVENTS]; /* tried with NNP_FEAT_PERF_HW */
	enum nnp_sched_attach sched;
	enum nnp_fault_attach fault;
	enum nnp_counter_source counters;
	enum nnp_uprobe_attach uprobes;
	bool can_record; /* every required feature is present */
};

/* Raises RLIMIT_MEMLOCK and routes libbpf messages to -v; 0 or -errno
 * (0 also when the limit stays but is not enforced: memcg accounting) */
int nnp_sys_prepare(void);
/* Tries everything; 0 even when features are missing (see can_record) */
int nnp_features_detect(struct nnp_features *f);
/* Only the tries behind the policies (scheduler hooks, fault timing,
 * counters), for record; can_record is not meaningful afterwards */
int nnp_features_detect_policies(struct nnp_features *f);
/* Quick check of what `record` needs (privileges, BTF, uprobes, ringbuf): 0 or
 * -errno after printing one error line with the fix */
int nnp_features_require_record(void);
/* NAME is a feature's name ("tp_btf", "hardware perf events") or an
 * NNPERF_FORCE word with or without "no-" ("no-pmu", "pmu", "tp-btf") */
bool nnp_feature_forced_off(const char *name);

/* The pieces of nnp_features_detect, public so that tests can drive the
 * policy choice from a filled-in struct. */
/* Names and required flags, every state NNP_FEAT_UNKNOWN */
void nnp_features_init(struct nnp_features *f);
/* Bit (1u << id) per feature that LIST (NNPERF_FORCE syntax) turns off;
 * unknown words are copied, comma-separated, into UNKNOWN (may be NULL) */
unsigned int nnp_force_parse(const char *list, char *unknown, size_t unknown_len);
/* Turns features in MASK that were found present into NNP_FEAT_FORCED_OFF */
void nnp_features_apply_force(struct nnp_features *f, unsigned int mask);
/* Chooses the policies, fills fallback and fix texts, sets can_record */
void nnp_features_decide(struct nnp_features *f);
/* Sums up F->hw[] (already tried) into the NNP_FEAT_PERF_HW feature: present
 * when any event opens; the detail names what opened and what this PMU lacks */
void nnp_features_sum_hw(struct nnp_features *f);

/* strerror(ERR) (either sign); the kernel-internal ENOTSUPP (524) and its
 * neighbours by name and meaning rather than "Unknown error 524" */
const char *nnp_feat_errstr(int err);
const char *nnp_feat_state_str(enum nnp_feat_state s);	       /* "yes", "forced off" */
const char *nnp_sched_attach_str(enum nnp_sched_attach a);     /* "tp_btf", "none" */
const char *nnp_fault_attach_str(enum nnp_fault_attach a);     /* "fentry", "kprobe" */
const char *nnp_counter_source_str(enum nnp_counter_source c); /* "software only" */
const char *nnp_uprobe_attach_str(enum nnp_uprobe_attach a);   /* "uprobe_multi" */

#endif
