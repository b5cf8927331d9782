#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "contact.h"
#include "ipnet.h"

#define REWRITE_AFTER	3600

/* A vendor, model or source value: the bytes sip_pnp keeps, or empty. */
static int
field_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("._-+/()", *s) != NULL))
			return 0;
	return 1;
}

static int
valid(const struct contact *c)
{
	struct ipaddr a;
	char mac[MAC_LEN + 1];

	return mac_parse(c->mac, strlen(c->mac), mac) == MAC_OK &&
	    strcmp(mac, c->mac) == 0 &&
	    ipaddr_parse(c->addr, strlen(c->addr), &a) == 0 &&
	    c->port >= 1 && c->port <= 65535 && field_ok(c->vendor) &&
	    field_ok(c->model) && field_ok(c->source) && c->source[0] != '\0';
}

static void
copy_field(char *dst, size_t dstsz, const char *v, size_t n, int *bad)
{
	if (n >= dstsz) {
		*bad = 1;
		return;
	}
	memcpy(dst, v, n);
	dst[n] = '\0';
}

/* One `key=value` line into c; unknown keys are skipped so that a later
 * release may add some. */
static void
parse_line(const char *l, size_t n, struct contact *c, int *bad)
{
	const char *eq = memchr(l, '=', n);
	const char *v;
	size_t k, vn;

	if (eq == NULL) {
		*bad = n != 0;
		return;
	}
	k = (size_t)(eq - l);
	v = eq + 1;
	vn = n - k - 1;
	if (k == 4 && memcmp(l, "addr", 4) == 0)
		copy_field(c->addr, sizeof(c->addr), v, vn, bad);
	else if (k == 6 && memcmp(l, "vendor", 6) == 0)
		copy_field(c->vendor, sizeof(c->vendor), v, vn, bad);
	else if (k == 5 && memcmp(l, "model", 5) == 0)
		copy_field(c->model, sizeof(c->model), v, vn, bad);
	else if (k == 6 && memcmp(l, "source", 6) == 0)
		copy_field(c->source, sizeof(c->source), v, vn, bad);
	else if ((k == 4 && memcmp(l, "port", 4) == 0) ||
	    (k == 4 && memcmp(l, "seen", 4) == 0)) {
		char num[24];
		char *end;
		long long x;

		copy_field(num, sizeof(num), v, vn, bad);
		if (*bad)
			return;
		errno = 0;
		x = strtoll(num, &end, 10);
		if (errno != 0 || *end != '\0' || end == num || x < 0)
			*bad = 1;
		else if (l[0] == 'p')
			c->port = x > 65535 ? 0 : (unsigned)x;
		else
			c->seen = x;
	}
}

int
contact_parse(const char *text, size_t n, struct contact *c)
{
	const char *p = text, *e = text + n;
	char mac[MAC_LEN + 1];
	int bad = 0;

	memcpy(mac, c->mac, sizeof(mac));
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, mac, sizeof(mac));
	while (p < e && !bad) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl != NULL ? nl : e;

		parse_line(p, (size_t)(le - p), c, &bad);
		p = nl != NULL ? nl + 1 : e;
	}
	return bad || !valid(c) ? -EINVAL : 0;
}

int
contact_get(const char *data_dir, const char *mac, struct contact *c)
{
	char path[4096];
	char *text;
	size_t n;
	int rc;

	if (strlen(mac) != MAC_LEN)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/" CONTACT_DIR "/%s", data_dir, mac);
	if ((rc = af_read_path(path, CONTACT_FILE_MAX, &text, &n)) < 0)
		return rc;
	memset(c, 0, sizeof(*c));
	memcpy(c->mac, mac, MAC_LEN + 1);
	rc = contact_parse(text, n, c);
	free(text);
	return rc;
}

static int
same(const struct contact *a, const struct contact *b)
{
	return strcmp(a->addr, b->addr) == 0 && a->port == b->port &&
	    strcmp(a->vendor, b->vendor) == 0 &&
	    strcmp(a->model, b->model) == 0 &&
	    strcmp(a->source, b->source) == 0 &&
	    b->seen - a->seen < REWRITE_AFTER && a->seen - b->seen <
	    REWRITE_AFTER;
}

static int
publish(int dirfd, const struct contact *c)
{
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "addr=%s\nport=%u\nvendor=%s\nmodel=%s\nsource=%s\n"
	    "seen=%lld\n", c->addr, c->port, c->vendor, c->model, c->source,
	    c->seen);
	rc = af_replace_at(dirfd, c->mac, b.data, b.len, 0640);
	buf_free(&b);
	return rc;
}

int
contact_put(const char *data_dir, const struct contact *c)
{
	size_t stored = SIZE_MAX;

	return contact_put_counted(data_dir, c, &stored);
}

int
contact_put_counted(const char *data_dir, const struct contact *c,
    size_t *stored)
{
	char path[4096];
	struct contact old;
	int dirfd, rc, fresh;

	if (!valid(c))
		return -EINVAL;
	rc = contact_get(data_dir, c->mac, &old);
	if (rc == 0 && same(c, &old))
		return 1;
	snprintf(path, sizeof(path), "%s/" CONTACT_DIR, data_dir);
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return -errno;
	if ((dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -errno;
	fresh = rc == -ENOENT;
	if (fresh && *stored == SIZE_MAX)
		*stored = af_count_entries(dirfd, CONTACT_MAX);
	if (fresh && *stored >= CONTACT_MAX)
		rc = -ENOSPC;
	else if ((rc = publish(dirfd, c)) == 0 && fresh)
		(*stored)++;
	close(dirfd);
	return rc;
}
