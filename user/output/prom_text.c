// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "prom_text.h"
#include "text.h"

/* 1-2.5-5 per decade, 1 us .. 10 s; label text as Prometheus shows it */
const uint64_t nnp_prom_bounds_ns[NNP_PROM_NBOUNDS] = {
	1000,	    2500,	 5000,	      10000,	    25000,     50000,
	100000,	    250000,	 500000,      1000000,	    2500000,   5000000,
	10000000,   25000000,	 50000000,    100000000,    250000000, 500000000,
	1000000000, 2500000000u, 5000000000u, 10000000000u,
};

static const char *const bound_text[NNP_PROM_NBOUNDS] = {
	"1e-06",  "2.5e-06", "5e-06",  "1e-05", "2.5e-05", "5e-05", "0.0001", "0.00025",
	"0.0005", "0.001",   "0.0025", "0.005", "0.01",	   "0.025", "0.05",   "0.1",
	"0.25",	  "0.5",     "1",      "2.5",	"5",	   "10",
};

const char *nnp_prom_content_type(enum nnp_prom_format fmt)
{
	if (fmt == NNP_PROM_OPENMETRICS)
		return "application/openmetrics-text; version=1.0.0; charset=utf-8";
	return "text/plain; version=0.0.4; charset=utf-8";
}

/* Scrapers that understand OpenMetrics name it in Accept (Prometheus does,
 * with a lower q for text/plain); anything else gets the classic format. */
enum nnp_prom_format nnp_prom_negotiate(const char *accept)
{
	if (accept && strstr(accept, "application/openmetrics-text"))
		return NNP_PROM_OPENMETRICS;
	return NNP_PROM_TEXT;
}

void nnp_prom_writer_init(struct nnp_prom_writer *w, FILE *f, enum nnp_prom_format fmt,
			  size_t max_series)
{
	*w = (struct nnp_prom_writer){ .f = f, .fmt = fmt, .max_series = max_series };
}

static void escape_valid(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			fputs("\\\\", f);
		else if (*v == '"')
			fputs("\\\"", f);
		else if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

void nnp_prom_escape(FILE *f, const char *v)
{
	char *clean = nnp_utf8_sanitize(v ? v : "");

	if (clean) {
		escape_valid(f, clean);
		free(clean);
		return;
	}
	/* no memory for the sanitized copy: keep ASCII, never emit invalid UTF-8 */
	for (const char *p = v; p && *p; p++) {
		char c[2] = { (unsigned char)*p < 0x80 ? *p : '?', 0 };

		escape_valid(f, c);
	}
}

static const char *type_name(enum nnp_prom_type t)
{
	return t == NNP_PROM_COUNTER ? "counter" : t == NNP_PROM_GAUGE ? "gauge" : "histogram";
}

void nnp_prom_family(struct nnp_prom_writer *w, const char *name, enum nnp_prom_type type,
		     const char *unit, const char *help)
{
	const char *sfx = type == NNP_PROM_COUNTER && w->fmt == NNP_PROM_TEXT ? "_total" : "";

	fprintf(w->f, "# HELP %s%s %s\n", name, sfx, help);
	fprintf(w->f, "# TYPE %s%s %s\n", name, sfx, type_name(type));
	if (unit && w->fmt == NNP_PROM_OPENMETRICS)
		fprintf(w->f, "# UNIT %s %s\n", name, unit);
}

bool nnp_prom_reserve(struct nnp_prom_writer *w, size_t n)
{
	if (w->max_series && w->series + n > w->max_series) {
		w->dropped += n;
		return false;
	}
	w->series += n;
	return true;
}

static void series_name(struct nnp_prom_writer *w, const char *name, const char *suffix,
			const struct nnp_prom_label *l, size_t nl, const char *le)
{
	fprintf(w->f, "%s%s", name, suffix ? suffix : "");
	if (!nl && !le)
		return;
	fputc('{', w->f);
	for (size_t i = 0; i < nl; i++) {
		fprintf(w->f, "%s%s=\"", i ? "," : "", l[i].name);
		nnp_prom_escape(w->f, l[i].value);
		fputc('"', w->f);
	}
	if (le)
		fprintf(w->f, "%sle=\"%s\"", nl ? "," : "", le);
	fputc('}', w->f);
}

void nnp_prom_u64(struct nnp_prom_writer *w, const char *name, const char *suffix,
		  const struct nnp_prom_label *l, size_t nl, uint64_t v)
{
	series_name(w, name, suffix, l, nl, NULL);
	fprintf(w->f, " %" PRIu64 "\n", v);
}

static void write_seconds(FILE *f, uint64_t ns)
{
	fprintf(f, " %" PRIu64 ".%09" PRIu64 "\n", ns / 1000000000u, ns % 1000000000u);
}

void nnp_prom_ns(struct nnp_prom_writer *w, const char *name, const char *suffix,
		 const struct nnp_prom_label *l, size_t nl, uint64_t ns)
{
	series_name(w, name, suffix, l, nl, NULL);
	write_seconds(w->f, ns);
}

void nnp_prom_ratio(struct nnp_prom_writer *w, const char *name, const char *suffix,
		    const struct nnp_prom_label *l, size_t nl, double v)
{
	series_name(w, name, suffix, l, nl, NULL);
	fprintf(w->f, " %.6g\n", v);
}

/*
 * A bucket of the log-linear histogram that straddles a bound counts above it:
 * a value within 1/32 below a bound may show in the next le (docs/metrics.md).
 * count_le never exceeds count, so buckets stay cumulative up to +Inf.
 */
void nnp_prom_histogram(struct nnp_prom_writer *w, const char *name, const struct nnp_prom_label *l,
			size_t nl, const struct nnp_hist *h)
{
	for (size_t i = 0; i < NNP_PROM_NBOUNDS; i++) {
		series_name(w, name, "_bucket", l, nl, bound_text[i]);
		fprintf(w->f, " %" PRIu64 "\n", nnp_hist_count_le(h, nnp_prom_bounds_ns[i]));
	}
	series_name(w, name, "_bucket", l, nl, "+Inf");
	fprintf(w->f, " %" PRIu64 "\n", h->count);
	nnp_prom_ns(w, name, "_sum", l, nl, h->sum);
	nnp_prom_u64(w, name, "_count", l, nl, h->count);
}

void nnp_prom_finish(struct nnp_prom_writer *w)
{
	if (w->fmt == NNP_PROM_OPENMETRICS)
		fputs("# EOF\n", w->f);
}
