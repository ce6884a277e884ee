// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnperf record: its options, then the recorder (pipeline/recorder.c). */
#include "cmds.h"
#include "record_opts.h"
#include "recorder.h"

int cmd_record(int argc, char **argv)
{
	struct record_opts o;
	int err;

	err = record_opts_parse(argc, argv, &o);
	if (err) {
		record_opts_free(&o);
		return nnp_parse_exit(err);
	}
	err = nnp_record_run(&o);
	record_opts_free(&o);
	return err ? 1 : 0;
}
