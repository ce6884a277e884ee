// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * OpenCV DNN (libopencv_dnn, 4.x): Net::forward is the inference (its overloads
 * call each other; the BPF side keeps the outermost), Net::Impl::forwardLayer
 * runs every layer, fused ones included (they return at once). Its LayerData&
 * (arg1) starts with the int id, then the name and type std::strings, whose
 * data pointers are at +8 and +40 (checked on 4.6.0). The globs skip the
 * versioned inline namespace (dnn4_v20220524).
 */
#include <stddef.h>

#include "runtimes.h"

static const char *const opencv_libs[] = { "libopencv_dnn.so*", NULL };

/* layers first: attaching takes a while per site (-p on a busy process), and
 * an inference seen before its layers' probes are in would count without them */
static const char *const opencv_probes[] = {
	"layer=%s:cv::dnn::*::Net::Impl::forwardLayer,key=u32(*arg1),name=str(*(arg1+8)),"
	"op=str(*(arg1+40))",
	"inference=%s:cv::dnn::*::Net::forward",
	NULL,
};

const struct nnp_runtime nnp_rt_opencv = {
	.name = "opencv",
	.libs = opencv_libs,
	.probes = opencv_probes,
};
