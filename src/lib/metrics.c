/* The shared metrics store: the metric table, the file (open, check,
 * create), lock-free series lookup and updates, and the exposition writer.
 * metrics.h describes the file layout and the rules callers rely on. */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "hash.h"
#include "log.h"
#include "metrics.h"

#define LABELS_MAX	4	/* label names per metric */
#define BUCKETS_MAX	14	/* histogram buckets, +Inf not counted */

struct metric_def {
	const char	*name;
	enum metric_type type;
	const char	*help;
	const char	*labels[LABELS_MAX];	/* NULL after the last */
	const double	*buckets;		/* histograms: upper bounds */
	size_t		 nbuckets;
};

/* Request latency from a cached profile (half a millisecond) to a stalled
 * disk or an overloaded server (five seconds). */
static const double duration_buckets[] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
	1, 2.5, 5,
};

/* A redirect service's answer: a fast one over TLS takes a tenth of a
 * second, a slow one seconds, the timeout caps it at a minute at most. */
static const double rps_buckets[] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60,
};

/* The names and help texts of the first eight are those the Flask service
 * exported, so existing dashboards keep working.  Its `ip` label on
 * phone_config_requests_total is gone: an address is no bounded label. */
static const struct metric_def defs[METRIC__COUNT] = {
	[METRIC_PHONE_CONFIG_REQUESTS] = { "phone_config_requests_total",
	    METRIC_COUNTER, "Total phone configuration requests",
	    { "phone_mac" }, NULL, 0 },
	[METRIC_PHONE_REPORTS_RECEIVED] = { "phone_reports_received_total",
	    METRIC_COUNTER, "Total phone reports received",
	    { "phone_mac", "report_type" }, NULL, 0 },
	[METRIC_PHONE_FIRMWARE_UPDATES] = { "phone_firmware_updates_total",
	    METRIC_COUNTER, "Total firmware update requests served",
	    { "current_version", "expected_version", "phone_model" }, NULL, 0 },
	[METRIC_PHONE_CONFIG_DIFFERENCES] = { "phone_config_differences",
	    METRIC_GAUGE, "Number of phones with configuration differences",
	    { NULL }, NULL, 0 },
	[METRIC_PHONE_UNEXPECTED_PARAMS] = { "phone_unexpected_params",
	    METRIC_GAUGE, "Number of phones with unexpected parameters",
	    { NULL }, NULL, 0 },
	[METRIC_PHONE_ACTIVITY_RECENT] = { "phone_activity_recent",
	    METRIC_GAUGE, "Number of phones active in recent time window",
	    { NULL }, NULL, 0 },
	[METRIC_REPORTS_RECENT] = { "reports_recent",
	    METRIC_GAUGE, "Number of reports received in recent time window",
	    { NULL }, NULL, 0 },
	[METRIC_PHONE_CONFIG_REQUEST_DURATION] = {
	    "phone_config_request_duration_seconds", METRIC_HISTOGRAM,
	    "Time spent processing config requests", { NULL },
	    duration_buckets,
	    sizeof(duration_buckets) / sizeof(duration_buckets[0]) },
	[METRIC_BUILD_INFO] = { "deskprov_build_info",
	    METRIC_GAUGE, "Always 1, labelled with the running deskprov version",
	    { "version" }, NULL, 0 },
	[METRIC_REQUESTS] = { "deskprov_requests_total",
	    METRIC_COUNTER, "Requests answered, by executable and HTTP status",
	    { "executable", "status" }, NULL, 0 },
	[METRIC_REJECTIONS] = { "deskprov_rejections_total",
	    METRIC_COUNTER, "Requests refused before any work, by reason",
	    { "reason" }, NULL, 0 },
	[METRIC_CONFIG_RELOADS] = { "deskprov_config_reloads_total",
	    METRIC_COUNTER, "Configuration loads and reloads, by result",
	    { "result" }, NULL, 0 },
	[METRIC_CONFIG_LAST_RELOAD] = {
	    "deskprov_config_last_reload_timestamp_seconds", METRIC_GAUGE,
	    "Unix time of the last configuration load that succeeded",
	    { NULL }, NULL, 0 },
	[METRIC_PHONE_LAST_PROFILE_FETCH] = {
	    "deskprov_phone_last_profile_fetch_timestamp_seconds",
	    METRIC_GAUGE, "Unix time of the phone's last profile fetch",
	    { "phone_mac" }, NULL, 0 },
	[METRIC_PHONE_LAST_REPORT] = {
	    "deskprov_phone_last_report_timestamp_seconds",
	    METRIC_GAUGE, "Unix time of the phone's last report",
	    { "phone_mac" }, NULL, 0 },
	[METRIC_PHONE_DIFFERENCES] = { "deskprov_phone_differences",
	    METRIC_GAUGE, "Mismatched, missing and unexpected parameters in "
	    "the phone's last reported state", { "phone_mac" }, NULL, 0 },
	[METRIC_PHONE_UNEXPECTED] = { "deskprov_phone_unexpected_params",
	    METRIC_GAUGE, "Parameters the phone reports that its "
	    "configuration does not set", { "phone_mac" }, NULL, 0 },
	[METRIC_RPS_REQUESTS] = { "deskprov_rps_requests_total",
	    METRIC_COUNTER, "Operations on a vendor's redirect service, by "
	    "provider and outcome", { "provider", "outcome" }, NULL, 0 },
	[METRIC_RPS_DURATION] = { "deskprov_rps_request_duration_seconds",
	    METRIC_HISTOGRAM, "Time a vendor's redirect service took for one "
	    "operation", { "provider" }, rps_buckets,
	    sizeof(rps_buckets) / sizeof(rps_buckets[0]) },
	[METRIC_PNP_SUBSCRIBES] = { "pnp_subscribes_total", METRIC_COUNTER,
	    "SIP Plug-and-Play SUBSCRIBEs seen by deskprov-pnpd, by vendor "
	    "and outcome", { "vendor", "outcome" }, NULL, 0 },
	[METRIC_NOTIFY_CONFIRMED] = { "notify_confirmed_total",
	    METRIC_COUNTER, "Profile fetches that followed a deskprov notify "
	    "(a resync confirmed)", { NULL }, NULL, 0 },
	[METRIC_REPORT_SPOOL_BYTES] = { "deskprov_report_spool_bytes",
	    METRIC_GAUGE, "Bytes of reports answered from the spool and not "
	    "yet stored", { NULL }, NULL, 0 },
};

