/* The Mustache parser: one pass over the source that builds the node tree
 * of mustache_impl.h, with every syntax error reported by line.
 *
 * The subtle part is the standalone line.  A tag that does not print
 * (section, inverted, close, comment, set-delimiter, partial, parent, block)
 * and that is alone on its line, blanks aside, takes its whole line with it:
 * the blanks before it and the line end after it vanish from the output.
 * Inheritance adds tag pairs that count as one tag on their line:
 * "{{<p}}{{/p}}", "{{<p}}{{$b}}", "{{/b}}{{/p}}" and "{{$b}}{{/b}}" (the
 * last keeps its line end, so that an empty block still ends its line). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mustache_impl.h"
#include "text.h"

#define DELIM_MAX	16

enum kind {
	K_VAR, K_RAW, K_TRIPLE, K_SECTION, K_INVERTED, K_CLOSE, K_COMMENT,
	K_PARTIAL, K_PARENT, K_BLOCK, K_DELIM
};

/* What a tag's name may be. */
enum name_class {
	N_NONE,		/* no name: comment, set-delimiter */
	N_DATA,		/* looked up in the data: dotted, or "." */
	N_TEMPLATE,	/* a partial or parent: any word, or `*` + data name */
	N_CLOSE,	/* the name of whatever it closes */
	N_BLOCK		/* a block: any word */
};

/* One tag as scanned: offsets into the source. */
struct tag {
	enum kind	 kind;
	size_t		 start, end;	/* the whole tag, delimiters included */
	size_t		 body, blen;	/* what is inside, blanks trimmed */
	unsigned	 line;
};

/* Where a tag sits.  For a standalone tag, `indent` is the blank run before
 * it.  `after` is where the content of an opening tag starts, `before` where
 * the content closed by a closing tag ends. */
struct placement {
	unsigned char	 standalone;
	size_t		 indent, indent_len;
	size_t		 after, before;
};

/* An open section, parent or block. */
struct open {
	struct node	 *node;
	struct node	**tail;		/* where the next child goes */
	enum kind	  kind;
	unsigned char	  standalone;
	size_t		  content;	/* offset where the content starts */
	size_t		  indent, indent_len;
};

/* Counts lines forward from `pos`.  Tags and text each get a counter, as a
 * tag pair is scanned before the text in front of it is placed. */
struct counter {
	unsigned	 line;	/* line number at pos */
	size_t		 pos;
};

struct parser {
	struct mustache		*t;
	struct diag	*err;
	const char		*src;	/* the template's own copy */
	size_t			 len;
	size_t			 pos;	/* next byte not yet placed */
	size_t			 line_start;
	int			 dirty;	/* non-blank before pos on this line */
	int			 carry_bol; /* next node starts a line */
	struct counter		 tag_lines, text_lines;
	char			 otag[DELIM_MAX + 1], ctag[DELIM_MAX + 1];
	size_t			 olen, clen;
	struct open		*stack;	/* stack[0] is the template itself */
	unsigned		 depth, max_depth;
};

typedef int (*tag_fn)(struct parser *, const struct tag *,
    const struct placement *);

static int	tag_value(struct parser *, const struct tag *,
		    const struct placement *);
static int	tag_open(struct parser *, const struct tag *,
		    const struct placement *);
static int	tag_close(struct parser *, const struct tag *,
		    const struct placement *);
static int	tag_comment(struct parser *, const struct tag *,
		    const struct placement *);
static int	tag_delim(struct parser *, const struct tag *,
		    const struct placement *);

static const struct {
	char		 c;
	enum kind	 kind;
} sigils[] = {
	{ '#', K_SECTION }, { '^', K_INVERTED }, { '/', K_CLOSE },
	{ '!', K_COMMENT }, { '>', K_PARTIAL }, { '<', K_PARENT },
	{ '$', K_BLOCK }, { '&', K_RAW }, { '{', K_TRIPLE }, { '=', K_DELIM },
};

