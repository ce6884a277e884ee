// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"

static size_t size_of(uint32_t type)
{
	switch (type) {
	case NNP_EV_LAYER:
		return sizeof(struct nnp_layer_event);
	case NNP_EV_INFER:
		return sizeof(struct nnp_infer_event);
	case NNP_EV_NAME:
		return sizeof(struct nnp_name_event);
	case NNP_EV_PREEMPT:
		return sizeof(struct nnp_preempt_event);
	default:
		return 0;
	}
}

static int check_interval(const union nnp_event *ev)
{
	switch (ev->hdr.type) {
	case NNP_EV_LAYER:
		return ev->layer.end_ns < ev->layer.start_ns ? -EINVAL : 0;
	case NNP_EV_INFER:
		return ev->infer.end_ns < ev->infer.start_ns ? -EINVAL : 0;
	case NNP_EV_PREEMPT:
		return ev->preempt.end_ns < ev->preempt.start_ns ? -EINVAL : 0;
	default:
		return 0;
	}
}

int nnp_event_decode(const void *data, size_t size, union nnp_event *ev)
{
	size_t need;

	if (size < sizeof(ev->hdr))
		return -EINVAL;
	memcpy(&ev->hdr, data, sizeof(ev->hdr));
	need = size_of(ev->hdr.type);
	if (!need || size < need)
		return -EINVAL;
	memcpy(ev, data, need);
	return check_interval(ev);
}
