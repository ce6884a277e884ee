// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <inttypes.h>
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