/* ---- file layout (see metrics.h) ---- */

#define FORMAT_VERSION	1
#define HEADER_SIZE	4096
#define FIXED_CAP	64
#define WIDE_CAP	4096
#define WIDE_STRIDE	512
#define WIDE_VALS	16
#define NARROW_CAP	(1u << 20)
#define NARROW_STRIDE	64
#define NARROW_VALS	1
#define SLOT_HEAD	16

#define FIXED_OFF	HEADER_SIZE
#define WIDE_MAP_OFF	(FIXED_OFF + FIXED_CAP * WIDE_STRIDE)
#define NARROW_MAP_OFF	(WIDE_MAP_OFF + 4096)
#define WIDE_OFF	(NARROW_MAP_OFF + NARROW_CAP / 8)
#define NARROW_OFF	(WIDE_OFF + WIDE_CAP * WIDE_STRIDE)
#define FILE_SIZE	((size_t)NARROW_OFF + (size_t)NARROW_CAP * NARROW_STRIDE)
#define USED_OFF	64	/* series-in-use counters, one per table */

/* Joined label values: up to four values of METRICS_LABEL_MAX bytes and the
 * NUL bytes between them. */
#define KEY_MAX		(LABELS_MAX * (METRICS_LABEL_MAX + 1))

static_assert(ATOMIC_LLONG_LOCK_FREE == 2,
    "processes share counters only through lock-free 64-bit atomics");
static_assert(METRIC__COUNT <= FIXED_CAP, "one fixed slot per metric");
static_assert(WIDE_CAP / 8 <= 4096, "wide bitmap fits its page");
static_assert(BUCKETS_MAX + 2 <= WIDE_VALS, "buckets, +Inf and sum fit");
static_assert(SLOT_HEAD + WIDE_VALS * 8 + KEY_MAX <= WIDE_STRIDE,
    "any label text fits a wide slot");
static_assert(FILE_SIZE == 69378048, "metrics.h documents this size");

struct file_header {
	char		magic[8];
	uint32_t	version;
	uint32_t	header_size;
	uint64_t	fingerprint;
	uint64_t	file_size;
	uint32_t	narrow_cap, narrow_stride;
	uint32_t	wide_cap, wide_stride;
	uint32_t	fixed_cap, fixed_stride;
	int64_t		created;
};

static const char magic[8] = { 'D', 'P', 'M', 'E', 'T', 'R', 'I', 'C' };

/* A slot: the state word, then what its claimer wrote before publishing,
 * then the value words (counter, gauge bits, or histogram buckets, +Inf and
 * sum), then the label text. */
struct slot {
	_Atomic uint64_t state;
	uint16_t	 metric;
	uint16_t	 len;
	uint32_t	 reserved;
	_Atomic uint64_t val[];
};

static_assert(sizeof(struct file_header) <= USED_OFF, "header layout");
static_assert(sizeof(struct slot) == SLOT_HEAD, "slot head layout");

enum table { TABLE_NARROW, TABLE_WIDE, TABLE__COUNT };

struct table_class {
	size_t		off, map_off;
	uint32_t	cap, stride, nvals, textcap;
};

static const struct table_class tables[TABLE__COUNT] = {
	[TABLE_NARROW] = { NARROW_OFF, NARROW_MAP_OFF, NARROW_CAP,
	    NARROW_STRIDE, NARROW_VALS,
	    NARROW_STRIDE - SLOT_HEAD - 8 * NARROW_VALS },
	[TABLE_WIDE] = { WIDE_OFF, WIDE_MAP_OFF, WIDE_CAP,
	    WIDE_STRIDE, WIDE_VALS,
	    WIDE_STRIDE - SLOT_HEAD - 8 * WIDE_VALS },
};

/* The state word: bits 0-1 the status, bits 2-31 the claimer's pid while
 * claiming, bits 32-63 a tag from the series hash, so that a prober skips
 * other series without reading their text or waiting for their claimer. */
enum { ST_EMPTY, ST_CLAIMING, ST_READY, ST_BAD };
#define ST_STATUS(s)	((unsigned)((s) & 3))
#define ST_PID(s)	((pid_t)(((s) >> 2) & 0x3fffffff))
#define ST_TAG(s)	((uint32_t)((s) >> 32))
#define ST_MAKE(tag, pid, status) \
	(((uint64_t)(tag) << 32) | ((uint64_t)(pid) & 0x3fffffff) << 2 | \
	(uint64_t)(status))

/* How long a prober waits for a live process to publish a series it is
 * claiming before counting under "unknown".  A claim is a few stores, but
 * on a loaded machine the claimer can be descheduled for tens of
 * milliseconds, and giving up then would make the counts inexact; two
 * seconds is only ever reached by a stopped claimer. */
#define SPIN_ROUNDS	64
#define CLAIM_WAIT_NS	2000000000LL
/* Probes before a table counts as full; only a corrupt file gets near. */
#define PROBE_MAX	4096

