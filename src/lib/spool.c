/* The report spool (spool.h): sealed records appended to shared segment
 * files, made durable by group commit, processed by one drainer. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spool.h"
#include "buf.h"

#define STATE_MAGIC	"DPSPOOL1"
#define REC_MAGIC	"DPS1"
#define HDR_LEN		20	/* magic, sealed length, nonce */
#define NONCE_LEN	12
#define TAG_LEN		16
#define FIXED_LEN	48	/* the payload's fixed part */
#define SEG_MAX		(64u * 1024 * 1024)	/* a segment is closed past it */
#define SEALED_MAX	(80u * 1024 * 1024)	/* largest payload: 64 MiB body */
#define POS(seg, off)	(((uint64_t)(seg) << 32) | (uint64_t)(off))
#define POS_SEG(p)	((uint32_t)((p) >> 32))
#define POS_OFF(p)	((uint32_t)((p) & 0xffffffffu))

/* What every process maps.  A position is a segment number in the high
 * half and an offset in it in the low half, so that positions compare as
 * numbers and each is read and written in one atomic access. */
struct spool_state {
	char			magic[8];
	_Atomic uint64_t	head;	/* end of the last whole record */
	_Atomic uint64_t	synced;	/* everything before it is on disk */
	_Atomic uint64_t	tail;	/* the next record to process */
	_Atomic uint64_t	pending;	/* bytes appended, not processed */
	_Atomic uint64_t	seq;	/* records ever appended */
	_Atomic uint64_t	last_append;	/* spool_now_ns() of the
						 * newest append */
};

struct spool {
	int			 dfd;		/* DATA/spool */
	int			 append_fd, sync_fd;
	struct spool_state	*st;
	unsigned char		 key[32];
	EVP_CIPHER_CTX		*ctx;
	int			 wfd;		/* the segment this process
						 * appends to, or -1 */
	uint32_t		 wseg;
	int			 rfd;		/* the drainer's segment */
	uint32_t		 rseg;
	uint64_t		 next;		/* after the record spool_next
						 * returned */
	uint64_t		 next_bytes;
	uint32_t		 seg_max;	/* SEG_MAX but in tests */
	unsigned char		*out;		/* a sealed record, reused */
	size_t			 out_cap;
};

static int __attribute__((format(printf, 3, 4)))
fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- little-endian fields ---- */

