// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * User-space hooks: uprobe, uretprobe, bpf cookie, uprobe_multi and USDT tries, on targets
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
#include "uprobe_multi.h"

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

/* where FN (named WHAT) is in nnperf's own file; the feature says why not */
static int self_site(struct nnp_feature *f, const void *fn, const char *what, char *path,
		     size_t len, size_t *off)
{
	int err = self_file_offset(fn, path, len, off);

	if (err)
		nnp_feat_set(f, NNP_FEAT_NO, -err, "%s not in /proc/self/maps: %s", what,
			     strerror(-err));
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
	int err = self_site(f, (const void *)nnp_doctor_target, "nnp_doctor_target", path,
			    sizeof(path), &off);

	if (err)
		return err;
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

/* One uprobe try: its program, how it attaches, and where it reports a hit. */
struct uprobe_try {
	const char *what;
	const char *prog;
	bool retprobe;
	__u64 cookie;
	const char *value_is; /* "argument", "return value", "read back" */
	bool hex;
	long long want;
	/* hits and value the program wrote */
	void (*read)(const struct features_bpf__bss *bss, __u64 *hits, long long *value);
};

/* the verdict of a uprobe try: one hit that saw the value wanted */
static void judge(struct nnp_feature *f, const struct uprobe_try *u, __u64 hits, long long value)
{
	char got[24], want[24];

	snprintf(got, sizeof(got), u->hex ? "%#llx" : "%lld", value);
	snprintf(want, sizeof(want), u->hex ? "%#llx" : "%lld", u->want);
	if (hits == 1 && value == u->want)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "%s: 1 hit, %s %s", u->what, u->value_is, want);
	else
		nnp_feat_set(f, NNP_FEAT_NO, 0, "%s: %llu hits, %s %s (want 1 hit, %s)", u->what,
			     (unsigned long long)hits, u->value_is, got, want);
}

static void run_uprobe_try(struct nnp_feature *f, const struct uprobe_try *u)
{
	struct nnp_try t = { .what = u->what };
	long long value;
	__u64 hits;

	if (uprobe_run(f, &t, u->prog, u->retprobe, u->cookie))
		goto cleanup;
	u->read(t.skel->bss, &hits, &value);
	judge(f, u, hits, value);
cleanup:
	nnp_try_end_later(&t);
}

static void read_uprobe(const struct features_bpf__bss *bss, __u64 *hits, long long *value)
{
	*hits = bss->uprobe_hits;
	*value = bss->uprobe_arg;
}

static void read_uretprobe(const struct features_bpf__bss *bss, __u64 *hits, long long *value)
{
	*hits = bss->uretprobe_hits;
	*value = bss->uretprobe_rc;
}

static void read_cookie(const struct features_bpf__bss *bss, __u64 *hits, long long *value)
{
	*hits = bss->cookie_hits;
	*value = (long long)bss->cookie_value;
}

void nnp_try_uprobe(struct nnp_feature *f)
{
	static const struct uprobe_try u = { "uprobe on nnp_doctor_target",
					     "feat_uprobe",
					     false,
					     0,
					     "argument",
					     false,
					     TARGET_ARG,
					     read_uprobe };

	run_uprobe_try(f, &u);
}

void nnp_try_uretprobe(struct nnp_feature *f)
{
	static const struct uprobe_try u = { "uretprobe on nnp_doctor_target",
					     "feat_uretprobe",
					     true,
					     0,
					     "return value",
					     false,
					     TARGET_RC,
					     read_uretprobe };

	run_uprobe_try(f, &u);
}

void nnp_try_cookie(struct nnp_feature *f)
{
	static const struct uprobe_try u = { "bpf_get_attach_cookie in a uprobe",
					     "feat_cookie",
					     false,
					     COOKIE,
					     "read back",
					     true,
					     COOKIE,
					     read_cookie };

	run_uprobe_try(f, &u);
}

/* one offset, one cookie, through the raw link libbpf 1.1 cannot make */
void nnp_try_uprobe_multi(struct nnp_feature *f)
{
	static const struct uprobe_try u = { .what = "uprobe_multi link on nnp_doctor_target",
					     .value_is = "cookie",
					     .hex = true,
					     .want = COOKIE };
	struct nnp_try t = { .what = u.what, .attach_type = NNP_TRACE_UPROBE_MULTI };
	uint64_t off, cookie = COOKIE;
	char path[PATH_MAX];
	size_t soff;
	int fd;

	if (self_site(f, (const void *)nnp_doctor_target, "nnp_doctor_target", path, sizeof(path),
		      &soff) ||
	    nnp_try_load(f, &t, "feat_uprobe_multi"))
		goto cleanup;
	off = soff;
	fd =
	    nnp_uprobe_multi_link(bpf_program__fd(t.prog), path, &off, &cookie, 1, getpid(), false);
	if (fd < 0) {
		nnp_feat_set(f, NNP_FEAT_NO, -fd, "%s: link failed: %s", t.what,
			     nnp_feat_errstr(fd));
		goto cleanup;
	}
	t.link_fd = fd;
	t.has_fd = true;
	call_target(TARGET_ARG);
	judge(f, &u, t.skel->bss->multi_hits, (long long)t.skel->bss->multi_cookie);
cleanup:
	nnp_try_end_later(&t);
}

void nnp_try_usdt(struct nnp_feature *f)
{
	struct nnp_try t = { .what = "USDT nnperf_doctor:probe" };
	const struct features_bpf__bss *bss;
	struct bpf_link *link;
	char path[PATH_MAX];
	size_t off;

	if (self_site(f, (const void *)nnp_doctor_usdt, "nnp_doctor_usdt", path, sizeof(path),
		      &off) ||
	    nnp_try_load(f, &t, "feat_usdt"))
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
