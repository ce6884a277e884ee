// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `nnperf export --web-config FILE` on any bytes: an error is -errno and one
 * line naming the file; a loaded config has users without ':' and bcrypt
 * hashes, TLS with both PEMs or neither, and checking a password does not
 * crash.
 *
 * cert_file and key_file are read from the config's directory: the input is
 * written to web.yml in an empty temporary directory that holds only
 * server.crt and server.key, with every '/' and '\' turned into '_' so that
 * no path (nor a YAML escape such as "\x2f") can leave it. The absolute-path
 * branch is run once at start-up, on the directory's own files.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_stderr.h"
#include "fuzz_util.h"
#include "web_config.h"

#define MAX_CHECKED_COST 5 /* a bcrypt of cost 5 is ~2 ms; the limit, 16, ~4 s */

static char dir[64], config[PATH_MAX];

static const char crt[] = "-----BEGIN CERTIFICATE-----\nMIIBfuzz\n-----END CERTIFICATE-----\n";
static const char key[] = "-----BEGIN PRIVATE KEY-----\nMIIBfuzz\n-----END PRIVATE KEY-----\n";

static void write_at(const char *name, const void *data, size_t size)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || (size && write(fd, data, size) != (ssize_t)size))
		abort();
	close(fd);
}

static void cleanup(void)
{
	const char *names[] = { "web.yml", "server.crt", "server.key" };
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* load, and what it said: nothing on success, one line naming the file otherwise */
static int load(struct nnp_web_config *c)
{
	struct fuzz_capture cap;
	char said[8192];
	const char *nl;
	int err, captured = !fuzz_capture_begin(&cap);

	err = nnp_web_config_load(config, c);
	if (!captured)
		return err;
	fuzz_capture_end(&cap, said, sizeof(said));
	nl = strchr(said, '\n');
	if (err > 0 || (!err && said[0]))
		abort();
	if (err &&
	    (strncmp(said, "nnperf: error: ", 15) || !fuzz_contains(said, config) || !nl || nl[1]))
		abort(); /* one line (of under 8 KB: the file's text in it is cut short) */
	return err;
}

static void self_test(void)
{
	struct nnp_web_config c;
	char text[2 * PATH_MAX];

	snprintf(text, sizeof(text),
		 "tls_server_config:\n  cert_file: %s/server.crt\n"
		 "  key_file: server.key\n",
		 dir);
	write_at("web.yml", text, strlen(text));
	if (load(&c) || !c.cert_pem || strcmp(c.cert_pem, crt) || strcmp(c.key_pem, key))
		abort();
	nnp_web_config_free(&c);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "/dev/shm/nnperf-fuzz-webcfg.XXXXXX");
	if (!mkdtemp(dir)) {
		snprintf(dir, sizeof(dir), "/tmp/nnperf-fuzz-webcfg.XXXXXX");
		if (!mkdtemp(dir))
			abort();
	}
	snprintf(config, sizeof(config), "%s/web.yml", dir);
	write_at("server.crt", crt, strlen(crt));
	write_at("server.key", key, strlen(key));
	atexit(cleanup);
	self_test();
	return 0;
}

static void check_loaded(const struct nnp_web_config *c, const uint8_t *data, size_t size)
{
	char pass[64];
	bool cheap = true;

	if (!c->cert_pem != !c->key_pem)
		abort(); /* TLS with both or neither */
	for (size_t i = 0; i < c->nusers; i++) {
		const char *h = c->users[i].hash;

		if (!c->users[i].name[0] || strchr(c->users[i].name, ':') || strncmp(h, "$2", 2) ||
		    strlen(h) < 7 || h[3] != '$' || h[6] != '$')
			abort();
		cheap &= (h[4] - '0') * 10 + (h[5] - '0') <= MAX_CHECKED_COST;
	}
	if (!cheap)
		return;
	snprintf(pass, sizeof(pass), "%.*s", (int)(size < 16 ? size : 16), (const char *)data);
	if (nnp_web_config_check(c, NULL, pass) || nnp_web_config_check(c, "x", NULL))
		abort();
	/* one bcrypt an input: a known user, or one that is not */
	if (c->nusers)
		nnp_web_config_check(
		    c, size && data[0] & 1 ? "nnperf-fuzz-nobody" : c->users[0].name, pass);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nnp_web_config c;
	uint8_t *text = malloc(size ? size : 1);

	if (!text)
		return 0;
	for (size_t i = 0; i < size; i++)
		text[i] = data[i] == '/' || data[i] == '\\' ? '_' : data[i];
	write_at("web.yml", text, size);
	free(text);
	if (!load(&c)) {
		check_loaded(&c, data, size);
		nnp_web_config_free(&c);
	}
	return 0;
}
