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

/* True when token[0..n) is the fleet token (its SHA-256 compared in
 * constant time with links.token_sha256); false when none is set. */
int	links_token_ok(const struct snapshot *, const char *token, size_t n);

/* Parses an RFC 3339 date-time ("2027-01-31T18:00:00Z", offsets and
 * fractions allowed) into *t.  0 or -1. */
int	links_time_parse(const char *s, size_t n, time_t *t);

#endif
