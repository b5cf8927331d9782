/* profile.fcgi's handler end to end, in process: a request built by hand,
 * a config_state over a copy of the good fixture, and the response a
 * phone (or an attacker) would get. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_profile.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

#define UA_P1	"Cisco-CP-6841-3PCC/12.0.1 (001122334455)"
#define UA_P1_OLD "Cisco-CP-6841-3PCC/11.3.7 (001122334455)"
#define UA_P2	"Cisco-CP-6841-3PCC/12.0.1 (001122334466)"
#define UA_NEW	"Cisco-CP-6841-3PCC/12.0.1 (0011223344aa)"

/* Every secret in the good fixture, and the phone it belongs to (NULL:
 * common to all phones). */
static const struct {
	const char	*secret, *owner;
} secrets[] = {
	{ "secret-one-1001", "phone-01" },
	{ "secret-two-1002", "Reception" },
	{ "secret-three-1003", "warehouse" },
	{ "warehouse-admin", "warehouse" },
	{ "secret-four-1004", "spare" },
	{ "common-admin-secret", NULL },
};

static const char svc_discovery[] =
    "discovery:\n"
    "  enabled: true\n"
    "  exclude_macs: [\"00:11:22:33:44:66\"]\n"
    "ip_whitelist: [\"203.0.113.5\"]\n";
static const char svc_no_ua_check[] =
    "ua_mac_must_match: false\n"
    "ip_whitelist: [\"203.0.113.5\"]\n";

/* A state over a copy of the good fixture, serviceconfig.yml replaced
 * when `service` is set; state_free() removes the copy. */
struct fixture {
	struct app		app;
	char			dir[TU_DIR_MAX];
};

static void
state(struct fixture *f, const char *service)
{
	tu_copy_dir(GOOD, f->dir);
	if (service != NULL)
		tu_write(f->dir, "serviceconfig.yml", service);
	tu_app(&f->app, f->dir, f->dir, NULL);
	ck_assert_msg(f->app.cs.snap != NULL, "%s", f->app.cs.error);
}

static void
state_free(struct fixture *f)
{
	app_free(&f->app);
	tu_remove_dir(f->dir);
}

/* Runs one request; the log line's fields go into `log` (caller frees). */
static void
handle(struct app *app, const struct request *rq,
    struct response *rs, struct buf *log)
{
	struct logline l;

	response_init(rs);
	logline_start(&l, "test");
	app_profile_handle(app, rq, rs, &l);
	buf_init(log);
	buf_add(log, l.b.data, l.b.len);
	logline_discard(&l);
}

static const char *
header(const struct response *rs, const char *name, char *out, size_t n)
{
	const char *h = rs->headers.data, *end;
	size_t len = strlen(name);

	for (; h != NULL && *h != '\0'; h = strstr(h, "\r\n") + 2)
		if (strncmp(h, name, len) == 0 && h[len] == ':') {
			end = strstr(h, "\r\n");
			snprintf(out, n, "%.*s", (int)(end - h - len - 2),
			    h + len + 2);
			return out;
		}
	return NULL;
}

/* Nothing but the requested phone's own secrets, and common ones only in
 * a profile: in the body, and never any in the log line. */
static void
assert_no_leak(int line, const struct response *rs, const struct buf *log,
    const char *owner)
{
	const char *body = rs->body.data ? rs->body.data : "";

	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		int may = owner != NULL && (secrets[i].owner == NULL ||
		    strcmp(secrets[i].owner, owner) == 0);
		ck_assert_msg(may || strstr(body, secrets[i].secret) == NULL,
		    "line %d: body (status %d) holds '%s'", line, rs->status,
		    secrets[i].secret);
		ck_assert_msg(strstr(log->data, secrets[i].secret) == NULL,
		    "line %d: log holds '%s'", line, secrets[i].secret);
	}
}

