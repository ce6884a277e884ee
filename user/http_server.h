/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The exporter's HTTP endpoint (libmicrohttpd, its own polling thread):
 * GET /metrics calls the render callback, GET /healthz answers "ok", other
 * paths 404, other methods 405 with "Allow: GET". Few connections, short
 * timeouts: it serves a scraper, not the public.
 */
#ifndef NNP_HTTP_SERVER_H
#define NNP_HTTP_SERVER_H

#include <stddef.h>
#include <sys/socket.h>

#define NNP_HTTP_DEFAULT_LISTEN "127.0.0.1:9464"

/*
 * Renders the /metrics page for a client that sent `accept` (may be NULL):
 * *body is malloc'ed (freed by the server), *ctype a static string. 0 or -errno.
 * Runs on the server's thread.
 */
typedef int (*nnp_http_render_fn)(void *ctx, const char *accept, char **body, size_t *len,
				  const char **ctype);

struct nnp_http;

/* "ADDR:PORT", "[V6ADDR]:PORT" or ":PORT" (all IPv4 addresses) into addr; 0 or -EINVAL */
int nnp_http_parse_listen(const char *s, struct sockaddr_storage *addr, socklen_t *len);
/* binds and starts serving; one error line and -errno on failure (-EADDRINUSE) */
int nnp_http_start(const char *listen, nnp_http_render_fn render, void *ctx, struct nnp_http **out);
void nnp_http_stop(struct nnp_http *h);

#endif
