/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The SITE part of a probe definition: LIB:SYMBOL[+OFF], LIB:OFF, usdt:LIB:PROVIDER:NAME. */
#ifndef NNP_PROBE_SITE_H
#define NNP_PROBE_SITE_H

#include <stddef.h>

#include "probe_spec.h"
#include "spec_lex.h"

/*
 * Parses the site at lx->p up to the first ',' outside (), <> and [] (C++
 * symbols and templates carry commas) into d->site, lib, symbol, offset,
 * provider and usdt_name; leaves lx->p at that ',' or at the end.
 */
int nnp_site_parse(struct nnp_lex *lx, struct nnp_probe_def *d);

/* Writes d's site in the form nnp_site_parse reads back; 0, -EINVAL or -ENOSPC. */
int nnp_site_format(const struct nnp_probe_def *d, char *buf, size_t len);

#endif