static const struct {
	int		 line;
	const char	*service;	/* serviceconfig.yml, NULL: fixture's */
	const char	*method, *uri, *remote, *xff, *ua;
	int		 status;
	const char	*outcome;
	const char	*owner;		/* whose profile the 200 body is */
	const char	*body;		/* a fragment the body must hold */
} rows[] = {
	/* Every spelling of a phone's identifier. */
	{ __LINE__, NULL, "GET", "/001122334455.xml", "192.0.2.10", NULL, UA_P1,
	    200, "served", "phone-01",
	    "<Station_Name ua=\"na\">Desk One</Station_Name>" },
	{ __LINE__, NULL, "GET", "/00:11:22:33:44:55.xml", "192.0.2.10", NULL,
	    NULL, 200, "served", "phone-01", "secret-one-1001" },
	{ __LINE__, NULL, "GET", "/00-11-22-33-44-55.xml", "192.0.2.10", NULL,
	    NULL, 200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/00%3A11%3A22%3A33%3A44%3A55.xml",
	    "192.0.2.10", NULL, NULL, 200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/0011.2233.4455.xml", "192.0.2.10", NULL,
	    NULL, 200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/001122334455.xml?x=1", "192.0.2.10", NULL,
	    NULL, 200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.10", NULL, NULL,
	    200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/PHONE-01.xml", "192.0.2.10", NULL, NULL,
	    200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/FCH2201A0AA.xml", "192.0.2.10", NULL, NULL,
	    200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/reception.xml", "2001:db8::20", NULL, UA_P2,
	    200, "served", "Reception", "secret-two-1002" },
	{ __LINE__, NULL, "GET", "/spare-0001.xml", "203.0.113.5", NULL, NULL,
	    200, "served", "spare", "secret-four-1004" },
	/* Other methods. */
	{ __LINE__, NULL, "POST", "/001122334455.xml", "192.0.2.10", NULL,
	    NULL, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, "PUT", "/001122334455.xml", "192.0.2.10", NULL,
	    NULL, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, "DELETE", "/health", "192.0.2.10", NULL,
	    NULL, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, "get", "/001122334455.xml", "192.0.2.10", NULL,
	    NULL, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, NULL, "/001122334455.xml", "192.0.2.10", NULL,
	    NULL, 405, "bad_method", NULL, NULL },
	/* Identifiers that are no identifier. */
	{ __LINE__, NULL, "GET", "/../x.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/%2e%2e.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/%2e%2e/phone-01.xml", "192.0.2.10", NULL,
	    NULL, 400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/%2fetc%2fpasswd.xml", "192.0.2.10", NULL,
	    NULL, 400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01%00.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_path", NULL, NULL },
	{ __LINE__, NULL, "GET", "/%00.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_path", NULL, NULL },
	{ __LINE__, NULL, "GET", "/%zz.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_path", NULL, NULL },
	{ __LINE__, NULL, "GET", "/a b.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/.hidden.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/<script>.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/01:11:22:33:44:55.xml", "192.0.2.10", NULL,
	    NULL, 400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/000000000000.xml", "192.0.2.10", NULL,
	    NULL, 400, "bad_identifier", NULL, NULL },
	{ __LINE__, NULL, "GET", "/"
	    "01234567890123456789012345678901234567890123456789012345678901234"
	    ".xml", "192.0.2.10", NULL, NULL, 400, "bad_identifier", NULL,
	    NULL },
	/* 64 characters is a possible name, just not a known one. */
	{ __LINE__, NULL, "GET", "/"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    ".xml", "192.0.2.10", NULL, NULL, 404, "unknown_phone", NULL,
	    NULL },
	/* Not a profile path at all. */
	{ __LINE__, NULL, "GET", "/phone-01", "192.0.2.10", NULL, NULL,
	    404, "no_route", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.cfg", "192.0.2.10", NULL, NULL,
	    404, "no_route", NULL, NULL },
	{ __LINE__, NULL, "GET", "/", "192.0.2.10", NULL, NULL,
	    404, "no_route", NULL, NULL },
	{ __LINE__, NULL, "GET", "phone-01.xml", "192.0.2.10", NULL, NULL,
	    400, "bad_path", NULL, NULL },
	/* Unknown phones. */
	{ __LINE__, NULL, "GET", "/001122334499.xml", "192.0.2.10", NULL, NULL,
	    404, "unknown_phone", NULL, NULL },
	{ __LINE__, NULL, "GET", "/nobody.xml", "192.0.2.10", NULL, NULL,
	    404, "unknown_phone", NULL, NULL },
	/* Only known phones are steered to new firmware. */
	{ __LINE__, NULL, "GET", "/001122334499.xml", "192.0.2.10", NULL,
	    "Cisco-CP-6841-3PCC/11.3.7 (001122334499)", 404, "unknown_phone",
	    NULL, NULL },
	/* The wrong address. */
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.99", NULL, NULL,
	    403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.20", NULL, NULL,
	    403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "2001:db8::20", NULL, NULL,
	    403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/reception.xml", "2001:db8::21", NULL, NULL,
	    403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "203.0.113.5", NULL, NULL,
	    200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "garbage", NULL, NULL,
	    400, "bad_client_address", NULL, NULL },
	/* X-Forwarded-For, believed from the trusted proxy only. */
	{ __LINE__, NULL, "GET", "/phone-01.xml", "10.0.0.1", "192.0.2.10",
	    NULL, 200, "served", "phone-01", "Desk One" },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "10.0.0.1", "192.0.2.99",
	    NULL, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "10.0.0.1",
	    "192.0.2.10, 192.0.2.99", NULL, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.99", "192.0.2.10",
	    NULL, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "10.0.0.1", "garbage",
	    NULL, 400, "bad_client_address", NULL, NULL },
	/* A phone asking for another phone's file. */
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.10", NULL, UA_P2,
	    403, "ua_mismatch", NULL, NULL },
	{ __LINE__, NULL, "GET", "/reception.xml", "203.0.113.5", NULL, UA_P1,
	    403, "ua_mismatch", NULL, NULL },
	{ __LINE__, NULL, "GET", "/spare.xml", "203.0.113.5", NULL, UA_P1,
	    403, "ua_mismatch", NULL, NULL },
	/* A MAC no phone has may fetch a phone without one... */
	{ __LINE__, NULL, "GET", "/spare.xml", "203.0.113.5", NULL, UA_NEW,
	    200, "served", "spare", "Spare" },
	/* ...and the check can be switched off. */
	{ __LINE__, svc_no_ua_check, "GET", "/phone-01.xml", "192.0.2.10",
	    NULL, UA_P2, 200, "served", "phone-01", "Desk One" },
	/* Discovery: 404 for all but the excluded phones, whose profiles
	 * still go to their own addresses only. */
	{ __LINE__, svc_discovery, "GET", "/phone-01.xml", "192.0.2.10", NULL,
	    UA_P1, 404, "discovery", NULL, NULL },
	{ __LINE__, svc_discovery, "GET", "/spare.xml", "203.0.113.5", NULL,
	    NULL, 404, "discovery", NULL, NULL },
	{ __LINE__, svc_discovery, "GET", "/reception.xml", "192.0.2.20", NULL,
	    UA_P2, 200, "served", "Reception", "Reception" },
	{ __LINE__, svc_discovery, "GET", "/reception.xml", "192.0.2.99", NULL,
	    NULL, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, svc_discovery, "GET", "/nobody.xml", "192.0.2.20", NULL,
	    NULL, 404, "unknown_phone", NULL, NULL },
	/* Firmware: an older phone gets the upgrade document. */
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.10", NULL,
	    UA_P1_OLD, 200, "upgrade", "phone-01",
	    "<Upgrade_Rule ua=\"na\">http://fw.example.net/"
	    "sip68xx.12-0-1MPP0001-245.loads</Upgrade_Rule>" },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.99", NULL,
	    UA_P1_OLD, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, "GET", "/phone-01.xml", "192.0.2.10", NULL,
	    "Cisco-CP-6841-3PCC/12.0.2 (001122334455)", 200, "served",
	    "phone-01", "Desk One" },
	/* Health. */
	{ __LINE__, NULL, "GET", "/health", "192.0.2.99", NULL, NULL,
	    200, "health", NULL, "\"status\":\"ok\"" },
	{ __LINE__, NULL, "GET", "/health?verbose", "192.0.2.99", NULL, NULL,
	    200, "health", NULL, "\"phones\":4" },
};

