// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * nnperf compare -- CMD_A ::: CMD_B: runs A, B, A, B, ... so that whatever
 * else the machine does (frequency, noisy neighbours, thermal state) hits both
 * alike, records every run like `nnperf record`, merges each side's runs and
 * prints the diff (docs/diff.md).
 */
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmds.h"
#include "diff_cli.h"
#include "log.h"
#include "record_run.h"
#include "recording.h"

#define DEFAULT_RUNS 5
#define MAX_RUNS 1000

struct side {
	char **argv; /* {"record", record options..., "--", CMD..., NULL} */
	int argc;
	char label[256];
	struct diff_profile prof;
};

struct compare {
	struct diff_out_opts out;
	unsigned int runs;
	const char *keep;     /* --keep DIR, else a temporary directory removed at the end */
	const char *names[2]; /* --node-names-a / -b FILE: each side's ORT profile */
	char dir[PATH_MAX];
	struct side s[2];
};

static void usage(void)
{
	printf(
	    "usage: nnperf compare [OPTIONS] [RECORD OPTIONS] -- CMD_A [ARGS] ::: CMD_B [ARGS]\n\n"
	    "Runs A and B alternately (A, B, A, B, ...) so that machine noise hits both alike,\n"
	    "records each run as `nnperf record` would, merges each side's runs and prints\n"
	    "the diff (as `nnperf diff`).\n\n"
	    "      --runs N       runs of each command (default %d)\n"
	    "      --keep DIR     keep the recordings in DIR (A-1.json, B-1.json, ...)\n"
	    "      --format FMT   table (default), json or html\n"
	    "  -o, --output FILE  write the diff to FILE (the table still goes to stdout)\n"
	    "      --force        compare commands that look like different models\n"
	    "      --group-by G   also compare groups of layers: block, part, op or none\n"
	    "      --node-names-a FILE, --node-names-b FILE\n"
	    "                     name A's (B's) ONNX Runtime nodes from a profile of its model\n"
	    "  -v, --verbose      show each run\n\n"
	    "Other options (--spec, --probe, --usdt, --ringbuf-size, -d, ...) are passed to\n"
	    "each recording; see nnperf record --help.\n",
	    DEFAULT_RUNS);
}

