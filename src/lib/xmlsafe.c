#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>
#include <libxml/dict.h>

#include "xmlsafe.h"

/* libxml2 2.12 made the error handlers take a const error. */
#if LIBXML_VERSION >= 21200
#define XMLERROR	const xmlError
#else
#define XMLERROR	xmlError
#endif

struct xmlsafe {
	xmlParserCtxtPtr		 ctxt;
	const struct xmlsafe_opts	*opts;
	int				 stopped;
};

/* ---- counting attributes before libxml2 does ---- */

static int
scan_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes that end a name: a name is anything else, a superset of XML's
 * names, so that the scan never sees fewer attributes than libxml2 would
 * parse.  A table, since the scan looks at every byte of every tag. */
static const unsigned char name_end[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['='] = 1, ['>'] = 1,
	['/'] = 1, ['<'] = 1, ['"'] = 1, ['\''] = 1,
};

static int
scan_name_byte(char c)
{
	return !name_end[(unsigned char)c];
}

/* Index just past the first `end` at or after i, or n.  Each step moves
 * past a byte equal to end[0], so the search stays linear. */
static size_t
scan_past(const char *s, size_t n, size_t i, const char *end)
{
	size_t k = strlen(end);
	const char *p;

	while (i + k <= n && (p = memchr(s + i, end[0], n - i)) != NULL) {
		i = (size_t)(p - s);
		if (n - i >= k && memcmp(p, end, k) == 0)
			return i + k;
		i++;
	}
	return n;
}

/* Counts the attributes (name = "value" or 'value') of the start tag
 * whose name begins at s[i], up to max + 1; returns where the tag's
 * attributes end.  At a byte that fits no attribute the scan ends too:
 * libxml2 stops at the same place with an error. */
static size_t
scan_tag(const char *s, size_t n, size_t i, size_t max, size_t *count)
{
	const char *q;

	while (i < n && scan_name_byte(s[i]))
		i++;
	for (*count = 0; *count <= max; (*count)++) {
		while (i < n && scan_space(s[i]))
			i++;
		if (i == n || !scan_name_byte(s[i]))
			break;
		while (i < n && scan_name_byte(s[i]))
			i++;
		while (i < n && scan_space(s[i]))
			i++;
		if (i == n || s[i++] != '=')
			break;
		while (i < n && scan_space(s[i]))
			i++;
		if (i == n || (s[i] != '"' && s[i] != '\''))
			break;
		if ((q = memchr(s + i + 1, s[i], n - i - 1)) == NULL)
			return n;
		i = (size_t)(q - s) + 1;
	}
	return i;
}

static unsigned
line_at(const char *s, size_t at)
{
	unsigned line = 1;

	for (size_t i = 0; i < at; i++)
		line += s[i] == '\n';
	return line;
}

/* One pass over the raw bytes, from '<' to '<': comments, CDATA sections
 * and processing instructions are skipped whole, end tags have no
 * attributes, and at any other `<!` (a DOCTYPE) the scan ends because the
 * parse will.  Returns 0, or -1 with the offending tag's offset in *at
 * and a message in msg. */
static int
scan_attrs(const char *s, size_t n, size_t max, size_t max_total,
    size_t *at, char *msg, size_t msgsz)
{
	size_t i = 0, count, total = 0;
	const char *lt;

	while ((lt = memchr(s + i, '<', n - i)) != NULL) {
		i = (size_t)(lt - s) + 1;
		if (n - i >= 3 && memcmp(s + i, "!--", 3) == 0)
			i = scan_past(s, n, i + 3, "-->");
		else if (n - i >= 8 && memcmp(s + i, "![CDATA[", 8) == 0)
			i = scan_past(s, n, i + 8, "]]>");
		else if (i < n && s[i] == '?')
			i = scan_past(s, n, i + 1, "?>");
		else if (i < n && s[i] == '!')
			return 0;
		else if (i < n && s[i] != '/') {
			i = scan_tag(s, n, i, max, &count);
			total += count;
			*at = (size_t)(lt - s);
			if (count > max) {
				snprintf(msg, msgsz, "an element has more than "
				    "%zu attributes", max);
				return -1;
			}
			if (total > max_total) {
				snprintf(msg, msgsz, "more than %zu attributes "
				    "in the document", max_total);
				return -1;
			}
		}
	}
	return 0;
}

/* ---- problems ---- */

static void
report(struct xmlsafe *x, enum xmlsafe_why why, int code, unsigned line,
    const char *msg)
{
	struct xmlsafe_problem p = { why, code, line, msg };

	if (x->stopped)
		return;
	x->stopped = 1;
	if (x->opts->sax->problem != NULL)
		x->opts->sax->problem(x, &p);
	if (x->ctxt != NULL)
		xmlStopParser(x->ctxt);
}

