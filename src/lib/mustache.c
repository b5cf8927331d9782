/* What the Mustache parser and renderer share: limits, error messages and
 * the per-template memory pool.  The parser is in mustache_parse.c, the
 * renderer in mustache_render.c. */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mustache_impl.h"

struct pool_chunk {
	struct pool_chunk	*next;
	size_t			 used;
	size_t			 size;
	alignas(max_align_t) unsigned char data[];
};

#define POOL_MIN	1024
#define POOL_MAX	(256 * 1024)

void
mustache_limits(const struct mustache_opts *o, struct mustache_limits *l)
{
	static const struct mustache_opts none;

	if (o == NULL)
		o = &none;
	l->max_template = o->max_template ? o->max_template :
	    MUSTACHE_TEMPLATE_MAX;
	l->max_output = o->max_output ? o->max_output : MUSTACHE_OUTPUT_MAX;
	l->max_depth = o->max_depth ? o->max_depth : MUSTACHE_DEPTH_MAX;
	if (l->max_depth > MUSTACHE_DEPTH_LIMIT)
		l->max_depth = MUSTACHE_DEPTH_LIMIT;
	l->max_steps = o->max_steps ? o->max_steps : MUSTACHE_STEPS_MAX;
}

void
mustache_quote(char *dst, size_t max, const char *s, size_t n)
{
	size_t i, k = n < max ? n : max;

	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (k < n) {
		memcpy(dst + k, "...", 3);
		k += 3;
	}
	dst[k] = '\0';
}

/* The first chunk is sized from the template (`hint`), so that a small
 * template costs one small allocation; later chunks double. */
void
pool_init(struct pool *p, size_t hint)
{
	p->head = NULL;
	p->next_size = hint < POOL_MIN ? POOL_MIN :
	    hint > POOL_MAX ? POOL_MAX : hint;
}

void
pool_free(struct pool *p)
{
	struct pool_chunk *c, *next;

	for (c = p->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	p->head = NULL;
}

void *
pool_alloc(struct pool *p, size_t n)
{
	struct pool_chunk *c = p->head;
	size_t align = alignof(max_align_t), size;
	void *ret;

	n = (n + align - 1) / align * align;
	if (c == NULL || c->size - c->used < n) {
		size = n > p->next_size ? n : p->next_size;
		if (p->next_size < POOL_MAX)
			p->next_size *= 2;
		c = xmalloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		c->next = p->head;
		p->head = c;
	}
	ret = c->data + c->used;
	c->used += n;
	memset(ret, 0, n);
	return ret;
}

char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	char *d = pool_alloc(p, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void
mustache_free(struct mustache *t)
{
	struct pool pool;

	if (t == NULL)
		return;
	/* The template lives in its own pool. */
	pool = t->pool;
	pool_free(&pool);
}

const char *
mustache_name(const struct mustache *t)
{
	return t->name;
}

int
mustache_render_text(const char *src, size_t len, const char *name,
    json_object *data, const struct mustache_opts *opts, struct buf *out,
    struct diag *err)
{
	struct mustache *t;
	int rc;

	if ((t = mustache_parse(src, len, name, opts, err)) == NULL)
		return -1;
	rc = mustache_render(t, data, opts, out, err);
	mustache_free(t);
	return rc;
}
