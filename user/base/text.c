// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */
#define ELLIPSIS "\xe2\x80\xa6"	   /* U+2026 */

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF */
size_t nnp_utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return is_cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (!is_cont(s[1]) || !is_cont(s[2]))
			return 0;
		if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (!is_cont(s[1]) || !is_cont(s[2]) || !is_cont(s[3]))
			return 0;
		if ((c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] > 0x8f))
			return 0;
		return 4;
	}
	return 0;
}

size_t nnp_text_copy(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t n;

	if (!dstlen)
		return 0;
	n = src ? strnlen(src, srclen) : 0;
	if (n > dstlen - 1) {
		n = dstlen - 1;
		/* back up to the lead byte of a sequence the cut would split */
		while (n > 0 && is_cont((unsigned char)src[n]))
			n--;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return n;
}

char *nnp_utf8_sanitize(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), o = 0;
	char *out = malloc(3 * len + 1);

	if (!out)
		return NULL;
	while (*p) {
		size_t k = nnp_utf8_seq_len(p);

		if (k) {
			memcpy(out + o, p, k);
			o += k;
			p += k;
		} else {
			memcpy(out + o, REPLACEMENT, 3);
			o += 3;
			p++;
		}
	}
	out[o] = '\0';
	return out;
}

/* One displayed character: `in` bytes of the input shown as `out` bytes at `bytes`. */
struct shown_char {
	const char *bytes;
	size_t in, out;
};

/* "?" stands for anything unsafe on a terminal: invalid bytes, C0 and C1 controls */
static struct shown_char next_char(const unsigned char *p)
{
	size_t k = nnp_utf8_seq_len(p);

	if (!k || *p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] < 0xa0))
		return (struct shown_char){ "?", k ? k : 1, 1 };
	return (struct shown_char){ (const char *)p, k, k };
}

static size_t count_chars(const unsigned char *p)
{
	size_t n = 0;

	for (; *p; n++)
		p += next_char(p).in;
	return n;
}

size_t nnp_text_display(char *dst, size_t dstlen, const char *s, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t total = count_chars(p), keep = total, used = 0, o = 0;
	int cut = total > cols;

	if (!dstlen)
		return 0;
	if (cut)
		keep = cols ? cols - 1 : 0;
	/* room is always kept for the ellipsis and the NUL */
	for (; *p && used < keep; used++) {
		struct shown_char c = next_char(p);

		if (o + c.out + sizeof(ELLIPSIS) > dstlen)
			break;
		memcpy(dst + o, c.bytes, c.out);
		o += c.out;
		p += c.in;
	}
	if (cut && cols && o + sizeof(ELLIPSIS) <= dstlen) {
		memcpy(dst + o, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		o += sizeof(ELLIPSIS) - 1;
		used++;
	}
	dst[o] = '\0';
	return used;
}