struct metrics {
	unsigned char	*base;	/* the mapping, FILE_SIZE bytes */
	char		*prog;	/* owned copy, for log lines */
};

/* ---- the metric table ---- */

static size_t
def_nlabels(const struct metric_def *d)
{
	size_t n = 0;

	while (n < LABELS_MAX && d->labels[n] != NULL)
		n++;
	return n;
}

/* Value words a series of `d` uses. */
static size_t
def_nvals(const struct metric_def *d)
{
	return d->type == METRIC_HISTOGRAM ? d->nbuckets + 2 : 1;
}

const char *
metrics_name(enum metric_id id)
{
	return (unsigned)id < METRIC__COUNT ? defs[id].name : NULL;
}

int
metrics_type(enum metric_id id)
{
	return (unsigned)id < METRIC__COUNT ? (int)defs[id].type : -1;
}

/* ---- hashing ---- */

/* hash_bytes() is FNV-1a, whose low bits are weak for a power-of-two
 * table; the splitmix64 finaliser spreads every input bit over the index
 * and the tag.  The same bytes hash as before hash_bytes() was shared, so
 * no metrics file changes its layout. */
static uint64_t
mix(uint64_t h)
{
	h ^= h >> 30;
	h *= UINT64_C(0xbf58476d1ce4e5b9);
	h ^= h >> 27;
	h *= UINT64_C(0x94d049bb133111eb);
	return h ^ (h >> 31);
}

/* Everything that decides where a series lives or what its words mean: the
 * sizes, and per metric its name, type, labels and buckets.  A file built by
 * a deskprov whose table differs would be misread, so it is replaced.  The
 * hash function itself is folded in: changing it moves every series. */
static uint64_t
layout_fingerprint(void)
{
	const uint32_t sizes[] = { FORMAT_VERSION, FIXED_CAP, WIDE_CAP,
	    WIDE_STRIDE, WIDE_VALS, NARROW_CAP, NARROW_STRIDE, NARROW_VALS,
	    METRICS_LABEL_MAX, METRIC__COUNT };
	uint64_t h = hash_bytes(HASH_SEED, sizes, sizeof(sizes));
	const struct metric_def *d;
	unsigned char type;
	size_t i, j;

	for (i = 0; i < METRIC__COUNT; i++) {
		d = &defs[i];
		type = (unsigned char)d->type;
		h = hash_bytes(h, d->name, strlen(d->name) + 1);
		h = hash_bytes(h, &type, 1);
		for (j = 0; j < def_nlabels(d); j++)
			h = hash_bytes(h, d->labels[j],
			    strlen(d->labels[j]) + 1);
		h = hash_bytes(h, d->buckets == NULL ? "" : (const void *)d->buckets,
		    d->nbuckets * sizeof(double));
		h = hash_bytes(h, "\n", 1);
	}
	return mix(h);
}

/* ---- series keys ---- */

struct key {
	enum metric_id	 id;
	bool		 unknown;	/* every label value is "unknown" */
	size_t		 len;
	uint64_t	 hash;
	unsigned char	 text[KEY_MAX];	/* values joined by NUL bytes */
};

/* A label value is kept when it is 1 to METRICS_LABEL_MAX bytes of
 * printable ASCII: nothing a phone sends can forge an exposition line, and
 * no invalid UTF-8 reaches Prometheus. */
static size_t
label_len(const char *v)
{
	size_t n;

	if (v == NULL)
		return 0;
	for (n = 0; v[n] != '\0'; n++)
		if (n == METRICS_LABEL_MAX ||
		    (unsigned char)v[n] < 0x20 || (unsigned char)v[n] > 0x7e)
			return 0;
	return n;
}

static void
key_build(struct key *k, enum metric_id id, const char *const labels[])
{
	size_t i, n, nl = def_nlabels(&defs[id]);
	const char *v;

	k->id = id;
	k->unknown = true;
	k->len = 0;
	for (i = 0; i < nl; i++) {
		v = labels != NULL ? labels[i] : NULL;
		if ((n = label_len(v)) == 0) {
			v = METRICS_UNKNOWN;
			n = sizeof(METRICS_UNKNOWN) - 1;
		} else if (n != sizeof(METRICS_UNKNOWN) - 1 ||
		    memcmp(v, METRICS_UNKNOWN, n) != 0)
			k->unknown = false;
		if (i > 0)
			k->text[k->len++] = '\0';
		memcpy(k->text + k->len, v, n);
		k->len += n;
	}
	if (!k->unknown) {
		uint16_t id16 = (uint16_t)id;

		k->hash = mix(hash_bytes(hash_bytes(HASH_SEED, &id16,
		    sizeof(id16)), k->text, k->len));
	}
}

/* Histograms need more value words than a narrow slot has; long label text
 * (firmware versions) more text bytes. */
static const struct table_class *
key_table(const struct key *k)
{
	if (defs[k->id].type == METRIC_HISTOGRAM ||
	    k->len > tables[TABLE_NARROW].textcap)
		return &tables[TABLE_WIDE];
	return &tables[TABLE_NARROW];
}

/* ---- slots ---- */

static struct slot *
slot_at(const struct metrics *m, const struct table_class *c, size_t i)
{
	return (struct slot *)(m->base + c->off + i * c->stride);
}

static struct slot *
fixed_slot(const struct metrics *m, enum metric_id id)
{
	return (struct slot *)(m->base + FIXED_OFF + (size_t)id * WIDE_STRIDE);
}

static unsigned char *
slot_text(struct slot *s, const struct table_class *c)
{
	return (unsigned char *)s + SLOT_HEAD + 8 * (size_t)c->nvals;
}

static _Atomic uint64_t *
table_used(const struct metrics *m, const struct table_class *c)
{
	return (_Atomic uint64_t *)(m->base + USED_OFF) + (c - tables);
}

