/* The check every rendered vendor file passes before it is served
 * (docs/packs.md, "Syntaxes").  A template can be wrong in ways its
 * renderer cannot see (a stray line, an unclosed element); a phone that
 * gets such a file may drop settings silently or keep a half-applied
 * configuration, so the file is refused here instead. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "filecheck.h"
#include "text.h"
#include "xmlsafe.h"

static const char *const syntax_names[] = {
	[SYNTAX_XML] = "xml",
	[SYNTAX_YEALINK] = "yealink",
	[SYNTAX_FANVIL] = "fanvil",
	[SYNTAX_TEXT] = "text",
	[SYNTAX_AASTRA] = "aastra",
};

#define NSYNTAX	(sizeof(syntax_names) / sizeof(syntax_names[0]))

int
file_syntax_parse(const char *name, enum file_syntax *out)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < NSYNTAX; i++)
		if (strcmp(name, syntax_names[i]) == 0) {
			*out = (enum file_syntax)i;
			return 0;
		}
	return -1;
}

const char *
file_syntax_name(enum file_syntax syntax)
{
	return (unsigned)syntax < NSYNTAX ? syntax_names[syntax] : "unknown";
}

/* ---- errors ---- */

/* Copies s[0..n) as printable ASCII (anything else becomes '?', a tab or
 * newline a space), cut to fit: the file is untrusted text. */
static void
clean_copy(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t j = 0;

	for (size_t i = 0; i < n && j + 1 < dstsz; i++) {
		unsigned char c = (unsigned char)s[i];
		dst[j++] = c == '\n' || c == '\t' ? ' ' :
		    (c < 0x20 || c > 0x7e) ? '?' : (char)c;
	}
	dst[j] = '\0';
}

/* Fills *e (when there is one) and returns -1, so that a check can end
 * with `return fail(...)`.  The message may quote libxml2's words, which
 * may hold bytes of the file: they are cleaned like the key. */
static int __attribute__((format(printf, 5, 6)))
fail(struct diag *e, unsigned line, const char *key,
    size_t keylen, const char *fmt, ...)
{
	char raw[sizeof(e->msg)];
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	clean_copy(raw, sizeof(raw), raw, strlen(raw));
	diag_set(e, NULL, line, 0, "%s", raw);
	clean_copy(e->key, sizeof(e->key), key, keylen);
	return -1;
}

/* ---- lines ---- */

struct line {
	const char	*s;
	size_t		 n;	/* without the newline */
	unsigned	 no;	/* 1-based */
};

/* Steps l to the next line of buf; 0 at the end.  A last line without a
 * newline is a line; nothing after a final newline is. */
static int
next_line(const char *buf, size_t len, size_t *pos, struct line *l)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	l->s = buf + *pos;
	nl = memchr(l->s, '\n', len - *pos);
	l->n = nl != NULL ? (size_t)(nl - l->s) : len - *pos;
	*pos += l->n + 1;
	l->no++;
	return 1;
}

static int
starts_with(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->n >= n && memcmp(l->s, prefix, n) == 0;
}

static int
is_line(const struct line *l, const char *text)
{
	return l->n == strlen(text) && starts_with(l, text);
}

/* Empty or only spaces: harmless, and what a template leaves behind when
 * a section renders nothing. */
static int
blank(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i] != ' ')
			return 0;
	return 1;
}

/* Length of the first word of l (up to a space, '=' or ':'), to name the
 * offending line in an error when it has no proper key. */
static size_t
first_word(const struct line *l)
{
	size_t i = 0;

	while (i < l->n && l->s[i] != ' ' && l->s[i] != '=' && l->s[i] != ':')
		i++;
	return i;
}

/* Offset of the first control character (C0 or DEL; a tab only when
 * tab_ok is 0) of l, or l->n. */
static size_t
first_control(const struct line *l, int tab_ok)
{
	for (size_t i = 0; i < l->n; i++) {
		unsigned char c = (unsigned char)l->s[i];
		if ((c < 0x20 || c == 0x7f) && !(tab_ok && c == '\t'))
			return i;
	}
	return l->n;
}

