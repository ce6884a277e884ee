// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ONNX Runtime's ExecuteKernel and InferenceSession::Run finders
 * (runtime/ort/find.c) on a hostile file: the texts in .rodata, their leas in .text,
 * .eh_frame_hdr's table, the FDE and its CIE. libFuzzer's -timeout catches a walk that does not
 * end.
 */
#include <stdlib.h>
#include <sys/stat.h>

#include "fuzz_util.h"
#include "ort.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t off = UINT64_MAX;
	char path[64];
	int fd = fuzz_file(data, size, path, sizeof(path)), err;

	if (fd < 0)
		return 0;
	for (int which = 0; which < 2; which++) {
		err =
		    which ? nnp_ort_find_session_run(path, &off) : nnp_ort_find_kernel(path, &off);
		if (err > 0)
			abort(); /* 0 or -errno */
		if (!err && off >= size)
			abort(); /* uprobes attach at a file offset: it must be in the file */
	}
	close(fd);
	return 0;
}
