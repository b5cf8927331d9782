#include <string.h>

#include "hash.h"

#define FNV_PRIME	UINT64_C(0x100000001b3)

/* Four bytes a round: the same FNV-1a, with less loop per byte (every
 * parameter name of a report is hashed once on ingest). */
uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;

	for (; n - i >= 4; i += 4) {
		h = (h ^ s[i]) * FNV_PRIME;
		h = (h ^ s[i + 1]) * FNV_PRIME;
		h = (h ^ s[i + 2]) * FNV_PRIME;
		h = (h ^ s[i + 3]) * FNV_PRIME;
	}
	for (; i < n; i++)
		h = (h ^ s[i]) * FNV_PRIME;
	return h;
}

uint64_t
hash_words(uint64_t h, const void *p, size_t n)
{
	const uint64_t k = UINT64_C(0x9e3779b97f4a7c15);
	uint64_t lane[4] = { 1, 2, 3, 4 }, w;
	const unsigned char *c = p;
	size_t i = 0;

	/* Four lanes, so that the multiplications overlap. */
	for (; i + 32 <= n; i += 32)
		for (int j = 0; j < 4; j++) {
			memcpy(&w, c + i + 8 * j, 8);
			lane[j] = (lane[j] ^ w) * k;
			lane[j] ^= lane[j] >> 29;
		}
	h = hash_bytes(h, lane, sizeof(lane));
	h = hash_bytes(h, c + i, n - i);
	return hash_bytes(h, &n, sizeof(n));
}
