/* One diagnostic for every parser and loader (YAML, the config files,
 * packs, device fields, settings, templates, the check on rendered files):
 * where the problem is and what it is, printed in one format,
 * "file:line:col: message", as mandoc's mandoc_msg() serves its parsers
 * (mandoc, https://mandoc.bsd.lv/).  A lower layer fills what it knows
 * (a line, a message); the layer above adds the file name and, with
 * diag_prefix(), its own context, on the same struct: nothing is copied
 * from one error type into another.
 *
 * What may be written into a diagnostic: file names as the admin knows
 * them, relative to the config directory or the schema directory
 * ("phones.yml", "yealink/pack.yml", "templates/acme/x.tpl"), never an
 * absolute path; and bytes of a file only when they form a valid key name
 * (diag_key_ok(), quoted with DIAG_Q()).  A config file may point at a
 * private file, and its messages reach logs and status pages. */
#ifndef DESKPROV_DIAG_H
#define DESKPROV_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#define DIAG_FILE_MAX	128
#define DIAG_KEY_MAX	64		/* a key name: at most 63 bytes */
#define DIAG_MSG_MAX	256
/* Enough for diag_format() of any diagnostic. */
#define DIAG_TEXT_MAX	(DIAG_FILE_MAX + DIAG_KEY_MAX + DIAG_MSG_MAX + 48)
/* Enough for diag_quote(): a key name and its quotes, or the phrase. */
#define DIAG_QUOTE_MAX	(DIAG_KEY_MAX + 2)

struct diag {
	char		file[DIAG_FILE_MAX];	/* relative name, or "" */
	unsigned	line;			/* 1-based; 0: none */
	unsigned	col;			/* 1-based; 0: none */
	char		key[DIAG_KEY_MAX];	/* key or element, or "" */
	char		msg[DIAG_MSG_MAX];	/* one sentence */
};

/* Empties d (NULL is ignored). */
void	diag_clear(struct diag *d);

/* Fills d (which may be NULL: nothing happens) with a position and a
 * printf message, cut at a UTF-8 character boundary when too long; file
 * may be NULL (keeps d->file) and goes through diag_set_file().  The key
 * is cleared.  Returns -1, so a check can end with `return diag_set(...)`. */
int	diag_set(struct diag *d, const char *file, unsigned line,
	    unsigned col, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
int	diag_vset(struct diag *d, const char *file, unsigned line,
	    unsigned col, const char *fmt, va_list ap)
	    __attribute__((format(printf, 5, 0)));

/* Names the file of d: a relative name is kept as given; an absolute one
 * is cut to its last component, so no path of the machine is ever shown. */
void	diag_set_file(struct diag *d, const char *file);

/* Sets the key involved, s[0..n); bytes outside printable ASCII become
 * '?'.  Kept for callers (a page may point at the key); diag_format()
 * shows it only when it is a valid key name. */
void	diag_set_key(struct diag *d, const char *s, size_t n);

/* Puts the layer above's context in front of the message:
 * "<context>: <message>", cut like diag_set(). */
void	diag_prefix(struct diag *d, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* The full form, for logs, the command line and authenticated pages:
 * "file:line:col: message (key 'k')", leaving out what is not set (no
 * file: "line 3, column 2: message").  Returns strlen of the whole form,
 * as snprintf does. */
size_t	diag_format(const struct diag *d, char *out, size_t n);

/* The public form, for unauthenticated pages such as /health: where,
 * never what: "file:line", "file", or "" when nothing is known. */
size_t	diag_format_public(const struct diag *d, char *out, size_t n);

/* 1 when s[0..n) is a key name that may be quoted back:
 * [A-Za-z0-9_.-]{1,63}. */
int	diag_key_ok(const char *s, size_t n);

/* Writes "'s'" into buf (of size bufsz, DIAG_QUOTE_MAX is enough) when
 * s[0..n) is a valid key name, else the phrase "(an invalid key)" without
 * the bytes.  Returns buf. */
const char	*diag_quote(char *buf, size_t bufsz, const char *s, size_t n);

/* diag_quote() of a C string, as a printf argument: the buffer is a
 * compound literal that lives until the end of the enclosing block. */
#define DIAG_Q(s)	diag_quote((char[DIAG_QUOTE_MAX]){ 0 }, \
			    DIAG_QUOTE_MAX, (s), strlen(s))

#endif
