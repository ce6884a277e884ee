// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The fast check in front of `nnperf record`: only what record cannot start
 * without and what costs microseconds to try (no program loads), so that a
 * missing privilege is one clear line rather than a libbpf error later.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "btf_path.h"
#include "features.h"
#include "features_try.h"
#include "log.h"

/* the perf PMU through which libbpf attaches uprobes (nnperf needs no tracefs) */
#define UPROBE_PMU "/sys/bus/event_source/devices/uprobe/type"

/* 0 if PATH opens for reading, else -errno after naming WHAT and FIX */
static int require_readable(const char *path, const char *what, enum nnp_feat_id fix)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0) {
		err = errno;
		nnp_err("cannot read %s %s: %s; %s", what, path, strerror(err), nnp_feat_fix(fix));
		return -err;
	}
	close(fd);
	return 0;
}

int nnp_features_require_record(void)
{
	struct nnp_feature f = {};
	int err;

	nnp_try_privileges(&f);
	if (f.state != NNP_FEAT_YES) {
		nnp_err("need root or CAP_BPF+CAP_PERFMON (%s); %s", f.detail,
			nnp_feat_fix(NNP_FEAT_PRIV));
		return -EPERM;
	}
	nnp_try_memlock(&f);
	if (f.state != NNP_FEAT_YES) {
		nnp_err("%s; %s", f.detail, nnp_feat_fix(NNP_FEAT_MEMLOCK));
		return f.err ? -f.err : -EPERM;
	}
	err = require_readable(nnp_btf_in_use(), "kernel BTF", NNP_FEAT_BTF);
	if (!err)
		err = require_readable(UPROBE_PMU, "the uprobe PMU", NNP_FEAT_UPROBE);
	if (err)
		return err;
	nnp_try_ringbuf(&f);
	if (f.state != NNP_FEAT_YES) {
		nnp_err("%s; %s", f.detail, nnp_feat_fix(NNP_FEAT_RINGBUF));
		return f.err ? -f.err : -EOPNOTSUPP;
	}
	if (nnp_feature_forced_off("cookie")) {
		nnp_err("bpf cookies are forced off (NNPERF_FORCE=no-cookie) and every uprobe "
			"needs one; unset NNPERF_FORCE");
		return -EOPNOTSUPP;
	}
	return 0;
}
