/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Runtimes from a probes directory (/etc/nnperf/probes.d by default): each
 * FILE.spec there whose library= lines say which mapped files belong to it
 * becomes a runtime adapter (runtimes.h) named by its runtime= line or FILE,
 * found with no flags by record, top and export like a built-in one. A file
 * that cannot be used is skipped with one warning line naming it and why;
 * the others are still added.
 */
#ifndef NNP_SPEC_RUNTIMES_H
#define NNP_SPEC_RUNTIMES_H

#include <stdbool.h>

#define NNP_PROBES_DIR_DEFAULT "/etc/nnperf/probes.d"

/*
 * Adds the runtimes of DIR's *.spec files, in name order. A missing DIR is no
 * error unless given (an -v line then). Returns how many were added, or
 * -errno after one error line when DIR was given and cannot be read.
 */
int nnp_spec_runtimes_load(const char *dir, bool given);
/* removes and frees the runtimes added by nnp_spec_runtimes_load */
void nnp_spec_runtimes_free(void);

#endif
