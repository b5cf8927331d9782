/* The Mustache renderer: walks the tree of mustache_impl.h against a
 * context stack of json-c values and writes through one escaper per output
 * format.
 *
 * Everything a render keeps on the way down lives in the C stack frames of
 * the walk: the context stack, the block arguments of the parents being
 * expanded, the indentation.  The walk's depth is bounded by max_depth and
 * its length by max_steps, so neither a template that includes itself nor
 * sections nested over large lists can run away. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mustache_impl.h"
#include "strmap.h"
#include "text.h"

/* A level of the context stack. */
struct frame {
	json_object		*v;
	const struct frame	*up;
};

/* The block arguments of a parent being expanded, and of those around it:
 * the outermost one that sets a block wins. */
struct args {
	const struct node	*parent;
	const struct mustache	*t;	/* where the parent tag is */
	const struct args	*up;
};

/* Indentation for the lines of the current template: `strip` is taken off
 * the start of each line (a block's own indentation where it is defined),
 * `add` put in front (where it is expanded, or a standalone partial's). */
struct indent {
	const char	*strip;
	size_t		 strip_len;
	const char	*add;
	size_t		 add_len;
};

struct scope {
	const struct mustache	*t;	/* whose nodes these are: for errors */
	const struct frame	*ctx;
	const struct args	*args;
	struct indent		 ind;
};

struct escaper {
	void	(*add)(struct buf *, const char *, size_t);
	/* 0 when the format can carry the value, else -1 and why. */
	int	(*check)(const char *, size_t, char *why, size_t whylen);
};

struct render {
	struct mustache_limits		 lim;
	const struct mustache_opts	*o;
	const struct escaper		*esc;
	struct buf			*out;
	size_t				 start;	/* out->len before the render */
	struct diag		*err;
	unsigned long			 steps;
	unsigned			 depth;
	/* Partials by name: a parsed template, or &missing. */
	struct strmap			 cache;
	struct mustache			*loaded[MUSTACHE_PARTIALS_MAX];
	size_t				 nloaded, ncached;
	struct pool			 pool;	/* names of missing partials */
};

static char missing;

typedef int (*node_fn)(struct render *, const struct scope *,
    const struct node *);

static int	render_list(struct render *, const struct scope *,
		    const struct node *, int);

static int
fail(struct render *r, const struct mustache *t, unsigned line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct render *r, const struct mustache *t, unsigned line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(r->err, t->name, line, 0, fmt, ap);
	va_end(ap);
	return -1;
}

static void
add_plain(struct buf *b, const char *s, size_t n)
{
	buf_add(b, s, n);
}

/* The specification's escaping (& < > "), and ' as well, which the spec
 * allows and which keeps single-quoted attributes safe: the same escaper
 * as every other HTML and XML output. */
static void
add_html(struct buf *b, const char *s, size_t n)
{
	buf_add_xml(b, s, n);
}

static int
xml_check(const char *s, size_t n, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			snprintf(why, whylen, "holds control character 0x%02x, "
			    "which XML cannot carry", c);
			return -1;
		}
	}
	if (!utf8_ok(s, n)) {
		snprintf(why, whylen, "is not valid UTF-8");
		return -1;
	}
	return 0;
}

static int
line_check(const char *s, size_t n, char *why, size_t whylen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f)
			continue;
		if (c == '\n')
			snprintf(why, whylen, "holds a newline");
		else if (c == '\r')
			snprintf(why, whylen, "holds a carriage return");
		else
			snprintf(why, whylen, "holds control character 0x%02x",
			    c);
		snprintf(why + strlen(why), whylen - strlen(why),
		    ", which a line-based format cannot carry");
		return -1;
	}
	return 0;
}

static const struct escaper escapers[] = {
	[MUSTACHE_ESCAPE_HTML] = { add_html, NULL },
	[MUSTACHE_ESCAPE_XML] = { buf_add_xml, xml_check },
	[MUSTACHE_ESCAPE_NONE_LINE] = { add_plain, line_check },
};

