/* api.fcgi's handler in-process: routes, statuses, preconditions, bodies
 * capped before reading, secrets never in an answer.  Over a copy of the
 * vendor fixture (no serviceconfig.yml: auth off, everyone is admin). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app_api.h"
#include "devstore.h"
#include "testutil.h"

#define VETC	"tests/data/vendors/etc"
#define VSCHEMA	"tests/data/vendors/schema"

struct body {
	const char	*p;
	size_t		 left;
	int		 reads;
};

static ssize_t
body_read(void *ctx, char *out, size_t n)
{
	struct body *b = ctx;

	b->reads++;
	if (n > b->left)
		n = b->left;
	memcpy(out, b->p, n);
	b->p += n;
	b->left -= n;
	return (ssize_t)n;
}

static char	 etc[TU_DIR_MAX];
static struct app app;

static void
setup(void)
{
	char sub[128];

	tu_copy_dir(VETC, etc);
	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR, etc);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	tu_app(&app, etc, VSCHEMA, NULL);
}

static void
teardown(void)
{
	char **ids, sub[128];
	size_t n = devstore_list(etc, &ids);

	for (size_t i = 0; i < n; i++) {
		devstore_remove(etc, ids[i]);
		free(ids[i]);
	}
	free(ids);
	app_free(&app);
	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR "/.lock", etc);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR, etc);
	rmdir(sub);
	tu_remove_dir(etc);
}

/* One request; the answer in rs (caller frees). */
static struct body
call(struct response *rs, const char *method, const char *uri,
    const char *body, const char *if_match, const char *length)
{
	struct body b = { body ? body : "", body ? strlen(body) : 0, 0 };
	char cl[32];
	struct logline log;
	struct request rq = {
		.method = method, .uri = uri, .host = "prov.example",
		.content_type = "application/json", .if_match = if_match,
		.read_body = body_read, .body_ctx = &b,
	};

	snprintf(cl, sizeof(cl), "%zu", b.left);
	rq.content_length = length ? length : body ? cl : NULL;
	response_init(rs);
	logline_start(&log, "test");
	app_api_handle(&app, &rq, rs, &log);
	logline_discard(&log);
	buf_addc(&rs->body, '\0');
	return b;
}

static const char *
header(struct response *rs, const char *name, char *out, size_t n)
{
	const char *h = rs->headers.data ? strstr(rs->headers.data, name) :
	    NULL;

	if (h == NULL)
		return NULL;
	h += strlen(name) + 2;
	snprintf(out, n, "%.*s", (int)strcspn(h, "\r"), h);
	return out;
}

#define DEV	"{\"vendor\":\"acme\",\"model\":\"X1\",\"mac\":\"00a0b0000077\"," \
		"\"accounts\":[{\"line\":1,\"user\":\"7\",\"password\":\"pw-77\"}]}"

START_TEST(test_lifecycle)
{
	struct response rs;
	char et[64], et2[64];

	call(&rs, "PUT", "/api/v1/devices/d7", DEV, NULL, NULL);
	ck_assert_msg(rs.status == 201, "%s", rs.body.data);
	ck_assert_ptr_null(strstr(rs.body.data, "pw-77"));
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"personal\""));
	ck_assert_ptr_nonnull(header(&rs, "ETag", et, sizeof(et)));
	response_free(&rs);

	call(&rs, "GET", "/api/v1/devices/d7", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"password\":{\"set\":true}"));
	ck_assert_ptr_null(strstr(rs.body.data, "\"personal\""));
	response_free(&rs);

	call(&rs, "PUT", "/api/v1/devices/d7", DEV, NULL, NULL);
	ck_assert_int_eq(rs.status, 428);
	response_free(&rs);
	call(&rs, "PUT", "/api/v1/devices/d7", DEV, "\"nope\"", NULL);
	ck_assert_int_eq(rs.status, 412);
	response_free(&rs);
	call(&rs, "PATCH", "/api/v1/devices/d7", "{\"notes\":\"n\"}", et, NULL);
	ck_assert_msg(rs.status == 200, "%s", rs.body.data);
	header(&rs, "ETag", et2, sizeof(et2));
	ck_assert_str_ne(et, et2);
	response_free(&rs);
	/* The first tag is stale now. */
	call(&rs, "DELETE", "/api/v1/devices/d7", NULL, et, NULL);
	ck_assert_int_eq(rs.status, 412);
	response_free(&rs);
	call(&rs, "DELETE", "/api/v1/devices/d7", NULL, et2, NULL);
	ck_assert_int_eq(rs.status, 204);
	response_free(&rs);
	call(&rs, "GET", "/api/v1/devices/d7", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 404);
	response_free(&rs);
}
END_TEST

/* A device whose file is gone is gone, even while this process still
 * serves the snapshot that had it (reloads are checked at most so often):
 * GET answered 200 with an empty device said to be from phones.yml. */