static _Atomic uint64_t *
table_map(const struct metrics *m, const struct table_class *c)
{
	return (_Atomic uint64_t *)(m->base + c->map_off);
}

/* New series stop at three quarters full, where linear probing stays short
 * for the series already there. */
static bool
table_full(const struct metrics *m, const struct table_class *c)
{
	return atomic_load_explicit(table_used(m, c), memory_order_relaxed) >=
	    (uint64_t)c->cap / 4 * 3;
}

static bool
slot_matches(struct slot *s, const struct table_class *c, const struct key *k)
{
	return s->metric == (uint16_t)k->id && s->len == k->len &&
	    memcmp(slot_text(s, c), k->text, k->len) == 0;
}

/* Takes slot i from state `from` (empty, or claimed by a process that died
 * before publishing) and publishes k in it.  False when another process got
 * in first; the caller then looks at the slot again.  Nobody has touched the
 * value words of an unpublished slot, so they are still zero. */
static bool
slot_take(struct metrics *m, const struct table_class *c, size_t i,
    uint64_t from, const struct key *k)
{
	struct slot *s = slot_at(m, c, i);
	uint32_t tag = ST_TAG(k->hash);
	uint64_t mine = ST_MAKE(tag, getpid(), ST_CLAIMING);

	if (!atomic_compare_exchange_strong_explicit(&s->state, &from, mine,
	    memory_order_acq_rel, memory_order_acquire))
		return false;
	if (ST_STATUS(from) == ST_EMPTY)
		atomic_fetch_add_explicit(table_used(m, c), 1,
		    memory_order_relaxed);
	atomic_fetch_or_explicit(&table_map(m, c)[i / 64],
	    UINT64_C(1) << (i % 64), memory_order_relaxed);
	s->metric = (uint16_t)k->id;
	s->len = (uint16_t)k->len;
	memcpy(slot_text(s, c), k->text, k->len);
	/* A compare-and-swap, not a store: if a prober took us for dead and
	 * took the slot over, its claim stands and we look at the slot again. */
	return atomic_compare_exchange_strong_explicit(&s->state, &mine,
	    ST_MAKE(tag, 0, ST_READY), memory_order_release,
	    memory_order_relaxed);
}

/* A claimer that no longer exists.  kill(pid, 0) could mistake a live one
 * for dead only across pid namespaces, and deskprov's processes share one;
 * a zombie still counts as alive, so its slot waits for the reaper. */