/* A refusal of the harness itself, at the line libxml2 is on. */
static void
refuse(struct xmlsafe *x, enum xmlsafe_why why, const char *msg)
{
	report(x, why, 0, xmlsafe_line(x), msg);
}

/* libxml2's errors (warnings are not problems), with its line.  Stopping
 * at the first one keeps libxml2 from parsing the rest of a body it has
 * already failed, which it would otherwise do with the handlers off. */
static void
on_xml_error(void *ctx, XMLERROR *e)
{
	struct xmlsafe *x = ctx;
	char msg[160];
	size_t n;

	if (x == NULL || e == NULL || e->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message != NULL ? e->message :
	    "not well-formed XML");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	report(x, XMLSAFE_E_SYNTAX, e->code, e->line > 0 ? (unsigned)e->line :
	    0, msg);
}

/* Errors raised outside a parser context (allocation) would go to the
 * thread's global handler and on to stderr; this one swallows them. */
static void
on_global_error(void *ctx, XMLERROR *e)
{
	(void)ctx; (void)e;
}

static xmlParserInputPtr
no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url; (void)id; (void)ctxt;
	return NULL;
}

/* ---- the SAX handlers libxml2 calls ---- */

/* Called as soon as `<!DOCTYPE name` is read, before any declaration of
 * the internal subset. */
static void
on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	(void)name; (void)ext; (void)sys;
	refuse(ctx, XMLSAFE_E_DOCTYPE, "a DOCTYPE is not allowed");
}

static void
on_entity(void *ctx, const xmlChar *name, int type, const xmlChar *pub,
    const xmlChar *sys, xmlChar *content)
{
	(void)name; (void)type; (void)pub; (void)sys; (void)content;
	refuse(ctx, XMLSAFE_E_DOCTYPE, "entity declarations are not allowed");
}

static int
utf8_name(const xmlChar *enc)
{
	static const char *const ok[] = { "UTF-8", "UTF8", "US-ASCII",
	    "ASCII" };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp((const char *)enc, ok[i]) == 0)
			return 1;
	return 0;
}

/* After the XML declaration: a document declared as anything but UTF-8
 * (or its ASCII subset) is refused rather than transcoded, so every byte
 * a caller keeps or serves is what it read. */
static void
on_start_document(void *ctx)
{
	struct xmlsafe *x = ctx;
	const xmlChar *enc = x->ctxt->input ? x->ctxt->input->encoding : NULL;
	char msg[96];

	if (enc == NULL)
		enc = x->ctxt->encoding;
	if (enc != NULL && !utf8_name(enc)) {
		snprintf(msg, sizeof(msg), "encoding %.40s declared; only UTF-8 "
		    "is accepted", (const char *)enc);
		refuse(x, XMLSAFE_E_ENCODING, msg);
	}
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nb_ns, const xmlChar **ns, int nb_attrs,
    int nb_defaulted, const xmlChar **attrs)
{
	struct xmlsafe *x = ctx;

	(void)uri; (void)nb_ns; (void)ns; (void)nb_defaulted;
	if (!x->stopped && x->opts->sax->start != NULL)
		x->opts->sax->start(x, (const char *)localname,
		    (const char *)prefix, nb_attrs, attrs);
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct xmlsafe *x = ctx;

	(void)prefix; (void)uri;
	if (!x->stopped && x->opts->sax->end != NULL)
		x->opts->sax->end(x, (const char *)localname);
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
	struct xmlsafe *x = ctx;

	if (!x->stopped && x->opts->sax->text != NULL && len > 0)
		x->opts->sax->text(x, (const char *)ch, (size_t)len);
}

static void
sax_handler(xmlSAXHandler *h)
{
	memset(h, 0, sizeof(*h));
	h->initialized = XML_SAX2_MAGIC;
	h->startDocument = on_start_document;
	h->startElementNs = on_start;
	h->endElementNs = on_end;
	h->characters = on_text;
	h->ignorableWhitespace = on_text;
	h->cdataBlock = on_text;
	h->internalSubset = on_doctype;
	h->externalSubset = on_doctype;
	h->entityDecl = on_entity;
	h->serror = on_xml_error;
}

/* No XML_PARSE_NOENT, no DTD loading, attributes or validation, no
 * XML_PARSE_HUGE: nothing but the bytes given is ever read.  CDATA comes
 * as text. */
static const int parse_options = XML_PARSE_NONET | XML_PARSE_NOCDATA |
    XML_PARSE_NOWARNING;