/* Output is capped.  Escaping can grow a value up to six times, so an
 * escaped value is checked again once written. */
static int
room(struct render *r, const struct scope *s, const struct node *n,
    size_t len)
{
	size_t used = r->out->len - r->start;

	if (used <= r->lim.max_output && len <= r->lim.max_output - used)
		return 0;
	return fail(r, s->t, n->line, "output larger than %zu bytes",
	    r->lim.max_output);
}

static int
emit(struct render *r, const struct scope *s, const struct node *n,
    const char *p, size_t len)
{
	if (room(r, s, n, len) == -1)
		return -1;
	buf_add(r->out, p, len);
	return 0;
}

/* The specification's name resolution: the first part is looked up from
 * the top of the context stack down, the other parts only inside what the
 * first one found.  JSON null and a miss both come back as NULL. */
static json_object *
lookup(const struct frame *f, const struct mname *m)
{
	json_object *v = NULL;
	unsigned i;

	if (m->nseg == 0)
		return f->v;
	for (; f != NULL; f = f->up)
		if (json_object_is_type(f->v, json_type_object) &&
		    json_object_object_get_ex(f->v, m->seg[0], &v))
			break;
	if (f == NULL)
		return NULL;
	for (i = 1; i < m->nseg; i++)
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, m->seg[i], &v))
			return NULL;
	return v;
}

/* False: a miss, null, false, "" and []; numbers are true, even 0, as a
 * value of 0 in a profile is usually meant to be written out. */
static int
truthy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	case json_type_array:
		return json_object_array_length(v) > 0;
	default:
		return 1;
	}
}

/* The shortest text that reads back as the same double: 1.21, not the
 * 1.2099999999999999 of %.17g. */
static const char *
double_text(double d, char *num, size_t numlen)
{
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(num, numlen, "%.*g", prec, d);
		if (strtod(num, NULL) == d)
			return num;
	}
	snprintf(num, numlen, "%.17g", d);
	return num;
}

static const char *
value_text(json_object *v, char *num, size_t numlen, size_t *len)
{
	const char *s;

	switch (json_object_get_type(v)) {
	case json_type_null:
		s = "";
		break;
	case json_type_string:
		*len = (size_t)json_object_get_string_len(v);
		return json_object_get_string(v);
	case json_type_double:
		s = double_text(json_object_get_double(v), num, numlen);
		break;
	default:	/* numbers, booleans; objects and arrays as JSON */
		s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		break;
	}
	*len = strlen(s);
	return s;
}

static int
render_value(struct render *r, const struct scope *s, const struct node *n)
{
	json_object *v = lookup(s->ctx, &n->name);
	char num[32], why[128];
	const char *str;
	size_t len;

	if (v == NULL)
		return 0;
	str = value_text(v, num, sizeof(num), &len);
	if (r->esc->check && r->esc->check(str, len, why, sizeof(why)) == -1)
		return fail(r, s->t, n->line, "value of {{%s}} %s",
		    n->name.text, why);
	if (n->type == NODE_RAW)
		return emit(r, s, n, str, len);
	if (room(r, s, n, len) == -1)
		return -1;
	r->esc->add(r->out, str, len);
	return room(r, s, n, 0);
}

static const char *const sigils[NODE_TYPES] = {
	[NODE_SECTION] = "#", [NODE_INVERTED] = "^", [NODE_PARTIAL] = ">",
	[NODE_PARENT] = "<", [NODE_BLOCK] = "$",
};

static int
enter(struct render *r, const struct scope *s, const struct node *n)
{
	if (r->depth < r->lim.max_depth) {
		r->depth++;
		return 0;
	}
	return fail(r, s->t, n->line, "templates nested deeper than %u at "
	    "{{%s%s%s}}%s", r->lim.max_depth, sigils[n->type],
	    n->name.dynamic ? "*" : "", n->name.text,
	    n->type == NODE_PARTIAL || n->type == NODE_PARENT ?
	    ": does a partial or parent include itself?" : "");
}

