// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read_bounded.h"
#include "recording_read.h"
#include "text.h"

#define MAX_RECORDING_BYTES (INT_MAX - 1) /* json_tokener_parse_ex takes an int length */

static int read_all(const char *path, char **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0)
		return -errno;
	err = nnp_read_bounded(fd, MAX_RECORDING_BYTES, buf, len);
	close(fd);
	return err;
}

static void syntax_error(const char *path, const char *buf, size_t off, const char *msg, char *err,
			 size_t errlen)
{
	size_t line = 1, col = 1;

	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(err, errlen, "%s:%zu:%zu: %s", path, line, col, msg);
}

static int parse(const char *path, const char *buf, size_t len, json_object **out, char *err,
		 size_t errlen)
{
	struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	enum json_tokener_error jerr;
	json_object *root;
	size_t end;

	if (!tok) {
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue) {
		syntax_error(path, buf, len, "unexpected end of file", err, errlen);
		return -EINVAL;
	}
	if (jerr != json_tokener_success) {
		syntax_error(path, buf, end, json_tokener_error_desc(jerr), err, errlen);
		return -EINVAL;
	}
	end += strspn(buf + end, " \t\r\n");
	if (end < len) {
		json_object_put(root);
		syntax_error(path, buf, end, "unexpected data after the document", err, errlen);
		return -EINVAL;
	}
	*out = root;
	return 0;
}

static int check_schema(const char *path, json_object *root, char *err, size_t errlen)
{
	json_object *schema, *version;
	char shown[256];
	int64_t v;

	if (!json_object_is_type(root, json_type_object)) {
		snprintf(err, errlen, "%s: not an nnperf recording: not a JSON object", path);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "schema", &schema) ||
	    !json_object_is_type(schema, json_type_string)) {
		snprintf(err, errlen, "%s: not an nnperf recording: no \"schema\" string", path);
		return -EINVAL;
	}
	if (strcmp(json_object_get_string(schema), NNP_RECORDING_SCHEMA)) {
		/* the file's bytes: no newline or terminal escape into the error line */
		nnp_text_display(shown, sizeof(shown), json_object_get_string(schema), 64);
		snprintf(err, errlen, "%s: not an nnperf recording: schema is \"%s\", not \"%s\"",
			 path, shown, NNP_RECORDING_SCHEMA);
		return -EINVAL;
	}
	if (!json_object_object_get_ex(root, "version", &version) ||
	    !json_object_is_type(version, json_type_int) ||
	    (v = json_object_get_int64(version)) < 1) {
		snprintf(err, errlen,
			 "%s: invalid recording: \"version\" is not a positive integer", path);
		return -EINVAL;
	}
	if (v > NNP_RECORDING_VERSION) {
		snprintf(err, errlen,
			 "%s: recording version %lld is newer than this nnperf supports (%d)", path,
			 (long long)v, NNP_RECORDING_VERSION);
		return -EINVAL;
	}
	return 0;
}

int nnp_recording_read(const char *path, struct json_object **out, char *err, size_t errlen)
{
	json_object *root = NULL;
	char *buf = NULL;
	size_t len;
	int ret;

	*out = NULL;
	ret = read_all(path, &buf, &len);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		goto cleanup;
	}
	ret = parse(path, buf, len, &root, err, errlen);
	if (ret)
		goto cleanup;
	ret = check_schema(path, root, err, errlen);
	if (ret)
		goto cleanup;
	*out = root;
	root = NULL;
cleanup:
	json_object_put(root);
	free(buf);
	return ret;
}