/* What libxml2 must never see: NUL bytes, and attribute bombs. */
static int
precheck(struct xmlsafe *x, const char *buf, size_t len)
{
	const struct xmlsafe_opts *o = x->opts;
	char msg[96];
	size_t at = 0;

	if (len > INT_MAX) {
		report(x, XMLSAFE_E_INTERNAL, 0, 0, "the document is too large");
		return -1;
	}
	if (memchr(buf, '\0', len) != NULL) {
		report(x, XMLSAFE_E_ENCODING, 0, line_at(buf, (size_t)((const
		    char *)memchr(buf, '\0', len) - buf)), "NUL byte: the "
		    "document must be UTF-8");
		return -1;
	}
	if (scan_attrs(buf, len, o->max_attrs ? o->max_attrs :
	    XMLSAFE_ATTRS_MAX, o->max_attrs_total ? o->max_attrs_total :
	    XMLSAFE_ATTRS_TOTAL_MAX, &at, msg, sizeof(msg)) < 0) {
		report(x, XMLSAFE_E_ATTRS, 0, line_at(buf, at), msg);
		return -1;
	}
	return 0;
}

/* The parser context of the last parse that ended well, kept for the
 * next one: a new context builds a new name dictionary, and for a report
 * of 1,100 parameters growing and freeing it was a tenth of the parse.
 * xmlCtxtResetPush() keeps the dictionary and resets the rest as a new
 * push context starts (the encoding detected from the first bytes
 * again).  A context whose parse failed or was stopped is freed, and so
 * is one whose dictionary has grown past XMLSAFE_DICT_KEEP bytes of names
 * (documents full of distinct names), so the memory kept is bounded.
 * One per process: like the rest of this file, not for two threads. */
static xmlParserCtxtPtr kept;

size_t
xmlsafe_kept_names(void)
{
	return kept != NULL ? xmlDictGetUsage(kept->dict) : 0;
}

static xmlParserCtxtPtr
ctxt_take(struct xmlsafe *x)
{
	xmlParserCtxtPtr c = kept;
	xmlSAXHandler h;

	kept = NULL;
	if (c != NULL && xmlCtxtResetPush(c, NULL, 0, NULL, NULL) == 0) {
		c->charset = XML_CHAR_ENCODING_NONE;
		c->userData = x;
		return c;
	}
	if (c != NULL)
		xmlFreeParserCtxt(c);
	sax_handler(&h);
	return xmlCreatePushParserCtxt(&h, x, NULL, 0, NULL);
}

static void
ctxt_release(struct xmlsafe *x)
{
	xmlParserCtxtPtr c = x->ctxt;

	x->ctxt = NULL;
	if (!x->stopped && c->wellFormed && c->nsNr == 0 && c->dict != NULL &&
	    xmlDictGetUsage(c->dict) < XMLSAFE_DICT_KEEP) {
		c->userData = NULL;
		kept = c;
	} else
		xmlFreeParserCtxt(c);
}

/* One push parse of the whole buffer; the globals it swaps are put back
 * before it returns. */
int
xmlsafe_parse(const struct xmlsafe_opts *opts, const char *buf, size_t len)
{
	struct xmlsafe x = { NULL, opts, 0 };
	xmlStructuredErrorFunc old_err = xmlStructuredError;
	void *old_err_ctx = xmlStructuredErrorContext;
	xmlExternalEntityLoader old_loader = xmlGetExternalEntityLoader();

	if (precheck(&x, buf, len) < 0)
		return -1;
	xmlSetStructuredErrorFunc(NULL, on_global_error);
	xmlSetExternalEntityLoader(no_external);
	x.ctxt = ctxt_take(&x);
	if (x.ctxt == NULL) {
		report(&x, XMLSAFE_E_INTERNAL, 0, 0, "cannot create an XML "
		    "parser");
	} else {
		xmlCtxtUseOptions(x.ctxt, parse_options);
		xmlParseChunk(x.ctxt, buf, (int)len, 1);
		if (!x.ctxt->wellFormed)
			report(&x, XMLSAFE_E_SYNTAX, 0, 0, "not well-formed XML");
		ctxt_release(&x);
	}
	xmlSetExternalEntityLoader(old_loader);
	xmlSetStructuredErrorFunc(old_err_ctx, old_err);
	return x.stopped ? -1 : 0;
}

void *
xmlsafe_user(const struct xmlsafe *x)
{
	return x->opts->user;
}

unsigned
xmlsafe_line(const struct xmlsafe *x)
{
	int line = x->ctxt != NULL ? xmlSAX2GetLineNumber(x->ctxt) : 0;

	return line > 0 ? (unsigned)line : 0;
}

const char *
xmlsafe_open_element(const struct xmlsafe *x)
{
	return x->ctxt != NULL && x->ctxt->name != NULL ?
	    (const char *)x->ctxt->name : "";
}

void
xmlsafe_stop(struct xmlsafe *x)
{
	x->stopped = 1;
	if (x->ctxt != NULL)
		xmlStopParser(x->ctxt);
}
