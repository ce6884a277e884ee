/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --overhead-budget PCT. nnperf prices its own probe hits: hits per spec,
 * counted in BPF, times what a hit at that kind of site costs the target
 * (budget_plan.c), plus the BPF run time per hit from the kernel's BPF
 * statistics and the kernel hooks' runs in the inferences' own switches and
 * faults. Over a window it compares that added time with the target's own
 * inference time. When over the budget, the layer probes that cost most for
 * their layers' time are measured part of the time: attached and ungated for
 * 1/2 .. 1/64 of every period and detached for the rest, or detached for good
 * when even 1/64 does not fit. Inference probes always stay, so every
 * inference is measured; estimates of all calls of a sampled probe scale by
 * the mean part of an inference it was measured in (nnp_probe_info.scale).
 */
#ifndef NNP_BUDGET_H
#define NNP_BUDGET_H

#include <stdint.h>

#include "agg.h"
#include "recording.h"
#include "session.h"

struct nnp_budget;

/* switches PART of the links of layer probes IDS[0..N) wherever they are kept
 * (nnp_session_toggle, nnp_links_toggle); 0 or the first error */
typedef int (*nnp_budget_toggle_fn)(void *ctx, const uint32_t *ids, size_t n,
				    enum nnp_link_part part, bool on);

/* the session was opened with opts.budget; TOGGLE NULL: the session's own links.
 * 0, -EINVAL (PCT not in (0, 1000]) or -ENOMEM */
int nnp_budget_new(struct nnp_session *s, struct nnp_agg *a, double pct, uint64_t now_ns,
		   nnp_budget_toggle_fn toggle, void *ctx, struct nnp_budget **out);
/* after a tick that measured a window: sets each sampled probe's scale in the
 * aggregator and fills *out (its arrays live until the next call), for live
 * outputs; true when there was something new */
bool nnp_budget_publish(struct nnp_budget *b, struct nnp_rec_overhead *out);
/* from the collecting loop, as often as it likes: measures, plans and
 * switches links when due; 0 or -errno (a link that failed to attach again) */
int nnp_budget_tick(struct nnp_budget *b, uint64_t now_ns);
/* an inference's event (CLOCK_MONOTONIC ns): each layer probe's part is
 * the mean part of an inference it was measured in */
void nnp_budget_infer(struct nnp_budget *b, uint64_t start_ns, uint64_t end_ns);
/* ms until the next tick has something to do (0: now) */
int nnp_budget_next_ms(const struct nnp_budget *b, uint64_t now_ns);
/* the recording ends: attached time closed, each sampled probe's scale set
 * in the aggregator, *out filled (its arrays live as long as B) */
void nnp_budget_finish(struct nnp_budget *b, uint64_t now_ns, struct nnp_rec_overhead *out);
void nnp_budget_free(struct nnp_budget *b);

#endif
