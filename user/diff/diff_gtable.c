// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The group table of `diff --group-by`: per group, how many layers each side
 * has in it, their self time per inference, A/B and B-A, and the share of the
 * inference difference it explains. Names come from traced processes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff_writers.h"
#include "fmt.h"
#include "text.h"

#define GCELL 160

enum gcol { G_NAME, G_ALAY, G_BLAY, G_A, G_B, G_SPEED, G_DELTA, G_SHARE, G_NCOLS };

static const char *const gtitle[G_NCOLS] = { "GROUP",	   "A LAYERS", "B LAYERS", "A SELF/INF",
					     "B SELF/INF", "SPEEDUP",  "B-A",	   "SHARE" };

struct gcells {
	char s[G_NCOLS][GCELL];
	size_t w[G_NCOLS];
};

static void put(struct gcells *c, int i, const char *s)
{
	c->w[i] = nnp_text_display(c->s[i], GCELL, s, 40);
}

static void put_dur(struct gcells *c, int i, double ns, bool sign)
{
	char d[32], buf[40];

	if (!isfinite(ns)) {
		put(c, i, "-");
		return;
	}
	nnp_fmt_duration(d, sizeof(d), (uint64_t)llround(fabs(ns)));
	snprintf(buf, sizeof(buf), "%s%s", sign ? (ns < 0 ? "-" : "+") : "", d);
	put(c, i, buf);
}

static void fill(struct gcells *c, const struct diff_group *g, enum nnp_group_by by)
{
	char buf[NNP_GROUP_LEN + 8];
	bool mark = by != NNP_GROUP_OP && g->from != NNP_GROUP_FROM_NAME;

	snprintf(buf, sizeof(buf), "%s%s", g->name,
		 !mark				? ""
		 : g->from == NNP_GROUP_FROM_OP ? " (op)"
						: " (place)");
	put(c, G_NAME, buf);
	snprintf(buf, sizeof(buf), "%zu", g->a_layers);
	put(c, G_ALAY, buf);
	snprintf(buf, sizeof(buf), "%zu", g->b_layers);
	put(c, G_BLAY, buf);
	put_dur(c, G_A, g->a_layers ? g->a_ns : NAN, false);
	put_dur(c, G_B, g->b_layers ? g->b_ns : NAN, false);
	if (isfinite(g->speedup))
		snprintf(buf, sizeof(buf), "%.2fx", g->speedup);
	else
		strcpy(buf, "-");
	put(c, G_SPEED, buf);
	put_dur(c, G_DELTA, g->delta_ns, true);
	if (isfinite(g->share))
		snprintf(buf, sizeof(buf), "%.1f%%",
			 fabs(g->share) < 0.0005 ? 0.0 : 100 * g->share);
	else
		strcpy(buf, "-");
	put(c, G_SHARE, buf);
}

static void print(FILE *f, const struct gcells *c, const size_t *w)
{
	for (int i = 0; i < G_NCOLS; i++)
		fprintf(f, "%s%*s%s%*s", i ? "  " : "", i ? (int)(w[i] - c->w[i]) : 0, "", c->s[i],
			i ? 0 : (int)(w[i] - c->w[i]), "");
	fputc('\n', f);
}

int diff_write_gtable(FILE *f, const struct diff_result *r)
{
	struct gcells *c = calloc(r->ngroups + 1, sizeof(*c));
	size_t w[G_NCOLS];

	if (!c)
		return -ENOMEM;
	for (int i = 0; i < G_NCOLS; i++) {
		put(&c[0], i, gtitle[i]);
		w[i] = c[0].w[i];
	}
	for (size_t k = 0; k < r->ngroups; k++) {
		fill(&c[k + 1], &r->groups[k], r->group_by);
		for (int i = 0; i < G_NCOLS; i++)
			w[i] = c[k + 1].w[i] > w[i] ? c[k + 1].w[i] : w[i];
	}
	fprintf(f, "\ngroups by %s (self time per inference; SHARE: of the inference difference",
		r->group_by == NNP_GROUP_OP ? "op type" : nnp_group_by_str(r->group_by));
	if (r->group_by != NNP_GROUP_OP)
		fprintf(f,
			"; (op): no %s in the names, by op type; (place): by the layers "
			"around it",
			nnp_group_by_str(r->group_by));
	fputs("):\n", f);
	for (size_t k = 0; k <= r->ngroups; k++)
		print(f, &c[k], w);
	free(c);
	return 0;
}
