// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one place where nnperf picks a mechanism per kernel signal and says what
 * it does instead of a missing feature. Input: the states found by the tries
 * (or a test's filled-in struct); output: policies, fallback/fix texts, can_record.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "features.h"
#include "features_try.h"

#define FAULT_NONE                                                                                 \
	"fault handling time unavailable (page fault counts still exact from task counters)"
#define SCHED_NONE                                                                                 \
	"off-CPU and run-queue time unavailable (context switch counts still exact from task "     \
	"counters)"
#define REQUIRED "none: nnperf cannot record without it"

/* How to get a missing feature; "" where nothing is worth doing */
static const char *const fix_text[NNP_FEAT_NR] = {
	[NNP_FEAT_PRIV] = "run as root, or grant CAP_BPF and CAP_PERFMON "
			  "(setcap cap_bpf,cap_perfmon+ep nnperf)",
	[NNP_FEAT_MEMLOCK] = "raise the limit before nnperf starts (ulimit -l unlimited, or "
			     "LimitMEMLOCK=infinity); raising it needs CAP_SYS_RESOURCE",
	[NNP_FEAT_BTF] = "use a kernel built with CONFIG_DEBUG_INFO_BTF=y "
			 "(/sys/kernel/btf/vmlinux)",
	[NNP_FEAT_BPFFS] = "mount -t bpf bpf /sys/fs/bpf",
	[NNP_FEAT_TRACEFS] = "mount -t tracefs tracefs /sys/kernel/tracing",
	[NNP_FEAT_RINGBUF] = "use a kernel with BPF ring buffers (BPF_MAP_TYPE_RINGBUF)",
	[NNP_FEAT_UPROBE] = "use a kernel built with CONFIG_UPROBE_EVENTS=y",
	[NNP_FEAT_COOKIE] = "use a kernel whose uprobe programs can call bpf_get_attach_cookie",
	[NNP_FEAT_UPROBE_MULTI] = "use Linux 6.6 or later (BPF_TRACE_UPROBE_MULTI links)",
};

const char *nnp_feat_fix(enum nnp_feat_id id)
{
	return fix_text[id] ? fix_text[id] : "";
}

static bool have(const struct nnp_features *f, enum nnp_feat_id id)
{
	return f->f[id].state == NNP_FEAT_YES;
}

/* Refused for lack of privileges, not for lack of kernel support */
/* Refused by bpf() or perf for lack of privileges, not for lack of kernel support
 * (memlock's EPERM comes from setrlimit and has its own fix) */
static bool denied(const struct nnp_features *f, enum nnp_feat_id id)
{
	int err = f->f[id].err;

	return id != NNP_FEAT_PRIV && id != NNP_FEAT_MEMLOCK &&
	       f->f[NNP_FEAT_PRIV].state != NNP_FEAT_YES && (err == EPERM || err == EACCES);
}

static void choose_policies(struct nnp_features *f)
{
	f->sched = have(f, NNP_FEAT_TP_BTF)   ? NNP_SCHED_TP_BTF
		   : have(f, NNP_FEAT_RAW_TP) ? NNP_SCHED_RAW_TP
					      : NNP_SCHED_NONE;
	f->fault = have(f, NNP_FEAT_FENTRY)   ? NNP_FAULT_FENTRY
		   : have(f, NNP_FEAT_KPROBE) ? NNP_FAULT_KPROBE
					      : NNP_FAULT_NONE;
	f->uprobes = have(f, NNP_FEAT_UPROBE_MULTI) ? NNP_UPROBES_MULTI : NNP_UPROBES_PER_SITE;
	f->counters = have(f, NNP_FEAT_PERF_HW)	  ? NNP_COUNTERS_HW
		      : have(f, NNP_FEAT_PERF_SW) ? NNP_COUNTERS_SW_ONLY
						  : NNP_COUNTERS_NONE;
}

static const char *hw_fallback(const struct nnp_features *f)
{
	const struct nnp_feature *hw = &f->f[NNP_FEAT_PERF_HW];
	bool sw = f->counters == NNP_COUNTERS_SW_ONLY;

	if (hw->state == NNP_FEAT_FORCED_OFF)
		return sw ? "cache misses, instructions, cycles shown as n/a (forced); "
			    "software events still used"
			  : "cache misses, instructions, cycles shown as n/a (forced)";
	if (hw->err == ENOENT || hw->err == EOPNOTSUPP)
		return sw ? "cache misses, instructions, cycles shown as n/a: no hardware PMU; "
			    "software events still used"
			  : "cache misses, instructions, cycles shown as n/a: no hardware PMU";
	return sw ? "cache misses, instructions, cycles shown as n/a; software events still used"
		  : "cache misses, instructions, cycles shown as n/a";
}

/* What nnperf does without feature ID, given the policies already chosen */
static const char *fallback_text(const struct nnp_features *f, enum nnp_feat_id id)
{
	switch (id) {
	case NNP_FEAT_BPFFS:
		return "not needed: nnperf pins nothing";
	case NNP_FEAT_TRACEFS:
		return "not needed: uprobes attach through the perf uprobe PMU";
	case NNP_FEAT_URETPROBE:
		return "entry-only layer timing: the next layer's begin ends the previous one";
	case NNP_FEAT_USDT:
		return "USDT markers skipped; runtime functions are probed with uprobes";
	case NNP_FEAT_COOKIE:
		return "none: each uprobe's cookie selects its probe spec in the shared BPF "
		       "programs; nnperf cannot record without it";
	case NNP_FEAT_UPROBE_MULTI:
		return "one perf-event link per uprobe site: releasing each waits for the kernel "
		       "(~100 ms a site here)";
	case NNP_FEAT_TP_BTF:
		return f->sched == NNP_SCHED_RAW_TP ? "raw_tp/sched_switch" : SCHED_NONE;
	case NNP_FEAT_RAW_TP:
		return f->sched == NNP_SCHED_TP_BTF ? "not needed: tp_btf/sched_switch is used"
						    : SCHED_NONE;
	case NNP_FEAT_FENTRY:
		return f->fault == NNP_FAULT_KPROBE ? "kprobe/kretprobe on handle_mm_fault"
						    : FAULT_NONE;
	case NNP_FEAT_KPROBE:
		return f->fault == NNP_FAULT_FENTRY
			   ? "not needed: fentry/fexit on handle_mm_fault is used"
			   : FAULT_NONE;
	case NNP_FEAT_PERF_HW:
		return hw_fallback(f);
	case NNP_FEAT_PERF_SW:
		return f->counters == NNP_COUNTERS_HW
			   ? "not needed: hardware events are used"
			   : "no perf counters; context switches and page faults still come "
			     "from task counters";
	default:
		return REQUIRED;
	}
}

void nnp_features_decide(struct nnp_features *f)
{
	choose_policies(f);
	f->can_record = true;
	for (int i = 0; i < NNP_FEAT_NR; i++) {
		struct nnp_feature *ft = &f->f[i];

		if (ft->state == NNP_FEAT_YES) {
			ft->fallback[0] = '\0';
			continue;
		}
		if (ft->required)
			f->can_record = false;
		snprintf(ft->fallback, sizeof(ft->fallback), "%s", fallback_text(f, i));
		if (ft->state == NNP_FEAT_FORCED_OFF)
			snprintf(ft->fix, sizeof(ft->fix), "unset NNPERF_FORCE");
		else if (denied(f, i))
			snprintf(ft->fix, sizeof(ft->fix), "%s",
				 ft->required ? "get the privileges first (see privileges)" : "");
		else if (!ft->fix[0] && fix_text[i])
			snprintf(ft->fix, sizeof(ft->fix), "%s", fix_text[i]);
	}
}
