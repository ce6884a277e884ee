// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which files of the target get which runtime's probes (scan.h). A uprobe on
 * the dynamic loader's _dl_debug_state, which it calls after each change to
 * the link map, tells when to look again.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf_check.h"
#include "elf_sym.h"
#include "libpath.h"
#include "log.h"
#include "planner.h"
#include "procmaps.h"
#include "runtimes.h"
#include "scan.h"
#include "warn_once.h"

struct nnp_file_id {
	uint64_t dev, ino;
};

struct nnp_scanner {
	struct nnp_planner *plan;
	const struct nnp_target *t;
	struct nnp_file_id *scanned; /* files examined */
	size_t nscanned;
	size_t bad_files;		       /* named like a runtime's library, but unreadable */
	const struct nnp_runtime *runtimes[8]; /* runtimes found */
	size_t nruntimes;
	bool usdt;  /* nnperf USDT markers are attached too */
	bool execd; /* a launched target has exec'd: read its maps, not its files */
};

int nnp_scanner_new(struct nnp_planner *plan, struct nnp_scanner **out)
{
	struct nnp_scanner *sc = calloc(1, sizeof(*sc));

	if (!sc)
		return -ENOMEM;
	sc->plan = plan;
	sc->t = nnp_planner_target(plan);
	*out = sc;
	return 0;
}

void nnp_scanner_free(struct nnp_scanner *sc)
{
	if (!sc)
		return;
	free(sc->scanned);
	free(sc);
}

/* 1 the first time the file at PATH is seen (by device and inode: the same
 * file is reached by several paths), 0 after, -errno */
