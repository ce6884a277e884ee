// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Links that can be made again: what each attach needs (a recipe), and the
 * budget's switch that detaches a layer probe's links and attaches them again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "layer.skel.h"
#include "link_release.h"
#include "session_priv.h"
#include "uprobe_multi.h"

static int attach_uprobe(struct nnp_session *s, const struct nnp_link_recipe *r,
			 struct nnp_link *out)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = r->cookies[0], .retprobe = r->ret);

	out->link = bpf_program__attach_uprobe_opts(s->skel->progs.nnp_uprobe, r->pid ? r->pid : -1,
						    r->path, r->offs[0], &opts);
	return out->link ? 0 : (-errno ? -errno : -EINVAL);
}

static int attach_usdt(struct nnp_session *s, const struct nnp_link_recipe *r, struct nnp_link *out)
{
	LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = r->idx);

	out->link = bpf_program__attach_usdt(s->skel->progs.nnp_usdt, r->pid ? r->pid : -1, r->path,
					     r->provider, r->name, &opts);
	return out->link ? 0 : (-errno ? -errno : -EINVAL);
}

int nnp_recipe_attach(struct nnp_session *s, const struct nnp_link_recipe *r, struct nnp_link *out)
{
	int fd;

	*out = (struct nnp_link){ .fd = -1 };
	nnp_links_wait_releases();
	switch (r->kind) {
	case NNP_RECIPE_UPROBE:
		return attach_uprobe(s, r, out);
	case NNP_RECIPE_USDT:
		return attach_usdt(s, r, out);
	case NNP_RECIPE_MULTI:
		fd = nnp_uprobe_multi_link(bpf_program__fd(s->skel->progs.nnp_uprobe_multi),
					   r->path, r->offs, r->cookies, r->n, r->pid, r->ret);
		if (fd < 0)
			return fd;
		out->fd = fd;
		return 0;
	}
	return -EINVAL;
}

static void *dup_mem(const void *p, size_t len)
{
	void *c = p ? malloc(len ? len : 1) : NULL;

	if (c)
		memcpy(c, p, len);
	return c;
}

struct nnp_link_recipe *nnp_recipe_dup(const struct nnp_link_recipe *r)
{
	struct nnp_link_recipe *c = malloc(sizeof(*c));

	if (!c)
		return NULL;
	*c = *r;
	c->path = r->path ? strdup(r->path) : NULL;
	c->provider = r->provider ? strdup(r->provider) : NULL;
	c->name = r->name ? strdup(r->name) : NULL;
	c->offs = dup_mem(r->offs, r->n * sizeof(*r->offs));
	c->cookies = dup_mem(r->cookies, r->n * sizeof(*r->cookies));
	if ((r->path && !c->path) || (r->provider && !c->provider) || (r->name && !c->name) ||
	    (r->offs && !c->offs) || (r->cookies && !c->cookies)) {
		nnp_recipe_free(c);
		return NULL;
	}
	return c;
}

void nnp_recipe_free(struct nnp_link_recipe *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->provider);
	free(r->name);
	free(r->offs);
	free(r->cookies);
	free(r);
}

static bool wanted(const struct nnp_link *l, const uint32_t *ids, size_t n, enum nnp_link_part part)
{
	if (!l->recipe || l->recipe->part != part)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ids[i] == l->recipe->probe_id)
			return true;
	return false;
}

/* one background release for all of them: the link entries stay, without a link */
static int detach(struct nnp_link *links, size_t nlinks, const uint32_t *ids, size_t n,
		  enum nnp_link_part part)
{
	struct nnp_link *v = malloc((nlinks ? nlinks : 1) * sizeof(*v));
	size_t nv = 0;

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < nlinks; i++) {
		struct nnp_link *l = &links[i];

		if (!wanted(l, ids, n, part) || (!l->link && l->fd < 0))
			continue;
		v[nv++] = (struct nnp_link){ .link = l->link, .fd = l->fd };
		l->link = NULL;
		l->fd = -1;
	}
	nnp_links_release(v, nv, true);
	free(v);
	return 0;
}

static int attach(struct nnp_session *s, struct nnp_link *links, size_t nlinks, const uint32_t *ids,
		  size_t n, enum nnp_link_part part)
{
	int err = 0;

	for (size_t i = 0; i < nlinks; i++) {
		struct nnp_link *l = &links[i], made;
		int e;

		if (!wanted(l, ids, n, part) || l->link || l->fd >= 0)
			continue;
		e = nnp_recipe_attach(s, l->recipe, &made);
		if (e && !err)
			err = e;
		if (!e) {
			l->link = made.link;
			l->fd = made.fd;
		}
	}
	return err;
}

int nnp_links_toggle(struct nnp_session *s, struct nnp_link *links, size_t nlinks,
		     const uint32_t *ids, size_t n, enum nnp_link_part part, bool on)
{
	if (!s->budget)
		return -EINVAL;
	return on ? attach(s, links, nlinks, ids, n, part) : detach(links, nlinks, ids, n, part);
}

int nnp_session_toggle(struct nnp_session *s, const uint32_t *ids, size_t n,
		       enum nnp_link_part part, bool on)
{
	return nnp_links_toggle(s, s->links, s->nlinks, ids, n, part, on);
}

void nnp_links_destroy(struct nnp_link *links, size_t n)
{
	nnp_links_release(links, n, false);
	for (size_t i = 0; i < n; i++) {
		nnp_recipe_free(links[i].recipe);
		links[i].recipe = NULL;
	}
}
