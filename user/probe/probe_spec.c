// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ROLE '=' SITE { ',' OPTION }: the probe as a whole, parsed and written back.
 * Sites and fetch expressions have their own files.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fetch_expr.h"
#include "probe_site.h"
#include "probe_spec.h"
#include "spec_lex.h"

#define SPAN_LEN 96
#define FETCH_TEXT 256

static const struct {
	const char *name;
	enum nnp_probe_kind kind;
} roles[] = {
	{ "layer", NNP_PROBE_LAYER },
	{ "inference", NNP_PROBE_INFERENCE },
	{ "layer-begin", NNP_PROBE_LAYER_BEGIN },
	{ "layer-end", NNP_PROBE_LAYER_END },
	{ "inference-begin", NNP_PROBE_INFER_BEGIN },
	{ "inference-end", NNP_PROBE_INFER_END },
};

enum option {
	OPT_KEY,
	OPT_NAME,
	OPT_OP,
	OPT_MODE,
	OPT_WHEN,
	OPT_SHAPE,
	OPT_RANK,
	OPT_WHEN_CACHE,
	OPT_NR
};

static const char *const options[OPT_NR] = { "key",  "name",  "op",   "mode",
					     "when", "shape", "rank", "when-cache" };

/* options given so far, and where each one's name starts */
struct seen_opts {
	unsigned mask;
	const char *at[OPT_NR];
};

static const char *role_name(enum nnp_probe_kind kind)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (roles[i].kind == kind)
			return roles[i].name;
	}
	return NULL;
}

static bool is_end_role(enum nnp_probe_kind kind)
{
	return kind == NNP_PROBE_LAYER_END || kind == NNP_PROBE_INFER_END;
}

static int parse_role(struct nnp_lex *lx, struct nnp_probe_def *d)
{
	const char *p = nnp_lex_skip_ws_at(lx->p), *q;
	size_t n = nnp_lex_word_len(p), i;
	char found[48];

	if (n == 0)
		return nnp_lex_fail(lx, p,
				    "expected a role (layer, inference, layer-begin, layer-end, "
				    "inference-begin, inference-end) but found %s",
				    nnp_lex_found(p, found, sizeof(found)));
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (nnp_lex_word_is(p, n, roles[i].name))
			d->kind = roles[i].kind;
	}
	if (!d->kind)
		return nnp_lex_fail(lx, p,
				    "unknown role '%.*s' (expected layer, inference, layer-begin, "
				    "layer-end, inference-begin, inference-end)",
				    (int)n, p);
	q = nnp_lex_skip_ws_at(p + n);
	if (*q != '=')
		return nnp_lex_fail(lx, q, "expected '=' after role '%.*s' but found %s", (int)n, p,
				    nnp_lex_found(q, found, sizeof(found)));
	lx->p = q + 1;
	return 0;
}

static int parse_mode(struct nnp_lex *lx, struct nnp_probe_def *d)
{
	const char *p = nnp_lex_skip_ws_at(lx->p);
	size_t n = nnp_lex_word_len(p);
	char found[48];

	if (nnp_lex_word_is(p, n, "entry-only"))
		d->entry_only = true;
	else if (!nnp_lex_word_is(p, n, "entry-return"))
		return nnp_lex_fail(lx, p, "expected mode entry-only or entry-return but found %s",
				    nnp_lex_found(p, found, sizeof(found)));
	lx->p = p + n;
	return 0;
}

/* Rules that depend on the role, checked at the option's name. */
static int check_option(struct nnp_lex *lx, const struct nnp_probe_def *d, enum option opt,
			const char *at)
{
	if (opt == OPT_MODE && d->kind != NNP_PROBE_LAYER && d->kind != NNP_PROBE_INFERENCE &&
	    d->kind != NNP_PROBE_LAYER_BEGIN && d->kind != NNP_PROBE_LAYER_END)
		return nnp_lex_fail(
		    lx, at,
		    "mode applies only to layer, layer-begin, layer-end and inference "
		    "probes, not %s",
		    role_name(d->kind));
	if ((opt == OPT_WHEN || opt == OPT_WHEN_CACHE) && d->kind != NNP_PROBE_LAYER &&
	    d->kind != NNP_PROBE_LAYER_BEGIN)
		return nnp_lex_fail(lx, at,
				    "%s applies only to layer and layer-begin probes, not %s",
				    options[opt], role_name(d->kind));
	if ((opt == OPT_NAME || opt == OPT_OP || opt == OPT_SHAPE || opt == OPT_RANK) &&
	    is_end_role(d->kind))
		return nnp_lex_fail(lx, at,
				    "%s is not allowed on %s probes: names are read at the begin",
				    options[opt], role_name(d->kind));
	return 0;
}

