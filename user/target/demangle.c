// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * C++ names as users write them. "void ns::make<int>(int) const" is also
 * matched as "ns::make<int>": the form a user types, without return type
 * (printed only for template functions), parameter list, cv/ref qualifiers
 * and ABI tags, none of which they think of as part of the name.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elf_priv.h"
#include "elf_sym.h"

/* libstdc++ has it; declaring it keeps the core library in C */
char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

/* *out is NULL for names that are not C++; 0 or -ENOMEM */
static int demangle(const char *mangled, char **out)
{
	int status = 0;

	*out = NULL;
	/* without the prefix, __cxa_demangle reads C names as types ("f" -> "float") */
	if (!mangled || strncmp(mangled, "_Z", 2))
		return 0;
	*out = __cxa_demangle(mangled, NULL, NULL, &status);
	if (status) {
		free(*out);
		*out = NULL;
	}
	return status == -1 ? -ENOMEM : 0;
}

char *nnp_demangle(const char *mangled)
{
	char *out;

	demangle(mangled, &out);
	return out;
}

static int ends_with(const char *s, size_t end, const char *suffix)
{
	size_t n = strlen(suffix);

	return end >= n && !memcmp(s + end - n, suffix, n);
}

static size_t strip_qualifiers(const char *s, size_t end)
{
	static const char *const quals[] = { " const", " volatile", " &&", " &", " noexcept" };
	size_t i;

again:
	for (i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
		if (ends_with(s, end, quals[i])) {
			end -= strlen(quals[i]);
			goto again;
		}
	}
	return end;
}

/* index of the '(' opening the parameter list that ends at s[end - 1], or -1 */
static long params_start(const char *s, size_t end)
{
	long depth = 0;
	size_t i = end;

	if (!end || s[end - 1] != ')')
		return -1;
	while (i-- > 0) {
		if (s[i] == ')')
			depth++;
		else if (s[i] == '(' && --depth == 0)
			return (long)i;
	}
	return -1;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static int operator_at(const char *s, size_t i)
{
	return !strncmp(s + i, "operator", 8) && !is_ident(s[i + 8]) &&
	       (i == 0 || s[i - 1] == ':' || s[i - 1] == ' ');
}

/*
 * Skip a return type: it ends at the last space outside brackets before the
 * name. Inside parentheses '<' may be a comparison (decltype return types),
 * so angle brackets count only outside them.
 */
static size_t name_start(const char *s, size_t end)
{
	long parens = 0, angles = 0;
	size_t i, start = 0;

	for (i = 0; i < end; i++) {
		if (!parens && !angles && operator_at(s, i))
			break; /* "operator<" and "operator new" hold brackets and spaces */
		if (s[i] == '(' || s[i] == '[')
			parens++;
		else if ((s[i] == ')' || s[i] == ']') && parens > 0)
			parens--;
		else if (!parens && s[i] == '<')
			angles++;
		else if (!parens && s[i] == '>' && angles > 0)
			angles--;
		else if (s[i] == ' ' && !parens && !angles)
			start = i + 1;
	}
	return start;
}

static size_t strip_abi_tags(const char *s, size_t start, size_t end)
{
	while (end > start && s[end - 1] == ']') {
		size_t i = end - 1;

		while (i > start && s[i] != '[')
			i--;
		if (s[i] != '[' || strncmp(s + i, "[abi:", 5))
			break;
		end = i;
	}
	return end;
}

int nnp_demangle_full(const char *mangled, char **dem, const char **base)
{
	size_t len, start, end, dlen;
	long open;
	char *out;
	int err;

	*base = NULL;
	err = demangle(mangled, dem);
	if (err || !*dem)
		return err;
	dlen = strlen(*dem);
	open = params_start(*dem, strip_qualifiers(*dem, dlen));
	if (open <= 0)
		return 0;
	start = name_start(*dem, (size_t)open);
	end = strip_abi_tags(*dem, start, (size_t)open);
	len = end - start;
	/* "_Z1 v" is " ()": a source name of one space leaves no name to match */
	if (!len)
		return 0;
	out = realloc(*dem, dlen + 1 + len + 1);
	if (!out) {
		free(*dem);
		*dem = NULL;
		return -ENOMEM;
	}
	memcpy(out + dlen + 1, out + start, len);
	out[dlen + 1 + len] = '\0';
	*dem = out;
	*base = out + dlen + 1;
	return 0;
}
