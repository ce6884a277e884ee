/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* nnperf-tinynet: the workload nnperf's tests and demo measure (see --help). */
#include "cli.h"

int main(int argc, char **argv)
{
	struct tinynet_opts o;

	if (tinynet_opts_parse(argc, argv, &o))
		return 2;
	if (o.help) {
		tinynet_usage(stdout);
		return 0;
	}
	if (o.list_layers)
		return tinynet_list_layers(o.seed) ? 1 : 0;
	return tinynet_main_run(&o) ? 1 : 0;
}
