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

struct arena;

struct strmap {
	struct strmap_slot	*slots;
	size_t			 cap;	/* power of two */
	size_t			 n;
	struct arena		*arena;	/* slots from here; NULL: the heap */
};

void	 strmap_init(struct strmap *, size_t expected);
/* The same with the slots in an arena (borrowed; it outlives the map),
 * so that a snapshot image holds the table where it was built, and the
 * fleet's index is neither on the heap nor copied.  Growing leaves the
 * old slots to the arena; strmap_free() forgets them. */
void	 strmap_init_arena(struct strmap *, size_t expected, struct arena *);
void	 strmap_free(struct strmap *);
/* Keys are at most UINT32_MAX bytes.  Inserts key → value unless the key is present; returns the value already
 * stored in that case, NULL after an insertion. */
void	*strmap_put(struct strmap *, const char *key, size_t len, void *value);
void	*strmap_get(const struct strmap *, const char *key, size_t len);

/* The hash the table keeps for a key.  A caller that looks one name up in
 * several tables (a report's parameter names: its own index, the
 * comparison, cmpnames.h) computes it once and passes it to the _hashed
 * forms, which behave as the plain ones given that hash. */
uint32_t strmap_hash(const char *key, size_t len);
void	*strmap_put_hashed(struct strmap *, const char *key, size_t len,
	    uint32_t hash, void *value);
void	*strmap_get_hashed(const struct strmap *, const char *key, size_t len,
	    uint32_t hash);

#endif
