/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Clocks in nanoseconds. */
#ifndef NNP_CLOCK_H
#define NNP_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLK (CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_PROCESS_CPUTIME_ID) in ns; 0 if unreadable */
uint64_t nnp_clock_ns(clockid_t clk);

static inline uint64_t nnp_mono_ns(void)
{
	return nnp_clock_ns(CLOCK_MONOTONIC);
}

#endif
