// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <microhttpd.h>

#include "http_server.h"
#include "log.h"
#include "privs.h"

struct nnp_http {
	struct MHD_Daemon *d;
	int fd;
	nnp_http_render_fn render;
	void *ctx;
	const struct nnp_web_config *web;
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

/* the headers, then queues r; r is released either way */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned int status, const char *ctype,
			     struct MHD_Response *r)
{
	enum MHD_Result ret;

	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Basic realm=\"nnperf\", charset=\"UTF-8\"");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *ctype,
			     char *body, size_t len, enum MHD_ResponseMemoryMode mode)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	return queue(c, status, ctype, r);
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned int status, const char *msg)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT);
}

#define BODY_BLOCK (32 * 1024) /* bytes MHD asks the body for at a time */

static ssize_t body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct nnp_http_body *b = cls;
	ssize_t n = b->read(b->ctx, buf, max);

	(void)pos;
	if (n > 0)
		return n;
	return n ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
}

static void body_free(void *cls)
{
	struct nnp_http_body *b = cls;

	b->done(b->ctx);
	free(b);
}

/* Sent as it is rendered (chunked): a page of 10,000 layers is tens of MiB. */
static enum MHD_Result metrics(struct nnp_http *h, struct MHD_Connection *c)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	struct nnp_http_body *b = calloc(1, sizeof(*b));
	struct MHD_Response *r;
	int err = b ? h->render(h->ctx, accept, b) : -ENOMEM;

	if (err) {
		free(b);
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "failed to render metrics\n");
	}
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, BODY_BLOCK, body_read, b,
					      body_free);
	if (!r) {
		body_free(b);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_OK, b->ctype, r);
}

enum nnp_http_route nnp_http_route(const char *method, const char *url)
{
	if (!method || strcmp(method, "GET"))
		return NNP_ROUTE_BAD_METHOD;
	if (url && !strcmp(url, "/metrics"))
		return NNP_ROUTE_METRICS;
	if (url && !strcmp(url, "/healthz"))
		return NNP_ROUTE_HEALTHZ;
	return NNP_ROUTE_NOT_FOUND;
}

static int b64_value(char ch)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = ch ? strchr(alphabet, ch) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

/* standard base64 with padding into out (NUL-terminated); decoded length or -EINVAL */
static int b64_decode(const char *in, size_t n, char *out, size_t cap)
{
	size_t len = 0;

	if (n % 4)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 4) {
		int v[4], pad = 0;

		for (int j = 0; j < 4; j++) {
			bool last = i + 4 == n;

			v[j] = b64_value(in[i + j]);
			if (v[j] < 0 && last && in[i + j] == '=' && j >= 2 &&
			    (j == 3 || in[i + 3] == '='))
				v[j] = 0, pad++;
			else if (v[j] < 0 || pad)
				return -EINVAL;
		}
		for (int j = 0; j < 3 - pad; j++) {
			if (len + 1 >= cap)
				return -EINVAL;
			out[len++] =
			    (char)(((v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]) >> (16 - 8 * j)) &
				   0xff);
		}
	}
	out[len] = '\0';
	return (int)len;
}

int nnp_http_basic_auth_parse(const char *header, char *user, size_t ulen, char *pass, size_t plen)
{
	char buf[512];
	const char *p;
	char *colon;
	int n;

	if (!header || strncasecmp(header, "Basic ", 6))
		return -EINVAL;
	for (p = header + 6; *p == ' '; p++)
		;
	n = b64_decode(p, strlen(p), buf, sizeof(buf));
	colon = n > 0 ? memchr(buf, ':', (size_t)n) : NULL;
	/* a NUL inside would make the name or password something else than was sent */
	if (!colon || strlen(buf) != (size_t)n)
		return -EINVAL;
	*colon = '\0';
	if (strlen(buf) >= ulen || strlen(colon + 1) >= plen)
		return -EINVAL;
	strcpy(user, buf);
	strcpy(pass, colon + 1);
	explicit_bzero(buf, sizeof(buf));
	return 0;
}

static bool authorized(struct nnp_http *h, struct MHD_Connection *c)
{
	char user[128], pass[256];
	bool ok;

	if (!h->web || !h->web->nusers)
		return true;
	if (nnp_http_basic_auth_parse(
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
		user, sizeof(user), pass, sizeof(pass)))
		return false;
	ok = nnp_web_config_check(h->web, user, pass);
	explicit_bzero(pass, sizeof(pass));
	return ok;
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
	if (!authorized(h, c))
		return text(c, MHD_HTTP_UNAUTHORIZED, "unauthorized\n");
	switch (nnp_http_route(method, url)) {
	case NNP_ROUTE_BAD_METHOD:
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed: use GET\n");
	case NNP_ROUTE_METRICS:
		return metrics(h, c);
	case NNP_ROUTE_HEALTHZ:
		return text(c, MHD_HTTP_OK, "ok\n");
	default:
		return text(c, MHD_HTTP_NOT_FOUND, "not found: try /metrics or /healthz\n");
	}
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	nnp_info("http: %s", msg);
}

static void *start_daemon(void *arg)
{
	struct nnp_http *h = arg;
	bool tls = h->web && h->web->cert_pem && h->web->key_pem;
	struct MHD_OptionItem ops[] = {
		{ MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_log, NULL },
		{ MHD_OPTION_LISTEN_SOCKET, h->fd, NULL },
		{ MHD_OPTION_CONNECTION_LIMIT, NNP_HTTP_MAX_CONNECTIONS, NULL },
		{ MHD_OPTION_CONNECTION_TIMEOUT, NNP_HTTP_TIMEOUT_S, NULL },
		{ tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0,
		  tls ? h->web->cert_pem : NULL },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, tls ? h->web->key_pem : NULL },
		{ MHD_OPTION_END, 0, NULL },
	};

	/* the server's thread inherits this one's (empty) capabilities */
	if (nnp_privs_limit(0))
		return NULL;
	h->d = MHD_start_daemon(
	    MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | (tls ? MHD_USE_TLS : 0), 0, NULL,
	    NULL, on_request, h, MHD_OPTION_ARRAY, ops, MHD_OPTION_END);
	return NULL;
}

int nnp_http_start_web(const char *listen_s, const struct nnp_web_config *web,
		       nnp_http_render_fn render, void *ctx, struct nnp_http **out)
{
	struct nnp_http *h = calloc(1, sizeof(*h));
	pthread_t t;
	int err;

	if (!h)
		return -ENOMEM;
	h->render = render;
	h->ctx = ctx;
	h->web = web;
	if (web && web->cert_pem && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
		nnp_err("this libmicrohttpd has no TLS: cannot serve the web config's certificate");
		free(h);
		return -EOPNOTSUPP;
	}
	err = bind_socket(listen_s, &h->fd);
	if (err) {
		free(h);
		return err;
	}
	err = pthread_create(&t, NULL, start_daemon, h);
	if (!err)
		pthread_join(t, NULL);
	if (!h->d) {
		nnp_err("failed to start the HTTP server on %s%s", listen_s,
			err ? ": cannot create a thread" : "");
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
