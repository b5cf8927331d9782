/* What phones upload (issue 15): the names profile.fcgi takes a PUT for,
 * who may send one, the cap read before the body, the versions kept, and
 * override files compared with what deskprov serves (drift). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_pages.h"
#include "app_profile.h"
#include "testutil.h"
#include "upload.h"

#define FLEET	"tests/data/vendors/fleet"
#define SCHEMA	"schema"
#define POLY_UA	"FileTransport PolycomVVX-VVX_400-UA/5.9.7.3480 Type/Application"
#define YEA_UA	"Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:01"

/* A data directory with uploads/<mac>/ below it. */
static void
tu_remove_tree(const char *dir)
{
	char path[512];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
			tu_remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	ck_assert_msg(rmdir(dir) == 0, "cannot remove %s", dir);
}

/* ---- names ---- */

static const struct {
	int		 line;
	const char	*name;
	const char	*pack;		/* NULL: no upload */
	const char	*mac;
} names[] = {
	{ __LINE__, "0004f2aabb05-app.log", "polycom", "0004f2aabb05" },
	{ __LINE__, "0004F2AABB05-BOOT.LOG", "polycom", "0004f2aabb05" },
	{ __LINE__, "0004f2aabb05-phone.cfg", "polycom", "0004f2aabb05" },
	{ __LINE__, "0004f2aabb05-web.cfg", "polycom", "0004f2aabb05" },
	{ __LINE__, "001565aabb01-local.cfg", "yealink", "001565aabb01" },
	{ __LINE__, "001565aabb01-contact.xml", "yealink", "001565aabb01" },
	{ __LINE__, "001565aabb01.cfg", NULL, NULL },
	{ __LINE__, "0004f2aabb05-user.cfg", NULL, NULL },
	{ __LINE__, "0004f2aabb05-app.log.1", NULL, NULL },
	{ __LINE__, "..-app.log", NULL, NULL },
	{ __LINE__, "0004f2aabb0-app.log", NULL, NULL },
	{ __LINE__, "ffffffffffff-app.log", NULL, NULL },
	{ __LINE__, "000000000000-app.log", NULL, NULL },
	{ __LINE__, "-app.log", NULL, NULL },
	{ __LINE__, "", NULL, NULL },
};

START_TEST(test_match)
{
	char mac[MAC_LEN + 1];
	const struct upload_file *f = upload_match(names[_i].name, mac);

	if (names[_i].pack == NULL) {
		ck_assert_msg(f == NULL, "line %d: matched", names[_i].line);
		return;
	}
	ck_assert_msg(f != NULL, "line %d: no match", names[_i].line);
	ck_assert_str_eq(f->pack, names[_i].pack);
	ck_assert_str_eq(mac, names[_i].mac);
}
END_TEST

/* ---- through profile.fcgi ---- */

struct body {
	const char	*data;
	size_t		 len, off;
	int		 reads;
};

static ssize_t
read_body(void *ctx, char *out, size_t n)
{
	struct body *b = ctx;
	size_t k = b->len - b->off < n ? b->len - b->off : n;

	b->reads++;
	memcpy(out, b->data + b->off, k);
	b->off += k;
	return (ssize_t)k;
}

static int
put(struct app *app, const char *uri, const char *addr, const char *ua,
    const char *data, size_t len, const char *cl, struct body *b,
    const char **outcome)
{
	struct request rq;
	struct response rs;
	struct logline l;
	char clbuf[32];
	int status;

	memset(b, 0, sizeof(*b));
	b->data = data;
	b->len = len;
	snprintf(clbuf, sizeof(clbuf), "%zu", len);
	memset(&rq, 0, sizeof(rq));
	rq.method = "PUT";
	rq.uri = uri;
	rq.remote_addr = addr;
	rq.user_agent = ua;
	rq.content_length = cl != NULL ? cl : clbuf;
	rq.read_body = read_body;
	rq.body_ctx = b;
	response_init(&rs);
	logline_start(&l, "test");
	app_profile_handle(app, &rq, &rs, &l);
	logline_discard(&l);
	status = rs.status;
	*outcome = rs.outcome;
	response_free(&rs);
	return status;
}

