// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Fetch expressions are normalised while they are parsed: an ADDR is carried
 * as (arg, derefs so far, pending offset); '*' turns the pending offset into
 * the next deref offset, so *(*(arg1+8)+16)+4 becomes derefs [8, 16], final 4,
 * exactly what the BPF side walks.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fetch_expr.h"

#define MAX_NESTING 32 /* '(' and '*' levels: keeps hostile input off the stack */
#define TERMS "argN, sargN, stack, ret, pc, '*' or '('"
#define CTX_LEN 96

struct fetch_parser {
	struct nnp_lex *lx;
	const char *start; /* first character of the option's value, for context */
	bool usdt;
	int in_index; /* index terms being parsed: one may hold one more */
	const char *option;
	bool saw_arg, saw_ret; /* argN/sargN/stack, ret: one fetch reads one site's */
};

/* the register or stack a TERM at AT names is read; ret and the arguments of
 * the entry are not both there */
static int saw_site(struct fetch_parser *fp, const char *at, size_t n, bool ret)
{
	if (ret)
		fp->saw_ret = true;
	else
		fp->saw_arg = true;
	if (fp->saw_arg && fp->saw_ret)
		return nnp_lex_fail(fp->lx, at,
				    "%.*s: %s reads ret or the arguments, not both (the arguments "
				    "are gone when the function returns)",
				    (int)n, at, fp->option);
	return 0;
}

static int expect_fail(struct fetch_parser *fp, const char *at, const char *what)
{
	char found[48], span[CTX_LEN];

	nnp_lex_found(at, found, sizeof(found));
	if (nnp_lex_skip_ws_at(fp->start) == at)
		return nnp_lex_fail(fp->lx, at, "expected %s for %s but found %s", what, fp->option,
				    found);
	return nnp_lex_fail(fp->lx, at, "expected %s after '%s' but found %s", what,
			    nnp_lex_span(fp->start, at, span, sizeof(span)), found);
}

static int parse_arg(struct fetch_parser *fp, struct nnp_fetch *f)
{
	const char *p = fp->lx->p, *digits = p + 3, *end;
	size_t n = nnp_lex_ident_len(p);
	unsigned max = fp->usdt ? NNP_USDT_MAX_ARG : NNP_UPROBE_MAX_ARG;
	uint64_t v = 0;
	int err;

	if (n == 3)
		return expect_fail(fp, digits, "an argument number");
	err = nnp_lex_number(digits, &v, &end);
	if (err == -EINVAL || (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) ||
	    (err == 0 && end != p + n))
		return expect_fail(fp, p, TERMS);
	if (err == -ERANGE || v > max)
		return nnp_lex_fail(fp->lx, digits,
				    "argument index %.*s out of range: %s sites have arg0..arg%u%s",
				    (int)(n - 3), digits, fp->usdt ? "usdt" : "uprobe", max,
				    fp->usdt ? "" : " (" NNP_UPROBE_ARG_REGS ")");
	err = saw_site(fp, p, n, false);
	if (err)
		return err;
	f->arg = (__u8)v;
	fp->lx->p = end;
	return 0;
}

/* ret: the return value, at a layer's return probe (uprobes only) */
static int parse_ret(struct fetch_parser *fp, struct nnp_fetch *f)
{
	const char *p = fp->lx->p;
	int err;

	if (fp->usdt)
		return nnp_lex_fail(fp->lx, p,
				    "ret is a function's return value: a USDT probe has none (its "
				    "arguments are arg0..arg%u)",
				    NNP_USDT_MAX_ARG);
	err = saw_site(fp, p, 3, true);
	if (err)
		return err;
	f->arg = NNP_FETCH_ARG_RET;
	fp->lx->p = p + 3;
	return 0;
}

/* pc: the probed instruction's address in the process (the site's load
 * address), read at the entry like the arguments: a base for a library's own
 * data, as pc-relative code reaches it */
static int parse_pc(struct fetch_parser *fp, struct nnp_fetch *f)
{
	const char *p = fp->lx->p;
	int err;

	err = saw_site(fp, p, 2, false);
	if (err)
		return err;
	f->arg = NNP_FETCH_ARG_PC;
	fp->lx->p = p + 2;
	return 0;
}

