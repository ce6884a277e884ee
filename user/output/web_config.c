// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "log.h"
#include "read_bounded.h"
#include "web_config.h"

#define MAX_PEM (1 << 20)
#define MAX_CONFIG (1 << 20) /* a few users and two paths; libyaml holds the whole tree */
#define MAX_KEY_SHOWN 64     /* bytes of a key quoted in an error */
#define MAX_FILE_SHOWN 256   /* of a cert_file or key_file */
/*
 * Every request with credentials pays one bcrypt of 2^cost rounds (here
 * 1.7 ms at cost 5, 105 ms at 10, 0.94 s at 14): 16 is about 4 s, and 31
 * would hold the HTTP thread for days.
 */
#define MAX_BCRYPT_COST 16
_Static_assert(MAX_BCRYPT_COST == 16, "add_user's message says 16");

struct loader {
	const char *path;
	yaml_document_t doc;
	struct nnp_web_config *c;
	char *cert_file, *key_file;
};

/*
 * Text from the file, cut to len - 4 bytes and "...": a key may be a
 * megabyte (log.c shows control bytes as '?').
 */
static const char *shown(const char *text, char *buf, size_t len)
{
	size_t n = strnlen(text, len - 4);

	snprintf(buf, len, "%.*s%s", (int)n, text, text[n] ? "..." : "");
	return buf;
}

static int fail_at(const struct loader *l, const yaml_node_t *n, const char *what, const char *key)
{
	char buf[MAX_KEY_SHOWN + 4];

	nnp_err("%s:%zu:%zu: %s%s%s%s", l->path, n->start_mark.line + 1, n->start_mark.column + 1,
		what, key ? " '" : "", key ? shown(key, buf, sizeof(buf)) : "", key ? "'" : "");
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int set_string(const struct loader *l, const yaml_node_t *v, char **out, const char *key)
{
	const char *s = scalar(v);

	if (!s || !*s)
		return fail_at(l, v, "want a non-empty string for", key);
	if (*out)
		return fail_at(l, v, "duplicate key", key);
	*out = strdup(s);
	return *out ? 0 : -ENOMEM;
}

static int load_tls(struct loader *l, yaml_node_t *map)
{
	yaml_node_pair_t *p;
	int err = 0;

	if (map->type != YAML_MAPPING_NODE)
		return fail_at(l, map, "tls_server_config: want a mapping", NULL);
	for (p = map->data.mapping.pairs.start; !err && p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
		const char *name = scalar(k);

		if (name && !strcmp(name, "cert_file"))
			err = set_string(l, v, &l->cert_file, name);
		else if (name && !strcmp(name, "key_file"))
			err = set_string(l, v, &l->key_file, name);
		else
			err = fail_at(l, k, "unsupported key in tls_server_config:", name);
	}
	if (!err && !l->cert_file != !l->key_file)
		err = fail_at(l, map, "tls_server_config needs both cert_file and key_file", NULL);
	return err;
}

/* "$2a$", "$2b$" or "$2y$" and a cost of two digits, 04-31, then "$" (the rest is crypt's) */
static bool is_bcrypt(const char *h)
{
	int cost;

	if (strncmp(h, "$2", 2) || !h[2] || !strchr("aby", h[2]) || h[3] != '$' || h[4] < '0' ||
	    h[4] > '9' || h[5] < '0' || h[5] > '9' || h[6] != '$')
		return false;
	cost = (h[4] - '0') * 10 + (h[5] - '0');
	return cost >= 4 && cost <= 31;
}

static int bcrypt_cost(const char *h)
{
	return (h[4] - '0') * 10 + (h[5] - '0');
}

static int add_user(struct loader *l, yaml_node_t *k, yaml_node_t *v)
{
	struct nnp_web_config *c = l->c;
	const char *name = scalar(k), *hash = scalar(v);
	struct nnp_web_user *u;

	if (!name || !*name || strchr(name, ':'))
		return fail_at(l, k, "want a user name without ':'", NULL);
	if (!hash || !is_bcrypt(hash))
		return fail_at(l, v, "want a bcrypt hash ($2y$NN$...) for user", name);
	if (bcrypt_cost(hash) > MAX_BCRYPT_COST)
		return fail_at(
		    l, v, "bcrypt cost over 16 (each request would wait for it) for user", name);
	for (size_t i = 0; i < c->nusers; i++)
		if (!strcmp(c->users[i].name, name))
			return fail_at(l, k, "duplicate user", name);
	u = realloc(c->users, (c->nusers + 1) * sizeof(*u));
	if (!u)
		return -ENOMEM;
	c->users = u;
	u[c->nusers].name = strdup(name);
	u[c->nusers].hash = strdup(hash);
	c->nusers++;
	return u[c->nusers - 1].name && u[c->nusers - 1].hash ? 0 : -ENOMEM;
}

static int load_users(struct loader *l, yaml_node_t *map)
{
	int err = 0;

	if (map->type != YAML_MAPPING_NODE)
		return fail_at(l, map, "basic_auth_users: want a mapping of user: bcrypt hash",
			       NULL);
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     !err && p < map->data.mapping.pairs.top; p++)
		err = add_user(l, yaml_document_get_node(&l->doc, p->key),
			       yaml_document_get_node(&l->doc, p->value));
	return err;
}

static int load_root(struct loader *l)
{
	yaml_node_t *root = yaml_document_get_root_node(&l->doc);
	int err = 0;

	if (!root)
		return 0; /* an empty file: plain HTTP, no users */
	if (root->type != YAML_MAPPING_NODE)
		return fail_at(l, root, "want a mapping at the top", NULL);
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     !err && p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&l->doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&l->doc, p->value);
		const char *name = scalar(k);

		if (name && !strcmp(name, "tls_server_config"))
			err = load_tls(l, v);
		else if (name && !strcmp(name, "basic_auth_users"))
			err = load_users(l, v);
		else
			err = fail_at(l, k, "unsupported key", name);
	}
	return err;
}