static int first_time(struct nnp_scanner *sc, const char *path)
{
	struct nnp_file_id *n;
	struct stat st;

	if (stat(path, &st))
		return 0; /* gone or unreadable: nothing to attach to */
	for (size_t i = 0; i < sc->nscanned; i++)
		if (sc->scanned[i].dev == st.st_dev && sc->scanned[i].ino == st.st_ino)
			return 0;
	n = realloc(sc->scanned, (sc->nscanned + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	sc->scanned = n;
	sc->scanned[sc->nscanned++] = (struct nnp_file_id){ .dev = st.st_dev, .ino = st.st_ino };
	return 1;
}

/* nnperf's USDT header (include/nnperf/usdt.h) */
static void usdt_def(struct nnp_probe_def *d, const char *path, const char *name)
{
	memset(d, 0, sizeof(*d));
	d->site = NNP_SITE_USDT;
	snprintf(d->lib, sizeof(d->lib), "%s", path);
	snprintf(d->provider, sizeof(d->provider), "nnperf");
	snprintf(d->usdt_name, sizeof(d->usdt_name), "%s", name);
	snprintf(d->origin, sizeof(d->origin), "nnperf USDT markers");
	if (!strcmp(name, "inference_begin")) {
		d->kind = NNP_PROBE_INFER_BEGIN;
	} else if (!strcmp(name, "inference_end")) {
		d->kind = NNP_PROBE_INFER_END;
	} else {
		d->kind = strcmp(name, "layer_begin") ? NNP_PROBE_LAYER_END : NNP_PROBE_LAYER_BEGIN;
		d->key = (struct nnp_fetch){ .kind = NNP_FETCH_VALUE, .arg = 0 };
	}
	if (d->kind == NNP_PROBE_LAYER_BEGIN) {
		d->name = (struct nnp_fetch){ .kind = NNP_FETCH_STRING, .arg = 1 };
		d->op = (struct nnp_fetch){ .kind = NNP_FETCH_STRING, .arg = 2 };
	}
}

/* ends before begins: attached to a running process, a begin whose end
 * was not attached yet would leave an inference or a layer open for ever */
static const char *const usdt_names[] = { "inference_end", "layer_end", "layer_begin",
					  "inference_begin" };

static int on_usdt_note(const char *provider, const char *name, void *arg)
{
	unsigned int *present = arg;

	if (strcmp(provider, "nnperf"))
		return 0;
	for (unsigned int i = 0; i < 4; i++)
		if (!strcmp(name, usdt_names[i]))
			*present |= 1u << i;
	return 0;
}

/* the markers present in PATH; > 0 attached, 0 none */
static int attach_usdt(struct nnp_scanner *sc, const char *path, struct nnp_elf *e)
{
	unsigned int present = 0;
	struct nnp_probe_def d;
	int err = nnp_elf_usdt_foreach(e, on_usdt_note, &present);

	for (unsigned int i = 0; !err && i < 4; i++) {
		if (!(present & (1u << i)))
			continue;
		usdt_def(&d, path, usdt_names[i]);
		err = nnp_planner_attach(sc->plan, &d, "usdt");
	}
	return err ? err : present != 0;
}

/* an adapter's definitions; symbols missing from this build are skipped */
static int attach_defs(struct nnp_scanner *sc, const struct nnp_runtime *rt, const char *path)
{
	struct nnp_probe_def d;
	char text[PATH_MAX + 512], msg[256];
	int col, attached = 0, err;

	for (const char *const *f = rt->probes; *f; f++) {
		snprintf(text, sizeof(text), *f, path);
		if (nnp_probe_parse(text, &d, msg, sizeof(msg), &col)) {
			nnp_err("runtime %s: bad built-in probe '%s': %s", rt->name, text, msg);
			return -EINVAL;
		}
		snprintf(d.origin, sizeof(d.origin), "runtime %s", rt->name);
		err = nnp_planner_attach_optional(sc->plan, &d, rt->name);
		if (err && err != -ENOENT)
			return err;
		attached += !err;
	}
	return attached;
}

/* 1 if one of a spec runtime's library= patterns matches both LIB and PATH
 * (basenames): that definition is for the file at PATH (spec_runtimes.c
 * makes sure each definition's LIB matches one) */
static int spec_def_for(const struct nnp_runtime *rt, const char *lib, const char *path)
{
	const char *lb = strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib;
	const char *pb = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	for (const char *const *l = rt->libs; *l; l++)
		if (!fnmatch(*l, lb, 0) && !fnmatch(*l, pb, 0))
			return 1;
	return 0;
}

static int is_end(const struct nnp_probe_def *d)
{
	return d->kind == NNP_PROBE_LAYER_END || d->kind == NNP_PROBE_INFER_END;
}

/* a spec runtime's definitions; one that cannot be attached (the planner said
 * why) does not stop the others; > 0 attached, 0 none, -ENOMEM */
static int attach_spec_defs(struct nnp_scanner *sc, const struct nnp_runtime *rt, const char *path)
{
	struct nnp_probe_def *d = malloc(sizeof(*d));
	int attached = 0, err = 0;

	if (!d)
		return -ENOMEM;
	/* end sites before begin sites, as for --spec (a begin must never miss its end) */
	for (int ends = 1; ends >= 0; ends--)
		for (size_t i = 0; i < rt->ndefs && err != -ENOMEM; i++) {
			if (is_end(&rt->defs[i]) != ends ||
			    !spec_def_for(rt, rt->defs[i].lib, path))
				continue;
			*d = rt->defs[i];
			snprintf(d->lib, sizeof(d->lib), "%s", path);
			err = nnp_planner_attach_user(sc->plan, d, rt->name);
			attached += !err;
		}
	free(d);
	if (err == -ENOMEM)
		return err;
	if (!attached && nnp_warn_once(path))
		nnp_warn("%s (%s): none of its probes found a site in %s; not measured", rt->name,
			 rt->file, path);
	return attached;
}

static void note_runtime(struct nnp_scanner *sc, const struct nnp_runtime *rt)
{
	for (size_t i = 0; i < sc->nruntimes; i++)
		if (sc->runtimes[i] == rt)
			return;
	if (sc->nruntimes < sizeof(sc->runtimes) / sizeof(sc->runtimes[0]))
		sc->runtimes[sc->nruntimes++] = rt;
}

/* a runtime's file nnperf cannot use: one line, once, and the scan goes on */
static void bad_file(struct nnp_scanner *sc, const char *path, const struct nnp_runtime *rt,
		     const char *why)
{
	sc->bad_files++;
	if (nnp_warn_once(path))
		nnp_warn("%s: cannot read %s: %s; not measured", rt->name, path, why);
}

/* the runtime (or ONLY) whose library name PATH has, or NULL */
static const struct nnp_runtime *named_runtime(const char *path, const struct nnp_runtime *only)
{
	for (size_t i = 0; nnp_runtimes[i]; i++)
		if ((!only || nnp_runtimes[i] == only) &&
		    nnp_runtime_names_file(nnp_runtimes[i], path))
			return nnp_runtimes[i];
	return NULL;
}

/* a file named like a runtime's library is checked before anything reads it;
 * 0, or -errno (after bad_file for a malformed one) */
static int open_checked(struct nnp_scanner *sc, const char *path, const struct nnp_runtime *only,
			struct nnp_elf **e)
{
	const struct nnp_runtime *rt = named_runtime(path, only);
	char why[256];
	int err;

	if (rt && nnp_elf_check(path, why, sizeof(why)) == -ENOEXEC) {
		bad_file(sc, path, rt, why);
		return -ENOEXEC;
	}
	err = nnp_elf_open(path, e);
	if (err == -ENOEXEC && rt)
		bad_file(sc, path, rt, "libelf cannot read it");
	return err;
}

size_t nnp_scanner_bad_files(const struct nnp_scanner *sc)
{
	return sc->bad_files;
}

/* every runtime (or ONLY) that claims PATH; > 0 when probes were attached */
static int scan_file(struct nnp_scanner *sc, const char *path, const struct nnp_runtime *only)
{
	const struct nnp_runtime *rt = NULL;
	struct nnp_elf *e;
	int found = 0, n = 0, err;

	/* not ELF, unreadable or malformed: nothing of a runtime's there */
	if (open_checked(sc, path, only, &e))
		return 0;
	nnp_planner_defer(sc->plan); /* one link per file and direction, not per definition */
	for (size_t i = 0; nnp_runtimes[i] && n >= 0; i++) {
		rt = nnp_runtimes[i];
		if ((only && rt != only) || (!sc->usdt && !strcmp(rt->name, "usdt")) ||
		    !nnp_runtime_claims(rt, path))
			continue;
		nnp_info("%s: %s runtime", path, rt->name);
		n = !strcmp(rt->name, "usdt") ? attach_usdt(sc, path, e)
		    : rt->ndefs		      ? attach_spec_defs(sc, rt, path)
					      : attach_defs(sc, rt, path);
		if (n >= 0 && rt->attach) {
			int more = rt->attach(sc->plan, path, e);

			n = more < 0 ? more : n + more; /* a sum would mangle the errno */
		}
		if (n > 0) {
			note_runtime(sc, rt);
			found++;
		}
	}
	nnp_elf_close(e);
	if (n < 0)
		nnp_planner_drop(sc->plan);
	/* the file's own bytes failed (its symbols): the target's other files still count */
	if (n == -ENOEXEC) {
		bad_file(sc, path, rt, "unreadable symbol table");
		found = n = 0;
	}
	err = nnp_planner_flush(sc->plan);
	n = n < 0 ? n : err;
	return n < 0 ? n : found;
}

struct scan_walk {
	struct nnp_scanner *sc;
	const struct nnp_runtime *only;
	int found;
	int err;
};

static int on_file(const char *path, void *arg)
{
	struct scan_walk *w = arg;
	int n = first_time(w->sc, path);

	if (n > 0)
		n = scan_file(w->sc, path, w->only);
	if (n < 0) {
		w->err = n;
		return 1;
	}
	w->found += n;
	return 0;
}

int nnp_scanner_scan(struct nnp_scanner *sc, const struct nnp_runtime *only, bool usdt)
{
	struct scan_walk w = { .sc = sc, .only = only };
	int err;

	sc->usdt = usdt;
	if (sc->t->exe && !sc->execd) {
		err = on_file(sc->t->exe, &w) ? 0 : nnp_deps_foreach(sc->t->exe, on_file, &w);
	} else {
		err = nnp_proc_exec_files(sc->t->pid, on_file, &w);
	}
	if (w.err)
		return w.err;
	return err < 0 ? err : w.found;
}

void nnp_scanner_execd(struct nnp_scanner *sc)
{
	sc->execd = true;
}

const char *nnp_scanner_runtime(const struct nnp_scanner *sc)
{
	return sc->nruntimes ? sc->runtimes[0]->name : NULL;
}

bool nnp_scanner_infer_by_period(const struct nnp_scanner *sc)
{
	for (size_t i = 0; i < sc->nruntimes; i++)
		if (sc->runtimes[i]->infer_by_period)
			return true;
	return false;
}

static int find_loader(const char *path, void *arg)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *out = arg;

	if (strncmp(base, "ld-linux", 8) && strncmp(base, "ld-", 3) && strncmp(base, "ld.so", 5))
		return 0;
	if (!strstr(base, ".so"))
		return 0;
	snprintf(out, PATH_MAX, "%s", path);
	return 1;
}

/* the target's dynamic loader: PT_INTERP before exec, its mapping after */
static int loader_path(struct nnp_scanner *sc, char *out)
{
	struct nnp_elf *e;
	int err;

	out[0] = 0;
	if (sc->t->exe && !sc->execd) {
		err = nnp_elf_open(sc->t->exe, &e);
		if (err)
			return err;
		err = nnp_elf_interp(e, out, PATH_MAX);
		nnp_elf_close(e);
		return err;
	}
	err = nnp_proc_exec_files(sc->t->pid, find_loader, out);
	return err < 0 ? err : out[0] ? 0 : -ENOENT;
}

static int take_offset(const struct nnp_sym *sym, void *arg)
{
	*(uint64_t *)arg = sym->file_off;
	return 1;
}

int nnp_scanner_watch_loader(struct nnp_scanner *sc, bool stop)
{
	struct nnp_spec sp = { .role = NNP_ROLE_LIBLOAD, .flags = stop ? NNP_SPEC_STOP : 0 };
	char path[PATH_MAX];
	struct nnp_elf *e;
	uint64_t off = 0;
	int err = loader_path(sc, path);

	if (err == -ENOENT) {
		nnp_info("no dynamic loader: libraries loaded later are not watched");
		return 0;
	}
	if (!err)
		err = nnp_elf_open(path, &e);
	if (err)
		return err;
	err = nnp_elf_match(e, "_dl_debug_state", take_offset, &off);
	nnp_elf_close(e);
	if (err <= 0) {
		nnp_info("%s has no _dl_debug_state: libraries loaded later are not watched", path);
		return err < 0 ? err : 0;
	}
	err = nnp_planner_attach_spec(sc->plan, &sp, path, off);
	if (err)
		nnp_err("failed to watch the dynamic loader %s: %s", path, strerror(-err));
	else
		nnp_info("watching %s:_dl_debug_state (file offset 0x%llx) for dlopen", path,
			 (unsigned long long)off);
	return err;
}
