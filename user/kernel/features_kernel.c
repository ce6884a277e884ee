// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Kernel-side hooks: sched_switch through tp_btf and raw_tp, and the fault
 * timing candidates fentry and kprobe, all triggered by this process sleeping.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "features.skel.h"
#include "features_try.h"

/* Sleeps until the hook counts a hit: sleeping switches this thread out
 * (sched_switch) and enters do_nanosleep (fentry, kprobe) */
static __u64 sleep_until_hit(const volatile __u64 *hits)
{
	for (int i = 0; i < 5 && !*hits; i++)
		usleep(1000);
	return *hits;
}

/* Loads PROG, attaches it where its section says and sleeps until it fires */
static void kernel_hook_try(struct nnp_feature *f, const char *prog, const char *what,
			    __u64 *(*hits)(struct features_bpf__bss *bss), const char *hint)
{
	struct nnp_try t = { .what = what };
	__u64 n;

	if (nnp_try_load(f, &t, prog))
		goto cleanup;
	if (nnp_try_attached(f, &t, bpf_program__attach(t.prog))) {
		if (hint) {
			size_t used = strlen(f->detail);

			snprintf(f->detail + used, sizeof(f->detail) - used, " (%s)", hint);
		}
		goto cleanup;
	}
	n = sleep_until_hit(hits(t.skel->bss));
	if (n)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: %llu hit%s from usleep(1000)", what,
			     (unsigned long long)n, n == 1 ? "" : "s");
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: attached but never fired in 5 x usleep(1000)",
			     what);
cleanup:
	nnp_try_end_later(&t);
}

static __u64 *tp_btf_hits(struct features_bpf__bss *b)
{
	return &b->tp_btf_hits;
}

static __u64 *raw_tp_hits(struct features_bpf__bss *b)
{
	return &b->raw_tp_hits;
}

static __u64 *fentry_hits(struct features_bpf__bss *b)
{
	return &b->fentry_hits;
}

static __u64 *kprobe_hits(struct features_bpf__bss *b)
{
	return &b->kprobe_hits;
}

void nnp_try_tp_btf(struct nnp_feature *f)
{
	kernel_hook_try(f, "feat_tp_btf", "tp_btf/sched_switch", tp_btf_hits, NULL);
}

void nnp_try_raw_tp(struct nnp_feature *f)
{
	kernel_hook_try(f, "feat_raw_tp", "raw_tp/sched_switch", raw_tp_hits, NULL);
}

void nnp_try_fentry(struct nnp_feature *f)
{
	kernel_hook_try(f, "feat_fentry", "fentry/do_nanosleep", fentry_hits, NULL);
}

void nnp_try_kprobe(struct nnp_feature *f)
{
	/* what the failure looks like from here, not a guess from the version */
	const char *hint = access("/sys/bus/event_source/devices/kprobe", F_OK)
			       ? "no /sys/bus/event_source/devices/kprobe: kernel without "
				 "CONFIG_KPROBES?"
			       : NULL;

	kernel_hook_try(f, "feat_kprobe", "kprobe/do_nanosleep", kprobe_hits, hint);
}
