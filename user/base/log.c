// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "text.h"

static int verbose;

void nnp_log_set_verbose(int level)
{
	verbose = level;
}

int nnp_log_verbose(void)
{
	return verbose;
}

/*
 * Messages name what traced processes chose (library paths, symbols): shown
 * with control characters and invalid UTF-8 as '?', so that each stays one
 * line and cannot drive the terminal.
 */
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char raw[8192], shown[sizeof(raw)];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	nnp_text_display(shown, sizeof(shown), raw, SIZE_MAX);
	fprintf(stderr, "nnperf: %s%s\n", prefix, shown);
}

void nnp_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("error: ", fmt, ap);
	va_end(ap);
}

void nnp_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void nnp_info(const char *fmt, ...)
{
	va_list ap;

	if (!verbose)
		return;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}
