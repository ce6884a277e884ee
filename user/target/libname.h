/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The one rule by which a library name given by the user picks a file (procmaps.c). */
#ifndef NNP_LIBNAME_H
#define NNP_LIBNAME_H

/*
 * 2 when path's basename (less a " (deleted)" suffix) is name, 1 when it
 * starts with name followed by '.' or '-' ("libtorch_cpu" and
 * "libtorch_cpu.so" match "libtorch_cpu.so.1.13"), 0 otherwise.
 */
int nnp_lib_name_match(const char *path, const char *name);

#endif
