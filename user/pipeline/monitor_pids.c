// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* -p PID...: each process's runtime, found as discovery finds it, then monitored. */
#include <errno.h>
#include <string.h>

#include "discover.h"
#include "log.h"
#include "monitor.h"
#include "procmaps.h"
#include "runtimes.h"

int nnp_monitor_add_pids(struct nnp_monitor *m, struct nnp_discover *d, const pid_t *pids, size_t n)
{
	const struct nnp_runtime *rt;
	int err;

	for (size_t i = 0; i < n; i++) {
		if (!nnp_proc_alive(pids[i])) {
			nnp_err("no such process: %d", (int)pids[i]);
			return -ESRCH;
		}
		rt = NULL; /* with --probe or --spec alone, no runtime is looked for */
		err = nnp_monitor_probes_only(m) ? 0 : nnp_discover_runtime(d, pids[i], &rt);
		if (err == -ENOENT)
			nnp_err("process %d uses no runtime nnperf knows (looked for %s)",
				(int)pids[i], nnp_runtime_lookfor());
		if (!err)
			err = nnp_monitor_add(m, pids[i], rt);
		if (err && err != -EEXIST && err != -ENOENT)
			nnp_err("failed to attach to process %d: %s", (int)pids[i], strerror(-err));
		if (err && err != -EEXIST)
			return err;
	}
	return 0;
}
