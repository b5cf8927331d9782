#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "csrf.h"
#include "text.h"

#define KEY_LABEL	"deskprov-csrf-key-v1"

/* The 64 hex digits of the token for (user, scope, expiry). */
static void
token_mac(const struct secret_key *k, const char *user, const char *scope,
    long long expiry, char hex[65])
{
	unsigned char sub[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
	unsigned int sub_len = 0, mac_len = 0;
	char exp[24];
	size_t ul = strlen(user), sl = strlen(scope), el, n;
	unsigned char *msg;

	/* A key of its own: no report hash (secret_hash(): name NUL value)
	 * is ever computed over the label alone. */
	HMAC(EVP_sha256(), k->bytes, (int)sizeof(k->bytes),
	    (const unsigned char *)KEY_LABEL, strlen(KEY_LABEL), sub,
	    &sub_len);
	el = (size_t)snprintf(exp, sizeof(exp), "%lld", expiry);
	n = ul + 1 + sl + 1 + el;
	msg = xmalloc(n);
	memcpy(msg, user, ul + 1);
	memcpy(msg + ul + 1, scope, sl + 1);
	memcpy(msg + ul + 1 + sl + 1, exp, el);
	HMAC(EVP_sha256(), sub, (int)sub_len, msg, n, mac, &mac_len);
	OPENSSL_cleanse(sub, sizeof(sub));
	free(msg);
	hex_encode(mac, 32, 0, hex);
	hex[64] = '\0';
}

void
csrf_token(const struct secret_key *k, const char *user, const char *scope,
    time_t now, char out[CSRF_TOKEN_MAX])
{
	long long expiry = (long long)now + CSRF_TTL;
	char hex[65];

	token_mac(k, user != NULL ? user : "", scope, expiry, hex);
	snprintf(out, CSRF_TOKEN_MAX, "%lld.%s", expiry, hex);
}

int
csrf_check(const struct secret_key *k, const char *user, const char *scope,
    const char *token, time_t now)
{
	char want[65];
	const char *dot;
	long long expiry = 0;
	size_t nd;

	if (token == NULL || (dot = strchr(token, '.')) == NULL)
		return 0;
	nd = (size_t)(dot - token);
	if (nd == 0 || nd > 12 || strspn(token, "0123456789") != nd ||
	    strlen(dot + 1) != 64)
		return 0;
	for (size_t i = 0; i < nd; i++)
		expiry = expiry * 10 + (token[i] - '0');
	if (expiry < (long long)now || expiry > (long long)now + CSRF_TTL)
		return 0;
	token_mac(k, user != NULL ? user : "", scope, expiry, want);
	return CRYPTO_memcmp(want, dot + 1, 64) == 0;
}

/* The host[:port] of an absolute http(s) URL, into out; -1 when it is
 * none. */
static int
authority(const char *url, char *out, size_t outsz)
{
	const char *p;
	size_t n;

	if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return -1;
	n = strcspn(p, "/?#");
	if (n == 0 || n >= outsz || memchr(p, '@', n) != NULL)
		return -1;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}

/* The length of the host part of host[:port] or [v6]:port, and where
 * its port starts (NULL for none). */
static size_t
host_part(const char *hp, const char **port)
{
	const char *end = hp[0] == '[' ? strchr(hp, ']') : strchr(hp, ':');
	size_t n;

	if (hp[0] == '[' && end != NULL)
		end++;
	n = end != NULL ? (size_t)(end - hp) : strlen(hp);
	*port = hp[n] == ':' ? hp + n + 1 : NULL;
	return n;
}

/* Same host, and the same port when both name one: a web server may pass
 * Host without the port it was reached on (seen with nginx). */
static int
same_host(const char *a, const char *b)
{
	const char *pa, *pb;
	size_t na = host_part(a, &pa), nb = host_part(b, &pb);

	return na == nb && strncasecmp(a, b, na) == 0 && (pa == NULL ||
	    pb == NULL || strcmp(pa, pb) == 0);
}

int
csrf_origin_ok(const char *origin, const char *referer, const char *host)
{
	const char *from = origin != NULL ? origin : referer;
	char a[300];

	if (from == NULL)
		return 1;
	if (host == NULL || authority(from, a, sizeof(a)) < 0)
		return 0;
	return same_host(a, host);
}
