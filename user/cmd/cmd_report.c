// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* nnperf report REC.json... -o REC.html: the HTML report of one recording (docs/diff.md). */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "atomic_file.h"
#include "cmds.h"
#include "diff_cli.h"
#include "diff_writers.h"
#include "log.h"

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "group-by", required_argument, NULL, 'g' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{},
};

static void usage(void)
{
	printf("usage: nnperf report [OPTIONS] REC.json [REC.json...]\n\n"
	       "Writes the HTML report of a recording: time per inference of each layer, the\n"
	       "layers (nested ones indented), and what the kernel did to each (on-CPU, run\n"
	       "queue, blocked, faults, counters). Several recordings (runs of one command) are\n"
	       "merged as `nnperf diff` merges a side. One file, no script, no network.\n\n"
	       "  -o, --output FILE  write the page to FILE (default: stdout)\n"
	       "      --group-by G   also roll layers up into groups: block, part, op, none\n"
	       "  -v, --verbose      more messages\n");
}

static int load(struct diff_profile *p, char **paths, int n)
{
	char err[PATH_MAX + 512];
	int ret = diff_profile_init(p, n == 1 ? paths[0] : "recordings");

	if (ret)
		snprintf(err, sizeof(err), "out of memory");
	for (int i = 0; i < n && !ret; i++)
		ret = diff_profile_load(p, paths[i], err, sizeof(err));
	if (!ret && diff_profile_finish(p))
		ret = -ENOMEM, snprintf(err, sizeof(err), "out of memory");
	if (ret)
		nnp_err("%s", err);
	return ret;
}

static int write_page(FILE *f, const void *ctx)
{
	return diff_write(f, ctx, DIFF_HTML);
}

static int report(const struct diff_profile *p, const struct diff_out_opts *o)
{
	struct diff_result r;
	int err = diff_compute_one(p, &r);

	if (!err && o->group_by != NNP_GROUP_NONE)
		err = diff_groups(&r, o->group_by);
	if (err) {
		nnp_err("failed to build the report: %s", strerror(-err));
		diff_result_free(&r);
		return 1;
	}
	if (o->output)
		err = nnp_write_file_atomic(o->output, write_page, &r);
	else
		err = diff_write(stdout, &r, DIFF_HTML);
	if (err)
		nnp_err("failed to write %s: %s", o->output ? o->output : "the report",
			strerror(-err));
	diff_result_free(&r);
	return err ? 1 : 0;
}

int cmd_report(int argc, char **argv)
{
	struct diff_out_opts o = { .format = DIFF_HTML };
	struct diff_profile p = { 0 };
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
	if (optind >= argc) {
		nnp_err(
		    "report takes a recording: nnperf report REC.json -o REC.html (see --help)");
		return 2;
	}
	ret = load(&p, argv + optind, argc - optind) ? 1 : report(&p, &o);
	diff_profile_free(&p);
	return ret;
}