START_TEST(test_removed_before_reload)
{
	struct response rs;

	call(&rs, "PUT", "/api/v1/devices/d8", DEV, NULL, NULL);
	ck_assert_msg(rs.status == 201, "%s", rs.body.data);
	response_free(&rs);
	app.cs.next_check = 0;
	ck_assert_ptr_nonnull(config_state_get(&app.cs));
	ck_assert_ptr_nonnull(snapshot_find_mac(app.cs.snap, "00a0b0000077"));
	app.cs.next_check = 1e18;	/* no reload from here on */
	ck_assert_int_eq(devstore_remove(etc, "d8"), 0);
	call(&rs, "GET", "/api/v1/devices/d8", NULL, NULL, NULL);
	ck_assert_msg(rs.status == 404, "%d %s", rs.status, rs.body.data);
	response_free(&rs);
}
END_TEST

/* Refusals, each with the status a client sees. */
static const struct {
	const char	*method, *uri, *body, *length;
	int		 status;
	int		 line;
} refusals[] = {
	{ "GET", "/api/v1/nothing", NULL, NULL, 404, __LINE__ },
	{ "GET", "/api/v1/devices/a/b/c/d", NULL, NULL, 404, __LINE__ },
	{ "GET", "/api/v2/devices", NULL, NULL, 404, __LINE__ },
	{ "GET", "/api/v1/devices//", NULL, NULL, 404, __LINE__ },
	{ "POST", "/api/v1/devices", "{}", NULL, 405, __LINE__ },
	{ "GET", "/api/v1/devices?limit=0", NULL, NULL, 400, __LINE__ },
	{ "GET", "/api/v1/devices?limit=1&limit=2", NULL, NULL, 400, __LINE__ },
	{ "GET", "/api/v1/devices?mac=zz", NULL, NULL, 400, __LINE__ },
	{ "GET", "/api/v1/devices/%2e%2e", NULL, NULL, 400, __LINE__ },
	{ "PUT", "/api/v1/devices/.x", "{}", NULL, 400, __LINE__ },
	{ "PUT", "/api/v1/devices/x", NULL, NULL, 411, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{}", "12x", 400, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{}", "99999999", 413, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{}", "10", 400, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{\"mac\":", NULL, 400, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{\"zz\":1}", NULL, 422, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{\"vendor\":\"acme\",\"model\":\"X1\"}",
	    NULL, 422, __LINE__ },
	{ "PUT", "/api/v1/devices/flat", "{}", NULL, 409, __LINE__ },
	{ "PUT", "/api/v1/devices/x", "{\"vendor\":\"acme\",\"model\":\"X1\","
	    "\"mac\":\"00:a0:b0:00:00:01\"}", NULL, 409, __LINE__ },
	{ "PATCH", "/api/v1/devices/none", "{}", NULL, 404, __LINE__ },
	{ "POST", "/api/v1/devices/none/key", "", NULL, 404, __LINE__ },
	{ "GET", "/api/v1/vendors/none/models", NULL, NULL, 404, __LINE__ },
};

START_TEST(test_refusals)
{
	struct response rs;
	struct body b = call(&rs, refusals[_i].method, refusals[_i].uri,
	    refusals[_i].body, NULL, refusals[_i].length);

	ck_assert_msg(rs.status == refusals[_i].status, "line %d: %d %s",
	    refusals[_i].line, rs.status, rs.body.data);
	/* A body over the cap is refused unread. */
	if (rs.status == 413)
		ck_assert_int_eq(b.reads, 0);
	response_free(&rs);
	ck_assert_uint_eq(devstore_list(etc, &(char **){ NULL }), 0);
}
END_TEST

START_TEST(test_reads)
{
	struct response rs;

	call(&rs, "GET", "/api/v1/vendors", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"name\":\"acme\""));
	response_free(&rs);
	call(&rs, "GET", "/api/v1/vendors/acme/models", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"X2-Pro\""));
	response_free(&rs);
	call(&rs, "GET", "/api/v1/devices?vendor=acme&limit=1", NULL, NULL,
	    NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"next_cursor\":\"desk\""));
	response_free(&rs);
	call(&rs, "GET", "/api/v1/devices/desk", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "\"source\":\"phones.yml\""));
	ck_assert_ptr_null(strstr(rs.body.data, "desk-line-secret"));
	ck_assert_ptr_null(strstr(rs.body.data, "desk-admin-secret"));
	response_free(&rs);
	call(&rs, "HEAD", "/api/v1/vendors", NULL, NULL, NULL);
	ck_assert_int_eq(rs.status, 200);
	ck_assert(rs.omit_body);
	response_free(&rs);
}
END_TEST

Suite *app_api_suite(void);

Suite *
app_api_suite(void)
{
	Suite *s = suite_create("app_api");
	TCase *tc = tcase_create("app_api");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lifecycle);
	tcase_add_test(tc, test_removed_before_reload);
	tcase_add_loop_test(tc, test_refusals, 0, sizeof(refusals) /
	    sizeof(refusals[0]));
	tcase_add_test(tc, test_reads);
	suite_add_tcase(s, tc);
	return s;
}