static int
leave(struct render *r, int rc)
{
	r->depth--;
	return rc;
}

static int
render_in(struct render *r, const struct scope *s, const struct node *n,
    json_object *v)
{
	struct frame f = { v, s->ctx };
	struct scope sub = *s;

	sub.ctx = &f;
	return render_list(r, &sub, n->kids, 0);
}

static int
render_section(struct render *r, const struct scope *s, const struct node *n)
{
	json_object *v = lookup(s->ctx, &n->name);
	size_t i, count;
	int rc = 0;

	if (!truthy(v))
		return 0;
	if (enter(r, s, n) == -1)
		return -1;
	if (!json_object_is_type(v, json_type_array))
		return leave(r, render_in(r, s, n, v));
	count = json_object_array_length(v);
	for (i = 0; i < count && rc == 0; i++) {
		if (++r->steps > r->lim.max_steps)
			rc = fail(r, s->t, n->line, "rendering takes more than "
			    "%lu steps", r->lim.max_steps);
		else
			rc = render_in(r, s, n, json_object_array_get_idx(v, i));
	}
	return leave(r, rc);
}

static int
render_inverted(struct render *r, const struct scope *s, const struct node *n)
{
	if (truthy(lookup(s->ctx, &n->name)))
		return 0;
	if (enter(r, s, n) == -1)
		return -1;
	return leave(r, render_list(r, s, n->kids, 0));
}

/* The indentation where a standalone partial, parent or block expands:
 * its own blank run, with what the current template strips replaced by
 * what it adds.  Composed in `buf` (MUSTACHE_INDENT_MAX bytes). */
static int
site_indent(struct render *r, const struct scope *s, const struct node *n,
    char *buf, struct indent *ind)
{
	const struct indent *cur = &s->ind;
	size_t k = 0, total;

	while (k < n->indent_len && k < cur->strip_len &&
	    n->indent[k] == cur->strip[k])
		k++;
	total = cur->add_len + n->indent_len - k;
	if (total > MUSTACHE_INDENT_MAX)
		return fail(r, s->t, n->line, "indentation deeper than %d "
		    "characters", MUSTACHE_INDENT_MAX);
	memcpy(buf, cur->add, cur->add_len);
	memcpy(buf + cur->add_len, n->indent + k, n->indent_len - k);
	ind->add = buf;
	ind->add_len = total;
	return 0;
}

/* The name of the partial or parent to expand; NULL when a dynamic name
 * does not resolve to a usable string. */
static const char *
template_name(const struct scope *s, const struct node *n)
{
	json_object *v;
	const char *name;
	size_t len;

	if (!n->name.dynamic)
		return n->name.text;
	v = lookup(s->ctx, &n->name);
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	name = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (len == 0 || len > MUSTACHE_NAME_MAX || strlen(name) != len)
		return NULL;
	return name;
}

