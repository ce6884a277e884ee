// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "btf_path.h"
#include "fault.skel.h"
#include "kernel_hooks.h"
#include "layer.skel.h"
#include "log.h"
#include "sched.skel.h"

static const char *const shared_maps[] = { "threads", "stats", "events", "pmu" };

/* points DST's shared maps at the ones layer.bpf.c created */
static int share_maps(struct bpf_object *dst, struct layer_bpf *layer)
{
	for (size_t i = 0; i < sizeof(shared_maps) / sizeof(shared_maps[0]); i++) {
		struct bpf_map *from = bpf_object__find_map_by_name(layer->obj, shared_maps[i]);
		struct bpf_map *to = bpf_object__find_map_by_name(dst, shared_maps[i]);
		int err;

		if (!from || !to)
			return -ENOENT;
		err = bpf_map__reuse_fd(to, bpf_map__fd(from));
		if (err)
			return err;
	}
	return 0;
}

/* the settings layer.bpf.c shares with the hook objects (bpf/nnperf_state.h) */
#define SHARE_RODATA(dst, layer)                                                                   \
	do {                                                                                       \
		(dst)->nr_cpus = (layer)->rodata->nr_cpus;                                         \
		(dst)->nr_counters = (layer)->rodata->nr_counters;                                 \
		(dst)->wakeup_bytes = (layer)->rodata->wakeup_bytes;                               \
	} while (0)

/* A hook object with twin programs: one pair (tp_btf, fentry) or its fallback loads. */
struct hook_object {
	struct bpf_object_skeleton *skel;
	struct bpf_object *obj;
	struct bpf_program *pair[2], *fallback[2];
	bool use_pair;
};

static int load_hooks(const struct hook_object *o, struct layer_bpf *layer)
{
	int err;

	for (int i = 0; i < 2; i++) {
		bpf_program__set_autoload(o->pair[i], o->use_pair);
		bpf_program__set_autoload(o->fallback[i], !o->use_pair);
	}
	err = share_maps(o->obj, layer);
	if (!err)
		err = bpf_object__load_skeleton(o->skel);
	if (!err)
		err = bpf_object__attach_skeleton(o->skel);
	return err;
}

static int load_sched(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
		      enum nnp_sched_attach how)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = nnp_btf_custom());
	struct sched_bpf *k = sched_bpf__open_opts(&oo);

	h->sched = k;
	if (!k)
		return -errno;
	SHARE_RODATA(k->rodata, layer);
	return load_hooks(
	    &(struct hook_object){
		.skel = k->skeleton,
		.obj = k->obj,
		.pair = { k->progs.nnp_switch_btf, k->progs.nnp_exit_btf },
		.fallback = { k->progs.nnp_switch_raw, k->progs.nnp_exit_raw },
		.use_pair = how == NNP_SCHED_TP_BTF,
	    },
	    layer);
}

static int load_fault(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
		      enum nnp_fault_attach how)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = nnp_btf_custom());
	struct fault_bpf *k = fault_bpf__open_opts(&oo);

	h->fault = k;
	if (!k)
		return -errno;
	SHARE_RODATA(k->rodata, layer);
	return load_hooks(
	    &(struct hook_object){
		.skel = k->skeleton,
		.obj = k->obj,
		.pair = { k->progs.nnp_fault_fentry, k->progs.nnp_fault_fexit },
		.fallback = { k->progs.nnp_fault_kprobe, k->progs.nnp_fault_kretprobe },
		.use_pair = how == NNP_FAULT_FENTRY,
	    },
	    layer);
}

int nnp_kernel_hooks_load(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
			  enum nnp_sched_attach sched, enum nnp_fault_attach fault)
{
	int err = 0;

	memset(h, 0, sizeof(*h));
	if (sched != NNP_SCHED_NONE) {
		err = load_sched(h, layer, sched);
		if (err) {
			nnp_err("failed to attach scheduler hooks (%s): %s",
				nnp_sched_attach_str(sched), strerror(-err));
			return err;
		}
	}
	if (fault != NNP_FAULT_NONE) {
		err = load_fault(h, layer, fault);
		if (err) {
			nnp_err("failed to attach fault timing (%s): %s",
				nnp_fault_attach_str(fault), strerror(-err));
			return err;
		}
	}
	return 0;
}

void nnp_kernel_hooks_destroy(struct nnp_kernel_hooks *h)
{
	sched_bpf__destroy(h->sched);
	fault_bpf__destroy(h->fault);
	h->sched = NULL;
	h->fault = NULL;
}

size_t nnp_kernel_hooks_objs(const struct nnp_kernel_hooks *h, struct bpf_object **out)
{
	size_t n = 0;

	if (h->sched)
		out[n++] = h->sched->obj;
	if (h->fault)
		out[n++] = h->fault->obj;
	return n;
}
