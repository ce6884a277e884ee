// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Tries that need no BPF program: capabilities, RLIMIT_MEMLOCK, kernel BTF,
 * the bpf and tracing filesystems and perf events.
 */
#include <errno.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/perf_event.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "counters.h"
#include "features_try.h"
#include "log.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t len;

	/* libbpf's debug stream is huge (every relocation): only at -vv */
	if (nnp_log_verbose() < (level == LIBBPF_DEBUG ? 2 : 1))
		return 0;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	len = strlen(msg);
	while (len && msg[len - 1] == '\n')
		msg[--len] = '\0';
	nnp_info("%s", msg);
	return 0;
}

static int raise_memlock(void)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	return setrlimit(RLIMIT_MEMLOCK, &rl) ? -errno : 0;
}

/* Beyond this, a limit that stays is plenty, and trying past it costs memory */
#define MEMLOCK_PLENTY (256ULL << 20)

/*
 * Kernels that charge BPF memory to the memory cgroup ignore RLIMIT_MEMLOCK:
 * a map bigger than the limit that still gets created proves it.
 */
static int map_beyond_limit(rlim_t limit)
{
	__u32 entries = (__u32)(limit / 4096) + 256;
	int fd;

	if (limit == RLIM_INFINITY || limit >= MEMLOCK_PLENTY)
		return 0;
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "nnp_feat_mlock", 4, 4096, entries, NULL);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* Fails only when BPF memory is really limited: a limit that cannot be raised
 * (no CAP_SYS_RESOURCE) does not matter under memcg accounting */
int nnp_sys_prepare(void)
{
	struct rlimit rl;
	int err;

	libbpf_set_print(libbpf_print);
	err = raise_memlock();
	if (!err)
		return 0;
	if (getrlimit(RLIMIT_MEMLOCK, &rl))
		return -errno;
	return map_beyond_limit(rl.rlim_cur) ? err : 0;
}

static bool cap_has(const struct __user_cap_data_struct *d, int cap)
{
	return d[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

void nnp_try_privileges(struct nnp_feature *f)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};
	bool bpf, perfmon;

	if (syscall(SYS_capget, &hdr, d)) {
		nnp_feat_set(f, NNP_FEAT_NO, errno, "capget failed: %s", strerror(errno));
		return;
	}
	bpf = cap_has(d, CAP_BPF);
	perfmon = cap_has(d, CAP_PERFMON);
	if (cap_has(d, CAP_SYS_ADMIN))
		nnp_feat_set(f, NNP_FEAT_YES, 0, "CAP_SYS_ADMIN%s%s", bpf ? ", CAP_BPF" : "",
			     perfmon ? ", CAP_PERFMON" : "");
	else if (bpf && perfmon)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "CAP_BPF, CAP_PERFMON");
	else
		nnp_feat_set(f, NNP_FEAT_NO, EPERM, "missing %s%s%s; no CAP_SYS_ADMIN",
			     bpf ? "" : "CAP_BPF", !bpf && !perfmon ? ", " : "",
			     perfmon ? "" : "CAP_PERFMON");
}

void nnp_try_memlock(struct nnp_feature *f)
{
	struct rlimit rl = {};
	int err = raise_memlock();

	if (!err) {
		nnp_feat_set(f, NNP_FEAT_YES, 0, "RLIMIT_MEMLOCK raised to unlimited");
		return;
	}
	if (getrlimit(RLIMIT_MEMLOCK, &rl)) {
		nnp_feat_set(f, NNP_FEAT_NO, errno, "getrlimit failed: %s", strerror(errno));
		return;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= MEMLOCK_PLENTY) {
		nnp_feat_set(f, NNP_FEAT_YES, 0, "RLIMIT_MEMLOCK stays at %llu MiB, enough",
			     (unsigned long long)rl.rlim_cur >> 20);
		return;
	}
	if (!map_beyond_limit(rl.rlim_cur)) {
		nnp_feat_set(f, NNP_FEAT_YES, 0,
			     "RLIMIT_MEMLOCK stuck at %llu KiB (setrlimit: %s) but not enforced: a "
			     "bigger map was created (memcg accounting)",
			     (unsigned long long)rl.rlim_cur / 1024, strerror(-err));
		return;
	}
	nnp_feat_set(f, NNP_FEAT_NO, -err, "cannot raise RLIMIT_MEMLOCK from %llu KiB: %s",
		     (unsigned long long)rl.rlim_cur / 1024, strerror(-err));
}

void nnp_try_btf(struct nnp_feature *f)
{
	/* libbpf 1.x returns NULL and sets errno */
	struct btf *btf = btf__load_vmlinux_btf();

	if (!btf) {
		nnp_feat_set(f, NNP_FEAT_NO, errno, "cannot load kernel BTF: %s", strerror(errno));
		return;
	}
	nnp_feat_set(f, NNP_FEAT_YES, 0, "/sys/kernel/btf/vmlinux: %u types", btf__type_cnt(btf));
	btf__free(btf);
}

/* 0 if PATH is a mount of filesystem MAGIC, -ENODEV if another one, or -errno */
static int fs_is(const char *path, long magic)
{
	struct statfs st;

	if (statfs(path, &st))
		return -errno;
	return (long)st.f_type == magic ? 0 : -ENODEV;
}

void nnp_try_bpffs(struct nnp_feature *f)
{
	int err = fs_is("/sys/fs/bpf", BPF_FS_MAGIC);

	if (!err)
		nnp_feat_set(f, NNP_FEAT_YES, 0, "/sys/fs/bpf is mounted");
	else
		nnp_feat_set(f, NNP_FEAT_NO, -err, "/sys/fs/bpf: %s",
			     err == -ENODEV ? "not mounted" : strerror(-err));
}

void nnp_try_tracefs(struct nnp_feature *f)
{
	static const char *const paths[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	int err = 0;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		err = fs_is(paths[i], TRACEFS_MAGIC);
		if (!err) {
			nnp_feat_set(f, NNP_FEAT_YES, 0, "%s is mounted", paths[i]);
			return;
		}
	}
	nnp_feat_set(f, NNP_FEAT_NO, -err, "not mounted at %s or %s", paths[0], paths[1]);
}

/* Opens and closes one event counting this thread; 0 or -errno */
static int perf_try(__u32 type, __u64 config)
{
	struct perf_event_attr attr = {
		.type = type,
		.size = sizeof(attr),
		.config = config,
		.disabled = 1,
		/* counting user space only keeps the try valid at perf_event_paranoid 2 */
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

struct perf_ev {
	const char *name;
	__u64 config;
};

void nnp_try_perf_hw(struct nnp_features *f)
{
	for (int i = 0; i < NNP_HW_EVENTS; i++) {
		struct nnp_hw_event *e = &f->hw[i];

		e->name = nnp_counter_hw_name(i);
		if (!e->name)
			break;
		e->err = -nnp_counter_try(e->name);
	}
	nnp_features_sum_hw(f);
}

void nnp_try_perf_sw(struct nnp_feature *f)
{
	static const struct perf_ev evs[] = {
		{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN },
		{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
		{ "cpu-clock", PERF_COUNT_SW_CPU_CLOCK },
	};

	for (int i = 0; i < 3; i++) {
		int err = perf_try(PERF_TYPE_SOFTWARE, evs[i].config);

		if (err) {
			nnp_feat_set(f, NNP_FEAT_NO, -err, "perf_event_open(%s): %s", evs[i].name,
				     strerror(-err));
			return;
		}
	}
	nnp_feat_set(f, NNP_FEAT_YES, 0, "%s, %s and %s open", evs[0].name, evs[1].name,
		     evs[2].name);
}
