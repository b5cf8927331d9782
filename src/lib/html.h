/* The only emitter of markup for the admin pages (compare.fcgi).
 *
 * Every byte of data reaches a page through one escaper per output
 * context, as cgit's html.c does:
 *   html_text()      element content
 *   html_attr()      a double-quoted attribute value (quotes included)
 *   url_segment()    one percent-encoded path segment of a URL
 *   url_arg()        one percent-encoded query argument key=value
 * A URL is built in its own buffer with the url_* escapers and only then
 * written into an attribute with html_attr() (or html_link()), so the two
 * contexts compose instead of being mixed.  Markup literals come only from
 * the code.
 *
 * Text and attribute values are also made valid HTML whatever the bytes:
 * invalid UTF-8 becomes U+FFFD and control characters other than tab and
 * newline become the visible Unicode "control pictures" (CR as U+240D), so
 * that an admin sees them and a validator does not trip over them. */
#ifndef DESKPROV_HTML_H
#define DESKPROV_HTML_H

#include <stddef.h>

#include "buf.h"

/* Appends s[0..n) as element content: & < > " ' as entities. */
void	html_textn(struct buf *, const char *s, size_t n);
/* The same for a NUL-terminated string; NULL writes nothing. */
void	html_text(struct buf *, const char *s);
/* Appends ` name="value"`: name is a literal of the code, value is
 * escaped like text (both quote characters included). */
void	html_attr(struct buf *, const char *name, const char *value);

/* Appends s percent-encoded for one path segment or query component:
 * everything but ALPHA DIGIT - . _ ~ becomes %XX, so a slash, ?, #, & or
 * = in the data cannot change the URL's structure. */
void	url_segment(struct buf *url, const char *s);
/* Appends "?key=value" (first argument) or "&key=value", both encoded. */
void	url_arg(struct buf *url, const char *key, const char *value);

/* Appends <a href="HREF" [class="CLASS"]>TEXT</a>; href is a URL built with
 * the url_* escapers (or a literal path), class may be NULL. */
void	html_link(struct buf *, const char *href, const char *cls,
	    const char *text);
/* Appends <TAG [class="CLASS"]>TEXT</TAG>; tag is a literal of the code. */
void	html_elem(struct buf *, const char *tag, const char *cls,
	    const char *text);

/* The navigation entries of the header. */
enum html_nav { NAV_NONE, NAV_FLEET, NAV_REPORTS };

/* What the header shows; every string is borrowed for the call. */
struct html_page {
	const char	*title;		/* <title> and <h1> */
	enum html_nav	 active;	/* marked with class="current" */
	const char	*user;		/* REMOTE_USER; NULL: not signed in */
	const char	*role;		/* "admin", "monitor"; NULL: none */
	int		 show_reports;	/* the Reports entry (admins only) */
	/* The config-health banner: why the last reload failed (NULL: it
	 * did not) and when the configuration still served was loaded
	 * ("2026-12-02 10:42 UTC"). */
	const char	*reload_error;
	const char	*loaded_at;
};

/* Appends the document up to and including <main> and the <h1>: doctype,
 * lang, charset, viewport, the stylesheet /deskprov.css, the header with
 * the navigation (Fleet, Reports) and the user with their role, and the
 * config-health banner when reload_error is set. */
void	html_head(struct buf *, const struct html_page *);
/* Closes <main> and the document, with the footer. */
void	html_foot(struct buf *);

#endif
