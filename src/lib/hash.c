#include <string.h>

#include "hash.h"

uint64_t
hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= UINT64_C(0x100000001b3);
	}
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
