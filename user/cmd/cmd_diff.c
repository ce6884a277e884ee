// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnperf diff A.json B.json: two recordings compared layer by layer (docs/diff.md). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cmds.h"
#include "diff_cli.h"
#include "log.h"

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, 'F' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "group-by", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

static void usage(void)
{
	printf("usage: nnperf diff [OPTIONS] A.json B.json\n\n"
	       "Compares two recordings layer by layer: speedup (A mean / B mean), B-A with a\n"
	       "95%% confidence interval (Welch), kernel signals, and where the time went.\n\n"
	       "      --format FMT   table (default), json or html\n"
	       "  -o, --output FILE  write the diff to FILE (the table still goes to stdout)\n"
	       "      --force        compare recordings that look like different models\n"
	       "      --group-by G   also compare groups of layers: block (llama.cpp's blk.N,\n"
	       "                     a numbered module), part (attention, feed-forward, norm),\n"
	       "                     op, or none (default)\n"
	       "  -v, --verbose      more messages\n");
}

static int load(struct diff_profile *p, const char *path)
{
	char err[PATH_MAX + 512];
	int ret = diff_profile_init(p, path);

	if (!ret)
		ret = diff_profile_load(p, path, err, sizeof(err));
	else
		snprintf(err, sizeof(err), "out of memory");
	if (!ret)
		ret = diff_profile_finish(p);
	if (ret)
		nnp_err("%s", err);
	return ret;
}

int cmd_diff(int argc, char **argv)
{
	struct diff_out_opts o = { .format = DIFF_TABLE };
	struct diff_profile a = { 0 }, b = { 0 };
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:vh", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage();
			return 0;
		}
		if (c == '?' || diff_parse_out_opt(c, optarg, &o))
			return 2;
	}
	if (argc - optind != 2) {
		nnp_err("diff takes two recordings: nnperf diff A.json B.json (see --help)");
		return 2;
	}
	ret = load(&a, argv[optind]) || load(&b, argv[optind + 1]) ? 1 : diff_cli_run(&a, &b, &o);
	diff_profile_free(&a);
	diff_profile_free(&b);
	return ret;
}
