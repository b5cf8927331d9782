/* A bump allocator: everything a config snapshot holds lives in one arena
 * and is released at once when the snapshot is replaced. */
#ifndef DESKPROV_ARENA_H
#define DESKPROV_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
	size_t			 total;	/* bytes handed out, for statistics */
	size_t			 chunk;	/* bytes a new chunk holds; 0: 1 MiB */
	/* A region arena (arena_init_region) bumps inside this instead. */
	unsigned char		*region;
	size_t			 region_cap;
	size_t			 region_used;
	size_t			 region_ready;	/* populated up to here */
};

void	 arena_init(struct arena *);
/* An arena whose chunks hold `chunk` bytes: for short-lived arenas (one
 * report) that would never fill the 1 MiB a snapshot's chunks hold, each
 * populated page of which costs the kernel a zeroed page. */
void	 arena_init_sized(struct arena *, size_t chunk);

/* An arena inside [base, base + cap), zero-filled memory the caller owns
 * (a snapshot image being compiled, snapfile.h): everything allocated
 * from it has an address the image keeps.  arena_free() forgets the
 * region without unmapping it.  Running out of it aborts, like running
 * out of memory. */
void	 arena_init_region(struct arena *, void *base, size_t cap);
void	 arena_free(struct arena *);
/* Memory borrowed until arena_free(); aligned for any type. */
void	*arena_alloc(struct arena *, size_t);
void	*arena_calloc(struct arena *, size_t n, size_t size);
char	*arena_strndup(struct arena *, const char *, size_t);
/* n bytes with no alignment (text), borrowed until arena_free(). */
char	*arena_alloc_bytes(struct arena *, size_t n);

#endif
