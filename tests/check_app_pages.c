/* The admin pages in-process: a fixture configuration and data directory
 * with stored reports, then every route with its statuses, roles, query
 * validation, the exact differences of a known report, and no secret on
 * any page. */
#include <arpa/inet.h>
#include <check.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app_pages.h"
#include "contact.h"
#include "explain.h"
#include "phoneview.h"
#include "store.h"
#include "summary.h"
#include "testutil.h"

#define MAC1	"001122334455"		/* desk-1: drift, known differences */
#define MAC2	"001122334466"		/* desk-2: in sync but stale */
#define MAC3	"001122334477"		/* desk-3: never reported */
#define MACX	"00aabbccddee"		/* not configured: discovered */

/* Every one of these is a secret value: none may appear on a page. */
static const char *const secrets[] = {
	"admin-secret-xyz", "wrong-admin-pw", "sekret-1001", "sekret-other",
	"pw-blacklisted-1001", "pw-reported-1001", "hmac-sha256", "factory-pin",
};

static const char phones_yml[] =
    "phones:\n"
    "  desk-1:\n"
    "    mac: \"00:11:22:33:44:55\"\n"
    "    ip_address: \"127.0.0.1\"\n"
    "    Station_Name: \"<b>Desk</b> & 'one'\"\n"
    "    User_ID_1_: \"1001\"\n"
    "    Password_1_: \"pw-blacklisted-1001\"\n"
    "    SIP_Secret_1_: \"sekret-1001\"\n"
    "  desk-2:\n"
    "    mac: \"00-11-22-33-44-66\"\n"
    "    ip_address: \"127.0.0.1\"\n"
    "  desk-3:\n"
    "    mac: \"0011.2233.4477\"\n"
    "    ip_address: \"127.0.0.1\"\n"
    "  nomac:\n"
    "    ip_address: \"127.0.0.1\"\n";

static const char common_yml[] =
    "common:\n"
    "  Time_Zone: 'GMT+01:00'\n"
    "  Admin_Password: 'admin-secret-xyz'\n"
    "  Primary_NTP_Server: 'pool.ntp.org'\n"
    "  Host_Name: 'deskhost'\n";

static const char service_yml[] =
    "monitoring:\n"
    "  report_activity_window: 1800\n"
    "auth:\n"
    "  enabled: true\n"
    "  users:\n"
    "    admin: {username: admin, role: admin}\n"
    "    monitor: {username: monitor, role: monitor}\n";

static const char comparison_yml[] =
    "comparison:\n"
    "  blacklist: [Password_1_]\n";

static const char schema_yml[] =
    "schema:\n"
    "  flat_profile_params:\n"
    "    Time_Zone: 'GMT-08:00'\n"
    "    Host_Name: ''\n"
    "    Station_Name: ''\n"
    "    User_ID_1_: ''\n"
    "    Password_1_: ''\n"
    "    Admin_Password: ''\n"
    "    Primary_NTP_Server: ''\n"
    "    Resync_Periodic: '3600'\n"
    "  xml_structure:\n"
    "    device:\n"
    "      flat-profile: DYNAMIC_PARAMS\n";

static char etc[TU_DIR_MAX], data[TU_DIR_MAX];
static char id_desk1[STORE_ID_MAX + 1], id_status[STORE_ID_MAX + 1];
static struct app app;