static const struct {
	int		 line;
	const char	*uri, *addr, *ua, *cl;
	int		 status;
	const char	*outcome;
	int		 reads;		/* -1: any */
} puts_[] = {
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", POLY_UA, NULL, 200,
	    "stored", -1 },
	{ __LINE__, "/001565aabb01-local.cfg", "127.0.0.1", YEA_UA, NULL, 200,
	    "stored", -1 },
	/* Another address than the phone's. */
	{ __LINE__, "/0004f2aabb05-app.log", "192.0.2.99", POLY_UA, NULL, 403,
	    "not_phone_ip", 0 },
	/* Another vendor's User-Agent, another phone's MAC in it. */
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", YEA_UA, NULL, 403,
	    "ua_mismatch", 0 },
	{ __LINE__, "/001565aabb01-local.cfg", "127.0.0.1",
	    "Yealink SIP-T46S 66.86.0.15 00:15:65:aa:bb:99", NULL, 403,
	    "ua_mismatch", 0 },
	/* A Polycom file of a Yealink phone; no such phone. */
	{ __LINE__, "/001565aabb01-app.log", "127.0.0.1", NULL, NULL, 404,
	    "not_this_vendor", 0 },
	{ __LINE__, "/0004f2000000-app.log", "127.0.0.1", POLY_UA, NULL, 404,
	    "unknown_phone", 0 },
	/* Caps, before a byte is read. */
	{ __LINE__, "/0004f2aabb05-phone.cfg", "127.0.0.1", POLY_UA, "262145",
	    413, "too_large", 0 },
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", POLY_UA,
	    "99999999999999999999", 400, "bad_length", 0 },
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", POLY_UA, "", 411,
	    "length_required", 0 },
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", POLY_UA, "0", 400,
	    "empty_body", 0 },
	{ __LINE__, "/0004f2aabb05-app.log", "127.0.0.1", POLY_UA, "99", 400,
	    "bad_body", -1 },
	/* Path tricks: no upload, so no PUT. */
	{ __LINE__, "/x/../0004f2aabb05-app.log", "127.0.0.1", POLY_UA, NULL,
	    405, "bad_method", 0 },
	{ __LINE__, "/0004f2aabb05-app.log%2f..%2f..%2fetc", "127.0.0.1",
	    POLY_UA, NULL, 405, "bad_method", 0 },
	{ __LINE__, "/0004f2aabb05.cfg", "127.0.0.1", POLY_UA, NULL, 405,
	    "bad_method", 0 },
};

static char data_dir[TU_DIR_MAX];

START_TEST(test_put)
{
	static const char log[] = "boot ok\n\0binary\xff\n";
	struct app app;
	struct body b;
	const char *outcome;
	int status;

	tu_mkdtemp(data_dir);
	tu_app(&app, FLEET, SCHEMA, data_dir);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	status = put(&app, puts_[_i].uri, puts_[_i].addr, puts_[_i].ua, log,
	    sizeof(log), puts_[_i].cl, &b, &outcome);
	ck_assert_msg(status == puts_[_i].status && strcmp(outcome,
	    puts_[_i].outcome) == 0, "line %d: %d %s", puts_[_i].line, status,
	    outcome);
	if (puts_[_i].reads >= 0)
		ck_assert_msg(b.reads == puts_[_i].reads, "line %d: %d reads",
		    puts_[_i].line, b.reads);
	app_free(&app);
	tu_remove_tree(data_dir);
}
END_TEST

/* A stored upload is the body byte for byte (binary too), listed, and
 * only the newest versions stay. */
