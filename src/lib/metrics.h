/* The metrics store shared by every process of every deskprov executable,
 * and its Prometheus text exposition.
 *
 * Counters, gauges and histograms live in one memory-mapped file in the data
 * directory (the caller passes the path, normally $DESKPROV_DATA/
 * metrics.state).  Every FastCGI process of profile.fcgi, report.fcgi,
 * compare.fcgi and metrics.fcgi maps the same file and updates it with C11
 * atomics, without locks; metrics.fcgi reads it at scrape time.  Restarting
 * or killing a process loses nothing it counted: the counts are in the file.
 *
 * Series (a metric and its label values) sit in fixed-capacity
 * open-addressing tables inside the file.  A series is claimed once, with a
 * compare-and-swap on its slot's state word, and never removed.  When a table
 * is full, or a label value is missing, too long or holds a byte outside
 * printable ASCII, the update goes to the metric's `unknown` series (every
 * label value "unknown"), which is reserved up front: counts are never lost,
 * only attributed coarser.  Callers bound label values themselves (known
 * MACs, models and versions from the config, else "unknown"); the store's
 * caps are the backstop against a flood of distinct values.
 *
 * File layout (native byte order; the file never leaves its host):
 *
 *   offset      size        content
 *   0           4 KiB       header: "DPMETRIC" magic (8 bytes), u32 format
 *                           version at 8, u32 header size at 12, u64 layout
 *                           fingerprint at 16 (hash of the metric table and
 *                           of the sizes below), u64 file size at 24, the
 *                           capacities and strides at 32..55, i64 creation
 *                           time at 56; series-in-use counters at 64.
 *   4 KiB       32 KiB      64 fixed slots of 512 bytes: slot i is the
 *                           `unknown` series of metric i (for a metric
 *                           without labels, its only series).
 *   36 KiB      4 KiB       wide-table bitmap (which slots are in use).
 *   40 KiB      128 KiB     narrow-table bitmap.
 *   168 KiB     2 MiB       wide table: 4,096 slots of 512 bytes, for
 *                           histograms and label text over 40 bytes.
 *   2216 KiB    64 MiB      narrow table: 1,048,576 slots of 64 bytes, one
 *                           cache line each: state word, metric id, text
 *                           length, one value word, 40 bytes of label text.
 *   total       69,378,048 bytes (66.2 MiB)
 *
 * A table accepts new series up to three quarters full: 786,432 narrow
 * series, enough for 100,000 phones with seven per-phone series each
 * (requests, last fetch, last report, one or two report types, the two
 * drift gauges of a phone that reported), or 87,000 phones that use all
 * nine.  The file is allocated on creation (posix_fallocate: extents
 * reserved, no page written) so that a full disk fails metrics_open()
 * instead of killing a process with SIGBUS later; pages cost memory only
 * once a series lands on them.
 *
 * A file that is truncated, foreign, of another format version or built for
 * another metric table is detected by metrics_open(), logged, and replaced
 * by a fresh one (built under a temporary name, then renamed into place
 * while holding <path>.lock, so racing processes end up sharing one file).
 * Upgrading deskprov to a release with a different metric table therefore
 * starts the counts from zero, which Prometheus reads as a counter reset.
 */
#ifndef DESKPROV_METRICS_H
#define DESKPROV_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum metric_type {
	METRIC_COUNTER,
	METRIC_GAUGE,
	METRIC_HISTOGRAM,
};

/* One entry per metric of the table in metrics.c, which gives names, help
 * texts and label names; the comment shows the label names in order. */
