// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <crypt.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "log.h"
#include "web_config.h"

#define MAX_PEM (1 << 20)

struct loader {
	const char *path;
	yaml_document_t doc;
	struct nnp_web_config *c;
	char *cert_file, *key_file;
};

static int fail_at(const struct loader *l, const yaml_node_t *n, const char *what, const char *key)
{
	nnp_err("%s:%zu:%zu: %s%s%s%s", l->path, n->start_mark.line + 1, n->start_mark.column + 1,
		what, key ? " '" : "", key ? key : "", key ? "'" : "");
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

static int add_user(struct loader *l, yaml_node_t *k, yaml_node_t *v)
{
	struct nnp_web_config *c = l->c;
	const char *name = scalar(k), *hash = scalar(v);
	struct nnp_web_user *u;

	if (!name || !*name || strchr(name, ':'))
		return fail_at(l, k, "want a user name without ':'", NULL);
	if (!hash || strncmp(hash, "$2", 2))
		return fail_at(l, v, "want a bcrypt hash ($2y$...) for user", name);
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

/* a file named in the config, relative to the config's directory */
static int read_pem(const char *config, const char *file, char **out)
{
	char dir[PATH_MAX], path[PATH_MAX];
	size_t n;
	FILE *f;
	int err = 0;

	snprintf(dir, sizeof(dir), "%s", config);
	if (snprintf(path, sizeof(path), "%s/%s", file[0] == '/' ? "" : dirname(dir), file) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	f = fopen(file[0] == '/' ? file : path, "re");
	*out = f ? calloc(1, MAX_PEM + 1) : NULL;
	if (!f || !*out) {
		err = f ? -ENOMEM : -errno;
		goto cleanup;
	}
	n = fread(*out, 1, MAX_PEM + 1, f);
	if (ferror(f) || n == 0 || n > MAX_PEM)
		err = ferror(f) ? -EIO : -EINVAL;
cleanup:
	if (err)
		nnp_err("%s: cannot read %s: %s", config, file,
			err == -EINVAL ? "empty or over 1 MiB" : strerror(-err));
	if (f)
		fclose(f);
	return err;
}

static int parse(struct loader *l, FILE *f)
{
	yaml_parser_t parser;
	int err = 0;

	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &l->doc)) {
		nnp_err("%s:%zu:%zu: %s", l->path, parser.problem_mark.line + 1,
			parser.problem_mark.column + 1,
			parser.problem ? parser.problem : "bad YAML");
		yaml_parser_delete(&parser);
		return -EINVAL;
	}
	yaml_parser_delete(&parser);
	err = load_root(l);
	yaml_document_delete(&l->doc);
	return err;
}

int nnp_web_config_load(const char *path, struct nnp_web_config *c)
{
	struct loader l = { .path = path, .c = c };
	FILE *f = fopen(path, "re");
	int err;

	memset(c, 0, sizeof(*c));
	if (!f) {
		err = -errno;
		nnp_err("--web-config %s: %s", path, strerror(-err));
		return err;
	}
	err = parse(&l, f);
	fclose(f);
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

/* the same work whether the user exists or not: no timing oracle for names */
static const char dummy_hash[] = "$2y$10$fdwiA.LEBw8CyDBj3nTXBepaEs6.XTpvJL9TwvEPabA3Amq1mD1KW";

bool nnp_web_config_check(const struct nnp_web_config *c, const char *user, const char *password)
{
	const char *hash = dummy_hash;
	struct crypt_data *cd;
	bool found = false, ok = false;
	const char *got;

	if (!c->nusers || !user || !password)
		return false;
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
