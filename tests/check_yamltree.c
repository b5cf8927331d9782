/* The YAML tree: what an admin may write (anchors, aliases, merge keys,
 * quoting, nulls) and what must be an error with a line (duplicate keys,
 * unknown aliases, runaway nesting, NUL bytes), plus alias bombs. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "testutil.h"
#include "yamltree.h"

/* Parses text into *doc; the test fails when the outcome is not `ok`. */
static void
load(struct ydoc *doc, const char *text, int ok, struct diag *err)
{
	int rc = ydoc_load_string(doc, text, strlen(text), err);

	if (ok)
		ck_assert_msg(rc == 0, "refused at line %d: %s", err->line,
		    err->msg);
	else
		ck_assert_msg(rc < 0, "accepted: %s", text);
}

/* Scalar value of a top-level key. */
static const struct ynode *
top(const struct ydoc *doc, const char *key)
{
	const struct ynode *n = ymap_get(doc->root, key);

	ck_assert_msg(n != NULL, "no key '%s'", key);
	return n;
}

static const char *
top_str(const struct ydoc *doc, const char *key)
{
	const struct ynode *n = top(doc, key);

	ck_assert_int_eq(n->kind, YN_SCALAR);
	return n->str;
}

START_TEST(test_scalars_and_nulls)
{
	static const struct {
		int		 line;
		const char	*key, *str;
		int		 is_null, plain;
	} want[] = {
		{ __LINE__, "a", "", 1, 1 },
		{ __LINE__, "b", "~", 1, 1 },
		{ __LINE__, "c", "null", 1, 1 },
		{ __LINE__, "d", "Null", 1, 1 },
		{ __LINE__, "e", "NULL", 1, 1 },
		{ __LINE__, "f", "null", 0, 0 },
		{ __LINE__, "g", "", 0, 0 },
		{ __LINE__, "h", "nUll", 0, 1 },
		{ __LINE__, "yes_plain", "Yes", 0, 1 },
		{ __LINE__, "yes_quoted", "Yes", 0, 0 },
		{ __LINE__, "zero_quoted", "05", 0, 0 },
		{ __LINE__, "zero_plain", "05", 0, 1 },
		{ __LINE__, "number", "3600", 0, 1 },
		{ __LINE__, "escaped", "a\tb\"c", 0, 0 },
		{ __LINE__, "single", "it's", 0, 0 },
		{ __LINE__, "spaces", "  padded  ", 0, 0 },
		{ __LINE__, "utf8", "Caf\xc3\xa9", 0, 1 },
		{ __LINE__, "folded", "one two", 0, 0 },
		{ __LINE__, "hex", "0x10", 0, 1 },
	};
	const char *text =
	    "a:\n"
	    "b: ~\n"
	    "c: null\n"
	    "d: Null\n"
	    "e: NULL\n"
	    "f: \"null\"\n"
	    "g: ''\n"
	    "h: nUll\n"
	    "yes_plain: Yes\n"
	    "yes_quoted: 'Yes'\n"
	    "zero_quoted: '05'\n"
	    "zero_plain: 05\n"
	    "number: 3600\n"
	    "escaped: \"a\\tb\\\"c\"\n"
	    "single: 'it''s'\n"
	    "spaces: '  padded  '\n"
	    "utf8: Caf\xc3\xa9\n"
	    "folded: >-\n  one\n  two\n"
	    "hex: 0x10\n";
	struct ydoc doc;
	struct diag err;

	load(&doc, text, 1, &err);
	ck_assert_int_eq(doc.root->kind, YN_MAP);
	ck_assert_uint_eq(YMAP_N(doc.root), sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ynode *n = top(&doc, want[i].key);
		ck_assert_msg(n->kind == YN_SCALAR &&
		    strcmp(n->str, want[i].str) == 0 &&
		    n->len == strlen(want[i].str) &&
		    n->is_null == want[i].is_null && n->plain == want[i].plain,
		    "line %d: '%s' is '%s' null=%d plain=%d", want[i].line,
		    want[i].key, n->str, n->is_null, n->plain);
	}
	ydoc_free(&doc);
}
END_TEST

