// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "diff_cli.h"
#include "log.h"

struct diff_out {
	const struct diff_result *r;
	enum diff_format fmt;
};

static int write_diff(FILE *f, const void *ctx)
{
	const struct diff_out *o = ctx;

	return diff_write(f, o->r, o->fmt);
}

int diff_cli_run(const struct diff_profile *a, const struct diff_profile *b,
		 const struct diff_out_opts *o)
{
	struct diff_result r;
	char why[1024];
	int err;

	err = diff_compute(a, b, o->force, &r, why, sizeof(why));
	if (err) {
		nnp_err("%s", why);
		return 1;
	}
	if (o->group_by != NNP_GROUP_NONE && diff_groups(&r, o->group_by)) {
		nnp_err("failed to group the layers: %s", strerror(ENOMEM));
		diff_result_free(&r);
		return 1;
	}
	if (!o->force && r.al.by_name + r.al.by_order < r.al.n)
		nnp_info("%zu layers only in A, %zu only in B", r.al.only_a, r.al.only_b);
	if (o->output) {
		err = nnp_write_file_atomic(o->output, write_diff,
					    &(struct diff_out){ .r = &r, .fmt = o->format });
		if (err)
			nnp_err("failed to write %s: %s", o->output, strerror(-err));
		else if (o->format != DIFF_TABLE)
			err = diff_write_table(stdout, &r);
	} else {
		err = diff_write(stdout, &r, o->format);
		if (err)
			nnp_err("failed to write the diff: %s", strerror(-err));
	}
	diff_result_free(&r);
	return err ? 1 : 0;
}

int diff_parse_out_opt(int c, const char *arg, struct diff_out_opts *o)
{
	switch (c) {
	case 'f':
		if (diff_format_parse(arg, &o->format)) {
			nnp_err("--format: '%s' is not one of table, json, html", arg);
			return 2;
		}
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case 'F':
		o->force = true;
		return 0;
	case 'v':
		nnp_log_set_verbose(nnp_log_verbose() + 1);
		return 0;
	case 'g':
		if (nnp_group_by_parse(arg, &o->group_by)) {
			nnp_err("--group-by: '%s' is not one of block, part, op, none", arg);
			return 2;
		}
		return 0;
	}
	return 2;
}
