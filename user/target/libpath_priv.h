/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Between libpath.c (paths, candidates) and libdeps.c (the DT_NEEDED walk). */
#ifndef NNP_LIBPATH_PRIV_H
#define NNP_LIBPATH_PRIV_H

#include <stddef.h>

#if defined(__x86_64__)
#define NNP_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define NNP_MULTIARCH "aarch64-linux-gnu"
#else
#error "nnperf: no multiarch directory for this architecture"
#endif

/* what a library must share with the executable for ld.so to take it */
struct nnp_abi {
	int cls;
	int machine;
};

/*
 * soname in the first directory of list (separated by any of seps; $ORIGIN
 * is origin) that holds an acceptable file: out gets dir/soname. 0, -ENOENT.
 */
int nnp_lib_in_dirs(const struct nnp_abi *abi, const char *list, const char *seps,
		    const char *origin, const char *soname, char *out, size_t len);
/* path (a DT_NEEDED with '/', $ORIGIN expanded) if acceptable; 0, -ENOENT */
int nnp_lib_at(const struct nnp_abi *abi, const char *path, const char *origin, char *out,
	       size_t len);

#endif
