// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * --web-config: what the loader refuses (a second document, bcrypt costs
 * that would stall every request, PEM files that are not text files) and a
 * password checked against a hash made here.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "web_config.h"

static char dir[] = "/tmp/nnperf-test-webcfg.XXXXXX";
static char hash[CRYPT_OUTPUT_SIZE]; /* bcrypt of "pw", cost 4 */

static const char *at(const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void put(const char *name, const void *data, size_t len)
{
	FILE *f = fopen(at(name), "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int load_text(const char *text)
{
	struct nnp_web_config c;
	int err;

	put("web.yml", text, strlen(text));
	err = nnp_web_config_load(at("web.yml"), &c);
	if (!err)
		nnp_web_config_free(&c);
	return err;
}

static int setup(void **state)
{
	struct crypt_data *cd = calloc(1, sizeof(*cd));
	char salt[CRYPT_GENSALT_OUTPUT_SIZE];
	int err = -1;

	(void)state;
	if (cd && mkdtemp(dir) && crypt_gensalt_rn("$2y$", 4, NULL, 0, salt, sizeof(salt)) &&
	    crypt_r("pw", salt, cd)) {
		memcpy(hash, cd->output, sizeof(hash));
		err = 0;
	}
	free(cd);
	return err;
}

static int teardown(void **state)
{
	static const char *const names[] = { "web.yml", "a.pem", "b.pem", "big.pem", "fifo" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(at(names[i]));
	return rmdir(dir);
}

static void test_users(void **state)
{
	struct nnp_web_config c;
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text), "basic_auth_users:\n  alice: %s\n  bob: %s\n", hash, hash);
	put("web.yml", text, strlen(text));
	assert_int_equal(nnp_web_config_load(at("web.yml"), &c), 0);
	assert_int_equal(c.nusers, 2);
	assert_true(nnp_web_config_check(&c, "alice", "pw"));
	assert_false(nnp_web_config_check(&c, "alice", "px"));
	assert_false(nnp_web_config_check(&c, "carol", "pw")); /* costs alice's bcrypt */
	assert_false(nnp_web_config_check(&c, NULL, "pw"));
	nnp_web_config_free(&c);
	/* a hash without a cost, and costs that would hold every request */
	assert_int_equal(load_text("basic_auth_users:\n  alice: $2\n"), -EINVAL);
	assert_int_equal(load_text("basic_auth_users:\n  alice: $2y$31$.Oo2hdaPj670fpTy3a3pHe4OMU"
				   "bkLJ08p04n49P.eMusrOvp3NaXK\n"),
			 -EINVAL);
	assert_int_equal(load_text("basic_auth_users:\n  alice: $2y$17$x\n"), -EINVAL);
	assert_int_equal(load_text("basic_auth_users:\n  alice: $2q$05$x\n"), -EINVAL);
}

/* libyaml stops after the first document: what follows "---" was silently dropped */
static void test_one_document(void **state)
{
	char text[2048];

	(void)state;
	snprintf(text, sizeof(text), "basic_auth_users:\n  alice: %s\n", hash);
	assert_int_equal(load_text(text), 0);
	snprintf(text, sizeof(text),
		 "basic_auth_users:\n  alice: %s\n---\ntls_server_config:\n"
		 "  cert_file: a.pem\n",
		 hash);
	assert_int_equal(load_text(text), -EINVAL);
	snprintf(text, sizeof(text), "basic_auth_users:\n  alice: %s\n---\n[unclosed\n", hash);
	assert_int_equal(load_text(text), -EINVAL);
	snprintf(text, sizeof(text), "basic_auth_users:\n  alice: %s\n...\n", hash);
	assert_int_equal(load_text(text), 0); /* an end marker alone is no second document */
}

static void test_pem_files(void **state)
{
	static const char tls[] = "tls_server_config:\n  cert_file: a.pem\n  key_file: b.pem\n";
	static const char pem[] = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
	struct nnp_web_config c;
	char *big = calloc(1, (1 << 20) + 1);

	(void)state;
	assert_non_null(big);
	put("a.pem", pem, strlen(pem));
	put("b.pem", pem, strlen(pem));
	put("web.yml", tls, strlen(tls));
	assert_int_equal(nnp_web_config_load(at("web.yml"), &c), 0);
	assert_string_equal(c.cert_pem, pem);
	nnp_web_config_free(&c);
	/* a NUL would end the key early for GnuTLS and for its wipe */
	put("b.pem", "-----BEGIN\0PRIVATE KEY-----\n", 28);
	assert_int_equal(load_text(tls), -EINVAL);
	put("b.pem", "", 0);
	assert_int_equal(load_text(tls), -EINVAL);
	/* a FIFO nobody writes would hang the start-up */
	unlink(at("b.pem"));
	assert_int_equal(mkfifo(at("b.pem"), 0600), 0);
	assert_int_equal(load_text(tls), -EINVAL);
	unlink(at("b.pem"));
	memset(big, 'A', 1 << 20);
	put("b.pem", big, (1 << 20) + 1);
	assert_int_equal(load_text(tls), -EFBIG);
	/* the config itself is bounded too */
	memcpy(big, "# ", 2);
	put("web.yml", big, (1 << 20) + 1);
	assert_int_equal(nnp_web_config_load(at("web.yml"), &c), -EFBIG);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users),
		cmocka_unit_test(test_one_document),
		cmocka_unit_test(test_pem_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
