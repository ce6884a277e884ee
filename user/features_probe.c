// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User-space hooks: uprobe, uretprobe, bpf cookie and USDT tries, on targets
 * in nnperf's own binary that this process then calls.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/sdt.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "features.skel.h"
#include "features_try.h"

#define TARGET_ARG 42
#define TARGET_RC (TARGET_ARG * 3 + 1)
#define USDT_ARG 7
#define COOKIE 0x6e6e70657266ULL /* "nnperf" */

/* noinline and called through a volatile pointer: no clone or inlined copy
 * can run instead of the code the uprobe sits on */
__attribute__((noinline, used)) int nnp_doctor_target(int x)
{
	__asm__ volatile("" : "+r"(x));
	return x * 3 + 1;
}

__attribute__((noinline, used)) void nnp_doctor_usdt(int x)
{
	DTRACE_PROBE1(nnperf_doctor, probe, x);
}

static int (*volatile call_target)(int) = nnp_doctor_target;
static void (*volatile call_usdt)(int) = nnp_doctor_usdt;

/* File backing ADDR in this process and ADDR's offset in it, from /proc/self/maps */
static int self_file_offset(const void *addr, char *path, size_t path_len, size_t *off)
{
	uintptr_t a = (uintptr_t)addr;
	char line[PATH_MAX + 128];
	int err = -ENOENT;
	FILE *fp = fopen("/proc/self/maps", "re");

	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long start, end, pgoff;
		int n = 0;

		if (sscanf(line, "%lx-%lx %*s %lx %*s %*u %n", &start, &end, &pgoff, &n) != 3 || !n)
			continue;
		if (a < start || a >= end || line[n] != '/')
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(path, path_len, "%s", line + n);
		*off = a - start + pgoff;
		err = 0;
		break;
	}
	fclose(fp);
	return err;
}

/* Loads PROG, attaches it to nnp_doctor_target and calls the target once */
static int uprobe_run(struct nnp_feature *f, struct nnp_try *t, const char *prog, bool retprobe,
		      __u64 cookie)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe, .bpf_cookie = cookie);
	struct bpf_link *link;
	char path[PATH_MAX];
	size_t off;
	int err = self_file_offset((const void *)nnp_doctor_target, path, sizeof(path), &off);

	if (err) {
		nnp_feat_set(f, NNP_FEAT_NO, -err, "nnp_doctor_target not in /proc/self/maps: %s",
			     strerror(-err));
		return err;
	}
	err = nnp_try_load(f, t, prog);
	if (err)
		return err;
	link = bpf_program__attach_uprobe_opts(t->prog, getpid(), path, off, &opts);
	err = nnp_try_attached(f, t, link);
	if (err)
		return err;
	call_target(TARGET_ARG);
	return 0;
}

void nnp_try_uprobe(struct nnp_feature *f)
{
	struct nnp_try t = {.what = "uprobe on nnp_doctor_target"};
	const struct features_bpf__bss *bss;

	if (uprobe_run(f, &t, "feat_uprobe", false, 0))
		goto cleanup;
	bss = t.skel->bss;
	if (bss->uprobe_hits == 1 && bss->uprobe_arg == TARGET_ARG)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: 1 hit, argument %d", t.what, TARGET_ARG);
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: %llu hits, argument %lld (want 1 hit, %d)",
			     t.what, (unsigned long long)bss->uprobe_hits,
			     (long long)bss->uprobe_arg, TARGET_ARG);
cleanup:
	nnp_try_end_later(&t);
}

void nnp_try_uretprobe(struct nnp_feature *f)
{
	struct nnp_try t = {.what = "uretprobe on nnp_doctor_target"};
	const struct features_bpf__bss *bss;

	if (uprobe_run(f, &t, "feat_uretprobe", true, 0))
		goto cleanup;
	bss = t.skel->bss;
	if (bss->uretprobe_hits == 1 && bss->uretprobe_rc == TARGET_RC)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: 1 hit, return value %d", t.what, TARGET_RC);
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: %llu hits, return value %lld (want 1 hit, %d)",
			     t.what, (unsigned long long)bss->uretprobe_hits,
			     (long long)bss->uretprobe_rc, TARGET_RC);
cleanup:
	nnp_try_end_later(&t);
}

void nnp_try_cookie(struct nnp_feature *f)
{
	struct nnp_try t = {.what = "bpf_get_attach_cookie in a uprobe"};
	const struct features_bpf__bss *bss;

	if (uprobe_run(f, &t, "feat_cookie", false, COOKIE))
		goto cleanup;
	bss = t.skel->bss;
	if (bss->cookie_hits == 1 && bss->cookie_value == COOKIE)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: read back %#llx", t.what, COOKIE);
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: %llu hits, read %#llx (want 1 hit, %#llx)",
			     t.what, (unsigned long long)bss->cookie_hits,
			     (unsigned long long)bss->cookie_value, COOKIE);
cleanup:
	nnp_try_end_later(&t);
}

void nnp_try_usdt(struct nnp_feature *f)
{
	struct nnp_try t = {.what = "USDT nnperf_doctor:probe"};
	const struct features_bpf__bss *bss;
	struct bpf_link *link;
	char path[PATH_MAX];
	size_t off;
	int err = self_file_offset((const void *)nnp_doctor_usdt, path, sizeof(path), &off);

	if (err) {
		nnp_feat_set(f, NNP_FEAT_NO, -err, "cannot find nnperf in /proc/self/maps: %s",
			     strerror(-err));
		goto cleanup;
	}
	if (nnp_try_load(f, &t, "feat_usdt"))
		goto cleanup;
	link = bpf_program__attach_usdt(t.prog, getpid(), path, "nnperf_doctor", "probe", NULL);
	if (nnp_try_attached(f, &t, link))
		goto cleanup;
	call_usdt(USDT_ARG);
	bss = t.skel->bss;
	if (bss->usdt_hits == 1 && bss->usdt_arg == USDT_ARG)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: 1 hit, argument %d", t.what, USDT_ARG);
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: %llu hits, argument %lld (want 1 hit, %d)",
			     t.what, (unsigned long long)bss->usdt_hits, (long long)bss->usdt_arg,
			     USDT_ARG);
cleanup:
	nnp_try_end_later(&t);
}
