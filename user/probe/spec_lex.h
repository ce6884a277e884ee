/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The cursor shared by the probe-definition parsers (probe_spec.c, probe_site.c,
 * fetch_expr.c): where we are in the text and where the first error goes.
 * Columns are 1-based byte offsets into the text being parsed.
 */
#ifndef NNP_SPEC_LEX_H
#define NNP_SPEC_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct nnp_lex {
	const char *text; /* start of the probe text: column 1 */
	const char *p;	  /* next character to read */
	char *err;
	size_t errlen;
	int col;
};

/* Records "message" at the column of `at` and returns -EINVAL. */
int nnp_lex_fail(struct nnp_lex *lx, const char *at, const char *fmt, ...) NNP_PRINTF(3, 4);

bool nnp_lex_is_space(char c);
bool nnp_lex_is_ident(char c);
void nnp_lex_skip_ws(struct nnp_lex *lx);
const char *nnp_lex_skip_ws_at(const char *p);

/* Length of the identifier-like word [A-Za-z0-9_] at p. */
size_t nnp_lex_ident_len(const char *p);
/* Length of the word [A-Za-z0-9_-] at p (roles, option names, modes). */
size_t nnp_lex_word_len(const char *p);
bool nnp_lex_word_is(const char *p, size_t len, const char *word);

/*
 * Describes what was found at `at` for "but found X": "end of input", the word
 * in quotes, or the character in quotes. buf must hold at least 48 bytes.
 */
const char *nnp_lex_found(const char *at, char *buf, size_t len);

/* Quotes [from, to) for "after 'X'", trailing whitespace dropped, long text elided. */
const char *nnp_lex_span(const char *from, const char *to, char *buf, size_t len);

/*
 * Reads a decimal or 0x-hex number at p into *v and sets *end past it.
 * Returns 0, -EINVAL when there is no number at p, -ERANGE when it exceeds 64 bits.
 */
int nnp_lex_number(const char *p, uint64_t *v, const char **end);

#endif
