/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Messages to the user: one line each, prefixed "nnperf: ". */
#ifndef NNP_LOG_H
#define NNP_LOG_H

#define NNP_PRINTF(a, b) __attribute__((format(printf, a, b)))

void nnp_log_set_verbose(int level);
int nnp_log_verbose(void);
/* "nnperf: error: ...": for the one line that explains a failure */
void nnp_err(const char *fmt, ...) NNP_PRINTF(1, 2);
/* "nnperf: warning: ..." */
void nnp_warn(const char *fmt, ...) NNP_PRINTF(1, 2);
/* "nnperf: ...", only with -v */
void nnp_info(const char *fmt, ...) NNP_PRINTF(1, 2);

#endif
