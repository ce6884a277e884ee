// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "proc_follow.h"

int nnp_exe_id_of(pid_t pid, struct nnp_exe_id *id)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	if (stat(path, &st))
		return -errno;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

pid_t nnp_exe_find(const struct nnp_exe_id *id, pid_t skip)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		struct nnp_exe_id cur;
		pid_t pid;

		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid = (pid_t)atoi(e->d_name);
		/* kernel threads and zombies have no exe: stat fails and they are skipped */
		if (pid == skip || pid == getpid() || nnp_exe_id_of(pid, &cur))
			continue;
		if (cur.dev == id->dev && cur.ino == id->ino)
			found = pid;
	}
	closedir(d);
	return found;
}
