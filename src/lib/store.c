#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "atomicfile.h"
#include "buf.h"
#include "cmpnames.h"
#include "store.h"
#include "text.h"

/* ---- ids ---- */

/* 'h' is a lowercase hex digit, 'd' a decimal digit, anything else
 * itself.  The kind word sits between head and tail. */
static const char id_head[] = "hhhhhhhhhhhh-ddddddddTdddddd.ddddddZ-";
static const char id_tail[] = "-hhhhhhhh-hhhhhhhh-hhhhhhhh";
#define ID_HEAD_LEN	(sizeof(id_head) - 1)
#define ID_TAIL_LEN	(sizeof(id_tail) - 1)
#define ID_TIME_AT	13	/* after "<mac>-": where ids sort by time */

static int
template_ok(const char *s, const char *tpl, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int ok = tpl[i] == 'h' ? (c >= '0' && c <= '9') ||
		    (c >= 'a' && c <= 'f') : tpl[i] == 'd' ?
		    (c >= '0' && c <= '9') : c == tpl[i];

		if (!ok)
			return 0;
	}
	return 1;
}

/* The kind word of an id at s[0..n), or -1. */
static int
id_kind(const char *s, size_t n, enum report_kind *kind)
{
	static const enum report_kind kinds[] = { REPORT_CONFIG, REPORT_DELTA,
	    REPORT_STATUS };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const char *w = report_kind_name(kinds[i]);

		if (strlen(w) == n && memcmp(w, s, n) == 0) {
			*kind = kinds[i];
			return 0;
		}
	}
	return -1;
}

static int
id_split(const char *s, size_t n, enum report_kind *kind)
{
	size_t word;

	if (n > STORE_ID_MAX || n < ID_HEAD_LEN + ID_TAIL_LEN + 1 ||
	    memchr(s, '\0', n) != NULL)
		return -1;
	word = n - ID_HEAD_LEN - ID_TAIL_LEN;
	if (!template_ok(s, id_head, ID_HEAD_LEN) ||
	    !template_ok(s + n - ID_TAIL_LEN, id_tail, ID_TAIL_LEN))
		return -1;
	return id_kind(s + ID_HEAD_LEN, word, kind);
}

int
store_id_valid(const char *s, size_t n)
{
	enum report_kind kind;

	return id_split(s, n, &kind) == 0;
}

int
store_entry_parse(const char *id, struct store_entry *e)
{
	size_t n = strnlen(id, STORE_ID_MAX + 1);
	const char *t = id + ID_TIME_AT;

	if (id_split(id, n, &e->kind) < 0)
		return -1;
	memcpy(e->id, id, n + 1);
	memcpy(e->mac, id, MAC_LEN);
	e->mac[MAC_LEN] = '\0';
	snprintf(e->timestamp, sizeof(e->timestamp),
	    "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s.%.6sZ", t, t + 4, t + 6, t + 9,
	    t + 11, t + 13, t + 16);
	return 0;
}

static int
mac_canonical(const char *mac)
{
	return mac != NULL && strlen(mac) == MAC_LEN &&
	    template_ok(mac, id_head, MAC_LEN);
}

/* ---- status and messages ---- */

int
store_status_http(enum store_status s)
{
	static const int http[] = {
		[STORE_OK] = 200,
		[STORE_E_INVALID] = 400,
		[STORE_E_NOT_FOUND] = 404,
		[STORE_E_IO] = 503,
		[STORE_E_CORRUPT] = 500,
	};

	return (unsigned)s < sizeof(http) / sizeof(http[0]) ? http[s] : 500;
}

