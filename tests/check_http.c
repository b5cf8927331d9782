/* Request paths, entity tags and CGI responses. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

static const struct {
	int		 line;
	const char	*uri;
	const char	*path;	/* NULL: refused */
} paths[] = {
	{ __LINE__, "/001122aabbcc.xml", "/001122aabbcc.xml" },
	{ __LINE__, "/phone-01.xml?x=1&y=2", "/phone-01.xml" },
	{ __LINE__, "/x.xml?a=%00", "/x.xml" },
	{ __LINE__, "/x.xml?%zz", "/x.xml" },
	{ __LINE__, "/x.xml#frag", "/x.xml" },
	{ __LINE__, "/%2e%2e/x.xml", "/../x.xml" },
	{ __LINE__, "/%2E%2E%2fetc%2Fpasswd", "/../etc/passwd" },
	{ __LINE__, "/a%2e%2e.xml", "/a...xml" },
	{ __LINE__, "/%3f.xml", "/?.xml" },
	{ __LINE__, "/%41%42", "/AB" },
	{ __LINE__, "/a+b", "/a+b" },
	{ __LINE__, "/%ff", "/\xff" },
	{ __LINE__, "/", "/" },
	{ __LINE__, "/?", "/" },
	{ __LINE__, "/%00.xml", NULL },
	{ __LINE__, "/x%00", NULL },
	{ __LINE__, "/%", NULL },
	{ __LINE__, "/%0", NULL },
	{ __LINE__, "/%g0", NULL },
	{ __LINE__, "/%0g", NULL },
	{ __LINE__, "/%%41", NULL },
	{ __LINE__, "", NULL },
	{ __LINE__, "x.xml", NULL },
	{ __LINE__, "http://host/x.xml", NULL },
	{ __LINE__, "?x", NULL },
};

START_TEST(test_uri_path_decode)
{
	char out[64];
	int rc = uri_path_decode(paths[_i].uri, out, sizeof(out));

	if (paths[_i].path == NULL) {
		ck_assert_msg(rc < 0, "line %d: '%s' accepted as '%s'",
		    paths[_i].line, paths[_i].uri, out);
		return;
	}
	ck_assert_msg(rc == 0, "line %d: '%s' refused", paths[_i].line,
	    paths[_i].uri);
	ck_assert_msg(strcmp(out, paths[_i].path) == 0,
	    "line %d: '%s' decoded as '%s'", paths[_i].line, paths[_i].uri,
	    out);
}
END_TEST

START_TEST(test_uri_path_decode_null)
{
	char out[8];

	ck_assert_int_lt(uri_path_decode(NULL, out, sizeof(out)), 0);
}
END_TEST

/* The limit counts decoded bytes plus the NUL. */
START_TEST(test_uri_path_decode_length)
{
	char out[8];

	ck_assert_int_eq(uri_path_decode("/abcdef", out, sizeof(out)), 0);
	ck_assert_str_eq(out, "/abcdef");
	ck_assert_int_lt(uri_path_decode("/abcdefg", out, sizeof(out)), 0);
	ck_assert_int_eq(uri_path_decode("/%61%62%63%64%65%66", out,
	    sizeof(out)), 0);
	ck_assert_str_eq(out, "/abcdef");
	ck_assert_int_lt(uri_path_decode("/%61%62%63%64%65%66%67", out,
	    sizeof(out)), 0);
	/* The query does not count. */
	ck_assert_int_eq(uri_path_decode("/abc?0123456789", out, sizeof(out)),
	    0);
	ck_assert_str_eq(out, "/abc");
}
END_TEST

#define TAG	"\"00112233aabbccdd\""

static const struct {
	int		 line;
	const char	*inm;
	int		 want;
} tags[] = {
	{ __LINE__, TAG, 1 },
	{ __LINE__, "W/" TAG, 1 },
	{ __LINE__, "  " TAG "  ", 1 },
	{ __LINE__, "\"other\", " TAG, 1 },
	{ __LINE__, "\"other\"," TAG, 1 },
	{ __LINE__, "W/\"other\", W/" TAG, 1 },
	{ __LINE__, TAG ", \"other\"", 1 },
	{ __LINE__, "*", 1 },
	{ __LINE__, "\"other\", *", 1 },
	{ __LINE__, "", 0 },
	{ __LINE__, "\"other\"", 0 },
	{ __LINE__, "\"00112233aabbccd\"", 0 },
	{ __LINE__, "\"00112233aabbccdde\"", 0 },
	{ __LINE__, "00112233aabbccdd", 0 },
	{ __LINE__, "\"00112233aabbccdd", 0 },
	{ __LINE__, "w/" TAG, 0 },
	{ __LINE__, "W/", 0 },
	{ __LINE__, "W/00112233aabbccdd", 0 },
	{ __LINE__, ",,,", 0 },
	/* A malformed member ends the list: no match after it. */
	{ __LINE__, "garbage, " TAG, 0 },
};

