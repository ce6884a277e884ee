// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Files a command will run before it runs: its path as execvp finds it, and
 * the libraries ld.so will load for it, searched as ld.so does (ld.so(8),
 * "Rpath token expansion" and the search order). The ld.so.cache is not read:
 * the directories it was built from (/etc/ld.so.conf) give the same files.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_priv.h"
#include "elf_sym.h"
#include "libpath.h"
#include "libpath_priv.h"

/* an executable regular file: 0, -ENOENT or -EACCES */
static int check_exe(const char *path, char *out, size_t len)
{
	char real[PATH_MAX];
	struct stat st;

	if (stat(path, &st))
		return errno == EACCES ? -EACCES : -ENOENT;
	if (!S_ISREG(st.st_mode) || access(path, X_OK))
		return -EACCES;
	if (!realpath(path, real))
		return -errno;
	if (strlen(real) >= len)
		return -ENAMETOOLONG;
	strcpy(out, real);
	return 0;
}

int nnp_path_find_exe(const char *cmd, char *out, size_t len)
{
	const char *path, *p, *colon;
	char cand[PATH_MAX];
	int err, eacces = 0;

	if (!cmd || !*cmd)
		return -ENOENT;
	if (strchr(cmd, '/'))
		return check_exe(cmd, out, len);
	path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin"; /* execvp's default, confstr(_CS_PATH) */
	for (p = path;; p = colon + 1) {
		colon = strchrnul(p, ':');
		/* an empty element is the current directory */
		if (snprintf(cand, sizeof(cand), "%.*s%s%s", (int)(colon - p), p,
			     colon == p ? "./" : "/", cmd) < (int)sizeof(cand)) {
			err = check_exe(cand, out, len);
			if (!err)
				return 0;
			eacces |= err == -EACCES;
		}
		if (!*colon)
			break;
	}
	return eacces ? -EACCES : -ENOENT;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* the value of the token at *p ("$ORIGIN", "${ORIGIN}", "$LIB"); advances *p and *n */
static int expand_token(const char **p, size_t *n, const char *origin, const char **val)
{
	const char *s = *p + 1;
	size_t left = *n - 1, tl;
	int brace = left && *s == '{';

	s += brace;
	left -= brace;
	if (left >= 6 && !strncmp(s, "ORIGIN", 6)) {
		*val = origin;
		tl = 6;
	} else if (left >= 3 && !strncmp(s, "LIB", 3)) {
		*val = "lib/" NNP_MULTIARCH;
		tl = 3;
	} else {
		return -ENOENT; /* $PLATFORM and unknown tokens: ld.so drops the entry too */
	}
	s += tl;
	left -= tl;
	if (brace && (!left || *s != '}'))
		return -ENOENT;
	if (!brace && left && is_ident(*s))
		return -ENOENT;
	*p = s + brace;
	*n = left - brace;
	return 0;
}

/* dir (n bytes) with its tokens expanded into out; 0 or -errno */
static int expand_dir(const char *dir, size_t n, const char *origin, char *out, size_t len)
{
	const char *val;
	size_t o = 0;
	int err;

	while (n) {
		if (*dir != '$') {
			if (o + 1 >= len)
				return -ENAMETOOLONG;
			out[o++] = *dir++;
			n--;
			continue;
		}
		err = expand_token(&dir, &n, origin, &val);
		if (err)
			return err;
		if (o + strlen(val) >= len)
			return -ENAMETOOLONG;
		memcpy(out + o, val, strlen(val));
		o += strlen(val);
	}
	if (!o)
		out[o++] = '.'; /* an empty element is the current directory */
	out[o] = '\0';
	return 0;
}

/* a shared object ld.so would take for this executable: same class and machine */
static int acceptable(const struct nnp_abi *abi, const char *path)
{
	int cls, machine, type, ok;
	struct nnp_elf *e;
	struct stat st;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return 0;
	if (nnp_elf_open(path, &e))
		return 0;
	nnp_elf_abi(e, &cls, &machine, &type);
	ok = cls == abi->cls && machine == abi->machine && type == ET_DYN;
	nnp_elf_close(e);
	return ok;
}

int nnp_lib_in_dirs(const struct nnp_abi *abi, const char *list, const char *seps,
		    const char *origin, const char *soname, char *out, size_t len)
{
	char dir[PATH_MAX];
	const char *p, *end;
	size_t n;

	if (!list)
		return -ENOENT;
	for (p = list;; p = end + 1) {
		n = strcspn(p, seps);
		end = p + n;
		if (!expand_dir(p, n, origin, dir, sizeof(dir)) &&
		    snprintf(out, len, "%s/%s", dir, soname) < (int)len && acceptable(abi, out))
			return 0;
		if (!*end)
			break;
	}
	return -ENOENT;
}

int nnp_lib_at(const struct nnp_abi *abi, const char *path, const char *origin, char *out,
	       size_t len)
{
	if (expand_dir(path, strlen(path), origin, out, len))
		return -ENOENT;
	return acceptable(abi, out) ? 0 : -ENOENT;
}
