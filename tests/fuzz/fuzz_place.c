// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Probe placement on any bytes. capstone is loaded the way nnperf loads it
 * (nnp_capstone(): dlopen of the build's SONAME) and unloaded every so often,
 * as after each attach batch. The placement must stay inside the code, name
 * its instruction, and call it emulated only if the kernel emulates it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capstone_dl.h"
#include "fuzz_util.h"
#include "placement.h"
#include "x86_oracle.h"

#define RELEASE_EVERY 1024 /* inputs between unloads of capstone */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!nnp_capstone()) {
		fprintf(stderr, "fuzz_place: capstone cannot be loaded: nothing to fuzz\n");
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	struct nnp_placement pl;
	size_t k;
	int err;

	memset(&pl, 0xa5, sizeof(pl)); /* nothing may be left from before the call */
	err = nnp_place_code(NNP_EM_X86_64, data, size, &pl);
	if (err && (err != -EINVAL || pl.skip || pl.emulated || pl.mnemonic[0]))
		abort(); /* undecodable: stay at the entry */
	if (!memchr(pl.mnemonic, '\0', sizeof(pl.mnemonic)) || pl.skip > size)
		abort();
	if (!err && (!pl.mnemonic[0] || pl.skip >= size))
		abort(); /* a decoded instruction, inside the code */
	if (pl.emulated) {
		k = kernel_emulates(data + pl.skip, size - pl.skip);
		if (!k || pl.skip + k > size)
			abort();
	}
	if (++runs % RELEASE_EVERY == 0)
		nnp_capstone_release();
	return 0;
}