/* when-cache=thread: the only scope there is */
static int parse_when_cache(struct nnp_lex *lx, struct nnp_probe_def *d)
{
	const char *p = nnp_lex_skip_ws_at(lx->p);
	size_t n = nnp_lex_word_len(p);
	char found[48];

	if (!nnp_lex_word_is(p, n, "thread"))
		return nnp_lex_fail(lx, p, "expected when-cache=thread but found %s",
				    nnp_lex_found(p, found, sizeof(found)));
	d->when_cache = true;
	lx->p = p + n;
	return 0;
}

static int parse_option_value(struct nnp_lex *lx, struct nnp_probe_def *d, enum option opt)
{
	bool usdt = d->site == NNP_SITE_USDT;
	const char *v = nnp_lex_skip_ws_at(lx->p);

	switch (opt) {
	case OPT_KEY:
		return nnp_fetch_parse_key(lx, usdt, &d->key, &d->key2);
	case OPT_NAME:
		return nnp_fetch_parse_string(lx, usdt, "name", &d->name, d->name_literal,
					      sizeof(d->name_literal));
	case OPT_OP:
		return nnp_fetch_parse_string(lx, usdt, "op", &d->op, d->op_literal,
					      sizeof(d->op_literal));
	case OPT_WHEN:
		return nnp_fetch_parse_when(lx, usdt, &d->when, &d->when_val, &d->when_ne);
	case OPT_SHAPE:
		return nnp_fetch_parse_shape(lx, usdt, &d->shape, &d->shape_dims);
	case OPT_RANK:
		if (nnp_lex_word_is(v, nnp_lex_ident_len(v), "hash"))
			return nnp_lex_fail(lx, v,
					    "rank must be a number read from memory, not a hash");
		return nnp_fetch_parse_value(lx, usdt, "rank", &d->rank);
	case OPT_WHEN_CACHE:
		return parse_when_cache(lx, d);
	default:
		return parse_mode(lx, d);
	}
}

static int parse_option(struct nnp_lex *lx, struct nnp_probe_def *d, struct seen_opts *seen)
{
	const char *p = nnp_lex_skip_ws_at(lx->p), *q;
	size_t n = nnp_lex_word_len(p);
	char found[48];
	int opt, err;

	if (n == 0)
		return nnp_lex_fail(lx, p,
				    "expected an option (key, name, op, mode, when, shape, rank, "
				    "when-cache) "
				    "but found %s",
				    nnp_lex_found(p, found, sizeof(found)));
	for (opt = 0; opt < OPT_NR && !nnp_lex_word_is(p, n, options[opt]); opt++)
		;
	if (opt == OPT_NR)
		return nnp_lex_fail(lx, p,
				    "unknown option '%.*s' (expected key, name, op, mode, when, "
				    "shape, rank, when-cache)",
				    (int)n, p);
	if (seen->mask & (1u << opt))
		return nnp_lex_fail(lx, p, "option '%s' given twice", options[opt]);
	seen->mask |= 1u << opt;
	seen->at[opt] = p;
	err = check_option(lx, d, (enum option)opt, p);
	if (err)
		return err;
	q = nnp_lex_skip_ws_at(p + n);
	if (*q != '=')
		return nnp_lex_fail(lx, q, "expected '=' after '%s' but found %s", options[opt],
				    nnp_lex_found(q, found, sizeof(found)));
	lx->p = q + 1;
	return parse_option_value(lx, d, (enum option)opt);
}

