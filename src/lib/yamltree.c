#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "atomicfile.h"
#include "buf.h"
#include "strmap.h"
#include "yamltree.h"

/* A collection under construction: its children collect in a heap vector
 * and move into the arena when the collection ends. */
struct frame {
	struct ynode	 *node;
	char		 *anchor;
	struct ynode	**kids;
	size_t		  n, cap;
	uint64_t	  expanded;	/* 1 + the children's so far */
	/* The streamed section (ydoc_stream_string): its entries go to the
	 * consumer, not into kids; key is the entry's key until its value
	 * ends. */
	int		  section;
	struct ynode	 *key;
};

struct builder {
	struct ydoc	*doc;
	struct frame	 stack[YAML_MAX_DEPTH];
	int		 depth;
	struct strmap	 anchors;	/* name → completed node */
	struct diag	*err;
	/* Where new nodes go: the document's arena, or while a section is
	 * streamed (in_section), doc->entries, emptied between entries
	 * unless an anchor was set in one (keep_entries: an alias may name
	 * it later). */
	int		 in_section;
	int		 keep_entries;
	/* Streaming (ydoc_stream_string): the section's key (NULL: the
	 * whole tree), the consumer, and why the parse stopped early. */
	const char	*section;
	ydoc_entry_fn	 fn;
	void		*ctx;
	int		 stopped;	/* YDOC_STREAM_STOPPED / _CANNOT */
	/* The budget (yamltree.h) and what is spent: the open frames'
	 * expanded nodes, and the bytes of their kid vectors. */
	uint64_t	 max_nodes, nodes;
	size_t		 max_bytes, heap;
};

/* arg, when given, is bytes of the file (a key, an anchor name): quoted
 * only when it is a valid key name. */
static int
fail(struct builder *b, int line, const char *msg, const char *arg)
{
	return diag_set(b->err, NULL, line > 0 ? (unsigned)line : 0, 0,
	    "%s%s%s", msg, arg ? " " : "", arg ? DIAG_Q(arg) : "");
}

/* Memory a load may still take: fails unless `more` bytes fit beside the
 * arena and the open collections' vectors.  Checked before allocating. */
static int
spend_bytes(struct builder *b, size_t more, int line)
{
	char msg[160];

	if (b->doc->arena.total + b->doc->entries.used + b->heap + more <=
	    b->max_bytes &&
	    more <= b->max_bytes)
		return 0;
	snprintf(msg, sizeof(msg), "the file needs more than %zu MB to load "
	    "(the budget is %d bytes per byte of the file, plus %d MB)",
	    b->max_bytes >> 20, YDOC_BYTES_PER_BYTE, YDOC_BYTES_BASE >> 20);
	return fail(b, line, msg, NULL);
}

static int
spend_nodes(struct builder *b, uint64_t more, int line)
{
	char msg[200];

	b->nodes += more;
	if (b->nodes <= b->max_nodes)
		return 0;
	snprintf(msg, sizeof(msg), "aliases and merge keys expand to more "
	    "than %llu nodes (the budget is %d per byte of the file, plus "
	    "%d)", (unsigned long long)b->max_nodes, YDOC_NODES_PER_BYTE,
	    YDOC_NODES_BASE);
	return fail(b, line, msg, NULL);
}

/* Adds a finished node (or an alias of one) to the open collection: its
 * expanded nodes count once more each time. */
static int	section_kid(struct builder *, struct frame *, struct ynode *,
		    int);

static int
push_kid(struct builder *b, struct frame *f, struct ynode *n, int line)
{
	if (f->section)
		return section_kid(b, f, n, line);
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		if (spend_bytes(b, (cap - f->cap) * sizeof(*f->kids), line) < 0)
			return -1;
		f->kids = xrealloc(f->kids, cap * sizeof(*f->kids));
		b->heap += (cap - f->cap) * sizeof(*f->kids);
		f->cap = cap;
	}
	f->kids[f->n++] = n;
	f->expanded += n->expanded;
	return spend_nodes(b, n->expanded, line);
}

/* Closes a frame's books: its vector leaves the heap count and its
 * expanded nodes leave the open total (the parent counts them anew). */
static void
frame_release(struct builder *b, struct frame *f)
{
	b->heap -= f->cap * sizeof(*f->kids);
	b->nodes -= f->expanded;
	free(f->kids);
	free(f->anchor);
	f->kids = NULL;
	f->anchor = NULL;
}

