#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "contact.h"
#include "dhcp.h"

/* ---- values ---- */

/* ISC's binary-to-ascii(16, 8, ":", ...) writes octets without leading
 * zeros ("0:15:65:a:bb:1"); every other spelling goes to mac_parse(). */
static int
get_mac(const char *s, char out[MAC_LEN + 1])
{
	char padded[18];
	size_t n = 0;
	const char *p = s;

	if (mac_parse(s, strlen(s), out) == MAC_OK)
		return 0;
	for (int octet = 0; octet < 6; octet++) {
		size_t k = strspn(p, "0123456789abcdefABCDEF");

		if (k < 1 || k > 2 || (octet < 5 ? p[k] != ':' : p[k] != '\0'))
			return -1;
		padded[n++] = k == 1 ? '0' : p[0];
		padded[n++] = p[k - 1];
		if (octet < 5)
			padded[n++] = ':';
		p += k + 1;
	}
	padded[n] = '\0';
	return mac_parse(padded, n, out) == MAC_OK ? 0 : -1;
}

static int
get_addr(const char *s, char out[46])
{
	struct ipaddr a;

	if (s == NULL || ipaddr_parse(s, strlen(s), &a) < 0)
		return -1;
	ipaddr_format(&a, out, 46);
	return 0;
}

/* Option 60 and host names as stored: printable ASCII without quotes or
 * backslash, at most DHCP_TEXT_MAX - 1 bytes; other values are dropped
 * (a lease is still worth keeping without them). */
static void
get_text(const char *s, char out[DHCP_TEXT_MAX])
{
	size_t n = s != NULL ? strlen(s) : 0;

	out[0] = '\0';
	if (n == 0 || n >= DHCP_TEXT_MAX)
		return;
	for (size_t i = 0; i < n; i++)
		if (s[i] < ' ' || s[i] > '~' || s[i] == '"' || s[i] == '\\')
			return;
	memcpy(out, s, n + 1);
}

/* ---- the three conventions ---- */

static const struct {
	const char	*word;
	const char	*server;
	enum dhcp_action action;
} actions[] = {
	{ "add", "dnsmasq", DHCP_ADD },
	{ "old", "dnsmasq", DHCP_ADD },
	{ "del", "dnsmasq", DHCP_DEL },
	{ "init", "dnsmasq", DHCP_IGNORE },
	{ "tftp", "dnsmasq", DHCP_IGNORE },
	{ "commit", "isc", DHCP_ADD },
	{ "release", "isc", DHCP_DEL },
	{ "expiry", "isc", DHCP_DEL },
	{ "lease4_renew", "kea", DHCP_ADD },
	{ "lease4_recover", "kea", DHCP_ADD },
	{ "leases4_committed", "kea", DHCP_ADD },
	{ "lease4_release", "kea", DHCP_DEL },
	{ "lease4_expire", "kea", DHCP_DEL },
	{ "lease4_decline", "kea", DHCP_DEL },
};

static int
bad(char *err, size_t errsz, const char *what)
{
	snprintf(err, errsz, "%s", what);
	return -1;
}

static int
from_args(int argc, char *const argv[], const char *(*env)(const char *),
    struct dhcp_lease *l, char *err, size_t errsz)
{
	int dnsmasq = strcmp(l->server, "dnsmasq") == 0;

	if (argc < 3)
		return bad(err, errsz, "expected ACTION MAC ADDRESS");
	if (get_mac(argv[1], l->mac) < 0)
		return bad(err, errsz, "not a phone MAC address");
	if (get_addr(argv[2], l->addr) < 0)
		return bad(err, errsz, "not an IP address");
	if (dnsmasq) {
		get_text(env("DNSMASQ_VENDOR_CLASS"), l->vendor_class);
		get_text(argc > 3 ? argv[3] : env("DNSMASQ_SUPPLIED_HOSTNAME"),
		    l->hostname);
	} else {
		get_text(argc > 3 ? argv[3] : NULL, l->vendor_class);
		get_text(argc > 4 ? argv[4] : NULL, l->hostname);
	}
	return 0;
}

