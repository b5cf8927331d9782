#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "links.h"

/* ---- keys ---- */

/* SHA-256 with the digest fetched once per process: OpenSSL 3's one-shot
 * SHA256() looks the algorithm up on every call, which cost a link fetch
 * about 6,800 instructions, more than the rest of the request.  A FastCGI
 * process answers one request at a time, so one context serves all. */
void
links_sha256(const void *p, size_t n, unsigned char out[32])
{
	static EVP_MD *md;
	static EVP_MD_CTX *ctx;
	unsigned int len = 32;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		abort();
	if (ctx == NULL && (ctx = EVP_MD_CTX_new()) == NULL)
		abort();
	if (EVP_DigestInit_ex2(ctx, md, NULL) != 1 ||
	    EVP_DigestUpdate(ctx, p, n) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &len) != 1)
		abort();
}

int
links_key_new(char out[LINKS_KEY_LEN + 1])
{
	unsigned char raw[LINKS_KEY_BYTES];
	unsigned char enc[4 * ((LINKS_KEY_BYTES + 2) / 3) + 1];

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	EVP_EncodeBlock(enc, raw, sizeof(raw));
	OPENSSL_cleanse(raw, sizeof(raw));
	/* base64 to base64url (RFC 4648 section 5), padding dropped. */
	for (size_t i = 0; i < LINKS_KEY_LEN; i++)
		out[i] = enc[i] == '+' ? '-' : enc[i] == '/' ? '_' :
		    (char)enc[i];
	out[LINKS_KEY_LEN] = '\0';
	OPENSSL_cleanse(enc, sizeof(enc));
	return 0;
}

static int
b64url_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int
links_key_plausible(const char *s, size_t n)
{
	if (n != LINKS_KEY_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!b64url_char((unsigned char)s[i]))
			return 0;
	return 1;
}

int
links_phone_base_url(const struct snapshot *s, const struct phone *ph,
    struct buf *out)
{
	const char *base = s->svc.links.base_url ? s->svc.links.base_url : "";
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	buf_add(out, base, n);
	if (ph == NULL || ph->rules.link_key == NULL) {
		buf_addc(out, '/');
		return 0;
	}
	buf_printf(out, "/p/%s/", ph->rules.link_key);
	return 1;
}

/* ---- phone entries ---- */

static const char *const phone_keys[] = { "enabled", "link_key", "links",
	NULL };

int
links_is_phone_key(const char *key)
{
	for (size_t i = 0; phone_keys[i] != NULL; i++)
		if (strcmp(key, phone_keys[i]) == 0)
			return 1;
	return 0;
}

static int
fail(struct diag *err, const struct ynode *n, const struct phone *ph,
    const char *msg)
{
	return diag_set(err, NULL, n->line > 0 ? (unsigned)n->line : 0, 0,
	    "phone '%s': %s", ph->id, msg);
}

