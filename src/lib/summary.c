#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "buf.h"
#include "hash.h"
#include "log.h"
#include "text.h"
#include "phoneview.h"
#include "summary.h"

#define MAGIC		"DPSUMMRY"
#define HEADER_SIZE	4096
#define SLOT_SIZE	256
#define INDEX_NAME	"index"

/* The header as it sits in the file. */
struct header {
	char		magic[8];
	uint32_t	version;
	uint32_t	slot_size;
	uint64_t	capacity;
	int64_t		created;
	_Atomic uint64_t used;
};

/* One record in the file: the key word claims it, seq guards rec. */
struct slot {
	_Atomic uint64_t	key;	/* MAC as a number + 1; 0: free */
	_Atomic uint32_t	seq;	/* odd while a writer is at work */
	uint32_t		pad;
	struct summary_rec	rec;
};

_Static_assert(sizeof(struct slot) <= SLOT_SIZE, "summary slot too big");
_Static_assert(sizeof(struct header) <= HEADER_SIZE, "summary header");

/* A walk over a fleet in file order (summary_get_fleet()): the slot
 * each MAC hashes to, with the MAC's position, sorted; made once per
 * fleet and file. */
struct plan {
	uint64_t	 fleet_id;
	uint64_t	 cap;		/* of the file it was made for */
	dev_t		 dev;
	ino_t		 ino;
	size_t		 n;		/* MACs asked for */
	size_t		 m;		/* of them valid: v[0..m) */
	uint64_t	*v;		/* slot << 32 | position */
	uint64_t	*keys;		/* by position; 0: no MAC */
};

struct summary {
	char		 dir[2048];	/* $DESKPROV_DATA/summary */
	char		 path[2200];	/* .../index */
	unsigned char	*map;
	size_t		 size;
	uint64_t	 cap;
	dev_t		 dev;
	ino_t		 ino;
	double		 next_check;
	int		 fresh;		/* built empty by this open */
	struct plan	 plan;		/* summary_get_fleet()'s */
};

/* ---- the file ---- */

static double
mono_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static struct header *
hdr(const struct summary *s)
{
	return (struct header *)(void *)s->map;
}

static struct slot *
slot_at(const struct summary *s, uint64_t i)
{
	return (struct slot *)(void *)(s->map + HEADER_SIZE + i * SLOT_SIZE);
}

static uint64_t
capacity_for(size_t phones)
{
	uint64_t cap = SUMMARY_CAP_MIN;

	while (cap < (uint64_t)phones * 2 && cap < (UINT64_C(1) << 30))
		cap *= 2;
	return cap;
}

static size_t
file_size(uint64_t cap)
{
	return HEADER_SIZE + (size_t)cap * SLOT_SIZE;
}

/* True for a header of this format whose size matches the file. */
static int
header_ok(const struct header *h, size_t size)
{
	return memcmp(h->magic, MAGIC, 8) == 0 &&
	    h->version == SUMMARY_VERSION && h->slot_size == SLOT_SIZE &&
	    h->capacity >= SUMMARY_CAP_MIN &&
	    (h->capacity & (h->capacity - 1)) == 0 &&
	    h->capacity <= (UINT64_C(1) << 30) &&
	    size == file_size(h->capacity);
}