enum metric_id {
	METRIC_PHONE_CONFIG_REQUESTS,		/* phone_mac */
	METRIC_PHONE_REPORTS_RECEIVED,		/* phone_mac, report_type */
	METRIC_PHONE_FIRMWARE_UPDATES,		/* current_version,
						   expected_version,
						   phone_model */
	METRIC_PHONE_CONFIG_DIFFERENCES,
	METRIC_PHONE_UNEXPECTED_PARAMS,
	METRIC_PHONE_ACTIVITY_RECENT,
	METRIC_REPORTS_RECENT,
	METRIC_PHONE_CONFIG_REQUEST_DURATION,	/* histogram, seconds */
	METRIC_BUILD_INFO,			/* version */
	METRIC_REQUESTS,			/* executable, status */
	METRIC_REJECTIONS,			/* reason */
	METRIC_CONFIG_RELOADS,			/* result */
	METRIC_CONFIG_LAST_RELOAD,
	METRIC_PHONE_LAST_PROFILE_FETCH,	/* phone_mac */
	METRIC_PHONE_LAST_REPORT,		/* phone_mac */
	METRIC_PHONE_DIFFERENCES,		/* phone_mac */
	METRIC_PHONE_UNEXPECTED,		/* phone_mac */
	METRIC_RPS_REQUESTS,			/* provider, outcome */
	METRIC_RPS_DURATION,			/* histogram, provider */
	METRIC_PNP_SUBSCRIBES,			/* vendor, outcome */
	METRIC_NOTIFY_CONFIRMED,
	METRIC_REPORT_SPOOL_BYTES,
	METRIC__COUNT
};

/* Longest label value kept, in bytes; longer values count as "unknown". */
#define METRICS_LABEL_MAX	64
#define METRICS_UNKNOWN		"unknown"

struct metrics;

/* Maps the store at `path`, creating or replacing the file as described
 * above.  `prog` names the process in log lines and is copied.  Returns NULL
 * (after one log line) when the store cannot be had: unwritable directory,
 * full disk.  Every function below accepts NULL and then does nothing, so a
 * caller degrades to "no metrics" without a test of its own.  The caller
 * owns the result and releases it with metrics_close(); after fork() parent
 * and child may both go on using it. */
struct metrics	*metrics_open(const char *path, const char *prog);
void		 metrics_close(struct metrics *);

/* Name and type of a metric; NULL / -1 for an id outside the table. */
const char	*metrics_name(enum metric_id);
int		 metrics_type(enum metric_id);

/* Updates.  `labels` holds one value per label name of the metric, in the
 * table's order (NULL for a metric without labels; a NULL array or entry
 * means "unknown").  The strings are only read during the call.  A call with
 * an id outside the table or of the wrong type for the metric (metrics_inc
 * on a gauge) does nothing.  metrics_inc with n = 0 creates the series, so
 * that it is exported (as 0) before the first event. */
void	metrics_inc(struct metrics *, enum metric_id,
	    const char *const labels[], uint64_t n);		/* counter */
void	metrics_set(struct metrics *, enum metric_id,
	    const char *const labels[], double v);		/* gauge */
void	metrics_add(struct metrics *, enum metric_id,
	    const char *const labels[], double delta);		/* gauge */
void	metrics_observe(struct metrics *, enum metric_id,
	    const char *const labels[], double v);		/* histogram */

/* The current value of one series without creating it: a counter's count, a
 * gauge's value, a histogram's number of observations; 0 for a series never
 * updated (or counted under "unknown" because its table was full). */
double	metrics_value(struct metrics *, enum metric_id,
	    const char *const labels[]);

/* The sum of a metric over all its series (for a histogram, observations),
 * for /status: "config requests from every phone".  It walks the in-use
 * bitmaps like a scrape does, so it costs milliseconds with 100,000
 * phones; not for the request path. */
double	metrics_total(struct metrics *, enum metric_id);

/* Appends the whole store to `out` in the Prometheus text format 0.0.4
 * (Content-Type: text/plain; version=0.0.4): every metric in table order
 * with # HELP and # TYPE, its series sorted by label values, histograms as
 * cumulative _bucket{le=...} lines up to +Inf, then _sum and _count.
 * Label-less metrics are always written; an `unknown` series only once it
 * was updated.  Nothing is appended for a NULL store.  Reads without locks:
 * a scrape racing updates sees each value either before or after. */
void	metrics_write_exposition(struct metrics *, struct buf *out);

/* Appends `s` as the inside of a label value: backslash, double quote and
 * newline escaped.  For callers that write extra exposition lines. */
void	metrics_escape_label(struct buf *, const char *s, size_t n);

#endif
