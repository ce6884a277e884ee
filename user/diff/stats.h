/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The statistics of `nnperf diff`: Student's t distribution (for any real
 * degrees of freedom) and Welch's confidence intervals for two samples known
 * only by their size, mean and standard deviation.
 */
#ifndef NNP_STATS_H
#define NNP_STATS_H

#include <stdbool.h>

/* A sample summarized: sd is NAN when unknown (then no interval can be given). */
struct nnp_sample {
	double n;
	double mean;
	double sd;
};

struct nnp_interval {
	bool available;	  /* both samples have n >= 2 and a known sd */
	double est;	  /* the estimate: b - a, or a / b for a ratio */
	double lo, hi;	  /* confidence bounds of est */
	double df;	  /* Welch-Satterthwaite degrees of freedom (INFINITY when se is 0) */
	bool significant; /* the interval excludes 0 (difference) or 1 (ratio) */
};

/* regularized incomplete beta I_x(a, b), a, b > 0, x in [0, 1] */
double nnp_betainc(double a, double b, double x);
/* P(T <= t) for Student's t with df > 0 degrees of freedom (df = INFINITY: normal) */
double nnp_t_cdf(double t, double df);
/* the t with P(T <= t) = p, p in (0, 1); NAN outside */
double nnp_t_quantile(double p, double df);
/* Welch's interval of mean(b) - mean(a) at confidence conf (e.g. 0.95) */
void nnp_welch_diff(const struct nnp_sample *a, const struct nnp_sample *b, double conf,
		    struct nnp_interval *out);
/*
 * Interval of mean(a) / mean(b) (a speedup when a is the baseline time): the
 * delta method on log(a/b), so the bounds are asymmetric and stay positive.
 */
void nnp_welch_ratio(const struct nnp_sample *a, const struct nnp_sample *b, double conf,
		     struct nnp_interval *out);

#endif