START_TEST(test_rows)
{
	struct fixture f;
	struct request rq;
	struct response rs;
	struct buf log;
	const char *body;

	state(&f, rows[_i].service);
	memset(&rq, 0, sizeof(rq));
	rq.method = rows[_i].method;
	rq.uri = rows[_i].uri;
	rq.remote_addr = rows[_i].remote;
	rq.forwarded_for = rows[_i].xff;
	rq.user_agent = rows[_i].ua;
	handle(&f.app, &rq, &rs, &log);
	body = rs.body.data ? rs.body.data : "";
	ck_assert_msg(rs.status == rows[_i].status &&
	    strcmp(rs.outcome, rows[_i].outcome) == 0,
	    "line %d: %d %s: %s", rows[_i].line, rs.status, rs.outcome, body);
	if (rows[_i].body != NULL)
		ck_assert_msg(strstr(body, rows[_i].body) != NULL,
		    "line %d: body lacks '%s':\n%s", rows[_i].line,
		    rows[_i].body, body);
	assert_no_leak(rows[_i].line, &rs, &log, rows[_i].owner);
	if (rs.status == 200 && strcmp(rs.outcome, "health") != 0) {
		ck_assert_str_eq(rs.content_type,
		    "application/xml; charset=utf-8");
		ck_assert_int_eq(rs.omit_body, 0);
	} else if (rs.status >= 400) {
		/* A refusal says why in plain text, and no more. */
		ck_assert_str_eq(rs.content_type, "text/plain; charset=utf-8");
		ck_assert_ptr_null(strstr(body, "<"));
	}
	/* The log line carries the request, escaped. */
	if (rows[_i].method != NULL)
		ck_assert_ptr_nonnull(strstr(log.data, " method="));
	ck_assert_ptr_null(strchr(log.data, '\n'));
	response_free(&rs);
	buf_free(&log);
	state_free(&f);
}
END_TEST

