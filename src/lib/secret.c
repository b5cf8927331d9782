#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "atomicfile.h"
#include "buf.h"
#include "secret.h"
#include "text.h"

/* ---- names ---- */

int
namelist_match(const struct strlist *l, const char *name)
{
	for (size_t i = 0; l != NULL && i < l->n; i++) {
		const char *p = l->items[i];

		if (strpbrk(p, "*?[") != NULL ? fnmatch(p, name, 0) == 0 :
		    strcmp(p, name) == 0)
			return 1;
	}
	return 0;
}

#define TOKENS_MAX	32

struct token {
	const char	*s;
	size_t		 n;
};

static int
is_boundary(const char *s, size_t i)
{
	unsigned char a = (unsigned char)s[i - 1], b = (unsigned char)s[i];
	unsigned char c = (unsigned char)s[i + 1];

	if (isdigit(a) != isdigit(b))
		return 1;
	if (islower(a) && isupper(b))
		return 1;
	/* The end of an acronym: "XMLPassword" is XML + Password. */
	return isupper(a) && isupper(b) && islower(c);
}

/* Splits name into alphanumeric runs, cut again at case and digit
 * changes.  Returns the number of tokens (at most TOKENS_MAX). */
static size_t
tokenize(const char *name, struct token *t)
{
	size_t n = 0, i = 0, start;

	while (name[i] != '\0' && n < TOKENS_MAX) {
		if (!isalnum((unsigned char)name[i])) {
			i++;
			continue;
		}
		start = i++;
		while (isalnum((unsigned char)name[i]) && !is_boundary(name, i))
			i++;
		t[n].s = name + start;
		t[n++].n = i - start;
	}
	return n;
}

static int
token_is(const struct token *t, const char *word)
{
	return strlen(word) == t->n && strncasecmp(t->s, word, t->n) == 0;
}

static int
token_in(const struct token *t, const char *const *words)
{
	for (size_t i = 0; words[i] != NULL; i++)
		if (token_is(t, words[i]))
			return 1;
	return 0;
}

/* A token right after the secret word that makes the parameter a setting
 * about the secret (a prompt, a mode, a length) rather than the secret. */
static const char *const qualifiers[] = {
	"prompt", "input", "mode", "policy", "type", "length", "complexity",
	"enable", "enabled", "required", "lock", "interval", "timeout",
	"expiry", "rule", "url", "server", NULL
};

/* Words before "key" that make it a cryptographic key, not a button. */
static const char *const key_kinds[] = {
	"pre", "shared", "preshared", "private", "encryption", "secret",
	"api", "auth", "access", "wpa", "wep", "aes", "srtp", "master",
	"session", "crypto", "psk", "link", NULL
};

enum when { ALONE, AFTER_KEY_KIND, NOT_SOFTKEY };

static const struct {
	const char	*word;
	enum when	 when;
} secret_words[] = {
	{ "password", ALONE },
	{ "passwd", ALONE },
	{ "pwd", ALONE },
	{ "passphrase", ALONE },
	{ "passcode", ALONE },
	{ "secret", ALONE },
	{ "pin", ALONE },
	{ "token", ALONE },
	{ "keying", ALONE },
	{ "psk", NOT_SOFTKEY },
	{ "key", AFTER_KEY_KIND },
};

static int
word_applies(enum when when, const struct token *t, size_t i, size_t n)
{
	switch (when) {
	case ALONE:
		return 1;
	case AFTER_KEY_KIND:
		return i > 0 && token_in(&t[i - 1], key_kinds);
	case NOT_SOFTKEY:
		/* PSK_1 .. PSK_16: Cisco's programmable softkeys. */
		return !(i == 0 && n > 1 && isdigit((unsigned char)t[1].s[0]));
	}
	return 1;
}

int
secret_name_rule(const char *name)
{
	struct token t[TOKENS_MAX];
	size_t n = tokenize(name, t);

	for (size_t i = 0; i < n; i++)
		for (size_t w = 0; w < sizeof(secret_words) /
		    sizeof(secret_words[0]); w++) {
			if (!token_is(&t[i], secret_words[w].word) ||
			    !word_applies(secret_words[w].when, t, i, n))
				continue;
			if (i + 1 < n && token_in(&t[i + 1], qualifiers))
				continue;
			return 1;
		}
	return 0;
}

