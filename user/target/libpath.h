/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Finding files before a process exists: a command in PATH (as execvp would),
 * and the shared libraries an executable will load (DT_NEEDED, searched in
 * LD_LIBRARY_PATH, DT_RUNPATH/DT_RPATH with $ORIGIN, /etc/ld.so.conf dirs and
 * the default directories).
 */
#ifndef NNP_LIBPATH_H
#define NNP_LIBPATH_H

#include <stddef.h>

/* absolute path of cmd; 0, -ENOENT, -EACCES */
int nnp_path_find_exe(const char *cmd, char *out, size_t len);
/* each dependency of exe, recursively, once, in load order; 0 or -errno */
int nnp_deps_foreach(const char *exe, int (*cb)(const char *path, void *ctx), void *ctx);
/*
 * LIB of a probe site for a process not yet running: a path (has '/'), the
 * executable's own basename, or a library name matched like
 * nnp_proc_find_lib among exe's dependencies. 0 or -ENOENT.
 */
int nnp_lib_resolve(const char *exe, const char *lib, char *out, size_t len);

#endif