/* stack (the first stack argument's address) or sargN (= *(stack+8*N)): uprobes only */
static int parse_stack(struct fetch_parser *fp, struct nnp_fetch *f)
{
	const char *p = fp->lx->p, *digits = p + 4, *end;
	size_t n = nnp_lex_ident_len(p);
	bool base = nnp_lex_word_is(p, n, "stack");
	uint64_t v = 0;
	int err;

	if (!base) {
		if (n == 4)
			return expect_fail(fp, digits, "a stack argument number");
		err = nnp_lex_number(digits, &v, &end);
		if (err == -EINVAL ||
		    (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) ||
		    (err == 0 && end != p + n))
			return expect_fail(fp, p, TERMS);
		if (err == -ERANGE || v > NNP_MAX_STACK_ARG)
			return nnp_lex_fail(fp->lx, digits,
					    "stack argument %.*s out of range: sarg0..sarg%u",
					    (int)(n - 4), digits, NNP_MAX_STACK_ARG);
	}
	if (fp->usdt)
		return nnp_lex_fail(fp->lx, p,
				    "%.*s is a function's stack at a uprobe: a USDT probe's "
				    "arguments are arg0..arg%u",
				    (int)n, p, NNP_USDT_MAX_ARG);
	err = saw_site(fp, p, n, false);
	if (err)
		return err;
	f->arg = NNP_FETCH_ARG_STACK;
	if (!base) {
		if (f->nderef == NNP_MAX_DEREF)
			return nnp_lex_fail(fp->lx, p,
					    "too many dereferences: at most %d '*' in one fetch "
					    "(sargN is one)",
					    NNP_MAX_DEREF);
		f->deref_off[f->nderef++] = (__s32)(v * 8);
	}
	fp->lx->p = p + n;
	return 0;
}

static int parse_addr(struct fetch_parser *fp, struct nnp_fetch *f, int64_t *off, int depth);

static int parse_deref(struct fetch_parser *fp, struct nnp_fetch *f, int64_t *off, int depth);

static int parse_term(struct fetch_parser *fp, struct nnp_fetch *f, int64_t *off, int depth)
{
	struct nnp_lex *lx = fp->lx;
	const char *p;
	int err;

	nnp_lex_skip_ws(lx);
	p = lx->p;
	if (depth > MAX_NESTING)
		return nnp_lex_fail(lx, p, "expression nested too deeply (at most %d levels)",
				    MAX_NESTING);
	if (*p == '*')
		return parse_deref(fp, f, off, depth);
	if (*p == '(') {
		lx->p++;
		err = parse_addr(fp, f, off, depth + 1);
		if (err)
			return err;
		nnp_lex_skip_ws(lx);
		if (*lx->p != ')')
			return expect_fail(fp, lx->p, "')'");
		lx->p++;
		return 0;
	}
	if (strncmp(p, "arg", 3) == 0) {
		*off = 0;
		return parse_arg(fp, f);
	}
	if (strncmp(p, "stack", 5) == 0 || strncmp(p, "sarg", 4) == 0) {
		*off = 0;
		return parse_stack(fp, f);
	}
	if (nnp_lex_word_is(p, nnp_lex_ident_len(p), "ret")) {
		*off = 0;
		return parse_ret(fp, f);
	}
	if (nnp_lex_word_is(p, nnp_lex_ident_len(p), "pc")) {
		*off = 0;
		return parse_pc(fp, f);
	}
	return expect_fail(fp, p, TERMS);
}

static int parse_deref(struct fetch_parser *fp, struct nnp_fetch *f, int64_t *off, int depth)
{
	const char *star = fp->lx->p;
	int64_t inner = 0;
	int err;

	fp->lx->p++;
	err = parse_term(fp, f, &inner, depth + 1);
	if (err)
		return err;
	if (f->nderef == NNP_MAX_DEREF)
		return nnp_lex_fail(fp->lx, star,
				    "too many dereferences: at most %d '*' in one fetch",
				    NNP_MAX_DEREF);
	f->deref_off[f->nderef++] = (__s32)inner;
	*off = 0;
	return 0;
}