/* Kea: LEASE4_* for one lease, LEASES4_AT0_* for leases4_committed. */
static int
from_env(const char *(*env)(const char *), int committed,
    struct dhcp_lease *l, char *err, size_t errsz)
{
	const char *pre = committed ? "LEASES4_AT0_" : "LEASE4_";
	char name[64];

	snprintf(name, sizeof(name), "%sHWADDR", pre);
	if (env(name) == NULL || get_mac(env(name), l->mac) < 0)
		return bad(err, errsz, "no phone MAC address in the environment");
	snprintf(name, sizeof(name), "%sADDRESS", pre);
	if (get_addr(env(name), l->addr) < 0)
		return bad(err, errsz, "no IP address in the environment");
	snprintf(name, sizeof(name), "%sHOSTNAME", pre);
	get_text(env(name), l->hostname);
	return 0;
}

int
dhcp_event_parse(int argc, char *const argv[],
    const char *(*env)(const char *), struct dhcp_lease *l, char *err,
    size_t errsz)
{
	size_t i;

	memset(l, 0, sizeof(*l));
	l->seen = (long long)time(NULL);
	if (argc < 1)
		return bad(err, errsz, "which event?");
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(argv[0], actions[i].word) == 0)
			break;
	if (i == sizeof(actions) / sizeof(actions[0])) {
		/* Kea calls the script at hook points without a lease. */
		if (strncmp(argv[0], "lease", 5) == 0) {
			l->server = "kea";
			return 0;
		}
		return bad(err, errsz, "unknown event (expected add, old, del, "
		    "commit, release, expiry or a Kea hook point)");
	}
	l->server = actions[i].server;
	l->action = actions[i].action;
	if (l->action == DHCP_IGNORE)
		return 0;
	if (strcmp(l->server, "kea") == 0)
		return from_env(env, strcmp(argv[0], "leases4_committed") == 0,
		    l, err, errsz);
	return from_args(argc, argv, env, l, err, errsz);
}

/* ---- the files ---- */