static enum store_status __attribute__((format(printf, 3, 4)))
fail(enum store_status st, char *msg, const char *fmt, ...)
{
	va_list ap;

	if (msg != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, STORE_MSG_MAX, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* ENOENT means "nothing stored yet", everything else is the disk. */
static enum store_status
open_fail(const char *what, const char *name, char *msg)
{
	return fail(errno == ENOENT ? STORE_E_NOT_FOUND : STORE_E_IO, msg,
	    "cannot open %s %s: %s", what, name, strerror(errno));
}

static int
open_root(const struct store *st)
{
	return open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* A phone's directory; never through a symbolic link. */
static int
open_phone(int dfd, const char *mac)
{
	return openat(dfd, mac, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

/* ---- listing ---- */

/* Positive when a is newer than b: by time, then by the rest of the id,
 * then by phone, so that every order is total and repeatable. */
static int
entry_cmp(const struct store_entry *a, const struct store_entry *b)
{
	int c = strcmp(a->id + ID_TIME_AT, b->id + ID_TIME_AT);

	return c != 0 ? c : strcmp(a->mac, b->mac);
}

static int
entry_cmp_desc(const void *a, const void *b)
{
	return entry_cmp(b, a);
}

static int
entry_cmp_asc(const void *a, const void *b)
{
	return entry_cmp(a, b);
}

/* qsort() must not be given a NULL array, even for no element. */
static void
sort_entries(struct store_entry *e, size_t n,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(e, n, sizeof(*e), cmp);
}

/* The k newest entries seen so far, as a min-heap: the root is the
 * oldest kept, so a listing of a big fleet needs memory for one page
 * (offset + limit entries), not for every report. */
struct heap {
	struct store_entry	*e;
	size_t			 n, cap, k;
	size_t			 seen;
};

static void
heap_swap(struct heap *h, size_t i, size_t j)
{
	struct store_entry t = h->e[i];

	h->e[i] = h->e[j];
	h->e[j] = t;
}

static void
heap_up(struct heap *h, size_t i)
{
	while (i > 0 && entry_cmp(&h->e[i], &h->e[(i - 1) / 2]) < 0) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void
heap_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && entry_cmp(&h->e[l], &h->e[m]) < 0)
			m = l;
		if (r < h->n && entry_cmp(&h->e[r], &h->e[m]) < 0)
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void
heap_offer(struct heap *h, const struct store_entry *e)
{
	h->seen++;
	if (h->k == 0)
		return;
	if (h->n < h->k) {
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 64;
			h->e = xrealloc(h->e, h->cap * sizeof(*h->e));
		}
		h->e[h->n] = *e;
		heap_up(h, h->n++);
	} else if (entry_cmp(e, &h->e[0]) > 0) {
		h->e[0] = *e;
		heap_down(h, 0);
	}
}

static int
is_stale_tmp(int mfd, const char *name)
{
	struct stat st;

	return strncmp(name, ".tmp-", 5) == 0 &&
	    fstatat(mfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    time(NULL) - st.st_mtime > STORE_TMP_AGE;
}

/* Offers every report file of one phone directory to the heap.  Names
 * that are not "<id>.json" of this phone are ignored; with sweep, stale
 * temporary files (a crash mid-write) are removed. */
static int
scan_phone(int dfd, const char *mac, struct heap *h, int sweep)
{
	struct store_entry e;
	struct dirent *d;
	DIR *dir;
	int mfd;

	if ((mfd = open_phone(dfd, mac)) < 0)
		return -1;
	if ((dir = fdopendir(mfd)) == NULL) {
		close(mfd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL) {
		size_t n = strlen(d->d_name);
		char id[STORE_ID_MAX + 1];

		if (sweep && is_stale_tmp(mfd, d->d_name))
			unlinkat(mfd, d->d_name, 0);
		if (n < 6 || n - 5 > STORE_ID_MAX ||
		    strcmp(d->d_name + n - 5, ".json") != 0)
			continue;
		memcpy(id, d->d_name, n - 5);
		id[n - 5] = '\0';
		if (store_entry_parse(id, &e) == 0 && strcmp(e.mac, mac) == 0)
			heap_offer(h, &e);
	}
	closedir(dir);
	return 0;
}

/* Every phone directory under the data directory. */
static int
scan_all(int dfd, struct heap *h)
{
	struct dirent *d;
	DIR *dir;
	int fd = dup(dfd);

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	while ((d = readdir(dir)) != NULL)
		if (mac_canonical(d->d_name))
			scan_phone(dfd, d->d_name, h, 0);
	closedir(dir);
	return 0;
}

static size_t
page_size(size_t offset, size_t limit)
{
	return limit > SIZE_MAX - offset ? SIZE_MAX : offset + limit;
}

enum store_status
store_list(const struct store *st, const char *mac, size_t offset,
    size_t limit, struct store_page *out, char *msg)
{
	struct heap h = { NULL, 0, 0, page_size(offset, limit), 0 };
	int dfd, rc;

	memset(out, 0, sizeof(out[0]));
	if (mac != NULL && !mac_canonical(mac))
		return fail(STORE_E_INVALID, msg, "not a canonical MAC");
	if ((dfd = open_root(st)) < 0)
		return open_fail("data directory", st->dir, msg);
	rc = mac != NULL ? scan_phone(dfd, mac, &h, 0) : scan_all(dfd, &h);
	close(dfd);
	if (rc < 0 && mac != NULL && errno != ENOENT) {
		free(h.e);
		return fail(STORE_E_IO, msg, "cannot list reports of %s: %s",
		    mac, strerror(errno));
	}
	sort_entries(h.e, h.n, entry_cmp_desc);
	out->total = h.seen;
	out->n = h.n > offset ? h.n - offset : 0;
	if (out->n > limit)
		out->n = limit;
	if (out->n > 0)
		memmove(h.e, h.e + offset, out->n * sizeof(*h.e));
	out->entries = h.e;
	return STORE_OK;
}

void
store_page_free(struct store_page *p)
{
	free(p->entries);
	memset(p, 0, sizeof(*p));
}

/* ---- writing ---- */

/* A string fit for the JSON file: at most max bytes, and bytes of a
 * broken UTF-8 sequence (or one cut by the limit) turned into '?'. */
static char *
clean_text(const char *s, size_t max)
{
	size_t n = s ? strnlen(s, max) : 0;
	char *t = xstrndup(s ? s : "", n);

	if (!utf8_ok(t, n))
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)t[i] >= 0x80)
				t[i] = '?';
	return t;
}

/* A short constant piece of the file's text: buf_add() without its calls
 * when there is room (three of them a parameter). */
static void
add_piece(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->len > n) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
	} else
		buf_add(b, s, n);
}

/* One "name": "value" line of data, a secret as its keyed hash; `last`
 * ends the line without a comma. */
static void
data_line(struct buf *b, const struct store *st, struct report_param *p,
    int last)
{
	char hash[SECRET_HASH_LEN + 1];

	add_piece(b, "    ", 4);
	buf_add_json_str(b, p->name, p->name_len);
	add_piece(b, ": ", 2);
	if (cmpnames_flags_param(st->cmp, p) & CMPNAME_SECRET) {
		secret_hash(st->key, p->name, p->value, p->value_len, hash);
		buf_add_json_str(b, hash, strlen(hash));
	} else
		buf_add_json_str(b, p->value, p->value_len);
	if (last)
		add_piece(b, "\n", 1);
	else
		add_piece(b, ",\n", 2);
}

static void
field(struct buf *b, const char *key, const char *value)
{
	buf_adds(b, "  ");
	buf_add_json_str(b, key, strlen(key));
	buf_adds(b, ": ");
	buf_add_json_str(b, value, strlen(value));
	buf_adds(b, ",\n");
}

/* The file's text, in the field order of the Flask service and the layout
 * json-c's pretty printer gave it (two-space indent, one parameter a
 * line), written straight into one buffer: building a json-c object of
 * 1,100 members and printing it cost a tenth of the CPU of an ingest.
 * Caller frees. */
static char *
report_json(const struct store *st, const struct store_entry *e,
    const struct store_meta *meta, const struct report *r, size_t *len)
{
	char *ip = clean_text(meta->client_ip, 64);
	char *ua = clean_text(meta->user_agent, STORE_UA_MAX);
	struct buf b;

	buf_init(&b);
	buf_reserve(&b, 4096 + r->n * 48);
	buf_adds(&b, "{\n");
	field(&b, "timestamp", e->timestamp);
	field(&b, "mac_address", e->mac);
	field(&b, "report_type", report_kind_name(e->kind));
	field(&b, "client_ip", ip);
	field(&b, "user_agent", ua);
	buf_adds(&b, "  \"data\": {\n");
	cmpnames_bind(st->cmp);
	for (size_t i = 0; i < r->n; i++) {
		data_line(&b, st, &r->params[i], i + 1 == r->n);
	}
	buf_adds(&b, "  }\n}\n");
	free(ip);
	free(ua);
	*len = b.len;
	return buf_detach(&b);
}

static uint32_t
random32(void)
{
	uint32_t r = 0;

	/* Without entropy the pid and counter still keep names apart. */
	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r))
		r = (uint32_t)time(NULL);
	return r;
}

