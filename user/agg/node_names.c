// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "node_names.h"
#include "read_bounded.h"

#define KERNEL_SUFFIX "_kernel_time"
/*
 * json-c holds the whole tree, several times the file: ORT's profile of
 * mobilenet_v2 is ~40 KB an inference, and one run names every node. Up to
 * a million events (ORT's cap) would be ~700 MB of text.
 */
#define MAX_PROFILE_MIB 64

static const char *member_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* node_index: a string of digits in ORT's profiles, a number accepted too */
static int node_index(json_object *args, uint64_t *out)
{
	json_object *v;
	const char *s;
	char *end;

	if (!json_object_object_get_ex(args, "node_index", &v))
		return -ENOENT;
	if (json_object_is_type(v, json_type_int)) {
		*out = (uint64_t)json_object_get_int64(v);
		return json_object_get_int64(v) >= 0 ? 0 : -EINVAL;
	}
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	errno = 0;
	*out = strtoull(s, &end, 10);
	return (*s >= '0' && *s <= '9' && !*end && !errno) ? 0 : -EINVAL;
}

static int add(struct nnp_node_names *m, uint64_t index, const char *name, size_t namelen,
	       const char *op)
{
	struct nnp_node_name *e;

	HASH_FIND(hh, m->by_index, &index, sizeof(index), e);
	if (e)
		return 0; /* every run of a node repeats it */
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->index = index;
	e->name = strndup(name, namelen);
	e->op = strdup(op ? op : "");
	if (!e->name || !e->op) {
		free(e->name);
		free(e->op);
		free(e);
		return -ENOMEM;
	}
	HASH_ADD(hh, m->by_index, index, sizeof(e->index), e);
	m->n++;
	return 0;
}

/* one trace event: a node's kernel time names it, anything else is skipped */
static int add_event(struct nnp_node_names *m, json_object *ev)
{
	const char *cat = member_str(ev, "cat"), *name = member_str(ev, "name");
	size_t len, slen = strlen(KERNEL_SUFFIX);
	json_object *args;
	uint64_t index;

	if (!cat || strcmp(cat, "Node") || !name)
		return 0;
	len = strlen(name);
	if (len <= slen || strcmp(name + len - slen, KERNEL_SUFFIX))
		return 0;
	if (!json_object_object_get_ex(ev, "args", &args) || node_index(args, &index))
		return 0;
	return add(m, index, name, len - slen, member_str(args, "op_name"));
}

/* ORT writes a JSON array of trace events; Chrome's {"traceEvents": [...]} is taken too */
static json_object *events_of(json_object *doc)
{
	json_object *ev;

	if (json_object_is_type(doc, json_type_array))
		return doc;
	if (json_object_is_type(doc, json_type_object) &&
	    json_object_object_get_ex(doc, "traceEvents", &ev) &&
	    json_object_is_type(ev, json_type_array))
		return ev;
	return NULL;
}

/* the document, NULL for a JSON null; 0, -errno (err says why) */
static int parse(const char *path, json_object **doc, char *err, size_t errlen)
{
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;
	size_t len = 0;
	char *buf;

	if (fd < 0 || (ret = nnp_read_bounded(fd, (size_t)MAX_PROFILE_MIB << 20, &buf, &len))) {
		ret = fd < 0 ? -errno : ret;
		if (ret == -EFBIG)
			snprintf(err, errlen,
				 "%s: over %d MiB: profile fewer runs (one names every node)", path,
				 MAX_PROFILE_MIB);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		if (fd >= 0)
			close(fd);
		return ret;
	}
	close(fd);
	tok = json_tokener_new();
	if (!tok) {
		free(buf);
		snprintf(err, errlen, "%s: %s", path, strerror(ENOMEM));
		return -ENOMEM;
	}
	*doc = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	free(buf);
	if (*doc || jerr == json_tokener_success)
		return 0;
	/* "continue": the text ended inside a value, or before one */
	snprintf(err, errlen, "%s: not a JSON file: %s", path,
		 !len				 ? "empty"
		 : jerr == json_tokener_continue ? "it ends inside a value"
						 : json_tokener_error_desc(jerr));
	return -EINVAL;
}

int nnp_node_names_load(const char *path, struct nnp_node_names *m, char *err, size_t errlen)
{
	json_object *doc = NULL, *events;
	int ret;

	memset(m, 0, sizeof(*m));
	ret = parse(path, &doc, err, errlen);
	if (ret)
		return ret;
	events = events_of(doc);
	for (size_t i = 0; events && !ret && i < json_object_array_length(events); i++)
		ret = add_event(m, json_object_array_get_idx(events, i));
	json_object_put(doc);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		nnp_node_names_free(m);
		return ret;
	}
	if (!m->n) {
		snprintf(
		    err, errlen,
		    "%s: no ONNX Runtime node events (\"cat\": \"Node\", NAME_kernel_time with "
		    "node_index): not an ORT profile",
		    path);
		return -EINVAL;
	}
	return 0;
}

const struct nnp_node_name *nnp_node_names_find(const struct nnp_node_names *m, uint64_t index)
{
	struct nnp_node_name *e = NULL;

	if (m)
		HASH_FIND(hh, m->by_index, &index, sizeof(index), e);
	return e;
}

void nnp_node_names_free(struct nnp_node_names *m)
{
	struct nnp_node_name *e, *tmp;

	HASH_ITER(hh, m->by_index, e, tmp) {
		HASH_DEL(m->by_index, e);
		free(e->name);
		free(e->op);
		free(e);
	}
	m->n = 0;
}