/* the file's contents, a regular file (a FIFO would hang the start-up) */
static int open_pem(const char *path, int *fd)
{
	struct stat st;

	*fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (*fd < 0)
		return -errno;
	if (!fstat(*fd, &st) && S_ISREG(st.st_mode))
		return 0;
	close(*fd);
	*fd = -1;
	return -EINVAL;
}

/* a file named in the config, relative to the config's directory */
static int read_pem(const char *config, const char *file, char **out)
{
	char dir[PATH_MAX], path[PATH_MAX], shownbuf[MAX_FILE_SHOWN + 4];
	const char *why;
	size_t n = 0;
	int fd = -1, err;

	snprintf(dir, sizeof(dir), "%s", config);
	if (file[0] != '/' &&
	    snprintf(path, sizeof(path), "%s/%s", dirname(dir), file) >= (int)sizeof(path))
		err = -ENAMETOOLONG;
	else
		err = open_pem(file[0] == '/' ? file : path, &fd);
	if (!err)
		err = nnp_read_bounded(fd, MAX_PEM, out, &n);
	if (fd >= 0)
		close(fd);
	/* PEM is text: a NUL would end it early for GnuTLS, and the key's wipe */
	if (!err && (!n || strlen(*out) != n)) {
		free(*out);
		err = -ENODATA;
	}
	if (!err)
		return 0;
	*out = NULL;
	why = err == -EINVAL	? "not a regular file"
	      : err == -EFBIG	? "over 1 MiB"
	      : err == -ENODATA ? "empty, or a NUL byte in it (not PEM)"
				: strerror(-err);
	nnp_err("%s: cannot read %s: %s", config, shown(file, shownbuf, sizeof(shownbuf)), why);
	return err == -ENODATA ? -EINVAL : err;
}

static int yaml_fail(const struct loader *l, const yaml_parser_t *parser)
{
	nnp_err("%s:%zu:%zu: %s", l->path, parser->problem_mark.line + 1,
		parser->problem_mark.column + 1, parser->problem ? parser->problem : "bad YAML");
	return -EINVAL;
}

/* nothing after the document: a second one (after "---") would be ignored, options and all */
static int one_document(struct loader *l, yaml_parser_t *parser)
{
	yaml_document_t next;
	yaml_node_t *root;
	int err = 0;

	if (!yaml_parser_load(parser, &next))
		return yaml_fail(l, parser);
	root = yaml_document_get_root_node(&next);
	if (root)
		err = fail_at(l, root, "a second YAML document: one is read", NULL);
	yaml_document_delete(&next);
	return err;
}

static int parse(struct loader *l, const char *text, size_t len)
{
	yaml_parser_t parser;
	int err;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &l->doc)) {
		err = yaml_fail(l, &parser);
		yaml_parser_delete(&parser);
		return err;
	}
	err = load_root(l);
	if (!err)
		err = one_document(l, &parser);
	yaml_parser_delete(&parser);
	yaml_document_delete(&l->doc);
	return err;
}

static int read_config(const char *path, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), err;

	err = fd < 0 ? -errno : nnp_read_bounded(fd, MAX_CONFIG, text, len);
	if (fd >= 0)
		close(fd);
	if (err)
		nnp_err("--web-config %s: %s", path,
			err == -EFBIG ? "over 1 MiB: not a web config" : strerror(-err));
	return err;
}

int nnp_web_config_load(const char *path, struct nnp_web_config *c)
{
	struct loader l = { .path = path, .c = c };
	size_t len;
	char *text;
	int err;

	memset(c, 0, sizeof(*c));
	err = read_config(path, &text, &len);
	if (err)
		return err;
	err = parse(&l, text, len);
	free(text);
	if (!err && l.cert_file)
		err = read_pem(path, l.cert_file, &c->cert_pem);
	if (!err && l.key_file)
		err = read_pem(path, l.key_file, &c->key_pem);
	free(l.cert_file);
	free(l.key_file);
	if (err)
		nnp_web_config_free(c);
	return err;
}

void nnp_web_config_free(struct nnp_web_config *c)
{
	for (size_t i = 0; i < c->nusers; i++) {
		free(c->users[i].name);
		free(c->users[i].hash);
	}
	free(c->users);
	if (c->key_pem)
		explicit_bzero(c->key_pem, strlen(c->key_pem));
	free(c->key_pem);
	free(c->cert_pem);
	memset(c, 0, sizeof(*c));
}

/*
 * The same work whether the user exists or not, no timing oracle for
 * names: an unknown one costs the first user's bcrypt. A fixed hash of cost
 * 10 took 105 ms where a user of cost 5 (htpasswd -B's default) took 2 ms.
 */
bool nnp_web_config_check(const struct nnp_web_config *c, const char *user, const char *password)
{
	const char *hash;
	struct crypt_data *cd;
	bool found = false, ok = false;
	const char *got;

	if (!c->nusers || !user || !password)
		return false;
	hash = c->users[0].hash;
	for (size_t i = 0; i < c->nusers; i++) {
		if (!strcmp(c->users[i].name, user)) {
			hash = c->users[i].hash;
			found = true;
		}
	}
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return false;
	got = crypt_r(password, hash, cd);
	if (got && got[0] != '*' && strlen(got) == strlen(hash)) {
		unsigned char diff = 0;

		for (size_t i = 0; hash[i]; i++)
			diff |= (unsigned char)(got[i] ^ hash[i]);
		ok = found && !diff;
	}
	free(cd);
	return ok;
}
