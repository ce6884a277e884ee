// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>

#include "http_server.h"
#include "log.h"

#define MAX_CONNECTIONS 16
#define CONNECTION_TIMEOUT_S 10

struct nnp_http {
	struct MHD_Daemon *d;
	int fd;
	nnp_http_render_fn render;
	void *ctx;
};

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

int nnp_http_parse_listen(const char *s, struct sockaddr_storage *addr, socklen_t *len)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)addr;
	const char *colon = strrchr(s, ':');
	char host[64];
	uint16_t port;
	size_t hl;

	memset(addr, 0, sizeof(*addr));
	if (!colon || parse_port(colon + 1, &port))
		return -EINVAL;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (hl >= 2 && host[0] == '[' && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		*len = sizeof(*v6);
		return inet_pton(AF_INET6, host + 1, &v6->sin6_addr) == 1 ? 0 : -EINVAL;
	}
	v4->sin_family = AF_INET;
	v4->sin_port = htons(port);
	*len = sizeof(*v4);
	if (!hl)
		return 0; /* INADDR_ANY */
	return inet_pton(AF_INET, host, &v4->sin_addr) == 1 ? 0 : -EINVAL;
}

/* our own socket: a taken port is reported with its errno, not a generic failure */
static int bind_socket(const char *listen_s, int *out)
{
	struct sockaddr_storage addr;
	socklen_t len;
	int one = 1, fd, err;

	if (nnp_http_parse_listen(listen_s, &addr, &len)) {
		nnp_err("invalid --listen '%s': want ADDR:PORT, [ADDR]:PORT or :PORT", listen_s);
		return -EINVAL;
	}
	fd = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		err = -errno;
		nnp_err("failed to create a socket for %s: %s", listen_s, strerror(-err));
		return err;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, len) || listen(fd, 16)) {
		err = -errno;
		nnp_err("cannot listen on %s: %s", listen_s, strerror(-err));
		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *ctype,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT);
}

static enum MHD_Result metrics(struct nnp_http *h, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	const char *ctype = NULL;
	char *body = NULL;
	size_t len = 0;
	int err = h->render(h->ctx, accept, &body, &len, &ctype);

	if (err) {
		free(body);
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "failed to render metrics\n");
	}
	return reply(c, MHD_HTTP_OK, ctype, body, len, MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct nnp_http *h = cls;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET))
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: use GET\n");
	if (!strcmp(url, "/metrics"))
		return metrics(h, c);
	if (!strcmp(url, "/healthz"))
		return text(c, MHD_HTTP_OK, "ok\n");
	return text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics or /healthz\n");
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	nnp_info("http: %s", msg);
}

int nnp_http_start(const char *listen_s, nnp_http_render_fn render, void *ctx,
		   struct nnp_http **out)
{
	struct nnp_http *h = calloc(1, sizeof(*h));
	int err;

	if (!h)
		return -ENOMEM;
	h->render = render;
	h->ctx = ctx;
	err = bind_socket(listen_s, &h->fd);
	if (err) {
		free(h);
		return err;
	}
	h->d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				on_request, h, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				MHD_OPTION_LISTEN_SOCKET, h->fd, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned int)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned int)CONNECTION_TIMEOUT_S, MHD_OPTION_END);
	if (!h->d) {
		nnp_err("failed to start the HTTP server on %s", listen_s);
		close(h->fd);
		free(h);
		return -EIO;
	}
	*out = h;
	return 0;
}

void nnp_http_stop(struct nnp_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d); /* closes the listen socket it was given */
	free(h);
}
