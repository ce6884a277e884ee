// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The table `nnperf record` prints: per process a summary line, then one row
 * per layer in the order the layers first ran. Names come from the target, so
 * they are shown through nnp_text_display: no control bytes reach the terminal.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "recording.h"
#include "recording_groups.h"
#include "recording_ktable.h"
#include "recording_overhead.h"
#include "recording_util.h"
#include "text.h"

#define MAX_NAME_COLS 40
#define MAX_OP_COLS 16
#define GAP "  "

enum col {
	C_LAYER,
	C_OP,
	C_CALLS,
	C_TOTAL,
	C_SELF,
	C_MEAN,
	C_MIN,
	C_P50,
	C_P90,
	C_P99,
	C_MAX,
	C_SHARE,
	NCOLS
};

static const char *const col_title[NCOLS] = {
	"LAYER", "OP", "CALLS", "TOTAL", "SELF", "MEAN", "MIN", "P50", "P90", "P99", "MAX", "SHARE",
};

struct cell {
	char s[MAX_NAME_COLS * 4 + 8]; /* up to 4 bytes a character, and "…" */
	size_t w;		       /* columns it takes */
};

struct row {
	struct cell c[NCOLS];
};

static void set_text(struct cell *c, const char *s, size_t max_cols)
{
	c->w = nnp_text_display(c->s, sizeof(c->s), s, max_cols);
}

static void set_plain(struct cell *c, const char *s)
{
	set_text(c, s, sizeof(c->s) / 4);
}

static void set_dur(struct cell *c, uint64_t ns)
{
	char buf[32];

	set_plain(c, nnp_fmt_duration(buf, sizeof(buf), ns));
}

static void fill_row(struct row *r, const struct nnp_agg *a, const struct nnp_proc_stats *p,
		     const struct nnp_layer_stats *l)
{
	const struct nnp_hist *h = &l->hist;
	char buf[32];
	double share;

	nnp_rec_tree_name(r->c[C_LAYER].s, sizeof(r->c[C_LAYER].s), &r->c[C_LAYER].w, p, l,
			  MAX_NAME_COLS);
	set_text(&r->c[C_OP], l->op[0] ? l->op : "-", MAX_OP_COLS);
	snprintf(buf, sizeof(buf), "%" PRIu64, h->count);
	set_plain(&r->c[C_CALLS], buf);
	set_dur(&r->c[C_TOTAL], h->sum);
	set_dur(&r->c[C_SELF], l->self_ns);
	set_dur(&r->c[C_MEAN], nnp_rec_mean_ns(h));
	set_dur(&r->c[C_MIN], h->min);
	set_dur(&r->c[C_P50], nnp_hist_quantile(h, 0.50));
	set_dur(&r->c[C_P90], nnp_hist_quantile(h, 0.90));
	set_dur(&r->c[C_P99], nnp_hist_quantile(h, 0.99));
	set_dur(&r->c[C_MAX], h->max);
	if (nnp_rec_share_est(a, p, l, &share))
		snprintf(buf, sizeof(buf), "%.1f%%", share * 100.0);
	else
		strcpy(buf, "-");
	set_plain(&r->c[C_SHARE], buf);
}

static void print_row(FILE *f, const struct row *r, const size_t *width)
{
	for (int i = 0; i < NCOLS; i++) {
		size_t pad = width[i] - r->c[i].w;
		bool left = i == C_LAYER || i == C_OP;

		fprintf(f, "%s%*s%s%*s", i ? GAP : "", left ? 0 : (int)pad, "", r->c[i].s,
			left && i < NCOLS - 1 ? (int)pad : 0, "");
	}
	fputc('\n', f);
}

/* Two passes over the layers (widths, then rows) with one row of cells, so
 * memory does not grow with the number of layers. */
static void print_layers(FILE *f, const struct nnp_agg *a, const struct nnp_proc_stats *p,
			 struct nnp_layer_stats **ls, size_t n, struct row *r)
{
	size_t width[NCOLS];

	for (int i = 0; i < NCOLS; i++) {
		set_plain(&r->c[i], col_title[i]);
		width[i] = r->c[i].w;
	}
	for (size_t j = 0; j < n; j++) {
		fill_row(r, a, p, ls[j]);
		for (int i = 0; i < NCOLS; i++)
			if (r->c[i].w > width[i])
				width[i] = r->c[i].w;
	}
	for (int i = 0; i < NCOLS; i++)
		set_plain(&r->c[i], col_title[i]);
	print_row(f, r, width);
	for (size_t j = 0; j < n; j++) {
		fill_row(r, a, p, ls[j]);
		print_row(f, r, width);
	}
}

/* said once under a table with nested layers */
static void print_nesting_note(FILE *f, const struct nnp_proc_stats *p, struct nnp_layer_stats **ls,
			       size_t n)
{
	for (size_t j = 0; j < n; j++)
		if (nnp_agg_layer_parent(p, ls[j])) {
			fputs(
			    "nested: an indented layer ran inside the one above it; TOTAL includes "
			    "the layers inside, SELF and SHARE do not\n",
			    f);
			return;
		}
}

