// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "probe_site.h"

#define MAX_NESTING 64
#define SPAN_LEN 96

/*
 * "operator<", "operator->" and "operator," would otherwise unbalance the
 * bracket count, so the operator token after the keyword is skipped whole.
 */
static const char *skip_operator(const char *start, const char *p)
{
	const char *q;

	if (strncmp(p, "operator", 8) != 0 || nnp_lex_is_ident(p[8]) ||
	    (p > start && nnp_lex_is_ident(p[-1])))
		return p;
	q = nnp_lex_skip_ws_at(p + 8);
	if (*q == ',')
		return q + 1;
	if ((q[0] == '(' && q[1] == ')') || (q[0] == '[' && q[1] == ']'))
		return q + 2;
	while (*q && strchr("+-*/%^&|~!=<>", *q))
		q++;
	return q;
}

/* Pops to the opener that matches closer c; a '<' left open there was a less-than. */
static bool close_bracket(char *stack, int *depth, char c)
{
	char want = c == ')' ? '(' : c == ']' ? '[' : '<';
	int i = *depth;

	if (c != '>') {
		while (i > 0 && stack[i - 1] == '<')
			i--;
	}
	if (i == 0 || stack[i - 1] != want)
		return false;
	*depth = i - 1;
	return true;
}

/* a glob's '*' or '?' in [from, to) */
static bool has_glob(const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from == '*' || *from == '?')
			return true;
	return false;
}

/*
 * Finds the first ',' outside (), [] and <> (with angle; without, '<' and '>'
 * are plain characters) at or after start, or the end of input. -EAGAIN when
 * only '<'s are left open and the site has a glob: "Eval<*" is a pattern.
 */
static int site_end_at(struct nnp_lex *lx, const char *start, const char **end, bool angle)
{
	const char *open[MAX_NESTING], *p = start, *q;
	char stack[MAX_NESTING];
	int depth = 0;

	while (*p && (*p != ',' || depth > 0)) {
		q = skip_operator(start, p);
		if (q != p) {
			p = q;
			continue;
		}
		if (*p == '(' || *p == '[' || (*p == '<' && angle)) {
			if (depth == MAX_NESTING)
				return nnp_lex_fail(lx, p,
						    "site nested too deeply (at most %d levels)",
						    MAX_NESTING);
			open[depth] = p;
			stack[depth++] = *p;
		} else if ((*p == ')' || *p == ']') && !close_bracket(stack, &depth, *p)) {
			return nnp_lex_fail(lx, p, "unmatched '%c' in site", *p);
		} else if (*p == '>' && angle) {
			close_bracket(stack, &depth, *p); /* operator> without the keyword */
		}
		p++;
	}
	if (depth > 0 && !memchr(stack, '(', (size_t)depth) && !memchr(stack, '[', (size_t)depth) &&
	    has_glob(start, p))
		return -EAGAIN;
	if (depth > 0)
		return nnp_lex_fail(lx, open[0],
				    "unclosed '%c' in site (a ',' inside (), <> or [] belongs to "
				    "the symbol)",
				    stack[0]);
	*end = p;
	return 0;
}

/* a pattern's unclosed '<' ("Eval<*") is a plain character: the site ends at the
 * first ',' outside () and [] */
static int site_end(struct nnp_lex *lx, const char *start, const char **end)
{
	int err = site_end_at(lx, start, end, true);

	return err == -EAGAIN ? site_end_at(lx, start, end, false) : err;
}

struct site_text {
	struct nnp_lex *lx;
	struct nnp_probe_def *d;
	const char *start; /* first character of the site */
	const char *end;   /* the ',' or NUL after it */
};

static const char *trim_end(const char *from, const char *to)
{
	while (to > from && nnp_lex_is_space(to[-1]))
		to--;
	return to;
}

/* Copies the trimmed [from, to) into dst, which `what` names in messages. */
static int copy_part(struct site_text *st, const char *from, const char *to, char *dst,
		     size_t dstlen, const char *what)
{
	char found[48], span[SPAN_LEN];

	from = nnp_lex_skip_ws_at(from);
	to = trim_end(from, to);
	if (from >= to) {
		nnp_lex_found(from < st->end ? from : st->end, found, sizeof(found));
		if (from == st->start)
			return nnp_lex_fail(st->lx, from, "expected %s but found %s", what, found);
		return nnp_lex_fail(st->lx, from, "expected %s after '%s' but found %s", what,
				    nnp_lex_span(st->start, from, span, sizeof(span)), found);
	}
	if ((size_t)(to - from) >= dstlen)
		return nnp_lex_fail(st->lx, from + dstlen - 1, "%s too long (at most %zu bytes)",
				    what, dstlen - 1);
	memcpy(dst, from, (size_t)(to - from));
	dst[to - from] = '\0';
	return 0;
}

/* Is [p, end) one whole number? -ERANGE when it is one but too big. */
static int whole_number(const char *p, const char *end, uint64_t *v)
{
	const char *q;
	int err = nnp_lex_number(p, v, &q);

	if (err == -ERANGE && p + nnp_lex_ident_len(p) == end)
		return -ERANGE;
	return err == 0 && q == end ? 0 : -EINVAL;
}

/*
 * Splits a trailing "+NUMBER" off [s, end): operator+ and friends keep their
 * '+' because only a number may follow the one that starts an offset.
 */
static int split_offset(const char *s, const char *end, const char **sym_end, const char **num,
			uint64_t *off)
{
	const char *plus = end;
	int err;

	while (plus > s && plus[-1] != '+')
		plus--;
	if (plus <= s + 1)
		return -EINVAL;
	*sym_end = trim_end(s, plus - 1);
	if (*sym_end == s)
		return -EINVAL;
	*num = nnp_lex_skip_ws_at(plus);
	err = whole_number(*num, end, off);
	return err;
}