START_TEST(test_etag_matches)
{
	ck_assert_msg(etag_matches(tags[_i].inm, TAG) == tags[_i].want,
	    "line %d: If-None-Match '%s' should %smatch", tags[_i].line,
	    tags[_i].inm, tags[_i].want ? "" : "not ");
}
END_TEST

START_TEST(test_etag_matches_null)
{
	ck_assert_int_eq(etag_matches(NULL, TAG), 0);
}
END_TEST

/* Serializes rs into a fresh string (caller frees the buf). */
static void
serialize(const struct response *rs, struct buf *out)
{
	buf_init(out);
	response_serialize(rs, out);
}

START_TEST(test_serialize_200)
{
	struct response rs;
	struct buf out;

	response_init(&rs);
	rs.status = 200;
	rs.content_type = "application/xml; charset=utf-8";
	response_header(&rs, "ETag", TAG);
	buf_adds(&rs.body, "<flat-profile/>\n");
	serialize(&rs, &out);
	ck_assert_str_eq(out.data, "Status: 200 OK\r\n"
	    "Content-Type: application/xml; charset=utf-8\r\n"
	    "Content-Length: 16\r\n"
	    "ETag: " TAG "\r\n"
	    "\r\n"
	    "<flat-profile/>\n");
	buf_free(&out);
	response_free(&rs);
}
END_TEST

/* HEAD: the headers of a GET, Content-Length included, and no body. */
START_TEST(test_serialize_head)
{
	struct response rs;
	struct buf out;

	response_init(&rs);
	rs.status = 200;
	rs.content_type = "application/xml; charset=utf-8";
	buf_adds(&rs.body, "<flat-profile/>\n");
	rs.omit_body = 1;
	serialize(&rs, &out);
	ck_assert_str_eq(out.data, "Status: 200 OK\r\n"
	    "Content-Type: application/xml; charset=utf-8\r\n"
	    "Content-Length: 16\r\n"
	    "\r\n");
	buf_free(&out);
	response_free(&rs);
}
END_TEST

/* 304 has neither body nor Content-Length, even when a body was built. */
START_TEST(test_serialize_304)
{
	struct response rs;
	struct buf out;

	response_init(&rs);
	rs.status = 304;
	response_header(&rs, "ETag", TAG);
	buf_adds(&rs.body, "<flat-profile/>\n");
	serialize(&rs, &out);
	ck_assert_str_eq(out.data, "Status: 304 Not Modified\r\n"
	    "ETag: " TAG "\r\n"
	    "\r\n");
	ck_assert_ptr_null(strstr(out.data, "Content-Length"));
	buf_free(&out);
	response_free(&rs);
}
END_TEST

START_TEST(test_serialize_error)
{
	struct response rs;
	struct buf out;

	response_init(&rs);
	ck_assert_int_eq(rs.status, 500);
	response_error(&rs, 405, "bad_method", "use GET or HEAD");
	response_header(&rs, "Allow", "GET, HEAD");
	ck_assert_str_eq(rs.outcome, "bad_method");
	serialize(&rs, &out);
	ck_assert_str_eq(out.data, "Status: 405 Method Not Allowed\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: 40\r\n"
	    "Allow: GET, HEAD\r\n"
	    "\r\n"
	    "405 Method Not Allowed: use GET or HEAD\n");
	buf_free(&out);
	/* A second error replaces the first body. */
	response_error(&rs, 404, "unknown_phone", "no phone");
	ck_assert_str_eq(rs.body.data, "404 Not Found: no phone\n");
	response_free(&rs);
}
END_TEST

START_TEST(test_serialize_empty_body)
{
	struct response rs;
	struct buf out;

	response_init(&rs);
	rs.status = 200;
	serialize(&rs, &out);
	ck_assert_str_eq(out.data, "Status: 200 OK\r\nContent-Length: 0\r\n"
	    "\r\n");
	buf_free(&out);
	response_free(&rs);
}
END_TEST

START_TEST(test_status_text)
{
	ck_assert_str_eq(http_status_text(200), "OK");
	ck_assert_str_eq(http_status_text(304), "Not Modified");
	ck_assert_str_eq(http_status_text(400), "Bad Request");
	ck_assert_str_eq(http_status_text(403), "Forbidden");
	ck_assert_str_eq(http_status_text(404), "Not Found");
	ck_assert_str_eq(http_status_text(414), "URI Too Long");
	ck_assert_str_eq(http_status_text(503), "Service Unavailable");
	ck_assert_str_eq(http_status_text(418), "Internal Server Error");
}
END_TEST

