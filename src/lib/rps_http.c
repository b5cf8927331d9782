#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "rps_http.h"

struct sink {
	struct buf	*b;
	size_t		 max;
	int		 over;
};

/* Keeps the answer up to the cap; returning short makes curl stop with
 * CURLE_WRITE_ERROR, so a 10 MB answer costs one buffer of the cap. */
static size_t
sink_write(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;

	if (s->b->len + len > s->max) {
		s->over = 1;
		return 0;
	}
	buf_add(s->b, p, len);
	return len;
}

/* Which outcome a curl failure is. */
static int
curl_outcome(CURLcode c, const struct sink *s)
{
	if (c == CURLE_OPERATION_TIMEDOUT)
		return RPS_TIMEOUT;
	if (c == CURLE_WRITE_ERROR && s->over)
		return RPS_READ_FAILED;
	if (c == CURLE_RECV_ERROR || c == CURLE_PARTIAL_FILE ||
	    c == CURLE_GOT_NOTHING || c == CURLE_WRITE_ERROR)
		return RPS_READ_FAILED;
	return RPS_CONNECT_FAILED;
}

static void
setup(CURL *h, const struct rps_http *hp, const struct buf *body,
    struct curl_slist *hdrs, struct sink *s, char *ebuf)
{
	const char *ca = hp->pc->ca_file;

	curl_easy_setopt(h, CURLOPT_URL, hp->pc->endpoint);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body->data);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body->len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "deskprov/" DESKPROV_VERSION);
	curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h, CURLOPT_USERNAME, hp->user);
	curl_easy_setopt(h, CURLOPT_PASSWORD, hp->password);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (ca != NULL && ca[0] != '\0')
		curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, hp->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, hp->timeout_ms);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
}

int
rps_http_post(void *ctx, const struct rps_http *hp, const struct buf *body,
    long *status, struct buf *resp, char *err, size_t errsz)
{
	static int inited;
	char ebuf[CURL_ERROR_SIZE] = "";
	struct sink s = { .b = resp, .max = (size_t)hp->max_response };
	struct curl_slist *hdrs;
	CURL *h;
	CURLcode c;
	int rc = RPS_OK;

	(void)ctx;
	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errsz, "cannot start libcurl");
		return RPS_CONNECT_FAILED;
	}
	hdrs = curl_slist_append(NULL, "Content-Type: text/xml");
	setup(h, hp, body, hdrs, &s, ebuf);
	c = curl_easy_perform(h);
	if (c != CURLE_OK) {
		rc = curl_outcome(c, &s);
		snprintf(err, errsz, "%s", s.over ? "the answer is larger than "
		    "the cap (rps.yml max_response)" : ebuf[0] != '\0' ? ebuf :
		    curl_easy_strerror(c));
	} else
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(h);
	return rc;
}