START_TEST(test_405_allow)
{
	struct fixture f;
	struct request rq = { .method = "POST", .uri = "/phone-01.xml",
	    .remote_addr = "192.0.2.10" };
	struct response rs;
	struct buf log;
	char allow[64];

	state(&f, NULL);
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 405);
	ck_assert_ptr_nonnull(header(&rs, "Allow", allow, sizeof(allow)));
	ck_assert_str_eq(allow, "GET, HEAD");
	response_free(&rs);
	buf_free(&log);
	state_free(&f);
}
END_TEST

START_TEST(test_uri_too_long)
{
	struct fixture f;
	struct request rq = { .method = "GET", .remote_addr = "192.0.2.10" };
	struct response rs;
	struct buf log;
	char uri[URI_MAX + 16];

	state(&f, NULL);
	memset(uri, 'a', sizeof(uri));
	uri[0] = '/';
	memcpy(uri + sizeof(uri) - 5, ".xml", 5);
	rq.uri = uri;
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 414);
	/* The log keeps the head of it only. */
	ck_assert_uint_lt(log.len, 600);
	response_free(&rs);
	buf_free(&log);
	/* Shorter than URI_MAX, longer than any path. */
	uri[400] = '\0';
	memcpy(uri + 396, ".xml", 4);
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	response_free(&rs);
	buf_free(&log);
	/* No URI at all (a broken gateway) is a bad request, not a long one. */
	rq.uri = NULL;
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	response_free(&rs);
	buf_free(&log);
	state_free(&f);
}
END_TEST

/* The request, with If-None-Match set or not; returns the ETag. */
static void
get(struct app *app, const char *method, const char *ua,
    const char *inm, struct response *rs, char etag[64])
{
	struct request rq = { .method = method, .uri = "/phone-01.xml",
	    .remote_addr = "192.0.2.10", .user_agent = ua,
	    .if_none_match = inm };
	struct buf log;

	handle(app, &rq, rs, &log);
	buf_free(&log);
	if (header(rs, "ETag", etag, 64) == NULL)
		etag[0] = '\0';
}

START_TEST(test_conditional_get)
{
	struct fixture f;
	struct response rs;
	struct buf out;
	char etag[64], tag2[64], weak[80], list[160];
	size_t len;

	state(&f, NULL);
	get(&f.app, "GET", UA_P1, NULL, &rs, etag);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_uint_eq(strlen(etag), 18);
	ck_assert_int_eq(etag[0], '"');
	len = rs.body.len;
	response_free(&rs);

	/* The same tag every time. */
	get(&f.app, "GET", UA_P1, NULL, &rs, tag2);
	ck_assert_str_eq(tag2, etag);
	response_free(&rs);

	get(&f.app, "GET", UA_P1, etag, &rs, tag2);
	ck_assert_int_eq(rs.status, 304);
	ck_assert_str_eq(rs.outcome, "not_modified");
	ck_assert_str_eq(tag2, etag);
	buf_init(&out);
	response_serialize(&rs, &out);
	ck_assert_ptr_null(strstr(out.data, "Content-Length"));
	ck_assert_msg(strcmp(out.data + out.len - 4, "\r\n\r\n") == 0,
	    "304 has a body:\n%s", out.data);
	buf_free(&out);
	response_free(&rs);

	snprintf(weak, sizeof(weak), "W/%s", etag);
	get(&f.app, "GET", UA_P1, weak, &rs, tag2);
	ck_assert_int_eq(rs.status, 304);
	response_free(&rs);
	snprintf(list, sizeof(list), "\"other\", %s", etag);
	get(&f.app, "GET", UA_P1, list, &rs, tag2);
	ck_assert_int_eq(rs.status, 304);
	response_free(&rs);
	get(&f.app, "GET", UA_P1, "*", &rs, tag2);
	ck_assert_int_eq(rs.status, 304);
	response_free(&rs);
	get(&f.app, "HEAD", UA_P1, etag, &rs, tag2);
	ck_assert_int_eq(rs.status, 304);
	response_free(&rs);

	/* A stale tag gets the whole profile, same as without one. */
	get(&f.app, "GET", UA_P1, "\"0000000000000000\"", &rs, tag2);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_uint_eq(rs.body.len, len);
	ck_assert_str_eq(tag2, etag);
	response_free(&rs);

	/* The upgrade document has its own tag: a phone holding the
	 * profile's tag still gets told to upgrade. */
	get(&f.app, "GET", UA_P1_OLD, etag, &rs, tag2);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.outcome, "upgrade");
	ck_assert_str_ne(tag2, etag);
	response_free(&rs);
	get(&f.app, "GET", UA_P1_OLD, tag2, &rs, etag);
	ck_assert_int_eq(rs.status, 304);
	response_free(&rs);
	state_free(&f);
}
END_TEST

