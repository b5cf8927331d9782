/* Cross-site request forgery defence for the admin pages' POST forms
 * (the phone page's Resync and Reboot buttons).
 *
 * A token is "<expiry>.<64 hex>": the expiry in Unix seconds and
 * HMAC-SHA256 over "user NUL scope NUL expiry" under a key of its own,
 * derived from the installation's secret key (secret.h, the 0600 file
 * <data>/.report-key that app_key() creates atomically on first use) as
 * HMAC(installation key, "deskprov-csrf-key-v1").  The token is bound to
 * the signed-in user and to what the form acts on (the phone), so a token
 * leaked from one page opens no other, and it is checked in constant time.
 * It is the "HMAC based token" of the OWASP Cross-Site Request Forgery
 * Prevention Cheat Sheet,
 * https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 * which also asks for the Origin (else Referer) check that
 * csrf_origin_ok() makes when a browser sends either header. */
#ifndef DESKPROV_CSRF_H
#define DESKPROV_CSRF_H

#include <time.h>

#include "secret.h"

#define CSRF_TTL	(4 * 3600)	/* a page left open half a day is reloaded */
#define CSRF_TOKEN_MAX	96

/* Writes the token for (user, scope) valid until now + CSRF_TTL into
 * out.  user may be NULL (auth off: everyone is the same nobody). */
void	csrf_token(const struct secret_key *, const char *user,
	    const char *scope, time_t now, char out[CSRF_TOKEN_MAX]);

/* 1 when token is one csrf_token() made for (user, scope) and has not
 * expired at `now`; 0 for anything else (absent, malformed, expired, made
 * for another user or scope, or an expiry further ahead than CSRF_TTL). */
int	csrf_check(const struct secret_key *, const char *user,
	    const char *scope, const char *token, time_t now);

/* 1 when the request comes from a page of this server as far as the
 * browser says: the Origin header, else the Referer, names the same host
 * as Host, and the same port when both name one.  Neither header present
 * is accepted (the token alone decides; old clients and curl send none);
 * Origin "null", a different host or an unparseable value is not. */
int	csrf_origin_ok(const char *origin, const char *referer,
	    const char *host);

#endif