/* the options whose fetches read ret (bits of enum option) */
static unsigned ret_options(const struct nnp_probe_def *d)
{
	unsigned m = 0;

	if (nnp_fetch_uses_ret(&d->key) || nnp_fetch_uses_ret(&d->key2))
		m |= 1u << OPT_KEY;
	if (nnp_fetch_uses_ret(&d->name))
		m |= 1u << OPT_NAME;
	if (nnp_fetch_uses_ret(&d->op))
		m |= 1u << OPT_OP;
	if (nnp_fetch_uses_ret(&d->when))
		m |= 1u << OPT_WHEN;
	if (d->shape_dims && nnp_fetch_uses_ret(&d->shape))
		m |= 1u << OPT_SHAPE;
	if (nnp_fetch_uses_ret(&d->rank))
		m |= 1u << OPT_RANK;
	return m;
}

/* the name options (name, op, shape, rank) that are fetches, not literals */
static unsigned name_fetches(const struct nnp_probe_def *d)
{
	return (d->name.kind != NNP_FETCH_NONE ? 1u << OPT_NAME : 0) |
	       (d->op.kind != NNP_FETCH_NONE ? 1u << OPT_OP : 0) |
	       (d->shape_dims ? 1u << OPT_SHAPE : 0) |
	       (d->rank.kind != NNP_FETCH_NONE ? 1u << OPT_RANK : 0);
}

#define NAME_OPTIONS (1u << OPT_NAME | 1u << OPT_OP | 1u << OPT_SHAPE | 1u << OPT_RANK)

unsigned nnp_probe_at_return(const struct nnp_probe_def *d)
{
	unsigned r = ret_options(d);

	return (r & (1u << OPT_KEY) ? NNP_AT_RETURN_KEY : 0) |
	       (r & NAME_OPTIONS ? NNP_AT_RETURN_NAMES : 0) |
	       (r & (1u << OPT_WHEN) ? NNP_AT_RETURN_WHEN : 0);
}

bool nnp_probe_uses_pc(const struct nnp_probe_def *d)
{
	const struct nnp_fetch *f[] = { &d->key, &d->key2, &d->name, &d->op, &d->when, &d->rank };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (nnp_fetch_uses_pc(f[i]))
			return true;
	return d->shape_dims && nnp_fetch_uses_pc(&d->shape);
}

static int lowest(unsigned m)
{
	return __builtin_ctz(m);
}

/*
 * ret is read at a layer's return probe: only layer= probes with one. The names
 * (name, op, shape, rank) are read together, all at the entry or all at the
 * return, and at the return when the key is.
 */
static int check_ret(struct nnp_lex *lx, const struct nnp_probe_def *d,
		     const struct seen_opts *seen)
{
	unsigned r = ret_options(d), names = name_fetches(d), entry = names & ~r;
	int o;

	if (!r)
		return 0;
	o = lowest(r);
	if (d->kind != NNP_PROBE_LAYER || d->entry_only)
		return nnp_lex_fail(lx, seen->at[o],
				    "%s reads ret, the return value: only layer probes have a "
				    "return probe (not %s%s)",
				    options[o], d->entry_only ? "mode=entry-only " : "",
				    role_name(d->kind));
	if ((r & names) && entry)
		return nnp_lex_fail(lx, seen->at[lowest(entry)],
				    "%s reads the arguments but %s reads ret: name, op, shape and "
				    "rank are read together, at the entry or at the return",
				    options[lowest(entry)], options[lowest(r & names)]);
	if ((r & (1u << OPT_KEY)) && entry)
		return nnp_lex_fail(lx, seen->at[lowest(entry)],
				    "%s reads the arguments but key reads ret: a layer's names "
				    "are read with its key, here at the return (read them from ret "
				    "or give a literal)",
				    options[lowest(entry)]);
	return 0;
}