/* said once under a table with ONNX Runtime nodes no name reached: how to name them */
static void print_names_note(FILE *f, const struct nnp_agg *a, struct nnp_layer_stats **ls,
			     size_t n)
{
	for (size_t j = 0; j < n; j++) {
		const struct nnp_probe_info *pi = nnp_agg_probe(a, ls[j]->id.probe_id);

		if (ls[j]->named || !pi || strcmp(pi->runtime, "onnxruntime"))
			continue;
		fputs("unnamed: ONNX Runtime nodes are shown by NodeIndex (OFFSET#N); record with "
		      "--node-names PROFILE, a profile ORT wrote (enable_profiling), to name them "
		      "(docs/runtimes.md)\n",
		      f);
		return;
	}
}

static void print_proc_header(FILE *f, const struct nnp_proc_stats *p, const struct nnp_rec_meta *m)
{
	char comm[sizeof(p->comm) * 4], mean[32], p50[32], p99[32];
	const struct nnp_hist *h = &p->infer;

	nnp_text_display(comm, sizeof(comm), p->comm, sizeof(p->comm));
	fprintf(f, "PID %" PRIu32 " (%s%s)  inferences: %" PRIu64, p->tgid, comm,
		p->exited ? ", exited" : "", h->count);
	if (h->count)
		fprintf(f, "  mean %s  p50 %s  p99 %s",
			nnp_fmt_duration(mean, sizeof(mean), nnp_rec_mean_ns(h)),
			nnp_fmt_duration(p50, sizeof(p50), nnp_hist_quantile(h, 0.50)),
			nnp_fmt_duration(p99, sizeof(p99), nnp_hist_quantile(h, 0.99)));
	else
		fputs("  mean -  p50 -  p99 -", f);
	fprintf(f, "  lost events: %" PRIu64 "\n", m->lost_events);
}

static int print_proc(FILE *f, const struct nnp_agg *a, const struct nnp_proc_stats *p,
		      const struct nnp_rec_meta *m)
{
	struct nnp_layer_stats **ls = NULL;
	struct row row;
	size_t n;
	int err;

	print_proc_header(f, p, m);
	err = nnp_agg_sorted_layers(p, &ls, &n);
	if (err)
		goto cleanup;
	if (!n) {
		fputs("  no layer events\n", f);
		goto cleanup;
	}
	print_layers(f, a, p, ls, n, &row);
	print_nesting_note(f, p, ls, n);
	print_names_note(f, a, ls, n);
	if (m->group_by != NNP_GROUP_NONE)
		err = nnp_recording_write_gtable(f, a, p, ls, n, m->group_by);
	if (!err && m->kernel_info)
		err = nnp_recording_write_ktable(f, p, ls, n, m->kernel_info);
cleanup:
	free(ls);
	return err;
}

/* Everything that makes the numbers incomplete is said before them, not after. */
static void print_warnings(FILE *f, const struct nnp_agg *a, const struct nnp_rec_meta *m)
{
	if (m->lost_events)
		fprintf(f,
			"WARNING: %" PRIu64 " events lost because the ring buffer was full; "
			"the statistics are incomplete: retry with a larger --ringbuf-size "
			"(now %" PRIu32 " bytes)\n",
			m->lost_events, m->ringbuf_bytes);
	if (a->dropped_layers)
		fprintf(f, "WARNING: %" PRIu64 " layer events dropped: too many layers\n",
			a->dropped_layers);
	if (a->evicted_procs || a->refused_events)
		fprintf(f,
			"WARNING: too many processes: %" PRIu64 " exited ones evicted, %" PRIu64
			" events of new ones refused\n",
			a->evicted_procs, a->refused_events);
	if (a->bad_events)
		fprintf(f, "WARNING: %" PRIu64 " malformed events ignored\n", a->bad_events);
	if (nnp_agg_sample(a) > 1)
		fprintf(f,
			"sampled: 1 layer call in %" PRIu32 " measured (--sample); CALLS, TOTAL "
			"and the times are of measured calls, about %" PRIu32
			"x CALLS ran; SHARE is scaled to all calls; inferences are all measured\n",
			nnp_agg_sample(a), nnp_agg_sample(a));
}

int nnp_recording_write_table(FILE *f, const struct nnp_agg *a, const struct nnp_rec_meta *m)
{
	struct nnp_proc_stats **ps;
	size_t n;
	int err;

	print_warnings(f, a, m);
	if (m->overhead)
		nnp_rec_overhead_print(f, a, m->overhead);
	err = nnp_rec_sorted_procs(a, &ps, &n);
	if (err)
		return err;
	if (!n)
		fputs("no inference or layer events recorded\n", f);
	for (size_t i = 0; i < n && !err; i++) {
		if (i)
			fputc('\n', f);
		err = print_proc(f, a, ps[i], m);
	}
	free(ps);
	if (!err && (ferror(f) || fflush(f) == EOF))
		err = -EIO;
	return err;
}