START_TEST(test_lines)
{
	struct ydoc doc;
	struct diag err;
	const struct ynode *m;

	load(&doc, "# comment\n"
	    "first: 1\n"
	    "\n"
	    "second:\n"
	    "  inner: [x,\n"
	    "    y]\n", 1, &err);
	ck_assert_int_eq(ymap_get(doc.root, "first")->line, 2);
	m = ymap_get(doc.root, "second");
	ck_assert_int_eq(m->kind, YN_MAP);
	ck_assert_int_eq(YMAP_KEY(m, 0)->line, 5);
	ck_assert_int_eq(ymap_get(m, "inner")->items[1]->line, 6);
	ydoc_free(&doc);
}
END_TEST

START_TEST(test_empty_and_scalar_documents)
{
	struct ydoc doc;
	struct diag err;

	load(&doc, "", 1, &err);
	ck_assert_ptr_null(doc.root);
	ydoc_free(&doc);
	load(&doc, "# nothing but a comment\n", 1, &err);
	ck_assert_ptr_null(doc.root);
	ydoc_free(&doc);
	load(&doc, "just text\n", 1, &err);
	ck_assert_int_eq(doc.root->kind, YN_SCALAR);
	ck_assert_str_eq(doc.root->str, "just text");
	ck_assert_ptr_null(ymap_get(doc.root, "just"));
	ydoc_free(&doc);
}
END_TEST

START_TEST(test_anchors_share)
{
	struct ydoc doc;
	struct diag err;
	const struct ynode *a, *b;

	load(&doc,
	    "name: &n Reception\n"
	    "display: *n\n"
	    "list: &l [1, 2]\n"
	    "again: *l\n"
	    "x: &r first\n"
	    "y: *r\n"
	    "x2: &r second\n"
	    "y2: *r\n", 1, &err);
	ck_assert_str_eq(top_str(&doc, "display"), "Reception");
	/* An alias is the anchored node itself, not a copy. */
	ck_assert_ptr_eq(top(&doc, "display"), top(&doc, "name"));
	a = top(&doc, "list");
	b = top(&doc, "again");
	ck_assert_ptr_eq(a, b);
	ck_assert_int_eq(b->kind, YN_SEQ);
	ck_assert_uint_eq(b->len, 2);
	/* A later anchor of the same name replaces the earlier one. */
	ck_assert_str_eq(top_str(&doc, "y"), "first");
	ck_assert_str_eq(top_str(&doc, "y2"), "second");
	ydoc_free(&doc);
}
END_TEST

START_TEST(test_merge_keys)
{
	struct ydoc doc;
	struct diag err;
	const struct ynode *m;

	load(&doc,
	    "base: &base\n"
	    "  a: from-base\n"
	    "  b: from-base\n"
	    "other: &other\n"
	    "  b: from-other\n"
	    "  c: from-other\n"
	    "  d: from-other\n"
	    "one:\n"
	    "  <<: *base\n"
	    "  b: explicit\n"
	    "  e: explicit\n"
	    "two:\n"
	    "  c: explicit\n"
	    "  <<: [*base, *other]\n"
	    "twice:\n"
	    "  <<: [*base, *base]\n"
	    "quoted:\n"
	    "  \"<<\": not a merge\n", 1, &err);
	m = top(&doc, "one");
	ck_assert_uint_eq(YMAP_N(m), 3);
	ck_assert_str_eq(ymap_get(m, "a")->str, "from-base");
	ck_assert_str_eq(ymap_get(m, "b")->str, "explicit");
	ck_assert_str_eq(ymap_get(m, "e")->str, "explicit");
	ck_assert_ptr_null(ymap_get(m, "<<"));
	/* Explicit keys win wherever they are written; then the earlier
	 * merged mapping wins over the later. */
	m = top(&doc, "two");
	ck_assert_uint_eq(YMAP_N(m), 4);
	ck_assert_str_eq(ymap_get(m, "a")->str, "from-base");
	ck_assert_str_eq(ymap_get(m, "b")->str, "from-base");
	ck_assert_str_eq(ymap_get(m, "c")->str, "explicit");
	ck_assert_str_eq(ymap_get(m, "d")->str, "from-other");
	m = top(&doc, "twice");
	ck_assert_uint_eq(YMAP_N(m), 2);
	m = top(&doc, "quoted");
	ck_assert_uint_eq(YMAP_N(m), 1);
	ck_assert_str_eq(ymap_get(m, "<<")->str, "not a merge");
	/* The merged-from mapping is unchanged. */
	ck_assert_uint_eq(YMAP_N(top(&doc, "base")), 2);
	ydoc_free(&doc);
}
END_TEST

