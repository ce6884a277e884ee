/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * For harnesses whose input goes through json-c. Its default string hash is
 * seeded from /dev/urandom, so which keys meet in a bucket, and so which
 * strcmp calls libFuzzer sees and learns from, differs from run to run: the
 * same seed would fuzz differently. Perl's hash is a fixed function.
 */
#ifndef NNP_FUZZ_JSON_H
#define NNP_FUZZ_JSON_H

#include <json-c/linkhash.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return json_global_set_string_hash(JSON_C_STR_HASH_PERLLIKE);
}

#endif
