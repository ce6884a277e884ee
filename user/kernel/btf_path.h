/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel BTF every BPF object is relocated against: the kernel's own
 * (/sys/kernel/btf/vmlinux) unless --btf FILE names another, for kernels built
 * without CONFIG_DEBUG_INFO_BTF (a BTF file from BTFHub or pahole). One
 * setting for the whole process: it describes the running kernel.
 */
#ifndef NNP_BTF_PATH_H
#define NNP_BTF_PATH_H

#include <stddef.h>

#define NNP_VMLINUX_BTF "/sys/kernel/btf/vmlinux"

/* checks that PATH parses as BTF, then uses it; one error line and -errno */
int nnp_btf_set(const char *path);
/* the --btf file, or NULL for the kernel's own (libbpf's btf_custom_path) */
const char *nnp_btf_custom(void);
/* the file in use: the --btf file or NNP_VMLINUX_BTF */
const char *nnp_btf_in_use(void);

#endif
