/* A string-keyed hash table with open addressing.  Keys are borrowed: the
 * caller keeps them alive (in a snapshot they live in its arena). */
#ifndef DESKPROV_STRMAP_H
#define DESKPROV_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"	/* hash_bytes(), which the table uses */

struct strmap_slot {
	const char	*key;
	void		*value;
	uint32_t	 len;
	uint32_t	 hash;	/* low bits of the key's hash */
};

struct strmap {
	struct strmap_slot	*slots;
	size_t			 cap;	/* power of two */
	size_t			 n;
};

void	 strmap_init(struct strmap *, size_t expected);
void	 strmap_free(struct strmap *);
/* Keys are at most UINT32_MAX bytes.  Inserts key → value unless the key is present; returns the value already
 * stored in that case, NULL after an insertion. */
void	*strmap_put(struct strmap *, const char *key, size_t len, void *value);
void	*strmap_get(const struct strmap *, const char *key, size_t len);

#endif
