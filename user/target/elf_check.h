/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Whether an ELF file's tables fit in it, checked before nnperf reads a
 * runtime's file through them. The file is whatever the traced process
 * mapped under a runtime's name: its header counts, section and segment
 * extents and note sizes are the target's to choose. libelf keeps its own
 * reads in bounds but says little (a truncated section header table reads as
 * "no sections"); this says what is wrong, in one line, so that the file is
 * reported and skipped instead of half-read.
 */
#ifndef NNP_ELF_CHECK_H
#define NNP_ELF_CHECK_H

#include <stddef.h>

/*
 * 0 when the header, program headers, PT_LOAD segments (in the file, in
 * order, not overlapping), section headers, sections and notes fit;
 * -ENOEXEC with what is wrong in why (one line, from the file's numbers);
 * -errno when the file cannot be opened.
 */
int nnp_elf_check(const char *path, char *why, size_t len);

#endif