static int parse_offset(struct fetch_parser *fp, int sign, int64_t *off)
{
	const char *at = nnp_lex_skip_ws_at(fp->lx->p), *end;
	char span[CTX_LEN];
	uint64_t v;
	int err;

	err = nnp_lex_number(at, &v, &end);
	if (err == -EINVAL)
		return expect_fail(fp, at, "a number");
	if (err)
		end = at + nnp_lex_ident_len(at);
	else if (v > (uint64_t)INT32_MAX + 1)
		err = -ERANGE;
	else
		*off += sign * (int64_t)v;
	if (err || *off < INT32_MIN || *off > INT32_MAX)
		return nnp_lex_fail(
		    fp->lx, at, "offset out of range in '%s': offsets must fit in 32 signed bits",
		    nnp_lex_span(fp->start, end, span, sizeof(span)));
	fp->lx->p = end;
	return 0;
}

/* s8, s16, s32: a signed index (NNP_WIDTH_SIGNED with its bytes), else 0 */
static unsigned signed_width_of(const char *p, size_t n)
{
	if (nnp_lex_word_is(p, n, "s8"))
		return NNP_WIDTH_SIGNED | 1;
	if (nnp_lex_word_is(p, n, "s16"))
		return NNP_WIDTH_SIGNED | 2;
	if (nnp_lex_word_is(p, n, "s32"))
		return NNP_WIDTH_SIGNED | 4;
	return 0;
}

static unsigned width_of(const char *p, size_t n)
{
	if (nnp_lex_word_is(p, n, "u8"))
		return 1;
	if (nnp_lex_word_is(p, n, "u16"))
		return 2;
	if (nnp_lex_word_is(p, n, "u32"))
		return 4;
	if (nnp_lex_word_is(p, n, "u64"))
		return 8;
	return 0;
}

static int parse_wrapped(struct fetch_parser *fp, struct nnp_fetch *f, int depth);

static bool starts_term(const char *p)
{
	return *p == '*' || *p == '(' || !strncmp(p, "arg", 3) || !strncmp(p, "sarg", 4) ||
	       !strncmp(p, "stack", 5) || nnp_lex_word_is(p, nnp_lex_ident_len(p), "ret") ||
	       nnp_lex_word_is(p, nnp_lex_ident_len(p), "pc");
}

/* "* SIZE" after an index term's value, if there: 1..INT32_MAX */
static int parse_scale(struct fetch_parser *fp, int32_t *scale)
{
	const char *q = nnp_lex_skip_ws_at(fp->lx->p), *at, *end;
	uint64_t v;
	int err;

	*scale = 1;
	if (*q != '*')
		return 0;
	at = nnp_lex_skip_ws_at(q + 1);
	err = nnp_lex_number(at, &v, &end);
	if (err == -EINVAL)
		return expect_fail(fp, at, "an element size");
	if (err || v == 0 || v > INT32_MAX)
		return nnp_lex_fail(fp->lx, at, "element size out of range: 1..%d", INT32_MAX);
	*scale = (int32_t)v;
	fp->lx->p = end;
	return 0;
}

/* an index term at AT is allowed here: one in a fetch, and one inside it */
static int index_allowed(struct fetch_parser *fp, const struct nnp_fetch *f, const char *at)
{
	if (fp->in_index > 1 || (fp->in_index == 1 && f->idx.at))
		return nnp_lex_fail(fp->lx, at,
				    "at most one index term inside an index term, and none inside "
				    "that");
	if (f->idx.at)
		return nnp_lex_fail(fp->lx, at,
				    "at most one index term (+ VALUE * SIZE) in a fetch, "
				    "besides the one its index may hold");
	return 0;
}

/* "VALUE [* SIZE]" after an ADDR's '+': the fetch's one index term, added at
 * the address being built (before its next dereference, or to the result);
 * VALUE's own address may hold one index term, which becomes f's idx_in */