static int
remember_anchor(struct builder *b, const char *name, struct ynode *n)
{
	size_t len = strlen(name);
	char *key = arena_strndup(&b->doc->arena, name, len);

	if (b->in_section)
		b->keep_entries = 1;

	/* A later anchor of the same name replaces the earlier one (YAML
	 * spec); strmap keeps the first, so update in place. */
	if (strmap_put(&b->anchors, key, len, n) != NULL) {
		struct strmap_slot *s = b->anchors.slots;
		for (size_t i = 0; i < b->anchors.cap; i++)
			if (s[i].key && s[i].len == len &&
			    memcmp(s[i].key, key, len) == 0)
				s[i].value = n;
	}
	return 0;
}

/* Hands a finished node to its parent (or makes it the root). */
static int
attach(struct builder *b, struct ynode *n, const char *anchor)
{
	if (anchor != NULL)
		remember_anchor(b, anchor, n);
	if (b->depth == 0) {
		if (b->doc->root != NULL)
			return fail(b, n->line, "more than one document", NULL);
		b->doc->root = n;
		return 0;
	}
	return push_kid(b, &b->stack[b->depth - 1], n, n->line);
}

static int
is_merge_key(const struct ynode *k)
{
	return k->kind == YN_SCALAR && k->plain && strcmp(k->str, "<<") == 0;
}

/* Bytes of a section's entries kept before they are let go, and the
 * blocks of the pool they take. */
#define ENTRIES_KEEP	((size_t)256 << 10)
#define POOL_BLOCK	((size_t)64 << 10)

/* The entries' pool: blocks from the heap, zeroed as they are handed
 * out, kept when it is emptied and used again, so that a million
 * entries cost no allocation each (an arena's chunks, freed and taken
 * again, cost the heap's trim: an munmap and a TLB flush each time). */
struct ypool_block {
	struct ypool_block	*next;
	size_t			 used, size;
	_Alignas(max_align_t) unsigned char data[];
};

static void *
pool_alloc(struct ypool *p, size_t n)
{
	struct ypool_block *b = p->head, **spare = &p->spare;
	size_t at = b ? (b->used + 15) & ~(size_t)15 : 0;

	if (b == NULL || b->size < at || b->size - at < n) {
		while (*spare != NULL && (*spare)->size < n)
			spare = &(*spare)->next;
		if ((b = *spare) != NULL)
			*spare = b->next;
		else {
			size_t size = n > POOL_BLOCK ? n : POOL_BLOCK;
			b = xmalloc(sizeof(*b) + size);
			b->size = size;
		}
		b->next = p->head;
		p->head = b;
		at = 0;
	}
	b->used = at + n;
	p->used += n;
	memset(b->data + at, 0, n);
	return b->data + at;
}

/* Empties the pool, keeping its blocks for what comes next. */
static void
pool_reset(struct ypool *p)
{
	struct ypool_block *b, *next;

	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		b->used = 0;
		b->next = p->spare;
		p->spare = b;
	}
	p->head = NULL;
	p->used = 0;
}

