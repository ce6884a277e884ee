/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Releasing uprobe links costs the kernel a grace period each: a detached
 * grandchild holding copies of the descriptors pays it while
 * nnperf goes on; every attach (of any nnperf) waits until those releases are
 * over (link_release.c says why).
 */
#ifndef NNP_LINK_RELEASE_H
#define NNP_LINK_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "session.h"

/* closes the links' attachments in the background, one after another or, PARALLEL,
 * side by side (a budget's detach: its probes stop trapping at once); they are
 * left unset (recipes kept) */
void nnp_links_release(struct nnp_link *links, size_t n, bool parallel);
/* until every background release of any nnperf has finished */
void nnp_links_wait_releases(void);

#endif
