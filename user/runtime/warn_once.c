// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stddef.h>
#include <sys/stat.h>

#include "warn_once.h"

#define MAX_WARNED 256

/* bad files reported, by device, inode and mtime: export meets the same file
 * in every process that maps it, and examines processes again (discover.h) */
struct warned_file {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
};

static struct warned_file warned[MAX_WARNED];
static size_t nwarned;

/* remembered until MAX_WARNED more are (the oldest forgotten first) */
bool nnp_warn_once(const char *path)
{
	size_t n = nwarned < MAX_WARNED ? nwarned : MAX_WARNED;
	struct warned_file w;
	struct stat st;

	if (stat(path, &st))
		return true;
	w = (struct warned_file){ .dev = st.st_dev, .ino = st.st_ino, .mtime = st.st_mtim };
	for (size_t i = 0; i < n; i++)
		if (warned[i].dev == w.dev && warned[i].ino == w.ino &&
		    warned[i].mtime.tv_sec == w.mtime.tv_sec &&
		    warned[i].mtime.tv_nsec == w.mtime.tv_nsec)
			return false;
	warned[nwarned++ % MAX_WARNED] = w;
	return true;
}
