/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exporter's HTTP endpoint (libmicrohttpd, its own polling thread):
 * GET /metrics calls the render callback, GET /healthz answers "ok", other
 * paths 404, other methods 405 with "Allow: GET". Few connections, short
 * timeouts: it serves a scraper, not the public. Optional TLS and basic
 * authentication (web_config.h). Its thread runs without capabilities.
 */
#ifndef NNP_HTTP_SERVER_H
#define NNP_HTTP_SERVER_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "web_config.h"

#define NNP_HTTP_DEFAULT_LISTEN "127.0.0.1:9464"
#define NNP_HTTP_MAX_CONNECTIONS 16
#define NNP_HTTP_TIMEOUT_S 10 /* an idle or slow connection is closed after this */

enum nnp_http_route {
	NNP_ROUTE_METRICS,
	NNP_ROUTE_HEALTHZ,
	NNP_ROUTE_NOT_FOUND,
	NNP_ROUTE_BAD_METHOD,
};

/*
 * A response body produced while it is sent, so that a large page is never
 * in memory whole: read fills buf with up to max bytes and returns how many
 * (> 0), 0 at the end or -errno (the connection is closed mid-body); done
 * releases ctx once the response is over, sent whole or not. ctype is static.
 */
struct nnp_http_body {
	ssize_t (*read)(void *ctx, char *buf, size_t max);
	void (*done)(void *ctx);
	void *ctx;
	const char *ctype;
};

/*
 * Starts the /metrics page for a client that sent `accept` (may be NULL):
 * fills *out; 0 or -errno. Runs on the server's thread, as do read and done.
 */
typedef int (*nnp_http_render_fn)(void *ctx, const char *accept, struct nnp_http_body *out);

struct nnp_http;

/* "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (all IPv4 addresses) into addr; 0 or -EINVAL */
int nnp_http_parse_listen(const char *s, struct sockaddr_storage *addr, socklen_t *len);
/* where a request goes: only GET, only /metrics and /healthz */
enum nnp_http_route nnp_http_route(const char *method, const char *url);
/*
 * An Authorization header "Basic base64(user:password)" into user and pass
 * (NUL-terminated, truncation refused); 0 or -EINVAL.
 */
int nnp_http_basic_auth_parse(const char *header, char *user, size_t ulen, char *pass, size_t plen);
/*
 * Binds and starts serving, with TLS and users from a web config (NULL: plain
 * HTTP, no auth; web must outlive the server); one error line and -errno on
 * failure (-EADDRINUSE)
 */
int nnp_http_start_web(const char *listen, const struct nnp_web_config *web,
		       nnp_http_render_fn render, void *ctx, struct nnp_http **out);
void nnp_http_stop(struct nnp_http *h);

#endif