/* Documents that must be refused, with the line the error names and a
 * word the message must hold. */
static const struct {
	int		 line;
	const char	*text;
	unsigned	 err_line;
	const char	*msg;
} bad[] = {
	{ __LINE__, "a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'" },
	{ __LINE__, "top:\n  x: 1\n  y: 2\n  x: 3\n", 4, "duplicate key 'x'" },
	{ __LINE__, "a: 1\n'a': 2\n", 2, "duplicate key 'a'" },
	{ __LINE__, "a: *nope\n", 1, "nope" },
	{ __LINE__, "a: 1\nb:\n  - *missing\n", 3, "missing" },
	{ __LINE__, "a: &x [1, *x]\n", 1, "'x'" },
	{ __LINE__, "s: &s [1]\nm:\n  <<: *s\n", 3, "merge a mapping" },
	{ __LINE__, "m:\n  <<: plain\n", 2, "merge a mapping" },
	{ __LINE__, "m:\n  <<: [{a: 1}, 2]\n", 2, "merge a mapping" },
	{ __LINE__, "? [a, b]\n: 1\n", 1, "keys must be scalars" },
	{ __LINE__, "a: \"x\\0y\"\n", 1, "NUL" },
	{ __LINE__, "a: 1\n---\nb: 2\n", 3, "more than one document" },
	{ __LINE__, "a: [1, 2\n", 2, "" },
	{ __LINE__, "a: 1\n b: 2\n", 2, "" },
	{ __LINE__, "a: 'unterminated\n", 2, "" },
	{ __LINE__, "a:\n\t- tab\n", 2, "" },
	/* libyaml's commonest complaints get a hint in plain words. */
	{ __LINE__, "a:\n\tb: 1\n", 2, "cannot start any token while "
	    "scanning for the next token; YAML indents with spaces only" },
	{ __LINE__, "a: @x\n", 1, "; a value starting with @, ` or %" },
	{ __LINE__, "a: 1\n  b: 2\n", 2, "mapping values are not allowed in "
	    "this context; a 'key: value' indented deeper" },
	{ __LINE__, "a:\n  b: 1\n c: 2\n", 3, "did not find expected key "
	    "while parsing a block mapping; the keys of one mapping" },
	{ __LINE__, "a: 'x\n", 2, "; a quote is never closed" },
};

START_TEST(test_errors)
{
	struct ydoc doc;
	struct diag err;
	int rc;

	rc = ydoc_load_string(&doc, bad[_i].text, strlen(bad[_i].text), &err);
	ck_assert_msg(rc < 0, "line %d: accepted", bad[_i].line);
	ck_assert_msg(err.line == bad[_i].err_line &&
	    strstr(err.msg, bad[_i].msg) != NULL && err.msg[0] != '\0',
	    "line %d: error at %d '%s'", bad[_i].line, err.line, err.msg);
	ydoc_free(&doc);
}
END_TEST