static void
rm_tree(const char *path)
{
	char sub[1024];
	struct dirent *e;
	DIR *d = opendir(path);

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		rm_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

static void
set(struct report *r, const char *name, const char *value)
{
	report_set(r, name, strlen(name), value, strlen(value));
}

static void
save(const struct store *st, const char *mac, const struct report *r,
    time_t when, char id[STORE_ID_MAX + 1])
{
	struct store_meta meta = { mac, "192.0.2.7",
	    "Cisco-CP-6841-3PCC/12.0.1 (" MAC1 ")", { when, 0 }, NULL };
	char msg[STORE_MSG_MAX];

	ck_assert_msg(store_save(st, &meta, r, id, msg) == STORE_OK, "%s", msg);
}

/* desk-1's configuration report: see test_differences for what it makes. */
static void
report_desk1(struct report *r)
{
	report_init(r, REPORT_CONFIG);
	set(r, "Time_Zone", "GMT+02:00");		/* mismatch */
	set(r, "Station_Name", "  <b>Desk</b> & 'one'  "); /* trimmed: same */
	set(r, "User_ID_1_", "1001");
	set(r, "Password_1_", "pw-reported-1001");	/* blacklisted */
	set(r, "Admin_Password", "wrong-admin-pw");	/* secret differs */
	set(r, "SIP_Secret_1_", "sekret-1001");		/* secret matches */
	set(r, "Primary_NTP_Server", "pool.ntp.org");
	set(r, "Resync_Periodic", "3600");
	set(r, "New_Param_X", "val & <x> \"q\"");	/* unexpected */
	set(r, "Another_Unexpected", "<script>alert(1)</script>");
	/* Host_Name is missing. */
}

/* What desk-2 is expected to report, exactly. */
static void
report_in_sync(struct report *r)
{
	report_init(r, REPORT_CONFIG);
	set(r, "Time_Zone", "GMT+01:00");
	set(r, "Admin_Password", "admin-secret-xyz");
	set(r, "Primary_NTP_Server", "pool.ntp.org");
	set(r, "Host_Name", "deskhost");
	set(r, "Station_Name", "");
	set(r, "User_ID_1_", "");
	set(r, "Password_1_", "");
	set(r, "Resync_Periodic", "3600");
}

/* Reports stored behind report.fcgi's back (store_save() directly) reach
 * the summary index the way they would for an admin: the index is
 * dropped and rebuilt from the store, as `deskprov summary rebuild` or a
 * missing index file does. */
static void
reindex(void)
{
	char path[sizeof(app.data_dir) + 32];

	summary_close(app.summary);
	app.summary = NULL;
	snprintf(path, sizeof(path), "%s/summary/index", app.data_dir);
	unlink(path);
}

static void
seed_reports(void)
{
	struct secret_key key;
	struct store st;
	struct report r;
	char err[256], id[STORE_ID_MAX + 1];
	time_t now = time(NULL);

	ck_assert_msg(secret_key_load(data, &key, 1, err, sizeof(err)) == 0,
	    "%s", err);
	memset(&st, 0, sizeof(st));
	st.dir = data;
	st.key = &key;
	report_desk1(&r);
	save(&st, MAC1, &r, now - 60, id_desk1);
	report_free(&r);
	report_init(&r, REPORT_STATUS);
	set(&r, "Software_Version", "sip68xx.12-0-1<b>MPP");
	set(&r, "Factory_PIN", "factory-pin");
	save(&st, MAC1, &r, now - 30, id_status);
	report_free(&r);
	report_in_sync(&r);
	save(&st, MAC2, &r, now - 7200, id);
	report_free(&r);
	report_init(&r, REPORT_CONFIG);
	set(&r, "Station_Name", "factory");
	set(&r, "Admin_Password", "sekret-other");
	save(&st, MACX, &r, now - 10, id);
	report_free(&r);
	secret_key_wipe(&key);
}

static void
fixture_up(void)
{
	const char *mac1[1] = { MAC1 };
	char path[256];

	tu_mkdtemp(etc);
	tu_mkdtemp(data);
	tu_write(etc, "phones.yml", phones_yml);
	tu_write(etc, "common.yml", common_yml);
	tu_write(etc, "serviceconfig.yml", service_yml);
	tu_write(etc, "comparison.yml", comparison_yml);
	tu_write(etc, "schema.yml", schema_yml);
	seed_reports();
	tu_app(&app, etc, etc, data);
	app.server = 1;		/* as compare.fcgi: the key is made on need */
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	snprintf(path, sizeof(path), "%s/metrics.state", data);
	app.metrics = metrics_open(path, "test");
	metrics_set(app.metrics, METRIC_PHONE_LAST_PROFILE_FETCH, mac1,
	    1795000000.0);			/* 2026-11-18 11:06:40 UTC */
}

static void
fixture_down(void)
{
	app_free(&app);
	rm_tree(etc);
	rm_tree(data);
}

/* Runs one request; the caller frees rs. */
static void
run(const char *method, const char *uri, const char *user,
    struct response *rs)
{
	struct request rq;
	struct logline log;

	memset(&rq, 0, sizeof(rq));
	rq.method = method;
	rq.uri = uri;
	rq.remote_user = user;
	rq.remote_addr = "127.0.0.1";
	response_init(rs);
	logline_start(&log, "test");
	app_pages_handle(&app, &rq, rs, &log);
	logline_discard(&log);
}

/* %s in a row's uri stands for desk-1's report id. */
static const struct {
	int		 line;
	const char	*method, *uri, *user;
	int		 status;
	const char	*has, *lacks;
} routes[] = {
	{ __LINE__, "GET", "/", "admin", 200,
	    "<th><a href=\"/phone/desk-1\">desk-1</a></th>", NULL },
	{ __LINE__, "GET", "/", "monitor", 200, "<th>desk-1</th>", "/phone/" },
	{ __LINE__, "GET", "/", "monitor", 200, "<th>desk-2</th>", "/compare/" },
	{ __LINE__, "GET", "/", "monitor", 200, "desk-3", "href=\"/reports\"" },
	{ __LINE__, "GET", "/", NULL, 401, "needs a user name", "desk-1" },
	{ __LINE__, "GET", "/", "", 401, NULL, "desk-1" },
	{ __LINE__, "GET", "/", "stranger", 403, "no deskprov role", "desk-1" },
	{ __LINE__, "HEAD", "/", "admin", 200, NULL, NULL },
	{ __LINE__, "POST", "/", "admin", 405, "GET or HEAD", NULL },
	{ __LINE__, "PUT", "/compare/desk-1", "admin", 405, NULL, NULL },
	{ __LINE__, "GET", "/?x=1", "admin", 400, "query", "desk-1" },
	{ __LINE__, "GET", "/nowhere", "admin", 404, "no such page", NULL },
	{ __LINE__, "GET", "/%zz", "admin", 400, "malformed", NULL },
	{ __LINE__, "GET", "/%00", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports", "admin", 200, "Page 1 of 1 (3 phones)",
	    NULL },
	{ __LINE__, "GET", "/reports", "monitor", 403, "admin role", MAC1 },
	{ __LINE__, "GET", "/reports", NULL, 401, NULL, MAC1 },
	{ __LINE__, "GET", "/reports?page=1", "admin", 200, "/report-detail/",
	    NULL },
	{ __LINE__, "GET", "/reports?page=%31", "admin", 200, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=2", "admin", 404, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=0", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=01", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=-1", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=abc", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=99999999", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=1&page=1", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=1&x=2", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?x=2", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=1&", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=1%00", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?page=%", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports/", "admin", 404, NULL, NULL },
	{ __LINE__, "GET", "/report-detail/%s", "admin", 200, "192.0.2.7",
	    NULL },
	{ __LINE__, "GET", "/report-detail/%s", "monitor", 403, NULL,
	    "192.0.2.7" },
	{ __LINE__, "GET", "/report-detail/%s?x=1", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/report-detail/", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/report-detail/..", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/report-detail/..%2F..%2Fetc%2Fpasswd", "admin", 400,
	    NULL, "root:" },
	{ __LINE__, "GET", "/report-detail/001122334455-20261122T100753."
	    "100655Z-config-00003039-00000007-9f86d081", "admin", 404, NULL,
	    NULL },
	{ __LINE__, "GET", "/compare/" MAC1, "admin", 200, "Compare desk-1",
	    NULL },
	{ __LINE__, "GET", "/compare/00:11:22:33:44:55", "admin", 200,
	    "Compare desk-1", NULL },
	{ __LINE__, "GET", "/compare/00-11-22-33-44-55", "admin", 200, NULL,
	    NULL },
	{ __LINE__, "GET", "/compare/desk-1", "admin", 200, NULL, NULL },
	{ __LINE__, "GET", "/compare/DESK-1", "admin", 200, NULL, NULL },
	{ __LINE__, "GET", "/compare/desk-2", "admin", 200, "badge stale",
	    NULL },
	{ __LINE__, "GET", "/compare/desk-1", "monitor", 403, NULL, "Time_Zone" },
	{ __LINE__, "GET", "/compare/desk-1", NULL, 401, NULL, "Time_Zone" },
	{ __LINE__, "GET", "/compare/desk-3", "admin", 404, "not reported",
	    NULL },
	{ __LINE__, "GET", "/compare/nomac", "admin", 404, "no MAC", NULL },
	{ __LINE__, "GET", "/compare/001122334499", "admin", 404,
	    "No phone", NULL },
	{ __LINE__, "GET", "/compare/" MACX, "admin", 404, NULL, NULL },
	{ __LINE__, "GET", "/compare/", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/compare/..%2Fx", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/compare/%3Cscript%3E", "admin", 400, NULL,
	    "<script" },
	{ __LINE__, "GET", "/compare/desk-1?scope=fleet", "admin", 400, NULL,
	    NULL },
	{ __LINE__, "GET", "/export-unexpected/desk-1", "admin", 200,
	    "New_Param_X", "Admin_Password" },
	{ __LINE__, "GET", "/export-unexpected/desk-1?scope=phone", "admin",
	    200, "Another_Unexpected", NULL },
	{ __LINE__, "GET", "/export-unexpected/desk-1", "monitor", 403, NULL,
	    "New_Param_X" },
	{ __LINE__, "GET", "/export-unexpected/desk-3", "admin", 404, NULL,
	    NULL },
	{ __LINE__, "GET", "/export-unexpected/?scope=fleet", "admin", 200,
	    "all 2 reporting phones", NULL },
	{ __LINE__, "GET", "/export-unexpected/desk-1?scope=fleet", "admin",
	    400, NULL, NULL },
	{ __LINE__, "GET", "/export-unexpected/desk-1?scope=all", "admin", 400,
	    NULL, NULL },
	{ __LINE__, "GET", "/export-unexpected/desk-1?scope=fleet&scope=fleet",
	    "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/export-unexpected/", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/phone/desk-1", "admin", 200, "Phone desk-1", NULL },
	{ __LINE__, "GET", "/phone/00:11:22:33:44:55", "admin", 200,
	    "Phone desk-1", NULL },
	{ __LINE__, "GET", "/phone/desk-3", "admin", 200,
	    "It has not reported yet.", NULL },
	{ __LINE__, "GET", "/phone/nomac", "admin", 200, "nomac.xml", NULL },
	{ __LINE__, "GET", "/phone/desk-1", "monitor", 403, NULL, "Time_Zone" },
	{ __LINE__, "GET", "/phone/desk-1", NULL, 401, NULL, "Time_Zone" },
	{ __LINE__, "GET", "/phone/nobody", "admin", 404, "No phone", NULL },
	{ __LINE__, "GET", "/phone/" MACX, "admin", 404, NULL, NULL },
	{ __LINE__, "GET", "/phone/", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/phone/desk-1?x=1", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/phone/%3Cscript%3E", "admin", 400, NULL,
	    "<script" },
	{ __LINE__, "GET", "/phone/desk-1/x", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?phone=desk-1", "admin", 200,
	    "Page 1 of 1 (2 reports)", MAC2 },
	{ __LINE__, "GET", "/reports?phone=00-11-22-33-44-55&page=1", "admin",
	    200, "Reports of desk-1", NULL },
	{ __LINE__, "GET", "/reports?phone=" MACX, "admin", 200,
	    "Reports of 00:aa:bb:cc:dd:ee", MAC1 },
	{ __LINE__, "GET", "/reports?phone=desk-3", "admin", 200,
	    "This phone has not reported yet.", NULL },
	{ __LINE__, "GET", "/reports?phone=nobody", "admin", 404, "No phone",
	    NULL },
	{ __LINE__, "GET", "/reports?phone=nomac", "admin", 404, "no MAC", NULL },
	{ __LINE__, "GET", "/reports?phone=desk-1&phone=desk-2", "admin", 400,
	    NULL, NULL },
	{ __LINE__, "GET", "/reports?phone=%3Cb%3E", "admin", 400, NULL, "<b>" },
	{ __LINE__, "GET", "/reports?phone=", "admin", 400, NULL, NULL },
	{ __LINE__, "GET", "/reports?phone=desk-1", "monitor", 403, NULL,
	    MAC1 },
};

static void
route_uri(int i, char *out, size_t n)
{
	if (strstr(routes[i].uri, "%s") != NULL)
		snprintf(out, n, "/report-detail/%s%s", id_desk1,
		    strchr(routes[i].uri, '?') ? "?x=1" : "");
	else
		snprintf(out, n, "%s", routes[i].uri);
}

START_TEST(test_routes)
{
	struct response rs;
	char uri[256];

	route_uri(_i, uri, sizeof(uri));
	run(routes[_i].method, uri, routes[_i].user, &rs);
	ck_assert_msg(rs.status == routes[_i].status, "line %d: %s gave %d",
	    routes[_i].line, uri, rs.status);
	if (routes[_i].has != NULL)
		ck_assert_msg(rs.body.data && strstr(rs.body.data,
		    routes[_i].has), "line %d: no %s", routes[_i].line,
		    routes[_i].has);
	if (routes[_i].lacks != NULL && rs.body.data != NULL)
		ck_assert_msg(strstr(rs.body.data, routes[_i].lacks) == NULL,
		    "line %d: %s on the page", routes[_i].line,
		    routes[_i].lacks);
	/* Every page: no secret, no markup from the data, no script. */
	for (size_t k = 0; k < sizeof(secrets) / sizeof(secrets[0]); k++)
		ck_assert_msg(rs.body.data == NULL ||
		    strstr(rs.body.data, secrets[k]) == NULL,
		    "line %d: secret %s on the page", routes[_i].line,
		    secrets[k]);
	ck_assert_msg(rs.body.data == NULL || (rs.status == 200 &&
	    strncmp(uri, "/export", 7) == 0) ||
	    (strstr(rs.body.data, "<script") == NULL &&
	    strstr(rs.body.data, "<b>") == NULL && strstr(rs.body.data,
	    "<x>") == NULL), "line %d: markup from data", routes[_i].line);
	if (rs.status != 200 || strncmp(uri, "/export", 7) != 0) {
		ck_assert_str_eq(rs.content_type, "text/html; charset=utf-8");
		ck_assert_ptr_nonnull(strstr(rs.body.data, "<!DOCTYPE html>"));
		ck_assert_ptr_nonnull(strstr(rs.body.data, "</html>\n"));
	}
	ck_assert_ptr_nonnull(strstr(rs.headers.data,
	    "Cache-Control: no-store\r\n"));
	ck_assert_int_eq(rs.omit_body, strcmp(routes[_i].method, "HEAD") == 0);
	if (rs.status == 401)
		ck_assert_ptr_nonnull(strstr(rs.headers.data,
		    "WWW-Authenticate: Basic"));
	if (rs.status == 405)
		ck_assert_ptr_nonnull(strstr(rs.headers.data,
		    "Allow: GET, HEAD\r\n"));
	response_free(&rs);
}
END_TEST

static void
assert_names(const struct cmp_list *l, const char *const *names, size_t n)
{
	ck_assert_uint_eq(l->n, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(l->items[i].name, names[i]);
}

/* The known report gives exactly these differences. */
START_TEST(test_differences)
{
	static const char *const mismatches[] = { "Time_Zone",
	    "Admin_Password" };
	static const char *const missing[] = { "Host_Name" };
	static const char *const unexpected[] = { "New_Param_X",
	    "Another_Unexpected" };
	static const char *const secret_names[] = { "Admin_Password",
	    "SIP_Secret_1_" };
	const struct snapshot *s = config_state_get(&app.cs);
	struct secret_key key;
	struct store st = { data, NULL, &s->cmp, 0 };
	struct view_source src = { &st, s, &key, app.metrics, time(NULL) };
	struct phone_view v;
	char msg[STORE_MSG_MAX], err[256];

	ck_assert_int_eq(secret_key_load(data, &key, 1, err, sizeof(err)), 0);
	st.key = &key;
	ck_assert_int_eq(phone_view_load(&v, &src, snapshot_find_mac(s, MAC1),
	    NULL, msg), STORE_OK);
	ck_assert(v.compared);
	assert_names(&v.result.mismatches, mismatches, 2);
	assert_names(&v.result.missing, missing, 1);
	assert_names(&v.result.unexpected, unexpected, 2);
	assert_names(&v.result.secrets, secret_names, 2);
	ck_assert_int_eq(v.result.secrets.items[0].verdict, CMP_DIFFERS);
	ck_assert_int_eq(v.result.secrets.items[1].verdict, CMP_MATCH);
	ck_assert_uint_eq(v.result.n_excluded, 1);
	ck_assert_uint_eq(cmp_differences(&v.result), 5);
	ck_assert_int_eq(v.badge, BADGE_DRIFT);
	ck_assert_str_eq(v.model, "CP-6841-3PCC");
	ck_assert_str_eq(v.firmware, "sip68xx.12-0-1<b>MPP");
	ck_assert_double_eq(v.last_fetch, 1795000000.0);
	phone_view_free(&v);
	ck_assert_int_eq(phone_view_load(&v, &src, snapshot_find_mac(s, MAC2),
	    NULL, msg), STORE_OK);
	ck_assert_uint_eq(cmp_differences(&v.result), 0);
	ck_assert_int_eq(v.badge, BADGE_STALE);
	phone_view_free(&v);
	ck_assert_int_eq(phone_view_load(&v, &src, snapshot_find_mac(s, MAC3),
	    NULL, msg), STORE_OK);
	ck_assert_int_eq(v.badge, BADGE_NEVER);
	phone_view_free(&v);
	secret_key_wipe(&key);
}
END_TEST

static char *
page(const char *uri, const char *user)
{
	struct response rs;
	char *body;

	run("GET", uri, user, &rs);
	ck_assert_msg(rs.status == 200, "%s: %d", uri, rs.status);
	body = buf_detach(&rs.body);
	response_free(&rs);
	return body;
}

/* The same differences as the compare page shows them. */
START_TEST(test_compare_page)
{
	char *b = page("/compare/desk-1", "admin");

	ck_assert_ptr_nonnull(strstr(b, "<span class=\"n\">2</span> "
	    "mismatches"));
	ck_assert_ptr_nonnull(strstr(b, "<span class=\"n\">1</span> missing"));
	ck_assert_ptr_nonnull(strstr(b, "<span class=\"n\">2</span> "
	    "unexpected"));
	ck_assert_ptr_nonnull(strstr(b, "<span class=\"n\">1</span> excluded"));
	/* The expected value with the layer it came from. */
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Time_Zone</th><td><code "
	    "class=\"value\">GMT+01:00</code></td><td><span class=\"layer "
	    "layer-common\">common</span></td><td><code class=\"value\">"
	    "GMT+02:00</code></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Host_Name</th><td><code "
	    "class=\"value\">deskhost</code></td><td><span class=\"layer "
	    "layer-common\">common</span></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "<a href=\"/phone/desk-1\">desk-1"
	    "</a>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Admin_Password</th><td "
	    "colspan=\"3\"><span class=\"badge drift\">differs</span>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>SIP_Secret_1_</th><td "
	    "colspan=\"1\"><span class=\"badge ok\">matches</span>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>New_Param_X</th><td><code "
	    "class=\"value\">val &amp; &lt;x&gt; &quot;q&quot;</code>"));
	ck_assert_ptr_nonnull(strstr(b, "&lt;script&gt;alert(1)&lt;/script"
	    "&gt;"));
	ck_assert_ptr_null(strstr(b, "Password_1_"));	/* blacklisted */
	ck_assert_ptr_nonnull(strstr(b, "href=\"/export-unexpected/" MAC1
	    "\""));
	free(b);
}
END_TEST

START_TEST(test_fleet_page)
{
	char *b = page("/", "admin");

	ck_assert_ptr_nonnull(strstr(b, "4 configured phones: 0 <span class="
	    "\"badge ok\">in sync</span> 1 <span class=\"badge drift\">drift"
	    "</span> 1 <span class=\"badge stale\">stale</span> 2"));
	ck_assert_ptr_nonnull(strstr(b, "<td>sip68xx.12-0-1&lt;b&gt;MPP</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<td>CP-6841-3PCC</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<time datetime=\"2026-11-18T11:06:40Z\""
	    ">2026-11-18 11:06:40 UTC</time>"));
	ck_assert_ptr_nonnull(strstr(b, "<a href=\"/compare/" MAC1 "\">5</a>"));
	ck_assert_ptr_nonnull(strstr(b, "Discovered phones"));
	ck_assert_ptr_nonnull(strstr(b, "<code>00:aa:bb:cc:dd:ee</code>"));
	ck_assert_ptr_nonnull(strstr(b, "badge new"));
	free(b);
	b = page("/", "monitor");
	ck_assert_ptr_null(strstr(b, "<a href=\"/compare/"));
	ck_assert_ptr_null(strstr(b, "<a href=\"/report-detail/"));
	ck_assert_ptr_nonnull(strstr(b, "<td class=\"num\">5</td>"));
	free(b);
}
END_TEST

/* A damaged summary index (here: foreign bytes over its header) is
 * replaced and rebuilt from the stored reports by the next process that
 * opens it: the fleet page shows the same phones as before. */
START_TEST(test_index_rebuilt)
{
	char path[sizeof(app.data_dir) + 32], *b;
	int fd;

	b = page("/", "admin");
	ck_assert_ptr_nonnull(strstr(b, "1 <span class=\"badge drift\">"));
	free(b);
	snprintf(path, sizeof(path), "%s/summary/index", app.data_dir);
	ck_assert_int_ge(fd = open(path, O_WRONLY), 0);
	ck_assert_int_eq(write(fd, "garbage!garbage!", 16), 16);
	close(fd);
	summary_close(app.summary);	/* as a restarted process */
	app.summary = NULL;
	b = page("/", "admin");
	ck_assert_ptr_nonnull(strstr(b, "4 configured phones: 0 <span class="
	    "\"badge ok\">in sync</span> 1 <span class=\"badge drift\">drift"
	    "</span> 1 <span class=\"badge stale\">stale</span> 2"));
	ck_assert_ptr_nonnull(strstr(b, "<a href=\"/compare/" MAC1 "\">5</a>"));
	ck_assert_ptr_nonnull(strstr(b, "<code>00:aa:bb:cc:dd:ee</code>"));
	free(b);
}
END_TEST

/* A rebuild indexes exactly the phones with something to show: stored
 * reports (configured or not) or a fetch the metrics remember; a silent
 * configured phone costs no probe of the store and gets no record. */
START_TEST(test_rebuild_indexes_phones_with_data)
{
	const char *mac3[1] = { MAC3 };
	struct summary_rec r;
	struct summary *sum;
	char msg[SUMMARY_MSG_MAX];

	reindex();
	ck_assert_ptr_nonnull(sum = summary_open(app.data_dir, 8, msg));
	ck_assert(summary_needs_rebuild(sum));
	/* desk-1 and desk-2 reported, 00aabbccddee reported unconfigured;
	 * desk-3 has nothing and nomac no MAC. */
	ck_assert_int_eq(summary_rebuild(sum, &app, app.cs.snap, msg), 3);
	ck_assert_int_eq(summary_get(sum, MAC3, &r), -1);
	ck_assert_int_eq(summary_get(sum, MACX, &r), 0);
	ck_assert(r.latest_id[0] != '\0');
	summary_close(sum);
	/* A fetch alone (no report stored) is worth a record. */
	metrics_set(app.metrics, METRIC_PHONE_LAST_PROFILE_FETCH, mac3,
	    1795000100.0);
	reindex();
	ck_assert_ptr_nonnull(sum = summary_open(app.data_dir, 8, msg));
	ck_assert_int_eq(summary_rebuild(sum, &app, app.cs.snap, msg), 4);
	ck_assert_int_eq(summary_get(sum, MAC3, &r), 0);
	ck_assert_int_eq(r.last_fetch, 1795000100);
	ck_assert_int_eq(r.last_report, 0);
	summary_close(sum);
}
END_TEST

/* The fleet page's query: a filter shows only the matching rows (and
 * says how many of how many), a sort orders them, links keep the query,
 * values come back escaped, and a bad query or a page past the end is
 * refused. */
static const struct {
	int		 line;
	const char	*uri;
	int		 status;
	const char	*first, *then;	/* both in the body, first before then */
	const char	*absent;
} fleet_queries[] = {
	{ __LINE__, "/?status=drift", 200, "(1 of 4 phones)",
	    "/phone/desk-1\"", "/phone/desk-2\"" },
	{ __LINE__, "/?status=stale", 200, "/phone/desk-2\"", "</tbody>",
	    "/phone/desk-1\"" },
	{ __LINE__, "/?status=never", 200, "/phone/desk-3\"",
	    "/phone/nomac\"", "/phone/desk-2\"" },
	{ __LINE__, "/?sort=name&order=desc", 200, "/phone/nomac\"",
	    "/phone/desk-1\"", NULL },
	{ __LINE__, "/?sort=name", 200, "/phone/desk-1\"", "/phone/nomac\"",
	    NULL },
	{ __LINE__, "/?sort=differences&order=desc", 200, "/phone/desk-1\"",
	    "/phone/desk-2\"", NULL },
	{ __LINE__, "/?sort=report&order=desc", 200, "/phone/desk-1\"",
	    "/phone/desk-2\"", NULL },
	{ __LINE__, "/?q=DESK-2", 200, "(1 of 4 phones)", "/phone/desk-2\"",
	    "/phone/desk-1\"" },
	{ __LINE__, "/?q=44:77", 200, "(1 of 4 phones)", "/phone/desk-3\"",
	    "/phone/desk-2\"" },
	{ __LINE__, "/?model=CP-6841-3PCC", 200, "(2 of 4 phones)",
	    "/phone/desk-1\"", "/phone/desk-3\"" },
	{ __LINE__, "/?vendor=cisco+(flat)&status=drift", 200,
	    "href=\"/?sort=mac&amp;status=drift&amp;vendor=cisco%20%28flat%29"
	    "&amp;order=asc\"", "/phone/desk-1\"", NULL },
	{ __LINE__, "/?q=%3Cscript%3E", 200, "value=\"&lt;script&gt;\"",
	    "(0 of 4 phones)", "<script>" },
	{ __LINE__, "/?status=drift&page=1", 200, "Page 1 of 1", NULL, NULL },
	{ __LINE__, "/?page=2", 404, NULL, NULL, NULL },
	{ __LINE__, "/?sort=bogus", 400, NULL, NULL, NULL },
	{ __LINE__, "/?status=drift&status=never", 400, NULL, NULL, NULL },
	{ __LINE__, "/?page=0", 400, NULL, NULL, NULL },
};

START_TEST(test_fleet_query)
{
	struct response rs;
	const char *b, *a;

	run("GET", fleet_queries[_i].uri, "admin", &rs);
	ck_assert_msg(rs.status == fleet_queries[_i].status, "line %d: %d",
	    fleet_queries[_i].line, rs.status);
	b = rs.body.data;
	if (fleet_queries[_i].first != NULL) {
		a = strstr(b, fleet_queries[_i].first);
		ck_assert_msg(a != NULL, "line %d: no %s",
		    fleet_queries[_i].line, fleet_queries[_i].first);
		ck_assert_msg(fleet_queries[_i].then == NULL ||
		    strstr(a, fleet_queries[_i].then) != NULL,
		    "line %d: no %s after %s", fleet_queries[_i].line,
		    fleet_queries[_i].then, fleet_queries[_i].first);
	}
	ck_assert_msg(fleet_queries[_i].absent == NULL ||
	    strstr(b, fleet_queries[_i].absent) == NULL, "line %d: %s shown",
	    fleet_queries[_i].line, fleet_queries[_i].absent);
	response_free(&rs);
}
END_TEST

/* /reports lists each phone that reported with its newest report, newest
 * first, from the index: the configured phones and the discovered one,
 * links to the report and to the phone's own list; desk-1's older report
 * is on desk-1's list, not here. */
START_TEST(test_reports_newest)
{
	char *b = page("/reports", "admin"), *x, *d1, *d2, want[128];

	x = strstr(b, "href=\"/reports?phone=" MACX "\"");
	d1 = strstr(b, "href=\"/reports?phone=" MAC1 "\"");
	d2 = strstr(b, "href=\"/reports?phone=" MAC2 "\"");
	ck_assert_msg(x && d1 && d2 && x < d1 && d1 < d2, "not newest first");
	snprintf(want, sizeof(want), "/report-detail/%s", id_status);
	ck_assert_ptr_nonnull(strstr(d1, want));
	snprintf(want, sizeof(want), "/report-detail/%s", id_desk1);
	ck_assert_ptr_null(strstr(b, want));
	ck_assert_ptr_nonnull(strstr(b, "<code>00:aa:bb:cc:dd:ee</code></a>"
	    "</td><td>config</td>"));
	ck_assert_ptr_nonnull(strstr(b, "<a href=\"/phone/desk-1\">desk-1"));
	free(b);
	b = page("/reports?phone=desk-1", "admin");
	ck_assert_ptr_nonnull(strstr(b, want));
	free(b);
}
END_TEST

/* The index alone makes /reports: records written straight into the
 * index of a data directory that holds no stored report (as when the
 * files were removed after they were indexed) are listed, 50 to a page,
 * newest first to the microsecond, phones of the same instant by MAC;
 * the last page is short and the one after it is a 404. */
#define N_INDEXED	120

struct indexed {
	char		 mac[MAC_LEN + 1];
	int64_t		 when;
	int		 us;
};

static void
put_indexed(struct summary_rec *r, void *ctx)
{
	const struct indexed *x = ctx;

	r->last_report = x->when;
	snprintf(r->latest_id, sizeof(r->latest_id), "%s-20261201T100000."
	    "%06dZ-%s-00000001-00000001-00000001", x->mac, x->us,
	    x->us ? "delta" : "config");
	r->latest_kind = x->us ? REPORT_DELTA : REPORT_CONFIG;
}

static int
indexed_cmp(const void *pa, const void *pb)
{
	const struct indexed *a = pa, *b = pb;

	if (a->when != b->when)
		return a->when > b->when ? -1 : 1;
	if (a->us != b->us)
		return a->us > b->us ? -1 : 1;
	return strcmp(a->mac, b->mac);
}

/* Every row's MAC on page `pg` is want[first..), in order. */
static void
assert_rows(int pg, const struct indexed *want, size_t first, size_t n)
{
	char uri[64], link[64], *b, *at;

	snprintf(uri, sizeof(uri), "/reports?page=%d", pg);
	at = b = page(uri, "admin");
	for (size_t i = first; i < first + n; i++) {
		snprintf(link, sizeof(link), "href=\"/reports?phone=%s\"",
		    want[i].mac);
		ck_assert_msg((at = strstr(at, link)) != NULL, "page %d: row "
		    "%zu (%s) missing or out of order", pg, i, want[i].mac);
	}
	ck_assert_ptr_null(strstr(at + 1, "href=\"/reports?phone="));
	free(b);
}

START_TEST(test_reports_index_only)
{
	char d2[TU_DIR_MAX], saved[sizeof(app.data_dir)], *b;
	struct indexed x[N_INDEXED];
	struct summary *sum;
	struct response rs;

	tu_mkdtemp(d2);
	memcpy(saved, app.data_dir, sizeof(saved));
	snprintf(app.data_dir, sizeof(app.data_dir), "%s", d2);
	reindex();
	sum = summary_of_app(&app, config_state_get(&app.cs));
	ck_assert_ptr_nonnull(sum);
	for (int i = 0; i < N_INDEXED; i++) {
		/* Backwards, so that neither the index's nor the MACs' order
		 * is the answer: three phones a second, two of them at the
		 * same microsecond. */
		snprintf(x[i].mac, sizeof(x[i].mac), "0200000%05x",
		    (unsigned)(N_INDEXED - i) * 7919 % 100000);
		x[i].when = 1796000000 + i / 3;
		x[i].us = i % 3 == 1 ? 250000 : 0;
		ck_assert_int_eq(summary_update(sum, x[i].mac, put_indexed,
		    &x[i]), 0);
	}
	qsort(x, N_INDEXED, sizeof(x[0]), indexed_cmp);
	b = page("/reports", "admin");
	ck_assert_ptr_nonnull(strstr(b, "Page 1 of 3 (120 phones)"));
	ck_assert_ptr_nonnull(strstr(b, "rel=\"next\""));
	free(b);
	assert_rows(1, x, 0, 50);
	assert_rows(2, x, 50, 50);
	assert_rows(3, x, 100, 20);
	run("GET", "/reports?page=4", "admin", &rs);
	ck_assert_int_eq(rs.status, 404);
	response_free(&rs);
	memcpy(app.data_dir, saved, sizeof(saved));
	reindex();
	rm_tree(d2);
}
END_TEST

/* Secrets in a report's detail page say "hashed", nothing more. */
START_TEST(test_detail_page)
{
	char uri[128], *b;

	snprintf(uri, sizeof(uri), "/report-detail/%s", id_desk1);
	b = page(uri, "admin");
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Admin_Password</th><td><span "
	    "class=\"badge secret\">hashed</span></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Password_1_</th><td><span "
	    "class=\"badge secret\">hashed</span></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Station_Name</th><td><code "
	    "class=\"value\">  &lt;b&gt;Desk&lt;/b&gt; &amp; &#39;one&#39;  "
	    "</code></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "Parameters <span class=\"count\">10"
	    "</span>"));
	free(b);
	snprintf(uri, sizeof(uri), "/report-detail/%s", id_status);
	b = page(uri, "admin");
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Factory_PIN</th><td><span "
	    "class=\"badge secret\">hashed</span></td></tr>"));
	free(b);
}
END_TEST

