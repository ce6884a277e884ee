// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>

#include "capstone_dl.h"
#include "log.h"

static void *handle;
static struct nnp_capstone api;

#define BIND(field, sym) ((*(void **)&api.field = dlsym(handle, #sym)) != NULL)

static bool bind_all(void)
{
	return BIND(open, cs_open) && BIND(option, cs_option) && BIND(disasm, cs_disasm) &&
	       BIND(disasm_iter, cs_disasm_iter) && BIND(malloc, cs_malloc) &&
	       BIND(free, cs_free) && BIND(close, cs_close) && BIND(insn_group, cs_insn_group) &&
	       BIND(regs_access, cs_regs_access);
}

const struct nnp_capstone *nnp_capstone(void)
{
	static bool said;
	char name[32];

	if (handle)
		return &api;
	snprintf(name, sizeof(name), "libcapstone.so.%d", CS_API_MAJOR);
	handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	if (handle && bind_all())
		return &api;
	if (!said)
		nnp_warn("cannot load %s (%s): probes stay on functions' first byte and "
			 "stripped ONNX Runtime builds get per-inference data only",
			 name, handle ? "a function is missing" : dlerror());
	said = true;
	nnp_capstone_release();
	return NULL;
}

void nnp_capstone_release(void)
{
	if (handle)
		dlclose(handle);
	handle = NULL;
}