static int parse_index(struct fetch_parser *fp, struct nnp_fetch *f, int depth)
{
	const char *at = nnp_lex_skip_ws_at(fp->lx->p);
	size_t n = nnp_lex_ident_len(at);
	unsigned width = width_of(at, n) | signed_width_of(at, n);
	struct nnp_fetch v;
	int64_t off = 0;
	int err;

	if (!width && !starts_term(at))
		return expect_fail(fp, at, "a number or an index term (VALUE * SIZE)");
	err = index_allowed(fp, f, at);
	if (err)
		return err;
	memset(&v, 0, sizeof(v));
	fp->in_index++;
	fp->lx->p = at;
	if (width) {
		at = nnp_lex_skip_ws_at(at + n);
		fp->lx->p = at + 1;
		err = *at == '(' ? parse_wrapped(fp, &v, depth + 1) : expect_fail(fp, at, "'('");
	} else {
		err = parse_term(fp, &v, &off, depth + 1);
		v.final_off = (__s32)off;
	}
	fp->in_index--;
	if (!err)
		err = parse_scale(fp, &f->idx.scale);
	if (err)
		return err;
	f->idx.at = (__u8)(f->nderef + 1);
	f->idx.arg = v.arg;
	f->idx.nderef = v.nderef;
	f->idx.width = (__u8)(width ? width : 8);
	f->idx.final_off = v.final_off;
	memcpy(f->idx.deref_off, v.deref_off, sizeof(v.deref_off));
	f->idx_in = v.idx;
	return 0;
}

static int parse_addr(struct fetch_parser *fp, struct nnp_fetch *f, int64_t *off, int depth)
{
	const char *q;
	int err, sign;

	err = parse_term(fp, f, off, depth);
	while (!err) {
		q = nnp_lex_skip_ws_at(fp->lx->p);
		if (*q != '+' && *q != '-')
			break;
		sign = *q == '+' ? 1 : -1;
		fp->lx->p = q + 1;
		q = nnp_lex_skip_ws_at(q + 1);
		if (sign > 0 && (*q < '0' || *q > '9'))
			err = parse_index(fp, f, depth);
		else
			err = parse_offset(fp, sign, off);
	}
	return err;
}

/* Parses "ADDR )" after an opening parenthesis into *f. */
static int parse_wrapped(struct fetch_parser *fp, struct nnp_fetch *f, int depth)
{
	int64_t off = 0;
	int err;

	err = parse_addr(fp, f, &off, depth);
	if (err)
		return err;
	f->final_off = (__s32)off;
	nnp_lex_skip_ws(fp->lx);
	if (*fp->lx->p != ')')
		return expect_fail(fp, fp->lx->p, "')'");
	fp->lx->p++;
	return 0;
}

/* "(ADDR)" after a wrapper's name, at Q */
static int parse_call(struct fetch_parser *fp, const char *q, struct nnp_fetch *f)
{
	if (*q != '(')
		return expect_fail(fp, q, "'('");
	fp->lx->p = q + 1;
	return parse_wrapped(fp, f, 1);
}

/* "str(ADDR)" at AT (spaces skipped) into *f */
static int parse_str_arg(struct fetch_parser *fp, const char *at, struct nnp_fetch *f)
{
	const char *p = nnp_lex_skip_ws_at(at);
	size_t n = nnp_lex_ident_len(p);

	if (!nnp_lex_word_is(p, n, "str"))
		return expect_fail(fp, p, "str(ADDR)");
	return parse_call(fp, nnp_lex_skip_ws_at(p + n), f);
}

/*
 * "hash(str(ADDR))" from the '(' after hash: the key of a layer named by a
 * string; with f2 (key=) also "hash(str(A), str(B))", B into *f2.
 */
static int parse_hash(struct fetch_parser *fp, struct nnp_fetch *f, struct nnp_fetch *f2,
		      const char *open)
{
	int err;

	/* checked first: at the end of the text, open + 1 is past its NUL */
	if (*open != '(')
		return expect_fail(fp, open, "'('");
	err = parse_str_arg(fp, open + 1, f);
	if (err)
		return err;
	nnp_lex_skip_ws(fp->lx);
	if (f2 && *fp->lx->p == ',') {
		err = parse_str_arg(fp, fp->lx->p + 1, f2);
		if (err)
			return err;
		nnp_lex_skip_ws(fp->lx);
		f2->kind = NNP_FETCH_HASH;
		f2->width = 8;
	}
	if (*fp->lx->p != ')')
		return expect_fail(fp, fp->lx->p,
				   f2 && f2->kind == NNP_FETCH_NONE ? "',' or ')'" : "')'");
	fp->lx->p++;
	f->kind = NNP_FETCH_HASH;
	f->width = 8;
	return 0;
}