/* The YAML exports: attachment headers, values quoted, no secret. */
START_TEST(test_exports)
{
	struct response rs;

	run("GET", "/export-unexpected/desk-1", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "text/yaml; charset=utf-8");
	ck_assert_ptr_nonnull(strstr(rs.headers.data, "Content-Disposition: "
	    "attachment; filename=\"unexpected_params_" MAC1 "_"));
	ck_assert_ptr_nonnull(strstr(rs.body.data,
	    "New_Param_X: 'val & <x> \"q\"'"));
	ck_assert_ptr_null(strstr(rs.body.data, "SIP_Secret"));
	ck_assert_ptr_null(strstr(rs.body.data, "Admin_Password"));
	response_free(&rs);
	run("GET", "/export-unexpected/?scope=fleet", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.headers.data,
	    "filename=\"common_params_fleet_"));
	/* Reported identically by desk-1 and desk-2, not in common.yml. */
	ck_assert_ptr_nonnull(strstr(rs.body.data, "Resync_Periodic: '3600'"));
	ck_assert_ptr_null(strstr(rs.body.data, "Time_Zone"));
	response_free(&rs);
}
END_TEST

/* With auth disabled everyone is an admin, signed in or not. */
START_TEST(test_auth_disabled)
{
	struct response rs;

	tu_write(etc, "serviceconfig.yml", "auth:\n  enabled: false\n");
	ck_assert_ptr_nonnull(config_state_refresh(&app.cs));
	run("GET", "/compare/desk-1", NULL, &rs);
	ck_assert_int_eq(rs.status, 200);
	response_free(&rs);
	tu_write(etc, "serviceconfig.yml", service_yml);
	ck_assert_ptr_nonnull(config_state_refresh(&app.cs));
	run("GET", "/compare/desk-1", NULL, &rs);
	ck_assert_int_eq(rs.status, 401);
	response_free(&rs);
}
END_TEST

