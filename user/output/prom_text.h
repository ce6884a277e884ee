/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Writing Prometheus text format 0.0.4 and OpenMetrics 1.0.0: metric families
 * (HELP/TYPE/UNIT), samples with escaped label values, histograms from the
 * log-linear nnp_hist. Label values come from traced processes: they are made
 * valid UTF-8 (U+FFFD for bad bytes) and \, " and newline are escaped.
 * A series budget (max_series) drops whole groups that do not fit and counts
 * the series dropped.
 */
#ifndef NNP_PROM_TEXT_H
#define NNP_PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hist.h"

enum nnp_prom_format {
	NNP_PROM_TEXT,	      /* text/plain; version=0.0.4 */
	NNP_PROM_OPENMETRICS, /* application/openmetrics-text; version=1.0.0 */
};

enum nnp_prom_type {
	NNP_PROM_COUNTER,
	NNP_PROM_GAUGE,
	NNP_PROM_HISTOGRAM,
};

struct nnp_prom_label {
	const char *name;
	const char *value; /* untrusted bytes */
};

struct nnp_prom_writer {
	FILE *f;
	enum nnp_prom_format fmt;
	size_t max_series; /* 0 = unlimited */
	size_t series;	   /* written so far */
	uint64_t dropped;  /* series not written because of max_series */
};

/* The le bounds of every duration histogram, in nanoseconds (docs/metrics.md) */
#define NNP_PROM_NBOUNDS 22
extern const uint64_t nnp_prom_bounds_ns[NNP_PROM_NBOUNDS];

const char *nnp_prom_content_type(enum nnp_prom_format fmt);
/* OpenMetrics when the Accept header asks for it, else text 0.0.4 */
enum nnp_prom_format nnp_prom_negotiate(const char *accept);

void nnp_prom_writer_init(struct nnp_prom_writer *w, FILE *f, enum nnp_prom_format fmt,
			  size_t max_series);
/* Writes v as a label value: valid UTF-8, with \\, \" and \n escaped */
void nnp_prom_escape(FILE *f, const char *v);
/*
 * HELP/TYPE (and UNIT in OpenMetrics) of a family. name is the family name
 * without _total: counters' samples get the suffix (and 0.0.4 names the
 * family with it).
 */
void nnp_prom_family(struct nnp_prom_writer *w, const char *name, enum nnp_prom_type type,
		     const char *unit, const char *help);
/* true if n more series fit; if not, counts them as dropped */
bool nnp_prom_reserve(struct nnp_prom_writer *w, size_t n);
/* one sample; suffix ("_total", "_sum", ...) may be NULL */
void nnp_prom_u64(struct nnp_prom_writer *w, const char *name, const char *suffix,
		  const struct nnp_prom_label *l, size_t nl, uint64_t v);
/* nanoseconds written as exact decimal seconds */
void nnp_prom_ns(struct nnp_prom_writer *w, const char *name, const char *suffix,
		 const struct nnp_prom_label *l, size_t nl, uint64_t ns);
/* a fraction or ratio, up to 6 significant digits */
void nnp_prom_ratio(struct nnp_prom_writer *w, const char *name, const char *suffix,
		    const struct nnp_prom_label *l, size_t nl, double v);
/* _bucket{le} (cumulative, +Inf), _sum and _count of a histogram of
 * nanoseconds, in seconds; NNP_PROM_NBOUNDS + 3 series, reserved by the caller */
void nnp_prom_histogram(struct nnp_prom_writer *w, const char *name, const struct nnp_prom_label *l,
			size_t nl, const struct nnp_hist *h);
/* "# EOF" in OpenMetrics, nothing in 0.0.4 */
void nnp_prom_finish(struct nnp_prom_writer *w);

#endif
