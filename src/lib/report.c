#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "buf.h"
#include "report.h"
#include "text.h"
#include "xmlsafe.h"

/* ---- the parameter list ---- */

#define REPORT_ARENA_CHUNK	(64 * 1024)

void
report_init(struct report *r, enum report_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	/* A 73 KB report keeps about 40 KB of names and values. */
	arena_init_sized(&r->arena, REPORT_ARENA_CHUNK);
	strmap_init(&r->index, 64);
}

void
report_free(struct report *r)
{
	free(r->params);
	strmap_free(&r->index);
	arena_free(&r->arena);
	memset(r, 0, sizeof(*r));
}

/* Room for about n parameters without growing the list or its index
 * (growing rehashes every name); only on an empty report. */
static void
report_reserve(struct report *r, size_t n)
{
	if (r->n > 0 || n <= r->cap)
		return;
	r->cap = n;
	r->params = xrealloc(r->params, n * sizeof(*r->params));
	strmap_free(&r->index);
	strmap_init(&r->index, n);
}

void
report_set(struct report *r, const char *name, size_t name_len,
    const char *value, size_t value_len)
{
	uint32_t h = strmap_hash(name, name_len);
	struct report_param *p;
	uintptr_t at;
	char *both;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->params = xrealloc(r->params, r->cap * sizeof(*r->params));
	}
	/* The name and its value in one piece of the arena, and one probe
	 * of the index: a name seen before (rare) leaves its copy unused.
	 * One hash per name: the parameter keeps it for every later lookup
	 * (the comparison, cmpnames.h, the store). */
	both = arena_alloc_bytes(&r->arena, name_len + value_len + 2);
	memcpy(both, name, name_len);
	both[name_len] = '\0';
	memcpy(both + name_len + 1, value, value_len);
	both[name_len + 1 + value_len] = '\0';
	at = (uintptr_t)strmap_put_hashed(&r->index, both, name_len, h,
	    (void *)(uintptr_t)(r->n + 1));
	if (at != 0) {
		p = &r->params[at - 1];
		p->value = both + name_len + 1;
		p->value_len = value_len;
		return;
	}
	r->params[r->n++] = (struct report_param){ .name = both,
	    .name_len = name_len, .value = both + name_len + 1,
	    .value_len = value_len, .name_hash = h };
}

const struct report_param *
report_lookup(const struct report *r, const char *name, size_t name_len,
    uint32_t name_hash)
{
	uintptr_t at = (uintptr_t)strmap_get_hashed(&r->index, name, name_len,
	    name_hash);

	return at ? &r->params[at - 1] : NULL;
}

const struct report_param *
report_get(const struct report *r, const char *name)
{
	size_t n = strlen(name);

	return report_lookup(r, name, n, strmap_hash(name, n));
}

void
report_merge(struct report *dst, const struct report *src)
{
	for (size_t i = 0; i < src->n; i++)
		report_set(dst, src->params[i].name, src->params[i].name_len,
		    src->params[i].value, src->params[i].value_len);
}

/* ---- names and codes ---- */

static const char *const kind_names[] = {
	[REPORT_CONFIG] = "config",
	[REPORT_DELTA] = "delta",
	[REPORT_STATUS] = "status",
};

const char *
report_kind_name(enum report_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ?
	    kind_names[k] : "config";
}

int
report_kind_parse(const char *s, size_t n, enum report_kind *out)
{
	static const struct { const char *name; enum report_kind kind; } t[] = {
		{ "config", REPORT_CONFIG },
		{ "full", REPORT_CONFIG },
		{ "delta", REPORT_DELTA },
		{ "status", REPORT_STATUS },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strlen(t[i].name) == n && memcmp(t[i].name, s, n) == 0) {
			*out = t[i].kind;
			return 0;
		}
	return -1;
}

static const struct {
	int		 status;
	const char	*name;
} errors[REPORT_E_COUNT] = {
	[REPORT_OK] = { 200, "ok" },
	[REPORT_E_EMPTY] = { 400, "empty body" },
	[REPORT_E_TOO_LARGE] = { 413, "body too large" },
	[REPORT_E_ENCODING] = { 400, "not UTF-8" },
	[REPORT_E_NOT_XML] = { 400, "not well-formed XML" },
	[REPORT_E_DOCTYPE] = { 400, "DOCTYPE not allowed" },
	[REPORT_E_SHAPE] = { 400, "not a report document" },
	[REPORT_E_TOO_DEEP] = { 400, "nested too deep" },
	[REPORT_E_TOO_MANY] = { 400, "too many parameters" },
	[REPORT_E_NAME] = { 400, "bad parameter name" },
	[REPORT_E_VALUE] = { 400, "bad parameter value" },
};

