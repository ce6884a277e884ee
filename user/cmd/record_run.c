// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>

#include "log.h"
#include "record_run.h"

int nnp_record_to_file(char **record_argv, int argc, const char *out_path)
{
	struct record_opts o;
	int err;

	err = record_opts_parse(argc, record_argv, &o);
	if (err) {
		record_opts_free(&o);
		return -EINVAL; /* record_opts_parse said why */
	}
	if (o.pid || o.trace || o.output) {
		nnp_err("compare launches and records its commands itself: -p, -o and --trace "
			"are not record options here");
		record_opts_free(&o);
		return -EINVAL;
	}
	o.output = out_path;
	o.quiet = true;
	err = out_path ? nnp_record_run(&o) : 0;
	record_opts_free(&o);
	return err;
}