/* A mapping large enough to be checked with a hash table. */
START_TEST(test_duplicate_in_large_mapping)
{
	struct ydoc doc;
	struct diag err;
	struct buf b;
	int rc;

	buf_init(&b);
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "key%d: %d\n", i, i);
	buf_adds(&b, "key42: again\n");
	rc = ydoc_load_string(&doc, b.data, b.len, &err);
	ck_assert_int_lt(rc, 0);
	ck_assert_int_eq(err.line, 101);
	ck_assert_ptr_nonnull(strstr(err.msg, "duplicate key 'key42'"));
	ydoc_free(&doc);
	buf_free(&b);
}
END_TEST

/* A raw NUL byte (not an escape) in the middle of the file. */
START_TEST(test_raw_nul)
{
	static const char text[] = "a: x\0y\nb: 2\n";
	struct ydoc doc;
	struct diag err;

	ck_assert_int_lt(ydoc_load_string(&doc, text, sizeof(text) - 1, &err),
	    0);
	ck_assert_int_eq(err.line, 1);
	ydoc_free(&doc);
}
END_TEST

static char *
nested(int depth)
{
	char *s = malloc((size_t)depth * 2 + 2);
	int i;

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < depth; i++) {
		s[i] = '[';
		s[depth + i] = ']';
	}
	s[2 * depth] = '\n';
	s[2 * depth + 1] = '\0';
	return s;
}

START_TEST(test_depth_limit)
{
	struct ydoc doc;
	struct diag err;
	char *s;
	const struct ynode *n;
	int depth;

	s = nested(YAML_MAX_DEPTH);
	load(&doc, s, 1, &err);
	for (n = doc.root, depth = 1; n->len > 0; n = n->items[0])
		depth++;
	ck_assert_int_eq(depth, YAML_MAX_DEPTH);
	ydoc_free(&doc);
	free(s);

	s = nested(YAML_MAX_DEPTH + 1);
	load(&doc, s, 0, &err);
	ck_assert_int_eq(err.line, 1);
	ck_assert_ptr_nonnull(strstr(err.msg, "nesting"));
	ydoc_free(&doc);
	free(s);

	/* Far deeper than any stack: refused, never a crash. */
	s = nested(200000);
	load(&doc, s, 0, &err);
	ydoc_free(&doc);
	free(s);
}
END_TEST

START_TEST(test_depth_limit_block)
{
	struct ydoc doc;
	struct diag err;
	struct buf b;

	buf_init(&b);
	for (int i = 0; i <= YAML_MAX_DEPTH; i++)
		buf_printf(&b, "%*sk%d:\n", i, "", i);
	buf_printf(&b, "%*sleaf: 1\n", YAML_MAX_DEPTH + 1, "");
	ck_assert_int_lt(ydoc_load_string(&doc, b.data, b.len, &err), 0);
	ck_assert_int_eq(err.line, YAML_MAX_DEPTH + 1);
	ydoc_free(&doc);
	buf_free(&b);
}
END_TEST

/* "Billion laughs": nine levels of nine aliases, 387 million leaves for a
 * consumer that copies the tree.  The tree itself shares them, but every
 * consumer (the JSON copies of packs and devices, the snapshot) would
 * expand them, so the load is refused where the expansion passes the
 * budget: at line 6, cheaply. */
START_TEST(test_alias_bomb)
{
	struct ydoc doc;
	struct diag err;
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (char c = 'b'; c <= 'i'; c++)
		buf_printf(&b, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, "
		    "*%c, *%c]\n", c, c, c - 1, c - 1, c - 1, c - 1, c - 1,
		    c - 1, c - 1, c - 1, c - 1);
	load(&doc, b.data, 0, &err);
	ck_assert_int_eq(err.line, 6);
	ck_assert_ptr_nonnull(strstr(err.msg, "aliases and merge keys expand "
	    "to more than"));
	ck_assert_msg(doc.arena.total < 64 * 1024, "tree holds %zu bytes",
	    doc.arena.total);
	ydoc_free(&doc);
	buf_free(&b);
}
END_TEST

/* Below the budget aliases still share their node, and every node knows
 * how many nodes it stands for once expanded. */