int
report_error_status(enum report_error e)
{
	return (unsigned)e < REPORT_E_COUNT ? errors[e].status : 500;
}

const char *
report_error_name(enum report_error e)
{
	return (unsigned)e < REPORT_E_COUNT ? errors[e].name : "unknown";
}

void
report_limits_default(struct report_limits *l)
{
	l->max_body = REPORT_BODY_MAX_DEFAULT;
	l->max_params = REPORT_PARAMS_MAX;
}

/* ---- the SAX parser ---- */

/* What an element name means at the top of a report. */
enum role { ROLE_WRAPPER, ROLE_CONFIG, ROLE_STATUS };

static const struct {
	const char	*name;
	enum role	 role;
} shapes[] = {
	{ "env", ROLE_WRAPPER },
	{ "device", ROLE_WRAPPER },
	{ "flat-profile", ROLE_CONFIG },
	{ "status", ROLE_STATUS },
};

struct sax {
	struct xmlsafe			*x;
	struct report			*out;
	const struct report_limits	*lim;
	int				 depth;	/* open elements */
	int				 param_depth; /* 0 until a container */
	int				 containers;
	int				 status;	/* a <status> container */
	int				 in_param;	/* depth of it, or 0 */
	size_t				 elements;	/* parameter elements */
	struct buf			 value;
	char				 name[PARAM_NAME_MAX + 1];
	size_t				 name_len;
	enum report_error		 err;
	char				 msg[REPORT_MSG_MAX];
};

/* Copies s as printable ASCII (anything else becomes '?'), so that a
 * message quoting the body is safe in a log line or a JSON answer. */
static void
msg_clean(char *dst, size_t dstsz, const char *s)
{
	size_t j = 0;

	for (; *s != '\0' && j + 1 < dstsz; s++) {
		unsigned char c = (unsigned char)*s;
		dst[j++] = c == '\n' || c == '\t' ? ' ' :
		    (c < 0x20 || c > 0x7e) ? '?' : (char)c;
	}
	while (j > 0 && dst[j - 1] == ' ')
		j--;
	dst[j] = '\0';
}

/* The first error, as "line N: what" in printable ASCII. */
static void
sax_record(struct sax *s, enum report_error e, unsigned line, const char *raw)
{
	if (s->err != REPORT_OK)
		return;
	s->err = e;
	snprintf(s->msg, sizeof(s->msg), "line %u: ", line);
	msg_clean(s->msg + strlen(s->msg), sizeof(s->msg) - strlen(s->msg),
	    raw);
}

/* Records the first error and stops libxml2: a cap is enforced as soon as
 * it is crossed, not after the whole body was parsed. */
static void __attribute__((format(printf, 3, 4)))
sax_fail(struct sax *s, enum report_error e, const char *fmt, ...)
{
	char raw[REPORT_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sax_record(s, e, xmlsafe_line(s->x), raw);
	xmlsafe_stop(s->x);
}

/* The report a handler works on; the parse it runs in is kept for
 * sax_fail(). */
static struct sax *
sax_of(struct xmlsafe *x)
{
	struct sax *s = xmlsafe_user(x);

	s->x = x;
	return s;
}

static int
role_of(const char *name, enum role *role)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		if (strcmp(shapes[i].name, name) == 0) {
			*role = shapes[i].role;
			return 0;
		}
	return -1;
}

/* An element at depth 1 or 2 opens the report: a wrapper at the root, or
 * the one container (flat-profile or status) holding the parameters.
 * The format gives these elements no attributes (namespace declarations
 * are not attributes), so any is refused rather than ignored unchecked. */