static int check_ident(struct site_text *st, const char *from, const char *to, const char *what)
{
	from = nnp_lex_skip_ws_at(from);
	for (to = trim_end(from, to); from < to; from++) {
		if (!nnp_lex_is_ident(*from))
			return nnp_lex_fail(st->lx, from,
					    "invalid character '%c' in USDT %s (expected letters, "
					    "digits and '_')",
					    *from, what);
	}
	return 0;
}

static int parse_usdt(struct site_text *st, const char *rest)
{
	const char *c1 = NULL, *c2 = NULL, *p, *tend = trim_end(rest, st->end);
	struct nnp_probe_def *d = st->d;
	char span[SPAN_LEN];
	int err;

	for (p = rest; p < tend; p++) {
		if (*p == ':') {
			c1 = c2;
			c2 = p;
		}
	}
	if (!c1)
		return nnp_lex_fail(st->lx, tend,
				    "incomplete USDT site '%s' (expected usdt:LIB:PROVIDER:NAME)",
				    nnp_lex_span(st->start, tend, span, sizeof(span)));
	d->site = NNP_SITE_USDT;
	err = copy_part(st, rest, c1, d->lib, sizeof(d->lib), "a library");
	if (!err)
		err =
		    copy_part(st, c1 + 1, c2, d->provider, sizeof(d->provider), "a USDT provider");
	if (!err)
		err = check_ident(st, c1 + 1, c2, "provider");
	if (!err)
		err =
		    copy_part(st, c2 + 1, tend, d->usdt_name, sizeof(d->usdt_name), "a USDT name");
	if (!err)
		err = check_ident(st, c2 + 1, tend, "name");
	return err;
}

static int parse_symbol(struct site_text *st, const char *sym)
{
	const char *tend = trim_end(sym, st->end), *sym_end = tend, *num, *hash;
	struct nnp_probe_def *d = st->d;
	int err;

	sym = nnp_lex_skip_ws_at(sym);
	if (sym >= tend)
		return copy_part(st, sym, tend, d->symbol, sizeof(d->symbol), "a symbol or offset");
	hash = memchr(sym, '#', (size_t)(tend - sym));
	if (hash)
		return nnp_lex_fail(st->lx, hash,
				    "unexpected '#' in symbol: a comment must be "
				    "on a line of its own");
	err = whole_number(sym, tend, &d->offset);
	if (err == 0) {
		d->site = NNP_SITE_OFFSET;
		return 0;
	}
	num = sym;
	if (err == -EINVAL)
		err = split_offset(sym, tend, &sym_end, &num, &d->offset);
	if (err == -ERANGE)
		return nnp_lex_fail(st->lx, num, "file offset out of range (at most 64 bits)");
	if (err) {
		d->offset = 0;
		sym_end = tend;
	}
	d->has_offset = !err;
	d->site = NNP_SITE_SYMBOL;
	return copy_part(st, sym, sym_end, d->symbol, sizeof(d->symbol), "a symbol");
}

int nnp_site_parse(struct nnp_lex *lx, struct nnp_probe_def *d)
{
	struct site_text st = { .lx = lx, .d = d, .start = nnp_lex_skip_ws_at(lx->p) };
	const char *colon;
	char found[48], span[SPAN_LEN];
	int err;

	err = site_end(lx, st.start, &st.end);
	if (err)
		return err;
	if (trim_end(st.start, st.end) == st.start)
		return nnp_lex_fail(lx, st.start,
				    "expected a site (LIB:SYMBOL, LIB:OFFSET or "
				    "usdt:LIB:PROVIDER:NAME) but found %s",
				    nnp_lex_found(st.start, found, sizeof(found)));
	colon = memchr(st.start, ':', (size_t)(st.end - st.start));
	if (!colon)
		return nnp_lex_fail(lx, st.end,
				    "expected ':' and a symbol after library '%s' but found %s",
				    nnp_lex_span(st.start, st.end, span, sizeof(span)),
				    nnp_lex_found(st.end, found, sizeof(found)));
	/* "usdt" is a keyword here: a library of that name is written ./usdt */
	if (trim_end(st.start, colon) - st.start == 4 && strncmp(st.start, "usdt", 4) == 0) {
		err = parse_usdt(&st, colon + 1);
	} else {
		err = copy_part(&st, st.start, colon, d->lib, sizeof(d->lib), "a library");
		if (!err)
			err = parse_symbol(&st, colon + 1);
	}
	if (!err)
		lx->p = st.end;
	return err;
}

static bool needs_explicit_offset(const char *sym)
{
	const char *end = sym + strlen(sym), *sym_end, *num;
	uint64_t v;

	return whole_number(sym, end, &v) != -EINVAL ||
	       split_offset(sym, end, &sym_end, &num, &v) != -EINVAL;
}

int nnp_site_format(const struct nnp_probe_def *d, char *buf, size_t len)
{
	int n;

	switch (d->site) {
	case NNP_SITE_SYMBOL:
		if (d->has_offset || d->offset || needs_explicit_offset(d->symbol))
			n = snprintf(buf, len, "%s:%s+0x%" PRIx64, d->lib, d->symbol,
				     (uint64_t)d->offset);
		else
			n = snprintf(buf, len, "%s:%s", d->lib, d->symbol);
		break;
	case NNP_SITE_OFFSET:
		n = snprintf(buf, len, "%s:0x%" PRIx64, d->lib, (uint64_t)d->offset);
		break;
	case NNP_SITE_USDT:
		n = snprintf(buf, len, "usdt:%s:%s:%s", d->lib, d->provider, d->usdt_name);
		break;
	default:
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}
