/* What the admin pages and the command-line tool know about one phone:
 * its newest report, its current state, and that state compared with
 * exactly what profile.fcgi would serve it.  No markup here: the pages
 * (page_*.c) and `deskprov compare` both build on it.
 *
 * Where the columns of the fleet overview come from:
 *   model     the product the phone names in the User-Agent of its newest
 *             report ("CP-6841-3PCC"), else phones.yml's model:;
 *   firmware  the parameter Software_Version of the newest report (status
 *             reports carry it), else of the current state, else the
 *             version in the newest report's User-Agent ("12.0.1");
 *   last profile fetch  the shared metrics store (profile.fcgi sets it);
 *   badge     never reported: no configuration report (full or delta) at
 *             all; stale: the newest report is older than
 *             monitoring.report_activity_window; drift: the current state
 *             differs from the expected configuration; in sync otherwise,
 *             in that order of precedence; n/a for a phone whose vendor's
 *             firmware does not report (phone_can_report()). */
#ifndef DESKPROV_PHONEVIEW_H
#define DESKPROV_PHONEVIEW_H

#include <time.h>

#include "compare.h"
#include "config.h"
#include "metrics.h"
#include "store.h"

enum phone_badge {
	BADGE_IN_SYNC,
	BADGE_DRIFT,
	BADGE_NEVER,
	BADGE_STALE,
	BADGE_UNCONFIGURED,	/* a discovery reporter not in phones.yml */
	BADGE_NA		/* its vendor's phones do not report */
};

/* Everything is owned by the view and released by phone_view_free();
 * `phone` and the strings of `expected` are borrowed from the snapshot. */
struct phone_view {
	const struct phone	*phone;		/* NULL: not configured */
	char			 mac[MAC_LEN + 1];
	int			 have_report;	/* any report, status included */
	struct store_entry	 latest;	/* the newest report */
	time_t			 latest_time;
	char			 model[48];	/* "" when unknown */
	char			 firmware[64];	/* "" when unknown */
	int			 have_state;	/* a full report or a delta */
	struct store_state	 state;
	int			 compared;	/* result is filled */
	struct cmp_expected	 expected;
	struct cmp_result	 result;
	double			 last_fetch;	/* Unix time; 0: never seen */
	enum phone_badge	 badge;
};

/* Where the view reads from; every pointer borrowed. */
struct view_source {
	const struct store	*store;
	const struct snapshot	*snap;
	const struct secret_key	*key;		/* NULL: secrets unverified */
	struct metrics		*metrics;	/* NULL: no fetch times */
	time_t			 now;
};

/* Fills v for the configured phone ph, or for the canonical MAC mac when
 * ph is NULL.  A phone without reports is not an error (badge "never").
 * Returns STORE_OK, or the store's error (msg says why) after which v
 * still needs phone_view_free(). */
enum store_status	phone_view_load(struct phone_view *v,
			    const struct view_source *,
			    const struct phone *ph, const char *mac,
			    char *msg);
void	phone_view_free(struct phone_view *);

/* The comparison as text for a terminal (`deskprov compare`): counts,
 * then each list; values quoted with every byte outside printable ASCII
 * as \xNN, secrets only as "matches" or "differs". */
void	phone_view_text(const struct phone_view *, struct buf *);

/* 1 when the phone's firmware can upload its configuration: only Cisco
 * MPP and SPA firmware has a Report_Rule (flat-profile phones and the
 * cisco-mpp and cisco-spa packs, whose User-Agent vendor is "cisco"). */
int	phone_can_report(const struct phone *);

/* "in sync", "drift", "never reported", "stale", "not configured",
 * "n/a". */
const char	*phone_badge_text(enum phone_badge);
/* A CSS class for the badge: "ok", "drift", "never", "stale", "new",
 * "na". */
const char	*phone_badge_class(enum phone_badge);

/* Seconds since the epoch of a store timestamp (2026-11-22T10:07:53.1Z);
 * -1 when it is not one. */
time_t	store_time(const char *timestamp);

/* Canonical MACs of the $dir/<mac>/ directories, configured or not: the
 * phones that have anything stored (one readdir, not a probe per phone),
 * sorted; *out is malloc'd (caller frees), *n their number.  A missing
 * directory gives none; -1 on another error. */
int	stored_macs(const char *dir, char (**out)[MAC_LEN + 1], size_t *n);
/* Whether mac is in such a sorted list. */
int	stored_macs_has(char (*macs)[MAC_LEN + 1], size_t n, const char *mac);

#endif
