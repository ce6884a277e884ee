/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The scheduler (sched.bpf.c) and fault-timing (fault.bpf.c) objects, loaded
 * with the twin programs features.c chose and sharing layer.bpf.c's maps.
 */
#ifndef NNP_KERNEL_HOOKS_H
#define NNP_KERNEL_HOOKS_H

#include "features.h"

struct layer_bpf;
struct sched_bpf;
struct fault_bpf;

struct nnp_kernel_hooks {
	struct sched_bpf *sched;
	struct fault_bpf *fault;
};

/* 0 or -errno after one error line; NONE policies load nothing */
int nnp_kernel_hooks_load(struct nnp_kernel_hooks *h, struct layer_bpf *layer,
			  enum nnp_sched_attach sched, enum nnp_fault_attach fault);
void nnp_kernel_hooks_destroy(struct nnp_kernel_hooks *h);
struct bpf_object;
/* the objects loaded, at most 2, in OUT; how many */
size_t nnp_kernel_hooks_objs(const struct nnp_kernel_hooks *h, struct bpf_object **out);

#endif