START_TEST(test_alias_sharing)
{
	struct ydoc doc;
	struct diag err;
	const struct ynode *n;

	load(&doc, "a: &a [lol, lol, lol]\n"
	    "b: &b [*a, *a, *a]\n"
	    "m1: &m1 {x: 1, y: 2}\n"
	    "m2: &m2 {<<: [*m1, *m1, *m1, *m1], z: 3}\n"
	    "m3: {<<: [*m2, *m2, *m2, *m2, *m1], w: 4}\n", 1, &err);
	n = top(&doc, "b");
	ck_assert_ptr_eq(n->items[0], n->items[2]);
	ck_assert_ptr_eq(n->items[0], top(&doc, "a"));
	ck_assert_uint_eq(top(&doc, "a")->expanded, 4);
	ck_assert_uint_eq(n->expanded, 13);
	ck_assert_uint_eq(YMAP_N(top(&doc, "m2")), 3);
	ck_assert_uint_eq(top(&doc, "m2")->expanded, 7);
	ck_assert_uint_eq(YMAP_N(ymap_get(doc.root, "m3")), 4);
	/* 1 + 5 keys + a 4 + b 13 + m1 5 + m2 7 + m3 9 */
	ck_assert_uint_eq(doc.root->expanded, 44);
	ydoc_free(&doc);
}
END_TEST

/* B5: one large mapping merged into many: the merge used to scan the
 * keys taken so far for every key, quadratic in the mapping's size (this
 * 230 KB document took about 10 s of CPU, so Check's timeout fails the
 * old code); a hash set makes it linear (0.2 s). */
START_TEST(test_merge_linear)
{
	struct ydoc doc;
	struct diag err;
	const struct ynode *p;
	struct buf b;
	char key[32];

	buf_init(&b);
	buf_adds(&b, "base: &base\n");
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "  Param_%05d: value%d\n", i, i);
	for (int i = 0; i < 80; i++)
		buf_printf(&b, "p%03d: {<<: *base, Param_%05d: own}\n", i, i);
	load(&doc, b.data, 1, &err);
	for (int i = 0; i < 80; i += 33) {
		snprintf(key, sizeof(key), "p%03d", i);
		p = top(&doc, key);
		ck_assert_uint_eq(YMAP_N(p), 10000);
		snprintf(key, sizeof(key), "Param_%05d", i);
		ck_assert_str_eq(ymap_get(p, key)->str, "own");
		ck_assert_str_eq(ymap_get(p, "Param_09999")->str,
		    "value9999");
	}
	ydoc_free(&doc);
	buf_free(&b);
}
END_TEST

/* B7: memory is budgeted too.  A list of empty mappings costs the tree
 * far more than the file's two bytes an item: refused, with the line
 * where the budget ran out. */
START_TEST(test_memory_budget)
{
	size_t n = 4 * 1024 * 1024;
	char *text = malloc(n + 2);
	struct ydoc doc;
	struct diag err;

	ck_assert_ptr_nonnull(text);
	text[0] = '[';
	for (size_t i = 1; i < n; i += 3)
		memcpy(text + i, "{},", 3);
	text[n - 1] = ']';
	text[n] = '\0';
	ck_assert_int_lt(ydoc_load_string(&doc, text, n, &err), 0);
	ck_assert_msg(strstr(err.msg, "the file needs more than") != NULL,
	    "%s", err.msg);
	ck_assert_int_eq(err.line, 1);
	ck_assert_uint_le(doc.arena.total, YDOC_BYTES_PER_BYTE * n +
	    YDOC_BYTES_BASE);
	ydoc_free(&doc);
	free(text);
}
END_TEST

/* ydoc_stream_string(): the section's entries come one at a time, each
 * as the whole tree has it (key, value, lines, anchors and merges across
 * entries), the rest of the document stays, the section is left empty. */
struct collected {
	struct buf	 out;
	int		 calls, stop_at;
};

