// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The probe grammar: one --probe string, and the same bytes as a spec file. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "probe_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nnp_probe_def *def = calloc(1, sizeof(*def)), *again = calloc(1, sizeof(*again));
	struct nnp_probe_def *defs = NULL;
	char err[512], path[64], back[1024], back2[1024];
	char *text = fuzz_cstr(data, size);
	size_t n = 0;
	int col = 0, fd;

	if (!def || !again || !text)
		goto cleanup;
	if (!nnp_probe_parse(text, def, err, sizeof(err), &col)) {
		/* the canonical text parses back to what it says: a fixed point */
		if (!nnp_probe_format(def, back, sizeof(back)) &&
		    (nnp_probe_parse(back, again, err, sizeof(err), &col) ||
		     nnp_probe_format(again, back2, sizeof(back2)) || strcmp(back, back2)))
			abort();
	} else if (col < 1 || !err[0])
		abort(); /* every error names a column and says why */
	fd = fuzz_file(data, size, path, sizeof(path));
	if (fd >= 0) {
		if (nnp_spec_load(path, &defs, &n, err, sizeof(err)) && !strstr(err, path))
			abort(); /* every error names the file */
		close(fd);
	}
cleanup:
	free(defs);
	free(again);
	free(def);
	free(text);
	return 0;
}
