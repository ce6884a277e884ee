/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Saying once what is wrong with a target's file, however often nnperf meets it. */
#ifndef NNP_WARN_ONCE_H
#define NNP_WARN_ONCE_H

#include <stdbool.h>

/*
 * true the first time this nnperf process warns about the file at PATH (by
 * device, inode and mtime): export meets the same bad file in every process
 * that maps it, and examines processes again, and says so once.
 */
bool nnp_warn_once(const char *path);

#endif