static int
open_dir(const char *data_dir)
{
	char path[4096];

	int fd;

	snprintf(path, sizeof(path), "%s/" DHCP_DIR, data_dir);
	if (mkdir(path, 0750) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

static int
write_lease(int dirfd, const struct dhcp_lease *l)
{
	struct buf b;
	int rc;

	buf_init(&b);
	buf_printf(&b, "addr=%s\nvendor_class=%s\nhostname=%s\nserver=%s\n"
	    "seen=%lld\n", l->addr, l->vendor_class, l->hostname, l->server,
	    l->seen);
	rc = af_replace_at(dirfd, l->mac, b.data, b.len, 0640);
	buf_free(&b);
	return rc;
}

/* The phone's SIP contact, when nothing better (deskprov-pnpd) knows it:
 * the DHCP address on the standard port. */
static void
learn_contact(const char *data_dir, const struct dhcp_lease *l)
{
	struct contact c = { .port = 5060, .seen = l->seen };

	if (contact_get(data_dir, l->mac, &c) == 0 &&
	    strcmp(c.source, "dhcp") != 0)
		return;
	memset(&c, 0, sizeof(c));
	memcpy(c.mac, l->mac, sizeof(c.mac));
	memcpy(c.addr, l->addr, sizeof(c.addr));
	c.port = 5060;
	c.seen = l->seen;
	snprintf(c.source, sizeof(c.source), "dhcp");
	contact_put(data_dir, &c);
}

int
dhcp_store(const char *data_dir, const struct dhcp_lease *l)
{
	int dirfd, rc = 0;

	if (l->action == DHCP_IGNORE)
		return 0;
	if ((dirfd = open_dir(data_dir)) < 0)
		return dirfd;
	if (l->action == DHCP_DEL) {
		if (unlinkat(dirfd, l->mac, 0) < 0 && errno != ENOENT)
			rc = -errno;
	} else if (faccessat(dirfd, l->mac, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    af_count_entries(dirfd, DHCP_MAX) >= DHCP_MAX)
		rc = -ENOSPC;
	else if ((rc = write_lease(dirfd, l)) == 0)
		learn_contact(data_dir, l);
	close(dirfd);
	return rc;
}

static void
field(const char *v, size_t n, char *out, size_t outsz, int *bad_)
{
	if (n >= outsz) {
		*bad_ = 1;
		return;
	}
	memcpy(out, v, n);
	out[n] = '\0';
}

int
dhcp_get(const char *data_dir, const char *mac, struct dhcp_lease *l)
{
	char path[4096], *text;
	size_t n;
	int rc, bad_ = 0;

	memset(l, 0, sizeof(*l));
	if (strlen(mac) != MAC_LEN || strspn(mac, "0123456789abcdef") !=
	    MAC_LEN)
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/" DHCP_DIR "/%s", data_dir, mac);
	if ((rc = af_read_path(path, 1024, &text, &n)) < 0)
		return rc;
	memcpy(l->mac, mac, MAC_LEN + 1);
	for (char *p = text, *e = text + n; p < e && !bad_; ) {
		char *nl = memchr(p, '\n', (size_t)(e - p));
		char *le = nl != NULL ? nl : e, *eq = memchr(p, '=', (size_t)(le -
		    p));

		if (eq != NULL && eq - p == 4 && memcmp(p, "addr", 4) == 0)
			field(eq + 1, (size_t)(le - eq - 1), l->addr,
			    sizeof(l->addr), &bad_);
		else if (eq != NULL && eq - p == 12 && memcmp(p,
		    "vendor_class", 12) == 0)
			field(eq + 1, (size_t)(le - eq - 1), l->vendor_class,
			    sizeof(l->vendor_class), &bad_);
		else if (eq != NULL && eq - p == 8 && memcmp(p, "hostname", 8)
		    == 0)
			field(eq + 1, (size_t)(le - eq - 1), l->hostname,
			    sizeof(l->hostname), &bad_);
		p = nl != NULL ? nl + 1 : e;
	}
	free(text);
	{
		struct ipaddr a;

		if (bad_ || ipaddr_parse(l->addr, strlen(l->addr), &a) < 0)
			return -EINVAL;
	}
	l->action = DHCP_ADD;
	return 0;
}

int
dhcp_learned_allows(const char *data_dir, const char *mac,
    const struct ipaddr *client)
{
	struct dhcp_lease l;
	struct ipaddr a;

	return mac != NULL && mac[0] != '\0' &&
	    dhcp_get(data_dir, mac, &l) == 0 &&
	    ipaddr_parse(l.addr, strlen(l.addr), &a) == 0 &&
	    ipaddr_equal(&a, client);
}

/* ---- the guess ---- */

static int
contains_word(const char *hay, const char *word)
{
	size_t n = strlen(word);

	if (n == 0)
		return 0;
	for (const char *p = hay; *p != '\0'; p++)
		if (strncasecmp(p, word, n) == 0)
			return 1;
	return 0;
}

static const struct pack *
guess_pack(const struct snapshot *s, const struct dhcp_lease *l)
{
	for (size_t i = 0; i < s->packs.n; i++)
		for (size_t k = 0; k < s->packs.packs[i].n_ouis; k++)
			if (strncmp(l->mac, s->packs.packs[i].ouis[k], 6) == 0)
				return &s->packs.packs[i];
	for (size_t i = 0; i < s->packs.n; i++)
		if (s->packs.packs[i].ua_vendor != NULL &&
		    contains_word(l->vendor_class, s->packs.packs[i].ua_vendor))
			return &s->packs.packs[i];
	return NULL;
}

void
dhcp_guess(const struct snapshot *s, const struct dhcp_lease *l,
    const char **pack, const char **model)
{
	const struct pack *p = guess_pack(s, l);

	*pack = p != NULL ? p->name : NULL;
	*model = NULL;
	for (size_t i = 0; p != NULL && i < p->n_models; i++)
		if (contains_word(l->vendor_class, p->models[i].name) ||
		    contains_word(l->hostname, p->models[i].name)) {
			*model = p->models[i].name;
			return;
		}
}
