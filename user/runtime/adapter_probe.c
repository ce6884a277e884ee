// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A probe an adapter computes at attach time (ggml's call sites, ONNX
 * Runtime's found functions, LiteRT's kernel calls), written in the --probe
 * grammar like the adapters' tables and attached for the runtime.
 */
#include <errno.h>
#include <stdio.h>

#include "log.h"
#include "planner.h"
#include "probe_spec.h"
#include "runtimes.h"

static int attach(struct nnp_planner *p, const char *runtime, const char *text, const char *pair,
		  const char *op, const struct nnp_fetch *ref)
{
	struct nnp_probe_def d;
	char msg[256];
	int col;

	if (nnp_probe_parse(text, &d, msg, sizeof(msg), &col)) {
		nnp_err("runtime %s: bad probe '%s': %s", runtime, text, msg);
		return -EINVAL;
	}
	snprintf(d.origin, sizeof(d.origin), "runtime %s", runtime);
	snprintf(d.pair, sizeof(d.pair), "%s", pair ? pair : "");
	if (op)
		snprintf(d.op_literal, sizeof(d.op_literal), "%s", op);
	if (ref)
		d.ref = *ref;
	return nnp_planner_attach(p, &d, runtime);
}

int nnp_runtime_attach_text(struct nnp_planner *p, const char *runtime, const char *text,
			    const char *pair, const char *op)
{
	return attach(p, runtime, text, pair, op, NULL);
}

int nnp_runtime_attach_ref(struct nnp_planner *p, const char *runtime, const char *text,
			   const char *pair, const struct nnp_fetch *ref)
{
	return attach(p, runtime, text, pair, NULL, ref);
}