/* HEAD: the headers of the GET, Content-Length included, no body. */
START_TEST(test_head)
{
	struct fixture f;
	struct response rs;
	struct buf out, get_out;
	char etag[64], tag2[64], *blank;

	state(&f, NULL);
	get(&f.app, "GET", UA_P1, NULL, &rs, etag);
	buf_init(&get_out);
	response_serialize(&rs, &get_out);
	response_free(&rs);

	get(&f.app, "HEAD", UA_P1, NULL, &rs, tag2);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(tag2, etag);
	buf_init(&out);
	response_serialize(&rs, &out);
	blank = strstr(get_out.data, "\r\n\r\n");
	ck_assert_ptr_nonnull(blank);
	/* Byte for byte the GET's head, and nothing after it. */
	ck_assert_uint_eq(out.len, (size_t)(blank - get_out.data) + 4);
	ck_assert(memcmp(out.data, get_out.data, out.len) == 0);
	ck_assert_ptr_nonnull(strstr(out.data, "Content-Length: "));
	buf_free(&out);
	buf_free(&get_out);
	response_free(&rs);
	state_free(&f);
}
END_TEST

/* The upgrade reply carries no parameter of the phone's profile. */
START_TEST(test_upgrade_reply)
{
	struct fixture f;
	struct response rs;
	char etag[64];

	state(&f, NULL);
	get(&f.app, "GET", UA_P1_OLD, NULL, &rs, etag);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.outcome, "upgrade");
	ck_assert_ptr_nonnull(strstr(rs.body.data,
	    "<Upgrade_Enable ua=\"na\">Yes</Upgrade_Enable>"));
	ck_assert_ptr_null(strstr(rs.body.data, "Password"));
	ck_assert_ptr_null(strstr(rs.body.data, "Station_Name"));
	response_free(&rs);
	state_free(&f);
}
END_TEST

/* Parses a /health answer. */
static json_object *
health(struct app *app, const char *method, struct response *rs)
{
	struct request rq = { .method = method, .uri = "/health",
	    .remote_addr = "192.0.2.99" };
	struct buf log;
	json_object *o;

	handle(app, &rq, rs, &log);
	buf_free(&log);
	ck_assert_str_eq(rs->content_type, "application/json");
	o = json_tokener_parse(rs->body.data);
	ck_assert_msg(o != NULL, "not JSON: %s", rs->body.data);
	return o;
}

static json_object *
field(json_object *o, const char *key)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return v;
}

