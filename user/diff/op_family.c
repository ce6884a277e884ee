// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>

#include "op_family.h"

static bool upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* PREFIX followed by an op's name (capitalised): the name */
static bool strip_prefix(const char **s, size_t *n, const char *prefix)
{
	size_t p = strlen(prefix);

	if (*n <= p || strncmp(*s, prefix, p) || !upper((*s)[p]))
		return false;
	*s += p;
	*n -= p;
	return true;
}

size_t nnp_op_family(const char *op, const char **start)
{
	static const char integer[] = "Integer";
	const size_t ni = sizeof(integer) - 1;
	const char *s = op;
	size_t n = strlen(op);

	/* QLinearConv, FusedConv; then QGemm, QAttention (not QuantizeLinear) */
	if (!strip_prefix(&s, &n, "QLinear") && !strip_prefix(&s, &n, "Fused") &&
	    strncmp(s, "QLinear", 7) && n > 2 && s[2] >= 'a' && s[2] <= 'z')
		strip_prefix(&s, &n, "Q"); /* CamelCase after it: not TFLite's QUANTIZE */
	/* ConvInteger, MatMulInteger */
	if (n > ni && !strcmp(s + n - ni, integer) && upper(s[0]))
		n -= ni;
	*start = s;
	return n;
}

bool nnp_op_same_family(const char *a, const char *b)
{
	const char *fa, *fb;
	size_t na, nb;

	if (!strcmp(a, b))
		return true;
	na = nnp_op_family(a, &fa);
	nb = nnp_op_family(b, &fb);
	return na == nb && !strncmp(fa, fb, na);
}