/* true/false and the YAML 1.1 spellings; -1 for anything else. */
static int
yes_no(const struct ynode *v)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };

	for (size_t i = 0; v->kind == YN_SCALAR && yes[i] != NULL; i++) {
		if (strcasecmp(v->str, yes[i]) == 0)
			return 1;
		if (strcasecmp(v->str, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int
parse_allow(struct phone *ph, const struct ynode *v, struct arena *a,
    struct diag *err)
{
	const struct ynode *const *items = (const struct ynode *const *)&v;
	size_t n = 1;
	struct ipnet *nets;

	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind == YN_SEQ) {
		items = (const struct ynode *const *)v->items;
		n = v->len;
	}
	if (n > LINKS_ALLOW_MAX)
		return fail(err, v, ph, "links.allow: at most 64 entries");
	nets = arena_calloc(a, n ? n : 1, sizeof(*nets));
	for (size_t i = 0; i < n; i++)
		if (items[i]->kind != YN_SCALAR ||
		    ipnet_parse(items[i]->str, &nets[i]) < 0)
			return fail(err, items[i], ph, "links.allow: not an "
			    "address or CIDR range");
	ph->rules.allow = nets;
	ph->rules.n_allow = (uint32_t)n;
	return 0;
}

/* links: {expires, mac_check, allow}, each optional. */
static int
parse_links(struct phone *ph, const struct ynode *v, struct arena *a,
    struct diag *err)
{
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_MAP)
		return fail(err, v, ph, "links must be a mapping (expires, "
		    "mac_check, allow)");
	for (size_t i = 0; i < YMAP_N(v); i++) {
		const char *k = YMAP_KEY(v, i)->str;
		const struct ynode *val = YMAP_VAL(v, i);
		int b;

		if (strcmp(k, "expires") == 0) {
			if (val->kind == YN_SCALAR && val->is_null)
				continue;
			if (val->kind != YN_SCALAR || links_time_parse(val->str,
			    val->len, &ph->rules.expires) < 0)
				return fail(err, val, ph, "links.expires must "
				    "be an RFC 3339 time such as "
				    "2027-01-31T18:00:00Z");
		} else if (strcmp(k, "mac_check") == 0) {
			if ((b = yes_no(val)) < 0)
				return fail(err, val, ph, "links.mac_check "
				    "must be true or false");
			ph->rules.no_mac_check = (uint8_t)!b;
		} else if (strcmp(k, "allow") == 0) {
			if (parse_allow(ph, val, a, err) < 0)
				return -1;
		} else
			return diag_set(err, NULL, (unsigned)YMAP_KEY(v, i)->line,
			    0, "phone '%s': unknown key %s in links (expires, "
			    "mac_check, allow)", ph->id, DIAG_Q(k));
	}
	return 0;
}

int
links_phone_parse(struct phone *ph, const char *key, const struct ynode *v,
    struct arena *a, struct diag *err)
{
	int b;

	if (strcmp(key, "enabled") == 0) {
		if ((b = yes_no(v)) < 0)
			return fail(err, v, ph, "enabled must be true or false");
		ph->rules.disabled = (uint8_t)!b;
		return 0;
	}
	if (strcmp(key, "links") == 0)
		return parse_links(ph, v, a, err);
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	/* The key itself is never quoted back: it is a secret. */
	if (v->kind != YN_SCALAR || !links_key_plausible(v->str, v->len))
		return fail(err, v, ph, "link_key must be 43 characters of "
		    "A-Z a-z 0-9 - _ (`deskprov link key` makes one)");
	ph->rules.link_key = arena_strndup(a, v->str, v->len);
	return 0;
}

/* ---- lookups ---- */

int
links_index(struct snapshot *s, struct diag *err)
{
	size_t n = 0;

	for (size_t i = 0; i < s->n_phones; i++)
		n += s->phones[i].rules.link_key != NULL;
	strmap_init(&s->by_link_key, n);
	for (size_t i = 0; i < s->n_phones; i++) {
		struct phone *ph = &s->phones[i];
		unsigned char *d;

		if (ph->rules.link_key == NULL)
			continue;
		d = arena_alloc(&s->arena, SHA256_DIGEST_LENGTH);
		links_sha256(ph->rules.link_key, LINKS_KEY_LEN, d);
		if (strmap_put(&s->by_link_key, (const char *)d,
		    SHA256_DIGEST_LENGTH, ph) != NULL)
			return diag_set(err, "phones.yml", (unsigned)ph->line,
			    0, "phone '%s': link_key is another phone's too",
			    ph->id);
	}
	return 0;
}

const struct phone *
links_find_key(const struct snapshot *s, const char *key, size_t n)
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	const struct phone *ph;

	if (!links_key_plausible(key, n) || s->by_link_key.slots == NULL)
		return NULL;
	links_sha256(key, n, d);
	ph = strmap_get(&s->by_link_key, (const char *)d, sizeof(d));
	if (ph == NULL || CRYPTO_memcmp(ph->rules.link_key, key, n) != 0)
		return NULL;
	return ph;
}

