#include <errno.h>
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
};

struct builder {
	struct ydoc	*doc;
	struct frame	 stack[YAML_MAX_DEPTH];
	int		 depth;
	struct strmap	 anchors;	/* name → completed node */
	struct diag	*err;
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

	if (b->doc->arena.total + b->heap + more <= b->max_bytes &&
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
static int
push_kid(struct builder *b, struct frame *f, struct ynode *n, int line)
{
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
	n->items = arena_alloc(&b->doc->arena, (count ? count : 1) *
	    sizeof(*n->items));
	if (count)
		memcpy(n->items, kv, count * sizeof(*kv));
	n->expanded = expanded_of(n->items, count);
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
	struct ynode *n = arena_calloc(&b->doc->arena, 1, sizeof(*n));

	n->kind = kind;
	n->line = (int32_t)ev->start_mark.line + 1;
	return n;
}

static int
start_collection(struct builder *b, enum ynode_kind kind,
    const yaml_event_t *ev, const yaml_char_t *anchor)
{
	int line = (int)ev->start_mark.line + 1;
	struct frame *f;

	if (b->depth == YAML_MAX_DEPTH)
		return fail(b, line, "nesting deeper than the limit", NULL);
	if (spend_bytes(b, sizeof(struct ynode), line) < 0 ||
	    spend_nodes(b, 1, line) < 0)
		return -1;
	f = &b->stack[b->depth++];
	memset(f, 0, sizeof(*f));
	f->node = new_node(b, kind, ev);
	f->anchor = anchor ? xstrdup((const char *)anchor) : NULL;
	f->expanded = 1;
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
	n->str = arena_strndup(&b->doc->arena, v, len);
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

int
ydoc_load_string(struct ydoc *doc, const char *s, size_t n,
    struct diag *err)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0, done = 0;

	arena_init(&doc->arena);
	doc->root = NULL;
	memset(&b, 0, sizeof(b));
	b.doc = doc;
	b.err = err;
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
	return rc;
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
	doc->root = NULL;
	err->line = err->col = 0;
	/* Symbolic links are followed (config files are the admin's, and
	 * linking them in from a managed location is common), but only to a
	 * regular file, opened without blocking: a FIFO never hangs us. */
	rc = af_read_path(path, max_bytes, &data, &off);
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