START_TEST(test_store_and_retention)
{
	static const char log[] = "line\0\xff\xfe end";
	struct upload_entry e[UPLOAD_VERSIONS_MAX];
	char mac[MAC_LEN + 1], err[256], *back;
	const struct upload_file *f = upload_match("0004f2aabb05-app.log", mac);
	size_t n, len;

	tu_mkdtemp(data_dir);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(upload_store(data_dir, mac, f, log,
		    sizeof(log), 1764660000 + i, err, sizeof(err)), 0);
	/* Two in the same second are both kept until retention. */
	ck_assert_msg(upload_store(data_dir, mac, f, "x", 1, 1764660004,
	    err, sizeof(err)) == 0, "%s", err);
	/* Pruning freed ".00" of that second: the next one still sorts
	 * newest (a regression: it used to take the freed name). */
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(upload_store(data_dir, mac, f, "y", 1,
		    1764660005, err, sizeof(err)), 0);
	ck_assert_int_eq(upload_store(data_dir, mac, f, "z", 1, 1764660005,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(upload_list(data_dir, mac, e, UPLOAD_VERSIONS_MAX,
	    &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, f->keep);
	ck_assert_str_eq(e[0].stored, "app.log.20251202T072005Z.03");
	ck_assert_int_eq(upload_read(data_dir, mac, &e[0], &back, &len), 0);
	ck_assert_str_eq(back, "z");
	free(back);
	tu_remove_tree(data_dir);
	tu_mkdtemp(data_dir);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(upload_store(data_dir, mac, f, log,
		    sizeof(log), 1764660000 + i, err, sizeof(err)), 0);
	ck_assert_msg(upload_store(data_dir, mac, f, "x", 1, 1764660004,
	    err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(upload_list(data_dir, mac, e, UPLOAD_VERSIONS_MAX,
	    &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, f->keep);
	ck_assert_str_eq(e[0].stored, "app.log.20251202T072004Z.01");
	ck_assert_uint_eq(e[0].size, 1);
	ck_assert_int_eq(e[0].when, 1764660004);
	ck_assert_str_eq(e[1].stored, "app.log.20251202T072004Z.00");
	ck_assert_int_eq(upload_read(data_dir, mac, &e[1], &back, &len), 0);
	ck_assert_uint_eq(len, sizeof(log));
	ck_assert(memcmp(back, log, len) == 0);
	free(back);
	tu_remove_tree(data_dir);
}
END_TEST

/* An override file's settings, and drift: what the phone changed against
 * what deskprov serves it. */
START_TEST(test_params)
{
	static const char yl[] = "#!version:1.0.0.1\n# c\n"
	    "account.1.display_name = Changed\r\n"
	    "local_time.ntp_server1 =  ntp1.example.net \n"
	    "not a setting\ninclude:config x.cfg\n";
	static const char pc[] = "<PHONE_CONFIG><OVERRIDES "
	    "reg.1.displayName=\"Mine &amp; yours\" up.backlight=\"3\"/>"
	    "</PHONE_CONFIG>";
	char mac[MAC_LEN + 1];
	struct report r;

	ck_assert_int_eq(upload_params(upload_match("001565aabb01-local.cfg",
	    mac), yl, strlen(yl), &r), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(report_get(&r, "account.1.display_name")->value,
	    "Changed");
	ck_assert_str_eq(report_get(&r, "local_time.ntp_server1")->value,
	    "ntp1.example.net");
	report_free(&r);
	ck_assert_int_eq(upload_params(upload_match("0004f2aabb05-phone.cfg",
	    mac), pc, strlen(pc), &r), 0);
	ck_assert_str_eq(report_get(&r, "reg.1.displayName")->value,
	    "Mine & yours");
	report_free(&r);
	ck_assert_int_lt(upload_params(upload_match("0004f2aabb05-phone.cfg",
	    mac), "<a", 2, &r), 0);
	ck_assert_uint_eq(r.n, 0);
	report_free(&r);
}
END_TEST

START_TEST(test_drift)
{
	static const char yl[] = "#!version:1.0.0.1\n"
	    "account.1.display_name = Changed\n"
	    "local_time.ntp_server1 = ntp1.example.net\n"
	    "features.dnd.enable = 1\n";
	struct app app;
	struct cmp_expected e;
	struct cmp_result res;
	struct report r;
	char mac[MAC_LEN + 1];
	const struct upload_file *f = upload_match("001565aabb01-local.cfg",
	    mac);

	tu_app(&app, FLEET, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	cmp_expected_init(&e);
	upload_expected(&e, app.cs.snap, snapshot_find_mac(app.cs.snap, mac),
	    f);
	ck_assert_int_eq(e.comparable, 1);
	ck_assert_int_eq(upload_params(f, yl, strlen(yl), &r), 0);
	compare_run(&e, &r, &app.cs.snap->cmp, NULL, &res);
	ck_assert_uint_eq(res.mismatches.n, 1);
	ck_assert_str_eq(res.mismatches.items[0].name,
	    "account.1.display_name");
	ck_assert_str_eq(res.mismatches.items[0].expected, "Desk 2001");
	ck_assert_uint_eq(res.unexpected.n, 1);
	ck_assert_str_eq(res.unexpected.items[0].name, "features.dnd.enable");
	cmp_result_free(&res);
	report_free(&r);
	cmp_expected_free(&e);
	app_free(&app);
}
END_TEST

/* The phone page shows what the phone uploaded: the override file with
 * its drift and an escaped preview, a binary log only by name. */
START_TEST(test_phone_page)
{
	static const char local[] = "#!version:1.0.0.1\n"
	    "account.1.display_name = <b>Changed</b>\n"
	    "features.dnd.enable = 1\n";
	static const char bin[] = "\x7f" "ELF\0\0";
	char etc[TU_DIR_MAX], mac[MAC_LEN + 1], err[256];
	struct request rq;
	struct response rs;
	struct logline l;
	struct app app;
	const char *body;

	tu_copy_dir(FLEET, etc);
	tu_write(etc, "serviceconfig.yml", "auth:\n  enabled: true\n"
	    "  users:\n    admin: {username: admin, role: admin}\n");
	tu_mkdtemp(data_dir);
	ck_assert_int_eq(upload_store(data_dir, "001565aabb01",
	    upload_match("001565aabb01-local.cfg", mac), local,
	    strlen(local), 1764660000, err, sizeof(err)), 0);
	ck_assert_int_eq(upload_store(data_dir, "0004f2aabb05",
	    upload_match("0004f2aabb05-app.log", mac), bin, sizeof(bin),
	    1764660000, err, sizeof(err)), 0);
	tu_app(&app, etc, SCHEMA, data_dir);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = "/phone/yealink-desk";
	rq.remote_user = "admin";
	rq.remote_addr = "127.0.0.1";
	response_init(&rs);
	logline_start(&l, "test");
	app_pages_handle(&app, &rq, &rs, &l);
	logline_discard(&l);
	body = rs.body.data ? rs.body.data : "";
	ck_assert_msg(rs.status == 200, "%d %s", rs.status, body);
	ck_assert_ptr_nonnull(strstr(body, "<h2>Uploads</h2>"));
	ck_assert_ptr_nonnull(strstr(body, "001565aabb01-local.cfg"));
	ck_assert_ptr_nonnull(strstr(body, "differs"));
	ck_assert_ptr_nonnull(strstr(body, "local only"));
	ck_assert_ptr_nonnull(strstr(body, "Desk 2001"));
	ck_assert_ptr_nonnull(strstr(body, "&lt;b&gt;Changed"));
	ck_assert_ptr_null(strstr(body, "<b>Changed"));
	response_free(&rs);
	rq.uri = "/phone/polycom-desk";
	response_init(&rs);
	logline_start(&l, "test");
	app_pages_handle(&app, &rq, &rs, &l);
	logline_discard(&l);
	body = rs.body.data ? rs.body.data : "";
	ck_assert_msg(rs.status == 200, "%d %s", rs.status, body);
	ck_assert_ptr_nonnull(strstr(body, "0004f2aabb05-app.log"));
	ck_assert_ptr_nonnull(strstr(body, "Binary content, not shown."));
	ck_assert_ptr_null(strstr(body, "ELF"));
	response_free(&rs);
	app_free(&app);
	tu_remove_tree(data_dir);
	tu_remove_tree(etc);
}
END_TEST

Suite	*upload_suite(void);

Suite *
upload_suite(void)
{
	Suite *s = suite_create("upload");
	TCase *tc = tcase_create("upload");

	tcase_add_loop_test(tc, test_match, 0,
	    (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_loop_test(tc, test_put, 0,
	    (int)(sizeof(puts_) / sizeof(puts_[0])));
	tcase_add_test(tc, test_store_and_retention);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_drift);
	tcase_add_test(tc, test_phone_page);
	suite_add_tcase(s, tc);
	return s;
}
