// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The hardware perf events, one by one: what this PMU counts and what it lacks.
 * A PMU that counts cycles and instructions but has no cache-miss event (qemu's
 * arm64 -cpu max, some vendor cores) is a PMU: its counters are used and only
 * the missing events are n/a, each with its own reason.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "features.h"
#include "features_try.h"

static bool unsupported(int err)
{
	return err == ENOENT || err == EOPNOTSUPP;
}

/* Appends "a, b" or ", c" for every event in HW whose open gave an error
 * matching WANT_UNSUPPORTED (or none at all when OPENED) */
static size_t list_events(char *buf, size_t len, const struct nnp_features *f, bool opened,
			  bool want_unsupported)
{
	size_t used = 0;

	for (int i = 0; i < NNP_HW_EVENTS && f->hw[i].name; i++) {
		const struct nnp_hw_event *e = &f->hw[i];
		bool match = opened ? !e->err : e->err && unsupported(e->err) == want_unsupported;
		int n;

		if (!match)
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", e->name);
		if (n < 0 || (size_t)n >= len - used)
			return len - 1;
		used += (size_t)n;
	}
	return used;
}

/* The first event whose open failed for another reason than "no such event" */
static const struct nnp_hw_event *first_other_error(const struct nnp_features *f)
{
	for (int i = 0; i < NNP_HW_EVENTS && f->hw[i].name; i++)
		if (f->hw[i].err && !unsupported(f->hw[i].err))
			return &f->hw[i];
	return NULL;
}

static void sum_present(struct nnp_features *f)
{
	const struct nnp_hw_event *other = first_other_error(f);
	char open[96], lack[96] = "", d[256];

	list_events(open, sizeof(open), f, true, false);
	if (list_events(lack, sizeof(lack), f, false, true))
		snprintf(d, sizeof(d), "%s open; this PMU has no %s event", open, lack);
	else
		snprintf(d, sizeof(d), "%s open", open);
	if (other)
		nnp_feat_set(&f->f[NNP_FEAT_PERF_HW], NNP_FEAT_YES, 0, "%s; %s: %s", d, other->name,
			     strerror(other->err));
	else
		nnp_feat_set(&f->f[NNP_FEAT_PERF_HW], NNP_FEAT_YES, 0, "%s", d);
}

void nnp_features_sum_hw(struct nnp_features *f)
{
	const struct nnp_hw_event *first = f->hw[0].name ? &f->hw[0] : NULL;
	const struct nnp_hw_event *other = first_other_error(f);
	char open[96];
	bool any = list_events(open, sizeof(open), f, true, false) > 0;

	for (int i = 0; i < NNP_HW_EVENTS && f->hw[i].name; i++) {
		struct nnp_hw_event *e = &f->hw[i];

		e->why[0] = '\0';
		if (e->err)
			nnp_counter_hw_why(e->why, sizeof(e->why), e->name, -e->err, any);
	}
	if (any) {
		sum_present(f);
		return;
	}
	if (!first) {
		nnp_feat_set(&f->f[NNP_FEAT_PERF_HW], NNP_FEAT_NO, EINVAL,
			     "no hardware event known");
		return;
	}
	/* nothing opened: name the reason of the first event that was not "no such event" */
	first = other ? other : first;
	nnp_feat_set(&f->f[NNP_FEAT_PERF_HW], NNP_FEAT_NO, first->err, "%sperf_event_open(%s): %s",
		     unsupported(first->err) ? "n/a: no hardware PMU: " : "", first->name,
		     strerror(first->err));
}
