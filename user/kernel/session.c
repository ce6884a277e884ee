// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <sys/wait.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btf_path.h"
#include "kernel_hooks.h"
#include "layer.skel.h"
#include "log.h"
#include "session.h"
#include "uprobe_multi.h"

struct nnp_session {
	struct layer_bpf *skel;
	struct nnp_kernel_hooks hooks;
	struct ring_buffer *rb;
	struct nnp_link *links;
	size_t nlinks, cap_links;
	bool uprobe_multi;
	uint32_t nspecs, max_specs;
	uint32_t next_probe_id;
	struct nnp_spec *spec_copy; /* what each slot holds: identical specs share a slot */
	uint32_t ringbuf_bytes;
};

static int valid_ringbuf(uint32_t bytes)
{
	long page = sysconf(_SC_PAGESIZE);

	return bytes >= (uint32_t)page && !(bytes & (bytes - 1));
}

static int fill_pmu(struct nnp_session *s, const struct nnp_counters *c)
{
	int fd = bpf_map__fd(s->skel->maps.pmu), err;

	for (__u32 i = 0; i < (__u32)(c->nslots * c->ncpu); i++) {
		if (c->fds[i] < 0)
			continue;
		err = bpf_map_update_elem(fd, &i, &c->fds[i], BPF_ANY);
		if (err)
			return -errno;
	}
	return 0;
}

/* a program loaded for uprobe_multi links cannot be a perf-event uprobe: load one twin */
static int uprobe_progs(struct layer_bpf *skel, bool multi)
{
	int err = bpf_program__set_autoload(skel->progs.nnp_uprobe, !multi);

	if (!err)
		err = bpf_program__set_autoload(skel->progs.nnp_uprobe_multi, multi);
	if (!err && multi)
		err = bpf_program__set_expected_attach_type(skel->progs.nnp_uprobe_multi,
							    NNP_TRACE_UPROBE_MULTI);
	return err;
}

static int session_load(struct nnp_session *s, const struct nnp_session_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = nnp_btf_custom());
	int err;

	s->skel = layer_bpf__open_opts(&oo);
	if (!s->skel)
		return -errno ? -errno : -EINVAL;
	s->skel->rodata->nr_cpus = libbpf_num_possible_cpus();
	s->skel->rodata->nr_counters = o->counters ? o->counters->nslots : 0;
	s->skel->rodata->wakeup_bytes = s->ringbuf_bytes / 4;
	s->skel->rodata->sample_rate = o->sample ? o->sample : 1;
	err = uprobe_progs(s->skel, o->uprobe_multi);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.specs, s->max_specs);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.events, s->ringbuf_bytes);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.pmu,
					       NNP_MAX_COUNTERS * s->skel->rodata->nr_cpus);
	if (!err)
		err = layer_bpf__load(s->skel);
	if (!err && o->counters)
		err = fill_pmu(s, o->counters);
	if (err)
		return err;
	return nnp_kernel_hooks_load(&s->hooks, s->skel, o->sched, o->fault);
}

int nnp_session_open(const struct nnp_session_opts *o, nnp_event_cb cb, void *ctx,
		     struct nnp_session **out)
{
	struct nnp_session *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->max_specs = o->max_specs ? o->max_specs : NNP_DEFAULT_SPECS;
	s->ringbuf_bytes = o->ringbuf_bytes ? o->ringbuf_bytes : NNP_DEFAULT_RINGBUF;
	s->uprobe_multi = o->uprobe_multi;
	if (!valid_ringbuf(s->ringbuf_bytes)) {
		nnp_err("ring buffer size %u is not a power of two of at least a page",
			s->ringbuf_bytes);
		err = -EINVAL;
		goto cleanup;
	}
	err = session_load(s, o);
	if (err) {
		nnp_err("failed to load BPF programs: %s (run 'nnperf doctor')", strerror(-err));
		goto cleanup;
	}
	s->rb = ring_buffer__new(bpf_map__fd(s->skel->maps.events), (ring_buffer_sample_fn)cb, ctx,
				 NULL);
	if (!s->rb) {
		err = -errno;
		nnp_err("failed to open the ring buffer: %s", strerror(-err));
		goto cleanup;
	}
	*out = s;
	return 0;
cleanup:
	nnp_session_close(s);
	return err;
}

