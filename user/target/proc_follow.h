/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `nnperf record --follow`: which processes run a given executable file,
 * identified by device and inode (a restart of the same binary, whatever path
 * or arguments it was started with; a rebuilt binary is another file).
 */
#ifndef NNP_PROC_FOLLOW_H
#define NNP_PROC_FOLLOW_H

#include <sys/types.h>

struct nnp_exe_id {
	dev_t dev;
	ino_t ino;
};

/* the executable file of PID (/proc/PID/exe); 0 or -errno */
int nnp_exe_id_of(pid_t pid, struct nnp_exe_id *id);
/* a live process other than `skip` and ourselves running that file: its pid, or 0 */
pid_t nnp_exe_find(const struct nnp_exe_id *id, pid_t skip);

#endif