START_TEST(test_health)
{
	struct app app;
	struct response rs;
	json_object *o;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	tu_app(&app, dir, dir, NULL);
	o = health(&app, "GET", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(json_object_get_string(field(o, "status")), "ok");
	ck_assert(json_object_get_boolean(field(o, "config_loaded")));
	ck_assert_int_eq(json_object_get_int(field(o, "phones")), 4);
	ck_assert(json_object_is_type(field(o, "last_reload"),
	    json_type_string));
	ck_assert_ptr_null(field(o, "last_reload_error"));
	ck_assert(!json_object_get_boolean(field(o, "discovery_mode")));
	json_object_put(o);
	response_free(&rs);

	/* Broken on disk: still serving, and saying why. */
	tu_write(dir, "common.yml", "common:\n  a: 1\n b: 2\n");
	o = health(&app, "GET", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(json_object_get_string(field(o, "status")),
	    "degraded");
	ck_assert_int_eq(json_object_get_int(field(o, "phones")), 4);
	/* Open to anyone: where, not what (B3). */
	ck_assert_msg(strcmp(json_object_get_string(field(o,
	    "last_reload_error")), "common.yml:3") == 0, "%s",
	    rs.body.data);
	json_object_put(o);
	response_free(&rs);

	/* HEAD: no body, the same status. */
	{
		struct request rq = { .method = "HEAD", .uri = "/health",
		    .remote_addr = "192.0.2.99" };
		struct buf log, out;

		handle(&app, &rq, &rs, &log);
		buf_free(&log);
		ck_assert_int_eq(rs.status, 200);
		buf_init(&out);
		response_serialize(&rs, &out);
		ck_assert_ptr_null(strstr(out.data, "{"));
		buf_free(&out);
	}
	response_free(&rs);
	app_free(&app);
	tu_remove_dir(dir);
}
END_TEST

/* B3: a config file whose failing spot holds bytes of a private file (a
 * password hash, a password) or whose problem involves a path.  Neither
 * /health, nor the log line, nor the full message shows those bytes or an
 * absolute path; the anonymous /health names the file and line only, the
 * authenticated one and the log keep the message. */
static const struct {
	int		 line;
	const char	*file, *text;	/* text NULL: the file is removed */
	const char	*secret;	/* must appear nowhere */
	const char	*where;		/* anonymous /health */
	const char	*detail;	/* a part of the full message */
} leaks[] = {
	{ __LINE__, "phones.yml", "$6$rounds=5000$saltsalt$SECRETHASHabcdef:"
	    " x\nphones:\n  a:\n", "SECRETHASH", "phones.yml:1",
	    "unknown key (an invalid key) at the top" },
	{ __LINE__, "phones.yml", "phones:\n  \"pass word=hunter2!\":\n",
	    "hunter2", "phones.yml:2", "phone name (an invalid key)" },
	{ __LINE__, "common.yml", "common:\n  \"s3cr3t pw\": 1\n"
	    "  \"s3cr3t pw\": 2\n", "s3cr3t", "common.yml:3",
	    "duplicate key (an invalid key)" },
	{ __LINE__, "phones.yml", "phones:\n  desk:\n    mac: \"pw:hunter2\"\n",
	    "hunter2", "phones.yml:3", "(an invalid key) is not a phone MAC" },
	{ __LINE__, "serviceconfig.yml", "\"root:$6$SECRET$x\": 1\n", "SECRET",
	    "serviceconfig.yml:1", "unknown key (an invalid key) in" },
	{ __LINE__, "common.yml", NULL, NULL, "common.yml",
	    "common.yml: missing" },
};

static struct buf leak_log;

static void
leak_sink(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	buf_add(&leak_log, line, n);
}

START_TEST(test_health_no_file_bytes)
{
	struct fixture f;
	struct response rs;
	struct request rq = { .method = "GET", .uri = "/health",
	    .remote_addr = "192.0.2.99" };
	const char *where, *body;
	struct buf log;
	json_object *o;

	state(&f, NULL);
	if (leaks[_i].text != NULL)
		tu_write(f.dir, leaks[_i].file, leaks[_i].text);
	else {
		char path[TU_DIR_MAX + 64];
		snprintf(path, sizeof(path), "%s/%s", f.dir, leaks[_i].file);
		ck_assert_int_eq(unlink(path), 0);
	}
	buf_init(&leak_log);
	log_set_sink(leak_sink, NULL);
	o = health(&f.app, "GET", &rs);
	log_set_sink(NULL, NULL);
	body = rs.body.data;
	where = json_object_get_string(field(o, "last_reload_error"));
	ck_assert_msg(where != NULL && strcmp(where, leaks[_i].where) == 0,
	    "line %d: /health says %s", leaks[_i].line, body);
	ck_assert_msg(strstr(f.app.cs.error, leaks[_i].detail) != NULL,
	    "line %d: error '%s'", leaks[_i].line, f.app.cs.error);
	ck_assert_msg(leak_log.data != NULL && strstr(leak_log.data,
	    leaks[_i].detail) != NULL, "line %d: log '%s'", leaks[_i].line,
	    leak_log.data);
	ck_assert_msg(strstr(body, f.dir) == NULL && strstr(f.app.cs.error,
	    f.dir) == NULL && strstr(leak_log.data, f.dir) == NULL,
	    "line %d: a path: %s / %s", leaks[_i].line, body, f.app.cs.error);
	if (leaks[_i].secret != NULL)
		ck_assert_msg(strstr(body, leaks[_i].secret) == NULL &&
		    strstr(f.app.cs.error, leaks[_i].secret) == NULL &&
		    strstr(leak_log.data, leaks[_i].secret) == NULL,
		    "line %d: leaked: %s / %s", leaks[_i].line, body,
		    leak_log.data);
	json_object_put(o);
	response_free(&rs);

	/* A user the web server authenticated gets the message, still
	 * without the bytes. */
	rq.remote_user = "admin";
	handle(&f.app, &rq, &rs, &log);
	ck_assert_msg(strstr(rs.body.data, leaks[_i].detail) != NULL,
	    "line %d: %s", leaks[_i].line, rs.body.data);
	if (leaks[_i].secret != NULL)
		ck_assert_ptr_null(strstr(rs.body.data, leaks[_i].secret));
	response_free(&rs);
	buf_free(&log);
	buf_free(&leak_log);
	state_free(&f);
}
END_TEST

/* A6: the warnings of the snapshot on /health: where each one is for
 * anyone, the whole message for an authenticated user. */
START_TEST(test_health_warnings)
{
	struct fixture f;
	struct response rs;
	struct request rq = { .method = "GET", .uri = "/health",
	    .remote_addr = "192.0.2.99", .remote_user = "admin" };
	struct buf log;
	json_object *o, *w;

	state(&f, NULL);
	o = health(&f.app, "GET", &rs);
	ck_assert_int_eq(json_object_get_int(field(o, "warnings_total")), 0);
	ck_assert_uint_eq(json_object_array_length(field(o, "warnings")), 0);
	json_object_put(o);
	response_free(&rs);

	tu_write(f.dir, "phones.yml", "phones:\n  desk:\n"
	    "    mac: \"00:11:22:33:44:55\"\n    ip_adress: 192.0.2.10\n");
	o = health(&f.app, "GET", &rs);
	ck_assert_str_eq(json_object_get_string(field(o, "status")), "ok");
	ck_assert_int_eq(json_object_get_int(field(o, "warnings_total")), 1);
	w = field(o, "warnings");
	ck_assert_uint_eq(json_object_array_length(w), 1);
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(w,
	    0)), "phones.yml:4");
	ck_assert_ptr_null(strstr(rs.body.data, "ip_adress"));
	json_object_put(o);
	response_free(&rs);

	handle(&f.app, &rq, &rs, &log);
	o = json_tokener_parse(rs.body.data);
	ck_assert_ptr_nonnull(o);
	w = field(o, "warnings");
	ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(w,
	    0)), "phones.yml:4: phone 'desk': unknown key 'ip_adress', sent "
	    "to the phone as a parameter (did you mean 'ip_address'?)");
	json_object_put(o);
	response_free(&rs);
	buf_free(&log);
	state_free(&f);
}
END_TEST

