/* Reports at rest: one JSON file per report in $DESKPROV_DATA/<mac>/.
 *
 * Layout:
 *   $DESKPROV_DATA/.report-key            secret.h: the HMAC key
 *   $DESKPROV_DATA/<mac>/<id>.json        one report
 *   $DESKPROV_DATA/<mac>/.tmp-<id>.json   being written (swept after 1 h)
 * <mac> is 12 lowercase hex digits; nothing else in a path comes from a
 * request.
 *
 * A report id names its file and is safe in a URL:
 *   001122334455-20261122T100753.100655Z-config-00003039-00000007-9f86d081
 *   mac          UTC time, microseconds  kind   pid      counter  random
 * Fixed width except the kind (config, delta, status), so ids of one phone
 * sort by time.  pid + per-process counter make names unique within a
 * host, the random part across hosts or containers sharing the directory,
 * and the final link(2) refuses to replace a file in any case: two reports
 * never share a name, whatever the clock does.
 *
 * The file holds the fields users of the Flask service know:
 *   { "timestamp": "2026-11-22T10:07:53.100655Z", "mac_address": "...",
 *     "report_type": "config"|"delta"|"status", "client_ip": "...",
 *     "user_agent": "...", "data": { "Name": "value", ... } }
 * with every secret (secret.h) in data replaced by its keyed hash.  Unlike
 * the Flask service, the raw XML is not kept: it would hold the passwords.
 *
 * Writes are atomic: a temporary file (O_EXCL, O_NOFOLLOW) in the same
 * directory, fsync, link to the final name, fsync of the directory.  A
 * failed write (disk full, unwritable directory) returns STORE_E_IO and
 * leaves no file; existing reports are never touched except by retention.
 *
 * Retention keeps the newest N reports of a phone, and beyond them the
 * newest full report and the deltas after it (up to 2N files), so that the
 * current state stays exact. */
#ifndef DESKPROV_STORE_H
#define DESKPROV_STORE_H

#include <stddef.h>
#include <time.h>

#include "ident.h"
#include "report.h"
#include "secret.h"
#include "settings.h"

#define STORE_ID_MAX		72	/* longest id, NUL not included */
#define STORE_TS_LEN		27	/* 2026-11-22T10:07:53.100655Z */
#define STORE_RETENTION_DEFAULT	50
#define STORE_MSG_MAX		256
#define STORE_FILE_MAX		(128u * 1024 * 1024)	/* a stored report */
#define STORE_UA_MAX		512	/* bytes of User-Agent kept */
#define STORE_TMP_AGE		3600	/* seconds before a temp is stale */

enum store_status {
	STORE_OK = 0,
	STORE_E_INVALID,	/* not a canonical MAC / report id */
	STORE_E_NOT_FOUND,	/* no such report, or none for that phone */
	STORE_E_IO,		/* disk full, unwritable or missing directory */
	STORE_E_CORRUPT		/* a stored file that is not a report */
};

/* Where and how reports are kept; every pointer is borrowed. */
struct store {
	const char			*dir;	/* $DESKPROV_DATA */
	const struct secret_key		*key;	/* hashes secrets on save */
	const struct comparison_settings *cmp;	/* secret names; may be NULL */
	size_t				 retention; /* 0: the default */
};

/* Who sent a report; borrowed for the call. */
struct store_meta {
	const char	*mac;		/* canonical */
	const char	*client_ip;	/* NULL: "" */
	const char	*user_agent;	/* NULL: ""; cut to STORE_UA_MAX */
	struct timespec	 when;		/* { 0, 0 }: now */
	const uint64_t	*spool_seq;	/* NULL: a fresh id; else the id is
					 * made from when and this number,
					 * the same every time, and a report
					 * already stored under it is not
					 * stored again (spool.h) */
};

/* What an id tells without opening the file. */
struct store_entry {
	char			id[STORE_ID_MAX + 1];
	char			mac[MAC_LEN + 1];
	char			timestamp[STORE_TS_LEN + 1];
	enum report_kind	kind;
};

/* One page of a listing, newest first.  Caller frees with
 * store_page_free(). */
struct store_page {
	struct store_entry	*entries;
	size_t			 n;
	size_t			 total;	/* reports in the whole listing */
};

/* One report read back.  Caller frees with stored_report_free(). */
struct stored_report {
	struct store_entry	 head;
	char			*client_ip;
	char			*user_agent;
	struct report		 data;	/* secrets as hashes */
};

/* A phone's current state: its newest full report with every later delta
 * merged on top.  Caller frees with store_state_free(). */
struct store_state {
	struct report	 params;
	char		 base_id[STORE_ID_MAX + 1];	/* "" when partial */
	char		 latest_id[STORE_ID_MAX + 1];
	size_t		 n_deltas;	/* merged onto the base */
	size_t		 n_skipped;	/* unreadable files left out */
	int		 partial;	/* no full report: deltas only */
};

/* 400, 404, 503 or 500 (200 for OK): what a handler answers. */
int	store_status_http(enum store_status);

/* True for exactly the shape described above; s[0..n) may hold a NUL,
 * which makes it invalid. */
int	store_id_valid(const char *s, size_t n);
/* Fills e from a valid id; -1 when it is not one. */
int	store_entry_parse(const char *id, struct store_entry *e);

/* Stores r for meta->mac: secrets hashed with st->key, a new id written to
 * id_out, then retention applied.  msg (STORE_MSG_MAX) says why on error. */
enum store_status	store_save(const struct store *st,
			    const struct store_meta *meta,
			    const struct report *r,
			    char id_out[STORE_ID_MAX + 1], char *msg);

/* Lists reports newest first, of one phone (mac) or all (mac NULL),
 * skipping `offset` and returning at most `limit`.  A phone without
 * reports gives an empty page; a missing data directory gives
 * STORE_E_NOT_FOUND.  Every phone directory is read: the cost grows with
 * the number of stored reports, the memory only with offset + limit. */
enum store_status	store_list(const struct store *st, const char *mac,
			    size_t offset, size_t limit,
			    struct store_page *out, char *msg);
void	store_page_free(struct store_page *);

/* Reads the report with this id (NUL-terminated).  The caller frees `out`
 * with stored_report_free() whatever the result: a failure can leave
 * parts allocated. */
enum store_status	store_load(const struct store *st, const char *id,
			    struct stored_report *out, char *msg);
void	stored_report_free(struct stored_report *);

/* The current state of a phone (status reports are not configuration and
 * are left out).  STORE_E_NOT_FOUND when it has neither full report nor
 * delta.  The caller frees `out` with store_state_free() whatever the
 * result. */
enum store_status	store_current(const struct store *st, const char *mac,
			    struct store_state *out, char *msg);
void	store_state_free(struct store_state *);

/* Applies retention to one phone now (store_save does it after each
 * write) and removes temporary files older than STORE_TMP_AGE. */
enum store_status	store_prune(const struct store *st, const char *mac,
			    char *msg);

#endif
