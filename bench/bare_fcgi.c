/* bare_fcgi: the transport ceiling for `make bench`.
 *
 * A FastCGI responder that does nothing but answer.  At start it reads one
 * file into memory; to every request it returns exactly those bytes with
 * the headers profile.fcgi sends with a profile, or a bodiless 304 when
 * If-None-Match names its tag.  Whatever profile.fcgi costs beyond this
 * program is the cost of deskprov itself, not of FastCGI or the web server.
 *
 * Environment (set by bench/run through lighttpd's bin-environment):
 *   BARE_FILE  the body to serve
 *   BARE_ETAG  its tag as profile.fcgi sent it, without the quotes (they
 *              do not survive lighttpd.conf strings), so that the same
 *              If-None-Match header works for both
 *
 * Like profile.fcgi, each answer is built in one buffer and handed to
 * libfcgi with one FCGX_PutStr; unlike it, the buffer is built once.
 *
 * A request body is read to its end and dropped, as report.fcgi reads a
 * report (bench/ingest BARE=1 posts the 73 KB Cisco report here): the
 * ceiling for ingest through the same web server.  A GET has none. */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX	(64L * 1024 * 1024)

struct answer {
	char	*data;
	size_t	 len;
};

/* Reads the whole file into a new buffer (caller frees).  Returns NULL,
 * having said why on stderr, when it cannot. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f;
	char *p = NULL;
	long n;

	if ((f = fopen(path, "rb")) == NULL)
		goto out_err;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > BODY_MAX ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out_close;
	if ((p = malloc((size_t)n + 1)) == NULL)
		goto out_close;
	if (fread(p, 1, (size_t)n, f) != (size_t)n)
		goto out_free;
	fclose(f);
	*lenp = (size_t)n;
	return p;
out_free:
	free(p);
out_close:
	fclose(f);
out_err:
	fprintf(stderr, "bare_fcgi: cannot read %s\n", path);
	return NULL;
}

/* Formats the head and appends the body into one new buffer (caller frees
 * a->data).  Returns 0, or -1 when out of memory. */
static int
answer_build(struct answer *a, const char *head, const char *body,
    size_t body_len)
{
	size_t head_len = strlen(head);

	if ((a->data = malloc(head_len + body_len + 1)) == NULL)
		return -1;
	memcpy(a->data, head, head_len);
	if (body_len > 0)
		memcpy(a->data + head_len, body, body_len);
	a->len = head_len + body_len;
	return 0;
}

/* The 200 and the 304, with the headers profile.fcgi sends for each. */
static int
answers_build(struct answer *ok, struct answer *nm, const char *body,
    size_t len, const char *etag)
{
	char head[512];
	int n;

	n = snprintf(head, sizeof(head), "Status: 200 OK\r\n"
	    "Content-Type: application/xml; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n"
	    "ETag: %s\r\n"
	    "Cache-Control: private, no-cache\r\n\r\n", len, etag);
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    answer_build(ok, head, body, len) < 0)
		return -1;
	n = snprintf(head, sizeof(head), "Status: 304 Not Modified\r\n"
	    "ETag: %s\r\n\r\n", etag);
	if (n < 0 || (size_t)n >= sizeof(head) ||
	    answer_build(nm, head, NULL, 0) < 0) {
		free(ok->data);
		return -1;
	}
	return 0;
}

/* Reads the body to its end; its bytes are not looked at. */
static void
drain(FCGX_Stream *in)
{
	char scratch[16384];

	while (FCGX_GetStr(scratch, (int)sizeof(scratch), in) > 0)
		continue;
}

static void
serve(const struct answer *ok, const struct answer *nm, const char *etag)
{
	FCGX_Request req;
	const struct answer *a;
	const char *inm;

	if (FCGX_Init() != 0 || FCGX_InitRequest(&req, 0, 0) != 0) {
		fputs("bare_fcgi: cannot initialise FastCGI\n", stderr);
		return;
	}
	while (FCGX_Accept_r(&req) >= 0) {
		/* A substring test is enough here: bench/run sends either no
		 * If-None-Match or exactly this tag. */
		inm = FCGX_GetParam("HTTP_IF_NONE_MATCH", req.envp);
		a = inm != NULL && strstr(inm, etag) != NULL ? nm : ok;
		drain(req.in);
		FCGX_PutStr(a->data, (int)a->len, req.out);
		FCGX_Finish_r(&req);
	}
}

int
main(void)
{
	const char *path = getenv("BARE_FILE"), *etag = getenv("BARE_ETAG");
	struct answer ok, nm;
	char tag[131], *body;
	size_t len;

	if (path == NULL || etag == NULL || etag[0] == '\0' ||
	    strlen(etag) > 128 || strchr(etag, '"') != NULL) {
		fputs("bare_fcgi: set BARE_FILE, and BARE_ETAG to a tag without "
		    "quotes\n", stderr);
		return 1;
	}
	snprintf(tag, sizeof(tag), "\"%s\"", etag);
	if ((body = slurp(path, &len)) == NULL)
		return 1;
	if (answers_build(&ok, &nm, body, len, tag) < 0) {
		fputs("bare_fcgi: out of memory\n", stderr);
		free(body);
		return 1;
	}
	free(body);
	serve(&ok, &nm, tag);
	free(ok.data);
	free(nm.data);
	return 0;
}