static int
control_fail(struct diag *e, const struct line *l, size_t at,
    const char *key, size_t keylen)
{
	unsigned char c = (unsigned char)l->s[at];

	if (c == '\r')
		return fail(e, l->no, key, keylen, "carriage return: lines "
		    "must end with a bare newline");
	if (c == '\t')
		return fail(e, l->no, key, keylen, "tab character: this "
		    "syntax allows none");
	return fail(e, l->no, key, keylen, "control character 0x%02x", c);
}

/* What every syntax refuses: too many bytes, a NUL, invalid UTF-8.  Done
 * line by line so that the error names a line. */
static int
check_bytes(const char *buf, size_t len, struct diag *e)
{
	struct line l = { NULL, 0, 0 };
	size_t pos = 0;

	if (len > FILECHECK_MAX)
		return fail(e, 0, "", 0, "the file has %zu bytes; at most %u "
		    "are served", len, FILECHECK_MAX);
	while (next_line(buf, len, &pos, &l)) {
		if (memchr(l.s, '\0', l.n) != NULL)
			return fail(e, l.no, "", 0, "NUL byte");
		if (!utf8_ok(l.s, l.n))
			return fail(e, l.no, "", 0, "not valid UTF-8");
	}
	return 0;
}

/* ---- text ---- */

static int
check_text(const char *buf, size_t len, struct diag *e)
{
	struct line l = { NULL, 0, 0 };
	size_t pos = 0, at;

	while (next_line(buf, len, &pos, &l))
		if ((at = first_control(&l, 1)) < l.n)
			return control_fail(e, &l, at, "", 0);
	return 0;
}

/* ---- Yealink: #!version:1.0.0.1, then key = value ---- */

static const char yealink_head[] = "#!version:1.0.0.1";
static const char yealink_include[] = "include:config";

static int
yealink_key_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Length of the [A-Za-z0-9._-]* run that starts s. */
static size_t
yealink_key_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && yealink_key_char(s[i]))
		i++;
	return i;
}

/* include:config, one or more spaces, then a path or URL: bare (no spaces
 * or quotes) or in double quotes (no quote inside). */
static int
yealink_include_line(const struct line *l, struct diag *e)
{
	const char *p = l->s + strlen(yealink_include), *end = l->s + l->n;
	const char *at = p;

	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p == at || p == end)
		return fail(e, l->no, yealink_include, strlen(yealink_include),
		    "include:config needs a space, then a file name or URL");
	if (*p == '"') {
		if (end - p < 3 || end[-1] != '"' ||
		    memchr(p + 1, '"', (size_t)(end - p - 2)) != NULL)
			return fail(e, l->no, yealink_include,
			    strlen(yealink_include), "the quoted file name "
			    "is empty or its quotes do not pair");
		return 0;
	}
	if (memchr(p, '"', (size_t)(end - p)) != NULL ||
	    memchr(p, ' ', (size_t)(end - p)) != NULL)
		return fail(e, l->no, yealink_include, strlen(yealink_include),
		    "a file name with spaces or quotes must be in quotes");
	return 0;
}

/* One line after the first: blank, a comment, include:config, or key =
 * value with any value (empty included) free of control characters. */
static int
yealink_line(const struct line *l, struct diag *e)
{
	size_t k = yealink_key_len(l->s, l->n), i, at;

	if ((at = first_control(l, 0)) < l->n)
		return control_fail(e, l, at, l->s, k);
	if (blank(l) || l->s[0] == '#')
		return 0;
	if (starts_with(l, yealink_include))
		return yealink_include_line(l, e);
	if (k == 0)
		return fail(e, l->no, l->s, first_word(l), "not a "
		    "'key = value' line (a key is letters, digits and . _ -, "
		    "at the start of the line)");
	for (i = k; i < l->n && l->s[i] == ' '; i++)
		;
	if (i == l->n || l->s[i] != '=')
		return fail(e, l->no, l->s, k, "no '=' after the key");
	return 0;
}

