// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --node-names PROFILE: any file as ORT's profile. An error is one line that
 * names the file; on success every loaded index is found again.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_json.h"
#include "fuzz_util.h"
#include "node_names.h"

static void check_loaded(struct nnp_node_names *m)
{
	struct nnp_node_name *e, *tmp;
	size_t n = 0;

	if (!m->n)
		abort(); /* success means at least one node */
	HASH_ITER(hh, m->by_index, e, tmp) {
		if (nnp_node_names_find(m, e->index) != e || !e->name || !e->op)
			abort();
		n++;
	}
	if (n != m->n || nnp_node_names_find(NULL, 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nnp_node_names m;
	char err[512], path[64];
	int fd = fuzz_file(data, size, path, sizeof(path)), ret;

	if (fd < 0)
		return 0;
	err[0] = '\0';
	ret = nnp_node_names_load(path, &m, err, sizeof(err));
	if (ret) {
		if (ret > 0 || !strstr(err, path) || strchr(err, '\n') || m.n || m.by_index)
			abort(); /* one line naming the file, nothing left loaded */
	} else {
		check_loaded(&m);
		nnp_node_names_free(&m);
	}
	close(fd);
	return 0;
}