/* Nothing could ever be loaded: /health says so with 503, and every
 * profile request is a 503 too (never an empty profile). */
START_TEST(test_no_config)
{
	struct app app;
	struct request rq = { .method = "GET", .uri = "/phone-01.xml",
	    .remote_addr = "192.0.2.10" };
	struct response rs;
	struct buf log;
	json_object *o;

	tu_app(&app, "/nonexistent/etc", "/nonexistent/etc", NULL);
	o = health(&app, "GET", &rs);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_str_eq(json_object_get_string(field(o, "status")),
	    "unavailable");
	ck_assert(!json_object_get_boolean(field(o, "config_loaded")));
	ck_assert_int_eq(json_object_get_int(field(o, "phones")), 0);
	ck_assert_ptr_null(field(o, "last_reload"));
	ck_assert_ptr_nonnull(strstr(json_object_get_string(field(o,
	    "last_reload_error")), "phones.yml"));
	json_object_put(o);
	response_free(&rs);

	handle(&app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_str_eq(rs.outcome, "no_config");
	response_free(&rs);
	buf_free(&log);
	/* A bad identifier is still a 400: it is wrong whatever the
	 * configuration. */
	rq.uri = "/../x.xml";
	handle(&app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	response_free(&rs);
	buf_free(&log);
	app_free(&app);
}
END_TEST

/* Untrusted bytes in the request never break the log line. */
START_TEST(test_log_escaped)
{
	struct fixture f;
	struct request rq = { .method = "GET",
	    .uri = "/x\"y%0a.xml?a=\nb c", .remote_addr = "192.0.2.10",
	    .user_agent = "evil\r\nline" };
	struct response rs;
	struct buf log;

	state(&f, NULL);
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_ptr_null(strchr(log.data, '\n'));
	ck_assert_ptr_null(strchr(log.data, '"'));
	ck_assert_ptr_nonnull(strstr(log.data, "uri=/x\\x22y%0a.xml?a\\x3d\\x0ab"
	    "\\x20c"));
	response_free(&rs);
	buf_free(&log);

	/* A phone found by any spelling is logged by its canonical key. */
	rq.uri = "/00-11-22-33-44-55.xml";
	rq.user_agent = UA_P1;
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(log.data, " ident=001122334455"));
	ck_assert_ptr_nonnull(strstr(log.data, " phone=phone-01"));
	response_free(&rs);
	buf_free(&log);

	/* A refusal for the address names the address. */
	rq.remote_addr = "::ffff:192.0.2.99";
	handle(&f.app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_ptr_nonnull(strstr(log.data, " client_ip=192.0.2.99"));
	response_free(&rs);
	buf_free(&log);
	state_free(&f);
}
END_TEST

/* Two Snom phones behind one address (NAT, or the `fleet` and `off`
 * address rules), from the golden fleet of tests/data/vendors plus
 * phone B.  Snom firmware 10.1.169 and later puts its build date in
 * parentheses before the MAC (the User-Agent FusionPBX documents in
 * app/provision/index.php, https://github.com/fusionpbx/fusionpbx); the
 * old parser stopped at that ")", never saw phone A's MAC, and served
 * phone A phone B's file with B's SIP and admin passwords. */
#define FLEET	"tests/data/vendors/fleet"
#define SNOM_B	"  snom-b:\n" \
    "    mac: \"00:04:13:aa:bb:0b\"\n" \
    "    ip_address: 127.0.0.1\n" \
    "    vendor: snom\n" \
    "    model: D785\n" \
    "    accounts:\n" \
    "      - {line: 1, display_name: \"B\", label: \"2099\", user: " \
    "\"2099\", password: \"pw-snom-b-secret\"}\n"
#define UA_SNOM(mac) "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 " \
    "2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) " mac \
    " SXM:0 UXM:0 UXMC:0)"

static const struct {
	int		 line;
	const char	*ua;
	int		 status;
	const char	*outcome, *log;
} snom_rows[] = {
	/* Phone A's User-Agent asking for phone B's settings. */
	{ __LINE__, UA_SNOM("000413AABB02"), 403, "ua_mismatch",
	    "ua_mac=000413aabb02" },
	/* The same without the build date, the shape the old parser knew. */
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 "
	    "2010.12-00004-g9ba52f5 000413AABB02 SXM:0 UXM:0)", 403,
	    "ua_mismatch", "ua_mac=000413aabb02" },
	/* A MAC field that names no phone is no "MAC absent". */
	{ __LINE__, UA_SNOM("010000000001"), 403, "ua_mismatch",
	    "ua_mac=unreadable" },
	{ __LINE__, UA_SNOM("000413AABB0B 000413AABB02"), 403, "ua_mismatch",
	    "ua_mac=unreadable" },
	/* Phone B itself, and a Snom that sends no MAC at all. */
	{ __LINE__, UA_SNOM("000413AABB0B"), 200, "served", NULL },
	{ __LINE__, "Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)",
	    200, "served", NULL },
};

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = calloc(1, 1 << 16);
	size_t n;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(s);
	n = fread(s, 1, (1 << 16) - 1, f);
	ck_assert_uint_lt(n, (1 << 16) - 1);
	fclose(f);
	return s;
}

