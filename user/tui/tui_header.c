// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>

#include "counters.h"
#include "text.h"
#include "tui_header.h"
#include "tui_rows.h"

#define METER_BARS 20

const char *tui_cache_misses_state(const struct nnp_rec_kernel *ki)
{
	const struct nnp_counters *c = ki ? ki->counters : NULL;

	for (int i = 0; c && i < c->nreq; i++)
		if (!strcmp(c->req[i].name, "cache-misses"))
			return c->req[i].slot < 0 ? c->req[i].why : "on";
	return "not counted (see --counters)";
}

static bool on(const char *policy)
{
	return policy && strcmp(policy, "none");
}

/* [|||||      0.8%]: the share of one core nnperf itself used over the window */
static void meter(char *buf, size_t len, double cores)
{
	char bars[METER_BARS + 1];
	double f = cores < 0 ? 0 : cores > 1 ? 1 : cores;
	int n = (int)(f * METER_BARS + 0.5);

	memset(bars, ' ', METER_BARS);
	memset(bars, '|', (size_t)n);
	bars[METER_BARS] = 0;
	snprintf(buf, len, "[%s %5.1f%%]", bars, cores * 100);
}

static void fit(char *dst, const char *src, int width)
{
	nnp_text_display(dst, TUI_LINE_LEN, src, width > 0 ? (size_t)width : 0);
}

void tui_header_lines(const struct tui_header *h, int width,
		      char lines[TUI_HEADER_LINES][TUI_LINE_LEN])
{
	const struct nnp_rec_kernel *ki = h->ki;
	char l[TUI_LINE_LEN], a[32], b[32], c[32], m[48], s[32] = "", g[32] = "", o[96] = "";

	if (h->sample > 1)
		snprintf(s, sizeof(s), ", sample 1/%u", h->sample);
	if (h->has_ov && h->ov.estimated)
		snprintf(o, sizeof(o), ", overhead ~%.2f%% (budget %.2f%%, %zu sampled)",
			 h->ov.est_pct, h->ov.budget_pct, h->ov.nsampled);
	if (h->group_by != NNP_GROUP_NONE)
		snprintf(g, sizeof(g), ", group by %s", nnp_group_by_str(h->group_by));
	snprintf(l, sizeof(l), "nnperf top - %s, refresh %.1fs%s%s%s%s", h->target, h->refresh_s, s,
		 g, o, h->paused ? "  [PAUSED]" : "");
	fit(lines[0], l, width);
	tui_fmt_val(a, sizeof(a), h->totals.inf_s, TUI_U_RATE);
	tui_fmt_val(b, sizeof(b), h->totals.p50_ns, TUI_U_NS);
	tui_fmt_val(c, sizeof(c), h->totals.p99_ns, TUI_U_NS);
	snprintf(l, sizeof(l),
		 "Processes: %zu  Inferences/s: %s  p50: %s  p99: %s  Lost events: %llu",
		 h->totals.procs, a, b, c, (unsigned long long)h->lost);
	fit(lines[1], l, width);
	meter(m, sizeof(m), h->self_cpu);
	snprintf(l, sizeof(l), "nnperf CPU %s  Off-CPU, run queue: %s", m,
		 on(ki ? ki->sched : NULL) ? ki->sched : "n/a (no scheduler hooks)");
	fit(lines[2], l, width);
	snprintf(l, sizeof(l), "Fault time: %s  Cache misses: %s",
		 on(ki ? ki->fault : NULL) ? ki->fault
		 : ki && ki->fault_why	   ? ki->fault_why
					   : "n/a",
		 tui_cache_misses_state(ki));
	fit(lines[3], l, width);
}
