// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading a recording (nnperf diff's input) and interpreting it as a profile. */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "diff_profile.h"
#include "fuzz_json.h"
#include "fuzz_util.h"
#include "recording.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_object *rec = NULL;
	struct diff_profile p;
	char err[1024], path[64];
	int fd = fuzz_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (nnp_recording_read(path, &rec, err, sizeof(err))) {
		if (!err[0] || strchr(err, '\n'))
			abort(); /* one line, always */
	} else if (!diff_profile_init(&p, "fuzz")) {
		err[0] = '\0';
		if (!diff_profile_add(&p, rec, err, sizeof(err)))
			diff_profile_finish(&p);
		else if (!err[0] || strchr(err, '\n'))
			abort();
		diff_profile_free(&p);
	}
	json_object_put(rec);
	close(fd);
	return 0;
}