static void
pool_free(struct ypool *p)
{
	struct ypool_block *b, *next;

	pool_reset(p);
	for (b = p->spare; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->spare = NULL;
}

/* n zeroed bytes where the builder's nodes go now. */
static void *
node_mem(struct builder *b, size_t n)
{
	return b->in_section ? pool_alloc(&b->doc->entries, n) :
	    arena_calloc(&b->doc->arena, 1, n);
}

/* One node of the streamed section: a key, kept until its value ends,
 * or a value, handed with its key to the consumer; then the entry's
 * nodes go, unless an anchor was set among them.  A merge key or a key
 * that is no scalar cannot be streamed (check_keys() and apply_merges()
 * need the whole mapping): the parse stops, and the caller loads the
 * whole tree instead. */
static int
section_kid(struct builder *b, struct frame *f, struct ynode *n, int line)
{
	f->expanded += n->expanded;
	if (spend_nodes(b, n->expanded, line) < 0)
		return -1;
	if (f->key == NULL) {
		if (n->kind != YN_SCALAR || is_merge_key(n)) {
			b->stopped = YDOC_STREAM_CANNOT;
			return -1;
		}
		f->key = n;
		return 0;
	}
	if (b->fn(b->ctx, f->key, n) < 0) {
		b->stopped = YDOC_STREAM_STOPPED;
		return -1;
	}
	f->key = NULL;
	if (!b->keep_entries && b->doc->entries.used > ENTRIES_KEEP)
		pool_reset(&b->doc->entries);
	return 0;
}

/* 1 when a mapping starting now is the section to stream: the value of
 * the top mapping's key named b->section. */
static int
is_section(const struct builder *b)
{
	const struct frame *top = &b->stack[0];
	const struct ynode *k;

	if (b->section == NULL || b->depth != 1 || top->node->kind != YN_MAP ||
	    top->n % 2 != 1)
		return 0;
	k = top->kids[top->n - 1];
	return k->kind == YN_SCALAR && strcmp(k->str, b->section) == 0;
}

/* Checks the explicit keys of a mapping for duplicates. */
static int
check_keys(struct builder *b, struct frame *f)
{
	struct strmap seen;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < f->n; i += 2)
		if (f->kids[i]->kind != YN_SCALAR)
			return fail(b, f->kids[i]->line,
			    "mapping keys must be scalars", NULL);
	/* Small mappings (nearly all) are checked without a table. */
	if (f->n <= 32) {
		for (i = 0; i + 1 < f->n; i += 2)
			for (j = i + 2; j + 1 < f->n; j += 2)
				if (!is_merge_key(f->kids[i]) &&
				    f->kids[i]->len == f->kids[j]->len &&
				    memcmp(f->kids[i]->str, f->kids[j]->str,
				    f->kids[i]->len) == 0)
					return fail(b, f->kids[j]->line,
					    "duplicate key", f->kids[j]->str);
		return 0;
	}
	strmap_init(&seen, f->n / 2);
	for (i = 0; i + 1 < f->n && rc == 0; i += 2) {
		struct ynode *k = f->kids[i];
		if (!is_merge_key(k) &&
		    strmap_put(&seen, k->str, k->len, k) != NULL)
			rc = fail(b, k->line, "duplicate key", k->str);
	}
	strmap_free(&seen);
	return rc;
}

/* The mappings the `<<` value at *slot names: one, or a list of them. */
static int
merge_sources(struct builder *b, const struct ynode *key,
    struct ynode *const *slot, struct ynode *const **srcs, size_t *n)
{
	const struct ynode *v = *slot;

	*srcs = v->kind == YN_SEQ ? v->items : slot;
	*n = v->kind == YN_SEQ ? v->len : 1;
	for (size_t j = 0; j < *n; j++)
		if ((*srcs)[j]->kind != YN_MAP)
			return fail(b, key->line, "'<<' must merge a mapping",
			    NULL);
	return 0;
}

/* Upper bound of a merged mapping's pairs: its own and every source's. */
static int
merge_bound(struct builder *b, struct frame *f, size_t *pairs)
{
	struct ynode *const *srcs;
	size_t nsrc;

	*pairs = 0;
	for (size_t i = 0; i + 1 < f->n; i += 2) {
		if (!is_merge_key(f->kids[i])) {
			(*pairs)++;
			continue;
		}
		if (merge_sources(b, f->kids[i], &f->kids[i + 1], &srcs,
		    &nsrc) < 0)
			return -1;
		for (size_t j = 0; j < nsrc; j++)
			*pairs += srcs[j]->len;
	}
	return 0;
}

static void
add_pair(struct strmap *seen, struct ynode **kv, size_t *n, struct ynode *k,
    struct ynode *v)
{
	if (strmap_put(seen, k->str, k->len, k) != NULL)
		return;
	kv[2 * *n] = k;
	kv[2 * *n + 1] = v;
	(*n)++;
}

/* Applies `<<: *base` and `<<: [*a, *b]`: keys written in the mapping win,
 * then earlier merged mappings win over later ones.  One pass over every
 * source's pairs with a hash set of the keys taken, so the cost is linear
 * in what is merged (a key list scan made it quadratic).  The result lands
 * in *out (a heap vector the caller frees), its pairs in *pairs. */