static int parse_value(struct nnp_lex *lx, bool usdt, const char *option, struct nnp_fetch *f,
		       struct nnp_fetch *f2)
{
	const char *p = nnp_lex_skip_ws_at(lx->p), *q;
	struct fetch_parser fp = { .lx = lx, .start = p, .usdt = usdt, .option = option };
	size_t n = nnp_lex_ident_len(p);
	unsigned width = width_of(p, n);
	int64_t off = 0;
	int err;

	memset(f, 0, sizeof(*f));
	if (f2)
		memset(f2, 0, sizeof(*f2));
	if (*p == '"' || nnp_lex_word_is(p, n, "str"))
		return nnp_lex_fail(lx, p,
				    "%s must be a value (argN, *ADDR, u32(ADDR), ...), "
				    "not a string",
				    option);
	if (signed_width_of(p, n))
		return nnp_lex_fail(lx, p,
				    "%.*s(...) is a signed index: only inside an index term "
				    "(ADDR + %.*s(ADDR) * SIZE); %s takes u8..u64",
				    (int)n, p, (int)n, p, option);
	q = nnp_lex_skip_ws_at(p + n);
	if (nnp_lex_word_is(p, n, "hash"))
		return parse_hash(&fp, f, f2, q);
	if (width) {
		err = parse_call(&fp, q, f);
	} else {
		width = 8;
		err = parse_addr(&fp, f, &off, 0);
		f->final_off = (__s32)off;
	}
	if (err)
		return err;
	f->kind = NNP_FETCH_VALUE;
	f->width = (__u8)width;
	return 0;
}

int nnp_fetch_parse_value(struct nnp_lex *lx, bool usdt, const char *option, struct nnp_fetch *f)
{
	return parse_value(lx, usdt, option, f, NULL);
}

int nnp_fetch_parse_key(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, struct nnp_fetch *f2)
{
	return parse_value(lx, usdt, "key", f, f2);
}

int nnp_fetch_parse_when(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, uint64_t *val,
			 bool *ne)
{
	const char *q, *end;
	char found[48];
	int err;

	err = parse_value(lx, usdt, "when", f, NULL);
	if (err)
		return err;
	q = nnp_lex_skip_ws_at(lx->p);
	if ((q[0] != '=' && q[0] != '!') || q[1] != '=')
		return nnp_lex_fail(lx, q, "expected '==' or '!=' in when but found %s",
				    nnp_lex_found(q, found, sizeof(found)));
	*ne = q[0] == '!';
	q = nnp_lex_skip_ws_at(q + 2);
	err = nnp_lex_number(q, val, &end);
	if (err)
		return nnp_lex_fail(lx, q, "expected a number after '%s' in when but found %s",
				    *ne ? "!=" : "==", nnp_lex_found(q, found, sizeof(found)));
	if (f->width < 8 && *val >> (f->width * 8))
		return nnp_lex_fail(lx, q, "%.*s does not fit in the %u bytes of the value",
				    (int)(end - q), q, f->width);
	lx->p = end;
	return 0;
}

int nnp_fetch_parse_shape(struct nnp_lex *lx, bool usdt, struct nnp_fetch *f, uint8_t *dims)
{
	const char *p = nnp_lex_skip_ws_at(lx->p), *q;
	struct fetch_parser fp = { .lx = lx, .start = p, .usdt = usdt, .option = "shape" };
	size_t n = nnp_lex_ident_len(p);
	int err;

	memset(f, 0, sizeof(*f));
	if (n != 5 || (strncmp(p, "i64x", 4) && strncmp(p, "i32x", 4)) || p[4] < '1' ||
	    p[4] > '0' + NNP_SHAPE_DIMS)
		return nnp_lex_fail(lx, p,
				    "expected i64xN(ADDR) or i32xN(ADDR), N in 1..%d, for "
				    "shape",
				    NNP_SHAPE_DIMS);
	q = nnp_lex_skip_ws_at(p + n);
	err = parse_call(&fp, q, f);
	if (err)
		return err;
	f->kind = NNP_FETCH_VALUE;
	f->width = p[1] == '6' ? 8 : 4;
	*dims = (uint8_t)(p[4] - '0');
	return 0;
}