/* A fresh id for a report taken at `when`; -1 when the clock is outside
 * the years an id can spell. */
static int
make_id(const char *mac, enum report_kind kind, struct timespec when,
    const uint64_t *spool_seq, struct store_entry *e)
{
	static atomic_uint counter;
	char id[STORE_ID_MAX + 16];
	unsigned long pid = (unsigned long)getpid() & 0xffffffffUL;
	unsigned n, r;
	struct tm tm;

	if (gmtime_r(&when.tv_sec, &tm) == NULL)
		return -1;
	if (spool_seq != NULL) {
		/* No process has pid ffffffff: a spooled report's id never
		 * meets one drawn in a request. */
		pid = 0xffffffffUL;
		n = (unsigned)(*spool_seq >> 32);
		r = (unsigned)(*spool_seq & 0xffffffffU);
	} else {
		n = atomic_fetch_add(&counter, 1) & 0xffffffffU;
		r = random32();
	}
	snprintf(id, sizeof(id), "%s-%04d%02d%02dT%02d%02d%02d.%06ldZ-%s-"
	    "%08lx-%08x-%08x", mac, tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    (long)(when.tv_nsec / 1000), report_kind_name(kind), pid, n, r);
	return store_entry_parse(id, e);
}

/* The phone's directory, made on first use (and the data directory
 * fsynced so the new entry is durable). */
