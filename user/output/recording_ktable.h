/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef NNP_RECORDING_KTABLE_H
#define NNP_RECORDING_KTABLE_H

#include <stddef.h>
#include <stdio.h>

#include "agg.h"
#include "recording.h"

/* the kernel-signal table of one process's layers (in display order); 0 or -ENOMEM */
int nnp_recording_write_ktable(FILE *f, const struct nnp_proc_stats *p, struct nnp_layer_stats **ls,
			       size_t n, const struct nnp_rec_kernel *ki);

#endif