static int
check_yealink(const char *buf, size_t len, struct diag *e)
{
	struct line l = { NULL, 0, 0 };
	size_t pos = 0, at;
	int any = next_line(buf, len, &pos, &l);

	if (any && (at = first_control(&l, 0)) < l.n)
		return control_fail(e, &l, at, "", 0);
	if (!any || !is_line(&l, yealink_head))
		return fail(e, 1, "", 0, "the first line must be exactly %s",
		    yealink_head);
	while (next_line(buf, len, &pos, &l))
		if (yealink_line(&l, e) < 0)
			return -1;
	return 0;
}

/* ---- Fanvil text (syntax B): sections and Name :value lines ---- */

static const char fanvil_head[] = "<<VOIP CONFIG FILE>>Version:";
static const char fanvil_end[] = "<<END OF FILE>>";

/* <NAME>, NAME of letters, digits, spaces and '_' (Fanvil's own files
 * have <SIP Hotspot MODULE>, so lowercase is allowed). */
static int
fanvil_section(const struct line *l, struct diag *e)
{
	size_t i;

	for (i = 1; i + 1 < l->n; i++) {
		char c = l->s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == ' ' || c == '_'))
			break;
	}
	if (l->n < 3 || i + 1 != l->n || l->s[i] != '>')
		return fail(e, l->no, l->s, l->n, "not a section line "
		    "<NAME MODULE> (letters, digits, spaces and _ only)");
	return 0;
}

/* The name an error on l reports: up to the ':' without the spaces that
 * align the values, else the first word. */
static size_t
fanvil_key_len(const struct line *l)
{
	const char *colon = memchr(l->s, ':', l->n);
	size_t n;

	if (colon == NULL)
		return first_word(l);
	n = (size_t)(colon - l->s);
	while (n > 0 && l->s[n - 1] == ' ')
		n--;
	return n;
}

/* Name :value.  The name is printable ASCII, starts with neither a space
 * nor '<', and ends at the first ':'; the value is the rest. */
static int
fanvil_param(const struct line *l, struct diag *e)
{
	size_t n = fanvil_key_len(l);

	if (memchr(l->s, ':', l->n) == NULL)
		return fail(e, l->no, l->s, n, "no ':' after the parameter "
		    "name");
	if (n == 0)
		return fail(e, l->no, "", 0, "no parameter name before ':'");
	if (l->s[0] == ' ')
		return fail(e, l->no, l->s, n, "a parameter name cannot start "
		    "with a space");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)l->s[i] > 0x7e)
			return fail(e, l->no, l->s, n, "a parameter name must "
			    "be ASCII");
	return 0;
}

static int
fanvil_line(const struct line *l, int ended, struct diag *e)
{
	size_t at;

	if ((at = first_control(l, 0)) < l->n)
		return control_fail(e, l, at, l->s, fanvil_key_len(l));
	if (blank(l))
		return 0;
	if (ended)
		return fail(e, l->no, l->s, first_word(l), "text after %s, "
		    "which the phone would ignore", fanvil_end);
	if (l->s[0] == '#')
		return fail(e, l->no, "", 0, "'#' comments are not part of "
		    "the Fanvil text syntax");
	if (l->s[0] == '<')
		return fanvil_section(l, e);
	return fanvil_param(l, e);
}