static bool
claimer_dead(uint64_t st)
{
	pid_t pid = ST_PID(st);

	return pid <= 0 || (kill(pid, 0) == -1 && errno == ESRCH);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One round of waiting for a claimer: yield first, then nap.  False once
 * CLAIM_WAIT_NS have passed since the first nap. */
static bool
wait_round(unsigned *rounds, int64_t *deadline)
{
	const struct timespec nap = { 0, 20000 };

	if (++*rounds <= SPIN_ROUNDS) {
		sched_yield();
		return true;
	}
	if (*rounds == SPIN_ROUNDS + 1)
		*deadline = now_ns() + CLAIM_WAIT_NS;
	else if (now_ns() >= *deadline)
		return false;
	nanosleep(&nap, NULL);
	return true;
}

enum visit { VISIT_MATCH, VISIT_NEXT, VISIT_STOP };

/* Decides what slot i means for key k: it holds k, it holds something
 * else, or the search stops (k absent when not inserting, table full, or a
 * claimer that neither publishes nor dies).  Inserters of the same series
 * walk the same probe sequence and each slot is decided once, so they all
 * end on the same slot. */
static enum visit
slot_visit(struct metrics *m, const struct table_class *c, size_t i,
    const struct key *k, bool insert)
{
	struct slot *s = slot_at(m, c, i);
	unsigned rounds = 0;
	int64_t deadline = 0;
	uint64_t st;

	for (;;) {
		st = atomic_load_explicit(&s->state, memory_order_acquire);
		switch (ST_STATUS(st)) {
		case ST_EMPTY:
			if (!insert || table_full(m, c))
				return VISIT_STOP;
			if (slot_take(m, c, i, st, k))
				return VISIT_MATCH;
			break;
		case ST_READY:
			return ST_TAG(st) == ST_TAG(k->hash) &&
			    slot_matches(s, c, k) ? VISIT_MATCH : VISIT_NEXT;
		case ST_CLAIMING:
			if (ST_TAG(st) != ST_TAG(k->hash))
				return VISIT_NEXT;
			if (rounds >= SPIN_ROUNDS && claimer_dead(st)) {
				if (!insert)
					return VISIT_STOP;
				if (slot_take(m, c, i, st, k))
					return VISIT_MATCH;
			} else if (!wait_round(&rounds, &deadline))
				return VISIT_STOP;
			break;
		default:
			return VISIT_NEXT;	/* corrupt: not ours */
		}
	}
}

/* The slot of k in its table, inserting it when asked; NULL when absent or
 * when the table has no room for it. */
static struct slot *
table_find(struct metrics *m, const struct key *k, bool insert)
{
	const struct table_class *c = key_table(k);
	size_t mask = c->cap - 1, i = (size_t)k->hash & mask, n;

	for (n = 0; n < PROBE_MAX; n++, i = (i + 1) & mask) {
		switch (slot_visit(m, c, i, k, insert)) {
		case VISIT_MATCH:
			return slot_at(m, c, i);
		case VISIT_STOP:
			return NULL;
		case VISIT_NEXT:
			break;
		}
	}
	return NULL;
}

/* The value words an update of (id, labels) goes to: the series' own slot,
 * or the metric's fixed `unknown` slot, which is marked used so that the
 * exposition shows it. */
static _Atomic uint64_t *
series_values(struct metrics *m, enum metric_id id,
    const char *const labels[], enum metric_type type)
{
	struct key k;
	struct slot *s;

	if (m == NULL || (unsigned)id >= METRIC__COUNT || defs[id].type != type)
		return NULL;
	key_build(&k, id, labels);
	if (!k.unknown && (s = table_find(m, &k, true)) != NULL)
		return s->val;
	s = fixed_slot(m, id);
	if (atomic_load_explicit(&s->state, memory_order_relaxed) != ST_READY)
		atomic_store_explicit(&s->state, ST_READY,
		    memory_order_relaxed);
	return s->val;
}

/* ---- updates ---- */

static uint64_t
double_bits(double v)
{
	uint64_t u;

	memcpy(&u, &v, sizeof(u));
	return u;
}

static double
bits_double(uint64_t u)
{
	double v;

	memcpy(&v, &u, sizeof(v));
	return v;
}

/* Adds to a double kept as its bit pattern: a CAS loop, since there is no
 * atomic floating-point add. */
static void
add_double(_Atomic uint64_t *w, double delta)
{
	uint64_t old = atomic_load_explicit(w, memory_order_relaxed);

	while (!atomic_compare_exchange_weak_explicit(w, &old,
	    double_bits(bits_double(old) + delta), memory_order_relaxed,
	    memory_order_relaxed))
		;
}

void
metrics_inc(struct metrics *m, enum metric_id id, const char *const labels[],
    uint64_t n)
{
	_Atomic uint64_t *v = series_values(m, id, labels, METRIC_COUNTER);

	if (v != NULL)
		atomic_fetch_add_explicit(v, n, memory_order_relaxed);
}

void
metrics_set(struct metrics *m, enum metric_id id, const char *const labels[],
    double x)
{
	_Atomic uint64_t *v = series_values(m, id, labels, METRIC_GAUGE);

	if (v != NULL)
		atomic_store_explicit(v, double_bits(x), memory_order_relaxed);
}

void
metrics_add(struct metrics *m, enum metric_id id, const char *const labels[],
    double delta)
{
	_Atomic uint64_t *v = series_values(m, id, labels, METRIC_GAUGE);

	if (v != NULL)
		add_double(v, delta);
}

/* Buckets are stored per bucket, not cumulated, with the +Inf bucket last
 * and the sum after it; the count is their total, so a scrape can never see
 * a count that disagrees with its +Inf bucket.  NaN is ignored: it would
 * poison the sum for good. */
void
metrics_observe(struct metrics *m, enum metric_id id,
    const char *const labels[], double x)
{
	const struct metric_def *d;
	_Atomic uint64_t *v;
	size_t b = 0;

	if (isnan(x) ||
	    (v = series_values(m, id, labels, METRIC_HISTOGRAM)) == NULL)
		return;
	d = &defs[id];
	while (b < d->nbuckets && x > d->buckets[b])
		b++;
	atomic_fetch_add_explicit(&v[b], 1, memory_order_relaxed);
	add_double(&v[d->nbuckets + 1], x);
}

static double
histogram_count(const struct metric_def *d, _Atomic uint64_t *v)
{
	uint64_t n = 0;
	size_t b;

	for (b = 0; b <= d->nbuckets; b++)
		n += atomic_load_explicit(&v[b], memory_order_relaxed);
	return (double)n;
}

/* A series' value as metrics_value() reports it. */
static double
slot_value(unsigned id, struct slot *s)
{
	uint64_t v;

	if (defs[id].type == METRIC_HISTOGRAM)
		return histogram_count(&defs[id], s->val);
	v = atomic_load_explicit(&s->val[0], memory_order_relaxed);
	return defs[id].type == METRIC_GAUGE ? bits_double(v) : (double)v;
}

double
metrics_value(struct metrics *m, enum metric_id id,
    const char *const labels[])
{
	struct key k;
	struct slot *s;

	if (m == NULL || (unsigned)id >= METRIC__COUNT)
		return 0;
	key_build(&k, id, labels);
	s = k.unknown ? fixed_slot(m, id) : table_find(m, &k, false);
	return s == NULL ? 0 : slot_value(id, s);
}

/* ---- the file ---- */

static void
header_init(struct file_header *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, magic, sizeof(magic));
	h->version = FORMAT_VERSION;
	h->header_size = HEADER_SIZE;
	h->fingerprint = layout_fingerprint();
	h->file_size = FILE_SIZE;
	h->narrow_cap = NARROW_CAP;
	h->narrow_stride = NARROW_STRIDE;
	h->wide_cap = WIDE_CAP;
	h->wide_stride = WIDE_STRIDE;
	h->fixed_cap = FIXED_CAP;
	h->fixed_stride = WIDE_STRIDE;
	h->created = (int64_t)time(NULL);
}

/* Why header `h` of a file of `size` bytes is not ours to map, in words
 * for the log; NULL when it is.  The size is checked before anything is
 * mapped, so a truncated file cannot fault a process. */
static const char *
header_problem(const struct file_header *h, off_t size, char *why,
    size_t whysz)
{
	struct file_header want;

	header_init(&want);
	if (size == 0)
		return "empty file";
	if ((size_t)size < sizeof(*h) ||
	    memcmp(h->magic, magic, sizeof(magic)) != 0)
		return "not a deskprov metrics file";
	if (h->version != FORMAT_VERSION) {
		snprintf(why, whysz, "format version %" PRIu32 ", want %d",
		    h->version, FORMAT_VERSION);
		return why;
	}
	if (h->fingerprint != want.fingerprint)
		return "built for another metric table";
	if (size != (off_t)FILE_SIZE || h->file_size != FILE_SIZE) {
		snprintf(why, whysz, "size %lld, want %zu (truncated?)",
		    (long long)size, FILE_SIZE);
		return why;
	}
	want.created = h->created;
	if (memcmp(h, &want, sizeof(want)) != 0)
		return "header fields damaged";
	return NULL;
}

