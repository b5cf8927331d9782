#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "cmpnames.h"
#include "hash.h"
#include "report.h"
#include "secret.h"
#include "strmap.h"

/* The process's table: name → flags + 1 (so that 0 means absent); the
 * names are copied into the arena. */
static struct {
	int		 ready;
	const struct comparison_settings *bound;
	uint64_t	 fingerprint;
	struct strmap	 map;
	struct arena	 names;
	uint64_t	 id;	/* of this table, for memos; never 0 */
} cache;

static uint64_t
list_hash(uint64_t h, const struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		h = hash_bytes(h, l->items[i], strlen(l->items[i]) + 1);
	return hash_bytes(h, "\n", 1);
}

/* Everything the flags depend on; the NULL settings hash differently
 * from empty ones, since without settings no list applies. */
static uint64_t
fingerprint(const struct comparison_settings *cmp)
{
	uint64_t h = hash_bytes(HASH_SEED, cmp ? "s" : "-", 1);

	if (cmp == NULL)
		return h;
	h = list_hash(h, &cmp->blacklist);
	h = list_hash(h, &cmp->secrets);
	h = list_hash(h, &cmp->case_insensitive);
	return list_hash(h, &cmp->booleans);
}

void
cmpnames_reset(void)
{
	if (cache.ready) {
		strmap_free(&cache.map);
		arena_free(&cache.names);
	}
	cache.ready = 0;
	cache.bound = NULL;
}

static void
start(uint64_t fp)
{
	cmpnames_reset();
	strmap_init(&cache.map, 2048);
	arena_init(&cache.names);
	cache.fingerprint = fp;
	cache.ready = 1;
	cache.id++;
}

void
cmpnames_bind(const struct comparison_settings *cmp)
{
	uint64_t fp = fingerprint(cmp);

	if (!cache.ready || cache.fingerprint != fp)
		start(fp);
	cache.bound = cmp;
}

static unsigned
decide(const struct comparison_settings *cmp, const char *name)
{
	unsigned f = secret_name(name, cmp) ? CMPNAME_SECRET : 0;

	if (cmp == NULL)
		return f;
	if (namelist_match(&cmp->blacklist, name))
		f |= CMPNAME_BLACKLISTED;
	if (namelist_match(&cmp->booleans, name))
		f |= CMPNAME_BOOLEAN;
	if (namelist_match(&cmp->case_insensitive, name))
		f |= CMPNAME_CASELESS;
	return f;
}

unsigned
cmpnames_flags_hashed(const struct comparison_settings *cmp, const char *name,
    size_t n, uint32_t hash)
{
	uintptr_t v;
	char *key;

	if (!cache.ready || cmp != cache.bound)
		cmpnames_bind(cmp);
	if (cache.map.n >= CMPNAMES_MAX)
		start(cache.fingerprint);
	if ((v = (uintptr_t)strmap_get_hashed(&cache.map, name, n, hash)) != 0)
		return (unsigned)(v - 1);
	v = decide(cmp, name);
	key = arena_strndup(&cache.names, name, n);
	strmap_put_hashed(&cache.map, key, n, hash, (void *)(v + 1));
	return (unsigned)v;
}

unsigned
cmpnames_flags_param(const struct comparison_settings *cmp,
    struct report_param *p)
{
	unsigned f;

	if (!cache.ready || cmp != cache.bound)
		cmpnames_bind(cmp);
	if (p->cmp_table == cache.id)
		return p->cmp_flags;
	f = cmpnames_flags_hashed(cmp, p->name, p->name_len, p->name_hash);
	p->cmp_flags = (uint8_t)f;
	p->cmp_table = cache.id;
	return f;
}

unsigned
cmpnames_flags(const struct comparison_settings *cmp, const char *name)
{
	size_t n = strlen(name);

	return cmpnames_flags_hashed(cmp, name, n, strmap_hash(name, n));
}
