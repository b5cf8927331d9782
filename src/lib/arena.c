#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

/* Full-size chunks come straight from mmap so that a replaced snapshot's
 * memory goes back to the system instead of staying in malloc's heap; they
 * are populated at once, which costs far less than a fault per page.
 * Chunks grow from ARENA_FIRST to ARENA_CHUNK as the arena does, and the
 * smaller ones come from calloc: a small YAML document (one devices.d
 * file, of which a fleet has thousands) used to populate and unmap a
 * whole megabyte, and an munmap's TLB flush alone costs tens of
 * microseconds on a virtual machine; at 1,000 devices that was most of a
 * load (`deskprov check`: 1.19 s before, 0.09 s after). */
#define ARENA_FIRST	(16 * 1024)
#define ARENA_CHUNK	(1024 * 1024)

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 used;
	size_t			 size;
	int			 mapped;	/* mmap, else calloc */
	alignas(max_align_t) unsigned char data[];
};

/* The next chunk's size: as much as the arena holds so far (so chunks
 * double), within ARENA_FIRST..a->chunk (ARENA_CHUNK unless the arena
 * was made smaller), and n alone when n is large. */
static size_t
chunk_size(const struct arena *a, size_t n)
{
	size_t size = ARENA_FIRST, cap = a->chunk ? a->chunk : ARENA_CHUNK;

	if (n > cap / 4)
		return n;
	while (size < cap && (size < a->total || size < n * 4))
		size *= 2;
	return size;
}

/* A zero-filled chunk of size bytes; aborts when memory is out. */
static struct arena_chunk *
chunk_new(size_t size)
{
	struct arena_chunk *c;
	int mapped = size >= ARENA_CHUNK;

	if (mapped) {
		c = mmap(NULL, sizeof(*c) + size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (c == MAP_FAILED)
			c = NULL;
	} else
		c = calloc(1, sizeof(*c) + size);
	if (c == NULL) {
		fprintf(stderr, "deskprov: out of memory (arena)\n");
		abort();
	}
	c->size = size;
	c->used = 0;
	c->mapped = mapped;
	return c;
}

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
	a->chunk = ARENA_CHUNK;
	a->region = NULL;
	a->region_cap = a->region_used = a->region_ready = 0;
}

void
arena_init_region(struct arena *a, void *base, size_t cap)
{
	arena_init(a);
	a->region = base;
	a->region_cap = cap;
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23	/* Linux 5.14 */
#endif
#define REGION_STEP	((size_t)16 << 20)

/* Populates the region ahead of the bump pointer, 16 MB at a time: one
 * call instead of a fault per page (a million phones' image is 700 MB).
 * An older kernel refuses the advice and the pages fault in as before. */
static void
region_populate(struct arena *a)
{
	size_t from = a->region_ready, len = REGION_STEP;

	while (a->region_ready < a->region_used)
		a->region_ready += REGION_STEP;
	len = a->region_ready - from;
	if (a->region_ready > a->region_cap) {
		a->region_ready = a->region_cap;
		len = a->region_cap - from;
	}
	(void)madvise(a->region + from, len, MADV_POPULATE_WRITE);
}

static void *
region_alloc(struct arena *a, size_t n, size_t align)
{
	size_t pad = (align - a->region_used % align) % align;

	if (a->region_cap - a->region_used < pad ||
	    a->region_cap - a->region_used - pad < n) {
		fprintf(stderr, "deskprov: out of memory (snapshot image "
		    "region of %zu bytes)\n", a->region_cap);
		abort();
	}
	a->region_used += pad + n;
	a->total += n;
	if (a->region_used > a->region_ready)
		region_populate(a);
	return a->region + a->region_used - n;
}

void
arena_init_sized(struct arena *a, size_t chunk)
{
	arena_init(a);
	if (chunk > 0)
		a->chunk = chunk;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (c->mapped)
			munmap(c, sizeof(*c) + c->size);
		else
			free(c);
	}
	arena_init_sized(a, a->chunk);
}

static void *
arena_alloc_aligned(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t size, pad;

	if (a->region != NULL)
		return region_alloc(a, n, align);
	pad = c ? (align - c->used % align) % align : 0;
	if (c == NULL || c->size - c->used < n + pad) {
		size = chunk_size(a, n);
		c = chunk_new(size);
		/* A large allocation gets its own chunk behind the current
		 * one, so the current chunk's free space is not wasted. */
		if (size == n && a->head != NULL) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	} else
		c->used += pad;
	c->used += n;
	a->total += n;
	return c->data + c->used - n;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	return arena_alloc_aligned(a, n, alignof(max_align_t));
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	/* Chunks come zero-filled (mmap, calloc) and are never reused. */
	p = arena_alloc(a, n * size);
	return p;
}

/* Text needs no alignment: from the current chunk at once when it has
 * room (every name and value of a report comes here). */
char *
arena_alloc_bytes(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;

	if (a->region == NULL && c != NULL && c->size - c->used >= n) {
		c->used += n;
		a->total += n;
		return (char *)c->data + c->used - n;
	}
	return arena_alloc_aligned(a, n, 1);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc_bytes(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
