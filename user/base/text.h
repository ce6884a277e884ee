/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Strings that come from a traced process (layer names, op types, comm) are
 * untrusted bytes: maybe unterminated, not UTF-8, full of control characters.
 * These helpers store and show them without breaking JSON or a terminal.
 */
#ifndef NNP_TEXT_H
#define NNP_TEXT_H

#include <stddef.h>

/*
 * Copies at most srclen bytes of src (stopping at a NUL) into dst, always
 * NUL-terminated; a cut never splits a UTF-8 sequence. Returns bytes copied.
 */
size_t nnp_text_copy(char *dst, size_t dstlen, const char *src, size_t srclen);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
size_t nnp_utf8_seq_len(const unsigned char *s);
/*
 * The string as valid UTF-8, each invalid byte replaced by U+FFFD; malloc'ed,
 * NULL on ENOMEM. Control characters stay (JSON escapes them).
 */
char *nnp_utf8_sanitize(const char *s);
/*
 * For a terminal: copies s into dst with invalid bytes and control characters
 * shown as '?', cut to at most `cols` characters (code points) with a trailing
 * "…" when cut. Returns the number of columns used.
 */
size_t nnp_text_display(char *dst, size_t dstlen, const char *s, size_t cols);

#endif
