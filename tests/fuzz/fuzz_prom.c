// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Prometheus label values from untrusted layer names: the output is valid
 * UTF-8, has no raw newline, and every '"' and '\\' is escaped, so a value
 * never ends early or forges another label.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "prom_text.h"
#include "text.h"

static void check(const char *out, size_t len)
{
	bool esc = false;

	if (strlen(out) != len)
		abort(); /* no NUL inside */
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (esc) {
			if (c != '\\' && c != '"' && c != 'n')
				abort();
			esc = false;
		} else if (c == '\\') {
			esc = true;
		} else if (c == '"' || c == '\n') {
			abort();
		}
	}
	if (esc)
		abort();
	for (size_t i = 0; i < len;) {
		size_t n = nnp_utf8_seq_len((const unsigned char *)out + i);

		if (!n)
			abort();
		i += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_cstr(data, size), *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!in)
		return 0;
	f = open_memstream(&out, &len);
	if (f) {
		nnp_prom_escape(f, in);
		fclose(f);
		check(out, len);
		free(out);
	}
	free(in);
	return 0;
}