/* An empty data directory: pages still answer. */
START_TEST(test_no_reports)
{
	struct response rs;
	char saved[sizeof(app.data_dir)];

	memcpy(saved, app.data_dir, sizeof(saved));
	snprintf(app.data_dir, sizeof(app.data_dir), "%s/missing", data);
	reindex();
	run("GET", "/reports", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "No phone has reported"));
	response_free(&rs);
	run("GET", "/", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "4 <span class=\"badge "
	    "never\">"));
	response_free(&rs);
	run("GET", "/export-unexpected/?scope=fleet", "admin", &rs);
	ck_assert_int_eq(rs.status, 404);
	response_free(&rs);
	memcpy(app.data_dir, saved, sizeof(saved));
	reindex();
}
END_TEST

/* The phone page: identity, the profile it fetches with a preview whose
 * secrets are masked, every value with its layer, its reports. */
START_TEST(test_phone_page)
{
	char *b = page("/phone/desk-1", "admin");

	ck_assert_ptr_nonnull(strstr(b, "<dt>Vendor</dt><dd>cisco (flat)"
	    "</dd>"));
	ck_assert_ptr_nonnull(strstr(b, "<code>127.0.0.1</code>"));
	ck_assert_ptr_nonnull(strstr(b, "<code>" MAC1 ".xml</code> <span "
	    "class=\"badge ok\">rendered</span>"));
	/* The preview: markup escaped, secrets masked by name. */
	ck_assert_ptr_nonnull(strstr(b, "&lt;Time_Zone ua=&quot;na&quot;&gt;"
	    "GMT+01:00&lt;/Time_Zone&gt;"));
	ck_assert_ptr_nonnull(strstr(b, "&lt;Admin_Password ua=&quot;na&quot;"
	    "&gt;" EXPLAIN_MASK "&lt;/Admin_Password&gt;"));
	ck_assert_ptr_nonnull(strstr(b, "&lt;SIP_Secret_1_ ua=&quot;na&quot;"
	    "&gt;" EXPLAIN_MASK));
	/* Values with their layers; secrets without a value. */
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Time_Zone</th><td><span "
	    "class=\"layer layer-common\">common</span></td><td><code "
	    "class=\"value\">GMT+01:00</code></td></tr>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>User_ID_1_</th><td><span "
	    "class=\"layer layer-phone\">phone</span>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>Resync_Periodic</th><td><span "
	    "class=\"layer layer-schema\">schema</span>"));
	ck_assert_ptr_nonnull(strstr(b, "<tr><th>SIP_Secret_1_</th><td><span "
	    "class=\"layer layer-phone\">phone</span></td><td><span class=\""
	    "badge secret\">secret</span></td></tr>"));
	/* Its reports, the last fetch, the way to compare. */
	ck_assert_ptr_nonnull(strstr(b, "href=\"/reports?phone=desk-1\""));
	ck_assert_ptr_nonnull(strstr(b, "Every report of this phone</a> (2)"));
	ck_assert_ptr_nonnull(strstr(b, "2026-11-18 11:06:40 UTC"));
	ck_assert_ptr_nonnull(strstr(b, "href=\"/compare/" MAC1 "\""));
	free(b);
}
END_TEST

