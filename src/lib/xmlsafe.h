/* The one hardened libxml2 parse: a SAX push parse of a bounded buffer
 * for every parser of untrusted XML (report bodies, rendered vendor
 * files).
 *
 * What it guarantees, whatever the caller's handlers do:
 *   - XML_PARSE_NONET, no XML_PARSE_NOENT, no DTD loading, attributes or
 *     validation, libxml2's own limits on (no XML_PARSE_HUGE);
 *   - a DOCTYPE stops the parse as soon as `<!DOCTYPE name` is read, before
 *     its internal subset, so no entity is ever declared, let alone
 *     expanded; an entity declaration reached any other way is refused;
 *   - the external entity loader is replaced by one that loads nothing;
 *   - the thread's structured error handler is swapped for one that
 *     swallows what libxml2 raises outside the parser context, and put back
 *     (with the loader) before returning: nothing is printed on stderr;
 *   - a buffer with a NUL byte (UTF-16 and friends) or an encoding
 *     declaration other than UTF-8 or ASCII is refused, not transcoded;
 *   - attributes are counted, per element and in all, by a linear scan of
 *     the raw bytes before libxml2 sees them: libxml2 checks every
 *     attribute of a start tag against the ones before it, so 100,000
 *     attributes on one element cost seconds of CPU before any handler
 *     could refuse them;
 *   - the parse stops at the first error: one problem is reported.
 * Swapping libxml2's globals makes it unsafe to call from two threads at
 * once; the FastCGI programs are single-threaded. */
#ifndef DESKPROV_XMLSAFE_H
#define DESKPROV_XMLSAFE_H

#include <stddef.h>

#include <libxml/xmlstring.h>

#define XMLSAFE_ATTRS_MAX	256	/* per element, unless set */
#define XMLSAFE_ATTRS_TOTAL_MAX	65536	/* per document, unless set */

enum xmlsafe_why {
	XMLSAFE_E_DOCTYPE,	/* a DOCTYPE or an entity declaration */
	XMLSAFE_E_ENCODING,	/* a NUL byte, or declared not UTF-8 */
	XMLSAFE_E_ATTRS,	/* over an attribute limit */
	XMLSAFE_E_SYNTAX,	/* libxml2's error: not well-formed */
	XMLSAFE_E_INTERNAL	/* no parser could be made */
};

/* The first problem of a parse, borrowed for the duration of the
 * callback.  msg is one sentence; it may quote names from the document,
 * so the caller cleans it before showing it. */
struct xmlsafe_problem {
	enum xmlsafe_why	 why;
	int			 xml_code; /* libxml2's code for SYNTAX, else 0 */
	unsigned		 line;	/* 1-based; 0 when unknown */
	const char		*msg;
};

struct xmlsafe;		/* one parse in progress */

/* The caller's handlers; any may be NULL.  None is called after the first
 * problem or after xmlsafe_stop().  attrs is libxml2's SAX2 array: five
 * pointers per attribute (localname, prefix, URI, value, value end). */
struct xmlsafe_sax {
	void	(*start)(struct xmlsafe *, const char *name,
		    const char *prefix, int nb_attrs, const xmlChar **attrs);
	void	(*end)(struct xmlsafe *, const char *name);
	/* Text and CDATA (merged), whitespace included. */
	void	(*text)(struct xmlsafe *, const char *s, size_t n);
	/* Called once, for the first problem the harness or libxml2 finds. */
	void	(*problem)(struct xmlsafe *, const struct xmlsafe_problem *);
};

struct xmlsafe_opts {
	const struct xmlsafe_sax	*sax;
	void				*user;	/* xmlsafe_user() */
	size_t				 max_attrs;	/* 0: XMLSAFE_ATTRS_MAX */
	size_t				 max_attrs_total; /* 0: the default */
};

/* Parses buf[0..len) (len at most INT_MAX).  Returns 0 when the document
 * is well-formed and nobody stopped the parse; -1 after a problem (the
 * problem handler was called once) or an xmlsafe_stop(). */
int		 xmlsafe_parse(const struct xmlsafe_opts *, const char *buf,
		    size_t len);

/* Bytes of names in the dictionary of the parser context kept for the
 * next parse (0: none is kept), at most XMLSAFE_DICT_KEEP: for tests. */
#define XMLSAFE_DICT_KEEP	((size_t)1 << 20)
size_t		 xmlsafe_kept_names(void);

/* For the handlers, during the parse: */
void		*xmlsafe_user(const struct xmlsafe *);
/* The line libxml2 is on, 1-based. */
unsigned	 xmlsafe_line(const struct xmlsafe *);
/* The innermost open element ("" outside any), borrowed until the next
 * handler returns.  In a start handler it is the parent. */
const char	*xmlsafe_open_element(const struct xmlsafe *);
/* Stops the parse at once; xmlsafe_parse() will return -1 without
 * calling the problem handler (the caller has its own reason). */
void		 xmlsafe_stop(struct xmlsafe *);

#endif