static int __attribute__((format(printf, 2, 3)))
fail(char *msg, const char *fmt, ...)
{
	va_list ap;

	if (msg != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, SUMMARY_MSG_MAX, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Writes an empty index of `cap` records under a temporary name and
 * returns its descriptor (the caller renames it), -1 on error.  The file
 * is sparse: a record costs disk and memory once it is used. */
static int
create_tmp(const char *dir, const char *tmp, uint64_t cap, char *msg)
{
	struct header h;
	int fd;

	(void)dir;
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0640);
	if (fd < 0)
		return fail(msg, "cannot create %s: %s", tmp, strerror(errno));
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, 8);
	h.version = SUMMARY_VERSION;
	h.slot_size = SLOT_SIZE;
	h.capacity = cap;
	h.created = (int64_t)time(NULL);
	if (ftruncate(fd, (off_t)file_size(cap)) < 0 ||
	    pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h)) {
		fail(msg, "cannot write %s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	return fd;
}

static int
map_fd(struct summary *s, int fd, char *msg)
{
	struct stat st;
	void *m;

	if (fstat(fd, &st) < 0 || st.st_size < HEADER_SIZE)
		return fail(msg, "%s is truncated", s->path);
	m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (m == MAP_FAILED)
		return fail(msg, "cannot map %s: %s", s->path, strerror(errno));
	if (!header_ok(m, (size_t)st.st_size)) {
		munmap(m, (size_t)st.st_size);
		return fail(msg, "%s is not a summary index of version %d",
		    s->path, SUMMARY_VERSION);
	}
	s->map = m;
	s->size = (size_t)st.st_size;
	s->cap = ((struct header *)m)->capacity;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	return 0;
}

static void
unmap(struct summary *s)
{
	if (s->map != NULL)
		munmap(s->map, s->size);
	s->map = NULL;
}

static int
map_path(struct summary *s, char *msg)
{
	int fd = open(s->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0)
		return fail(msg, "cannot open %s: %s", s->path,
		    strerror(errno));
	rc = map_fd(s, fd, msg);
	close(fd);
	return rc;
}

static void copy_records(struct summary *to, const struct summary *from);

/* Builds a new index of `cap` records (with old's records, if any) and
 * renames it into place.  The caller holds the lock. */
static int
replace_file(struct summary *s, uint64_t cap, const struct summary *old,
    char *msg)
{
	char tmp[2200];
	struct summary n;
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s/.index-%ld.tmp", s->dir,
	    (long)getpid());
	if ((fd = create_tmp(s->dir, tmp, cap, msg)) < 0)
		return -1;
	memset(&n, 0, sizeof(n));
	snprintf(n.path, sizeof(n.path), "%s", tmp);
	rc = map_fd(&n, fd, msg);
	close(fd);
	if (rc == 0 && old != NULL)
		copy_records(&n, old);
	unmap(&n);
	if (rc == 0 && rename(tmp, s->path) < 0)
		rc = fail(msg, "cannot rename %s: %s", tmp, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	return rc;
}

/* Under <dir>/index.lock: maps the index, replacing a damaged file by an
 * empty one and a small one by a copy with room for min_phones. */
static int
open_locked(struct summary *s, size_t min_phones, char *msg)
{
	char why[SUMMARY_MSG_MAX];
	struct summary old;
	uint64_t cap = capacity_for(min_phones);

	if (map_path(s, why) == 0) {
		if (s->cap >= cap)
			return 0;
		old = *s;
		s->map = NULL;
		if (replace_file(s, cap, &old, msg) < 0) {
			*s = old;	/* keep serving the small one */
			return 0;
		}
		unmap(&old);
		return map_path(s, msg);
	}
	if (access(s->path, F_OK) == 0)
		log_msg("summary", "warning", "%s; building a new index",
		    why);
	if (replace_file(s, cap, NULL, msg) < 0)
		return -1;
	s->fresh = 1;
	return map_path(s, msg);
}

struct summary *
summary_open(const char *data_dir, size_t min_phones, char *msg)
{
	struct summary *s = xcalloc(1, sizeof(*s));
	char lock[2200];
	int lfd, rc;

	snprintf(s->dir, sizeof(s->dir), "%s/%s", data_dir, SUMMARY_DIR);
	snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, INDEX_NAME);
	snprintf(lock, sizeof(lock), "%s/%s.lock", s->dir, INDEX_NAME);
	if (mkdir(s->dir, 0750) < 0 && errno != EEXIST) {
		fail(msg, "cannot create %s: %s", s->dir, strerror(errno));
		free(s);
		return NULL;
	}
	lfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (lfd < 0 || flock(lfd, LOCK_EX) < 0) {
		fail(msg, "cannot lock %s: %s", lock, strerror(errno));
		if (lfd >= 0)
			close(lfd);
		free(s);
		return NULL;
	}
	rc = open_locked(s, min_phones, msg);
	close(lfd);
	if (rc < 0) {
		free(s);
		return NULL;
	}
	s->next_check = mono_now() + SUMMARY_CHECK_INTERVAL;
	return s;
}

static void
plan_free(struct plan *p)
{
	free(p->v);
	free(p->keys);
	memset(p, 0, sizeof(*p));
}

void
summary_close(struct summary *s)
{
	if (s == NULL)
		return;
	unmap(s);
	plan_free(&s->plan);
	free(s);
}

