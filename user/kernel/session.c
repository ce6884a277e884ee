// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "btf_path.h"
#include "kernel_hooks.h"
#include "layer.skel.h"
#include "log.h"
#include "session.h"
#include "link_release.h"
#include "session_priv.h"
#include "uprobe_multi.h"

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
	s->skel->rodata->count_hits = o->budget;
	err = uprobe_progs(s->skel, o->uprobe_multi);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.specs, s->max_specs);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.spec_hits, s->max_specs);
	if (!err)
		err = bpf_map__set_max_entries(s->skel->maps.gated, s->max_specs + 1);
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
	s->budget = o->budget;
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

void nnp_session_close(struct nnp_session *s)
{
	if (!s)
		return;
	nnp_links_destroy(s->links, s->nlinks);
	free(s->links);
	free(s->spec_copy);
	free(s->spec_cost);
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
		s->spec_cost = calloc(s->max_specs, sizeof(*s->spec_cost));
		if (!s->spec_copy || !s->spec_cost)
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

int nnp_session_keep(struct nnp_session *s, struct nnp_link l)
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

bool nnp_session_uprobe_multi(const struct nnp_session *s)
{
	return s->uprobe_multi;
}

/* a layer's spec: the budget may detach its links */
static bool layer_spec(const struct nnp_session *s, uint64_t cookie, uint32_t *probe_id,
		       enum nnp_link_part *part)
{
	const struct nnp_spec *sp = nnp_session_spec(s, (uint32_t)cookie);

	if (!sp || (sp->role != NNP_ROLE_LAYER_BEGIN && sp->role != NNP_ROLE_LAYER_END))
		return false;
	*probe_id = sp->probe_id;
	*part = sp->role == NNP_ROLE_LAYER_END ? NNP_LINKS_ENDS : NNP_LINKS_BEGINS;
	return true;
}

/* attaches R and keeps the link, with a copy of R when the budget may toggle it */
static int attach_keep(struct nnp_session *s, struct nnp_link_recipe *r, uint64_t cookie)
{
	struct nnp_link l;
	int err = nnp_recipe_attach(s, r, &l);

	if (err)
		return err;
	for (size_t i = 0; i < r->n; i++)
		if (r->ret)
			nnp_session_site_cost(s, (uint32_t)r->cookies[i], NNP_COST_RETURN);
	if (r->kind == NNP_RECIPE_USDT)
		nnp_session_site_cost(s, r->idx, NNP_COST_EMULATED);
	if (s->budget && layer_spec(s, cookie, &r->probe_id, &r->part)) {
		l.recipe = nnp_recipe_dup(r);
		if (!l.recipe) {
			nnp_links_destroy(&l, 1);
			return -ENOMEM;
		}
	}
	return nnp_session_keep(s, l);
}

static bool same_link(const struct nnp_session *s, uint64_t a, uint64_t b)
{
	uint32_t ida, idb;
	enum nnp_link_part pa, pb;
	bool la = layer_spec(s, a, &ida, &pa), lb = layer_spec(s, b, &idb, &pb);

	return la == lb && (!la || (ida == idb && pa == pb));
}

/* with the budget: one link per layer probe and part, the rest together */
static int attach_split(struct nnp_session *s, struct nnp_link_recipe *r, const uint64_t *offs,
			const uint64_t *cookies, size_t n)
{
	uint64_t *o = malloc(n * sizeof(*o)), *c = malloc(n * sizeof(*c));
	bool *done = calloc(n, sizeof(*done));
	int err = o && c && done ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && !err; i++) {
		if (done[i])
			continue;
		r->n = 0;
		for (size_t j = i; j < n; j++) {
			if (done[j] || !same_link(s, cookies[i], cookies[j]))
				continue;
			o[r->n] = offs[j];
			c[r->n++] = cookies[j];
			done[j] = true;
		}
		r->offs = o;
		r->cookies = c;
		err = attach_keep(s, r, c[0]);
	}
	free(o);
	free(c);
	free(done);
	return err;
}

int nnp_session_attach_uprobes(struct nnp_session *s, pid_t pid, const char *path,
			       const uint64_t *offs, const uint64_t *cookies, size_t n,
			       bool retprobe)
{
	struct nnp_link_recipe r = { .kind = NNP_RECIPE_MULTI,
				     .pid = pid,
				     .path = (char *)path,
				     .ret = retprobe,
				     .offs = (uint64_t *)offs,
				     .cookies = (uint64_t *)cookies,
				     .n = n };

	if (!s->uprobe_multi)
		return -EOPNOTSUPP;
	if (!n)
		return 0;
	return s->budget ? attach_split(s, &r, offs, cookies, n) : attach_keep(s, &r, cookies[0]);
}

int nnp_session_attach_uprobe(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			      uint64_t file_off, bool retprobe)
{
	uint64_t cookie = idx;
	struct nnp_link_recipe r = { .kind = NNP_RECIPE_UPROBE,
				     .pid = pid,
				     .path = (char *)path,
				     .ret = retprobe,
				     .offs = &file_off,
				     .cookies = &cookie,
				     .n = 1 };

	if (s->uprobe_multi)
		return nnp_session_attach_uprobes(s, pid, path, &file_off, &cookie, 1, retprobe);
	return attach_keep(s, &r, cookie);
}

int nnp_session_attach_usdt(struct nnp_session *s, uint32_t idx, pid_t pid, const char *path,
			    const char *provider, const char *name)
{
	struct nnp_link_recipe r = { .kind = NNP_RECIPE_USDT,
				     .pid = pid,
				     .path = (char *)path,
				     .provider = (char *)provider,
				     .name = (char *)name,
				     .idx = idx };

	return attach_keep(s, &r, idx);
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

static int obj_prog_stats(struct bpf_object *obj, nnp_prog_stats_cb cb, void *ctx)
{
	struct bpf_program *prog;
	int err = 0;

	bpf_object__for_each_program(prog, obj) {
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

int nnp_session_prog_stats(const struct nnp_session *s, nnp_prog_stats_cb cb, void *ctx)
{
	struct bpf_object *hooks[2];
	size_t n = nnp_kernel_hooks_objs(&s->hooks, hooks);
	int err = obj_prog_stats(s->skel->obj, cb, ctx);

	for (size_t i = 0; i < n && !err; i++)
		err = obj_prog_stats(hooks[i], cb, ctx);
	return err;
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
	return nnp_percpu_sums(s->skel->maps.stats, out, NNP_STAT_NR);
}

uint32_t nnp_session_ringbuf_bytes(const struct nnp_session *s)
{
	return s->ringbuf_bytes;
}
