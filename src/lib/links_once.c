#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "atomicfile.h"
#include "links.h"
#include "links_once.h"

#define RECORD_MAX	256
#define MAGIC		"deskprov-link 1"

/* What a link file holds, one line of text:
 * "deskprov-link 1 <phone id> <mac or -> <uses left, -1: no count>
 *  <expires, 0: never> <until report 0|1> <created>\n". */
struct record {
	char	phone_id[IDENT_MAX + 1];
	char	mac[MAC_LEN + 1];
	long	uses;
	long long expires;
	int	until_report;
	long long created;
};

static int
record_parse(const char *text, struct record *r)
{
	char mac[16];
	int n = 0;

	memset(r, 0, sizeof(*r));
	if (sscanf(text, MAGIC " %64s %15s %ld %lld %d %lld\n%n", r->phone_id,
	    mac, &r->uses, &r->expires, &r->until_report, &r->created,
	    &n) != 6 || n == 0 || text[n] != '\0')
		return -1;
	if (!ident_plausible(r->phone_id, strlen(r->phone_id)))
		return -1;
	if (strcmp(mac, "-") != 0 && mac_parse(mac, strlen(mac), r->mac) !=
	    MAC_OK)
		return -1;
	return 0;
}

static int
record_format(const struct record *r, char *out, size_t outsz)
{
	int n = snprintf(out, outsz, MAGIC " %s %s %ld %lld %d %lld\n",
	    r->phone_id, r->mac[0] ? r->mac : "-", r->uses, r->expires,
	    r->until_report, r->created);

	return n > 0 && (size_t)n < outsz ? n : -1;
}