/* A form body handed out at once; `reads` counts the calls. */
struct form {
	const char	*p;
	size_t		 left;
	int		 reads;
};

static ssize_t
form_read(void *ctx, char *out, size_t n)
{
	struct form *f = ctx;

	f->reads++;
	n = n < f->left ? n : f->left;
	memcpy(out, f->p, n);
	f->p += n;
	f->left -= n;
	return (ssize_t)n;
}

/* POSTs `body` (NULL: none) to uri; the log line in log (caller frees
 * both). */
static struct form
post(const char *uri, const char *user, const char *origin,
    const char *body, struct response *rs, struct buf *log)
{
	struct form f = { body ? body : "", body ? strlen(body) : 0, 0 };
	struct request rq;
	struct logline l;
	char cl[32];

	memset(&rq, 0, sizeof(rq));
	rq.method = "POST";
	rq.uri = uri;
	rq.remote_user = user;
	rq.remote_addr = "127.0.0.1";
	rq.host = "prov.example";
	rq.origin = origin;
	snprintf(cl, sizeof(cl), "%zu", f.left);
	rq.content_length = body ? cl : NULL;
	rq.content_type = "application/x-www-form-urlencoded";
	rq.read_body = form_read;
	rq.body_ctx = &f;
	response_init(rs);
	logline_start(&l, "test");
	app_pages_handle(&app, &rq, rs, &l);
	buf_init(log);
	buf_add(log, l.b.data, l.b.len);
	buf_addc(log, '\0');
	logline_discard(&l);
	return f;
}

