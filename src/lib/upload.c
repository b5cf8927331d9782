#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "upload.h"
#include "vendor.h"
#include "xmlsafe.h"

/* The one table: what each vendor's phones upload, how large it may be and
 * how many versions are kept.  Logs rotate on the phone and come often, so
 * few are kept; an override file is small and its history tells who
 * changed what. */
static const struct upload_file files[] = {
	{ "polycom", "-app.log", UPLOAD_LOG, 1024 * 1024, 3 },
	{ "polycom", "-boot.log", UPLOAD_LOG, 1024 * 1024, 3 },
	{ "polycom", "-phone.cfg", UPLOAD_OVERRIDE, 256 * 1024, 5 },
	{ "polycom", "-web.cfg", UPLOAD_OVERRIDE, 256 * 1024, 5 },
	{ "yealink", "-local.cfg", UPLOAD_OVERRIDE, 256 * 1024, 5 },
	{ "yealink", "-contact.xml", UPLOAD_CONTACTS, 1024 * 1024, 3 },
};
#define N_FILES	(sizeof(files) / sizeof(files[0]))

const struct upload_file *
upload_match(const char *name, char mac[MAC_LEN + 1])
{
	size_t n = strlen(name);

	if (n <= MAC_LEN || mac_parse(name, MAC_LEN, mac) != MAC_OK)
		return NULL;
	for (size_t i = 0; i < N_FILES; i++)
		if (strcasecmp(name + MAC_LEN, files[i].suffix) == 0)
			return &files[i];
	return NULL;
}

/* ---- the directory of a phone ---- */

/* Opens <data_dir>/uploads/<mac>, made when create is set, never through
 * a symbolic link.  The fd, or -1 with errno. */