/* The file name of a link: hex SHA-256 of its id. */
static void
id_file(const char *id, size_t n, char out[2 * SHA256_DIGEST_LENGTH + 1])
{
	unsigned char d[SHA256_DIGEST_LENGTH];

	links_sha256(id, n, d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static int
id_plausible(const char *id, size_t n)
{
	if (n != LINKS_ONCE_ID_LEN)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

/* Opens (creating with create) data_dir/links; the fd or -1. */
static int
open_dir(const char *data_dir, int create)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", data_dir, LINKS_ONCE_DIR);
	if (create && mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	return open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static int
new_id(char id[LINKS_ONCE_ID_LEN + 1])
{
	unsigned char raw[16], enc[32];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	EVP_EncodeBlock(enc, raw, sizeof(raw));
	for (size_t i = 0; i < LINKS_ONCE_ID_LEN; i++)
		id[i] = enc[i] == '+' ? '-' : enc[i] == '/' ? '_' :
		    (char)enc[i];
	id[LINKS_ONCE_ID_LEN] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	return 0;
}

/* Reads the record of an open link file. */
static int
read_record(int fd, struct record *r)
{
	char buf[RECORD_MAX + 1];
	ssize_t n = pread(fd, buf, RECORD_MAX, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return record_parse(buf, r);
}

static int
spent(const struct record *r, time_t now)
{
	return r->uses == 0 || (r->expires != 0 && now >= r->expires);
}

size_t
links_once_sweep(const char *data_dir, time_t now)
{
	int dfd = open_dir(data_dir, 0), fd;
	size_t left = 0;
	struct record r;
	struct dirent *e;
	DIR *d;

	if (dfd < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		/* A link in use stays until its user is done with it. */
		if (flock(fd, LOCK_EX | LOCK_NB) == 0 &&
		    (read_record(fd, &r) < 0 || spent(&r, now)))
			unlinkat(dfd, e->d_name, 0);
		else
			left++;
		close(fd);
	}
	closedir(d);
	return left;
}

static int
fail(char *msg, size_t msgsz, const char *what)
{
	snprintf(msg, msgsz, "%s", what);
	return -1;
}

/* The record a spec makes; -1 for limits out of range. */
static int
record_make(const struct phone *ph, const struct links_once_spec *sp,
    time_t now, struct record *r, char *msg, size_t msgsz)
{
	memset(r, 0, sizeof(*r));
	if (sp->uses < 0 || sp->uses > LINKS_ONCE_USES_MAX || sp->minutes < 0 ||
	    sp->minutes > LINKS_ONCE_MINUTES_MAX)
		return fail(msg, msgsz, "--uses must be 1..1000000 and "
		    "--minutes 1..43200");
	snprintf(r->phone_id, sizeof(r->phone_id), "%s", ph->id);
	memcpy(r->mac, ph->mac, sizeof(r->mac));
	r->uses = sp->uses > 0 ? sp->uses : -1;
	if (sp->uses == 0 && sp->minutes == 0 && !sp->until_report)
		r->uses = 1;
	r->until_report = sp->until_report != 0;
	r->created = (long long)now;
	if (sp->minutes > 0)
		r->expires = (long long)now + sp->minutes * 60;
	else if (sp->until_report)
		r->expires = (long long)now + LINKS_ONCE_REPORT_MAX;
	return 0;
}

int
links_once_new(const char *data_dir, const struct phone *ph,
    const struct links_once_spec *sp, long max, time_t now,
    char id[LINKS_ONCE_ID_LEN + 1], char *msg, size_t msgsz)
{
	char text[RECORD_MAX], name[2 * SHA256_DIGEST_LENGTH + 1], tmp[96];
	struct record r;
	int dfd, n, rc;

	msg[0] = '\0';
	if (record_make(ph, sp, now, &r, msg, msgsz) < 0 ||
	    (n = record_format(&r, text, sizeof(text))) < 0)
		return msg[0] ? -1 : fail(msg, msgsz, "phone id too long");
	if ((dfd = open_dir(data_dir, 1)) < 0)
		return fail(msg, msgsz, "cannot open the links directory of "
		    "the data directory");
	if (links_once_sweep(data_dir, now) >= (size_t)max) {
		close(dfd);
		return fail(msg, msgsz, "too many one-time links in use "
		    "(links.once_max)");
	}
	if (new_id(id) < 0) {
		close(dfd);
		return fail(msg, msgsz, "no random bytes");
	}
	id_file(id, LINKS_ONCE_ID_LEN, name);
	snprintf(tmp, sizeof(tmp), ".tmp-%.16s-%ld", name, (long)getpid());
	rc = af_write_tmp(dfd, tmp, text, (size_t)n, 0600);
	if (rc == 0 && (rc = af_publish(dfd, tmp, name)) < 0)
		af_discard(dfd, tmp);
	close(dfd);
	if (rc < 0)
		return fail(msg, msgsz, "cannot write the link");
	return 0;
}

/* Counts one fetch of a locked link, written back before the lock goes.
 * A spent link stays until the next sweep, so that its phone hears
 * link_used_up rather than bad_link. */
static enum links_once_status
spend(int fd, struct record *r)
{
	char text[RECORD_MAX];
	int n;

	if (r->uses < 0)
		return LINKS_ONCE_OK;
	r->uses--;
	if ((n = record_format(r, text, sizeof(text))) < 0 ||
	    ftruncate(fd, 0) < 0 || pwrite(fd, text, (size_t)n, 0) != n ||
	    fsync(fd) < 0)
		return LINKS_ONCE_ERROR;
	return LINKS_ONCE_OK;
}

/* The verdict on a locked link. */
static enum links_once_status
judge(int fd, int consume, time_t now, links_once_report_fn *report,
    void *ctx, struct record *r)
{
	if (read_record(fd, r) < 0)
		return LINKS_ONCE_ERROR;
	if (r->uses == 0)
		return LINKS_ONCE_USED_UP;
	if (r->expires != 0 && now >= r->expires)
		return LINKS_ONCE_EXPIRED;
	if (r->until_report && report != NULL && r->mac[0] != '\0' &&
	    report(ctx, r->mac) >= (time_t)r->created)
		return LINKS_ONCE_USED_UP;
	return consume ? spend(fd, r) : LINKS_ONCE_OK;
}

enum links_once_status
links_once_use(const char *data_dir, const char *id, size_t n, int consume,
    time_t now, links_once_report_fn *report, void *ctx,
    char phone_id[IDENT_MAX + 1])
{
	char name[2 * SHA256_DIGEST_LENGTH + 1];
	enum links_once_status st;
	struct record r;
	int dfd, fd;

	phone_id[0] = '\0';
	if (!id_plausible(id, n))
		return LINKS_ONCE_UNKNOWN;
	if ((dfd = open_dir(data_dir, 0)) < 0)
		return errno == ENOENT ? LINKS_ONCE_UNKNOWN : LINKS_ONCE_ERROR;
	id_file(id, n, name);
	fd = openat(dfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		st = errno == ENOENT ? LINKS_ONCE_UNKNOWN : LINKS_ONCE_ERROR;
		close(dfd);
		return st;
	}
	if (flock(fd, LOCK_EX) < 0)
		st = LINKS_ONCE_ERROR;
	else
		st = judge(fd, consume, now, report, ctx, &r);
	if (st == LINKS_ONCE_OK)
		memcpy(phone_id, r.phone_id, sizeof(r.phone_id));
	close(fd);
	close(dfd);
	return st;
}