static int
apply_merges(struct builder *b, struct frame *f, struct ynode ***out,
    size_t *pairs)
{
	struct ynode *const *srcs;
	struct ynode **kv;
	struct strmap seen;
	size_t bound, n = 0, nsrc, i, j, k, bytes;

	if (merge_bound(b, f, &bound) < 0)
		return -1;
	/* The vector, the set (at most 4/3 · 2 slots a key) and the arena
	 * copy end_collection() makes of the result. */
	bytes = bound * (4 * sizeof(*kv) + 3 * sizeof(struct strmap_slot));
	if (spend_bytes(b, bytes, f->node->line) < 0)
		return -1;
	kv = xmalloc((bound ? bound : 1) * 2 * sizeof(*kv));
	strmap_init(&seen, bound);
	for (i = 0; i + 1 < f->n; i += 2)
		if (!is_merge_key(f->kids[i]))
			add_pair(&seen, kv, &n, f->kids[i], f->kids[i + 1]);
	for (i = 0; i + 1 < f->n; i += 2) {
		if (!is_merge_key(f->kids[i]))
			continue;
		merge_sources(b, f->kids[i], &f->kids[i + 1], &srcs, &nsrc);
		for (j = 0; j < nsrc; j++)
			for (k = 0; k < srcs[j]->len; k++)
				add_pair(&seen, kv, &n, YMAP_KEY(srcs[j], k),
				    YMAP_VAL(srcs[j], k));
	}
	strmap_free(&seen);
	*out = kv;
	*pairs = n;
	return 0;
}

/* 1 + the expanded nodes of every item: an alias counts in full each
 * time it appears, merged pairs count where they were merged to. */
static uint32_t
expanded_of(struct ynode **items, size_t count)
{
	uint64_t e = 1;

	for (size_t i = 0; i < count; i++)
		e += items[i]->expanded;
	return e > UINT32_MAX ? UINT32_MAX : (uint32_t)e;
}

static int
end_collection(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	struct ynode *n = f->node;
	struct ynode **kv = f->kids;
	char *anchor = f->anchor;
	size_t count = f->n;
	int rc = 0, merged = 0;

	f->anchor = NULL;
	/* The section's own node and items are the document's. */
	if (f->section)
		b->in_section = 0;
	if (n->kind == YN_MAP) {
		if ((rc = check_keys(b, f)) < 0)
			goto out;
		for (size_t i = 0; i + 1 < f->n; i += 2)
			merged |= is_merge_key(f->kids[i]);
		if (merged && (rc = apply_merges(b, f, &kv, &count)) < 0)
			goto out;
		if (!merged)
			count /= 2;
		n->len = (uint32_t)count;
		count *= 2;
	} else
		n->len = (uint32_t)count;
	if ((rc = spend_bytes(b, count * sizeof(*kv), n->line)) < 0)
		goto out;
	n->items = node_mem(b, (count ? count : 1) * sizeof(*n->items));
	if (count)
		memcpy(n->items, kv, count * sizeof(*kv));
	n->expanded = expanded_of(n->items, count);
	if (f->section) {
		/* Hollow, but counted as if its entries were there. */
		n->expanded = f->expanded > UINT32_MAX ? UINT32_MAX :
		    (uint32_t)f->expanded;
		if (!b->keep_entries)
			pool_reset(&b->doc->entries);
	}
out:
	if (kv != f->kids)
		free(kv);
	/* Released before the parent counts the finished node. */
	frame_release(b, f);
	if (rc == 0)
		rc = attach(b, n, anchor);
	free(anchor);
	return rc;
}

static struct ynode *
new_node(struct builder *b, enum ynode_kind kind, const yaml_event_t *ev)
{
	struct ynode *n = node_mem(b, sizeof(*n));

	n->kind = kind;
	n->line = (int32_t)ev->start_mark.line + 1;
	return n;
}

static int
start_collection(struct builder *b, enum ynode_kind kind,
    const yaml_event_t *ev, const yaml_char_t *anchor)
{
	int line = (int)ev->start_mark.line + 1;
	int section = kind == YN_MAP && is_section(b);
	struct frame *f;

	if (b->depth == YAML_MAX_DEPTH)
		return fail(b, line, "nesting deeper than the limit", NULL);
	/* An alias of the section would find it empty. */
	if (section && anchor != NULL) {
		b->stopped = YDOC_STREAM_CANNOT;
		return -1;
	}
	if (spend_bytes(b, sizeof(struct ynode), line) < 0 ||
	    spend_nodes(b, 1, line) < 0)
		return -1;
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = new_node(b, kind, ev);
	f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	f->expanded = 1;
	f->section = section;
	if (section)
		b->in_section = b->doc->hollow = 1;
	return 0;
}

