// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "diff_cli.h"
#include "log.h"

/* through a temporary file and rename, so a failed run never leaves half a report */
static int write_file(const char *path, const struct diff_result *r, enum diff_format fmt)
{
	char tmp[PATH_MAX];
	FILE *f;
	int err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	err = diff_write(f, r, fmt);
	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
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
	if (!o->force && r.al.by_name + r.al.by_order < r.al.n)
		nnp_info("%zu layers only in A, %zu only in B", r.al.only_a, r.al.only_b);
	if (o->output) {
		err = write_file(o->output, &r, o->format);
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
	}
	return 2;
}