static int
load_new(struct render *r, const struct scope *s, const struct node *n,
    const char *name, const struct mustache **t)
{
	size_t len = 0;
	char *text = NULL;
	struct mustache *parsed;
	int rc;

	if (r->ncached >= MUSTACHE_PARTIALS_MAX)
		return fail(r, s->t, n->line, "more than %d different partials",
		    MUSTACHE_PARTIALS_MAX);
	r->ncached++;
	if (r->o->find != NULL &&
	    (*t = r->o->find(r->o->loader_ctx, name)) != NULL) {
		/* Borrowed: cached for this render, never freed here. */
		strmap_put(&r->cache, pool_strndup(&r->pool, name, strlen(name)),
		    strlen(name), (void *)(uintptr_t)*t);
		return 0;
	}
	rc = r->o->loader == NULL ? MUSTACHE_LOAD_MISSING :
	    r->o->loader(r->o->loader_ctx, name, &text, &len);
	if (rc == MUSTACHE_LOAD_MISSING) {
		*t = NULL;
		strmap_put(&r->cache, pool_strndup(&r->pool, name, strlen(name)),
		    strlen(name), &missing);
		return 0;
	}
	if (rc != MUSTACHE_LOAD_OK)
		return fail(r, s->t, n->line, "template \"%s\" could not be "
		    "loaded", name);
	parsed = mustache_parse(text, len, name, r->o, r->err);
	free(text);
	if (parsed == NULL)
		return -1;
	r->loaded[r->nloaded++] = parsed;
	strmap_put(&r->cache, parsed->name, strlen(name), parsed);
	*t = parsed;
	return 0;
}

/* Each partial is loaded and parsed once per render. */
static int
load(struct render *r, const struct scope *s, const struct node *n,
    const char *name, const struct mustache **t)
{
	const struct mustache *found = NULL;
	const void *hit;

	hit = strmap_get(&r->cache, name, strlen(name));
	if (hit == NULL) {
		if (load_new(r, s, n, name, &found) == -1)
			return -1;
		hit = found != NULL ? (const void *)found : &missing;
	}
	*t = hit == &missing ? NULL : hit;
	if (*t == NULL && r->o->strict)
		return fail(r, s->t, n->line, "%s \"%s\" not found",
		    n->type == NODE_PARENT ? "parent" : "partial", name);
	return 0;
}

static int
render_partial(struct render *r, const struct scope *s, const struct node *n)
{
	const char *name = template_name(s, n);
	const struct mustache *t;
	struct args a = { n, s->t, s->args };
	struct scope sub = { NULL, s->ctx, s->args, { "", 0, "", 0 } };
	char indent[MUSTACHE_INDENT_MAX];

	if (name == NULL)
		return r->o->strict ? fail(r, s->t, n->line, "{{%s*%s}} names "
		    "no template: not a string in the data", sigils[n->type],
		    n->name.text) : 0;
	if (load(r, s, n, name, &t) == -1)
		return -1;
	if (t == NULL)
		return 0;
	sub.t = t;
	if (n->type == NODE_PARENT)
		sub.args = &a;
	if (n->indent != NULL && site_indent(r, s, n, indent, &sub.ind) == -1)
		return -1;
	if (enter(r, s, n) == -1)
		return -1;
	return leave(r, render_list(r, &sub, t->root, 0));
}

static int
cmp_arg(const void *key, const void *elem)
{
	return strcmp(key, (*(struct node *const *)elem)->name.text);
}

/* The argument for block `n`, from the outermost parent that gives one. */
static const struct node *
find_arg(const struct args *a, const struct node *n,
    const struct mustache **t)
{
	const struct node *found = NULL;
	struct node *const *hit;

	for (; a != NULL; a = a->up) {
		if (a->parent->nblocks == 0)
			continue;
		hit = bsearch(n->name.text, a->parent->blocks,
		    a->parent->nblocks, sizeof(*hit), cmp_arg);
		if (hit != NULL) {
			found = *hit;
			*t = a->t;
		}
	}
	return found;
}

/* A block renders its argument if a parent got one, else its own content.
 * A standalone block moves that content to its own indentation. */
static int
render_block(struct render *r, const struct scope *s, const struct node *n)
{
	struct scope sub = *s;
	const struct node *arg = find_arg(s->args, n, &sub.t);
	char indent[MUSTACHE_INDENT_MAX];

	if (arg == NULL && n->indent == NULL) {
		if (enter(r, s, n) == -1)
			return -1;
		return leave(r, render_list(r, s, n->kids, 0));
	}
	if (arg == NULL)
		arg = n;
	sub.ind.strip = arg->indent != NULL ? arg->indent : "";
	sub.ind.strip_len = arg->indent_len;
	if (n->indent != NULL && site_indent(r, s, n, indent, &sub.ind) == -1)
		return -1;
	if (enter(r, s, n) == -1)
		return -1;
	return leave(r, render_list(r, &sub, arg->kids, n->indent != NULL));
}