enum state { STATE_OK, STATE_BAD, STATE_ERROR };

/* Opens the file at `path` if it is a good store.  STATE_BAD (with the
 * reason in why, "" when missing) means it should be replaced; STATE_ERROR
 * that it cannot be used but must be left alone, such as another user's
 * file we may not open. */
static enum state
state_open(const char *path, int *fdp, char *why, size_t whysz)
{
	struct file_header h;
	struct stat st;
	const char *problem;
	int fd;

	why[0] = '\0';
	if ((fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		if (errno == ELOOP)
			snprintf(why, whysz, "a symbolic link");
		else if (errno != ENOENT)
			snprintf(why, whysz, "cannot open: %s",
			    strerror(errno));
		return errno == ENOENT || errno == ELOOP ?
		    STATE_BAD : STATE_ERROR;
	}
	memset(&h, 0, sizeof(h));
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		problem = "not a regular file";
	else if (pread(fd, &h, sizeof(h), 0) == -1)
		problem = strerror(errno);
	else
		problem = header_problem(&h, st.st_size, why, whysz);
	if (problem == NULL) {
		*fdp = fd;
		return STATE_OK;
	}
	if (problem != why)
		snprintf(why, whysz, "%s", problem);
	close(fd);
	return STATE_BAD;
}

/* Fsyncs the directory holding `path`, so that the rename survives a
 * crash; failure costs only durability, so it is not reported. */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
	    xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Writes a fresh store to `tmp`: sized, allocated, header written and
 * synced.  Returns the open descriptor, or -1 with errno set. */
static int
state_build(const char *tmp)
{
	struct file_header h;
	int fd, rc;

	(void)unlink(tmp);	/* a leftover of a creator that died */
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0660);
	if (fd == -1)
		return -1;
	header_init(&h);
	if (ftruncate(fd, (off_t)FILE_SIZE) == -1)
		goto out_unlink;
	if ((rc = posix_fallocate(fd, 0, (off_t)FILE_SIZE)) != 0) {
		errno = rc;
		goto out_unlink;
	}
	if (pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		if (errno == 0)
			errno = EIO;
		goto out_unlink;
	}
	if (fsync(fd) == -1)
		goto out_unlink;
	return fd;
out_unlink:
	rc = errno;
	(void)unlink(tmp);
	close(fd);
	errno = rc;
	return -1;
}

/* Creates or replaces the store while holding <path>.lock.  Replacement
 * has to be serialised: two processes each renaming their own fresh file
 * into place would leave the earlier ones counting into an unlinked file.
 * Under the lock the file is looked at again, since the previous holder
 * has most likely just replaced it. */
static int
state_replace(const char *path, const char *prog)
{
	struct buf lock, tmp;
	char why[160];
	int lockfd, fd = -1;

	buf_init(&lock);
	buf_init(&tmp);
	buf_printf(&lock, "%s.lock", path);
	buf_printf(&tmp, "%s.tmp", path);
	lockfd = open(lock.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0660);
	if (lockfd == -1 || flock(lockfd, LOCK_EX) == -1) {
		log_msg(prog, "error", "metrics disabled: cannot lock %s: %s",
		    lock.data, strerror(errno));
		goto out;
	}
	switch (state_open(path, &fd, why, sizeof(why))) {
	case STATE_OK:
		goto out;
	case STATE_ERROR:
		log_msg(prog, "error", "metrics disabled: %s: %s", path, why);
		goto out;
	case STATE_BAD:
		break;
	}
	if (why[0] != '\0')
		log_msg(prog, "warning", "metrics state %s: %s; replacing it "
		    "with an empty one", path, why);
	if ((fd = state_build(tmp.data)) == -1 ||
	    rename(tmp.data, path) == -1) {
		log_msg(prog, "error", "metrics disabled: cannot create %s: %s",
		    path, strerror(errno));
		if (fd != -1) {
			(void)unlink(tmp.data);
			close(fd);
			fd = -1;
		}
		goto out;
	}
	sync_dir(path);
	if (why[0] == '\0')
		log_msg(prog, "info", "metrics state %s created", path);
out:
	if (lockfd != -1)
		close(lockfd);
	buf_free(&lock);
	buf_free(&tmp);
	return fd;
}

struct metrics *
metrics_open(const char *path, const char *prog)
{
	struct metrics *m;
	char why[160];
	void *base;
	int fd = -1;

	switch (state_open(path, &fd, why, sizeof(why))) {
	case STATE_OK:
		break;
	case STATE_BAD:
		if ((fd = state_replace(path, prog)) == -1)
			return NULL;
		break;
	case STATE_ERROR:
		log_msg(prog, "error", "metrics disabled: %s: %s", path, why);
		return NULL;
	}
	base = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (base == MAP_FAILED) {
		log_msg(prog, "error", "metrics disabled: cannot map %s: %s",
		    path, strerror(errno));
		return NULL;
	}
	m = xcalloc(1, sizeof(*m));
	m->base = base;
	m->prog = xstrdup(prog);
	return m;
}

void
metrics_close(struct metrics *m)
{
	if (m == NULL)
		return;
	munmap(m->base, FILE_SIZE);
	free(m->prog);
	free(m);
}

/* ---- exposition ---- */

/* One series to write; text points into the mapping (or at a constant for
 * fixed slots) and stays valid while the store is open.  The sort key
 * holds the metric and the first 14 bytes of the text, zero-padded, as two
 * integers: sorting a few hundred thousand series then mostly compares
 * integers, without a cache miss into the mapping. */