int nnp_probe_parse(const char *text, struct nnp_probe_def *out, char *err, size_t errlen, int *col)
{
	struct nnp_lex lx = { .text = text, .p = text, .err = err, .errlen = errlen };
	const char *opt_start = NULL;
	char found[48], span[SPAN_LEN];
	struct seen_opts seen = { 0 };
	int ret;

	memset(out, 0, sizeof(*out));
	snprintf(out->origin, sizeof(out->origin), "--probe");
	ret = parse_role(&lx, out);
	if (!ret)
		ret = nnp_site_parse(&lx, out);
	while (!ret) {
		nnp_lex_skip_ws(&lx);
		if (*lx.p == '\0')
			break;
		if (*lx.p != ',') {
			ret = nnp_lex_fail(
			    &lx, lx.p,
			    "expected ',' or end of input after '%s' but "
			    "found %s",
			    nnp_lex_span(opt_start ? opt_start : text, lx.p, span, sizeof(span)),
			    nnp_lex_found(lx.p, found, sizeof(found)));
			break;
		}
		lx.p++;
		opt_start = nnp_lex_skip_ws_at(lx.p);
		ret = parse_option(&lx, out, &seen);
	}
	if (!ret && out->rank.kind != NNP_FETCH_NONE && !out->shape_dims)
		ret = nnp_lex_fail(&lx, seen.at[OPT_RANK],
				   "rank needs shape=i64xN(ADDR): it says how many of the N "
				   "dimensions are real");
	if (!ret && out->when_cache && out->when.kind == NNP_FETCH_NONE)
		ret = nnp_lex_fail(&lx, seen.at[OPT_WHEN_CACHE],
				   "when-cache=thread needs a when= condition to cache");
	if (!ret)
		ret = check_ret(&lx, out, &seen);
	if (!ret && out->kind == NNP_PROBE_LAYER_END && out->entry_only &&
	    out->key.kind != NNP_FETCH_NONE)
		ret = nnp_lex_fail(&lx, seen.at[OPT_KEY],
				   "key is not allowed on a mode=entry-only layer-end: it ends "
				   "whichever entry-only layer is open on the thread");
	if (col)
		*col = ret ? lx.col : 0;
	if (!ret && err && errlen)
		err[0] = '\0';
	return ret;
}

struct out {
	char *buf;
	size_t len;
	size_t used;
	int err;
};

static void append(struct out *o, const char *fmt, ...) NNP_PRINTF(2, 3);

static void append(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->err)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->len - o->used)
		o->err = -ENOSPC;
	else
		o->used += (size_t)n;
}

static void append_string(struct out *o, const char *option, const struct nnp_fetch *f,
			  const char *lit)
{
	char text[NNP_NAME_LEN * 2 + 256];
	int err;

	if (f->kind == NNP_FETCH_NONE && !lit[0])
		return;
	if (f->kind != NNP_FETCH_NONE)
		err = nnp_fetch_format(f, text, sizeof(text));
	else
		err = nnp_literal_format(lit, text, sizeof(text));
	if (err && !o->err)
		o->err = err;
	append(o, ",%s=%s", option, text);
}

static void append_when_shape(struct out *o, const struct nnp_probe_def *d)
{
	char text[FETCH_TEXT];
	int err = 0;

	if (d->when.kind != NNP_FETCH_NONE) {
		err = nnp_fetch_format(&d->when, text, sizeof(text));
		append(o, ",when=%s%s%llu%s", text,
		       d->when_ne ? "!=" : "==", (unsigned long long)d->when_val,
		       d->when_cache ? ",when-cache=thread" : "");
	}
	if (!err && d->shape_dims) {
		err = nnp_shape_format(&d->shape, d->shape_dims, text, sizeof(text));
		append(o, ",shape=%s", text);
	}
	if (!err && d->rank.kind != NNP_FETCH_NONE) {
		err = nnp_fetch_format(&d->rank, text, sizeof(text));
		append(o, ",rank=%s", text);
	}
	if (err && !o->err)
		o->err = err;
}

int nnp_probe_format(const struct nnp_probe_def *d, char *buf, size_t len)
{
	struct out o = { .buf = buf, .len = len };
	char text[PATH_MAX + 1024];
	const char *role = role_name(d->kind);
	int err;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	if (!role)
		return -EINVAL;
	err = nnp_site_format(d, text, sizeof(text));
	if (err)
		return err;
	append(&o, "%s=%s", role, text);
	if (d->key.kind != NNP_FETCH_NONE) {
		err = nnp_fetch_format_key(&d->key, &d->key2, text, sizeof(text));
		if (err)
			return err;
		append(&o, ",key=%s", text);
	}
	append_string(&o, "name", &d->name, d->name_literal);
	append_string(&o, "op", &d->op, d->op_literal);
	append_when_shape(&o, d);
	if (d->entry_only)
		append(&o, ",mode=entry-only");
	if (o.err)
		buf[0] = '\0';
	return o.err;
}