/*
 * Releasing a uprobe perf event waits for the kernel (an RCU grace period,
 * ~100 ms here), one after another: seconds for a few dozen sites. A detached
 * grandchild holding duplicates of every descriptor makes our own closes
 * cheap and closes them itself, in the background. While it does, it holds a
 * shared lock that every attach (of any nnperf) waits for: uprobes of one
 * file registered while others are still being unregistered do not reliably
 * fire on this kernel ("failed to unregister, leaking uprobe").
 */
#define RELEASE_LOCK "/run/nnperf.release.lock"
#define RELEASE_LOCK_TMP "/tmp/nnperf.release.lock"

static int release_lock(int how)
{
	int fd = open(RELEASE_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		fd = open(RELEASE_LOCK_TMP, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, how)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* until every background release (of any nnperf) has finished */
static void wait_releases(void)
{
	int fd = release_lock(LOCK_EX);

	if (fd >= 0)
		close(fd);
}

/* in the grandchild: every descriptor but the lock, then exit (drops the lock) */
static void release_all_but(int keep)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self = d ? dirfd(d) : -1;

	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);

		if (fd > STDERR_FILENO && fd != keep && fd != self)
			close(fd);
	}
	if (d)
		closedir(d);
	_exit(0);
}

static void release_in_background(void)
{
	int lock = release_lock(LOCK_SH), null;
	pid_t child = fork(), grandchild;

	if (child < 0) {
		if (lock >= 0)
			close(lock);
		return; /* then our closes pay, as they would anyway */
	}
	if (child > 0) {
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
		if (lock >= 0)
			close(lock); /* the grandchild's copy keeps it */
		return;
	}
	grandchild = fork();
	if (grandchild != 0)
		_exit(0);
	/* let no pipe reader of ours wait for this process's end */
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
	}
	setsid();
	release_all_but(lock);
}

void nnp_links_destroy(struct nnp_link *links, size_t n)
{
	if (n)
		release_in_background();
	for (size_t i = 0; i < n; i++) {
		if (links[i].link)
			bpf_link__destroy(links[i].link);
		else if (links[i].fd >= 0)
			close(links[i].fd);
	}
}

void nnp_session_close(struct nnp_session *s)
{
	if (!s)
		return;
	nnp_links_destroy(s->links, s->nlinks);
	free(s->links);
	free(s->spec_copy);
	ring_buffer__free(s->rb);
	nnp_kernel_hooks_destroy(&s->hooks);
	layer_bpf__destroy(s->skel);
	free(s);
}

/* a monitor attaches the same definitions to process after process: the table stays bounded */
static bool find_spec(const struct nnp_session *s, const struct nnp_spec *spec, uint32_t *idx)
{
	for (uint32_t i = 0; i < s->nspecs; i++) {
		if (!memcmp(&s->spec_copy[i], spec, sizeof(*spec))) {
			*idx = i;
			return true;
		}
	}
	return false;
}

int nnp_session_add_spec(struct nnp_session *s, const struct nnp_spec *spec, uint32_t *idx)
{
	uint32_t i = s->nspecs;
	int err;

	if (find_spec(s, spec, idx))
		return 0;
	if (i >= s->max_specs)
		return -ENOSPC;
	if (!s->spec_copy) {
		s->spec_copy = calloc(s->max_specs, sizeof(*s->spec_copy));
		if (!s->spec_copy)
			return -ENOMEM;
	}
	err = bpf_map__update_elem(s->skel->maps.specs, &i, sizeof(i), spec, sizeof(*spec), 0);
	if (err)
		return err;
	s->spec_copy[i] = *spec;
	s->nspecs++;
	*idx = i;
	return 0;
}

/* takes L (released on failure) */
static int keep(struct nnp_session *s, struct nnp_link l)
{
	struct nnp_link *n;

	if (s->nlinks == s->cap_links) {
		size_t cap = s->cap_links ? s->cap_links * 2 : 64;

		n = realloc(s->links, cap * sizeof(*n));
		if (!n) {
			nnp_links_destroy(&l, 1);
			return -ENOMEM;
		}
		s->links = n;
		s->cap_links = cap;
	}
	s->links[s->nlinks++] = l;
	return 0;
}