struct entry {
	uint64_t		 key[2];
	const unsigned char	*text;
	struct slot		*slot;
	uint16_t		 metric;
	uint16_t		 len;
};

/* Bytes [from, from + n) of the text, big-endian, zero-padded. */
static uint64_t
text_bits(const unsigned char *t, size_t len, size_t from, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = from; i < from + n; i++)
		v = v << 8 | (i < len ? t[i] : 0);
	return v;
}

struct entries {
	struct entry	*v;
	size_t		 n, cap;
};

/* Called for each series found in the store. */
typedef void	series_fn(void *arg, struct slot *, unsigned metric,
		    const unsigned char *text, size_t len);

static void
entries_add(void *arg, struct slot *s, unsigned metric,
    const unsigned char *text, size_t len)
{
	struct entries *es = arg;
	struct entry *e;

	if (es->n == es->cap) {
		es->cap = es->cap == 0 ? 256 : es->cap * 2;
		es->v = xrealloc(es->v, es->cap * sizeof(*es->v));
	}
	e = &es->v[es->n++];
	e->slot = s;
	e->metric = (uint16_t)metric;
	e->text = text;
	e->len = (uint16_t)len;
	e->key[0] = (uint64_t)metric << 48 | text_bits(text, len, 0, 6);
	e->key[1] = text_bits(text, len, 6, 8);
}

/* Label text as key_build() writes it: exactly nlabels values joined by
 * NUL, each a value label_len() accepts, not all "unknown" (that series is
 * the fixed slot).  Anything else comes from a damaged file and is left
 * out rather than written as a broken line. */
static bool
text_valid(const unsigned char *t, size_t len, size_t nlabels)
{
	static const char unknown[] = METRICS_UNKNOWN;
	size_t start = 0, i, values = 0;
	bool all_unknown = true;

	for (i = 0; i <= len; i++) {
		if (i < len && t[i] != '\0') {
			if (t[i] < 0x20 || t[i] > 0x7e)
				return false;
			continue;
		}
		if (i == start || i - start > METRICS_LABEL_MAX)
			return false;
		if (i - start != sizeof(unknown) - 1 ||
		    memcmp(t + start, unknown, i - start) != 0)
			all_unknown = false;
		values++;
		start = i + 1;
	}
	return values == nlabels && nlabels > 0 && !all_unknown;
}

/* Adds the published, well-formed series of one table, walking its bitmap
 * so that a scrape touches only pages that hold series. */
static void
collect_table(struct metrics *m, const struct table_class *c, series_fn *fn,
    void *arg)
{
	_Atomic uint64_t *map = table_map(m, c);
	uint64_t bits;
	struct slot *s;
	size_t w, i;

	for (w = 0; w < c->cap / 64; w++) {
		bits = atomic_load_explicit(&map[w], memory_order_relaxed);
		while (bits != 0) {
			i = w * 64 + (size_t)__builtin_ctzll(bits);
			bits &= bits - 1;
			s = slot_at(m, c, i);
			if (ST_STATUS(atomic_load_explicit(&s->state,
			    memory_order_acquire)) != ST_READY ||
			    s->metric >= METRIC__COUNT || s->len > c->textcap ||
			    def_nvals(&defs[s->metric]) > c->nvals ||
			    !text_valid(slot_text(s, c), s->len,
			    def_nlabels(&defs[s->metric])))
				continue;
			fn(arg, s, s->metric, slot_text(s, c), s->len);
		}
	}
}

/* The fixed slots: a metric without labels always, an `unknown` series
 * once updated. */
static void
collect_fixed(struct metrics *m, series_fn *fn, void *arg)
{
	static const unsigned char unknowns[] =
	    "unknown\0unknown\0unknown\0unknown";
	struct slot *s;
	size_t i, nl;

	for (i = 0; i < METRIC__COUNT; i++) {
		s = fixed_slot(m, (enum metric_id)i);
		nl = def_nlabels(&defs[i]);
		if (nl > 0 && atomic_load_explicit(&s->state,
		    memory_order_relaxed) != ST_READY)
			continue;
		fn(arg, s, (unsigned)i, unknowns,
		    nl == 0 ? 0 : nl * sizeof(METRICS_UNKNOWN) - 1);
	}
}

/* Every series to export, in no particular order. */
static void
series_each(struct metrics *m, series_fn *fn, void *arg)
{
	size_t t;

	collect_fixed(m, fn, arg);
	for (t = 0; t < TABLE__COUNT; t++)
		collect_table(m, &tables[t], fn, arg);
}

struct total {
	unsigned	id;
	double		sum;
};

static void
total_add(void *arg, struct slot *s, unsigned metric,
    const unsigned char *text, size_t len)
{
	struct total *t = arg;

	(void)text;
	(void)len;
	if (metric == t->id)
		t->sum += slot_value(metric, s);
}

double
metrics_total(struct metrics *m, enum metric_id id)
{
	struct total t = { (unsigned)id, 0 };

	if (m == NULL || (unsigned)id >= METRIC__COUNT)
		return 0;
	series_each(m, total_add, &t);
	return t.sum;
}

/* Metric in table order, then label values bytewise: NUL sorts before any
 * printable byte, so joined text orders like the tuple of values.  The
 * zero-padded key orders the same way, since values never hold NUL. */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (x->key[0] != y->key[0])
		return x->key[0] < y->key[0] ? -1 : 1;
	if (x->key[1] != y->key[1])
		return x->key[1] < y->key[1] ? -1 : 1;
	c = memcmp(x->text, y->text, x->len < y->len ? x->len : y->len);
	if (c != 0)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

