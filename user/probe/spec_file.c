// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Spec files: one probe per line, '#' comment lines and blank lines skipped;
 * runtime= and library= lines say what the file describes (probe_spec.h).
 */
#include <ctype.h>
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
	struct nnp_spec_meta meta;
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

int nnp_spec_runtime_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (!n || n >= NNP_SPEC_RUNTIME_LEN)
		return 0;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("_.-", *c))
			return 0;
	return 1;
}

/* the value of a runtime= or library= line: one word, nothing after it */
static int directive_value(struct spec_file *sf, const char *line, const char *v, size_t max,
			   char *out)
{
	const char *end = v;

	while (*end && !nnp_lex_is_space(*end) && *end != '#')
		end++;
	if (end == v)
		return line_fail(sf, (size_t)(v - line) + 1, "expected a value after '='");
	if (*nnp_lex_skip_ws_at(end))
		return line_fail(sf, (size_t)(nnp_lex_skip_ws_at(end) - line) + 1,
				 "one value a line: a comment goes on a line of its own");
	if ((size_t)(end - v) >= max)
		return line_fail(sf, (size_t)(v - line) + max, "value too long");
	memcpy(out, v, (size_t)(end - v));
	out[end - v] = '\0';
	return 0;
}

static int runtime_line(struct spec_file *sf, const char *line, const char *v)
{
	char name[NNP_SPEC_RUNTIME_LEN];
	int err;

	if (sf->meta.runtime[0])
		return line_fail(sf, 1, "a second runtime= line (one runtime a file)");
	err = directive_value(sf, line, v, sizeof(name), name);
	if (err)
		return err;
	if (!nnp_spec_runtime_name_ok(name))
		return line_fail(sf, (size_t)(v - line) + 1,
				 "a runtime's name is 1-31 letters, digits, '_', '.' or '-'");
	memcpy(sf->meta.runtime, name, sizeof(name));
	return 0;
}

static int library_line(struct spec_file *sf, const char *line, const char *v)
{
	char *glob = sf->meta.libs[sf->meta.nlibs];
	int err;

	if (sf->meta.nlibs >= NNP_SPEC_MAX_LIBS)
		return line_fail(sf, 1, "too many library= lines (at most 16)");
	err = directive_value(sf, line, v, NNP_SPEC_LIB_LEN, glob);
	if (err)
		return err;
	if (strchr(glob, '/'))
		return line_fail(sf, (size_t)(strchr(v, '/') - line) + 1,
				 "library= matches a file's basename: no '/'");
	sf->meta.nlibs++;
	return 0;
}

/* a runtime= or library= line: 1 if it was not one, else 0 or -EINVAL */
static int directive(struct spec_file *sf, const char *line, const char *p)
{
	size_t len = nnp_lex_ident_len(p);
	const char *eq = nnp_lex_skip_ws_at(p + len);
	bool rt = nnp_lex_word_is(p, len, "runtime");

	if ((!rt && !nnp_lex_word_is(p, len, "library")) || *eq != '=')
		return 1;
	eq = nnp_lex_skip_ws_at(eq + 1);
	return rt ? runtime_line(sf, line, eq) : library_line(sf, line, eq);
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
	err = directive(sf, line, p);
	if (err <= 0)
		return err;
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
	return nnp_spec_load_meta(path, defs, n, NULL, err, errlen);
}

int nnp_spec_load_meta(const char *path, struct nnp_probe_def **defs, size_t *n,
		       struct nnp_spec_meta *meta, char *err, size_t errlen)
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
	if (meta)
		*meta = sf.meta;
	if (err && errlen)
		err[0] = '\0';
	return 0;
}
