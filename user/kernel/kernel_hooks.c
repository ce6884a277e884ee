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

static const char *const shared_maps[] = { "threads", "targets", "stats", "events", "pmu" };

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

static int load_sched(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
		      enum nnp_sched_attach how)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = nnp_btf_custom());
	bool btf = how == NNP_SCHED_TP_BTF;
	int err;

	h->sched = sched_bpf__open_opts(&oo);
	if (!h->sched)
		return -errno;
	h->sched->rodata->nr_cpus = layer->rodata->nr_cpus;
	h->sched->rodata->nr_counters = layer->rodata->nr_counters;
	h->sched->rodata->wakeup_bytes = layer->rodata->wakeup_bytes;
	bpf_program__set_autoload(h->sched->progs.nnp_switch_btf, btf);
	bpf_program__set_autoload(h->sched->progs.nnp_exit_btf, btf);
	bpf_program__set_autoload(h->sched->progs.nnp_switch_raw, !btf);
	bpf_program__set_autoload(h->sched->progs.nnp_exit_raw, !btf);
	err = share_maps(h->sched->obj, layer);
	if (!err)
		err = sched_bpf__load(h->sched);
	if (!err)
		err = sched_bpf__attach(h->sched);
	return err;
}

static int load_fault(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
		      enum nnp_fault_attach how)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = nnp_btf_custom());
	bool fentry = how == NNP_FAULT_FENTRY;
	int err;

	h->fault = fault_bpf__open_opts(&oo);
	if (!h->fault)
		return -errno;
	h->fault->rodata->nr_cpus = layer->rodata->nr_cpus;
	h->fault->rodata->nr_counters = layer->rodata->nr_counters;
	h->fault->rodata->wakeup_bytes = layer->rodata->wakeup_bytes;
	bpf_program__set_autoload(h->fault->progs.nnp_fault_fentry, fentry);
	bpf_program__set_autoload(h->fault->progs.nnp_fault_fexit, fentry);
	bpf_program__set_autoload(h->fault->progs.nnp_fault_kprobe, !fentry);
	bpf_program__set_autoload(h->fault->progs.nnp_fault_kretprobe, !fentry);
	err = share_maps(h->fault->obj, layer);
	if (!err)
		err = fault_bpf__load(h->fault);
	if (!err)
		err = fault_bpf__attach(h->fault);
	return err;
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