void
metrics_escape_label(struct buf *out, const char *s, size_t n)
{
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		if (s[i] != '\\' && s[i] != '"' && s[i] != '\n')
			continue;
		buf_add(out, s + run, i - run);
		buf_adds(out, s[i] == '\n' ? "\\n" : s[i] == '"' ? "\\\"" :
		    "\\\\");
		run = i + 1;
	}
	buf_add(out, s + run, n - run);
}

/* Decimal digits without printf: a scrape formats one number per line. */
static void
put_u64(struct buf *out, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	buf_add(out, tmp + i, sizeof(tmp) - i);
}

/* Whole numbers (counts, Unix timestamps) as integers; others as the
 * shortest of %.15g and %.17g that reads back as the same double, so 0.1
 * stays "0.1"; Inf and NaN spelt the way Prometheus reads them. */
static void
put_double(struct buf *out, double v)
{
	char tmp[32];

	if (v >= 0 && v < 9007199254740992.0 && v == (double)(uint64_t)v) {
		put_u64(out, (uint64_t)v);
		return;
	}
	if (isnan(v)) {
		buf_adds(out, "NaN");
		return;
	}
	if (isinf(v)) {
		buf_adds(out, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	snprintf(tmp, sizeof(tmp), "%.15g", v);
	if (strtod(tmp, NULL) != v)
		snprintf(tmp, sizeof(tmp), "%.17g", v);
	buf_adds(out, tmp);
}

/* A bucket bound as the Python client spelt it ("0.005", "1.0"): the le
 * value is part of the series' identity, so a fleet moving from the Flask
 * service keeps its histogram series. */
static void
format_le(char *le, size_t lesz, double bound)
{
	size_t n;

	snprintf(le, lesz, "%.15g", bound);
	n = strlen(le);
	if (strpbrk(le, ".e") == NULL && n + 2 < lesz)
		memcpy(le + n, ".0", 3);
}

/* `{a="x",b="y"}` from the joined text, with `le` appended for a bucket;
 * nothing at all for a series without labels. */
static void
put_labels(struct buf *out, const struct entry *e, const char *le)
{
	const struct metric_def *d = &defs[e->metric];
	const char *t = (const char *)e->text;
	size_t i, nl = def_nlabels(d), off = 0, n;

	if (nl == 0 && le == NULL)
		return;
	buf_addc(out, '{');
	for (i = 0; i < nl; i++) {
		n = strnlen(t + off, e->len - off);
		if (i > 0)
			buf_addc(out, ',');
		buf_adds(out, d->labels[i]);
		buf_add(out, "=\"", 2);
		metrics_escape_label(out, t + off, n);
		buf_addc(out, '"');
		off += n + 1;
	}
	if (le != NULL) {
		buf_adds(out, nl > 0 ? ",le=\"" : "le=\"");
		buf_adds(out, le);
		buf_addc(out, '"');
	}
	buf_addc(out, '}');
}

static void
put_histogram(struct buf *out, const struct entry *e)
{
	const struct metric_def *d = &defs[e->metric];
	_Atomic uint64_t *v = e->slot->val;
	uint64_t cum = 0;
	char le[32];
	size_t b;

	for (b = 0; b <= d->nbuckets; b++) {
		cum += atomic_load_explicit(&v[b], memory_order_relaxed);
		if (b < d->nbuckets)
			format_le(le, sizeof(le), d->buckets[b]);
		else
			snprintf(le, sizeof(le), "+Inf");
		buf_printf(out, "%s_bucket", d->name);
		put_labels(out, e, le);
		buf_printf(out, " %" PRIu64 "\n", cum);
	}
	buf_printf(out, "%s_sum", d->name);
	put_labels(out, e, NULL);
	buf_addc(out, ' ');
	put_double(out, bits_double(atomic_load_explicit(&v[d->nbuckets + 1],
	    memory_order_relaxed)));
	buf_printf(out, "\n%s_count", d->name);
	put_labels(out, e, NULL);
	buf_printf(out, " %" PRIu64 "\n", cum);
}

static void
put_series(struct buf *out, const struct entry *e)
{
	const struct metric_def *d = &defs[e->metric];
	uint64_t v;

	if (d->type == METRIC_HISTOGRAM) {
		put_histogram(out, e);
		return;
	}
	v = atomic_load_explicit(&e->slot->val[0], memory_order_relaxed);
	buf_adds(out, d->name);
	put_labels(out, e, NULL);
	buf_addc(out, ' ');
	if (d->type == METRIC_COUNTER)
		put_u64(out, v);
	else
		put_double(out, bits_double(v));
	buf_addc(out, '\n');
}

static void
put_header(struct buf *out, const struct metric_def *d)
{
	static const char *const type_names[] = {
		[METRIC_COUNTER] = "counter",
		[METRIC_GAUGE] = "gauge",
		[METRIC_HISTOGRAM] = "histogram",
	};

	/* Help texts are ours and hold neither backslash nor newline, the two
	 * bytes HELP would need escaped (a test checks). */
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", d->name, d->help,
	    d->name, type_names[d->type]);
}

void
metrics_write_exposition(struct metrics *m, struct buf *out)
{
	struct entries es = { NULL, 0, 0 };
	size_t i, next = 0;

	if (m == NULL)
		return;
	series_each(m, entries_add, &es);
	qsort(es.v, es.n, sizeof(*es.v), entry_cmp);
	for (i = 0; i < METRIC__COUNT; i++) {
		put_header(out, &defs[i]);
		for (; next < es.n && es.v[next].metric == i; next++) {
			/* Only a damaged file holds a series twice. */
			if (next > 0 && entry_cmp(&es.v[next - 1],
			    &es.v[next]) == 0)
				continue;
			put_series(out, &es.v[next]);
		}
	}
	free(es.v);
}