static int keep_link(struct nnp_session *s, struct bpf_link *link)
{
	if (!link)
		return -errno ? -errno : -EINVAL;
	return keep(s, (struct nnp_link){ .link = link, .fd = -1 });
}

bool nnp_session_uprobe_multi(const struct nnp_session *s)
{
	return s->uprobe_multi;
}

int nnp_session_attach_uprobes(struct nnp_session *s, pid_t pid, const char *path,
			       const uint64_t *offs, const uint64_t *cookies, size_t n,
			       bool retprobe)
{
	int fd;

	if (!s->uprobe_multi)
		return -EOPNOTSUPP;
	wait_releases();
	fd = nnp_uprobe_multi_link(bpf_program__fd(s->skel->progs.nnp_uprobe_multi), path, offs,
				   cookies, n, pid, retprobe);
	return fd < 0 ? fd : keep(s, (struct nnp_link){ .fd = fd });
}

int nnp_session_attach_uprobe(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			      uint64_t file_off, bool retprobe)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = idx, .retprobe = retprobe);
	struct bpf_link *link;

	if (s->uprobe_multi)
		return nnp_session_attach_uprobes(s, pid, path, &file_off, &(uint64_t){ idx }, 1,
						  retprobe);
	wait_releases();
	link = bpf_program__attach_uprobe_opts(s->skel->progs.nnp_uprobe, pid ? pid : -1, path,
					       file_off, &opts);
	return keep_link(s, link);
}

int nnp_session_attach_usdt(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			    const char *provider, const char *name)
{
	LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = idx);
	struct bpf_link *link;

	wait_releases();
	link = bpf_program__attach_usdt(s->skel->progs.nnp_usdt, pid ? pid : -1, path, provider,
					name, &opts);
	return keep_link(s, link);
}

uint32_t nnp_session_new_probe_id(struct nnp_session *s)
{
	return ++s->next_probe_id;
}

size_t nnp_session_links(const struct nnp_session *s)
{
	return s->nlinks;
}

int nnp_session_take_links(struct nnp_session *s, size_t first, struct nnp_link **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (first > s->nlinks)
		return -EINVAL;
	if (first == s->nlinks)
		return 0;
	*out = malloc((s->nlinks - first) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	*n = s->nlinks - first;
	memcpy(*out, s->links + first, *n * sizeof(**out));
	s->nlinks = first;
	return 0;
}

int nnp_session_fd(const struct nnp_session *s)
{
	return ring_buffer__epoll_fd(s->rb);
}

int nnp_session_prog_stats(const struct nnp_session *s, nnp_prog_stats_cb cb, void *ctx)
{
	struct bpf_program *prog;
	int err = 0;

	bpf_object__for_each_program(prog, s->skel->obj) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue; /* not loaded (autoload off) */
		err = bpf_obj_get_info_by_fd(fd, &info, &len);
		if (!err)
			err = cb(ctx, bpf_program__name(prog), info.run_time_ns, info.run_cnt);
		if (err)
			return err;
	}
	return 0;
}

int nnp_session_poll(struct nnp_session *s, int timeout_ms)
{
	int n = ring_buffer__poll(s->rb, timeout_ms), more;

	if (n < 0 && n != -EINTR)
		return n;
	/* BPF wakes us only once the buffer is a quarter full (nnperf_state.h):
	 * what came since is read on the timer, here */
	more = ring_buffer__consume(s->rb);
	return more < 0 ? more : (n > 0 ? n : 0) + more;
}

int nnp_session_drain(struct nnp_session *s)
{
	return ring_buffer__consume(s->rb);
}

int nnp_session_stats(const struct nnp_session *s, uint64_t out[NNP_STAT_NR])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *vals;
	int err = 0;

	if (ncpu < 0)
		return ncpu;
	vals = calloc(ncpu, sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	for (uint32_t k = 0; k < NNP_STAT_NR && !err; k++) {
		out[k] = 0;
		err = bpf_map__lookup_elem(s->skel->maps.stats, &k, sizeof(k), vals,
					   ncpu * sizeof(*vals), 0);
		for (int c = 0; c < ncpu && !err; c++)
			out[k] += vals[c];
	}
	free(vals);
	return err;
}

uint32_t nnp_session_ringbuf_bytes(const struct nnp_session *s)
{
	return s->ringbuf_bytes;
}
