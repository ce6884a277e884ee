/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --overhead-budget in a recording: the "overhead" object and the table's lines. */
#ifndef NNP_RECORDING_OVERHEAD_H
#define NNP_RECORDING_OVERHEAD_H

#include <stdio.h>

#include <json-c/json.h>

#include "agg.h"
#include "recording.h"

/* the "overhead" object (docs/recording-format.md), or NULL on allocation failure */
json_object *nnp_rec_overhead_json(const struct nnp_agg *a, const struct nnp_rec_overhead *ov);
/* the lines the table starts with */
void nnp_rec_overhead_print(FILE *f, const struct nnp_agg *a, const struct nnp_rec_overhead *ov);

#endif