/* A blank line gets no indentation. */
static int
blank_line(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	return (n == 1 && s[0] == '\n') || (n == 2 && s[0] == '\r' &&
	    s[1] == '\n');
}

static int
render_text(struct render *r, const struct scope *s, const struct node *n,
    int bol)
{
	size_t k = 0;

	if (bol) {
		while (k < n->len && k < s->ind.strip_len &&
		    n->text[k] == s->ind.strip[k])
			k++;
		if (s->ind.add_len > 0 && !blank_line(n->text + k, n->len - k) &&
		    emit(r, s, n, s->ind.add, s->ind.add_len) == -1)
			return -1;
	}
	return emit(r, s, n, n->text + k, n->len - k);
}

static const node_fn node_fns[NODE_TYPES] = {
	[NODE_VAR] = render_value,
	[NODE_RAW] = render_value,
	[NODE_SECTION] = render_section,
	[NODE_INVERTED] = render_inverted,
	[NODE_PARTIAL] = render_partial,
	[NODE_PARENT] = render_partial,
	[NODE_BLOCK] = render_block,
};

/* `first_bol`: the first node starts a line even if it does not start one
 * in its own template (the argument of a standalone block). */
static int
render_list(struct render *r, const struct scope *s, const struct node *n,
    int first_bol)
{
	int bol;

	for (; n != NULL; n = n->next, first_bol = 0) {
		if (++r->steps > r->lim.max_steps)
			return fail(r, s->t, n->line, "rendering takes more "
			    "than %lu steps", r->lim.max_steps);
		bol = n->bol || first_bol;
		if (n->type == NODE_TEXT) {
			if (render_text(r, s, n, bol) == -1)
				return -1;
			continue;
		}
		if (bol && s->ind.add_len > 0 &&
		    emit(r, s, n, s->ind.add, s->ind.add_len) == -1)
			return -1;
		if (node_fns[n->type](r, s, n) == -1)
			return -1;
	}
	return 0;
}

static void
render_init(struct render *r, const struct mustache_opts *o, struct buf *out,
    struct diag *err)
{
	memset(r, 0, sizeof(*r));
	mustache_limits(o, &r->lim);
	r->o = o;
	r->esc = &escapers[o->escape];
	r->out = out;
	r->start = out->len;
	r->err = err;
	strmap_init(&r->cache, 16);
	pool_init(&r->pool, 0);
}

static void
render_free(struct render *r)
{
	size_t i;

	for (i = 0; i < r->nloaded; i++)
		mustache_free(r->loaded[i]);
	strmap_free(&r->cache);
	pool_free(&r->pool);
}

int
mustache_render(const struct mustache *t, json_object *data,
    const struct mustache_opts *opts, struct buf *out,
    struct diag *err)
{
	static const struct mustache_opts defaults;
	struct frame root = { data, NULL };
	struct scope s = { t, &root, NULL, { "", 0, "", 0 } };
	struct render *r;
	int rc;

	if (opts == NULL)
		opts = &defaults;
	if ((unsigned)opts->escape >= sizeof(escapers) / sizeof(escapers[0])) {
		diag_set(err, t->name, 0, 0, "unknown escaping %d",
		    (int)opts->escape);
		return -1;
	}
	/* The render state holds the partial table: keep it off the stack. */
	r = xmalloc(sizeof(*r));
	render_init(r, opts, out, err);
	rc = render_list(r, &s, t->root, 0);
	if (rc == -1 && out->data != NULL) {
		out->len = r->start;
		out->data[out->len] = '\0';
	}
	render_free(r);
	free(r);
	return rc;
}