static void
open_frame(struct sax *s, const char *name, int nb_attrs)
{
	enum role role;

	if (role_of(name, &role) < 0 || (s->depth == 2 && role == ROLE_WRAPPER)) {
		sax_fail(s, REPORT_E_SHAPE, "<%.60s> is not a report element%s",
		    name, s->depth == 1 ? "" : " inside the wrapper");
		return;
	}
	if (nb_attrs > 0) {
		sax_fail(s, REPORT_E_SHAPE, "<%s> has attributes; a report's "
		    "wrapper and list elements take none", name);
		return;
	}
	if (role == ROLE_WRAPPER)
		return;
	if (s->containers++ > 0) {
		sax_fail(s, REPORT_E_SHAPE, "more than one parameter list");
		return;
	}
	s->status = role == ROLE_STATUS;
	s->param_depth = s->depth + 1;
}

/* Attributes are not kept, but a megabyte of ua="" is refused. */
static void
check_attrs(struct sax *s, int nb, const xmlChar **attrs)
{
	if (nb > REPORT_ATTRS_MAX) {
		sax_fail(s, REPORT_E_VALUE, "%d attributes on <%s>", nb,
		    s->name);
		return;
	}
	for (int i = 0; i < nb; i++) {
		const xmlChar *v = attrs[5 * i + 3], *end = attrs[5 * i + 4];

		if (end - v > REPORT_ATTR_VALUE_MAX) {
			sax_fail(s, REPORT_E_VALUE, "attribute of <%s> longer "
			    "than %d bytes", s->name, REPORT_ATTR_VALUE_MAX);
			return;
		}
	}
}

static void
open_param(struct sax *s, const char *name, int nb_attrs,
    const xmlChar **attrs)
{
	size_t n = strlen(name);

	if (!param_name_ok(name, n)) {
		sax_fail(s, REPORT_E_NAME, "<%.60s> is not a parameter name",
		    name);
		return;
	}
	/* Elements, not distinct names: a million copies of one name are
	 * refused as well. */
	if (s->elements++ >= s->lim->max_params) {
		sax_fail(s, REPORT_E_TOO_MANY, "more than %zu parameters",
		    s->lim->max_params);
		return;
	}
	memcpy(s->name, name, n + 1);
	s->name_len = n;
	check_attrs(s, nb_attrs, attrs);
	s->in_param = s->depth;
	buf_reset(&s->value);
}

static void
on_start(struct xmlsafe *x, const char *name, const char *prefix,
    int nb_attrs, const xmlChar **attrs)
{
	struct sax *s = sax_of(x);

	s->depth++;
	if (s->depth > REPORT_DEPTH_MAX)
		sax_fail(s, REPORT_E_TOO_DEEP, "elements nested deeper than "
		    "%d levels", REPORT_DEPTH_MAX);
	else if (prefix != NULL)
		sax_fail(s, REPORT_E_NAME, "<%.40s:%.60s> has a namespace "
		    "prefix", prefix, name);
	else if (s->in_param)
		sax_fail(s, REPORT_E_SHAPE, "parameter <%s> contains <%.60s>",
		    s->name, name);
	else if (s->param_depth == 0 || s->depth < s->param_depth)
		open_frame(s, name, nb_attrs);
	else
		open_param(s, name, nb_attrs, attrs);
}

static void
close_param(struct sax *s)
{
	const char *v = s->value.data ? s->value.data : "";
	const char *problem;

	s->in_param = 0;
	if ((problem = xml_text_problem(v, s->value.len)) != NULL) {
		sax_fail(s, REPORT_E_VALUE, "<%s>: %s", s->name, problem);
		return;
	}
	report_set(s->out, s->name, s->name_len, v, s->value.len);
}

static void
on_end(struct xmlsafe *x, const char *name)
{
	struct sax *s = sax_of(x);

	(void)name;
	if (s->in_param == s->depth)
		close_param(s);
	s->depth--;
}

/* XML's white space (S): the only text allowed between elements, and
 * most of the text of an indented report. */
static const unsigned char xml_space[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1,
};

static int
all_blank(const char *ch, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!xml_space[(unsigned char)ch[i]])
			return 0;
	return 1;
}

/* Text (CDATA included, merged by the harness) belongs to the open
 * parameter; between elements only whitespace may appear. */
static void
on_text(struct xmlsafe *x, const char *ch, size_t len)
{
	struct sax *s = sax_of(x);

	if (!s->in_param) {
		if (!all_blank(ch, len))
			sax_fail(s, REPORT_E_SHAPE, "text outside a parameter");
		return;
	}
	if (s->value.len + len > PARAM_VALUE_MAX) {
		sax_fail(s, REPORT_E_VALUE, "<%s>: value longer than %d bytes",
		    s->name, PARAM_VALUE_MAX);
		return;
	}
	buf_add(&s->value, ch, len);
}

