/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* A process's mapped files (/proc/PID/maps) and identity (/proc/PID/{comm,exe}). */
#ifndef NNP_PROCMAPS_H
#define NNP_PROCMAPS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct nnp_mapping {
	uint64_t start, end, offset;
	char perms[5]; /* "r-xp" */
	uint64_t inode;
	char path[PATH_MAX]; /* as in maps: path inside the process's mount ns */
};

/* cb returns non-zero to stop; 0, -ESRCH (no such process), -EACCES */
int nnp_procmaps_foreach(pid_t pid, int (*cb)(const struct nnp_mapping *m, void *ctx), void *ctx);
/*
 * The same over a maps text read from f (nnp_procmaps_foreach's parser):
 * lines that do not parse are skipped; cb's negative return is returned,
 * a positive one stops with 0; -EIO on a read error (-ESRCH: the process
 * exited during the read), -ENOMEM.
 */
int nnp_procmaps_parse(FILE *f, int (*cb)(const struct nnp_mapping *m, void *ctx), void *ctx);
/*
 * A file mapped executable in pid whose basename equals name, or starts with
 * name followed by '.' or '-' ("libtorch_cpu" and "libtorch_cpu.so" both match
 * "libtorch_cpu.so.1.13"). out gets "/proc/PID/root" + path so it opens from
 * our mount namespace. 0, -ENOENT, -ESRCH.
 */
int nnp_proc_find_lib(pid_t pid, const char *name, char *out, size_t len);
/* each distinct executable mapped file; cb gets the openable path */
int nnp_proc_exec_files(pid_t pid, int (*cb)(const char *path, void *ctx), void *ctx);
int nnp_proc_exe(pid_t pid, char *out, size_t len);
int nnp_proc_comm(pid_t pid, char *out, size_t len);
/* the process exists (it may belong to someone else) */
bool nnp_proc_alive(pid_t pid);

#endif
