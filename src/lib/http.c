#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "text.h"

static const struct {
	int		 code;
	const char	*text;
} statuses[] = {
	{ 200, "OK" }, { 201, "Created" }, { 204, "No Content" },
	{ 304, "Not Modified" },
	{ 400, "Bad Request" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
	{ 404, "Not Found" }, { 405, "Method Not Allowed" },
	{ 409, "Conflict" }, { 411, "Length Required" },
	{ 412, "Precondition Failed" }, { 413, "Content Too Large" },
	{ 414, "URI Too Long" }, { 415, "Unsupported Media Type" },
	{ 422, "Unprocessable Content" }, { 428, "Precondition Required" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
	{ 507, "Insufficient Storage" },
};

const char *
http_status_text(int status)
{
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].code == status)
			return statuses[i].text;
	return "Internal Server Error";
}

void
response_init(struct response *rs)
{
	rs->status = 500;
	rs->content_type = NULL;
	buf_init(&rs->headers);
	buf_init(&rs->body);
	rs->omit_body = 0;
	rs->outcome = "error";
}

void
response_free(struct response *rs)
{
	buf_free(&rs->headers);
	buf_free(&rs->body);
}

void
response_header(struct response *rs, const char *name, const char *value)
{
	buf_printf(&rs->headers, "%s: %s\r\n", name, value);
}

void
response_error(struct response *rs, int status, const char *outcome,
    const char *message)
{
	rs->status = status;
	rs->outcome = outcome;
	rs->content_type = "text/plain; charset=utf-8";
	buf_reset(&rs->body);
	buf_printf(&rs->body, "%d %s: %s\n", status, http_status_text(status),
	    message);
}

int
response_serialize_head(const struct response *rs, struct buf *out)
{
	buf_printf(out, "Status: %d %s\r\n", rs->status,
	    http_status_text(rs->status));
	if (rs->content_type != NULL)
		buf_printf(out, "Content-Type: %s\r\n", rs->content_type);
	if (rs->status != 304 && rs->status != 204)
		buf_printf(out, "Content-Length: %zu\r\n", rs->body.len);
	if (rs->headers.len > 0)
		buf_add(out, rs->headers.data, rs->headers.len);
	buf_adds(out, "\r\n");
	return !rs->omit_body && rs->status != 304 && rs->status != 204 &&
	    rs->body.len > 0;
}

void
response_serialize(const struct response *rs, struct buf *out)
{
	if (response_serialize_head(rs, out))
		buf_add(out, rs->body.data, rs->body.len);
}

int
uri_path_decode(const char *uri, char *out, size_t outsz)
{
	size_t o = 0;
	int hi, lo;

	if (uri == NULL || uri[0] != '/')
		return -1;
	for (const char *p = uri; *p != '\0' && *p != '?' && *p != '#'; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			if ((hi = hex_value((unsigned char)p[1])) < 0 ||
			    (lo = hex_value((unsigned char)p[2])) < 0)
				return -1;
			c = hi * 16 + lo;
			p += 2;
		}
		if (c == 0 || o + 1 >= outsz)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* Compares one list member with the tag, ignoring a weak W/ prefix. */
static int
tag_equal(const char *p, size_t n, const char *etag)
{
	if (n >= 2 && p[0] == 'W' && p[1] == '/') {
		p += 2;
		n -= 2;
	}
	return n == strlen(etag) && memcmp(p, etag, n) == 0;
}

int
etag_matches(const char *inm, const char *etag)
{
	const char *p = inm, *start;

	if (inm == NULL)
		return 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '*')
			return 1;
		start = p;
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0;	/* malformed: treat as no match */
		p = strchr(p + 1, '"');
		if (p == NULL)
			return 0;
		p++;
		if (tag_equal(start, (size_t)(p - start), etag))
			return 1;
	}
	return 0;
}
