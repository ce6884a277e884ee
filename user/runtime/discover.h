/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Finding inference processes for `export --all`: the runtime adapters of
 * runtimes.h say which mapped files belong to a runtime, and a /proc scanner
 * examines each process once. A process is known by
 * (pid, start time, comm), so a reused pid or an exec is examined again;
 * processes that matched nothing are examined again every RECHECK scans, for
 * runtimes loaded late with dlopen. Verdicts on mapped files are cached by
 * (device, inode, mtime): after the first scan a scan reads /proc/PID/stat of
 * each process and little else.
 */
#ifndef NNP_DISCOVER_H
#define NNP_DISCOVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct nnp_discover;
struct nnp_planner;
struct nnp_runtime;

/* found() returns 0 when the process is now handled (not offered again), else non-zero */
typedef int (*nnp_found_fn)(void *ctx, pid_t pid, const struct nnp_runtime *rt);

int nnp_discover_new(struct nnp_discover **out);
void nnp_discover_free(struct nnp_discover *d);
/* one pass over /proc; calls found() for new processes that use a runtime; 0 or -errno */
int nnp_discover_scan(struct nnp_discover *d, nnp_found_fn found, void *ctx);
/* 1 if pid maps a file rt claims (verdicts cached), 0 if not, -errno (-ESRCH: gone) */
int nnp_discover_detect(struct nnp_discover *d, const struct nnp_runtime *rt, pid_t pid);
/* the first runtime pid uses: 0 with *rt set, -ENOENT if none, -errno */
int nnp_discover_runtime(struct nnp_discover *d, pid_t pid, const struct nnp_runtime **rt);
/*
 * judge(rt, path) (1 = the file belongs to runtime rt, 0 = not) cached by
 * (rt, device, inode, mtime); errors are returned and not cached.
 */
int nnp_discover_file_verdict(struct nnp_discover *d, const struct nnp_runtime *rt,
			      const char *path,
			      int (*judge)(const struct nnp_runtime *rt, const char *path));
/* files whose verdict is cached */
size_t nnp_discover_files(const struct nnp_discover *d);

/* start time (clock ticks after boot) and comm of a process; 0, -ESRCH */
int nnp_proc_stat(pid_t pid, uint64_t *starttime, char *comm, size_t commlen, unsigned int *flags);
/*
 * The model label of a process: NNPERF_MODEL in its environment, else the
 * basename of the argument after `flag` in its command line (flag may be
 * NULL), else its executable's basename. 0 or -errno.
 */
int nnp_proc_model(pid_t pid, const char *flag, char *out, size_t len);

#endif
