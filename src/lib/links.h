/* Secure provisioning links and the access rules of a phone entry.
 *
 * A phone may be fetched by three kinds of link besides its plain URL
 * (docs/links.md):
 *   /p/<key>/<file>    its personal link: `link_key` of its phone entry,
 *                      32 random bytes as base64url (43 characters);
 *   /t/<token>/<file>  the fleet token of serviceconfig.yml links:, kept
 *                      only as its SHA-256 (token_sha256), plus the MAC
 *                      in the file name;
 *   /o/<id>/<file>     a one-time link (linkstore.h).
 * The file name, and the User-Agent's MAC when the phone entry says
 * mac_check (the default), must still be the phone's own.
 *
 * Personal keys are kept in the phone entry like SIP passwords, because the
 * API, PnP and the redirect services must hand them out again; they are
 * masked wherever a phone entry is shown.  Keys are compared in constant
 * time: the index built at load is keyed by the SHA-256 of the key, so
 * the lookup learns nothing an attacker can use, and the stored key is
 * then compared with CRYPTO_memcmp. */
#ifndef DESKPROV_LINKS_H
#define DESKPROV_LINKS_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "diag.h"
#include "yamltree.h"

#define LINKS_KEY_LEN		43	/* base64url of 32 bytes, no padding */
#define LINKS_KEY_BYTES		32
#define LINKS_ALLOW_MAX		64	/* links.allow entries of one phone */

/* A new personal-link key from the system's random source: 43 characters
 * of [A-Za-z0-9_-] and a NUL.  0, or -1 when no randomness could be had. */
int	links_key_new(char out[LINKS_KEY_LEN + 1]);

/* The SHA-256 of p[0..n) into out.  Aborts only when libcrypto has no
 * SHA-256 at all, which no configuration survives. */
void	links_sha256(const void *p, size_t n, unsigned char out[32]);

/* True when s[0..n) has the shape of a key: 43 base64url characters. */
int	links_key_plausible(const char *s, size_t n);

/* Appends the URL prefix a phone should be given: "<base>/p/<key>/" when
 * it has a personal key, else "<base>/", where <base> is links.base_url of
 * serviceconfig.yml without a trailing slash ("" when not set: then the
 * prefix is a path, and the caller adds the scheme and host it knows).
 * Returns 1 when the prefix is a personal link, 0 for the plain one. */
int	links_phone_base_url(const struct snapshot *, const struct phone *,
	    struct buf *out);

/* 1 for the keys of a phone entry this module reads: enabled, link_key,
 * links. */
int	links_is_phone_key(const char *key);

/* Reads one of those keys of phone entry `ph` into ph->rules (strings go
 * into arena a).  Returns 0, or -1 with err holding the line and message
 * (the caller names the file). */
int	links_phone_parse(struct phone *ph, const char *key,
	    const struct ynode *v, struct arena *a, struct diag *err);

/* Builds s->by_link_key over every phone with a key.  -1 with err when two
 * phones share a key (the second phone's line). */
int	links_index(struct snapshot *s, struct diag *err);

/* The phone whose personal key is key[0..n), or NULL (compared in
 * constant time once the candidate is found). */
const struct phone	*links_find_key(const struct snapshot *,
			    const char *key, size_t n);

/* Writes the SHA-256 of token[0..n) as 64 hex digits and a NUL: what
 * serviceconfig.yml links.token_sha256 holds. */
void	links_token_hash(const char *token, size_t n, char hex[65]);

/* True when token[0..n) is the fleet token (its SHA-256 compared in
 * constant time with links.token_sha256); false when none is set. */
int	links_token_ok(const struct snapshot *, const char *token, size_t n);

/* How a request reached a phone's file. */
enum links_kind {
	LINKS_PLAIN_URL,	/* /<file>: no link */
	LINKS_PERSONAL,		/* /p/<key>/<file> */
	LINKS_TOKEN,		/* /t/<token>/<file> */
	LINKS_ONCE		/* /o/<id>/<file> */
};

struct links_via {
	enum links_kind		 kind;
	const struct phone	*phone;	/* the link's phone; NULL for a token */
};

/* Splits a decoded request path.  A path that is no link gives
 * LINKS_PLAIN_URL and *file the path after its '/'.  A link path gives
 * its kind, the credential cred[0..*cred_len) and *file, its one file
 * segment; -1 when the credential is empty or longer than 256 bytes, or
 * the file is not one non-empty segment.  Pointers borrow from path. */
int	links_route(const char *path, enum links_kind *kind,
	    const char **cred, size_t *cred_len, const char **file);

/* The outcome word of a link kind's unknown credential: bad_key,
 * bad_token, bad_link. */
const char	*links_bad_word(enum links_kind);

/* Why a fetch over a link may not have the file of phone ph (NULL for a
 * file of no phone), checked before anything is rendered: the file names
 * another phone than the link (mac_mismatch), the phone is disabled
 * (disabled), its links expired (link_expired) or the client is outside
 * links.allow (addr_not_allowed).  0 when allowed, else -1 with the
 * status, the outcome word and a message for the body. */
struct links_refusal {
	int		 status;
	const char	*outcome;
	const char	*message;
};
int	links_check(const struct links_via *, const struct phone *ph,
	    const struct ipaddr *client, time_t now, struct links_refusal *);

/* Parses an RFC 3339 date-time ("2027-01-31T18:00:00Z", offsets and
 * fractions allowed) into *t.  0 or -1. */
int	links_time_parse(const char *s, size_t n, time_t *t);

#endif