static int
open_phone_dir(const char *data_dir, const char *mac, int create)
{
	int top, fd;

	if ((top = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (create && mkdirat(top, UPLOAD_DIR, 0750) < 0 && errno != EEXIST)
		goto fail;
	fd = openat(top, UPLOAD_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	close(top);
	if ((top = fd) < 0)
		return -1;
	if (create && mkdirat(top, mac, 0750) < 0 && errno != EEXIST)
		goto fail;
	fd = openat(top, mac, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(top);
	return fd;
fail:
	close(top);
	return -1;
}

/* "app.log.20261202T072500Z.03": the suffix without its dash, the time
 * (sorts as it happened) and a sequence for two uploads in one second. */
static void
stored_name(const struct upload_file *f, time_t now, unsigned seq, char *out,
    size_t n)
{
	struct tm tm;
	char stamp[32];

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(out, n, "%s.%s.%02u", f->suffix + 1, stamp, seq);
}

/* Reads back what stored_name() wrote; -1 for any other name (a stray
 * file is never listed, nor removed). */
static int
parse_stored(const char *name, struct upload_entry *e)
{
	struct tm tm;
	const char *p;

	for (size_t i = 0; i < N_FILES; i++) {
		size_t k = strlen(files[i].suffix + 1);
		if (strncmp(name, files[i].suffix + 1, k) != 0 || name[k] != '.')
			continue;
		/* YYYYmmddTHHMMSSZ.NN: 19 bytes, digits where digits go. */
		p = name + k + 1;
		memset(&tm, 0, sizeof(tm));
		if (strlen(p) != 19 || strspn(p, "0123456789") != 8 ||
		    p[8] != 'T' || strspn(p + 9, "0123456789") != 6 ||
		    p[15] != 'Z' || p[16] != '.' ||
		    strspn(p + 17, "0123456789") != 2 ||
		    strlen(name) >= sizeof(e->stored) ||
		    sscanf(p, "%4d%2d%2dT%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
		    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
			return -1;
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		e->file = &files[i];
		e->when = timegm(&tm);
		memcpy(e->stored, name, strlen(name) + 1);
		return 0;
	}
	return -1;
}

static int
by_table_then_newest(const void *a, const void *b)
{
	const struct upload_entry *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return -strcmp(x->stored, y->stored);
}

/* The stored versions in dirfd (at most max), sorted. */
static size_t
scan(int dirfd, struct upload_entry *out, size_t max)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	struct stat st;
	size_t n = 0;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* The copy shares dirfd's offset: an earlier scan left it at the
	 * end. */
	rewinddir(d);
	while (n < max && (de = readdir(d)) != NULL) {
		if (parse_stored(de->d_name, &out[n]) < 0 ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		out[n++].size = (size_t)st.st_size;
	}
	closedir(d);
	qsort(out, n, sizeof(*out), by_table_then_newest);
	return n;
}

/* Keeps the newest f->keep versions of f. */
static void
retain(int dirfd, const struct upload_file *f)
{
	struct upload_entry all[UPLOAD_VERSIONS_MAX];
	size_t n = scan(dirfd, all, UPLOAD_VERSIONS_MAX);
	unsigned seen = 0;

	for (size_t i = 0; i < n; i++)
		if (all[i].file == f && ++seen > f->keep)
			unlinkat(dirfd, all[i].stored, 0);
}

/* The first sequence number free after every version of f stored in the
 * same second: a version pruned by retain() must not let a newer upload
 * take a name that sorts before the ones kept. */
static unsigned
next_seq(int dirfd, const struct upload_file *f, time_t now)
{
	struct upload_entry all[UPLOAD_VERSIONS_MAX];
	size_t n = scan(dirfd, all, UPLOAD_VERSIONS_MAX);
	unsigned seq = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(all[i].stored);
		unsigned s = (unsigned)atoi(all[i].stored + k - 2) + 1;
		if (all[i].file == f && all[i].when == now && s > seq)
			seq = s;
	}
	return seq;
}

int
upload_store(const char *data_dir, const char *mac,
    const struct upload_file *f, const char *body, size_t len, time_t now,
    char *err, size_t errsz)
{
	char tmp[64], final[UPLOAD_STORED_MAX];
	int dirfd, rc;

	if ((dirfd = open_phone_dir(data_dir, mac, 1)) < 0) {
		snprintf(err, errsz, "cannot open %s/%s/%s: %s", data_dir,
		    UPLOAD_DIR, mac, strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%ld", (long)getpid(), (long)now);
	if ((rc = af_write_tmp(dirfd, tmp, body, len, 0640)) < 0) {
		snprintf(err, errsz, "cannot write an upload: %s",
		    strerror(-rc));
		close(dirfd);
		return -1;
	}
	/* link(2), not rename: a name taken in the same second is kept. */
	rc = -EEXIST;
	for (unsigned seq = next_seq(dirfd, f, now); seq < 100 &&
	    rc == -EEXIST; seq++) {
		stored_name(f, now, seq, final, sizeof(final));
		rc = af_publish(dirfd, tmp, final);
	}
	if (rc < 0) {
		af_discard(dirfd, tmp);
		snprintf(err, errsz, "cannot store an upload: %s",
		    strerror(-rc));
		close(dirfd);
		return -1;
	}
	retain(dirfd, f);
	close(dirfd);
	return 0;
}

int
upload_list(const char *data_dir, const char *mac, struct upload_entry *out,
    size_t max, size_t *n, char *err, size_t errsz)
{
	int dirfd = open_phone_dir(data_dir, mac, 0);

	*n = 0;
	if (dirfd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errsz, "cannot open the uploads of %s: %s", mac,
		    strerror(errno));
		return -1;
	}
	*n = scan(dirfd, out, max);
	close(dirfd);
	return 0;
}

int
upload_read(const char *data_dir, const char *mac,
    const struct upload_entry *e, char **out, size_t *len)
{
	int dirfd = open_phone_dir(data_dir, mac, 0), fd, rc;

	*out = NULL;
	if (dirfd < 0)
		return -errno;
	fd = openat(dirfd, e->stored, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NONBLOCK);
	close(dirfd);
	if (fd < 0)
		return -errno;
	rc = af_read_fd(fd, e->file->max_bytes, out, len);
	close(fd);
	return rc;
}

/* ---- override files as settings ---- */

/* "key = value" lines of a Yealink file; comments, the version line,
 * include lines and anything without " = " are skipped. */
static int
yealink_params(const char *s, size_t len, struct report *out)
{
	const char *end = s + len;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *eq;
		const char *k = s, *ke, *v, *ve = e;

		s = nl ? nl + 1 : end;
		while (k < e && (*k == ' ' || *k == '\t'))
			k++;
		if (k == e || *k == '#' || (eq = memchr(k, '=', (size_t)(e -
		    k))) == NULL)
			continue;
		for (ke = eq; ke > k && (ke[-1] == ' ' || ke[-1] == '\t'); ke--)
			;
		for (v = eq + 1; v < e && (*v == ' ' || *v == '\t'); v++)
			;
		while (ve > v && (ve[-1] == '\r' || ve[-1] == ' '))
			ve--;
		if (ke > k && memchr(k, ' ', (size_t)(ke - k)) == NULL)
			report_set(out, k, (size_t)(ke - k), v, (size_t)(ve - v));
	}
	return 0;
}

static void
attrs_start(struct xmlsafe *x, const char *name, const char *prefix,
    int nb, const xmlChar **a)
{
	struct report *out = xmlsafe_user(x);
	struct buf v;

	(void)name;
	(void)prefix;
	buf_init(&v);
	for (int i = 0; i < nb; i++, a += 5) {
		/* Without entity substitution libxml2 hands an attribute's
		 * "&amp;" on as "&#38;" (and only that one): decode it. */
		const char *p = (const char *)a[3], *end = (const char *)a[4];
		buf_reset(&v);
		while (p < end) {
			if (end - p >= 5 && memcmp(p, "&#38;", 5) == 0) {
				buf_addc(&v, '&');
				p += 5;
			} else
				buf_addc(&v, *p++);
		}
		report_set(out, (const char *)a[0], strlen((const char *)a[0]),
		    v.data ? v.data : "", v.len);
	}
	buf_free(&v);
}

/* Every attribute of every element: Polycom keeps each setting as one
 * (<polycomConfig reg.1.address="..."/>, <OVERRIDES .../>). */
static int
xml_params(const char *s, size_t len, struct report *out)
{
	static const struct xmlsafe_sax sax = { .start = attrs_start };
	struct xmlsafe_opts o = { .sax = &sax, .user = out,
	    .max_attrs = 20000 };

	return xmlsafe_parse(&o, s, len);
}

int
upload_params(const struct upload_file *f, const char *body, size_t len,
    struct report *out)
{
	int rc;

	report_init(out, REPORT_CONFIG);
	rc = strcmp(f->pack, "yealink") == 0 ? yealink_params(body, len, out) :
	    xml_params(body, len, out);
	if (rc < 0) {
		report_free(out);
		report_init(out, REPORT_CONFIG);
	}
	return rc;
}

void
upload_expected(struct cmp_expected *e, const struct snapshot *s,
    const struct phone *ph, const struct upload_file *f)
{
	enum file_syntax want = strcmp(f->pack, "yealink") == 0 ?
	    SYNTAX_YEALINK : SYNTAX_XML;
	struct report part;

	if (ph->pack == NULL || strcmp(ph->pack->name, f->pack) != 0)
		return;
	e->rendered = xcalloc(1, sizeof(*e->rendered));
	report_init(e->rendered, REPORT_CONFIG);
	for (size_t i = 0; i < ph->pack->n_files; i++) {
		const struct pack_file *pf = &ph->pack->files[i];
		struct vendor_file_req vr;
		struct vendor_result res;
		char name[256];
		struct buf out;

		if (pf->syntax != want || strcmp(pf->tpl,
		    VENDOR_DIRECTORY_TEMPLATE) == 0 || vendor_phone_request(s,
		    ph, pf, name, sizeof(name), &vr) != 1)
			continue;
		buf_init(&out);
		if (vendor_render(&vr, &out, &res) == 0) {
			if (upload_params(f, out.data ? out.data : "", out.len,
			    &part) == 0)
				report_merge(e->rendered, &part);
			report_free(&part);
		}
		buf_free(&out);
	}
	for (size_t i = 0; i < e->rendered->n; i++)
		cmp_expected_add(e, e->rendered->params[i].name,
		    e->rendered->params[i].value);
	e->comparable = 1;
}
