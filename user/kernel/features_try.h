/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Private to kernel/features*.c: the individual tries behind nnp_features_detect.
 * Each fills one struct nnp_feature (state, err, detail, maybe fix) from what
 * actually happened; none of them decides policies.
 */
#ifndef NNP_FEATURES_TRY_H
#define NNP_FEATURES_TRY_H

#include "features.h"
#include "log.h"

void nnp_feat_set(struct nnp_feature *f, enum nnp_feat_state state, int err, const char *fmt, ...)
    NNP_PRINTF(4, 5);

/* features_policy.c: how to get feature ID, "" if nothing is worth doing */
const char *nnp_feat_fix(enum nnp_feat_id id);

/* features_sys.c: privileges, limits, mounts, perf events */
void nnp_try_privileges(struct nnp_feature *f);
void nnp_try_memlock(struct nnp_feature *f);
void nnp_try_btf(struct nnp_feature *f);
void nnp_try_bpffs(struct nnp_feature *f);
void nnp_try_tracefs(struct nnp_feature *f);
/* fills F->hw[] and F->f[NNP_FEAT_PERF_HW] */
void nnp_try_perf_hw(struct nnp_features *f);
void nnp_try_perf_sw(struct nnp_feature *f);

/*
 * features_bpf.c: one program of bpf/features.bpf.c loaded alone, attached,
 * triggered and read back; the teardown happens on a thread of its own because
 * detaching waits for the kernel, and nnp_try_settle joins them all.
 */
struct features_bpf;
struct bpf_program;
struct bpf_link;

struct nnp_try {
	struct features_bpf *skel;
	struct bpf_program *prog;
	struct bpf_link *link;
	int link_fd; /* a raw link (uprobe_multi), when has_fd */
	bool has_fd;
	unsigned int attach_type; /* expected attach type to load with; 0: the section's */
	const char *what;	  /* the hook, as the detail names it */
};

/* Loads only program NAME; on failure fills F and returns -errno */
int nnp_try_load(struct nnp_feature *f, struct nnp_try *t, const char *name);
/* Takes LINK (NULL with errno set on failure); on failure fills F, returns -errno */
int nnp_try_attached(struct nnp_feature *f, struct nnp_try *t, struct bpf_link *link);
/* Detaches and frees T's link and skeleton, possibly later: see nnp_try_settle */
void nnp_try_end_later(struct nnp_try *t);
/* Waits until every try has detached and freed what it loaded */
void nnp_try_settle(void);

void nnp_try_ringbuf(struct nnp_feature *f);

/* features_probe.c: user-space hooks */
void nnp_try_uprobe(struct nnp_feature *f);
void nnp_try_uretprobe(struct nnp_feature *f);
void nnp_try_cookie(struct nnp_feature *f);
void nnp_try_usdt(struct nnp_feature *f);
/* features_multi.c */
void nnp_try_uprobe_multi(struct nnp_feature *f);

/* features_kernel.c: kernel hooks */
void nnp_try_tp_btf(struct nnp_feature *f);
void nnp_try_raw_tp(struct nnp_feature *f);
void nnp_try_fentry(struct nnp_feature *f);
void nnp_try_kprobe(struct nnp_feature *f);

/* Trigger sites in nnperf's own binary; not static so that they keep a symbol */
int nnp_doctor_target(int x);
void nnp_doctor_usdt(int x);

#endif