static int parse_literal(struct fetch_parser *fp, char *lit, size_t litlen)
{
	const char *open = fp->lx->p, *q = open + 1, *at;
	size_t n = 0;
	char c;

	for (;;) {
		at = q;
		c = *q++;
		if (c == '\0')
			return expect_fail(fp, at, "'\"' to end the literal");
		if (c == '"')
			break;
		if (c == '\\') {
			c = *q++;
			if (c != '"' && c != '\\')
				return nnp_lex_fail(fp->lx, at,
						    "unknown escape in %s literal: only \\\" and "
						    "\\\\ are allowed",
						    fp->option);
		}
		if (n + 1 >= litlen)
			return nnp_lex_fail(fp->lx, at, "%s literal too long (at most %zu bytes)",
					    fp->option, litlen - 1);
		lit[n++] = c;
	}
	if (n == 0)
		return nnp_lex_fail(fp->lx, open, "empty %s literal", fp->option);
	lit[n] = '\0';
	fp->lx->p = q;
	return 0;
}

int nnp_fetch_parse_string(struct nnp_lex *lx, bool usdt, const char *option, struct nnp_fetch *f,
			   char *lit, size_t litlen)
{
	const char *p = nnp_lex_skip_ws_at(lx->p), *q;
	struct fetch_parser fp = { .lx = lx, .start = p, .usdt = usdt, .option = option };
	size_t n = nnp_lex_ident_len(p);
	int err;

	memset(f, 0, sizeof(*f));
	memset(lit, 0, litlen);
	lx->p = p;
	if (*p == '"')
		return parse_literal(&fp, lit, litlen);
	if (!nnp_lex_word_is(p, n, "str"))
		return expect_fail(&fp, p, "str(ADDR) or a \"literal\"");
	q = nnp_lex_skip_ws_at(p + n);
	err = parse_call(&fp, q, f);
	if (err)
		return err;
	f->kind = NNP_FETCH_STRING;
	return 0;
}

static void put(char *buf, size_t len, size_t *used, const char *fmt, ...) NNP_PRINTF(4, 5);

static void put(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	*used = n < 0 ? len : *used + (size_t)n;
}

static int format_addr(const struct nnp_fetch *f, char *buf, size_t len);

/* "+VALUE*SIZE": VALUE a TERM (u32(...), s32(...), or parenthesised when it has
 * an offset), with IN the index term inside VALUE's address (at = 0: none) */
