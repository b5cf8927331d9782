/* The one query-string parser: every route declares the keys it accepts,
 * each with a validator, and a query is checked against that table (as
 * OpenBSD bgplgd's qs.c does).
 *
 * A query is "k=v&k=v" after the '?' and up to a '#'.  Keys and values
 * are percent-decoded ('+' is a space); a bad escape, a NUL or another
 * control byte, a pair without '=', an empty pair ("a=1&"), an unknown
 * key, a repeated key or a value its validator refuses makes the whole
 * query an error: the caller answers 400.  An absent or empty query (a
 * lone '?') is no query. */
#ifndef DESKPROV_QS_H
#define DESKPROV_QS_H

#include "buf.h"

#define QS_KEYS_MAX	8	/* keys one route may declare */

/* True when the decoded value (NUL-terminated) is acceptable. */
typedef int	(*qs_ok_fn)(const char *value);

struct qs_key {
	const char	*name;
	qs_ok_fn	 ok;	/* NULL: any value */
};

/* Checks query (the text after '?', or NULL) against keys, a table ended
 * by a NULL name with at most QS_KEYS_MAX entries.  On 0, values[i] is
 * key i's decoded value or NULL when absent; the strings live in store,
 * which the caller owns and must keep (and not write to) while it uses
 * them.  On -1, values are all NULL. */
int	qs_parse(const char *query, const struct qs_key *keys,
	    struct buf *store, const char *values[QS_KEYS_MAX]);

/* Decodes s[0..n) (percent escapes, '+' as space) onto out, with a NUL
 * after it; -1 on a bad escape or a control byte (NUL included). */
int	qs_decode(const char *s, size_t n, struct buf *out);

#endif
