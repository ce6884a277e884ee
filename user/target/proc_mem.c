// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <sys/uio.h>

#include "proc_mem.h"

int nnp_proc_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { .iov_base = buf, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)(uintptr_t)addr, .iov_len = len };
	ssize_t n;

	if (!len)
		return 0;
	if (addr + len < addr)
		return -EFAULT;
	n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EFAULT;
}

int nnp_proc_mem_reader(void *ctx, uint64_t addr, void *buf, size_t len)
{
	return nnp_proc_mem_read((pid_t)(intptr_t)ctx, addr, buf, len);
}

size_t nnp_mem_read_words(const struct nnp_mem *m, uint64_t addr, uint64_t *w, size_t words)
{
	size_t n = 0;

	while (n + NNP_MEM_CHUNK_WORDS <= words &&
	       !m->read(m->ctx, addr + n * 8, w + n, NNP_MEM_CHUNK_WORDS * sizeof(*w)))
		n += NNP_MEM_CHUNK_WORDS;
	return n;
}

struct nnp_mem nnp_proc_mem(pid_t pid)
{
	return (struct nnp_mem){ nnp_proc_mem_reader, (void *)(intptr_t)pid };
}
