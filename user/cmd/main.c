// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "log.h"

struct cmd {
	const char *name;
	int (*handler)(int argc, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "record", cmd_record, "measure every layer of a process: record [-p PID | -- CMD]" },
	{ "doctor", cmd_doctor, "what this kernel supports and what nnperf falls back to" },
	{ "diff", cmd_diff, "compare two recordings layer by layer: diff A.json B.json" },
	{ "report", cmd_report, "the HTML report of a recording: report REC.json -o REC.html" },
	{ "compare", cmd_compare, "run two commands alternately, diff them: compare -- A ::: B" },
	{ "export", cmd_export, "serve Prometheus metrics of inference processes: export [--all]" },
	{ "top", cmd_top, "live per-layer view of inference processes: top [-p PID | -- CMD]" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: nnperf COMMAND [OPTIONS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'nnperf COMMAND --help' shows a command's options; man nnperf has all.\n");
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return usage(stdout);
	if (!strcmp(argv[1], "--version")) {
		printf("nnperf %s\n", NNPERF_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].handler(argc - 1, argv + 1);
	nnp_err("unknown command '%s' (try 'nnperf --help')", argv[1]);
	return 2;
}
