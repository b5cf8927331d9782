/* Fuzz driver: the admin forms' defences (csrf.h) and their body reader
 * (http_read_body).  The bytes as a form token, which must never check
 * (no input forges the HMAC), as an Origin, a Referer and a Host, and as
 * a Content-Length and body, whose result must be a body of exactly the
 * announced length within the cap, or a refusal with none. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csrf.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const struct secret_key key = { { 7, 7, 7 } };

struct src {
	const char	*p;
	size_t		 left;
};

static ssize_t
src_read(void *ctx, char *out, size_t n)
{
	struct src *s = ctx;

	n = n < s->left ? n : s->left;
	memcpy(out, s->p, n);
	s->p += n;
	s->left -= n;
	return (ssize_t)n;
}

static void
try_body(const char *text, size_t size)
{
	const char *nl = memchr(text, '\n', size);
	char len[32], *body;
	const char *why;
	struct src s;
	struct request rq = { .read_body = src_read, .body_ctx = &s };
	size_t n = nl != NULL ? (size_t)(nl - text) : size, got = 0;
	int st;

	if (n >= sizeof(len))
		return;
	memcpy(len, text, n);
	len[n] = '\0';
	rq.content_length = len;
	s.p = nl != NULL ? nl + 1 : "";
	s.left = nl != NULL ? size - n - 1 : 0;
	st = http_read_body(&rq, 1024, &body, &got, &why);
	if (st == 0 && (got > 1024 || body == NULL || body[got] != '\0'))
		__builtin_trap();
	if (st != 0 && body != NULL)
		__builtin_trap();
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	const char *half;

	memcpy(text, data, size);
	text[size] = '\0';
	if (csrf_check(&key, "admin", "desk-1", text, 1796000000))
		__builtin_trap();
	half = text + strlen(text) / 2;
	(void)csrf_origin_ok(text, NULL, half);
	(void)csrf_origin_ok(NULL, text, "prov.example:8080");
	(void)csrf_origin_ok(text, text, text);
	try_body(text, strlen(text));
	free(text);
	return 0;
}