/* The harness's refusals and libxml2's errors, as report errors. */
static void
on_problem(struct xmlsafe *x, const struct xmlsafe_problem *p)
{
	static const enum report_error codes[] = {
		[XMLSAFE_E_DOCTYPE] = REPORT_E_DOCTYPE,
		[XMLSAFE_E_ENCODING] = REPORT_E_ENCODING,
		[XMLSAFE_E_ATTRS] = REPORT_E_VALUE,
		[XMLSAFE_E_SYNTAX] = REPORT_E_NOT_XML,
		[XMLSAFE_E_INTERNAL] = REPORT_E_NOT_XML,
	};
	struct sax *s = xmlsafe_user(x);

	/* libxml2 says "Extra content at the end of the document" when a
	 * push parse ends early too: name both cases. */
	sax_record(s, codes[p->why], p->line, p->xml_code ==
	    XML_ERR_DOCUMENT_END ? "the document ends early, is empty, or "
	    "goes on after its root element" : p->msg);
}

static const struct xmlsafe_sax sax_handlers = {
	.start = on_start,
	.end = on_end,
	.text = on_text,
	.problem = on_problem,
};

/* Bytes libxml2 never sees: NUL (UTF-16 and friends) and invalid UTF-8. */
static enum report_error
check_bytes(const char *body, size_t len, const struct report_limits *lim,
    char *msg)
{
	if (len == 0) {
		snprintf(msg, REPORT_MSG_MAX, "the report body is empty");
		return REPORT_E_EMPTY;
	}
	if (len > lim->max_body || len > REPORT_BODY_MAX_LIMIT) {
		snprintf(msg, REPORT_MSG_MAX, "the body has %zu bytes; at most "
		    "%zu are accepted", len, lim->max_body);
		return REPORT_E_TOO_LARGE;
	}
	if (memchr(body, '\0', len) != NULL || !utf8_ok(body, len)) {
		snprintf(msg, REPORT_MSG_MAX, "the body is not UTF-8 text");
		return REPORT_E_ENCODING;
	}
	return REPORT_OK;
}

/* One hardened parse of the whole body with our handlers.  Every element
 * may carry at most REPORT_ATTRS_MAX attributes, checked before libxml2
 * reads any of them. */
static void
run_sax(struct sax *s, const char *body, size_t len)
{
	const struct xmlsafe_opts opts = {
		.sax = &sax_handlers,
		.user = s,
		.max_attrs = REPORT_ATTRS_MAX,
		.max_attrs_total = REPORT_ATTRS_TOTAL_MAX,
	};

	if (xmlsafe_parse(&opts, body, len) < 0 && s->err == REPORT_OK)
		sax_record(s, REPORT_E_NOT_XML, 0, "not well-formed XML");
}

enum report_error
report_parse(const char *body, size_t len, enum report_kind kind,
    const struct report_limits *lim, struct report *out, char *msg)
{
	struct report_limits deflim;
	char scratch[REPORT_MSG_MAX];
	struct sax s;

	if (msg == NULL)
		msg = scratch;
	msg[0] = '\0';
	if (lim == NULL) {
		report_limits_default(&deflim);
		lim = &deflim;
	}
	report_init(out, kind);
	memset(&s, 0, sizeof(s));
	if ((s.err = check_bytes(body, len, lim, msg)) != REPORT_OK)
		return s.err;
	s.out = out;
	s.lim = lim;
	/* A Cisco report spends about 65 bytes on a parameter: room for
	 * that many up front, so the list and its index never grow. */
	report_reserve(out, (len / 48 < lim->max_params ? len / 48 :
	    lim->max_params) + 1);
	buf_init(&s.value);
	run_sax(&s, body, len);
	buf_free(&s.value);
	if (s.err == REPORT_OK && s.containers == 0) {
		s.err = REPORT_E_SHAPE;
		snprintf(s.msg, sizeof(s.msg), "no <flat-profile> or <status> "
		    "element");
	}
	if (s.err != REPORT_OK) {
		snprintf(msg, REPORT_MSG_MAX, "%s", s.msg);
		report_free(out);
		report_init(out, kind);
		return s.err;
	}
	if (s.status)
		out->kind = REPORT_STATUS;
	return REPORT_OK;
}