/* The token the phone page hands `user` for `phone`. */
static void
scrape_token(const char *phone, const char *user, char *tok, size_t n)
{
	char uri[64], *b, *v;

	snprintf(uri, sizeof(uri), "/phone/%s", phone);
	b = page(uri, user);
	ck_assert_ptr_nonnull(strstr(b, "<form method=\"post\" class=\""
	    "actions\" action=\"/phone/"));
	v = strstr(b, "name=\"csrf\" value=\"");
	ck_assert_ptr_nonnull(v);
	v += strlen("name=\"csrf\" value=\"");
	snprintf(tok, n, "%.*s", (int)strcspn(v, "\""), v);
	free(b);
}

static const char *
location(struct response *rs)
{
	const char *h = rs->headers.data ? strstr(rs->headers.data,
	    "Location: ") : NULL;

	return h != NULL ? h + strlen("Location: ") : "";
}

/* The Resync and Reboot buttons: only with this page's token for this
 * user and phone, from this server; the outcome shown after the 303. */
START_TEST(test_phone_post)
{
	char tok[128], tok2[128], body[256], big[2048], *b;
	struct response rs;
	struct buf log;
	struct form f;

	scrape_token("desk-1", "admin", tok, sizeof(tok));
	scrape_token("desk-2", "admin", tok2, sizeof(tok2));
	ck_assert_str_ne(tok, tok2);
	/* No contact known yet: the page says so after the 303. */
	snprintf(body, sizeof(body), "csrf=%s&action=resync", tok);
	post("/phone/desk-1", "admin", "http://prov.example", body, &rs, &log);
	ck_assert_int_eq(rs.status, 303);
	ck_assert_str_eq(rs.outcome, "notify");
	ck_assert_ptr_nonnull(strstr(location(&rs),
	    "/phone/desk-1?done=resync-no_contact\r\n"));
	ck_assert_ptr_nonnull(strstr(log.data, " notify=no_contact"));
	response_free(&rs);
	buf_free(&log);
	b = page("/phone/desk-1?done=resync-no_contact", "admin");
	ck_assert_ptr_nonnull(strstr(b, "<p class=\"notice\">Resync: no SIP "
	    "contact is known"));
	free(b);
	/* No token, another phone's, a changed one, another user's. */
	post("/phone/desk-1", "admin", NULL, "action=resync", &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_str_eq(rs.outcome, "csrf");
	ck_assert_ptr_nonnull(strstr(log.data, " csrf=token"));
	response_free(&rs);
	buf_free(&log);
	snprintf(body, sizeof(body), "csrf=%s&action=resync", tok2);
	post("/phone/desk-1", "admin", NULL, body, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	response_free(&rs);
	buf_free(&log);
	snprintf(body, sizeof(body), "csrf=%s0&action=reboot", tok);
	post("/phone/desk-1", "admin", NULL, body, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	response_free(&rs);
	buf_free(&log);
	post("/phone/desk-1", NULL, NULL, "x", &rs, &log);
	ck_assert_int_eq(rs.status, 401);
	response_free(&rs);
	buf_free(&log);
	/* A monitor never reaches the form: 403 for the role. */
	snprintf(body, sizeof(body), "csrf=%s&action=resync", tok);
	post("/phone/desk-1", "monitor", NULL, body, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_str_ne(rs.outcome, "notify");
	response_free(&rs);
	buf_free(&log);
	/* The right token from another site's page. */
	post("/phone/desk-1", "admin", "http://evil.example", body, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_ptr_nonnull(strstr(log.data, " csrf=origin"));
	response_free(&rs);
	buf_free(&log);
	/* Over the cap: refused unread.  No body: no token. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = post("/phone/desk-1", "admin", NULL, big, &rs, &log);
	ck_assert_int_eq(rs.status, 413);
	ck_assert_int_eq(f.reads, 0);
	response_free(&rs);
	buf_free(&log);
	post("/phone/desk-1", "admin", NULL, NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	response_free(&rs);
	buf_free(&log);
	/* A token, but no button; a phone without a MAC has no form. */
	snprintf(body, sizeof(body), "csrf=%s", tok);
	post("/phone/desk-1", "admin", NULL, body, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	response_free(&rs);
	buf_free(&log);
	b = page("/phone/nomac", "admin");
	ck_assert_ptr_null(strstr(b, "<form"));
	free(b);
	run("GET", "/phone/desk-1?done=anything", "admin", &rs);
	ck_assert_int_eq(rs.status, 400);
	response_free(&rs);
}
END_TEST

/* With a learned contact the button sends the NOTIFY (nobody answers:
 * "sent"), and Reboot sends the reboot event. */
START_TEST(test_phone_post_sends)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct contact c = { .mac = MAC2, .addr = "127.0.0.1",
	    .source = "report", .seen = 1 };
	char tok[128], body[256], got[2048], sub[TU_DIR_MAX + 40], *b;
	struct response rs;
	struct buf log;
	ssize_t n;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	c.port = ntohs(a.sin_port);
	ck_assert_int_eq(contact_put(data, &c), 0);
	b = page("/phone/desk-2", "admin");
	ck_assert_ptr_nonnull(strstr(b, "SIP contact: <code>127.0.0.1</code>"));
	free(b);
	scrape_token("desk-2", "admin", tok, sizeof(tok));
	snprintf(body, sizeof(body), "csrf=%s&action=reboot", tok);
	post("/phone/desk-2", "admin", NULL, body, &rs, &log);
	ck_assert_int_eq(rs.status, 303);
	ck_assert_ptr_nonnull(strstr(location(&rs), "done=reboot-sent"));
	response_free(&rs);
	buf_free(&log);
	n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	got[n] = '\0';
	ck_assert_ptr_nonnull(strstr(got, "NOTIFY sip:" MAC2 "@127.0.0.1"));
	ck_assert_ptr_nonnull(strstr(got, "Event: reboot_now"));
	close(fd);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR "/" MAC2, data);
	unlink(sub);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR "/" MAC2 ".notified", data);
	unlink(sub);
}
END_TEST

/* The masking rules alone, on the shapes vendor files take. */
START_TEST(test_explain_mask)
{
	const struct snapshot *s = config_state_get(&app.cs);
	const struct phone *ph = snapshot_find_mac(s, MAC1);
	struct buf t;

	buf_init(&t);
	buf_adds(&t, "<Admin_Password ua=\"na\">x1</Admin_Password>\n"
	    "<Empty_Password/>\n<Time_Zone>GMT</Time_Zone>\n"
	    "account.1.password = x2\nreg.1.auth.password=\"x3\" "
	    "reg.1.label=\"L\"\nurl = sip:1001:sekret-1001@pbx\n"
	    "note: pw-blacklisted-1001 &amp; admin-secret-xyz\n");
	explain_mask(s, ph, NULL, &t);
	ck_assert_str_eq(t.data, "<Admin_Password ua=\"na\">" EXPLAIN_MASK
	    "</Admin_Password>\n<Empty_Password/>\n<Time_Zone>GMT</Time_Zone>"
	    "\naccount.1.password = " EXPLAIN_MASK "\nreg.1.auth.password=\""
	    EXPLAIN_MASK "\" reg.1.label=\"L\"\nurl = sip:1001:" EXPLAIN_MASK
	    "@pbx\nnote: " EXPLAIN_MASK " &amp; " EXPLAIN_MASK "\n");
	buf_free(&t);
}
END_TEST

/* A failed reload: a banner on every page for signed-in users, with the
 * full diagnostic, while the last good configuration keeps serving. */
START_TEST(test_reload_banner)
{
	struct response rs;

	tu_write(etc, "phones.yml", "phones:\n  desk-1:\n    mac: [\n");
	config_state_refresh(&app.cs);
	ck_assert(app.cs.have_bad);
	run("GET", "/", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "<div class=\"banner\" "
	    "role=\"alert\"><strong>The configuration did not reload:"
	    "</strong> phones.yml:"));
	ck_assert_ptr_nonnull(strstr(rs.body.data, "still serving the "
	    "configuration loaded at 20"));
	ck_assert_ptr_nonnull(strstr(rs.body.data, "<th><a href=\"/phone/"
	    "desk-1\">"));
	response_free(&rs);
	run("GET", "/phone/desk-2", "admin", &rs);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "class=\"banner\""));
	response_free(&rs);
	run("GET", "/nowhere", "monitor", &rs);	/* error pages too */
	ck_assert_int_eq(rs.status, 404);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "class=\"banner\""));
	response_free(&rs);
	run("GET", "/", NULL, &rs);		/* never to strangers */
	ck_assert_int_eq(rs.status, 401);
	ck_assert_ptr_null(strstr(rs.body.data, "banner"));
	ck_assert_ptr_null(strstr(rs.body.data, "phones.yml"));
	response_free(&rs);
	run("GET", "/", "stranger", &rs);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_ptr_null(strstr(rs.body.data, "banner"));
	response_free(&rs);
	tu_write(etc, "phones.yml", phones_yml);
	config_state_refresh(&app.cs);
	ck_assert(!app.cs.have_bad);
	run("GET", "/", "admin", &rs);
	ck_assert_ptr_null(strstr(rs.body.data, "banner"));
	response_free(&rs);
}
END_TEST