static int format_index(const struct nnp_index *x, const struct nnp_index *in, char *buf,
			size_t len)
{
	struct nnp_fetch v = { .kind = NNP_FETCH_VALUE,
			       .arg = x->arg,
			       .nderef = x->nderef,
			       .final_off = x->final_off,
			       .idx = *in };
	unsigned bytes = NNP_WIDTH_BYTES(x->width), sign = x->width & NNP_WIDTH_SIGNED;
	char val[CTX_LEN * 4];
	int err, n;

	if (x->nderef > NNP_MAX_DEREF || x->scale < 1 || (x->width & ~(NNP_WIDTH_SIGNED | 0x0f)))
		return -EINVAL;
	memcpy(v.deref_off, x->deref_off, sizeof(v.deref_off));
	err = format_addr(&v, val, sizeof(val));
	if (err)
		return err;
	if (bytes == 1 || bytes == 2 || bytes == 4)
		n = snprintf(buf, len, "+%c%u(%s)", sign ? 's' : 'u', bytes * 8, val);
	else if (x->width == 8 && (x->final_off || in->at))
		n = snprintf(buf, len, "+(%s)", val);
	else if (x->width == 8)
		n = snprintf(buf, len, "+%s", val);
	else
		return -EINVAL;
	if (n >= 0 && (size_t)n < len && x->scale != 1)
		n += snprintf(buf + n, len - (size_t)n, "*%d", x->scale);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* The innermost deref is written innermost: derefs [8, 16] read *(*(argN+8)+16);
 * an index term is written where it is added (idx.at: before deref at - 1). */
static int format_addr(const struct nnp_fetch *f, char *buf, size_t len)
{
	char idx[CTX_LEN * 5] = "";
	size_t used = 0;
	int i, err;

	if (f->nderef > NNP_MAX_DEREF || f->idx.at > f->nderef + 1 ||
	    (f->idx_in.at && (!f->idx.at || f->idx_in.at > f->idx.nderef + 1)))
		return -EINVAL;
	if (f->idx.at) {
		err = format_index(&f->idx, &f->idx_in, idx, sizeof(idx));
		if (err)
			return err;
	}
	for (i = f->nderef - 1; i >= 0; i--)
		put(buf, len, &used, "%s", f->deref_off[i] || f->idx.at == i + 1 ? "*(" : "*");
	if (f->arg == NNP_FETCH_ARG_STACK)
		put(buf, len, &used, "stack");
	else if (f->arg == NNP_FETCH_ARG_RET)
		put(buf, len, &used, "ret");
	else if (f->arg == NNP_FETCH_ARG_PC)
		put(buf, len, &used, "pc");
	else
		put(buf, len, &used, "arg%u", f->arg);
	for (i = 0; i < f->nderef; i++) {
		if (f->idx.at == i + 1)
			put(buf, len, &used, "%s", idx);
		if (f->deref_off[i])
			put(buf, len, &used, "%+d)", f->deref_off[i]);
		else if (f->idx.at == i + 1)
			put(buf, len, &used, ")");
	}
	if (f->idx.at == f->nderef + 1)
		put(buf, len, &used, "%s", idx);
	if (f->final_off)
		put(buf, len, &used, "%+d", f->final_off);
	return used >= len ? -ENOSPC : 0;
}

int nnp_fetch_format(const struct nnp_fetch *f, char *buf, size_t len)
{
	char addr[CTX_LEN * 4];
	int err, n;

	err = format_addr(f, addr, sizeof(addr));
	if (err)
		return err;
	if (f->kind == NNP_FETCH_STRING)
		n = snprintf(buf, len, "str(%s)", addr);
	else if (f->kind == NNP_FETCH_HASH)
		n = snprintf(buf, len, "hash(str(%s))", addr);
	else if (f->kind == NNP_FETCH_VALUE && f->width == 8)
		n = snprintf(buf, len, "%s", addr);
	else if (f->kind == NNP_FETCH_VALUE && (f->width == 1 || f->width == 2 || f->width == 4))
		n = snprintf(buf, len, "u%d(%s)", f->width * 8, addr);
	else
		return -EINVAL;
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int nnp_literal_format(const char *lit, char *buf, size_t len)
{
	size_t n = 0;

	if (len < 3)
		return -ENOSPC;
	buf[n++] = '"';
	for (; *lit; lit++) {
		if (n + 4 > len) /* escape pair, closing quote, NUL */
			return -ENOSPC;
		if (*lit == '"' || *lit == '\\')
			buf[n++] = '\\';
		buf[n++] = *lit;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return 0;
}

int nnp_shape_format(const struct nnp_fetch *f, unsigned dims, char *buf, size_t len)
{
	char addr[CTX_LEN * 4];
	int err, n;

	err = format_addr(f, addr, sizeof(addr));
	if (err)
		return err;
	n = snprintf(buf, len, "i%ux%u(%s)", f->width * 8, dims, addr);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int nnp_fetch_format_key(const struct nnp_fetch *f, const struct nnp_fetch *f2, char *buf,
			 size_t len)
{
	char a[CTX_LEN * 4], b[CTX_LEN * 4];
	int err, n;

	if (f->kind != NNP_FETCH_HASH || !f2 || f2->kind != NNP_FETCH_HASH)
		return nnp_fetch_format(f, buf, len);
	err = format_addr(f, a, sizeof(a));
	if (!err)
		err = format_addr(f2, b, sizeof(b));
	if (err)
		return err;
	n = snprintf(buf, len, "hash(str(%s),str(%s))", a, b);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

/* whether F reads ARG (an NNP_FETCH_ARG_* base), in its term or its index's */
static bool reads(const struct nnp_fetch *f, __u8 arg)
{
	return f->kind != NNP_FETCH_NONE && (f->arg == arg || (f->idx.at && f->idx.arg == arg) ||
					     (f->idx_in.at && f->idx_in.arg == arg));
}

bool nnp_fetch_uses_ret(const struct nnp_fetch *f)
{
	return reads(f, NNP_FETCH_ARG_RET);
}

bool nnp_fetch_uses_pc(const struct nnp_fetch *f)
{
	return reads(f, NNP_FETCH_ARG_PC);
}