/* Substrings that make a blacklisted name a secret (see secret.h). */
static int
loosely_secret(const char *name)
{
	static const char *const parts[] = { "pass", "pwd", "secret", "key",
	    "pin", "psk", "token", "cred", NULL };
	char lower[256];
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < sizeof(lower); i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[i] = '\0';
	for (i = 0; parts[i] != NULL; i++)
		if (strstr(lower, parts[i]) != NULL)
			return 1;
	return 0;
}

int
secret_name(const char *name, const struct comparison_settings *cmp)
{
	if (secret_name_rule(name))
		return 1;
	if (cmp == NULL)
		return 0;
	return namelist_match(&cmp->secrets, name) ||
	    (namelist_match(&cmp->blacklist, name) && loosely_secret(name));
}

/* ---- the key ---- */

static int __attribute__((format(printf, 3, 4)))
key_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
	return -1;
}

/* 0 with the key read, 1 when there is no key file yet, -1 on error. */
static int
read_key(int dfd, struct secret_key *k, char *err, size_t errsz)
{
	struct stat st;
	int fd, rc;

	fd = openat(dfd, SECRET_KEY_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return 1;
	if (fd < 0)
		return key_fail(err, errsz, "cannot open %s: %s",
		    SECRET_KEY_FILE, strerror(errno));
	rc = fstat(fd, &st);
	if (rc < 0 || !S_ISREG(st.st_mode) || st.st_size != SECRET_KEY_LEN)
		rc = key_fail(err, errsz, "%s must be a file of %d bytes",
		    SECRET_KEY_FILE, SECRET_KEY_LEN);
	else if ((st.st_mode & 077) != 0)
		rc = key_fail(err, errsz, "%s is readable by others "
		    "(chmod 600 it)", SECRET_KEY_FILE);
	else if ((rc = af_read_all(fd, k->bytes, SECRET_KEY_LEN)) < 0)
		rc = key_fail(err, errsz, "cannot read %s: %s",
		    SECRET_KEY_FILE, strerror(-rc));
	close(fd);
	return rc;
}

static int
random_bytes(void *p, size_t n)
{
	unsigned char *b = p;

	while (n > 0) {
		ssize_t r = getrandom(b, n, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* 0 with a new key in place, 1 when another process created one first,
 * -1 on error. */
static int
create_key(int dfd, struct secret_key *k, char *err, size_t errsz)
{
	char tmp[64];
	unsigned tag;
	int rc;

	if (random_bytes(k->bytes, sizeof(k->bytes)) < 0 ||
	    random_bytes(&tag, sizeof(tag)) < 0)
		return key_fail(err, errsz, "getrandom: %s", strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld-%08x", SECRET_KEY_FILE,
	    (long)getpid(), tag);
	if ((rc = af_write_tmp(dfd, tmp, k->bytes, sizeof(k->bytes), 0600)) < 0)
		return key_fail(err, errsz, "cannot write %s: %s", tmp,
		    strerror(-rc));
	rc = af_publish(dfd, tmp, SECRET_KEY_FILE);
	if (rc == -EEXIST) {
		af_discard(dfd, tmp);
		return 1;
	}
	if (rc < 0) {
		af_discard(dfd, tmp);
		return key_fail(err, errsz, "cannot create %s: %s",
		    SECRET_KEY_FILE, strerror(-rc));
	}
	return 0;
}

int
secret_key_load(const char *dir, struct secret_key *k, int create,
    char *err, size_t errsz)
{
	int dfd, rc = -1;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return key_fail(err, errsz, "cannot open data directory %s: %s",
		    dir, strerror(errno));
	/* Read, else create; a lost creation race means reading again. */
	for (int attempt = 0; attempt < 3; attempt++) {
		if ((rc = read_key(dfd, k, err, errsz)) != 1 || !create)
			break;
		if ((rc = create_key(dfd, k, err, errsz)) != 1)
			break;
	}
	if (rc == 1 && create)
		rc = key_fail(err, errsz, "%s keeps appearing and vanishing",
		    SECRET_KEY_FILE);
	close(dfd);
	if (rc != 0)
		secret_key_wipe(k);
	return rc;
}

void
secret_key_wipe(struct secret_key *k)
{
	OPENSSL_cleanse(k->bytes, sizeof(k->bytes));
}

/* ---- the hash ---- */

/* The process's HMAC context, keyed once: HMAC() fetched the digest and
 * derived the key's pads on every call, 20,000 instructions for a hash
 * of a few dozen bytes, and a report stores and compares dozens of
 * secrets.  Re-initialising a keyed EVP_MAC_CTX with no key restarts it
 * from the saved pads (OpenSSL 3, EVP_MAC-HMAC(7)).  A different key
 * (tests use several) keys it again.  Not thread-safe, like the rest of
 * the ingest path. */
static struct {
	EVP_MAC_CTX		*ctx;
	unsigned char		 key[SECRET_KEY_LEN];
} hmac_cache;

static EVP_MAC_CTX *
hmac_ctx(const struct secret_key *k)
{
	static const OSSL_PARAM digest[] = {
		OSSL_PARAM_utf8_string("digest", (char *)(uintptr_t)"SHA256", 0),
		OSSL_PARAM_END
	};
	EVP_MAC *mac;

	if (hmac_cache.ctx != NULL && CRYPTO_memcmp(hmac_cache.key, k->bytes,
	    SECRET_KEY_LEN) == 0)
		return EVP_MAC_init(hmac_cache.ctx, NULL, 0, NULL) ?
		    hmac_cache.ctx : NULL;
	EVP_MAC_CTX_free(hmac_cache.ctx);
	hmac_cache.ctx = NULL;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
		return NULL;
	hmac_cache.ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);
	if (hmac_cache.ctx == NULL || !EVP_MAC_init(hmac_cache.ctx, k->bytes,
	    SECRET_KEY_LEN, digest)) {
		EVP_MAC_CTX_free(hmac_cache.ctx);
		hmac_cache.ctx = NULL;
		return NULL;
	}
	memcpy(hmac_cache.key, k->bytes, SECRET_KEY_LEN);
	return hmac_cache.ctx;
}

/* HMAC-SHA256 of name NUL value into mac[32]: through the cached context,
 * or HMAC() when it cannot be had.  No two (name, value) pairs give the
 * same bytes. */
static void
hmac_name_value(const struct secret_key *k, const char *name,
    const char *value, size_t value_len, unsigned char mac[32])
{
	EVP_MAC_CTX *c = hmac_ctx(k);
	size_t name_len = strlen(name), out = 0;
	unsigned int mac_len = 0;
	char *msg;

	if (c != NULL && EVP_MAC_update(c, (const unsigned char *)name,
	    name_len + 1) && EVP_MAC_update(c, (const unsigned char *)value,
	    value_len) && EVP_MAC_final(c, mac, &out, 32) && out == 32)
		return;
	msg = xmalloc(name_len + 1 + value_len);
	memcpy(msg, name, name_len + 1);
	memcpy(msg + name_len + 1, value, value_len);
	HMAC(EVP_sha256(), k->bytes, (int)sizeof(k->bytes),
	    (const unsigned char *)msg, name_len + 1 + value_len, mac,
	    &mac_len);
	OPENSSL_cleanse(msg, name_len + 1 + value_len);
	free(msg);
}

void
secret_hash(const struct secret_key *k, const char *name, const char *value,
    size_t value_len, char out[SECRET_HASH_LEN + 1])
{
	unsigned char mac[32];
	char *p;

	hmac_name_value(k, name, value, value_len, mac);
	p = out + strlen(SECRET_HASH_PREFIX);
	memcpy(out, SECRET_HASH_PREFIX, strlen(SECRET_HASH_PREFIX));
	hex_encode(mac, 32, 0, p);
	p[64] = '\0';
	OPENSSL_cleanse(mac, sizeof(mac));
}

int
secret_is_hash(const char *s)
{
	size_t plen = strlen(SECRET_HASH_PREFIX);

	/* Asked of every reported value on comparison: most differ at once. */
	if (s[0] != SECRET_HASH_PREFIX[0] ||
	    strncmp(s, SECRET_HASH_PREFIX, plen) != 0)
		return 0;
	s += plen;
	for (int i = 0; i < 64; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return 0;
	return s[64] == '\0';
}

int
secret_matches(const struct secret_key *k, const char *name,
    const char *clear, size_t clear_len, const char *stored)
{
	char want[SECRET_HASH_LEN + 1], have[SECRET_HASH_LEN + 1];
	int same;

	secret_hash(k, name, clear, clear_len, want);
	if (secret_is_hash(stored))
		memcpy(have, stored, sizeof(have));
	else
		secret_hash(k, name, stored, strlen(stored), have);
	same = CRYPTO_memcmp(want, have, SECRET_HASH_LEN) == 0;
	OPENSSL_cleanse(want, sizeof(want));
	return same;
}
