/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Numbers for people: durations with 3 significant digits in ns/us/ms/s, counts. */
#ifndef NNP_FMT_H
#define NNP_FMT_H

#include <stddef.h>
#include <stdint.h>

/* e.g. "850ns", "12.3us", "1.52ms", "2.00s", "4321s"; returns buf */
char *nnp_fmt_duration(char *buf, size_t len, uint64_t ns);
/* counts per call: "0", "0.52", "12.50", "1234", "47.2k", "4.72M"; returns buf */
char *nnp_fmt_count(char *buf, size_t len, double v);

#endif
