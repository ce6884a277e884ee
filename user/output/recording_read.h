/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Reading a recording back (nnperf diff, compare and report): its schema and version. */
#ifndef NNP_RECORDING_READ_H
#define NNP_RECORDING_READ_H

#include <stddef.h>

#define NNP_RECORDING_SCHEMA "nnperf.recording"
#define NNP_RECORDING_VERSION 1

struct json_object;
/*
 * Reads a recording written by any nnperf up to this version (for `diff` and
 * friends). On failure returns -errno and puts one line in err: a syntax error
 * as "FILE:LINE:COL: message", else "FILE: message" (wrong schema, a version
 * newer than NNP_RECORDING_VERSION, I/O errors). *out is released with
 * json_object_put().
 */
int nnp_recording_read(const char *path, struct json_object **out, char *err, size_t errlen);

#endif