static int
check_fanvil(const char *buf, size_t len, struct diag *e)
{
	struct line l = { NULL, 0, 0 };
	size_t pos = 0, at;
	int ended = 0;

	if (!next_line(buf, len, &pos, &l) || !starts_with(&l, fanvil_head))
		return fail(e, 1, "", 0, "the first line must start with %s",
		    fanvil_head);
	if ((at = first_control(&l, 0)) < l.n)
		return control_fail(e, &l, at, "", 0);
	while (next_line(buf, len, &pos, &l)) {
		if (!ended && is_line(&l, fanvil_end)) {
			ended = 1;
			continue;
		}
		if (fanvil_line(&l, ended, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- Aastra/Mitel: "key: value" lines ---- */

/* A key is words of letters, digits and . _ - separated by single
 * spaces ("sip line1 auth name"), optionally after one ! (locked) or ^
 * (reset to this value), then a colon (Aastra 6700i/6800i/9000i SIP IP
 * Phones Administrator Guide, "Configuration Files"). */
static size_t
aastra_key_len(const struct line *l)
{
	size_t i = l->n > 0 && (l->s[0] == '!' || l->s[0] == '^') ? 1 : 0,
	    start = i;

	while (i < l->n && (yealink_key_char(l->s[i]) || (l->s[i] == ' ' &&
	    i > start && i + 1 < l->n && yealink_key_char(l->s[i + 1]))))
		i++;
	return i > start ? i : 0;
}

static int
aastra_line(const struct line *l, struct diag *e)
{
	size_t k = aastra_key_len(l), at;

	if ((at = first_control(l, 0)) < l->n)
		return control_fail(e, l, at, l->s, k);
	if (blank(l) || l->s[0] == '#')
		return 0;
	if (k == 0)
		return fail(e, l->no, l->s, first_word(l), "not a 'key: value' "
		    "line (a key is words of letters, digits and . _ -)");
	if (k == l->n || l->s[k] != ':')
		return fail(e, l->no, l->s, k, "no ':' right after the key");
	return 0;
}

static int
check_aastra(const char *buf, size_t len, struct diag *e)
{
	struct line l = { NULL, 0, 0 };
	size_t pos = 0;

	while (next_line(buf, len, &pos, &l))
		if (aastra_line(&l, e) < 0)
			return -1;
	return 0;
}

/* ---- XML ---- */

/* The first problem, with the innermost element open when it was found
 * as the key (for an error inside a start tag, that tag's parent: the
 * tag is not open yet).  The push parser says "Extra content at the end
 * of the document" when the file ends inside an element, too. */
static void
on_xml_problem(struct xmlsafe *x, const struct xmlsafe_problem *p)
{
	struct diag *e = xmlsafe_user(x);
	const char *key = xmlsafe_open_element(x), *msg = p->msg;

	if (p->xml_code == XML_ERR_DOCUMENT_END && key[0] != '\0')
		msg = "the file ends before this element is closed";
	fail(e, p->line, key, strlen(key), "%s", msg);
}

static const struct xmlsafe_sax xml_handlers = {
	.problem = on_xml_problem,
};

/* Well-formedness only, through the hardened parse; a Polycom file puts
 * every raw parameter on one element, hence the wide attribute limit. */
static int
check_xml(const char *buf, size_t len, struct diag *e)
{
	const struct xmlsafe_opts opts = {
		.sax = &xml_handlers,
		.user = e,
		.max_attrs = FILECHECK_ATTRS_MAX,
		.max_attrs_total = FILECHECK_ATTRS_TOTAL_MAX,
	};

	if (len == 0)
		return fail(e, 0, "", 0, "the file is empty");
	return xmlsafe_parse(&opts, buf, len);
}

/* ---- all syntaxes ---- */

int
filecheck(enum file_syntax syntax, const char *buf, size_t len,
    struct diag *e)
{
	if (e != NULL)
		memset(e, 0, sizeof(*e));
	if (buf == NULL && len > 0)
		return fail(e, 0, "", 0, "no file");
	if (check_bytes(buf, len, e) < 0)
		return -1;
	switch (syntax) {
	case SYNTAX_XML:
		return check_xml(buf, len, e);
	case SYNTAX_YEALINK:
		return check_yealink(buf, len, e);
	case SYNTAX_FANVIL:
		return check_fanvil(buf, len, e);
	case SYNTAX_TEXT:
		return check_text(buf, len, e);
	case SYNTAX_AASTRA:
		return check_aastra(buf, len, e);
	}
	return fail(e, 0, "", 0, "unknown syntax %d", (int)syntax);
}