/* A body source that hands out at most `chunk` bytes a read and counts
 * the reads: a refusal on the length must come before the first. */
struct src {
	const char	*p;
	size_t		 left, chunk;
	int		 reads;
};

static ssize_t
src_read(void *ctx, char *out, size_t n)
{
	struct src *b = ctx;

	b->reads++;
	if (n > b->left)
		n = b->left;
	if (n > b->chunk)
		n = b->chunk;
	memcpy(out, b->p, n);
	b->p += n;
	b->left -= n;
	return (ssize_t)n;
}

static const struct {
	int		 line;
	const char	*length;	/* Content-Length; NULL: none */
	const char	*body;		/* what the client sends */
	size_t		 cap;
	int		 status;
	const char	*outcome;	/* NULL on success */
	int		 reads;		/* -1: any */
} bodies[] = {
	{ __LINE__, "5", "hello", 5, 0, NULL, -1 },
	{ __LINE__, "5", "hello, and more", 64, 0, NULL, -1 },
	{ __LINE__, NULL, "hello", 64, 411, "no_length", 0 },
	{ __LINE__, "", "hello", 64, 400, "bad_length", 0 },
	{ __LINE__, "-5", "hello", 64, 400, "bad_length", 0 },
	{ __LINE__, "+5", "hello", 64, 400, "bad_length", 0 },
	{ __LINE__, " 5", "hello", 64, 400, "bad_length", 0 },
	{ __LINE__, "5x", "hello", 64, 400, "bad_length", 0 },
	{ __LINE__, "1234567890123456789", "hello", 64, 400, "bad_length",
	    0 },
	/* Over the cap: refused before a byte is read. */
	{ __LINE__, "6", "hello!", 5, 413, "too_large", 0 },
	{ __LINE__, "999999999999999999", "hello", 65536, 413, "too_large",
	    0 },
	{ __LINE__, "0", "", 64, 400, "empty_body", 0 },
	{ __LINE__, "10", "hello", 64, 400, "bad_body", -1 },
};

START_TEST(test_read_body)
{
	struct src b = { bodies[_i].body, strlen(bodies[_i].body), 2, 0 };
	struct request rq = { .content_length = bodies[_i].length,
	    .read_body = src_read, .body_ctx = &b };
	const char *outcome = NULL;
	char *body = (char *)1;
	size_t len = 99;
	int st = http_read_body(&rq, bodies[_i].cap, &body, &len, &outcome);

	ck_assert_msg(st == bodies[_i].status, "line %d: %d",
	    bodies[_i].line, st);
	if (bodies[_i].reads >= 0)
		ck_assert_msg(b.reads == bodies[_i].reads, "line %d: %d "
		    "reads", bodies[_i].line, b.reads);
	if (st != 0) {
		ck_assert_str_eq(outcome, bodies[_i].outcome);
		ck_assert_ptr_null(body);
		return;
	}
	/* Exactly the announced bytes, in chunks of two, NUL-terminated. */
	ck_assert_uint_eq(len, 5);
	ck_assert_str_eq(body, "hello");
	ck_assert_int_eq(b.reads, 3);
	free(body);
}
END_TEST

/* A request without a body reader has nothing to read. */
START_TEST(test_read_body_no_reader)
{
	struct request rq = { .content_length = "5" };
	const char *outcome = NULL;
	char *body;
	size_t len;

	ck_assert_int_eq(http_read_body(&rq, 64, &body, &len, &outcome), 400);
	ck_assert_str_eq(outcome, "empty_body");
}
END_TEST

Suite *http_suite(void);

Suite *
http_suite(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("path");

	tcase_add_loop_test(tc, test_uri_path_decode, 0,
	    (int)(sizeof(paths) / sizeof(paths[0])));
	tcase_add_test(tc, test_uri_path_decode_null);
	tcase_add_test(tc, test_uri_path_decode_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("etag");
	tcase_add_loop_test(tc, test_etag_matches, 0,
	    (int)(sizeof(tags) / sizeof(tags[0])));
	tcase_add_test(tc, test_etag_matches_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("response");
	tcase_add_test(tc, test_serialize_200);
	tcase_add_test(tc, test_serialize_head);
	tcase_add_test(tc, test_serialize_304);
	tcase_add_test(tc, test_serialize_error);
	tcase_add_test(tc, test_serialize_empty_body);
	tcase_add_test(tc, test_status_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("body");
	tcase_add_loop_test(tc, test_read_body, 0,
	    (int)(sizeof(bodies) / sizeof(bodies[0])));
	tcase_add_test(tc, test_read_body_no_reader);
	suite_add_tcase(s, tc);
	return s;
}