static int
scalar(struct builder *b, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int line = (int)ev->start_mark.line + 1;
	struct ynode *n;

	if (memchr(v, '\0', len) != NULL)
		return fail(b, line, "NUL byte in a value", NULL);
	if (len > UINT32_MAX / 2)
		return fail(b, line, "value too long", NULL);
	if (spend_bytes(b, sizeof(*n) + len + 1, line) < 0)
		return -1;
	n = new_node(b, YN_SCALAR, ev);
	n->expanded = 1;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->is_null = n->plain && (len == 0 || strcmp(v, "~") == 0 ||
	    strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	    strcmp(v, "NULL") == 0);
	n->str = node_mem(b, len + 1);
	memcpy((char *)(uintptr_t)n->str, v, len);
	n->len = (uint32_t)len;
	return attach(b, n, (const char *)ev->data.scalar.anchor);
}

static int
alias(struct builder *b, const yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct ynode *n = strmap_get(&b->anchors, name, strlen(name));

	if (n == NULL)
		return fail(b, (int)ev->start_mark.line + 1,
		    "unknown or unfinished anchor", name);
	if (b->depth == 0)
		return fail(b, n->line, "an alias cannot be the document",
		    NULL);
	return push_kid(b, &b->stack[b->depth - 1], n,
	    (int)ev->start_mark.line + 1);
}

static int
handle_event(struct builder *b, const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return scalar(b, ev);
	case YAML_ALIAS_EVENT:
		return alias(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		return start_collection(b, YN_SEQ, ev,
		    ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		return start_collection(b, YN_MAP, ev,
		    ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return end_collection(b);
	default:
		return 0;
	}
}

/* Plain words for libyaml's commonest complaints, which name the parser's
 * state rather than the admin's mistake.  Matched on libyaml's problem
 * text, first match wins. */
static const struct {
	const char	*problem;	/* a part of libyaml's problem */
	const char	*hint;
} hints[] = {
	{ "tab", "YAML indents with spaces only: replace the tab" },
	{ "cannot start any token", "a value starting with @, ` or % "
	    "must be put in quotes" },
	{ "mapping values are not allowed", "a 'key: value' indented "
	    "deeper than the key above it, or a value holding ': ' that "
	    "must be put in quotes" },
	{ "did not find expected key", "the keys of one mapping must start "
	    "in the same column" },
	{ "did not find expected '-'", "the items of one list must start "
	    "in the same column" },
	{ "could not find expected ':'", "a key without ':', or a value "
	    "on several lines that must be put in quotes" },
	{ "unexpected end of stream", "a quote is never closed" },
	{ "did not find expected ','", "a [ or { is never closed" },
};

static const char *
parse_hint(const char *problem, int at_tab)
{
	if (at_tab)
		return hints[0].hint;
	for (size_t i = 0; problem && i < sizeof(hints) / sizeof(hints[0]);
	    i++)
		if (strstr(problem, hints[i].problem) != NULL)
			return hints[i].hint;
	return NULL;
}

/* libyaml's problem and context are fixed English phrases ("found
 * character that cannot start any token", "while scanning a simple
 * key"), never bytes of the file, so they are safe to show; a hint in
 * plain words follows the common ones.  s[0..n) is the input, to see
 * whether the problem sits on a tab. */
static int
parse_error(const yaml_parser_t *parser, const char *s, size_t n,
    struct diag *err)
{
	size_t at = parser->problem_mark.index;
	const char *hint = parse_hint(parser->problem, at < n &&
	    s[at] == '\t');

	return diag_set(err, NULL, (unsigned)parser->problem_mark.line + 1,
	    (unsigned)parser->problem_mark.column + 1, "%s%s%s%s%s",
	    parser->problem ? parser->problem : "syntax error",
	    parser->context ? " " : "",
	    parser->context ? parser->context : "",
	    hint ? "; " : "", hint ? hint : "");
}

/* The budget of a load of n bytes, saturating rather than wrapping. */
static void
budget(struct builder *b, size_t n)
{
	uint64_t nodes = (uint64_t)n * YDOC_NODES_PER_BYTE + YDOC_NODES_BASE;
	uint64_t bytes = (uint64_t)n * YDOC_BYTES_PER_BYTE + YDOC_BYTES_BASE;

	/* A node's count must fit its uint32_t. */
	b->max_nodes = nodes < UINT32_MAX ? nodes : UINT32_MAX - 1;
	b->max_bytes = bytes < SIZE_MAX ? (size_t)bytes : SIZE_MAX;
}

/* The one parse behind ydoc_load_string() and ydoc_stream_string(). */
static int
parse(struct ydoc *doc, const char *s, size_t n, const char *section,
    ydoc_entry_fn fn, void *ctx, struct diag *err)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0, done = 0;

	arena_init(&doc->arena);
	memset(&doc->entries, 0, sizeof(doc->entries));
	doc->hollow = 0;
	doc->root = NULL;
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.err = err;
	b.section = section;
	b.fn = fn;
	b.ctx = ctx;
	err->line = err->col = 0;
	err->msg[0] = '\0';
	budget(&b, n);
	strmap_init(&b.anchors, 16);
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)s, n);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parse_error(&parser, s, n, err);
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		rc = handle_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	while (b.depth > 0) {
		struct frame *f = &b.stack[--b.depth];
		free(f->kids);
		free(f->anchor);
	}
	yaml_parser_delete(&parser);
	strmap_free(&b.anchors);
	return b.stopped ? b.stopped : rc;
}

