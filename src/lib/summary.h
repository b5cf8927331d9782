/* The per-phone summary index: what the fleet page, /reports, /status and
 * /metrics need to know about each phone, kept up to date as reports
 * arrive (report.fcgi) and as phones fetch (profile.fcgi), so that none of
 * them reads a stored report.  docs/summary.md explains the design.
 *
 * One memory-mapped file of fixed records, $DESKPROV_DATA/summary/index,
 * shared by every process of every program:
 *
 *   offset   size          content
 *   0        4 KiB         header: "DPSUMMRY" magic, u32 format version,
 *                          u32 record size, u64 capacity (a power of two),
 *                          i64 creation time, u64 records in use
 *   4 KiB    capacity x    records, an open-addressing table keyed by the
 *            256 bytes     MAC (FNV-1a, linear probing)
 *
 * A record is claimed with one compare-and-swap of its 64-bit key word
 * (the MAC as a number, plus one; 0 is a free slot), so a MAC and its slot
 * appear together or not at all, and never move.  Its fields are written
 * under a per-record sequence lock: writers make the sequence odd with a
 * compare-and-swap, write, and make it even again; readers copy and retry
 * while it was odd or changed.  A writer killed in the middle leaves the
 * sequence odd: the next writer waits SUMMARY_STUCK_NS, then takes the
 * record over (a field may then hold half of an update; the next report
 * rewrites it).  No write to the index is fsynced: it is derived data,
 * rebuilt from the stored reports by `deskprov summary rebuild`, and
 * automatically when the file is missing, truncated, foreign or of another
 * format version.
 *
 * The table takes MACs up to three quarters of its capacity; the capacity
 * is fixed when the file is built (at least SUMMARY_CAP_MIN, else twice the
 * configured fleet, rounded up to a power of two).  When the fleet
 * outgrows it, summary_open() copies the records into a bigger file;
 * processes that still map the old one notice the new inode within
 * SUMMARY_CHECK_INTERVAL seconds (summary_refresh()).
 *
 * Not thread-safe within a process (one handle per process); safe across
 * processes. */
#ifndef DESKPROV_SUMMARY_H
#define DESKPROV_SUMMARY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "ident.h"
#include "store.h"

#define SUMMARY_DIR		"summary"
#define SUMMARY_VERSION		1
#define SUMMARY_CAP_MIN		4096
#define SUMMARY_FETCH_EVERY	60	/* seconds between fetch-time writes */
#define SUMMARY_STUCK_NS	100000000LL	/* a dead writer: 100 ms */
#define SUMMARY_CHECK_INTERVAL	1.0	/* seconds between inode checks */
#define SUMMARY_MSG_MAX		256

/* One phone as the index knows it; a copy, owned by the caller. */
struct summary_rec {
	char		mac[MAC_LEN + 1];
	int64_t		last_fetch;	/* Unix time; 0: never seen */
	int64_t		last_report;	/* newest report, any kind; 0: none */
	char		latest_id[STORE_ID_MAX + 1];	/* "" when none */
	uint8_t		latest_kind;	/* enum report_kind */
	uint8_t		have_state;	/* a full report or a delta stored */
	uint8_t		compared;	/* differences/unexpected are valid */
	uint8_t		spare;
	uint32_t	differences;	/* cmp_differences() at last compare */
	uint32_t	unexpected;
	uint32_t	reports;	/* received since the index was built */
	char		model[48];	/* from the newest report; "" unknown */
	char		firmware[64];
};

struct summary;

/* Maps the index in data_dir, creating the directory and the file when
 * missing (empty: the caller rebuilds it, see summary_needs_rebuild()),
 * replacing a damaged file by an empty one, and growing a file whose
 * capacity is below what min_phones needs.  NULL with msg on an I/O
 * error.  Caller closes with summary_close(). */
struct summary	*summary_open(const char *data_dir, size_t min_phones,
		    char *msg);
void		 summary_close(struct summary *);
/* True once after summary_open() built the file afresh: the records must
 * be filled from the stored reports (summary_rebuild()). */
int		 summary_needs_rebuild(const struct summary *);
/* Remaps the file when another process replaced it (at most once per
 * SUMMARY_CHECK_INTERVAL).  0, or -1 when it cannot. */
int		 summary_refresh(struct summary *);

/* Copies phone mac's record into out: 0, or -1 when the index has none. */
int	summary_get(struct summary *, const char *mac, struct summary_rec *out);

/* The records of many phones: fn(ctx, i, rec) for every i in [0, n)
 * whose MAC (mac_of(ctx, i)) the index holds, in the order the records lie
 * in the file rather than in i's order.  A walk over a fleet then reads
 * the file front to back instead of jumping to a random page for every
 * phone (100,000 phones: about 4 ms instead of 40 on a busy 2-core
 * machine, where each jump costs a cache and a TLB miss). */
void	summary_get_many(struct summary *, size_t n,
	    const char *(*mac_of)(void *ctx, size_t i),
	    void (*fn)(void *ctx, size_t i, const struct summary_rec *),
	    void *ctx);

/* Changes one record under its lock: edit() gets the current record (a
 * fresh one is zero but for the MAC) and changes it in place.  0, or -1
 * when the table is full or the MAC is not canonical. */
typedef void	(*summary_edit_fn)(struct summary_rec *, void *ctx);
int	summary_update(struct summary *, const char *mac, summary_edit_fn,
	    void *ctx);

/* A profile fetch at `now`: written only when the stored time is
 * SUMMARY_FETCH_EVERY seconds older, so a phone polling every second costs
 * one read, not one write, per fetch.  0, or -1 as summary_update(). */
int	summary_note_fetch(struct summary *, const char *mac, time_t now);

/* Calls fn for every record, in table order (the caller sorts). */
void	summary_each(struct summary *, void (*fn)(const struct summary_rec *,
	    void *), void *ctx);
/* Records in use. */
size_t	summary_count(const struct summary *);

/* The report-derived fields of a record from the stored reports of its
 * phone, for a rebuild: what phoneview.h reads from the store. */
struct view_source;
struct phone;
int	summary_fill_from_store(struct summary *, const struct view_source *,
	    const struct phone *ph, const char *mac, char *msg);

/* Fills the index from the stored reports: every configured phone of s
 * and every phone that reported without being configured.  Returns the
 * number of records written, -1 with msg when the store cannot be read. */
struct app;
struct snapshot;
long	summary_rebuild(struct summary *, struct app *,
	    const struct snapshot *s, char *msg);

/* The process's index (app->summary), opened on first use with room for
 * s's fleet, rebuilt from the stored reports when it was missing or
 * damaged, and remapped when another process replaced it.  NULL when it
 * cannot be had (logged once per attempt); callers then go without. */
struct summary	*summary_of_app(struct app *, const struct snapshot *s);

#endif