START_TEST(test_snom_other_phones_file)
{
	struct app app;
	struct request rq = { .method = "GET", .uri = "/000413AABB0B.xml",
	    .remote_addr = "127.0.0.1" };
	struct response rs;
	struct buf log;
	char dir[TU_DIR_MAX], path[TU_DIR_MAX + 16], *phones, *both;

	tu_copy_dir(FLEET, dir);
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	phones = slurp(path);
	both = calloc(1, strlen(phones) + sizeof(SNOM_B));
	ck_assert_ptr_nonnull(both);
	strcat(strcpy(both, phones), SNOM_B);
	tu_write(dir, "phones.yml", both);
	free(both);
	free(phones);
	tu_app(&app, dir, "schema", NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < sizeof(snom_rows) / sizeof(snom_rows[0]); i++) {
		rq.user_agent = snom_rows[i].ua;
		handle(&app, &rq, &rs, &log);
		ck_assert_msg(rs.status == snom_rows[i].status &&
		    strcmp(rs.outcome, snom_rows[i].outcome) == 0,
		    "line %d: %d %s, want %d %s", snom_rows[i].line, rs.status,
		    rs.outcome, snom_rows[i].status, snom_rows[i].outcome);
		ck_assert_msg(snom_rows[i].log == NULL ||
		    strstr(log.data, snom_rows[i].log) != NULL,
		    "line %d: log '%s' lacks %s", snom_rows[i].line, log.data,
		    snom_rows[i].log);
		ck_assert_msg((rs.status == 200) == (rs.body.data != NULL &&
		    strstr(rs.body.data, "pw-snom-b-secret") != NULL),
		    "line %d: B's password in the body iff served",
		    snom_rows[i].line);
		response_free(&rs);
		buf_free(&log);
	}
	app_free(&app);
	tu_remove_dir(dir);
}
END_TEST

Suite *app_profile_suite(void);

Suite *
app_profile_suite(void)
{
	Suite *s = suite_create("app_profile");
	TCase *tc = tcase_create("requests");

	tcase_add_loop_test(tc, test_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_405_allow);
	tcase_add_test(tc, test_uri_too_long);
	tcase_add_test(tc, test_conditional_get);
	tcase_add_test(tc, test_head);
	tcase_add_test(tc, test_upgrade_reply);
	tcase_add_test(tc, test_log_escaped);
	tcase_add_test(tc, test_snom_other_phones_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("health");
	tcase_add_test(tc, test_health);
	tcase_add_test(tc, test_health_warnings);
	tcase_add_test(tc, test_no_config);
	tcase_add_loop_test(tc, test_health_no_file_bytes, 0,
	    (int)(sizeof(leaks) / sizeof(leaks[0])));
	suite_add_tcase(s, tc);
	return s;
}