int
ydoc_load_string(struct ydoc *doc, const char *s, size_t n,
    struct diag *err)
{
	return parse(doc, s, n, NULL, NULL, NULL, err);
}

int
ydoc_stream_string(struct ydoc *doc, const char *s, size_t n,
    const char *section, ydoc_entry_fn fn, void *ctx, struct diag *err)
{
	return parse(doc, s, n, section, fn, ctx, err);
}

int
ydoc_read_file(const char *path, size_t max_bytes, struct diag *err,
    char **data, size_t *len)
{
	int rc;

	err->line = err->col = 0;
	/* Symbolic links are followed (config files are the admin's, and
	 * linking them in from a managed location is common), but only to a
	 * regular file, opened without blocking: a FIFO never hangs us. */
	rc = af_read_path(path, max_bytes, data, len);
	if (rc == -EFBIG)
		return diag_set(err, NULL, 0, 0, "file larger than %zu bytes",
		    max_bytes);
	if (rc == -EINVAL)
		return diag_set(err, NULL, 0, 0, "not a regular file");
	if (rc == -ENOENT || rc == -EACCES || rc == -ELOOP || rc == -ENOTDIR)
		return diag_set(err, NULL, 0, 0, "cannot open: %s",
		    strerror(-rc));
	if (rc < 0)
		return diag_set(err, NULL, 0, 0, "cannot read: %s",
		    strerror(-rc));
	return 0;
}

int
ydoc_load_file(struct ydoc *doc, const char *path, size_t max_bytes,
    struct diag *err)
{
	return ydoc_load_file_raw(doc, path, max_bytes, err, NULL, NULL);
}

int
ydoc_load_file_raw(struct ydoc *doc, const char *path, size_t max_bytes,
    struct diag *err, char **raw, size_t *rawlen)
{
	char *data;
	size_t off;
	int rc;

	arena_init(&doc->arena);
	memset(&doc->entries, 0, sizeof(doc->entries));
	doc->hollow = 0;
	doc->root = NULL;
	if (ydoc_read_file(path, max_bytes, err, &data, &off) < 0)
		return -1;
	rc = ydoc_load_string(doc, data, off, err);
	if (raw != NULL && rc == 0) {
		*raw = data;
		*rawlen = off;
	} else
		free(data);
	return rc;
}

void
ydoc_free(struct ydoc *doc)
{
	arena_free(&doc->arena);
	pool_free(&doc->entries);
	doc->root = NULL;
}

const struct ynode *
ymap_get(const struct ynode *m, const char *key)
{
	size_t i, len = strlen(key);

	if (m == NULL || m->kind != YN_MAP)
		return NULL;
	for (i = 0; i < m->len; i++) {
		const struct ynode *k = YMAP_KEY(m, i);
		if (k->len == len && memcmp(k->str, key, len) == 0)
			return YMAP_VAL(m, i);
	}
	return NULL;
}