static int parse_runs(const char *arg, unsigned int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || *end || end == arg || v < 1 || v > MAX_RUNS) {
		nnp_err("--runs: '%s' is not a number of runs (1..%d)", arg, MAX_RUNS);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* "--name VALUE" or "--name=VALUE": 1 matched (*val set), 0 not this option, -1 no value */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return 0;
	if (argv[*i][n] == '=') {
		*val = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n])
		return 0;
	if (*i + 1 >= argc || !strcmp(argv[*i + 1], "--")) {
		nnp_err("%s needs a value", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

/* compare's own option at argv[*i]: 1 consumed, 0 not ours, -1 usage error, 2 help */
static int own_option(struct compare *c, int argc, char **argv, int *i)
{
	const char *v, *a = argv[*i];
	int m;

	if (!strcmp(a, "-h") || !strcmp(a, "--help"))
		return 2;
	if (!strcmp(a, "--force")) {
		c->out.force = true;
		return 1;
	}
	if (!strcmp(a, "-v") || !strcmp(a, "-vv") || !strcmp(a, "--verbose")) {
		nnp_log_set_verbose(nnp_log_verbose() + (int)strspn(a + 1, "v") + (a[1] == '-'));
		return 1;
	}
	if ((m = opt_value(argc, argv, i, "--runs", &v)))
		return m < 0 || parse_runs(v, &c->runs) ? -1 : 1;
	if ((m = opt_value(argc, argv, i, "--keep", &v))) {
		c->keep = v;
		return m;
	}
	for (int k = 0; k < 2; k++)
		if ((m = opt_value(argc, argv, i, k ? "--node-names-b" : "--node-names-a", &v))) {
			c->names[k] = v;
			return m;
		}
	if ((m = opt_value(argc, argv, i, "--group-by", &v)))
		return m < 0 || diff_parse_out_opt('g', v, &c->out) ? -1 : 1;
	if ((m = opt_value(argc, argv, i, "--format", &v)))
		return m < 0 || diff_parse_out_opt('f', v, &c->out) ? -1 : 1;
	if ((m = opt_value(argc, argv, i, "--output", &v)) ||
	    (m = opt_value(argc, argv, i, "-o", &v)))
		return m < 0 || diff_parse_out_opt('o', v, &c->out) ? -1 : 1;
	return 0;
}

static int add_arg(struct side *s, char *arg)
{
	char **nv = realloc(s->argv, (s->argc + 2) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	s->argv = nv;
	s->argv[s->argc++] = arg;
	s->argv[s->argc] = NULL;
	return 0;
}

static void side_label(struct side *s, char **cmd, int n)
{
	size_t off = 0;

	for (int i = 0; i < n && off < sizeof(s->label); i++)
		off +=
		    snprintf(s->label + off, sizeof(s->label) - off, "%s%s", i ? " " : "", cmd[i]);
}

/* record argv of both sides: shared record options, then "--" and the side's command */
static int split(struct compare *c, char **pass, int npass, char **cmd, int ncmd)
{
	int sep = -1, err = 0;

	for (int i = 0; i < ncmd && sep < 0; i++)
		if (!strcmp(cmd[i], ":::"))
			sep = i;
	if (sep <= 0 || sep == ncmd - 1) {
		nnp_err("give two commands: nnperf compare [OPTIONS] -- CMD_A ::: CMD_B");
		return -EINVAL;
	}
	for (int k = 0; k < 2; k++) {
		char **from = k ? cmd + sep + 1 : cmd;
		int n = k ? ncmd - sep - 1 : sep;

		err = add_arg(&c->s[k], "record");
		for (int i = 0; !err && i < npass; i++)
			err = add_arg(&c->s[k], pass[i]);
		if (!err && c->names[k])
			err = add_arg(&c->s[k], "--node-names");
		if (!err && c->names[k])
			err = add_arg(&c->s[k], (char *)c->names[k]);
		if (!err)
			err = add_arg(&c->s[k], "--");
		for (int i = 0; !err && i < n; i++)
			err = add_arg(&c->s[k], from[i]);
		side_label(&c->s[k], from, n);
		if (err)
			return err;
	}
	return 0;
}

/* 0; 1 help printed; 2 usage error (printed) */
static int parse_args(struct compare *c, int argc, char **argv)
{
	char **pass = calloc(argc + 1, sizeof(*pass));
	int npass = 0, i, ret = 2;

	if (!pass)
		return 2;
	for (i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		int m = own_option(c, argc, argv, &i);

		if (m == 2) {
			usage();
			ret = 1;
			goto cleanup;
		}
		if (m < 0)
			goto cleanup;
		if (!m)
			pass[npass++] = argv[i];
	}
	if (i >= argc) {
		nnp_err("nothing to compare: nnperf compare [OPTIONS] -- CMD_A ::: CMD_B");
		goto cleanup;
	}
	if (split(c, pass, npass, argv + i + 1, argc - i - 1))
		goto cleanup;
	ret = 0;
	for (int k = 0; k < 2 && !ret; k++)
		ret = nnp_record_to_file(c->s[k].argv, c->s[k].argc, NULL) ? 2 : 0;
cleanup:
	free(pass);
	return ret;
}

static int make_dir(struct compare *c)
{
	if (c->keep) {
		if (mkdir(c->keep, 0755) && errno != EEXIST) {
			nnp_err("failed to create %s: %s", c->keep, strerror(errno));
			return -errno;
		}
		if (snprintf(c->dir, sizeof(c->dir) - 32, "%s", c->keep) >=
		    (int)sizeof(c->dir) - 32) {
			nnp_err("--keep %s: %s", c->keep, strerror(ENAMETOOLONG));
			return -ENAMETOOLONG;
		}
		return 0;
	}
	snprintf(c->dir, sizeof(c->dir), "%s/nnperf-compare.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(c->dir)) {
		nnp_err("failed to create a temporary directory: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* c->dir is at most PATH_MAX - 32 bytes (make_dir): the name always fits */
static void run_path(const struct compare *c, int k, unsigned int run, char *buf, size_t len)
{
	if (snprintf(buf, len, "%s/%c-%u.json", c->dir, k ? 'B' : 'A', run) >= (int)len)
		buf[0] = '\0';
}

/* adds one run's recording to its side; a failed command is worth a warning */
static int add_run(struct side *s, const char *path, char tag, unsigned int run)
{
	char err[PATH_MAX + 512], why[256];
	json_object *rec, *st;
	int ret;

	ret = nnp_recording_read(path, &rec, err, sizeof(err));
	if (!ret) {
		if (json_object_object_get_ex(rec, "exit_status", &st) && st &&
		    json_object_get_int(st) != 0)
			nnp_warn("run %u of %c exited with status %d", run, tag,
				 json_object_get_int(st));
		ret = diff_profile_add(&s->prof, rec, why, sizeof(why));
		json_object_put(rec);
		if (ret)
			snprintf(err, sizeof(err), "%s: invalid recording: %s", path, why);
	}
	if (ret)
		nnp_err("%s", err);
	return ret;
}

/* A, B, A, B, ...: both sides see the same machine, in turn */
static int record_all(struct compare *c)
{
	char path[PATH_MAX];
	unsigned int run;
	int err = 0;

	for (run = 1; run <= c->runs && !err; run++)
		for (int k = 0; k < 2 && !err; k++) {
			if (nnp_record_interrupted()) {
				nnp_err(
				    "interrupted: no diff of incomplete runs (recordings in %s)",
				    c->keep ? c->keep : "a temporary directory, removed");
				return -EINTR;
			}
			run_path(c, k, run, path, sizeof(path));
			nnp_info("run %u/%u of %c: %s", run, c->runs, k ? 'B' : 'A', c->s[k].label);
			err = nnp_record_to_file(c->s[k].argv, c->s[k].argc, path);
			if (!err)
				err = add_run(&c->s[k], path, k ? 'B' : 'A', run);
		}
	return err;
}

static void remove_dir(struct compare *c)
{
	char path[PATH_MAX];

	if (c->keep || !c->dir[0])
		return;
	for (unsigned int run = 1; run <= c->runs; run++)
		for (int k = 0; k < 2; k++) {
			run_path(c, k, run, path, sizeof(path));
			unlink(path);
		}
	rmdir(c->dir);
}

int cmd_compare(int argc, char **argv)
{
	struct compare c = { .out.format = DIFF_TABLE, .runs = DEFAULT_RUNS };
	int ret;

	ret = parse_args(&c, argc, argv);
	if (ret) {
		ret = ret == 1 ? 0 : 2;
		goto cleanup;
	}
	ret = 1;
	if (diff_profile_init(&c.s[0].prof, c.s[0].label) ||
	    diff_profile_init(&c.s[1].prof, c.s[1].label) || make_dir(&c) || record_all(&c))
		goto cleanup;
	if (!diff_profile_finish(&c.s[0].prof) && !diff_profile_finish(&c.s[1].prof))
		ret = diff_cli_run(&c.s[0].prof, &c.s[1].prof, &c.out);
cleanup:
	remove_dir(&c);
	for (int k = 0; k < 2; k++) {
		diff_profile_free(&c.s[k].prof);
		free(c.s[k].argv);
	}
	return ret;
}
