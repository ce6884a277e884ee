// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>

#include "kernel_cfg.h"
#include "log.h"

/* Why hardware counters are not opened, or NULL when the PMU is used */
static const char *hw_off(const struct nnp_features *f)
{
	const struct nnp_feature *hw = &f->f[NNP_FEAT_PERF_HW];

	if (f->counters == NNP_COUNTERS_HW)
		return NULL;
	if (hw->state == NNP_FEAT_FORCED_OFF)
		return "forced off by NNPERF_FORCE=no-pmu";
	if (hw->err == ENOENT || hw->err == EOPNOTSUPP)
		return "no hardware PMU";
	return hw->err == EACCES || hw->err == EPERM ? "hardware PMU: permission denied"
						     : "no usable hardware PMU";
}

int nnp_kernel_cfg_init(struct nnp_kernel_cfg *k, const char *list)
{
	int err;

	nnp_features_detect_policies(&k->feat);
	err = nnp_counters_parse(&k->counters, list ? list : nnp_counters_default());
	if (!err)
		err = nnp_counters_open(&k->counters, hw_off(&k->feat));
	if (err)
		return err;
	/* the default list on a machine without a PMU is n/a silently; asked for, say so */
	for (int i = 0; list && i < k->counters.nreq; i++)
		if (k->counters.req[i].slot < 0)
			nnp_warn("counter %s: %s; recording goes on", k->counters.req[i].name,
				 k->counters.req[i].why);
	k->info = (struct nnp_rec_kernel){
		.sched = nnp_sched_attach_str(k->feat.sched),
		.fault = nnp_fault_attach_str(k->feat.fault),
		.fault_why = "n/a (no fentry or kprobes)",
		.counters = &k->counters,
	};
	nnp_info("scheduler hooks: %s, fault timing: %s, counters open: %d", k->info.sched,
		 k->info.fault, k->counters.nslots);
	return 0;
}

void nnp_kernel_cfg_session(const struct nnp_kernel_cfg *k, struct nnp_session_opts *o)
{
	o->sched = k->feat.sched;
	o->fault = k->feat.fault;
	o->counters = &k->counters;
	o->uprobe_multi = k->feat.uprobes == NNP_UPROBES_MULTI;
}

void nnp_kernel_cfg_free(struct nnp_kernel_cfg *k)
{
	nnp_counters_close(&k->counters);
}