static int
phone_dir(int dfd, const char *mac)
{
	if (mkdirat(dfd, mac, 0750) == 0)
		fsync(dfd);
	else if (errno != EEXIST)
		return -1;
	return open_phone(dfd, mac);
}

/* Writes the text under a temporary name and links it to "<id>.json";
 * on the (astronomically rare) clash a new id is drawn.  A spooled
 * report's temporary name may be left by a drainer killed while writing
 * it (one drainer at a time: nobody else is writing it): removed first. */
static enum store_status
write_report(int mfd, struct store_entry *e, const char *text, size_t len,
    struct timespec when, int spooled, char *msg)
{
	char tmp[STORE_ID_MAX + 16], final[STORE_ID_MAX + 8];
	int rc;

	snprintf(tmp, sizeof(tmp), ".tmp-%s.json", e->id);
	if (spooled)
		af_discard(mfd, tmp);
	if ((rc = af_write_tmp(mfd, tmp, text, len, 0640)) < 0)
		return fail(STORE_E_IO, msg, "cannot write a report for %s: "
		    "%s", e->mac, strerror(-rc));
	for (int attempt = 0; attempt < 5; attempt++) {
		snprintf(final, sizeof(final), "%s.json", e->id);
		rc = af_publish(mfd, tmp, final);
		if (rc != -EEXIST)
			break;
		make_id(e->mac, e->kind, when, NULL, e);
	}
	if (rc < 0) {
		af_discard(mfd, tmp);
		return fail(STORE_E_IO, msg, "cannot store a report for %s: "
		    "%s", e->mac, strerror(-rc));
	}
	return STORE_OK;
}

/* A spooled report processed again after the drainer was stopped between
 * storing it and marking it done. */
