#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "strmap.h"

static struct strmap_slot *
new_slots(const struct strmap *m, size_t cap)
{
	return m->arena != NULL ? arena_calloc(m->arena, cap,
	    sizeof(struct strmap_slot)) : xcalloc(cap,
	    sizeof(struct strmap_slot));
}

void
strmap_init_arena(struct strmap *m, size_t expected, struct arena *a)
{
	size_t cap = 16;

	while (cap / 4 * 3 < expected)
		cap *= 2;
	m->arena = a;
	m->slots = new_slots(m, cap);
	m->cap = cap;
	m->n = 0;
}

void
strmap_init(struct strmap *m, size_t expected)
{
	strmap_init_arena(m, expected, NULL);
}

void
strmap_free(struct strmap *m)
{
	if (m->arena == NULL)
		free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

static struct strmap_slot *
find_slot(const struct strmap *m, const char *key, size_t len, uint32_t h)
{
	size_t mask = m->cap - 1, i = (size_t)h & mask;
	struct strmap_slot *s;

	for (;;) {
		s = &m->slots[i];
		if (s->key == NULL || (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0))
			return s;
		i = (i + 1) & mask;
	}
}

static void
grow(struct strmap *m)
{
	struct strmap_slot *old = m->slots, *s;
	size_t oldcap = m->cap, i;

	m->cap *= 2;
	m->slots = new_slots(m, m->cap);
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		s = find_slot(m, old[i].key, old[i].len, old[i].hash);
		*s = old[i];
	}
	if (m->arena == NULL)
		free(old);
}

uint32_t
strmap_hash(const char *key, size_t len)
{
	return (uint32_t)hash_bytes(HASH_SEED, key, len);
}

void *
strmap_put_hashed(struct strmap *m, const char *key, size_t len, uint32_t h,
    void *value)
{
	struct strmap_slot *s;

	/* Linear probing stays short up to three quarters full. */
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = find_slot(m, key, len, h);
	if (s->key != NULL)
		return s->value;
	s->key = key;
	s->len = (uint32_t)len;
	s->hash = h;
	s->value = value;
	m->n++;
	return NULL;
}

void *
strmap_put(struct strmap *m, const char *key, size_t len, void *value)
{
	return strmap_put_hashed(m, key, len, strmap_hash(key, len), value);
}

void *
strmap_get_hashed(const struct strmap *m, const char *key, size_t len,
    uint32_t h)
{
	struct strmap_slot *s;

	if (m->cap == 0)
		return NULL;
	s = find_slot(m, key, len, h);
	return s->key != NULL ? s->value : NULL;
}

void *
strmap_get(const struct strmap *m, const char *key, size_t len)
{
	return strmap_get_hashed(m, key, len, strmap_hash(key, len));
}