static void
put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void
put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get32(const unsigned char *p)
{
	uint32_t v = 0;

	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t
get64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- opening ---- */

static int
lock_open(int dfd, const char *name)
{
	return openat(dfd, name, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600);
}

int
spool_trylock(const struct spool *sp, const char *name)
{
	int fd = lock_open(sp->dfd, name);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* The state file, made and initialised under the append lock by the first
 * process; any other content is refused rather than overwritten. */
static int
map_state(struct spool *sp, char *err, size_t errsz)
{
	struct stat sb;
	void *m;
	int fd, rc = -1;

	if ((fd = openat(sp->dfd, "state", O_RDWR | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) < 0)
		return fail(err, errsz, "cannot open the spool state: %s",
		    strerror(errno));
	flock(sp->append_fd, LOCK_EX);
	if (fstat(fd, &sb) < 0 || (sb.st_size == 0 &&
	    ftruncate(fd, 4096) < 0)) {
		fail(err, errsz, "cannot size the spool state: %s",
		    strerror(errno));
		goto out;
	}
	if (sb.st_size != 0 && sb.st_size < (off_t)sizeof(struct spool_state)) {
		fail(err, errsz, "the spool state file is not deskprov's");
		goto out;
	}
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		fail(err, errsz, "cannot map the spool state: %s",
		    strerror(errno));
		goto out;
	}
	sp->st = m;
	if (sb.st_size == 0) {
		atomic_store(&sp->st->head, POS(1, 0));
		atomic_store(&sp->st->synced, POS(1, 0));
		atomic_store(&sp->st->tail, POS(1, 0));
		memcpy(sp->st->magic, STATE_MAGIC, 8);
		msync(m, 4096, MS_SYNC);
	} else if (memcmp(sp->st->magic, STATE_MAGIC, 8) != 0) {
		munmap(m, 4096);
		sp->st = NULL;
		fail(err, errsz, "the spool state file is not deskprov's, or "
		    "of another version");
		goto out;
	}
	rc = 0;
out:
	flock(sp->append_fd, LOCK_UN);
	close(fd);
	return rc;
}

/* The sealing key: the store key is for HMACs of secrets; a key of its
 * own for the spool keeps the two uses apart. */
static void
derive_key(const struct secret_key *k, unsigned char out[32])
{
	static const char label[] = "deskprov report spool v1";
	unsigned int n = 32;

	HMAC(EVP_sha256(), k->bytes, (int)sizeof(k->bytes),
	    (const unsigned char *)label, sizeof(label) - 1, out, &n);
}

struct spool *
spool_open(const char *data_dir, const struct secret_key *key, char *err,
    size_t errsz)
{
	struct spool *sp = xcalloc(1, sizeof(*sp));
	char dir[4200];

	sp->dfd = sp->append_fd = sp->sync_fd = sp->wfd = sp->rfd = -1;
	sp->seg_max = SEG_MAX;
	snprintf(dir, sizeof(dir), "%s/spool", data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		fail(err, errsz, "cannot make %s: %s", dir, strerror(errno));
		goto bad;
	}
	if ((sp->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    (sp->append_fd = lock_open(sp->dfd, "append.lock")) < 0 ||
	    (sp->sync_fd = lock_open(sp->dfd, "sync.lock")) < 0) {
		fail(err, errsz, "cannot open %s: %s", dir, strerror(errno));
		goto bad;
	}
	if (map_state(sp, err, errsz) < 0)
		goto bad;
	if ((sp->ctx = EVP_CIPHER_CTX_new()) == NULL) {
		fail(err, errsz, "no cipher context");
		goto bad;
	}
	derive_key(key, sp->key);
	return sp;
bad:
	spool_close(sp);
	return NULL;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->st != NULL)
		munmap(sp->st, 4096);
	EVP_CIPHER_CTX_free(sp->ctx);
	free(sp->out);
	OPENSSL_cleanse(sp->key, sizeof(sp->key));
	{
		int fds[] = { sp->dfd, sp->append_fd, sp->sync_fd, sp->wfd,
		    sp->rfd };

		for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
			if (fds[i] >= 0)
				close(fds[i]);
	}
	free(sp);
}

void
spool_set_segment_max(struct spool *sp, uint32_t bytes)
{
	sp->seg_max = bytes;
}

int
spool_peek(const char *data_dir, uint64_t *pending)
{
	struct spool_state st;
	char path[4200];
	ssize_t n;
	int fd;

	*pending = 0;
	snprintf(path, sizeof(path), "%s/spool/state", data_dir);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return errno == ENOENT ? 0 : -1;
	n = pread(fd, &st, sizeof(st), 0);
	close(fd);
	if (n != (ssize_t)sizeof(st) || memcmp(st.magic, STATE_MAGIC, 8) != 0)
		return -1;
	*pending = atomic_load(&st.pending);
	return 0;
}

uint64_t
spool_backlog(const struct spool *sp)
{
	uint64_t h = atomic_load(&sp->st->head);
	uint64_t t = atomic_load(&sp->st->tail);

	return h > t ? h - t : 0;
}

int
spool_full(const struct spool *sp, uint64_t max_bytes, size_t body_len)
{
	return atomic_load(&sp->st->pending) + body_len + 4096 > max_bytes;
}

uint64_t
spool_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int
spool_drain_waits(const struct spool *sp, uint64_t max_bytes,
    uint64_t now_ns)
{
	uint64_t last = atomic_load(&sp->st->last_append);

	/* A time after now was written before this boot: no burst. */
	return last <= now_ns && now_ns - last < SPOOL_QUIET_NS &&
	    !spool_full(sp, max_bytes / 2, 0);
}

/* ---- sealing ---- */

/* Seals the payload, its fixed part and texts (head, hn bytes) then the
 * body (bn bytes), into out (HDR_LEN + hn + bn + TAG_LEN bytes): the body
 * is read once, never copied in the clear. */
static int
seal(struct spool *sp, const unsigned char *head, size_t hn,
    const char *body, size_t bn, unsigned char *out)
{
	unsigned char *nonce = out + 8;
	size_t n = hn + bn;
	int len;

	memcpy(out, REC_MAGIC, 4);
	put32(out + 4, (uint32_t)n);
	if (getrandom(nonce, NONCE_LEN, 0) != NONCE_LEN)
		return -1;
	if (EVP_EncryptInit_ex(sp->ctx, EVP_aes_256_gcm(), NULL, sp->key,
	    nonce) != 1 ||
	    EVP_EncryptUpdate(sp->ctx, NULL, &len, out, 8) != 1 ||
	    EVP_EncryptUpdate(sp->ctx, out + HDR_LEN, &len, head,
	    (int)hn) != 1 ||
	    (bn > 0 && EVP_EncryptUpdate(sp->ctx, out + HDR_LEN + hn, &len,
	    (const unsigned char *)body, (int)bn) != 1) ||
	    EVP_EncryptFinal_ex(sp->ctx, out + HDR_LEN + n, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(sp->ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
	    out + HDR_LEN + n) != 1)
		return -1;
	return 0;
}

/* Opens rec (HDR_LEN + n + TAG_LEN bytes) into plain (n bytes); -1 when
 * the tag does not match: torn, damaged, or sealed under another key. */
static int
unseal(struct spool *sp, const unsigned char *rec, size_t n,
    unsigned char *plain)
{
	unsigned char tag[TAG_LEN];
	int len;

	memcpy(tag, rec + HDR_LEN + n, TAG_LEN);
	return EVP_DecryptInit_ex(sp->ctx, EVP_aes_256_gcm(), NULL, sp->key,
	    rec + 8) == 1 &&
	    EVP_DecryptUpdate(sp->ctx, NULL, &len, rec, 8) == 1 &&
	    EVP_DecryptUpdate(sp->ctx, plain, &len, rec + HDR_LEN,
	    (int)n) == 1 &&
	    EVP_CIPHER_CTX_ctrl(sp->ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
	    tag) == 1 &&
	    EVP_DecryptFinal_ex(sp->ctx, plain + n, &len) == 1 ? 0 : -1;
}

static size_t
text_len(const char *s)
{
	return s == NULL ? 0 : strnlen(s, SPOOL_TEXT_MAX);
}

/* The payload's head: a fixed part, then the address and the User-Agent
 * (the body follows it); its length in *n.  Caller frees. */
static unsigned char *
payload_head(const struct spool_record *r, uint64_t seq, size_t *n)
{
	size_t ip = text_len(r->ip), ua = text_len(r->user_agent);
	unsigned char *p;

	*n = FIXED_LEN + ip + ua;
	p = xcalloc(1, *n);
	p[0] = 1;
	p[1] = (unsigned char)r->kind;
	p[2] = (unsigned char)ip;
	p[3] = (unsigned char)(ip >> 8);
	p[4] = (unsigned char)ua;
	p[5] = (unsigned char)(ua >> 8);
	put64(p + 8, (uint64_t)r->when.tv_sec);
	put32(p + 16, (uint32_t)r->when.tv_nsec);
	put32(p + 20, (uint32_t)r->body_len);
	memcpy(p + 24, r->mac, SPOOL_MAC_LEN);
	put64(p + 36, seq);
	memcpy(p + FIXED_LEN, r->ip ? r->ip : "", ip);
	memcpy(p + FIXED_LEN + ip, r->user_agent ? r->user_agent : "", ua);
	return p;
}

/* Reads a payload back into rec, the strings copied NUL-terminated into
 * *owned.  -1 when its lengths do not add up. */
static int
unpack(const unsigned char *p, size_t n, struct spool_record *rec,
    char **owned)
{
	size_t ip, ua, body;
	char *o;

	if (n < FIXED_LEN || p[0] != 1 || p[1] > REPORT_STATUS)
		return -1;
	ip = (size_t)p[2] | (size_t)p[3] << 8;
	ua = (size_t)p[4] | (size_t)p[5] << 8;
	body = get32(p + 20);
	if (ip > SPOOL_TEXT_MAX || ua > SPOOL_TEXT_MAX ||
	    FIXED_LEN + ip + ua + body != n)
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->kind = (enum report_kind)p[1];
	rec->when.tv_sec = (time_t)get64(p + 8);
	rec->when.tv_nsec = (long)(get32(p + 16) % 1000000000u);
	memcpy(rec->mac, p + 24, SPOOL_MAC_LEN);
	rec->seq = get64(p + 36);
	o = xmalloc(ip + ua + body + 3);
	memcpy(o, p + FIXED_LEN, ip);
	o[ip] = '\0';
	memcpy(o + ip + 1, p + FIXED_LEN + ip, ua);
	o[ip + 1 + ua] = '\0';
	memcpy(o + ip + ua + 2, p + FIXED_LEN + ip + ua, body);
	o[ip + ua + 2 + body] = '\0';
	rec->ip = o;
	rec->user_agent = o + ip + 1;
	rec->body = o + ip + ua + 2;
	rec->body_len = body;
	*owned = o;
	return 0;
}

/* ---- segments ---- */

static void
seg_name(uint32_t seg, char name[32])
{
	snprintf(name, 32, "%020u.seg", seg);
}

/* Reads, opens and unpacks the record at off in fd (end: where the segment's
 * records end).  Its length in *len, 0 when the rest of the segment cannot
 * be read as records. */
static int
read_record(struct spool *sp, int fd, uint64_t off, uint64_t end,
    struct spool_record *rec, char **owned, size_t *len)
{
	unsigned char hdr[HDR_LEN], *buf, *plain;
	size_t n;
	int rc = -1;

	*len = 0;
	if (end - off < HDR_LEN + TAG_LEN ||
	    pread(fd, hdr, HDR_LEN, (off_t)off) != HDR_LEN ||
	    memcmp(hdr, REC_MAGIC, 4) != 0 || (n = get32(hdr + 4)) >
	    SEALED_MAX || end - off < HDR_LEN + n + TAG_LEN)
		return -1;
	*len = HDR_LEN + n + TAG_LEN;
	buf = xmalloc(*len);
	plain = xmalloc(n + 1);
	if (pread(fd, buf, *len, (off_t)off) == (ssize_t)*len &&
	    unseal(sp, buf, n, plain) == 0)
		rc = unpack(plain, n, rec, owned);
	OPENSSL_cleanse(plain, n);
	free(plain);
	free(buf);
	return rc;
}

/* The head segment's bytes past the recorded end: a writer killed in a
 * record, or a state file older than the segment after a power loss.
 * Whole records are kept, the rest is cut.  Called under the append lock;
 * *end moves to the end of the last whole record. */
static int
repair(struct spool *sp, uint64_t *end)
{
	struct spool_record rec;
	struct stat sb;
	char *owned;
	size_t n;

	if (fstat(sp->wfd, &sb) < 0)
		return -1;
	if ((uint64_t)sb.st_size <= *end) {
		*end = (uint64_t)sb.st_size;
		return 0;
	}
	while (read_record(sp, sp->wfd, *end, (uint64_t)sb.st_size, &rec,
	    &owned, &n) == 0) {
		free(owned);
		*end += n;
	}
	return (uint64_t)sb.st_size > *end ?
	    ftruncate(sp->wfd, (off_t)*end) : 0;
}

/* Points wfd at segment seg, creating it (and making its name durable). */
static int
open_seg(struct spool *sp, uint32_t seg)
{
	char name[32];
	int fd;

	if (sp->wfd >= 0 && sp->wseg == seg)
		return 0;
	seg_name(seg, name);
	if ((fd = openat(sp->dfd, name, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if ((fd = openat(sp->dfd, name, O_RDWR | O_CREAT | O_CLOEXEC |
		    O_NOFOLLOW, 0600)) < 0)
			return -1;
		fsync(sp->dfd);
	}
	if (sp->wfd >= 0)
		close(sp->wfd);
	sp->wfd = fd;
	sp->wseg = seg;
	return 0;
}

static void
advance_max(_Atomic uint64_t *v, uint64_t to)
{
	uint64_t cur = atomic_load(v);

	while (cur < to && !atomic_compare_exchange_weak(v, &cur, to))
		;
}

/* Closes a full head segment: it is synced whole before the next one
 * starts, so a record is durable once the synced position or the head's
 * segment has passed it. */
static int
rotate(struct spool *sp, uint32_t seg, uint64_t end)
{
	if (fdatasync(sp->wfd) < 0)
		return -1;
	advance_max(&sp->st->synced, POS(seg, end));
	if (open_seg(sp, seg + 1) < 0)
		return -1;
	atomic_store(&sp->st->head, POS(seg + 1, 0));
	msync(sp->st, 4096, MS_SYNC);
	return 0;
}

/* Writes rec at the head, under the append lock; its end position in *at. */
static int
append_locked(struct spool *sp, const unsigned char *rec, size_t n,
    uint64_t *at, char *err, size_t errsz)
{
	uint64_t head = atomic_load(&sp->st->head), end;
	uint64_t tail = atomic_load(&sp->st->tail);
	uint32_t seg;

	/* After a power loss the state may say the drainer is past the head:
	 * appending behind it would leave records nobody reads. */
	if (tail > head)
		head = POS(POS_SEG(tail), 0);
	seg = POS_SEG(head);

	if (open_seg(sp, seg) < 0)
		return fail(err, errsz, "cannot open spool segment %u: %s",
		    seg, strerror(errno));
	end = POS_OFF(head);
	if (repair(sp, &end) < 0)
		return fail(err, errsz, "cannot repair spool segment %u: %s",
		    seg, strerror(errno));
	if (end > 0 && end + n > sp->seg_max) {
		if (rotate(sp, seg, end) < 0)
			return fail(err, errsz, "cannot start a spool segment: "
			    "%s", strerror(errno));
		seg++;
		end = 0;
	}
	if (end + n > 0xffffffffu)
		return fail(err, errsz, "the spool segment is full");
	for (size_t done = 0; done < n; ) {
		ssize_t w = pwrite(sp->wfd, rec + done, n - done,
		    (off_t)(end + done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			int e = w < 0 ? errno : EIO;
			if (ftruncate(sp->wfd, (off_t)end) < 0) {
				/* the next writer cuts it off */
			}
			return fail(err, errsz, "cannot write to the spool: %s",
			    strerror(e));
		}
		done += (size_t)w;
	}
	*at = POS(seg, end + n);
	atomic_store(&sp->st->head, *at);
	atomic_fetch_add(&sp->st->pending, n);
	atomic_store(&sp->st->last_append, spool_now_ns());
	return 0;
}

/* Group commit: the first process to get the sync lock fdatasyncs
 * everything appended so far; the ones that waited behind it usually
 * find their record covered and return without a sync of their own. */
static int
make_durable(struct spool *sp, uint64_t at, char *err, size_t errsz)
{
	uint64_t upto;
	int rc = 0;

	if (atomic_load(&sp->st->synced) >= at)
		return 0;
	flock(sp->sync_fd, LOCK_EX);
	if (atomic_load(&sp->st->synced) < at) {
		upto = atomic_load(&sp->st->head);
		/* A segment after ours means ours was synced when it closed. */
		if (POS_SEG(upto) != POS_SEG(at))
			upto = at;
		else if (fdatasync(sp->wfd) < 0)
			rc = fail(err, errsz, "cannot sync the spool: %s",
			    strerror(errno));
		if (rc == 0)
			advance_max(&sp->st->synced, upto);
	}
	flock(sp->sync_fd, LOCK_UN);
	return rc;
}

int
spool_append(struct spool *sp, const struct spool_record *r, char *err,
    size_t errsz)
{
	uint64_t seq = atomic_fetch_add(&sp->st->seq, 1), at = 0;
	size_t hn, total;
	unsigned char *head;
	int rc;

	if (r->body_len > SEALED_MAX - FIXED_LEN - 2 * SPOOL_TEXT_MAX)
		return fail(err, errsz, "the report is too large to spool");
	head = payload_head(r, seq, &hn);
	total = HDR_LEN + hn + r->body_len + TAG_LEN;
	if (sp->out_cap < total) {
		free(sp->out);
		sp->out = xmalloc(total);
		sp->out_cap = total;
	}
	rc = seal(sp, head, hn, r->body, r->body_len, sp->out);
	OPENSSL_cleanse(head, hn);
	free(head);
	if (rc < 0)
		return fail(err, errsz, "cannot seal the report");
	flock(sp->append_fd, LOCK_EX);
	rc = append_locked(sp, sp->out, total, &at, err, errsz);
	flock(sp->append_fd, LOCK_UN);
	return rc < 0 ? -1 : make_durable(sp, at, err, errsz);
}

/* ---- draining ---- */

/* Points rfd at segment seg; -1 when it does not exist. */
static int
open_read(struct spool *sp, uint32_t seg)
{
	char name[32];

	if (sp->rfd >= 0 && sp->rseg == seg)
		return 0;
	if (sp->rfd >= 0)
		close(sp->rfd);
	seg_name(seg, name);
	sp->rfd = openat(sp->dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	sp->rseg = seg;
	return sp->rfd < 0 ? -1 : 0;
}

/* The tail segment is done: removed, and the tail moved to the next. */
static void
next_segment(struct spool *sp, uint32_t seg)
{
	char name[32];

	seg_name(seg, name);
	unlinkat(sp->dfd, name, 0);
	if (sp->rfd >= 0)
		close(sp->rfd);
	sp->rfd = -1;
	atomic_store(&sp->st->tail, POS(seg + 1, 0));
	msync(sp->st, 4096, MS_SYNC);
}

/* Where the tail segment's records end: the head for the head segment,
 * the file's size for a closed one. */
static uint64_t
segment_end(struct spool *sp, uint32_t seg, uint64_t head)
{
	struct stat sb;

	if (seg == POS_SEG(head))
		return POS_OFF(head);
	return fstat(sp->rfd, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

int
spool_next(struct spool *sp, struct spool_record *rec, char **owned,
    char *err, size_t errsz)
{
	for (;;) {
		uint64_t tail = atomic_load(&sp->st->tail);
		uint64_t head = atomic_load(&sp->st->head), end;
		uint32_t seg = POS_SEG(tail);
		size_t len;

		if (tail >= head)
			return 0;
		if (open_read(sp, seg) < 0) {
			next_segment(sp, seg);	/* gone: nothing to read */
			continue;
		}
		end = segment_end(sp, seg, head);
		if (POS_OFF(tail) >= end) {
			if (seg == POS_SEG(head))
				return 0;
			next_segment(sp, seg);
			continue;
		}
		if (read_record(sp, sp->rfd, POS_OFF(tail), end, rec, owned,
		    &len) == 0) {
			sp->next = POS(seg, POS_OFF(tail) + len);
			sp->next_bytes = len;
			return 1;
		}
		/* A record that does not open is skipped; one whose length
		 * cannot be trusted takes the rest of its segment along. */
		sp->next = len > 0 ? POS(seg, POS_OFF(tail) + len) :
		    POS(seg, end);
		sp->next_bytes = len > 0 ? len : end - POS_OFF(tail);
		spool_done(sp);
		return fail(err, errsz, "spool segment %u: %s at offset %u "
		    "skipped", seg, len > 0 ? "a record that does not open" :
		    "unreadable bytes", POS_OFF(tail));
	}
}

void
spool_done(struct spool *sp)
{
	uint64_t p = atomic_load(&sp->st->pending);

	atomic_store(&sp->st->tail, sp->next);
	/* Only the drainer takes away, so this cannot go below zero by a
	 * race; after a power loss the count may be off, and is cut at 0. */
	while (!atomic_compare_exchange_weak(&sp->st->pending, &p,
	    p > sp->next_bytes ? p - sp->next_bytes : 0))
		;
}
