/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Deterministic numbers for weights and inputs: splitmix64, same on every host. */
#include "tinynet.h"

uint64_t tinynet_rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

float tinynet_rng_uniform(uint64_t *state, float lo, float hi)
{
	/* 24 random bits: exactly representable, so the float is the same everywhere */
	float u = (float)(tinynet_rng_next(state) >> 40) / (float)(1u << 24);

	return lo + (hi - lo) * u;
}

void tinynet_input_fill(float *x, uint64_t seed, uint64_t index)
{
	uint64_t state = seed ^ (0xa5a5a5a5deadbeefULL + index * 0x9e3779b97f4a7c15ULL);

	for (int i = 0; i < TINYNET_INPUT_ELEMS; i++)
		x[i] = tinynet_rng_uniform(&state, -1.0f, 1.0f);
}
