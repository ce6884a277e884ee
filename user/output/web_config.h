/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * `nnperf export --web-config FILE`: TLS and basic authentication in the
 * format of the Prometheus exporter toolkit (docs/reliability.md):
 *
 *   tls_server_config:
 *     cert_file: server.crt      # relative paths: from the file's directory
 *     key_file: server.key
 *   basic_auth_users:
 *     alice: $2y$10$...          # bcrypt hashes (htpasswd -nBC 10 alice)
 *
 * Other keys are refused (an option silently ignored could be a door left open),
 * and so are a second document, bcrypt costs over 16 and PEM files that are
 * not regular text files of at most 1 MiB.
 */
#ifndef NNP_WEB_CONFIG_H
#define NNP_WEB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct nnp_web_user {
	char *name;
	char *hash; /* crypt(3) string: $2y$, $2b$, $2a$ */
};

struct nnp_web_config {
	char *cert_pem, *key_pem; /* TLS when both are set: the files' contents */
	struct nnp_web_user *users;
	size_t nusers;
};

/* one error line "FILE:LINE:COL: what" and -errno on failure */
int nnp_web_config_load(const char *path, struct nnp_web_config *c);
void nnp_web_config_free(struct nnp_web_config *c);
/* true if users are configured and user/password match one of them */
bool nnp_web_config_check(const struct nnp_web_config *c, const char *user, const char *password);

#endif