/* The fleet export is offered, and answers, only over two or more
 * reporting phones, and never lists what phones.yml sets per phone. */
START_TEST(test_fleet_export_rules)
{
	char d2[TU_DIR_MAX], saved[sizeof(app.data_dir)];
	struct store st;
	struct report r;
	struct response rs;
	struct secret_key key;
	char id[STORE_ID_MAX + 1], err[256];

	tu_mkdtemp(d2);
	memset(&st, 0, sizeof(st));
	st.dir = d2;
	ck_assert_msg(secret_key_load(d2, &key, 1, err, sizeof(err)) == 0,
	    "%s", err);
	st.key = &key;
	memcpy(saved, app.data_dir, sizeof(saved));
	snprintf(app.data_dir, sizeof(app.data_dir), "%s", d2);
	report_init(&r, REPORT_CONFIG);
	set(&r, "User_ID_1_", "1001");		/* desk-1's own key */
	set(&r, "Common_X", "7");
	save(&st, MAC1, &r, time(NULL) - 5, id);
	reindex();
	run("GET", "/", "admin", &rs);
	ck_assert_ptr_null(strstr(rs.body.data, "scope=fleet"));
	response_free(&rs);
	run("GET", "/export-unexpected/?scope=fleet", "admin", &rs);
	ck_assert_int_eq(rs.status, 404);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "two or more"));
	response_free(&rs);
	save(&st, MAC2, &r, time(NULL) - 5, id);
	report_free(&r);
	reindex();
	run("GET", "/", "admin", &rs);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "all 2 reporting phones"));
	ck_assert_ptr_nonnull(strstr(rs.body.data,
	    "href=\"/export-unexpected/?scope=fleet\""));
	response_free(&rs);
	run("GET", "/", "monitor", &rs);
	ck_assert_ptr_null(strstr(rs.body.data, "scope=fleet"));
	response_free(&rs);
	run("GET", "/export-unexpected/?scope=fleet", "admin", &rs);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(rs.body.data, "Common_X: '7'"));
	ck_assert_ptr_null(strstr(rs.body.data, "User_ID_1_"));
	response_free(&rs);
	memcpy(app.data_dir, saved, sizeof(saved));
	reindex();
	secret_key_wipe(&key);
	rm_tree(d2);
}
END_TEST

