/* What comparison.yml and the secret rule (secret.h) say about a
 * parameter name, remembered per name.
 *
 * Deciding it costs thousands of instructions per name (the token rule,
 * then fnmatch() over every pattern of four lists), and a Cisco report
 * carries the same 1,100 names every time: on report ingest these
 * decisions were a third of the CPU (callgrind, bench/ingest.c).  The
 * answers depend only on the name and on the content of the settings, so
 * they are kept in one table per process, bound to a fingerprint of the
 * settings' content: a reload that changes comparison.yml starts afresh,
 * whatever address the new settings live at.  The table holds at most
 * CMPNAMES_MAX names (a phone in discovery mode may send any); beyond
 * that it starts afresh too.
 *
 * Not thread-safe: one table per process, as the FastCGI programs are
 * single-threaded (like report_parse()). */
#ifndef DESKPROV_CMPNAMES_H
#define DESKPROV_CMPNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "settings.h"

#define CMPNAMES_MAX	65536

enum {
	CMPNAME_SECRET		= 1 << 0,	/* secret_name() */
	CMPNAME_BLACKLISTED	= 1 << 1,	/* in cmp->blacklist */
	CMPNAME_BOOLEAN		= 1 << 2,	/* in cmp->booleans */
	CMPNAME_CASELESS	= 1 << 3	/* in cmp->case_insensitive */
};

/* Binds the table to cmp's content (NULL: the secret rule alone); called
 * once at the start of each comparison or save, since the fingerprint
 * costs a pass over every pattern.  cmp is remembered until the next
 * bind. */
void		cmpnames_bind(const struct comparison_settings *cmp);
/* The CMPNAME_* bits of a NUL-terminated name under cmp; a cmp other than
 * the bound one binds first. */
unsigned	cmpnames_flags(const struct comparison_settings *cmp,
		    const char *name);
/* The same for a NUL-terminated name of len bytes whose strmap_hash() is
 * `hash` (a report's parameters carry theirs): no strlen, no hashing. */
unsigned	cmpnames_flags_hashed(const struct comparison_settings *cmp,
		    const char *name, size_t len, uint32_t hash);
struct report_param;
/* The same for a report's parameter, remembered in it (report.h): the
 * store and the comparison of one report ask once between them. */
unsigned	cmpnames_flags_param(const struct comparison_settings *cmp,
		    struct report_param *p);
/* Forgets every name (tests; the next call rebuilds). */
void		cmpnames_reset(void);

#endif
