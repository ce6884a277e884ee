// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "fmt.h"

char *nnp_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	static const struct {
		const char *name;
		double scale;
	} units[] = { { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 } };
	size_t last = sizeof(units) / sizeof(units[0]) - 1;

	if (ns < 1000) {
		snprintf(buf, len, "%" PRIu64 "ns", ns);
		return buf;
	}
	for (size_t i = 0; i <= last; i++) {
		double x = (double)ns / units[i].scale;

		/* decided on the rounded value: 999.7us is 1.00ms, 9.996us is 10.0us */
		if (x >= 999.5 && i < last)
			continue;
		if (x < 9.995)
			snprintf(buf, len, "%.2f%s", x, units[i].name);
		else if (x < 99.95)
			snprintf(buf, len, "%.1f%s", x, units[i].name);
		else
			snprintf(buf, len, "%.0f%s", x, units[i].name);
		break;
	}
	return buf;
}

char *nnp_fmt_count(char *buf, size_t len, double v)
{
	static const char suffix[] = "kMGT";
	double a = fabs(v);
	int s = -1;

	if (v == 0)
		snprintf(buf, len, "0");
	else if (a < 99.995)
		snprintf(buf, len, "%.2f", v);
	else if (a < 9999.5)
		snprintf(buf, len, "%.0f", v);
	else {
		/* decided on the rounded value, as durations are: 999.7k is 1.00M */
		while ((a >= 999.5 || s < 0) && s < 3) {
			a /= 1000;
			v /= 1000;
			s++;
		}
		snprintf(buf, len,
			 a < 9.995   ? "%.2f%c"
			 : a < 99.95 ? "%.1f%c"
				     : "%.0f%c",
			 v, suffix[s]);
	}
	return buf;
}