static int
stored_already(int mfd, const struct store_entry *e)
{
	char final[STORE_ID_MAX + 8];

	snprintf(final, sizeof(final), "%s.json", e->id);
	return faccessat(mfd, final, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

static struct timespec
meta_time(const struct store_meta *meta)
{
	struct timespec now = meta->when;

	if (now.tv_sec == 0 && now.tv_nsec == 0)
		clock_gettime(CLOCK_REALTIME, &now);
	return now;
}

enum store_status
store_save(const struct store *st, const struct store_meta *meta,
    const struct report *r, char id_out[STORE_ID_MAX + 1], char *msg)
{
	struct timespec when = meta_time(meta);
	struct store_entry e;
	enum store_status rc;
	int dfd, mfd;
	char *text;
	size_t len;

	id_out[0] = '\0';
	if (!mac_canonical(meta->mac))
		return fail(STORE_E_INVALID, msg, "not a canonical MAC");
	if (st->key == NULL)
		return fail(STORE_E_INVALID, msg, "no key to hash secrets");
	if (make_id(meta->mac, r->kind, when, meta->spool_seq, &e) < 0)
		return fail(STORE_E_IO, msg, "the clock is out of range");
	if ((dfd = open_root(st)) < 0)
		return fail(STORE_E_IO, msg, "cannot open data directory %s: "
		    "%s", st->dir, strerror(errno));
	if ((mfd = phone_dir(dfd, meta->mac)) < 0) {
		rc = fail(STORE_E_IO, msg, "cannot use directory %s/%s: %s",
		    st->dir, meta->mac, strerror(errno));
		close(dfd);
		return rc;
	}
	if (meta->spool_seq != NULL && stored_already(mfd, &e)) {
		memcpy(id_out, e.id, sizeof(e.id));
		close(mfd);
		close(dfd);
		return STORE_OK;
	}
	text = report_json(st, &e, meta, r, &len);
	rc = write_report(mfd, &e, text, len, when, meta->spool_seq != NULL,
	    msg);
	free(text);
	close(mfd);
	close(dfd);
	if (rc == STORE_OK) {
		memcpy(id_out, e.id, sizeof(e.id));
		store_prune(st, meta->mac, NULL);
	}
	return rc;
}

/* ---- retention ---- */

static int
remove_report(int mfd, const struct store_entry *e)
{
	char name[STORE_ID_MAX + 8];

	snprintf(name, sizeof(name), "%s.json", e->id);
	return unlinkat(mfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
}

/* The newest full report index in e[0..n) (ascending), or n. */
static size_t
newest_config(const struct store_entry *e, size_t n)
{
	size_t base = n;

	for (size_t i = 0; i < n; i++)
		if (e[i].kind == REPORT_CONFIG)
			base = i;
	return base;
}

/* Which of the oldest-first list e[0..n) to delete, marked in del[]:
 * reports older than the newest `keep`, except the newest full report
 * and the deltas after it; those go only while the phone has more than
 * 2 * keep files, oldest first. */
static void
choose_victims(const struct store_entry *e, size_t n, size_t keep,
    char *del)
{
	size_t left = n, base = newest_config(e, n);

	for (size_t i = 0; n > keep && i < n - keep; i++) {
		int spared = base < n && (i == base ||
		    (i > base && e[i].kind == REPORT_DELTA));
		if (!spared) {
			del[i] = 1;
			left--;
		}
	}
	for (size_t i = 0; i < n && left > 2 * keep; i++)
		if (!del[i] && i != base) {
			del[i] = 1;
			left--;
		}
}

static size_t
retention(const struct store *st)
{
	return st->retention ? st->retention : STORE_RETENTION_DEFAULT;
}

enum store_status
store_prune(const struct store *st, const char *mac, char *msg)
{
	struct heap h = { NULL, 0, 0, SIZE_MAX, 0 };
	enum store_status rc = STORE_OK;
	int dfd, mfd;
	char *del;

	if (!mac_canonical(mac))
		return fail(STORE_E_INVALID, msg, "not a canonical MAC");
	if ((dfd = open_root(st)) < 0)
		return open_fail("data directory", st->dir, msg);
	mfd = open_phone(dfd, mac);
	if (mfd < 0 || scan_phone(dfd, mac, &h, 1) < 0) {
		rc = open_fail("reports of", mac, msg);
		goto out;
	}
	sort_entries(h.e, h.n, entry_cmp_asc);
	del = xcalloc(h.n ? h.n : 1, 1);
	choose_victims(h.e, h.n, retention(st), del);
	for (size_t i = 0; i < h.n; i++)
		if (del[i] && remove_report(mfd, &h.e[i]) < 0)
			rc = fail(STORE_E_IO, msg, "cannot remove %s: %s",
			    h.e[i].id, strerror(errno));
	free(del);
out:
	if (mfd >= 0)
		close(mfd);
	close(dfd);
	free(h.e);
	return rc;
}

/* ---- reading ---- */

/* The whole file into a NUL-terminated buffer (caller frees). */
static enum store_status
read_file(int mfd, const char *id, char **out, size_t *len, char *msg)
{
	char name[STORE_ID_MAX + 8];
	int fd, rc;

	*out = NULL;
	*len = 0;
	snprintf(name, sizeof(name), "%s.json", id);
	if ((fd = openat(mfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return open_fail("report", id, msg);
	rc = af_read_fd(fd, STORE_FILE_MAX, out, len);
	close(fd);
	if (rc == -EINVAL || rc == -EFBIG)
		return fail(STORE_E_CORRUPT, msg, "%s is not a report file", id);
	if (rc < 0)
		return fail(STORE_E_IO, msg, "cannot read %s: %s", id,
		    strerror(-rc));
	return STORE_OK;
}

static const char *
get_string(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* data: an object of strings under parameter names. */
static int
data_from_json(json_object *data, struct report *r)
{
	if (!json_object_is_type(data, json_type_object))
		return -1;
	json_object_object_foreach(data, name, v) {
		if (!json_object_is_type(v, json_type_string) ||
		    !param_name_ok(name, strlen(name)))
			return -1;
		report_set(r, name, strlen(name), json_object_get_string(v),
		    (size_t)json_object_get_string_len(v));
	}
	return 0;
}

static enum store_status
parse_report(const char *text, size_t len, struct stored_report *out,
    char *msg)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, text, (int)len), *data;
	const char *ip, *ua;
	enum store_status rc = STORE_OK;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    (ip = get_string(o, "client_ip")) == NULL ||
	    (ua = get_string(o, "user_agent")) == NULL ||
	    !json_object_object_get_ex(o, "data", &data) ||
	    data_from_json(data, &out->data) < 0)
		rc = fail(STORE_E_CORRUPT, msg, "%s is not a stored report",
		    out->head.id);
	else {
		out->client_ip = xstrdup(ip);
		out->user_agent = xstrdup(ua);
	}
	json_object_put(o);
	json_tokener_free(tok);
	return rc;
}

enum store_status
store_load(const struct store *st, const char *id, struct stored_report *out,
    char *msg)
{
	enum store_status rc;
	int dfd, mfd;
	char *text;
	size_t len = 0;

	memset(out, 0, sizeof(*out));
	report_init(&out->data, REPORT_CONFIG);
	if (store_entry_parse(id, &out->head) < 0)
		return fail(STORE_E_INVALID, msg, "not a report id");
	out->data.kind = out->head.kind;
	if ((dfd = open_root(st)) < 0)
		return open_fail("data directory", st->dir, msg);
	mfd = open_phone(dfd, out->head.mac);
	close(dfd);
	if (mfd < 0)
		return open_fail("reports of", out->head.mac, msg);
	rc = read_file(mfd, id, &text, &len, msg);
	close(mfd);
	if (rc != STORE_OK)
		return rc;
	rc = parse_report(text, len, out, msg);
	free(text);
	return rc;
}

void
stored_report_free(struct stored_report *r)
{
	free(r->client_ip);
	free(r->user_agent);
	report_free(&r->data);
	memset(r, 0, sizeof(*r));
}

/* ---- current state ---- */

/* Merges the report e onto the state; an unreadable file is counted and
 * left out rather than hiding every other report. */
static enum store_status
merge_one(const struct store *st, const struct store_entry *e,
    struct store_state *out, char *msg)
{
	struct stored_report r;
	enum store_status rc = store_load(st, e->id, &r, msg);

	if (rc == STORE_E_CORRUPT || rc == STORE_E_NOT_FOUND)
		out->n_skipped++;
	else if (rc == STORE_OK) {
		report_merge(&out->params, &r.data);
		memcpy(out->latest_id, e->id, sizeof(e->id));
		if (e->kind == REPORT_CONFIG)
			memcpy(out->base_id, e->id, sizeof(e->id));
		else
			out->n_deltas++;
	}
	stored_report_free(&r);
	return rc == STORE_E_IO ? rc : STORE_OK;
}

enum store_status
store_current(const struct store *st, const char *mac,
    struct store_state *out, char *msg)
{
	struct store_page all;
	enum store_status rc;
	size_t base, i;

	memset(out, 0, sizeof(*out));
	report_init(&out->params, REPORT_CONFIG);
	rc = store_list(st, mac, 0, SIZE_MAX, &all, msg);
	if (rc != STORE_OK)
		return rc;
	sort_entries(all.entries, all.n, entry_cmp_asc);
	base = newest_config(all.entries, all.n);
	for (i = base == all.n ? 0 : base; i < all.n && rc == STORE_OK; i++)
		if (all.entries[i].kind != REPORT_STATUS)
			rc = merge_one(st, &all.entries[i], out, msg);
	store_page_free(&all);
	out->partial = out->base_id[0] == '\0';
	if (rc == STORE_OK && out->latest_id[0] == '\0')
		rc = fail(STORE_E_NOT_FOUND, msg, "no configuration report "
		    "from %s", mac);
	return rc;
}

void
store_state_free(struct store_state *s)
{
	report_free(&s->params);
	memset(s, 0, sizeof(*s));
}