/* Devices (tests/data/vendors): the Vendor column, "n/a" for a vendor
 * whose phones cannot report, the files in the pack's order, and no
 * password of any layer on the phone page, previews included. */
START_TEST(test_device_pages)
{
	static const char *const dev_secrets[] = { "desk-admin-secret",
	    "desk-line-secret", "common-admin-secret", "pro-secret",
	    "t-secret" };
	static const char *const phones[] = { "/phone/desk", "/phone/pro",
	    "/phone/text", "/phone/flat", "/" };
	char e2[TU_DIR_MAX], d2[TU_DIR_MAX];
	struct app saved = app;
	struct response rs;

	tu_copy_dir("tests/data/vendors/etc", e2);
	tu_write(e2, "serviceconfig.yml", "auth:\n  enabled: false\n");
	tu_mkdtemp(d2);
	tu_app(&app, e2, "tests/data/vendors/schema", d2);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < sizeof(phones) / sizeof(phones[0]); i++) {
		run("GET", phones[i], NULL, &rs);
		ck_assert_msg(rs.status == 200, "%s: %d", phones[i], rs.status);
		for (size_t k = 0; k < sizeof(dev_secrets) /
		    sizeof(dev_secrets[0]); k++)
			ck_assert_msg(strstr(rs.body.data, dev_secrets[k]) ==
			    NULL, "%s shows %s", phones[i], dev_secrets[k]);
		if (strcmp(phones[i], "/phone/desk") == 0) {
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "<dt>Vendor</dt><dd>acme</dd>"));
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "<tr><th>admin_password</th><td><span class=\""
			    "layer layer-phone\">phone</span></td><td><span "
			    "class=\"badge secret\">secret</span>"));
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    EXPLAIN_MASK));
		}
		if (strcmp(phones[i], "/") == 0) {
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "<th scope=\"col\"><a href=\"/?sort=vendor&amp;"
			    "order=asc\">Vendor</a></th>"));
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "</code></td><td>acme</td>"));
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "<span class=\"badge na\">n/a</span>"));
			ck_assert_ptr_nonnull(strstr(rs.body.data,
			    "<td>cisco (flat)</td>"));
		}
		response_free(&rs);
	}
	app_free(&app);
	app = saved;
	rm_tree(e2);
	rm_tree(d2);
}
END_TEST

Suite *app_pages_suite(void);

Suite *
app_pages_suite(void)
{
	Suite *s = suite_create("app_pages");
	TCase *tc = tcase_create("pages");

	tcase_add_unchecked_fixture(tc, fixture_up, fixture_down);
	tcase_add_loop_test(tc, test_routes, 0,
	    (int)(sizeof(routes) / sizeof(routes[0])));
	tcase_add_test(tc, test_differences);
	tcase_add_test(tc, test_compare_page);
	tcase_add_test(tc, test_fleet_page);
	tcase_add_test(tc, test_index_rebuilt);
	tcase_add_test(tc, test_rebuild_indexes_phones_with_data);
	tcase_add_loop_test(tc, test_fleet_query, 0,
	    (int)(sizeof(fleet_queries) / sizeof(fleet_queries[0])));
	tcase_add_test(tc, test_reports_newest);
	tcase_add_test(tc, test_reports_index_only);
	tcase_add_test(tc, test_detail_page);
	tcase_add_test(tc, test_exports);
	tcase_add_test(tc, test_auth_disabled);
	tcase_add_test(tc, test_no_reports);
	tcase_add_test(tc, test_phone_page);
	tcase_add_test(tc, test_phone_post);
	tcase_add_test(tc, test_phone_post_sends);
	tcase_add_test(tc, test_explain_mask);
	tcase_add_test(tc, test_reload_banner);
	tcase_add_test(tc, test_fleet_export_rules);
	tcase_add_test(tc, test_device_pages);
	suite_add_tcase(s, tc);
	return s;
}
