/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Reading a target's memory from user space (process_vm_readv): for what BPF
 * cannot walk in one fetch, e.g. ONNX Runtime's graph. Root, or
 * CAP_SYS_PTRACE, is needed for another user's process.
 */
#ifndef NNP_PROC_MEM_H
#define NNP_PROC_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* LEN bytes at ADDR of PID; 0, -EFAULT (not all of it mapped), -ESRCH, -EPERM */
int nnp_proc_mem_read(pid_t pid, uint64_t addr, void *buf, size_t len);

/* a target's memory as the readers of runtime layouts see it: LEN bytes of it
 * at ADDR into BUF; 0, or -errno (-EFAULT: not mapped). Tests and fuzzers give
 * an image; nnp_proc_mem_reader reads the process whose pid is ctx. */
typedef int (*nnp_mem_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

struct nnp_mem {
	nnp_mem_read_fn read;
	void *ctx;
};

int nnp_proc_mem_reader(void *ctx, uint64_t addr, void *buf, size_t len);

#define NNP_MEM_CHUNK_WORDS 64
/* the readable start of the object at ADDR, in chunks of NNP_MEM_CHUNK_WORDS
 * words up to WORDS (a multiple of it), into W: how many words were read */
size_t nnp_mem_read_words(const struct nnp_mem *m, uint64_t addr, uint64_t *w, size_t words);
/* the reader of process PID */
struct nnp_mem nnp_proc_mem(pid_t pid);

#endif
