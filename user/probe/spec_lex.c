// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "spec_lex.h"

#define SPAN_MAX 60 /* longest quoted context in a message before eliding */

int nnp_lex_fail(struct nnp_lex *lx, const char *at, const char *fmt, ...)
{
	va_list ap;

	lx->col = (int)(at - lx->text) + 1;
	if (lx->err && lx->errlen) {
		va_start(ap, fmt);
		vsnprintf(lx->err, lx->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool nnp_lex_is_space(char c)
{
	return c == ' ' || c == '\t';
}

bool nnp_lex_is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

const char *nnp_lex_skip_ws_at(const char *p)
{
	while (nnp_lex_is_space(*p))
		p++;
	return p;
}

void nnp_lex_skip_ws(struct nnp_lex *lx)
{
	lx->p = nnp_lex_skip_ws_at(lx->p);
}

size_t nnp_lex_ident_len(const char *p)
{
	size_t n = 0;

	while (nnp_lex_is_ident(p[n]))
		n++;
	return n;
}

size_t nnp_lex_word_len(const char *p)
{
	size_t n = 0;

	while (nnp_lex_is_ident(p[n]) || p[n] == '-')
		n++;
	return n;
}

/* strncmp, not memcmp: a LEN longer than what is left of P stops at its NUL */
bool nnp_lex_word_is(const char *p, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(p, word, len) == 0;
}

const char *nnp_lex_found(const char *at, char *buf, size_t len)
{
	size_t n = nnp_lex_ident_len(at);

	if (*at == '\0')
		snprintf(buf, len, "end of input");
	else if (n > 0)
		snprintf(buf, len, "'%.*s%s'", n > 24 ? 24 : (int)n, at, n > 24 ? "..." : "");
	else if (isprint((unsigned char)*at))
		snprintf(buf, len, "'%c'", *at);
	else
		snprintf(buf, len, "byte 0x%02x", (unsigned char)*at);
	return buf;
}

const char *nnp_lex_span(const char *from, const char *to, char *buf, size_t len)
{
	while (to > from && nnp_lex_is_space(to[-1]))
		to--;
	if (to - from > SPAN_MAX)
		snprintf(buf, len, "...%.*s", SPAN_MAX, to - SPAN_MAX);
	else
		snprintf(buf, len, "%.*s", (int)(to - from), from);
	return buf;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int nnp_lex_number(const char *p, uint64_t *v, const char **end)
{
	unsigned base = 10;
	uint64_t acc = 0;
	const char *q = p;
	int d;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		q += 2;
	}
	if (hex_digit(*q) < 0 || (base == 10 && hex_digit(*q) > 9))
		return -EINVAL;
	for (; (d = hex_digit(*q)) >= 0 && (unsigned)d < base; q++) {
		if (acc > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		acc = acc * base + (uint64_t)d;
	}
	*v = acc;
	*end = q;
	return 0;
}
