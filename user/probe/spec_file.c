// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Spec files: one probe per line, '#' comment lines and blank lines skipped. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe_spec.h"
#include "spec_lex.h"

#define MAX_LINE 4096		     /* characters in one line, newline excluded */
#define MAX_PROBES NNP_DEFAULT_SPECS /* the BPF spec table holds no more */

struct spec_file {
	const char *path;
	unsigned line;
	struct nnp_probe_def **defs;
	size_t n;   /* probes in *defs, those of this file included */
	size_t cap; /* entries allocated in *defs */
	char *err;
	size_t errlen;
};

static int line_fail(struct spec_file *sf, size_t col, const char *msg)
{
	if (sf->err && sf->errlen)
		snprintf(sf->err, sf->errlen, "%s:%u:%zu: %s", sf->path, sf->line, col, msg);
	return -EINVAL;
}

static int grow(struct spec_file *sf)
{
	struct nnp_probe_def *v;
	size_t cap = sf->cap < 16 ? 16 : sf->cap * 2;

	if (sf->n < sf->cap)
		return 0;
	v = realloc(*sf->defs, cap * sizeof(*v));
	if (!v) {
		if (sf->err && sf->errlen)
			snprintf(sf->err, sf->errlen, "%s: %s", sf->path, strerror(ENOMEM));
		return -ENOMEM;
	}
	*sf->defs = v;
	sf->cap = cap;
	return 0;
}

static int load_line(struct spec_file *sf, char *line, size_t len)
{
	const char *nul = memchr(line, '\0', len), *p;
	char msg[512];
	int err, col;

	if (nul)
		return line_fail(sf, (size_t)(nul - line) + 1, "unexpected NUL byte");
	if (len > MAX_LINE)
		return line_fail(sf, MAX_LINE + 1, "line too long (at most 4096 characters)");
	p = nnp_lex_skip_ws_at(line);
	if (*p == '\0' || *p == '#')
		return 0;
	if (sf->n >= MAX_PROBES)
		return line_fail(sf, 1, "too many probes (at most 4096)");
	err = grow(sf);
	if (err)
		return err;
	err = nnp_probe_parse(line, &(*sf->defs)[sf->n], msg, sizeof(msg), &col);
	if (err)
		return line_fail(sf, (size_t)col, msg);
	snprintf((*sf->defs)[sf->n].origin, sizeof((*sf->defs)[sf->n].origin), "%s:%u", sf->path,
		 sf->line);
	sf->n++;
	return 0;
}

static int read_lines(struct spec_file *sf, FILE *f)
{
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	int err = 0;

	while (!err && (len = getline(&line, &linecap, f)) >= 0) {
		sf->line++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		err = load_line(sf, line, (size_t)len);
	}
	if (!err && ferror(f)) {
		err = errno ? -errno : -EIO;
		if (sf->err && sf->errlen)
			snprintf(sf->err, sf->errlen, "%s: %s", sf->path, strerror(-err));
	}
	free(line);
	return err;
}

int nnp_spec_load(const char *path, struct nnp_probe_def **defs, size_t *n, char *err,
		  size_t errlen)
{
	struct spec_file sf = {
		.path = path, .defs = defs, .n = *n, .cap = *n, .err = err, .errlen = errlen
	};
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	errno = 0;
	ret = read_lines(&sf, f);
	fclose(f);
	if (ret)
		return ret;
	*n = sf.n;
	if (err && errlen)
		err[0] = '\0';
	return 0;
}
