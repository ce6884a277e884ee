// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * record's group table (--group-by): one row per group in the order of its
 * first layer, its time the self time of its layers, so the shares add up to
 * at most 100% however the layers nest. Group names come from layer names:
 * they reach the terminal through nnp_text_display.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "recording_groups.h"
#include "recording_util.h"
#include "text.h"

#define MAX_GROUP_COLS 40

enum gcol { G_NAME, G_LAYERS, G_CALLS, G_TOTAL, G_SELF, G_PER_INF, G_SHARE, G_NCOLS };

static const char *const gtitle[G_NCOLS] = {
	"GROUP", "LAYERS", "CALLS", "TOTAL", "SELF", "SELF/INF", "SHARE",
};

struct grow {
	char c[G_NCOLS][MAX_GROUP_COLS * 4 + 8];
	size_t w[G_NCOLS];
};

static void cell(struct grow *r, int i, const char *s)
{
	r->w[i] = nnp_text_display(r->c[i], sizeof(r->c[i]), s, MAX_GROUP_COLS);
}

static void cell_dur(struct grow *r, int i, uint64_t ns)
{
	char buf[32];

	cell(r, i, nnp_fmt_duration(buf, sizeof(buf), ns));
}

static void fill(struct grow *r, const struct nnp_agg *a, const struct nnp_proc_stats *p,
		 const struct nnp_rec_group *g, bool mark_op)
{
	bool mark = mark_op && g->from != NNP_GROUP_FROM_NAME;
	uint32_t s = nnp_agg_sample(a);
	char buf[NNP_GROUP_LEN + 8];
	double share;

	snprintf(buf, sizeof(buf), "%s%s", g->name,
		 !mark				? ""
		 : g->from == NNP_GROUP_FROM_OP ? " (op)"
						: " (place)");
	cell(r, G_NAME, buf);
	snprintf(buf, sizeof(buf), "%zu", g->layers);
	cell(r, G_LAYERS, buf);
	snprintf(buf, sizeof(buf), "%" PRIu64, g->calls * s);
	cell(r, G_CALLS, buf);
	cell_dur(r, G_TOTAL, g->total_ns * s);
	cell_dur(r, G_SELF, g->self_ns * s);
	if (p->infer.count)
		cell_dur(r, G_PER_INF, g->self_ns * s / p->infer.count);
	else
		cell(r, G_PER_INF, "-");
	if (nnp_rec_group_share(a, p, g, &share))
		snprintf(buf, sizeof(buf), "%.1f%%", share * 100.0);
	else
		strcpy(buf, "-");
	cell(r, G_SHARE, buf);
}

static void print(FILE *f, const struct grow *r, const size_t *width)
{
	for (int i = 0; i < G_NCOLS; i++)
		fprintf(f, "%s%*s%s%*s", i ? "  " : "", i ? (int)(width[i] - r->w[i]) : 0, "",
			r->c[i], i ? 0 : (int)(width[i] - r->w[i]), "");
	fputc('\n', f);
}

int nnp_recording_write_gtable(FILE *f, const struct nnp_agg *a, const struct nnp_proc_stats *p,
			       struct nnp_layer_stats *const *ls, size_t n, enum nnp_group_by by)
{
	struct nnp_rec_group *g;
	size_t ng, width[G_NCOLS];
	struct grow *r = malloc(sizeof(*r));
	int err = r ? nnp_rec_groups(a, ls, n, by, &g, &ng, NULL) : -ENOMEM;

	if (err) {
		free(r);
		return err;
	}
	fprintf(f, "groups %s: %zu group%s of %zu layer%s%s; SELF, SHARE: their self time\n",
		nnp_rec_group_rule(by), ng, ng == 1 ? "" : "s", n, n == 1 ? "" : "s",
		by == NNP_GROUP_OP ? "" : " ((op): by op type; (place): by the layers around it)");
	for (int i = 0; i < G_NCOLS; i++)
		width[i] = strlen(gtitle[i]);
	for (size_t j = 0; j < ng; j++) {
		fill(r, a, p, &g[j], by != NNP_GROUP_OP);
		for (int i = 0; i < G_NCOLS; i++)
			width[i] = r->w[i] > width[i] ? r->w[i] : width[i];
	}
	for (int i = 0; i < G_NCOLS; i++)
		cell(r, i, gtitle[i]);
	print(f, r, width);
	for (size_t j = 0; j < ng; j++) {
		fill(r, a, p, &g[j], by != NNP_GROUP_OP);
		print(f, r, width);
	}
	free(g);
	free(r);
	return 0;
}