void
links_token_hash(const char *token, size_t n, char hex[65])
{
	unsigned char d[SHA256_DIGEST_LENGTH];

	links_sha256(token, n, d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

int
links_token_ok(const struct snapshot *s, const char *token, size_t n)
{
	unsigned char d[SHA256_DIGEST_LENGTH];

	if (!s->svc.links.have_token || n == 0 || n > 256)
		return 0;
	links_sha256(token, n, d);
	return CRYPTO_memcmp(d, s->svc.links.token_sha256, sizeof(d)) == 0;
}

/* ---- time ---- */

static int
digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* The offset part: "Z", "+HH:MM" or "-HH:MM", in seconds east of UTC. */
static int
parse_offset(const char *s, size_t n, long *off)
{
	int h, m;

	if (n == 1 && (s[0] == 'Z' || s[0] == 'z')) {
		*off = 0;
		return 0;
	}
	if (n != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' ||
	    digits(s + 1, 2, &h) < 0 || digits(s + 4, 2, &m) < 0 || h > 23 ||
	    m > 59)
		return -1;
	*off = (s[0] == '-' ? -1L : 1L) * (h * 3600L + m * 60L);
	return 0;
}

int
links_time_parse(const char *s, size_t n, time_t *t)
{
	struct tm tm;
	int f[6];
	size_t i = 19;
	long off;
	time_t v;

	memset(&tm, 0, sizeof(tm));
	if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' &&
	    s[10] != 't') || s[13] != ':' || s[16] != ':' ||
	    digits(s, 4, &f[0]) < 0 || digits(s + 5, 2, &f[1]) < 0 ||
	    digits(s + 8, 2, &f[2]) < 0 || digits(s + 11, 2, &f[3]) < 0 ||
	    digits(s + 14, 2, &f[4]) < 0 || digits(s + 17, 2, &f[5]) < 0)
		return -1;
	if (f[0] < 1970 || f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 ||
	    f[3] > 23 || f[4] > 59 || f[5] > 60)
		return -1;
	if (s[i] == '.') {
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			;
		if (i == 20)
			return -1;
	}
	if (parse_offset(s + i, n - i, &off) < 0)
		return -1;
	tm.tm_year = f[0] - 1900;
	tm.tm_mon = f[1] - 1;
	tm.tm_mday = f[2];
	tm.tm_hour = f[3];
	tm.tm_min = f[4];
	tm.tm_sec = f[5] == 60 ? 59 : f[5];
	v = timegm(&tm);
	/* timegm() normalises 2027-02-31 to March: refuse that instead. */
	if (v == (time_t)-1 || tm.tm_mday != f[2])
		return -1;
	*t = v - off;
	return 0;
}

/* ---- requests ---- */

static const struct {
	char		 letter;
	enum links_kind	 kind;
	const char	*bad;		/* outcome of an unknown credential */
} routes[] = {
	{ 'p', LINKS_PERSONAL, "bad_key" },
	{ 't', LINKS_TOKEN, "bad_token" },
	{ 'o', LINKS_ONCE, "bad_link" },
};

int
links_route(const char *path, enum links_kind *kind, const char **cred,
    size_t *cred_len, const char **file)
{
	const char *c, *slash;

	*kind = LINKS_PLAIN_URL;
	*file = path[0] == '/' ? path + 1 : path;
	if (path[0] != '/' || path[1] == '\0' || path[2] != '/')
		return 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (path[1] == routes[i].letter)
			*kind = routes[i].kind;
	if (*kind == LINKS_PLAIN_URL)
		return 0;
	c = path + 3;
	if ((slash = strchr(c, '/')) == NULL || slash == c ||
	    slash - c > 256 || slash[1] == '\0' ||
	    strchr(slash + 1, '/') != NULL)
		return -1;
	*cred = c;
	*cred_len = (size_t)(slash - c);
	*file = slash + 1;
	return 0;
}

const char *
links_bad_word(enum links_kind kind)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (routes[i].kind == kind)
			return routes[i].bad;
	return "bad_link";
}

static int
refuse(struct links_refusal *r, int status, const char *outcome,
    const char *message)
{
	*r = (struct links_refusal){ .status = status, .outcome = outcome,
	    .message = message };
	return -1;
}

int
links_check(const struct links_via *via, const struct phone *ph,
    const struct ipaddr *client, time_t now, struct links_refusal *r)
{
	const struct phone *t = ph != NULL ? ph : via->phone;
	uint32_t i;

	if (via->phone != NULL && ph != NULL && ph != via->phone)
		return refuse(r, 403, "mac_mismatch", "that file is another "
		    "phone's than the link's");
	if (t == NULL)
		return 0;	/* a shared file over the fleet token */
	if (t->rules.disabled)
		return refuse(r, 403, "disabled", "this phone is disabled");
	if (t->rules.expires != 0 && now >= t->rules.expires)
		return refuse(r, 410, "link_expired", "this phone's links "
		    "have expired");
	for (i = 0; i < t->rules.n_allow; i++)
		if (ipnet_contains(&t->rules.allow[i], client))
			break;
	if (t->rules.n_allow > 0 && i == t->rules.n_allow)
		return refuse(r, 403, "addr_not_allowed", "this address may "
		    "not use this phone's links");
	return 0;
}
