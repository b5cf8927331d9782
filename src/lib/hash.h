/* The one non-cryptographic hash: 64-bit FNV-1a, for hash tables, ETags
 * and change detection (never for secrets: secret.h has the keyed one). */
#ifndef DESKPROV_HASH_H
#define DESKPROV_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_SEED	UINT64_C(0xcbf29ce484222325)	/* FNV offset basis */

/* FNV-1a of p[0..n), continued from `h` (start with HASH_SEED), so that
 * several pieces hash as one. */
uint64_t	hash_bytes(uint64_t h, const void *p, size_t n);
/* The same job for many bytes (a file, a snapshot image): a multiply-xor
 * over 64-bit words in four lanes, several GB/s where FNV-1a's one
 * multiplication per byte does well under one, continued from h.  Not
 * hash_bytes()'s value: a hash kept over time stays with one of them. */
uint64_t	hash_words(uint64_t h, const void *p, size_t n);

#endif
