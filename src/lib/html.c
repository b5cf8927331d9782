#include <string.h>

#include "html.h"
#include "text.h"

/* The replacement for one ASCII byte, or NULL when it stays as it is.
 * `pic` receives the control picture (U+2400 + c, U+2421 for DEL). */
static const char *
ascii_escape(unsigned char c, char pic[4])
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	case '\t': case '\n': return NULL;
	default: break;
	}
	if (c >= 0x20 && c != 0x7f)
		return NULL;
	pic[0] = (char)0xe2;
	pic[1] = (char)0x90;
	pic[2] = (char)(c == 0x7f ? 0xa1 : 0x80 + c);
	pic[3] = '\0';
	return pic;
}

void
html_textn(struct buf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, start = 0, len;
	const char *rep;
	char pic[4];

	buf_reserve(b, n);
	while (i < n) {
		if (u[i] < 0x80) {
			rep = ascii_escape(u[i], pic);
			len = 1;
		} else {
			len = utf8_decode(s + i, n - i, NULL);
			rep = len == 0 ? "\xef\xbf\xbd" : NULL;	/* U+FFFD */
			if (len == 0)
				len = 1;
		}
		if (rep != NULL) {
			buf_add(b, s + start, i - start);
			buf_adds(b, rep);
			start = i + len;
		}
		i += len;
	}
	buf_add(b, s + start, n - start);
}

void
html_text(struct buf *b, const char *s)
{
	if (s != NULL)
		html_textn(b, s, strlen(s));
}

void
html_attr(struct buf *b, const char *name, const char *value)
{
	buf_addc(b, ' ');
	buf_adds(b, name);
	buf_adds(b, "=\"");
	html_text(b, value);
	buf_addc(b, '"');
}

void
url_segment(struct buf *url, const char *s)
{
	char esc[3] = "%";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~') {
			buf_addc(url, (char)*p);
			continue;
		}
		hex_encode(p, 1, 1, esc + 1);
		buf_add(url, esc, 3);
	}
}

void
url_arg(struct buf *url, const char *key, const char *value)
{
	int first = url->len == 0 || memchr(url->data, '?', url->len) == NULL;

	buf_addc(url, first ? '?' : '&');
	url_segment(url, key);
	buf_addc(url, '=');
	url_segment(url, value);
}

void
html_link(struct buf *b, const char *href, const char *cls, const char *text)
{
	buf_adds(b, "<a");
	html_attr(b, "href", href);
	if (cls != NULL)
		html_attr(b, "class", cls);
	buf_addc(b, '>');
	html_text(b, text);
	buf_adds(b, "</a>");
}

void
html_elem(struct buf *b, const char *tag, const char *cls, const char *text)
{
	buf_printf(b, "<%s", tag);
	if (cls != NULL)
		html_attr(b, "class", cls);
	buf_addc(b, '>');
	html_text(b, text);
	buf_printf(b, "</%s>", tag);
}

static void
nav_entry(struct buf *b, const char *href, const char *label, int current)
{
	buf_adds(b, "<a");
	html_attr(b, "href", href);
	/* A class, not aria-current: tidy, the validator the tests use,
	 * does not know that attribute yet. */
	if (current)
		buf_adds(b, " class=\"current\"");
	buf_addc(b, '>');
	html_text(b, label);
	buf_adds(b, "</a>");
}

void
html_head(struct buf *b, const struct html_page *pg)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>");
	html_text(b, pg->title);
	/* The data: icon keeps browsers from asking for /favicon.ico. */
	buf_adds(b, " \xc2\xb7 deskprov</title>\n"
	    "<link rel=\"icon\" href=\"data:,\">\n"
	    "<link rel=\"stylesheet\" href=\"/deskprov.css\">\n"
	    "</head>\n<body>\n<header class=\"top\">\n"
	    "<a class=\"brand\" href=\"/\">deskprov</a>\n"
	    "<nav aria-label=\"Main\">");
	nav_entry(b, "/", "Fleet", pg->active == NAV_FLEET);
	if (pg->show_reports)
		nav_entry(b, "/reports", "Reports", pg->active == NAV_REPORTS);
	buf_adds(b, "</nav>\n<div class=\"who\">");
	if (pg->user != NULL && pg->user[0] != '\0') {
		html_elem(b, "span", "user", pg->user);
		if (pg->role != NULL)
			html_elem(b, "span", "role", pg->role);
	}
	buf_adds(b, "</div>\n</header>\n");
	if (pg->reload_error != NULL) {
		buf_adds(b, "<div class=\"banner\" role=\"alert\"><strong>"
		    "The configuration did not reload:</strong> ");
		html_text(b, pg->reload_error);
		buf_adds(b, " \xe2\x80\x94 still serving the configuration "
		    "loaded at ");
		html_text(b, pg->loaded_at);
		buf_adds(b, ".</div>\n");
	}
	buf_adds(b, "<main>\n");
	html_elem(b, "h1", NULL, pg->title);
	buf_addc(b, '\n');
}

void
html_foot(struct buf *b)
{
	buf_adds(b, "</main>\n<footer>deskprov ");
	html_text(b, DESKPROV_VERSION);
	buf_adds(b, "</footer>\n</body>\n</html>\n");
}