int
summary_needs_rebuild(const struct summary *s)
{
	return s != NULL && s->fresh;
}

int
summary_refresh(struct summary *s)
{
	struct summary n;
	struct stat st;
	double now = mono_now();

	if (s == NULL || now < s->next_check)
		return 0;
	s->next_check = now + SUMMARY_CHECK_INTERVAL;
	if (stat(s->path, &st) == 0 && st.st_dev == s->dev &&
	    st.st_ino == s->ino)
		return 0;
	n = *s;
	n.map = NULL;
	if (map_path(&n, NULL) < 0)
		return -1;
	unmap(s);
	*s = n;
	s->fresh = 0;
	return 0;
}

/* ---- records ---- */

static uint64_t
mac_key(const char *mac)
{
	uint64_t k = 0;

	if (mac == NULL || strlen(mac) != MAC_LEN)
		return 0;
	for (size_t i = 0; i < MAC_LEN; i++) {
		int v = hex_value((unsigned char)mac[i]);

		if (v < 0 || (mac[i] >= 'A' && mac[i] <= 'F'))
			return 0;
		k = k << 4 | (uint64_t)v;
	}
	return k + 1;
}

static void
key_mac(uint64_t k, char mac[MAC_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";

	k--;
	for (int i = MAC_LEN - 1; i >= 0; i--, k >>= 4)
		mac[i] = hex[k & 15];
	mac[MAC_LEN] = '\0';
}

/* The slot a key starts probing at.  MACs of one fleet are often
 * consecutive numbers; FNV-1a over their bytes clusters them in the low
 * bits the table uses (the probes took a third of a fleet page's time at
 * 100,000 phones), so the key is mixed with the splitmix64 finalizer
 * (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), whose low bits depend on every input bit. */
static uint64_t
key_hash(uint64_t k)
{
	k ^= k >> 30;
	k *= UINT64_C(0xbf58476d1ce4e5b9);
	k ^= k >> 27;
	k *= UINT64_C(0x94d049bb133111eb);
	return k ^ (k >> 31);
}

/* The slot of key k, claiming a free one when `claim`; NULL when absent
 * (or the table is three quarters full). */
static struct slot *
find(struct summary *s, uint64_t k, int claim)
{
	uint64_t mask = s->cap - 1, i = key_hash(k) & mask;

	for (uint64_t n = 0; n < s->cap; n++, i = (i + 1) & mask) {
		struct slot *sl = slot_at(s, i);
		uint64_t have = atomic_load_explicit(&sl->key,
		    memory_order_acquire), zero = 0;

		if (have == k)
			return sl;
		if (have != 0)
			continue;
		if (!claim || atomic_load(&hdr(s)->used) >= s->cap / 4 * 3)
			return NULL;
		if (atomic_compare_exchange_strong(&sl->key, &zero, k)) {
			atomic_fetch_add(&hdr(s)->used, 1);
			return sl;
		}
		if (zero == k)
			return sl;	/* another process claimed it for k */
	}
	return NULL;
}

static long long
now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Makes seq odd: ours to write.  A sequence that stays odd for
 * SUMMARY_STUCK_NS belongs to a writer that died; it is taken over. */
static uint32_t
lock_slot(struct slot *sl)
{
	long long since = 0;
	uint32_t seen = 0, v;

	for (;;) {
		v = atomic_load_explicit(&sl->seq, memory_order_relaxed);
		if ((v & 1) == 0 && atomic_compare_exchange_weak(&sl->seq, &v,
		    v + 1))
			return v + 1;
		if ((v & 1) == 0)
			continue;
		if (since == 0 || v != seen) {
			since = now_ns();
			seen = v;
		} else if (now_ns() - since > SUMMARY_STUCK_NS &&
		    atomic_compare_exchange_strong(&sl->seq, &v, v + 2))
			return v + 2;
		sched_yield();
	}
}

static void
unlock_slot(struct slot *sl, uint32_t odd)
{
	atomic_store_explicit(&sl->seq, odd + 1, memory_order_release);
}

/* A consistent copy of the record; after many tries with a writer that
 * never finishes, the copy as it is. */
static void
read_slot(const struct slot *sl, struct summary_rec *out)
{
	for (int tries = 0; tries < 100000; tries++) {
		uint32_t a = atomic_load_explicit(&sl->seq,
		    memory_order_acquire), b;

		if (a & 1) {
			sched_yield();
			continue;
		}
		memcpy(out, &sl->rec, sizeof(*out));
		atomic_thread_fence(memory_order_acquire);
		b = atomic_load_explicit(&sl->seq, memory_order_relaxed);
		if (a == b)
			return;
	}
	memcpy(out, &sl->rec, sizeof(*out));
}

int
summary_get(struct summary *s, const char *mac, struct summary_rec *out)
{
	uint64_t k = mac_key(mac);
	struct slot *sl;

	if (s == NULL || k == 0 || (sl = find(s, k, 0)) == NULL)
		return -1;
	read_slot(sl, out);
	memcpy(out->mac, mac, MAC_LEN + 1);
	return 0;
}

/* Sorts v[0..n) by its upper 32 bits (the slot), two radix passes of 16
 * bits each; tmp has room for n. */
static void
sort_by_slot(uint64_t *v, uint64_t *tmp, size_t n)
{
	size_t *count = xcalloc(65537, sizeof(*count));

	for (int shift = 32; shift < 64; shift += 16) {
		memset(count, 0, 65537 * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[((v[i] >> shift) & 0xffff) + 1]++;
		for (size_t d = 1; d < 65537; d++)
			count[d] += count[d - 1];
		for (size_t i = 0; i < n; i++)
			tmp[count[(v[i] >> shift) & 0xffff]++] = v[i];
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(count);
}

/* The slot holding key k, probing from `from`; NULL when absent. */
static struct slot *
find_from(struct summary *s, uint64_t k, uint64_t from)
{
	uint64_t mask = s->cap - 1, i = from;

	for (uint64_t n = 0; n < s->cap; n++, i = (i + 1) & mask) {
		struct slot *sl = slot_at(s, i);
		uint64_t have = atomic_load_explicit(&sl->key,
		    memory_order_acquire);

		if (have == k)
			return sl;
		if (have == 0)
			return NULL;
	}
	return NULL;
}

/* Parses and sorts the n MACs into file order for s's current file. */
static void
plan_make(struct summary *s, struct plan *p, size_t n,
    const char *(*mac_of)(void *ctx, size_t i), void *ctx)
{
	uint64_t *tmp;

	memset(p, 0, sizeof(*p));
	p->cap = s->cap;
	p->dev = s->dev;
	p->ino = s->ino;
	p->n = n;
	p->v = xcalloc(n, sizeof(*p->v));
	p->keys = xcalloc(n, sizeof(*p->keys));
	tmp = xcalloc(n, sizeof(*tmp));
	for (size_t i = 0; i < n; i++) {
		if ((p->keys[i] = mac_key(mac_of(ctx, i))) == 0)
			continue;
		p->v[p->m++] = (key_hash(p->keys[i]) & (s->cap - 1)) << 32 | i;
	}
	sort_by_slot(p->v, tmp, p->m);
	free(tmp);
}

/* Slots this many places ahead in the walk are asked for before they are
 * read: each is a cache miss (and often a TLB miss) on its own, and the
 * processor can wait for several at once but not for one it has not
 * been told about.  Eight covered the latency on the benchmark machine;
 * more changed nothing. */
#define PLAN_AHEAD	8

static void
prefetch_slot(const struct summary *s, uint64_t slot)
{
	const unsigned char *p = (const unsigned char *)slot_at(s, slot);

	for (size_t off = 0; off < SLOT_SIZE; off += 64)
		__builtin_prefetch(p + off, 0, 0);
}

static void
plan_walk(struct summary *s, const struct plan *p,
    void (*fn)(void *ctx, size_t i, const struct summary_rec *), void *ctx)
{
	struct summary_rec r;

	for (size_t j = 0; j < p->m; j++) {
		size_t i = (size_t)(p->v[j] & 0xffffffffu);
		struct slot *sl;

		if (j + PLAN_AHEAD < p->m)
			prefetch_slot(s, p->v[j + PLAN_AHEAD] >> 32);
		if ((sl = find_from(s, p->keys[i], p->v[j] >> 32)) == NULL)
			continue;
		read_slot(sl, &r);
		key_mac(p->keys[i], r.mac);
		fn(ctx, i, &r);
	}
}

void
summary_get_many(struct summary *s, size_t n,
    const char *(*mac_of)(void *ctx, size_t i),
    void (*fn)(void *ctx, size_t i, const struct summary_rec *),
    void *ctx)
{
	struct plan p;

	if (s == NULL || n == 0 || n > UINT32_MAX)
		return;
	plan_make(s, &p, n, mac_of, ctx);
	plan_walk(s, &p, fn, ctx);
	plan_free(&p);
}

void
summary_get_fleet(struct summary *s, uint64_t fleet_id, size_t n,
    const char *(*mac_of)(void *ctx, size_t i),
    void (*fn)(void *ctx, size_t i, const struct summary_rec *),
    void *ctx)
{
	struct plan *p;

	if (s == NULL || n == 0 || n > UINT32_MAX)
		return;
	p = &s->plan;
	if (p->v == NULL || p->fleet_id != fleet_id || p->n != n ||
	    p->cap != s->cap || p->dev != s->dev || p->ino != s->ino) {
		plan_free(p);
		plan_make(s, p, n, mac_of, ctx);
		p->fleet_id = fleet_id;
	}
	plan_walk(s, p, fn, ctx);
}

int
summary_update(struct summary *s, const char *mac, summary_edit_fn edit,
    void *ctx)
{
	uint64_t k = mac_key(mac);
	struct summary_rec r;
	struct slot *sl;
	uint32_t odd;

	if (s == NULL || k == 0 || (sl = find(s, k, 1)) == NULL)
		return -1;
	odd = lock_slot(sl);
	memcpy(&r, &sl->rec, sizeof(r));
	memcpy(r.mac, mac, MAC_LEN + 1);
	edit(&r, ctx);
	memcpy(r.mac, mac, MAC_LEN + 1);
	memcpy(&sl->rec, &r, sizeof(r));
	unlock_slot(sl, odd);
	return 0;
}

static void
set_fetch(struct summary_rec *r, void *ctx)
{
	int64_t when = *(const int64_t *)ctx;

	if (when > r->last_fetch)
		r->last_fetch = when;
}

int
summary_note_fetch(struct summary *s, const char *mac, time_t now)
{
	struct summary_rec r;
	int64_t when = (int64_t)now;

	if (summary_get(s, mac, &r) == 0 &&
	    when - r.last_fetch < SUMMARY_FETCH_EVERY && when >= r.last_fetch)
		return 0;
	return summary_update(s, mac, set_fetch, &when);
}

void
summary_each(struct summary *s, void (*fn)(const struct summary_rec *,
    void *), void *ctx)
{
	struct summary_rec r;

	for (uint64_t i = 0; s != NULL && i < s->cap; i++) {
		struct slot *sl = slot_at(s, i);
		uint64_t k = atomic_load_explicit(&sl->key,
		    memory_order_acquire);

		if (k == 0)
			continue;
		read_slot(sl, &r);
		key_mac(k, r.mac);
		fn(&r, ctx);
	}
}

size_t
summary_count(const struct summary *s)
{
	return s == NULL ? 0 : (size_t)atomic_load(&hdr(s)->used);
}

/* ---- rebuild ---- */

struct fill {
	const struct phone_view	*v;
};

static void
copy_rec(struct summary_rec *dst, void *ctx)
{
	const struct summary_rec *src = ctx;

	memcpy(dst, src, sizeof(*dst));
}

static void
copy_records(struct summary *to, const struct summary *from)
{
	struct summary_rec r;

	for (uint64_t i = 0; i < from->cap; i++) {
		struct slot *sl = slot_at(from, i);
		uint64_t k = atomic_load(&sl->key);

		if (k == 0)
			continue;
		read_slot(sl, &r);
		key_mac(k, r.mac);
		summary_update(to, r.mac, copy_rec, &r);
	}
}

static void
fill_rec(struct summary_rec *r, void *ctx)
{
	const struct phone_view *v = ((struct fill *)ctx)->v;

	if ((int64_t)v->last_fetch > r->last_fetch)
		r->last_fetch = (int64_t)v->last_fetch;
	r->last_report = v->have_report && v->latest_time > 0 ?
	    (int64_t)v->latest_time : 0;
	snprintf(r->latest_id, sizeof(r->latest_id), "%s",
	    v->have_report ? v->latest.id : "");
	r->latest_kind = (uint8_t)v->latest.kind;
	r->have_state = (uint8_t)v->have_state;
	r->compared = (uint8_t)v->compared;
	r->differences = v->compared ?
	    (uint32_t)cmp_differences(&v->result) : 0;
	r->unexpected = v->compared ? (uint32_t)v->result.unexpected.n : 0;
	snprintf(r->model, sizeof(r->model), "%s", v->have_report ?
	    v->model : "");
	snprintf(r->firmware, sizeof(r->firmware), "%s", v->firmware);
}

int
summary_fill_from_store(struct summary *s, const struct view_source *src,
    const struct phone *ph, const char *mac, char *msg)
{
	struct phone_view v;
	enum store_status rc;
	struct fill f = { &v };
	int ok = 0;

	rc = phone_view_load(&v, src, ph, mac, msg);
	if (rc == STORE_OK && v.mac[0] != '\0' &&
	    (v.have_report || v.last_fetch > 0))
		ok = summary_update(s, v.mac, fill_rec, &f);
	phone_view_free(&v);
	return rc == STORE_OK ? ok : -1;
}

static void
view_source_of(struct app *app, const struct snapshot *s,
    struct store *st, struct view_source *src)
{
	memset(st, 0, sizeof(*st));
	st->dir = app->data_dir;
	st->cmp = &s->cmp;
	st->retention = (size_t)s->svc.report_retention;
	memset(src, 0, sizeof(*src));
	src->store = st;
	src->snap = s;
	src->key = app_key(app, NULL);
	src->metrics = app->metrics;
	src->now = time(NULL);
}

/* Whether a configured phone can have anything to index: a directory of
 * stored reports, or a fetch the shared metrics remember.  One readdir
 * and a lookup in memory instead of a probe of the store per phone, which
 * at a million mostly silent phones kept the first request waiting for a
 * minute. */
static int
may_have_record(const struct phone *ph, const struct view_source *src,
    char (*stored)[MAC_LEN + 1], size_t n_stored)
{
	const char *label[1] = { ph->mac };

	if (ph->mac[0] == '\0')
		return 0;
	return stored_macs_has(stored, n_stored, ph->mac) ||
	    metrics_value(src->metrics, METRIC_PHONE_LAST_PROFILE_FETCH,
	    label) > 0;
}

long
summary_rebuild(struct summary *sum, struct app *app,
    const struct snapshot *s, char *msg)
{
	char (*macs)[MAC_LEN + 1];
	struct view_source src;
	struct store st;
	size_t n;
	long done = 0;

	view_source_of(app, s, &st, &src);
	if (stored_macs(app->data_dir, &macs, &n) < 0)
		return fail(msg, "cannot list %s: %s", app->data_dir,
		    strerror(errno));
	for (size_t i = 0; i < s->n_phones; i++)
		if (may_have_record(&s->phones[i], &src, macs, n) &&
		    summary_fill_from_store(sum, &src, &s->phones[i], NULL,
		    msg) == 0)
			done++;
	for (size_t i = 0; i < n; i++)
		if (snapshot_find_mac(s, macs[i]) == NULL &&
		    summary_fill_from_store(sum, &src, NULL, macs[i],
		    msg) == 0)
			done++;
	free(macs);
	sum->fresh = 0;
	return done;
}

struct summary *
summary_of_app(struct app *app, const struct snapshot *s)
{
	/* After a failure, the same directory is tried again once a
	 * minute, not on every request. */
	static char failed_dir[APP_PATH_MAX];
	static double retry_at;
	char msg[SUMMARY_MSG_MAX];
	long n;

	if (app->summary != NULL) {
		summary_refresh(app->summary);
		return app->summary;
	}
	if (mono_now() < retry_at && strcmp(failed_dir, app->data_dir) == 0)
		return NULL;
	if ((app->summary = summary_open(app->data_dir, s->n_phones,
	    msg)) == NULL) {
		log_msg(app->prog, "error", "summary index: %s", msg);
		snprintf(failed_dir, sizeof(failed_dir), "%s", app->data_dir);
		retry_at = mono_now() + 60;
		return NULL;
	}
	if (summary_needs_rebuild(app->summary)) {
		n = summary_rebuild(app->summary, app, s, msg);
		if (n < 0)
			log_msg(app->prog, "error", "summary rebuild: %s", msg);
		else
			log_msg(app->prog, "info", "summary index rebuilt "
			    "from the stored reports: %ld phones", n);
	}
	return app->summary;
}
