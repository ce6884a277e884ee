// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libraries an executable will load, breadth first over DT_NEEDED as
 * ld.so loads them. Each soname is searched, as ld.so(8) says, in: DT_RPATH
 * of the object that needs it (when it has no DT_RUNPATH), then of the
 * executable (ld.so walks the loader chain; the executable is its root),
 * LD_LIBRARY_PATH, DT_RUNPATH, the /etc/ld.so.conf directories the cache is
 * built from, and the default directories.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "libpath.h"
#include "libpath_priv.h"
#include "log.h"

#define DEFAULT_DIRS "/lib/" NNP_MULTIARCH ":/usr/lib/" NNP_MULTIARCH ":/lib64:/lib:/usr/lib"
#define CONF_MAX_DEPTH 8

struct strlist {
	char **v;
	size_t n, cap;
};

static int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

static int strlist_push(struct strlist *l, const char *s)
{
	char **v;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v = v;
	}
	l->v[l->n] = strdup(s);
	if (!l->v[l->n])
		return -ENOMEM;
	l->n++;
	return 0;
}

static void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

struct deps {
	struct nnp_abi abi;
	struct nnp_elf *exe;
	char exe_origin[PATH_MAX];
	const char *ld_library_path;
	struct strlist conf;	/* ld.so.conf directories */
	struct strlist sonames; /* DT_NEEDED names already satisfied */
	struct strlist files;	/* paths found, in load order: the queue */
	struct strlist reals;	/* their real paths: each file once */
	int (*cb)(const char *path, void *ctx);
	void *ctx;
	int stopped;
};

static char *trim(char *s)
{
	char *end;

	s[strcspn(s, "#")] = '\0';
	s += strspn(s, " \t\r\n");
	end = s + strlen(s);
	while (end > s && strchr(" \t\r\n", end[-1]))
		*--end = '\0';
	return s;
}

static int conf_parse(struct strlist *dirs, const char *file, int depth);

/* "include PATTERN", relative to the including file's directory */
static int conf_include(struct strlist *dirs, const char *file, const char *pattern, int depth)
{
	char pat[PATH_MAX];
	const char *slash = strrchr(file, '/');
	glob_t g;
	size_t i;
	int err = 0;

	if (pattern[0] == '/' || !slash)
		snprintf(pat, sizeof(pat), "%s", pattern);
	else
		snprintf(pat, sizeof(pat), "%.*s/%s", (int)(slash - file), file, pattern);
	if (glob(pat, 0, NULL, &g))
		return 0; /* no match is no error for ldconfig either */
	for (i = 0; i < g.gl_pathc && !err; i++)
		err = conf_parse(dirs, g.gl_pathv[i], depth + 1);
	globfree(&g);
	return err;
}

static int conf_parse(struct strlist *dirs, const char *file, int depth)
{
	size_t cap = 0;
	char *line = NULL, *s;
	FILE *f;
	int err = 0;

	if (depth > CONF_MAX_DEPTH)
		return 0;
	f = fopen(file, "re");
	if (!f)
		return 0; /* ld.so runs without one; so do we */
	while (!err && getline(&line, &cap, f) > 0) {
		s = trim(line);
		if (!strncmp(s, "include", 7) && (s[7] == ' ' || s[7] == '\t'))
			err = conf_include(dirs, file, trim(s + 8), depth);
		else if (*s && strncmp(s, "hwcap", 5) && !strlist_has(dirs, s))
			err = strlist_push(dirs, s);
	}
	free(line);
	fclose(f);
	return err;
}

static int in_conf_dirs(const struct deps *d, const char *soname, char *out, size_t len)
{
	size_t i;

	for (i = 0; i < d->conf.n; i++)
		if (!nnp_lib_in_dirs(&d->abi, d->conf.v[i], "", "", soname, out, len))
			return 0;
	return -ENOENT;
}

