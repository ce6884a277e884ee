// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The incomplete beta function by its continued fraction (modified Lentz,
 * as in Numerical Recipes' betacf): converges fast for x < (a+1)/(a+b+2),
 * and the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) covers the rest. The t
 * quantile inverts the CDF by bisection: slow-ish but exact to 1e-12, and
 * diff calls it a few hundred times at most.
 */
#include <math.h>

#include "stats.h"

#define CF_MAX_ITER 300
#define CF_EPS 1e-15
#define CF_TINY 1e-300

static double betacf(double a, double b, double x)
{
	double qab = a + b, qap = a + 1, qam = a - 1, c = 1, d = 1 - qab * x / qap, h;

	d = fabs(d) < CF_TINY ? CF_TINY : d;
	d = 1 / d;
	h = d;
	for (int m = 1; m <= CF_MAX_ITER; m++) {
		int m2 = 2 * m;
		double aa = m * (b - m) * x / ((qam + m2) * (a + m2)), del;

		d = 1 + aa * d;
		d = fabs(d) < CF_TINY ? CF_TINY : d;
		c = 1 + aa / c;
		c = fabs(c) < CF_TINY ? CF_TINY : c;
		d = 1 / d;
		h *= d * c;
		aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
		d = 1 + aa * d;
		d = fabs(d) < CF_TINY ? CF_TINY : d;
		c = 1 + aa / c;
		c = fabs(c) < CF_TINY ? CF_TINY : c;
		d = 1 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < CF_EPS)
			break;
	}
	return h;
}

double nnp_betainc(double a, double b, double x)
{
	double front;

	if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * betacf(a, b, x) / a;
	return 1 - front * betacf(b, a, 1 - x) / b;
}

double nnp_t_cdf(double t, double df)
{
	double tail;

	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(df))
		return 0.5 * erfc(-t / M_SQRT2);
	if (isinf(t))
		return t > 0 ? 1 : 0;
	/* P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2) */
	tail = 0.5 * nnp_betainc(df / 2, 0.5, df / (df + t * t));
	return t > 0 ? 1 - tail : tail;
}

double nnp_t_quantile(double p, double df)
{
	double lo = 0, hi = 1;

	if (!(p > 0 && p < 1) || !(df > 0))
		return NAN;
	if (p < 0.5)
		return -nnp_t_quantile(1 - p, df);
	if (p == 0.5)
		return 0;
	while (nnp_t_cdf(hi, df) < p && hi < 1e300)
		hi *= 2;
	for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		double mid = lo + (hi - lo) / 2;

		if (nnp_t_cdf(mid, df) < p)
			lo = mid;
		else
			hi = mid;
	}
	return lo + (hi - lo) / 2;
}

static bool usable(const struct nnp_sample *s)
{
	return s->n >= 2 && isfinite(s->sd) && s->sd >= 0 && isfinite(s->mean);
}

/* Welch-Satterthwaite: va, vb are the variances of the two estimates (sd^2 / n) */
static double welch_df(double va, double vb, double na, double nb)
{
	double den = va * va / (na - 1) + vb * vb / (nb - 1);

	return den > 0 ? (va + vb) * (va + vb) / den : INFINITY;
}

void nnp_welch_diff(const struct nnp_sample *a, const struct nnp_sample *b, double conf,
		    struct nnp_interval *out)
{
	double va, vb, se, t;

	*out = (struct nnp_interval){ .est = b->mean - a->mean, .lo = NAN, .hi = NAN, .df = NAN };
	if (!usable(a) || !usable(b))
		return;
	va = a->sd * a->sd / a->n;
	vb = b->sd * b->sd / b->n;
	se = sqrt(va + vb);
	out->df = welch_df(va, vb, a->n, b->n);
	t = se > 0 ? nnp_t_quantile(0.5 + conf / 2, out->df) : 0;
	out->lo = out->est - t * se;
	out->hi = out->est + t * se;
	out->available = true;
	out->significant = out->lo > 0 || out->hi < 0;
}

void nnp_welch_ratio(const struct nnp_sample *a, const struct nnp_sample *b, double conf,
		     struct nnp_interval *out)
{
	double ra, rb, se, t, l;

	*out = (struct nnp_interval){
		.est = b->mean > 0 ? a->mean / b->mean : NAN, .lo = NAN, .hi = NAN, .df = NAN
	};
	if (!usable(a) || !usable(b) || !(a->mean > 0) || !(b->mean > 0))
		return;
	/* relative variances: var(log m) ~ var(m) / m^2 */
	ra = a->sd * a->sd / a->n / (a->mean * a->mean);
	rb = b->sd * b->sd / b->n / (b->mean * b->mean);
	se = sqrt(ra + rb);
	out->df = welch_df(ra, rb, a->n, b->n);
	t = se > 0 ? nnp_t_quantile(0.5 + conf / 2, out->df) : 0;
	l = log(out->est);
	out->lo = exp(l - t * se);
	out->hi = exp(l + t * se);
	out->available = true;
	out->significant = out->lo > 1 || out->hi < 1;
}
