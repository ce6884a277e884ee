// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Runtimes from a probes directory's spec files (spec_runtimes.h). */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "probe_spec.h"
#include "runtimes.h"
#include "spec_runtimes.h"

struct spec_rt {
	struct nnp_runtime rt;
	char name[NNP_SPEC_RUNTIME_LEN];
	char file[PATH_MAX];
	struct nnp_probe_def *defs;
	struct nnp_spec_meta meta;
	const char *libs[NNP_SPEC_MAX_LIBS + 1];
	struct spec_rt *next;
};

static struct spec_rt *added; /* newest first */
static const char *const no_probes[] = { NULL };

void nnp_spec_runtimes_free(void)
{
	nnp_runtimes_reset();
	while (added) {
		struct spec_rt *next = added->next;

		free(added->defs);
		free(added);
		added = next;
	}
}

/* runtime=NAME, else the file's name without .spec; false after a warning */
static bool runtime_name(struct spec_rt *s, const char *fname)
{
	size_t len = strlen(fname) - strlen(".spec");

	if (s->meta.runtime[0]) {
		memcpy(s->name, s->meta.runtime, sizeof(s->name));
		return true;
	}
	if (len < sizeof(s->name)) {
		memcpy(s->name, fname, len);
		s->name[len] = '\0';
		if (nnp_spec_runtime_name_ok(s->name))
			return true;
	}
	nnp_warn("%s: its name cannot name a runtime (1-31 letters, digits, '_', '.' or '-'): "
		 "give it a runtime= line; file skipped",
		 s->file);
	return false;
}

/* 1 if a library= line matches LIB's basename: a probe's file is one of the runtime's */
static bool lib_listed(const struct spec_rt *s, const char *lib)
{
	const char *base = strrchr(lib, '/') ? strrchr(lib, '/') + 1 : lib;

	for (size_t i = 0; i < s->meta.nlibs; i++)
		if (!fnmatch(s->meta.libs[i], base, 0))
			return true;
	return false;
}

/* what the file's lines make of it; false after one warning line */
static bool usable(struct spec_rt *s, const char *fname, size_t n)
{
	if (!s->meta.nlibs) {
		nnp_warn("%s: no library= line says which processes it is for; file skipped",
			 s->file);
		return false;
	}
	if (!n) {
		nnp_warn("%s: no probe in it; file skipped", s->file);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!lib_listed(s, s->defs[i].lib)) {
			nnp_warn("%s: probe %zu is in %s, which no library= line matches; "
				 "file skipped",
				 s->file, i + 1, s->defs[i].lib);
			return false;
		}
	return runtime_name(s, fname);
}

static void fill_runtime(struct spec_rt *s, size_t n)
{
	bool infer = false;

	for (size_t i = 0; i < n; i++)
		infer |= s->defs[i].kind == NNP_PROBE_INFERENCE ||
			 s->defs[i].kind == NNP_PROBE_INFER_BEGIN;
	for (size_t i = 0; i < s->meta.nlibs; i++)
		s->libs[i] = s->meta.libs[i];
	s->rt = (struct nnp_runtime){
		.name = s->name,
		.libs = s->libs,
		.probes = no_probes,
		.infer_by_period = !infer,
		.defs = s->defs,
		.ndefs = n,
		.file = s->file,
	};
}

static void clash_warn(const struct spec_rt *s, int err)
{
	if (err != -EEXIST)
		nnp_warn("%s: too many runtimes (at most %d files); file skipped", s->file,
			 NNP_MAX_ADDED_RUNTIMES);
	else
		nnp_warn("%s: a runtime named %s exists (built in, or another file's): "
			 "give it %s runtime= line; file skipped",
			 s->file, s->name, s->meta.runtime[0] ? "another" : "a");
}

/* one file: added (1), or skipped (0) after one warning line; -ENOMEM */
static int load_file(const char *dir, const char *fname)
{
	struct spec_rt *s = calloc(1, sizeof(*s));
	char err[PATH_MAX + 256];
	size_t n = 0;
	int ret;

	if (!s)
		return -ENOMEM;
	snprintf(s->file, sizeof(s->file), "%s/%s", dir, fname);
	ret = nnp_spec_load_meta(s->file, &s->defs, &n, &s->meta, err, sizeof(err));
	if (ret == -ENOMEM)
		goto out;
	if (ret)
		nnp_warn("probes directory: %s; file skipped", err);
	ret = !ret && usable(s, fname, n);
	if (ret) {
		fill_runtime(s, n);
		ret = nnp_runtime_add(&s->rt);
		if (ret)
			clash_warn(s, ret);
		ret = !ret;
	}
	if (ret) {
		nnp_info("%s: runtime %s, %zu probes, for files named %s%s", s->file, s->name, n,
			 s->libs[0], s->meta.nlibs > 1 ? ", ..." : "");
		s->next = added;
		added = s;
		return 1;
	}
out:
	free(s->defs);
	free(s);
	return ret;
}

static int is_spec(const struct dirent *de)
{
	size_t len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > strlen(".spec") &&
	       !strcmp(de->d_name + len - strlen(".spec"), ".spec");
}

int nnp_spec_runtimes_load(const char *dir, bool given)
{
	struct dirent **names;
	int n = scandir(dir, &names, is_spec, alphasort), added_n = 0, err = 0;

	if (n < 0) {
		err = -errno;
		if (given) {
			nnp_err("--probes-dir %s: %s", dir, strerror(-err));
			return err;
		}
		if (err == -ENOENT)
			nnp_info("no probes directory %s: no runtimes from spec files", dir);
		else
			nnp_warn("probes directory %s: %s; no runtimes from spec files", dir,
				 strerror(-err));
		return 0;
	}
	for (int i = 0; i < n; i++) {
		int r = err ? 0 : load_file(dir, names[i]->d_name);

		if (r < 0)
			err = r;
		added_n += r > 0;
		free(names[i]);
	}
	free(names);
	return err ? err : added_n;
}
