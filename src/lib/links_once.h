/* One-time links: /o/<id>/<file>, valid for N fetches of the phone's own
 * files, or T minutes, or until the phone's next report, whichever ends
 * first.
 *
 * Each link is one small file in $DESKPROV_DATA/links/, named by the
 * SHA-256 of its id (so the directory holds no usable link), created with
 * O_EXCL and linked into place (atomicfile.h).  A fetch takes flock() on
 * the file, reads it, counts the use and writes it back before the lock
 * goes: two processes can never both spend the last use.  A spent or
 * expired link is removed; the rest are swept when links are created.  The
 * number kept is bounded (links.once_max of serviceconfig.yml). */
#ifndef DESKPROV_LINKS_ONCE_H
#define DESKPROV_LINKS_ONCE_H

#include <stddef.h>
#include <time.h>

#include "config.h"

#define LINKS_ONCE_ID_LEN	22	/* base64url of 16 random bytes */
#define LINKS_ONCE_DIR		"links"
/* An until-report link without --minutes ends after this anyway. */
#define LINKS_ONCE_REPORT_MAX	(7L * 86400)
#define LINKS_ONCE_MINUTES_MAX	(30L * 1440)
#define LINKS_ONCE_USES_MAX	1000000L

struct links_once_spec {
	long	uses;		/* fetches; 0: no count */
	long	minutes;	/* lifetime; 0: none of its own */
	int	until_report;	/* ends at the phone's next report */
};

/* Creates a link to phone ph (its id and MAC are recorded) under
 * data_dir, after sweeping spent ones; a spec with no limit at all means
 * one fetch.  At most max links are kept.  Writes the id (and a NUL) and
 * returns 0, or -1 with a message in msg. */
int	links_once_new(const char *data_dir, const struct phone *ph,
	    const struct links_once_spec *, long max, time_t now,
	    char id[LINKS_ONCE_ID_LEN + 1], char *msg, size_t msgsz);

enum links_once_status {
	LINKS_ONCE_OK,
	LINKS_ONCE_UNKNOWN,	/* no such link (or a malformed id) */
	LINKS_ONCE_EXPIRED,	/* past its minutes */
	LINKS_ONCE_USED_UP,	/* no fetch left, or the phone reported */
	LINKS_ONCE_ERROR	/* the store could not be read or written */
};

/* The newest report time of a MAC (0: none), for until-report links. */
typedef time_t	links_once_report_fn(void *ctx, const char *mac);

/* Looks up link id[0..n) and, with consume, counts one fetch.  The phone's
 * id goes into phone_id.  report (may be NULL) tells whether the phone
 * reported since the link was made. */
enum links_once_status	links_once_use(const char *data_dir, const char *id,
			    size_t n, int consume, time_t now,
			    links_once_report_fn *report, void *ctx,
			    char phone_id[IDENT_MAX + 1]);

/* Removes expired and spent links; returns how many are left. */
size_t	links_once_sweep(const char *data_dir, time_t now);

#endif
