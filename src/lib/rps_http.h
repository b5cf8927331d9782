/* The one HTTP client of deskprov: an XML-RPC POST to a vendor's
 * redirect service through libcurl (https://curl.se/libcurl/), with
 * certificate verification always on, a CA file when the provider names
 * one, connect and total timeouts, and a cap on the answer's size. */
#ifndef DESKPROV_RPS_HTTP_H
#define DESKPROV_RPS_HTTP_H

#include "rps.h"

/* The rps_post_fn of rps.h over libcurl (ctx unused).  No redirect is
 * followed, only http and https are spoken, credentials go in the Basic
 * header and nowhere else (curl's error text never carries them). */
int	rps_http_post(void *ctx, const struct rps_http *, const struct buf *body,
	    long *status, struct buf *resp, char *err, size_t errsz);

#endif