/* where ld.so would find soname needed by e (whose directory is origin) */
static int resolve(const struct deps *d, struct nnp_elf *e, const char *origin, const char *soname,
		   char *out, size_t len)
{
	const struct nnp_abi *abi = &d->abi;

	if (strchr(soname, '/'))
		return nnp_lib_at(abi, soname, origin, out, len);
	if (!nnp_elf_dt_runpath(e)) {
		if (!nnp_lib_in_dirs(abi, nnp_elf_rpath(e), ":", origin, soname, out, len))
			return 0;
		if (e != d->exe && !nnp_elf_dt_runpath(d->exe) &&
		    !nnp_lib_in_dirs(abi, nnp_elf_rpath(d->exe), ":", d->exe_origin, soname, out,
				     len))
			return 0;
	}
	if (!nnp_lib_in_dirs(abi, d->ld_library_path, ":;", d->exe_origin, soname, out, len))
		return 0;
	if (!nnp_lib_in_dirs(abi, nnp_elf_dt_runpath(e), ":", origin, soname, out, len))
		return 0;
	if (!in_conf_dirs(d, soname, out, len))
		return 0;
	return nnp_lib_in_dirs(abi, DEFAULT_DIRS, ":", "", soname, out, len);
}

struct needer {
	struct deps *d;
	struct nnp_elf *e;
	const char *origin;
};

/* adds a found file to the queue and tells the caller; 1 when the caller stops */
static int found(struct deps *d, const char *path)
{
	char real[PATH_MAX], abs[PATH_MAX];
	int err;

	if (!realpath(path, real))
		return 0; /* gone since we looked */
	if (strlist_has(&d->reals, real))
		return 0;
	/* a relative LD_LIBRARY_PATH entry gave a relative path */
	if (path[0] != '/')
		path = strcpy(abs, real);
	err = strlist_push(&d->reals, real);
	if (!err)
		err = strlist_push(&d->files, path);
	if (err)
		return err;
	d->stopped = !!d->cb(path, d->ctx);
	return d->stopped;
}

static int needed_cb(const char *soname, void *ctx)
{
	struct needer *n = ctx;
	char path[PATH_MAX];
	int err;

	if (strlist_has(&n->d->sonames, soname))
		return 0;
	err = strlist_push(&n->d->sonames, soname);
	if (err)
		return err;
	if (resolve(n->d, n->e, n->origin, soname, path, sizeof(path))) {
		nnp_info("%s: library %s not found", nnp_elf_path(n->e), soname);
		return 0;
	}
	return found(n->d, path);
}

static void origin_of(const char *path, char *out, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(out, len, ".");
	else if (slash == path)
		snprintf(out, len, "/");
	else
		snprintf(out, len, "%.*s", (int)(slash - path), path);
}

static int walk_needed(struct deps *d, struct nnp_elf *e, const char *origin)
{
	struct needer n = { .d = d, .e = e, .origin = origin };

	return nnp_elf_needed_foreach(e, needed_cb, &n);
}

/* the libraries after the executable, each opened once as the queue reaches it */
static int walk_queue(struct deps *d)
{
	char origin[PATH_MAX];
	struct nnp_elf *e;
	size_t i;
	int err = 0;

	for (i = 1; i < d->files.n && !d->stopped && !err; i++) {
		if (nnp_elf_open(d->files.v[i], &e))
			continue; /* checked when found: only a race gets here */
		origin_of(d->files.v[i], origin, sizeof(origin));
		err = walk_needed(d, e, origin);
		nnp_elf_close(e);
	}
	return err;
}

int nnp_deps_foreach(const char *exe, int (*cb)(const char *path, void *ctx), void *ctx)
{
	struct deps d = { .cb = cb, .ctx = ctx };
	char real[PATH_MAX];
	int err, type;

	/* ld.so takes $ORIGIN of the executable from /proc/self/exe: links resolved */
	if (!realpath(exe, real))
		return -errno;
	err = nnp_elf_open(real, &d.exe);
	if (err)
		return err;
	nnp_elf_abi(d.exe, &d.abi.cls, &d.abi.machine, &type);
	origin_of(real, d.exe_origin, sizeof(d.exe_origin));
	d.ld_library_path = getenv("LD_LIBRARY_PATH");
	err = conf_parse(&d.conf, "/etc/ld.so.conf", 0);
	if (!err)
		err = strlist_push(&d.files, real);
	if (!err)
		err = strlist_push(&d.reals, real);
	if (!err)
		err = walk_needed(&d, d.exe, d.exe_origin);
	if (!err && !d.stopped)
		err = walk_queue(&d);
	strlist_free(&d.conf);
	strlist_free(&d.sonames);
	strlist_free(&d.files);
	strlist_free(&d.reals);
	nnp_elf_close(d.exe);
	return err < 0 ? err : 0;
}
