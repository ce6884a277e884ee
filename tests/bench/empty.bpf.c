// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The floor of the overhead benchmark: a uprobe (and uretprobe) that does nothing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("uprobe")
int empty_entry(void *ctx)
{
	return 0;
}

SEC("uretprobe")
int empty_return(void *ctx)
{
	return 0;
}

/* the twin for --sites' uprobe_multi link: probe.c sets its expected attach type
 * (libbpf 1.1 has no "uprobe.multi" section) */
SEC("uprobe")
int empty_multi(void *ctx)
{
	return 0;
}
