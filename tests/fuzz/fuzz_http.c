// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the exporter does with a request before rendering: method and path to
 * a route, the Accept header to a format, the Authorization header to a user
 * and password. Input: METHOD \0 URL \0 ACCEPT \0 AUTHORIZATION.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "http_server.h"
#include "prom_text.h"

static const char *field(const uint8_t *data, size_t size, size_t *off, char *buf, size_t cap)
{
	size_t n = 0;

	while (*off < size && data[*off] && n + 1 < cap)
		buf[n++] = (char)data[(*off)++];
	buf[n] = '\0';
	if (*off < size)
		(*off)++;
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char method[64], url[1024], accept[1024], auth[1024], user[128], pass[256];
	size_t off = 0;
	enum nnp_http_route r;
	enum nnp_prom_format fmt;

	field(data, size, &off, method, sizeof(method));
	field(data, size, &off, url, sizeof(url));
	field(data, size, &off, accept, sizeof(accept));
	field(data, size, &off, auth, sizeof(auth));
	r = nnp_http_route(method, url);
	if (r != NNP_ROUTE_BAD_METHOD && strcmp(method, "GET"))
		abort(); /* only GET is ever served */
	if ((r == NNP_ROUTE_METRICS && strcmp(url, "/metrics")) ||
	    (r == NNP_ROUTE_HEALTHZ && strcmp(url, "/healthz")))
		abort();
	fmt = nnp_prom_negotiate(accept[0] ? accept : NULL);
	if (fmt != NNP_PROM_TEXT && fmt != NNP_PROM_OPENMETRICS)
		abort();
	if (!nnp_prom_content_type(fmt))
		abort();
	if (!nnp_http_basic_auth_parse(auth, user, sizeof(user), pass, sizeof(pass)) &&
	    (strlen(user) >= sizeof(user) || strchr(user, ':')))
		abort(); /* the name ends at the first ':' */
	return 0;
}