static void
dump(struct buf *b, const struct ynode *n)
{
	buf_printf(b, "%d:", n->line);
	if (n->kind == YN_SCALAR) {
		buf_printf(b, "%s%s;", n->str, n->is_null ? "(null)" : "");
		return;
	}
	buf_adds(b, n->kind == YN_MAP ? "{" : "[");
	for (uint32_t i = 0; i < (n->kind == YN_MAP ? 2 * n->len : n->len);
	    i++)
		dump(b, n->items[i]);
	buf_adds(b, "}");
}

static int
collect(void *ctx, const struct ynode *key, const struct ynode *value)
{
	struct collected *c = ctx;

	if (++c->calls == c->stop_at)
		return -1;
	dump(&c->out, key);
	dump(&c->out, value);
	return 0;
}

START_TEST(test_stream_section)
{
	static const char text[] = "before: 1\nphones:\n"
	    "  a: &A {x: 1, y: [p, q]}\n  b: {<<: *A, x: 2}\n  c:\n"
	    "  d: *A\nafter: *A\n";
	struct ydoc doc, whole;
	struct collected c = { .stop_at = -1 };
	const struct ynode *sec, *phones;
	struct buf want;
	struct diag err;

	buf_init(&c.out);
	buf_init(&want);
	ck_assert_int_eq(ydoc_stream_string(&doc, text, strlen(text),
	    "phones", collect, &c, &err), 0);
	load(&whole, text, 1, &err);
	phones = ymap_get(whole.root, "phones");
	for (uint32_t i = 0; i < phones->len; i++) {
		dump(&want, YMAP_KEY(phones, i));
		dump(&want, YMAP_VAL(phones, i));
	}
	buf_addc(&want, '\0');
	buf_addc(&c.out, '\0');
	ck_assert_str_eq(c.out.data, want.data);
	ck_assert_int_eq(c.calls, 4);
	ck_assert_int_eq(doc.hollow, 1);
	sec = ymap_get(doc.root, "phones");
	ck_assert_int_eq(sec->kind, YN_MAP);
	ck_assert_uint_eq(sec->len, 0);
	ck_assert_int_eq(sec->line, 3);
	ck_assert_str_eq(top_str(&doc, "before"), "1");
	ck_assert_str_eq(ymap_get(top(&doc, "after"), "x")->str, "1");
	ydoc_free(&doc);
	ydoc_free(&whole);

	/* A section that is no mapping is not streamed: the document is
	 * the whole tree (the loader takes it as it is). */
	ck_assert_int_eq(ydoc_stream_string(&doc, "phones: [a, b]\n", 15,
	    "phones", collect, &c, &err), 0);
	ck_assert_int_eq(doc.hollow, 0);
	ck_assert_uint_eq(ymap_get(doc.root, "phones")->len, 2);
	ydoc_free(&doc);

	/* The consumer's refusal stops the parse there. */
	c.calls = 0;
	c.stop_at = 2;
	ck_assert_int_eq(ydoc_stream_string(&doc, text, strlen(text),
	    "phones", collect, &c, &err), YDOC_STREAM_STOPPED);
	ck_assert_int_eq(c.calls, 2);
	ydoc_free(&doc);
	buf_free(&c.out);
	buf_free(&want);
}
END_TEST

/* What a section cannot be streamed as: a merge key or a key that is no
 * scalar among its entries, or an anchor on it (an alias would find it
 * empty).  A syntax error is the tree's error, with its line. */
START_TEST(test_stream_cannot)
{
	static const struct {
		int		 line;
		const char	*text;
		int		 rc;
	} cases[] = {
		{ __LINE__, "phones:\n  <<: {a: 1}\n  b: 2\n",
		    YDOC_STREAM_CANNOT },
		{ __LINE__, "phones:\n  ? [a]\n  : 1\n", YDOC_STREAM_CANNOT },
		{ __LINE__, "phones: &p\n  a: 1\n", YDOC_STREAM_CANNOT },
		{ __LINE__, "phones:\n  a: 1\n  b: [\n", -1 },
		{ __LINE__, "phones:\n  a: {x: 1, x: 2}\n", -1 },
		{ __LINE__, "other:\n  <<: {a: 1}\nphones: {a: 1}\n", 0 },
	};
	struct collected c = { .stop_at = -1 };
	struct ydoc doc;
	struct diag err;

	buf_init(&c.out);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = ydoc_stream_string(&doc, cases[i].text,
		    strlen(cases[i].text), "phones", collect, &c, &err);
		ck_assert_msg(rc == cases[i].rc, "line %d: %d", cases[i].line,
		    rc);
		ydoc_free(&doc);
	}
	buf_free(&c.out);
}
END_TEST