static const struct kind_info {
	const char	*sigil;		/* for messages */
	char		 closer;	/* before the closing delimiter */
	unsigned char	 standalone;	/* may take its line with it */
	enum name_class	 names;
	enum node_type	 node;
	tag_fn		 fn;
} kinds[] = {
	[K_VAR] =	{ "",  0,   0, N_DATA, NODE_VAR, tag_value },
	[K_RAW] =	{ "&", 0,   0, N_DATA, NODE_RAW, tag_value },
	[K_TRIPLE] =	{ "{", '}', 0, N_DATA, NODE_RAW, tag_value },
	[K_SECTION] =	{ "#", 0,   1, N_DATA, NODE_SECTION, tag_open },
	[K_INVERTED] =	{ "^", 0,   1, N_DATA, NODE_INVERTED, tag_open },
	[K_CLOSE] =	{ "/", 0,   1, N_CLOSE, NODE_TYPES, tag_close },
	[K_COMMENT] =	{ "!", 0,   1, N_NONE, NODE_TYPES, tag_comment },
	[K_PARTIAL] =	{ ">", 0,   1, N_TEMPLATE, NODE_PARTIAL, tag_value },
	[K_PARENT] =	{ "<", 0,   1, N_TEMPLATE, NODE_PARENT, tag_open },
	[K_BLOCK] =	{ "$", 0,   1, N_BLOCK, NODE_BLOCK, tag_open },
	[K_DELIM] =	{ "=", '=', 1, N_NONE, NODE_TYPES, tag_delim },
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
perr(struct parser *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
perr(struct parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(p->err, p->t->name, line, 0, fmt, ap);
	va_end(ap);
	return -1;
}

static unsigned
line_of(const struct parser *p, struct counter *c, size_t off)
{
	const char *nl;

	while (c->pos < off &&
	    (nl = memchr(p->src + c->pos, '\n', off - c->pos)) != NULL) {
		c->line++;
		c->pos = (size_t)(nl - p->src) + 1;
	}
	if (c->pos < off)
		c->pos = off;
	return c->line;
}

/* True when only blanks follow `off` up to a line end or the end of the
 * template; *eol is then where the next line starts. */
static int
blank_to_eol(const struct parser *p, size_t off, size_t *eol)
{
	while (off < p->len && is_blank(p->src[off]))
		off++;
	if (off == p->len)
		*eol = off;
	else if (p->src[off] == '\n')
		*eol = off + 1;
	else if (p->src[off] == '\r' && off + 1 < p->len &&
	    p->src[off + 1] == '\n')
		*eol = off + 2;
	else
		return 0;
	return 1;
}

/* Follows the text src[from..to) to keep line_start and dirty right. */
static void
note_text(struct parser *p, size_t from, size_t to)
{
	size_t i = to;

	while (i > from && p->src[i - 1] != '\n')
		i--;
	if (i > from) {
		p->line_start = i;
		p->dirty = 0;
	}
	for (; i < to && !p->dirty; i++)
		p->dirty = !is_blank(p->src[i]);
}

static struct node *
new_node(struct parser *p, enum node_type type, unsigned line)
{
	struct node *n = pool_alloc(&p->t->pool, sizeof(*n));

	n->type = type;
	n->line = line;
	return n;
}

static void
append(struct parser *p, struct node *n)
{
	struct open *o = &p->stack[p->depth];

	*o->tail = n;
	o->tail = &n->next;
}

/* Whether a node placed at `off` starts a line of the template.  A comment,
 * set-delimiter or close tag that starts a line passes that on, as the
 * indentation before it would stay in front of what follows. */
static int
take_bol(struct parser *p, size_t off)
{
	int bol = off == 0 || p->src[off - 1] == '\n' || p->carry_bol;

	p->carry_bol = 0;
	return bol;
}

/* Literal text, cut at line ends so that indentation can go before each. */
static void
add_text(struct parser *p, size_t from, size_t to)
{
	const char *nl;
	struct node *n;
	size_t end;

	while (from < to) {
		nl = memchr(p->src + from, '\n', to - from);
		end = nl ? (size_t)(nl - p->src) + 1 : to;
		n = new_node(p, NODE_TEXT, line_of(p, &p->text_lines, from));
		n->text = p->src + from;
		n->len = end - from;
		n->bol = (unsigned char)take_bol(p, from);
		append(p, n);
		from = end;
	}
}

static int
scan_tag(struct parser *p, size_t at, struct tag *t)
{
	const char *s = p->src, *found;
	char close[DELIM_MAX + 2];
	size_t k = at + p->olen, i, clen = 0;

	t->start = at;
	t->line = line_of(p, &p->tag_lines, at);
	t->kind = K_VAR;
	for (i = 0; k < p->len && i < sizeof(sigils) / sizeof(sigils[0]); i++)
		if (s[k] == sigils[i].c) {
			t->kind = sigils[i].kind;
			k++;
			break;
		}
	if (kinds[t->kind].closer)
		close[clen++] = kinds[t->kind].closer;
	memcpy(close + clen, p->ctag, p->clen);
	clen += p->clen;
	found = text_find(s + k, p->len - k, close, clen);
	if (found == NULL)
		return perr(p, t->line, "tag %.*s%s is never closed "
		    "(no \"%.*s\" follows)", (int)p->olen, p->otag,
		    kinds[t->kind].sigil, (int)clen, close);
	t->end = (size_t)(found - s) + clen;
	for (i = (size_t)(found - s); i > k && is_space(s[i - 1]); i--)
		;
	while (k < i && is_space(s[k]))
		k++;
	t->body = k;
	t->blen = i - k;
	return 0;
}

/* The name inside a tag, without the `*` of a dynamic name. */
static void
name_span(const struct parser *p, const struct tag *t, const char **name,
    size_t *len, int *dynamic)
{
	const char *s = p->src + t->body;
	size_t n = t->blen;
	enum name_class c = kinds[t->kind].names;

	*dynamic = 0;
	if ((c == N_TEMPLATE || c == N_CLOSE) && n > 0 && s[0] == '*') {
		*dynamic = 1;
		for (s++, n--; n > 0 && is_space(*s); s++, n--)
			;
	}
	*name = s;
	*len = n;
}

static int
same_name(const struct parser *p, const struct tag *a, const struct tag *b)
{
	const char *na, *nb;
	size_t la, lb;
	int da, db;

	name_span(p, a, &na, &la, &da);
	name_span(p, b, &nb, &lb, &db);
	return da == db && la == lb && memcmp(na, nb, la) == 0;
}

static int
closes(const struct parser *p, const struct tag *t, const struct node *n)
{
	const char *name;
	size_t len;
	int dyn;

	name_span(p, t, &name, &len, &dyn);
	return dyn == n->name.dynamic && len == n->name.len &&
	    memcmp(name, n->name.text, len) == 0;
}

/* Splits a data name at its dots; "." alone is the top of the stack. */
static int
split_name(struct parser *p, const struct tag *t, struct mname *m)
{
	const char *s = m->text, *dot;
	unsigned i;

	if (m->len == 1 && s[0] == '.')
		return 0;
	m->nseg = 1;
	for (dot = s; (dot = strchr(dot, '.')) != NULL; dot++)
		m->nseg++;
	m->seg = pool_alloc(&p->t->pool, m->nseg * sizeof(*m->seg));
	for (i = 0; i < m->nseg; i++) {
		dot = strchr(s, '.');
		if (dot == NULL)
			dot = s + strlen(s);
		if (dot == s)
			return perr(p, t->line, "bad name \"%s\" in "
			    "%.*s%s tag: empty part between dots", m->text,
			    (int)p->olen, p->otag, kinds[t->kind].sigil);
		m->seg[i] = pool_strndup(&p->t->pool, s, (size_t)(dot - s));
		s = dot + 1;
	}
	return 0;
}

static int
bad_name(struct parser *p, const struct tag *t, const char *s, size_t n)
{
	char shown[64 + 4];

	mustache_quote(shown, 64, s, n);
	if (n > MUSTACHE_NAME_MAX)
		return perr(p, t->line, "name \"%s\" is longer than %d bytes",
		    shown, MUSTACHE_NAME_MAX);
	return perr(p, t->line, "bad name \"%s\": a name has no blanks or "
	    "control characters", shown);
}

static int
parse_name(struct parser *p, const struct tag *t, struct mname *m)
{
	const char *s;
	size_t n, i;
	int dyn;

	name_span(p, t, &s, &n, &dyn);
	m->dynamic = (unsigned char)dyn;
	if (n == 0)
		return perr(p, t->line, "empty name in %.*s%s tag",
		    (int)p->olen, p->otag, kinds[t->kind].sigil);
	if (n > MUSTACHE_NAME_MAX)
		return bad_name(p, t, s, n);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return bad_name(p, t, s, n);
	m->text = pool_strndup(&p->t->pool, s, n);
	m->len = n;
	if (kinds[t->kind].names == N_DATA || dyn)
		return split_name(p, t, m);
	return 0;
}

/* A node for a tag that has one: variables, sections, partials, ... */
static struct node *
tag_node(struct parser *p, const struct tag *t, const struct placement *pl)
{
	struct node *n = new_node(p, kinds[t->kind].node, t->line);

	if (parse_name(p, t, &n->name) == -1)
		return NULL;
	if (pl->standalone) {
		n->indent = p->src + pl->indent;
		n->indent_len = pl->indent_len;
		p->carry_bol = 0;
	} else
		n->bol = (unsigned char)take_bol(p, t->start);
	return n;
}

static int
tag_value(struct parser *p, const struct tag *t, const struct placement *pl)
{
	struct node *n = tag_node(p, t, pl);

	if (n == NULL)
		return -1;
	append(p, n);
	return 0;
}

static int
tag_open(struct parser *p, const struct tag *t, const struct placement *pl)
{
	struct node *n;
	struct open *o;

	if (p->depth >= p->max_depth)
		return perr(p, t->line, "sections nested deeper than %u",
		    p->max_depth);
	if ((n = tag_node(p, t, pl)) == NULL)
		return -1;
	/* A block's indentation is known only once its content is. */
	if (t->kind == K_BLOCK)
		n->indent = NULL;
	append(p, n);
	o = &p->stack[++p->depth];
	o->node = n;
	o->tail = &n->kids;
	o->kind = t->kind;
	o->standalone = pl->standalone;
	o->content = pl->after;
	o->indent = pl->indent;
	o->indent_len = pl->indent_len;
	return 0;
}

/* The blank prefix common to the non-blank lines of src[from..to): the
 * indentation of a block's content.  Returns 0 when every line is blank. */
static int
common_indent(const struct parser *p, size_t from, size_t to, size_t *at,
    size_t *len)
{
	const char *s = p->src;
	size_t i, w, k;
	int found = 0;

	for (i = from; i < to; ) {
		for (w = 0; i + w < to && is_blank(s[i + w]); w++)
			;
		if (i + w < to && s[i + w] != '\n' && s[i + w] != '\r') {
			if (!found) {
				*at = i;
				*len = w;
				found = 1;
			}
			for (k = 0; k < *len && k < w && s[*at + k] == s[i + k];
			    k++)
				;
			*len = k;
		}
		while (i < to && s[i] != '\n')
			i++;
		i++;
	}
	return found;
}

static void
block_indent(struct parser *p, const struct open *o, size_t end)
{
	struct node *n = o->node;
	size_t at, len;

	if (!o->standalone)
		return;
	if (common_indent(p, o->content, end, &at, &len)) {
		n->indent = p->src + at;
		n->indent_len = len;
	} else {
		n->indent = p->src + o->indent;
		n->indent_len = o->indent_len;
	}
}

static int
cmp_block(const void *a, const void *b)
{
	const struct node *x = *(struct node *const *)a;
	const struct node *y = *(struct node *const *)b;

	return strcmp(x->name.text, y->name.text);
}

/* A parent keeps its blocks, sorted for lookup; anything else inside it
 * is ignored, as the specification says. */
static int
parent_blocks(struct parser *p, struct node *parent)
{
	struct node *k;
	size_t i = 0;

	for (k = parent->kids; k != NULL; k = k->next)
		parent->nblocks += k->type == NODE_BLOCK;
	if (parent->nblocks == 0)
		return 0;
	parent->blocks = pool_alloc(&p->t->pool,
	    parent->nblocks * sizeof(*parent->blocks));
	for (k = parent->kids; k != NULL; k = k->next)
		if (k->type == NODE_BLOCK)
			parent->blocks[i++] = k;
	qsort(parent->blocks, parent->nblocks, sizeof(*parent->blocks),
	    cmp_block);
	for (i = 1; i < parent->nblocks; i++)
		if (strcmp(parent->blocks[i - 1]->name.text,
		    parent->blocks[i]->name.text) == 0)
			return perr(p, parent->blocks[i]->line, "block "
			    "{{$%s}} given twice in {{<%s}}",
			    parent->blocks[i]->name.text, parent->name.text);
	return 0;
}

static void
carry_if_bol(struct parser *p, const struct tag *t,
    const struct placement *pl)
{
	if (!pl->standalone && take_bol(p, t->start))
		p->carry_bol = 1;
}

static int
close_error(struct parser *p, const struct tag *t, const struct open *o)
{
	char shown[64 + 4];

	mustache_quote(shown, 64, p->src + t->body, t->blen);
	if (p->depth == 0)
		return perr(p, t->line, "%.*s/%s%.*s closes nothing",
		    (int)p->olen, p->otag, shown, (int)p->clen, p->ctag);
	return perr(p, t->line, "%.*s/%s%.*s does not close {{%s%s%s}} "
	    "opened at line %u", (int)p->olen, p->otag, shown, (int)p->clen,
	    p->ctag, kinds[o->kind].sigil, o->node->name.dynamic ? "*" : "",
	    o->node->name.text, o->node->line);
}

static int
tag_close(struct parser *p, const struct tag *t, const struct placement *pl)
{
	struct open *o = &p->stack[p->depth];

	if (p->depth == 0 || !closes(p, t, o->node))
		return close_error(p, t, o);
	if (o->kind == K_BLOCK)
		block_indent(p, o, pl->before);
	if (o->kind == K_PARENT && parent_blocks(p, o->node) == -1)
		return -1;
	p->depth--;
	carry_if_bol(p, t, pl);
	return 0;
}

static int
tag_comment(struct parser *p, const struct tag *t, const struct placement *pl)
{
	carry_if_bol(p, t, pl);
	return 0;
}

static int
bad_delim(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > DELIM_MAX)
		return 1;
	for (i = 0; i < n; i++)
		if (is_space(s[i]) || s[i] == '=' || (unsigned char)s[i] < ' ')
			return 1;
	return 0;
}

/* {{=<% %>=}}: two words, neither with blanks or '='. */
static int
tag_delim(struct parser *p, const struct tag *t, const struct placement *pl)
{
	const char *s = p->src + t->body;
	size_t n = t->blen, a = 0, b;
	char shown[64 + 4];

	while (a < n && !is_space(s[a]))
		a++;
	for (b = a; b < n && is_space(s[b]); b++)
		;
	if (bad_delim(s, a) || bad_delim(s + b, n - b)) {
		mustache_quote(shown, 64, s, n);
		return perr(p, t->line, "bad delimiter change \"%s\": want "
		    "two delimiters of 1 to %d characters, without blanks or "
		    "'='", shown, DELIM_MAX);
	}
	memcpy(p->otag, s, a);
	p->olen = a;
	memcpy(p->ctag, s + b, n - b);
	p->clen = n - b;
	carry_if_bol(p, t, pl);
	return 0;
}

static int
place(struct parser *p, const struct tag *t, const struct placement *pl)
{
	return kinds[t->kind].fn(p, t, pl);
}

/* A tag alone on its line: the line goes, the tag stays. */
static int
place_standalone(struct parser *p, const struct tag *t, size_t eol)
{
	struct placement pl = { 1, p->line_start, t->start - p->line_start,
	    eol, p->line_start };

	add_text(p, p->pos, p->line_start);
	if (place(p, t, &pl) == -1)
		return -1;
	p->pos = p->line_start = eol;
	p->dirty = 0;
	return 0;
}

static int
place_inline(struct parser *p, const struct tag *t)
{
	struct placement pl = { 0, 0, 0, t->end, t->start };

	add_text(p, p->pos, t->start);
	if (place(p, t, &pl) == -1)
		return -1;
	p->pos = t->end;
	p->dirty = 1;
	return 0;
}

enum pair {
	PAIR_NONE,
	PAIR_PARENT_EMPTY,	/* {{<p}}{{/p}} */
	PAIR_PARENT_BLOCK,	/* {{<p}}{{$b}} */
	PAIR_CLOSE_CLOSE,	/* {{/b}}{{/p}} */
	PAIR_BLOCK_EMPTY	/* {{$b}}{{/b}}: the line end stays */
};

static enum pair
pair_kind(const struct parser *p, const struct tag *a, const struct tag *b)
{
	const struct open *top = &p->stack[p->depth];

	if (a->kind == K_PARENT && b->kind == K_CLOSE && same_name(p, a, b))
		return PAIR_PARENT_EMPTY;
	if (a->kind == K_BLOCK && b->kind == K_CLOSE && same_name(p, a, b))
		return PAIR_BLOCK_EMPTY;
	if (a->kind == K_PARENT && b->kind == K_BLOCK)
		return PAIR_PARENT_BLOCK;
	if (a->kind == K_CLOSE && b->kind == K_CLOSE && p->depth >= 2 &&
	    top->kind == K_BLOCK && closes(p, a, top->node) &&
	    top[-1].kind == K_PARENT && closes(p, b, top[-1].node))
		return PAIR_CLOSE_CLOSE;
	return PAIR_NONE;
}

/* Two tags that together are alone on their line (see the head comment). */
static int
place_pair(struct parser *p, const struct tag *a, const struct tag *b,
    enum pair kind, size_t eol)
{
	struct placement pa = { 1, p->line_start, a->start - p->line_start,
	    eol, p->line_start };
	struct placement pb = pa;

	if (kind == PAIR_BLOCK_EMPTY) {
		pa.after = a->end;
		pb.standalone = 0;
		pb.before = b->start;
	}
	add_text(p, p->pos, p->line_start);
	if (place(p, a, &pa) == -1 || place(p, b, &pb) == -1)
		return -1;
	if (kind == PAIR_BLOCK_EMPTY) {
		p->pos = b->end;
		p->dirty = 1;
	} else {
		p->pos = p->line_start = eol;
		p->dirty = 0;
	}
	return 0;
}

static int
try_pair(struct parser *p, const struct tag *a)
{
	struct tag b;
	enum pair kind;
	size_t eol;

	if (a->kind != K_PARENT && a->kind != K_BLOCK && a->kind != K_CLOSE)
		return 0;
	if (p->len - a->end < p->olen ||
	    memcmp(p->src + a->end, p->otag, p->olen) != 0)
		return 0;
	/* A scan error here is reported when the main loop gets there. */
	if (scan_tag(p, a->end, &b) == -1 || !blank_to_eol(p, b.end, &eol))
		return 0;
	if ((kind = pair_kind(p, a, &b)) == PAIR_NONE)
		return 0;
	return place_pair(p, a, &b, kind, eol) == -1 ? -1 : 1;
}

static int
place_tag(struct parser *p, const struct tag *t)
{
	size_t eol;
	int rc;

	if (!p->dirty && kinds[t->kind].standalone &&
	    blank_to_eol(p, t->end, &eol))
		return place_standalone(p, t, eol);
	if (!p->dirty && (rc = try_pair(p, t)) != 0)
		return rc == -1 ? -1 : 0;
	return place_inline(p, t);
}

static int
parse_all(struct parser *p)
{
	const char *at;
	struct tag t;
	size_t off;

	while (p->pos < p->len) {
		at = text_find(p->src + p->pos, p->len - p->pos, p->otag, p->olen);
		off = at ? (size_t)(at - p->src) : p->len;
		note_text(p, p->pos, off);
		if (at == NULL) {
			add_text(p, p->pos, p->len);
			p->pos = p->len;
		} else if (scan_tag(p, off, &t) == -1 || place_tag(p, &t) == -1)
			return -1;
	}
	if (p->depth > 0) {
		const struct open *o = &p->stack[p->depth];
		return perr(p, o->node->line, "{{%s%s%s}} is never closed",
		    kinds[o->kind].sigil, o->node->name.dynamic ? "*" : "",
		    o->node->name.text);
	}
	return 0;
}

static void
parser_init(struct parser *p, struct mustache *t, unsigned max_depth,
    struct diag *err)
{
	memset(p, 0, sizeof(*p));
	p->t = t;
	p->err = err;
	p->src = t->src;
	p->len = t->len;
	p->tag_lines.line = p->text_lines.line = 1;
	memcpy(p->otag, "{{", 2);
	memcpy(p->ctag, "}}", 2);
	p->olen = p->clen = 2;
	p->max_depth = max_depth;
	p->stack = xcalloc(max_depth + 1, sizeof(*p->stack));
	p->stack[0].tail = &t->root;
}

struct mustache *
mustache_parse(const char *src, size_t len, const char *name,
    const struct mustache_opts *opts, struct diag *err)
{
	struct mustache_limits lim;
	struct mustache *t;
	struct parser p;
	struct pool pool;
	int rc;

	if (name == NULL)
		name = "template";
	mustache_limits(opts, &lim);
	if (len > lim.max_template) {
		diag_set(err, name, 0, 0, "template is %zu bytes, more "
		    "than the limit of %zu", len, lim.max_template);
		return NULL;
	}
	/* Nodes take a few times the size of the text they come from. */
	pool_init(&pool, len * 2 + 1024);
	t = pool_alloc(&pool, sizeof(*t));
	t->name = pool_strndup(&pool, name, strlen(name));
	t->src = pool_strndup(&pool, len > 0 ? src : "", len);
	t->len = len;
	t->pool = pool;
	parser_init(&p, t, lim.max_depth, err);
	rc = parse_all(&p);
	free(p.stack);
	if (rc == -1) {
		mustache_free(t);
		return NULL;
	}
	return t;
}