START_TEST(test_ymap_get)
{
	struct ydoc doc;
	struct diag err;

	load(&doc, "a: 1\nab: 2\nlist: [a]\n", 1, &err);
	ck_assert_ptr_null(ymap_get(doc.root, "b"));
	ck_assert_ptr_null(ymap_get(doc.root, ""));
	ck_assert_str_eq(ymap_get(doc.root, "ab")->str, "2");
	ck_assert_ptr_null(ymap_get(ymap_get(doc.root, "list"), "a"));
	ck_assert_ptr_null(ymap_get(ymap_get(doc.root, "a"), "a"));
	ck_assert_ptr_null(ymap_get(NULL, "a"));
	ydoc_free(&doc);
}
END_TEST

START_TEST(test_load_file)
{
	char dir[TU_DIR_MAX], path[512];
	struct ydoc doc;
	struct diag err;

	tu_mkdtemp(dir);
	tu_write(dir, "ok.yml", "phones:\n  a: {mac: 001122334455}\n");
	snprintf(path, sizeof(path), "%s/ok.yml", dir);
	ck_assert_int_eq(ydoc_load_file(&doc, path, 1024, &err), 0);
	ck_assert_str_eq(ymap_get(ymap_get(ymap_get(doc.root, "phones"),
	    "a"), "mac")->str, "001122334455");
	ydoc_free(&doc);

	/* Larger than allowed. */
	ck_assert_int_lt(ydoc_load_file(&doc, path, 8, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "larger"));
	ydoc_free(&doc);

	/* Missing. */
	snprintf(path, sizeof(path), "%s/missing.yml", dir);
	ck_assert_int_lt(ydoc_load_file(&doc, path, 1024, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open"));
	ydoc_free(&doc);

	/* A directory is not a file. */
	ck_assert_int_lt(ydoc_load_file(&doc, dir, 1024, &err), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	ydoc_free(&doc);

	/* The syntax error names its line. */
	tu_write(dir, "bad.yml", "a: 1\nb: [2\nc: 3\n");
	snprintf(path, sizeof(path), "%s/bad.yml", dir);
	ck_assert_int_lt(ydoc_load_file(&doc, path, 1024, &err), 0);
	ck_assert_int_ge(err.line, 2);
	ydoc_free(&doc);
	tu_remove_dir(dir);
}
END_TEST

Suite *yamltree_suite(void);

Suite *
yamltree_suite(void)
{
	Suite *s = suite_create("yamltree");
	TCase *tc = tcase_create("values");

	tcase_add_test(tc, test_scalars_and_nulls);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_empty_and_scalar_documents);
	tcase_add_test(tc, test_anchors_share);
	tcase_add_test(tc, test_merge_keys);
	tcase_add_test(tc, test_ymap_get);
	tcase_add_test(tc, test_stream_section);
	tcase_add_test(tc, test_stream_cannot);
	tcase_add_test(tc, test_load_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_duplicate_in_large_mapping);
	tcase_add_test(tc, test_raw_nul);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_depth_limit_block);
	tcase_add_test(tc, test_alias_bomb);
	tcase_add_test(tc, test_memory_budget);
	suite_add_tcase(s, tc);

	tc = tcase_create("budget");
	tcase_set_timeout(tc, 6);
	tcase_add_test(tc, test_alias_sharing);
	tcase_add_test(tc, test_merge_linear);
	suite_add_tcase(s, tc);
	return s;
}
