/* report.fcgi's handler in process: requests built by hand, a body read
 * through a fake read_body, a config_state over a copy of the good
 * fixture and a private data directory.  Checks every status the handler
 * answers, what reaches the disk (secrets only as hashes, nothing for a
 * refused report), the log line (never a value) and the metrics kept on
 * arrival. */
#define _GNU_SOURCE		/* nftw, memmem, SCHED_IDLE */
#include <check.h>
#include <errno.h>
#include <sched.h>
#include <ftw.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compare.h"
#include "contact.h"
#include "app_metrics.h"
#include "app_report.h"
#include "store.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"
#define MAC1	"001122334455"			/* phone-01, 192.0.2.10 */
#define MAC2	"001122334466"			/* Reception */
#define MAC_NEW	"0011223344aa"			/* in no config */

#define UA_P1	"Cisco-CP-6841-3PCC/12.0.1 (001122334455)"
#define UA_P2	"Cisco-CP-6841-3PCC/12.0.1 (001122334466)"
#define UA_NEW	"Cisco-CP-6841-3PCC/12.0.1 (0011223344aa)"

/* Every value in these bodies holds VAL: the log must never show it. */
#define VAL	"val-7f3a"
#define SECRET	"secret-" VAL "-pw"
#define BODY_OK \
	"<flat-profile>\n" \
	"  <Station_Name ua=\"na\">Desk " VAL "</Station_Name>\n" \
	"  <Password_1_ ua=\"na\">" SECRET "</Password_1_>\n" \
	"  <SIP_Auth_Token_2_>" SECRET "</SIP_Auth_Token_2_>\n" \
	"  <New_Param_>" VAL "</New_Param_>\n" \
	"</flat-profile>\n"
#define BODY_ENV \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<env><flat-profile>" \
	"<Time_Zone>" VAL "</Time_Zone></flat-profile></env>"
#define BODY_STATUS \
	"<status><Current_Time>" VAL "</Current_Time></status>"
#define BODY_XXE \
	"<?xml version=\"1.0\"?>\n<!DOCTYPE flat-profile [\n" \
	"  <!ENTITY x SYSTEM \"file:///etc/passwd\">\n]>\n" \
	"<flat-profile><Station_Name>&x;</Station_Name></flat-profile>"
#define BODY_LAUGHS \
	"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n" \
	"  <!ENTITY lol \"lol\">\n" \
	"  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n" \
	"  <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n" \
	"]>\n<flat-profile><A>&lol2;</A></flat-profile>"
#define BODY_DEEP \
	"<flat-profile><A><B><C><D>" VAL "</D></C></B></A></flat-profile>"
#define BODY_TRUNC	"<flat-profile><Station_Name>" VAL "</Stat"

static const char svc_discovery[] =
    "discovery:\n"
    "  enabled: true\n"
    "ip_whitelist: [\"203.0.113.5\"]\n";
static const char svc_small[] =
    "ip_whitelist: [\"203.0.113.5\"]\n"
    "reports:\n"
    "  max_body_bytes: 1024\n"
    "  retention: 3\n";
static const char svc_no_ua_check[] =
    "ua_mac_must_match: false\n";

/* ---- fixture ---- */

struct fixture {
	struct app		app;
	char			etc[TU_DIR_MAX];
	char			data[TU_DIR_MAX];
};

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* report.fcgi's context over the fixture's etc and the data directory
 * `data`; metrics, when wanted, are the test's to open. */
static void
server_app(struct fixture *f, const char *data)
{
	tu_app(&f->app, f->etc, f->etc, data);
	/* A server makes its key on the first report. */
	f->app.server = 1;
}

/* A report app over a copy of the good fixture (serviceconfig.yml
 * replaced when `service` is set), its data in a new directory; metrics
 * in that directory when `metrics` is set. */
static void
setup(struct fixture *f, const char *service, int metrics)
{
	char path[TU_DIR_MAX + 32];

	memset(f, 0, sizeof(*f));
	tu_copy_dir(GOOD, f->etc);
	if (service != NULL)
		tu_write(f->etc, "serviceconfig.yml", service);
	tu_mkdtemp(f->data);
	server_app(f, f->data);
	ck_assert_msg(f->app.cs.snap != NULL, "%s", f->app.cs.error);
	if (metrics) {
		snprintf(path, sizeof(path), "%s/metrics.state", f->data);
		f->app.metrics = metrics_open(path, "test");
		ck_assert_ptr_nonnull(f->app.metrics);
	}
}

static void
teardown(struct fixture *f)
{
	app_free(&f->app);
	tu_remove_dir(f->etc);
	rm_tree(f->data);
}

/* The fake body: handed out `chunk` bytes at a time (0: all at once);
 * `fail` makes every read an error.  `reads` counts the calls. */
struct body {
	const char	*p;
	size_t		 n, off, chunk;
	int		 fail, reads;
};

static ssize_t
body_read(void *ctx, char *out, size_t n)
{
	struct body *b = ctx;
	size_t k = b->n - b->off;

	b->reads++;
	if (b->fail)
		return -1;
	if (k > n)
		k = n;
	if (b->chunk > 0 && k > b->chunk)
		k = b->chunk;
	memcpy(out, b->p + b->off, k);
	b->off += k;
	return (ssize_t)k;
}

struct call {
	const char	*method, *uri, *remote, *xff, *ua;
	const char	*length;	/* NULL: strlen(body); "-": absent */
	const char	*body;
};

/* Runs one request; the log line goes into `log` (caller frees). */
static void
run(struct fixture *f, const struct call *c, struct body *b,
    struct response *rs, struct buf *log)
{
	struct request rq;
	struct logline l;
	char len[32];

	memset(&rq, 0, sizeof(rq));
	rq.method = c->method;
	rq.uri = c->uri;
	rq.remote_addr = c->remote ? c->remote : "192.0.2.10";
	rq.forwarded_for = c->xff;
	rq.user_agent = c->ua;
	b->p = c->body ? c->body : "";
	b->n = strlen(b->p);
	snprintf(len, sizeof(len), "%zu", b->n);
	rq.content_length = c->length == NULL ? len :
	    strcmp(c->length, "-") == 0 ? NULL : c->length;
	rq.read_body = body_read;
	rq.body_ctx = b;
	response_init(rs);
	logline_start(&l, "test");
	app_report_handle(&f->app, &rq, rs, &l);
	buf_init(log);
	buf_add(log, l.b.data, l.b.len);
	buf_addc(log, '\0');
	logline_discard(&l);
}

/* The number of stored report files under data/<mac>/ ("" for all). */
static int
count_reports(const char *data, const char *mac)
{
	struct store_page page;
	struct store st = { data, NULL, NULL, 0 };
	int n;

	if (store_list(&st, mac[0] ? mac : NULL, 0, 100000, &page, NULL) !=
	    STORE_OK)
		return 0;
	n = (int)page.total;
	store_page_free(&page);
	return n;
}

/* The body is one JSON object with the right status word; a 200 names
 * the MAC and a report id that loads. */
static void
check_answer(int line, const struct response *rs, const char *mac)
{
	json_object *o, *v;
	const char *want = rs->status == 200 ? "success" : "error";

	ck_assert_msg(rs->content_type != NULL &&
	    strcmp(rs->content_type, "application/json") == 0,
	    "line %d: content type %s", line, rs->content_type);
	o = json_tokener_parse(rs->body.data);
	ck_assert_msg(o != NULL, "line %d: not JSON: %s", line, rs->body.data);
	ck_assert(json_object_object_get_ex(o, "status", &v));
	ck_assert_str_eq(json_object_get_string(v), want);
	if (rs->status == 200) {
		ck_assert(json_object_object_get_ex(o, "mac", &v));
		ck_assert_str_eq(json_object_get_string(v), mac);
		ck_assert(json_object_object_get_ex(o, "report", &v));
		ck_assert(store_id_valid(json_object_get_string(v),
		    strlen(json_object_get_string(v))));
	} else {
		ck_assert(json_object_object_get_ex(o, "message", &v));
		ck_assert_msg(strstr(rs->body.data, VAL) == NULL,
		    "line %d: a value in the answer", line);
	}
	json_object_put(o);
}

/* ---- every status ---- */

static const struct {
	int		 line;
	const char	*service;
	struct call	 c;
	int		 status;
	const char	*outcome;
	const char	*mac;		/* whose report is stored, if any */
	const char	*type;		/* its type in the log line */
} rows[] = {
	/* Stored, by URL MAC in every spelling, or by User-Agent MAC. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "PUT", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "PUT", "/report/00:11:22:33:44:55", NULL, NULL,
	    NULL, NULL, BODY_ENV }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "PUT", "/report/00%3A11%3A22%3A33%3A44%3A55",
	    NULL, NULL, NULL, NULL, BODY_ENV }, 200, "stored", MAC1,
	    "config" },
	{ __LINE__, NULL, { "POST", "/report/0011.2233.4455", NULL, NULL,
	    NULL, NULL, BODY_ENV }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report", NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report/", NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report?type=delta", NULL, NULL, UA_P1,
	    NULL, BODY_ENV }, 200, "stored", MAC1, "delta" },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=full", NULL, NULL,
	    NULL, NULL, BODY_ENV }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=status", NULL,
	    NULL, NULL, NULL, BODY_STATUS }, 200, "stored", MAC1, "status" },
	/* A <status> body is a status report whatever the URL says. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_STATUS }, 200, "stored", MAC1, "status" },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?", NULL, NULL, NULL,
	    NULL, BODY_ENV }, 200, "stored", MAC1, "config" },
	/* The address rules of profiles. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "203.0.113.5", NULL,
	    NULL, NULL, BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "10.0.0.1", "192.0.2.10",
	    NULL, NULL, BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "192.0.2.99", NULL,
	    NULL, NULL, BODY_OK }, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "192.0.2.20", NULL,
	    NULL, NULL, BODY_OK }, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "10.0.0.1", "192.0.2.99",
	    NULL, NULL, BODY_OK }, 403, "not_phone_ip", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "192.0.2.99",
	    "192.0.2.10", NULL, NULL, BODY_OK }, 403, "not_phone_ip", NULL,
	    NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, "garbage", NULL, NULL,
	    NULL, BODY_OK }, 400, "bad_client_address", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC2, "2001:db8::20", NULL,
	    UA_P2, NULL, BODY_OK }, 200, "stored", MAC2, "config" },
	/* Unknown phones: refused, except in discovery mode, where any
	 * phone reports from anywhere. */
	{ __LINE__, NULL, { "POST", "/report/" MAC_NEW, NULL, NULL, NULL,
	    NULL, BODY_OK }, 403, "unknown_phone", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report", NULL, NULL, UA_NEW, NULL,
	    BODY_OK }, 403, "unknown_phone", NULL, NULL },
	{ __LINE__, svc_discovery, { "POST", "/report/" MAC_NEW,
	    "198.18.0.1", NULL, NULL, NULL, BODY_OK }, 200, "stored",
	    MAC_NEW, "config" },
	{ __LINE__, svc_discovery, { "PUT", "/report", "198.18.0.1", NULL,
	    UA_NEW, NULL, BODY_OK }, 200, "stored", MAC_NEW, "config" },
	{ __LINE__, svc_discovery, { "PUT", "/report/" MAC1, "198.18.0.1",
	    NULL, NULL, NULL, BODY_OK }, 200, "stored", MAC1, "config" },
	{ __LINE__, svc_discovery, { "PUT", "/report/01:00:5e:00:00:01",
	    "198.18.0.1", NULL, NULL, NULL, BODY_OK }, 400, "bad_mac", NULL,
	    NULL },
	/* The User-Agent must agree with the URL, unless told otherwise. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, UA_P2, NULL,
	    BODY_OK }, 403, "ua_mismatch", NULL, NULL },
	{ __LINE__, svc_no_ua_check, { "POST", "/report/" MAC1, NULL, NULL,
	    UA_P2, NULL, BODY_OK }, 200, "stored", MAC1, "config" },
	/* A User-Agent whose MAC field names no phone agrees with nothing. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL,
	    "Cisco-CP-8851-3PCC/11.3.1 (01005e000001)", NULL, BODY_OK }, 403,
	    "ua_mismatch", NULL, NULL },
	/* No MAC, or no MAC of a phone. */
	{ __LINE__, NULL, { "POST", "/report", NULL, NULL, NULL, NULL,
	    BODY_OK }, 400, "no_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report", NULL, NULL, "curl/8.0", NULL,
	    BODY_OK }, 400, "no_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/../x", NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 400, "bad_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/%2e%2e%2fx", NULL, NULL, UA_P1,
	    NULL, BODY_OK }, 400, "bad_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "/x", NULL, NULL, NULL,
	    NULL, BODY_OK }, 400, "bad_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/abcdefghijkl", NULL, NULL, NULL,
	    NULL, BODY_OK }, 400, "bad_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/000000000000", NULL, NULL, NULL,
	    NULL, BODY_OK }, 400, "bad_mac", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/%00", NULL, NULL, NULL, NULL,
	    BODY_OK }, 400, "bad_path", NULL, NULL },
	/* Other paths and methods. */
	{ __LINE__, NULL, { "POST", "/reports", NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 404, "no_route", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/", NULL, NULL, UA_P1, NULL, BODY_OK },
	    404, "no_route", NULL, NULL },
	{ __LINE__, NULL, { "POST", "report", NULL, NULL, UA_P1, NULL,
	    BODY_OK }, 400, "bad_path", NULL, NULL },
	{ __LINE__, NULL, { "GET", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "" }, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, { "HEAD", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "" }, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, { "DELETE", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "" }, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, { "post", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK }, 405, "bad_method", NULL, NULL },
	{ __LINE__, NULL, { NULL, "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK }, 405, "bad_method", NULL, NULL },
	/* The query: `type` alone, once, with a known value. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=bogus", NULL, NULL,
	    NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=delta&type=delta",
	    NULL, NULL, NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=delta&x=1", NULL,
	    NULL, NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type", NULL, NULL,
	    NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=", NULL, NULL,
	    NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?TYPE=delta", NULL, NULL,
	    NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?=delta", NULL, NULL,
	    NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?type=delta&", NULL,
	    NULL, NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?&type=delta", NULL,
	    NULL, NULL, NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1 "?&", NULL, NULL, NULL,
	    NULL, BODY_OK }, 400, "bad_query", NULL, NULL },
	/* The length: required, a number, within the cap, not zero. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "-",
	    BODY_OK }, 411, "no_length", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "",
	    BODY_OK }, 400, "bad_length", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "-1",
	    BODY_OK }, 400, "bad_length", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "12a",
	    BODY_OK }, 400, "bad_length", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL,
	    "99999999999999999999999", BODY_OK }, 400, "bad_length", NULL,
	    NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "0",
	    "" }, 400, "empty_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL,
	    "1048577", BODY_OK }, 413, "too_large", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL,
	    "1073741824", BODY_OK }, 413, "too_large", NULL, NULL },
	{ __LINE__, svc_small, { "POST", "/report/" MAC1, NULL, NULL, NULL,
	    "1025", BODY_OK }, 413, "too_large", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, "9999",
	    BODY_OK }, 400, "bad_body", NULL, NULL },
	/* Bodies that are no report: nothing stored. */
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "not xml at all " VAL }, 400, "bad_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_TRUNC }, 400, "bad_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_XXE }, 400, "bad_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_LAUGHS }, 400, "bad_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_DEEP }, 400, "bad_body", NULL, NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "<html><body>" VAL "</body></html>" }, 400, "bad_body", NULL,
	    NULL },
	{ __LINE__, NULL, { "POST", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    "<flat-profile><A>\xff\xfe</A></flat-profile>" }, 400, "bad_body",
	    NULL, NULL },
};

START_TEST(test_rows)
{
	struct fixture f;
	struct body b = { 0 };
	struct response rs;
	struct buf log;
	int line = rows[_i].line;
	char want[64];

	setup(&f, rows[_i].service, 0);
	run(&f, &rows[_i].c, &b, &rs, &log);
	ck_assert_msg(rs.status == rows[_i].status &&
	    strcmp(rs.outcome, rows[_i].outcome) == 0,
	    "line %d: %d %s: %s", line, rs.status, rs.outcome, rs.body.data);
	check_answer(line, &rs, rows[_i].mac);
	ck_assert_msg(count_reports(f.data, "") == (rows[_i].mac != NULL),
	    "line %d: %d reports stored", line, count_reports(f.data, ""));
	if (rows[_i].mac != NULL) {
		ck_assert_int_eq(count_reports(f.data, rows[_i].mac), 1);
		snprintf(want, sizeof(want), " type=%s ", rows[_i].type);
		ck_assert_msg(strstr(log.data, want) != NULL,
		    "line %d: log lacks%s: %s", line, want, log.data);
	}
	/* Refused before the body: not a byte of it read. */
	if (rs.status == 413 || rs.status == 411 || rs.status == 405 ||
	    rs.status == 403 || strcmp(rs.outcome, "bad_query") == 0)
		ck_assert_msg(b.reads == 0, "line %d: body read", line);
	if (rs.status == 405)
		ck_assert_ptr_nonnull(strstr(rs.headers.data,
		    "Allow: POST, PUT\r\n"));
	/* One line, no value of the body in it. */
	ck_assert_msg(strstr(log.data, VAL) == NULL, "line %d: value in log: "
	    "%s", line, log.data);
	ck_assert_ptr_null(strchr(log.data, '\n'));
	response_free(&rs);
	buf_free(&log);
	teardown(&f);
}
END_TEST

/* ---- the body, read in pieces or not at all ---- */

START_TEST(test_body_chunks)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK };
	struct body b = { .chunk = 7 };
	struct response rs;
	struct buf log;

	setup(&f, NULL, 0);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_int_gt(b.reads, (int)(strlen(BODY_OK) / 7));
	response_free(&rs);
	buf_free(&log);
	b = (struct body){ .fail = 1 };
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 400);
	ck_assert_str_eq(rs.outcome, "bad_body");
	ck_assert_int_eq(count_reports(f.data, MAC1), 1);
	response_free(&rs);
	buf_free(&log);
	teardown(&f);
}
END_TEST

/* A body exactly at the cap is read and parsed; one byte more is not. */
START_TEST(test_cap_exact)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    NULL };
	struct body b = { 0 };
	struct response rs;
	struct buf log, body;
	const char *head = "<flat-profile><A>", *tail = "</A></flat-profile>";

	setup(&f, svc_small, 0);
	buf_init(&body);
	buf_adds(&body, head);
	while (body.len < 1024 - strlen(tail))
		buf_addc(&body, 'x');
	buf_adds(&body, tail);
	buf_addc(&body, '\0');
	c.body = body.data;
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(strlen(body.data), 1024);
	ck_assert_msg(rs.status == 200, "%s", rs.body.data);
	response_free(&rs);
	buf_free(&log);
	buf_reset(&body);
	buf_adds(&body, head);
	while (body.len < 1025 - strlen(tail))
		buf_addc(&body, 'x');
	buf_adds(&body, tail);
	buf_addc(&body, '\0');
	c.body = body.data;
	b = (struct body){ 0 };
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 413);
	ck_assert_int_eq(b.reads, 0);
	ck_assert_int_eq(count_reports(f.data, MAC1), 1);
	response_free(&rs);
	buf_free(&log);
	buf_free(&body);
	teardown(&f);
}
END_TEST

/* ---- what reaches the disk ---- */

/* The stored file of report `id`, parsed. */
static json_object *
stored_json(const char *data, const char *id)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%.12s/%s.json", data, id, id);
	return json_object_from_file(path);
}

static const char *
answered_id(const struct response *rs, char *out, size_t n)
{
	json_object *o = json_tokener_parse(rs->body.data), *v;

	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "report", &v));
	snprintf(out, n, "%s", json_object_get_string(v));
	json_object_put(o);
	return out;
}

START_TEST(test_secrets_hashed)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, UA_P1, NULL,
	    BODY_OK };
	struct body b = { 0 };
	struct response rs;
	struct buf log;
	json_object *o, *d, *v;
	char id[STORE_ID_MAX + 1], path[512];
	FILE *fp;
	char text[8192];
	size_t n;

	setup(&f, NULL, 0);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	answered_id(&rs, id, sizeof(id));
	/* Not anywhere in the file's bytes... */
	snprintf(path, sizeof(path), "%s/%s/%s.json", f.data, MAC1, id);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	text[n] = '\0';
	ck_assert_ptr_null(strstr(text, SECRET));
	ck_assert_ptr_null(strstr(text, "secret-"));
	/* ... but as hashes, and the rest as sent, with the Flask fields. */
	ck_assert_ptr_nonnull(o = stored_json(f.data, id));
	ck_assert(json_object_object_get_ex(o, "data", &d));
	ck_assert(json_object_object_get_ex(d, "Password_1_", &v));
	ck_assert(secret_is_hash(json_object_get_string(v)));
	ck_assert(json_object_object_get_ex(d, "SIP_Auth_Token_2_", &v));
	ck_assert(secret_is_hash(json_object_get_string(v)));
	ck_assert(json_object_object_get_ex(d, "Station_Name", &v));
	ck_assert_str_eq(json_object_get_string(v), "Desk " VAL);
	ck_assert(json_object_object_get_ex(o, "mac_address", &v));
	ck_assert_str_eq(json_object_get_string(v), MAC1);
	ck_assert(json_object_object_get_ex(o, "report_type", &v));
	ck_assert_str_eq(json_object_get_string(v), "config");
	ck_assert(json_object_object_get_ex(o, "client_ip", &v));
	ck_assert_str_eq(json_object_get_string(v), "192.0.2.10");
	ck_assert(json_object_object_get_ex(o, "user_agent", &v));
	ck_assert_str_eq(json_object_get_string(v), UA_P1);
	ck_assert(json_object_object_get_ex(o, "timestamp", &v));
	ck_assert_uint_eq(strlen(json_object_get_string(v)), STORE_TS_LEN);
	json_object_put(o);
	/* The log names the report, never a value or a secret. */
	ck_assert_ptr_nonnull(strstr(log.data, id));
	ck_assert_ptr_null(strstr(log.data, "secret"));
	response_free(&rs);
	buf_free(&log);
	teardown(&f);
}
END_TEST

/* The bytes of dir/spool/<first segment>, NUL-terminated (caller frees). */
static char *
first_segment(const char *data, size_t *n)
{
	char path[TU_DIR_MAX + 64];
	char *text = calloc(1, 1 << 20);
	FILE *fp;

	snprintf(path, sizeof(path), "%s/spool/%020u.seg", data, 1u);
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	*n = fread(text, 1, (1 << 20) - 1, fp);
	fclose(fp);
	return text;
}

/* One request whose answer must carry `outcome`; nothing else kept. */
static void
post_expect(struct fixture *f, const struct call *c, const char *outcome)
{
	struct body b = { 0 };
	struct response rs;
	struct buf log;

	run(f, c, &b, &rs, &log);
	ck_assert_str_eq(rs.outcome, outcome);
	response_free(&rs);
	buf_free(&log);
}

/* The scheduling policy of a process, alive or a zombie not yet waited
 * for: field 41 of /proc/PID/stat, proc(5). */
static int
sched_policy_of(pid_t pid)
{
	char path[64], line[1024], *p;
	int field = 3, policy = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), fp));
	fclose(fp);
	/* After the name in parentheses, which may hold spaces: field 3. */
	ck_assert_ptr_nonnull(p = strrchr(line, ')'));
	for (p = strtok(p + 1, " "); p != NULL; p = strtok(NULL, " "), field++)
		if (field == 41)
			policy = atoi(p);
	return policy;
}

/* Waits for the drainer a request started, which must have run on idle
 * CPU time only (SCHED_IDLE) and ended well. */
static void
wait_drainer(struct fixture *f)
{
	siginfo_t si;
	int status;

	ck_assert_int_gt(f->app.drainer, 0);
	ck_assert_int_eq(waitid(P_PID, (id_t)f->app.drainer, &si, WEXITED |
	    WNOWAIT), 0);
	ck_assert_int_eq(sched_policy_of(f->app.drainer), SCHED_IDLE);
	ck_assert_int_eq(waitpid(f->app.drainer, &status, 0), f->app.drainer);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	f->app.drainer = 0;
}

/* reports.spool_always: the phone is answered once its report is sealed
 * in the spool; the drainer this request started stores it as the
 * request would have, secrets hashed.  A body that is not a report is
 * answered 200 too (nothing reads it before the drainer), and the drainer
 * stores nothing of it. */
START_TEST(test_spooled)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, UA_P1, NULL,
	    BODY_OK };
	struct body b = { 0 };
	struct response rs;
	struct buf log;
	json_object *o, *d, *v;
	char *seg;
	size_t n;

	setup(&f, "reports:\n  spool_always: true\n", 0);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.outcome, "spooled");
	ck_assert_ptr_nonnull(o = json_tokener_parse(rs.body.data));
	ck_assert(json_object_object_get_ex(o, "queued", &v));
	ck_assert(json_object_get_boolean(v));
	ck_assert(json_object_object_get_ex(o, "mac", &v));
	ck_assert_str_eq(json_object_get_string(v), MAC1);
	json_object_put(o);
	response_free(&rs);
	buf_free(&log);
	seg = first_segment(f.data, &n);
	ck_assert_ptr_null(memmem(seg, n, SECRET, strlen(SECRET)));
	ck_assert_ptr_null(memmem(seg, n, VAL, strlen(VAL)));
	free(seg);
	wait_drainer(&f);
	ck_assert_int_eq(count_reports(f.data, MAC1), 1);
	{
		struct store_page page;
		struct store st = { f.data, NULL, NULL, 0 };

		ck_assert_int_eq(store_list(&st, MAC1, 0, 10, &page, NULL),
		    STORE_OK);
		ck_assert_ptr_nonnull(o = stored_json(f.data,
		    page.entries[0].id));
		store_page_free(&page);
	}
	ck_assert(json_object_object_get_ex(o, "data", &d));
	ck_assert(json_object_object_get_ex(d, "Password_1_", &v));
	ck_assert(secret_is_hash(json_object_get_string(v)));
	ck_assert(json_object_object_get_ex(o, "user_agent", &v));
	ck_assert_str_eq(json_object_get_string(v), UA_P1);
	ck_assert(json_object_object_get_ex(o, "client_ip", &v));
	ck_assert_str_eq(json_object_get_string(v), "192.0.2.10");
	json_object_put(o);

	c.body = BODY_TRUNC;
	post_expect(&f, &c, "spooled");
	wait_drainer(&f);
	ck_assert_int_eq(count_reports(f.data, MAC1), 1);
	teardown(&f);
}
END_TEST

/* A spool left with records and no drainer (its drainer held off, then
 * the spool full) is drained when a report processed in the request
 * finds it so: before, nothing drained it until a report was spooled
 * again, which a full spool never does. */
START_TEST(test_spool_full_drained)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, UA_P1, NULL,
	    BODY_OK };
	char svc[128], path[TU_DIR_MAX + 32];
	int held;

	snprintf(svc, sizeof(svc), "reports:\n  spool_always: true\n"
	    "  spool_max_bytes: %zu\n", 4096 + strlen(BODY_OK) + 50);
	setup(&f, svc, 0);
	snprintf(path, sizeof(path), "%s/spool", f.data);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/spool/drain.lock", f.data);
	ck_assert_int_ge(held = open(path, O_RDWR | O_CREAT, 0600), 0);
	ck_assert_int_eq(flock(held, LOCK_EX), 0);
	post_expect(&f, &c, "spooled");
	ck_assert_int_eq(f.app.drainer, 0);
	close(held);
	post_expect(&f, &c, "stored");
	wait_drainer(&f);
	ck_assert_int_eq(count_reports(f.data, MAC1), 2);
	teardown(&f);
}
END_TEST

/* A stored report teaches deskprov notify the phone's SIP contact: the
 * report's address and the port it states.  A refused one teaches
 * nothing, and neither does an unknown phone in discovery mode. */
START_TEST(test_contact_learned)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, UA_P1, NULL,
	    "<flat-profile><SIP_Port_1_>5072</SIP_Port_1_></flat-profile>" };
	struct call bad = { "PUT", "/report/" MAC2, "198.51.100.9", NULL,
	    UA_P2, NULL, "<flat-profile><SIP_Port_1_>5072</SIP_Port_1_>"
	    "</flat-profile>" };
	struct call unknown = { "POST", "/report/" MAC_NEW, NULL, NULL, UA_NEW,
	    NULL, BODY_OK };
	struct body b = { 0 };
	struct contact got;
	struct response rs;
	struct buf log;

	setup(&f, NULL, 0);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	response_free(&rs);
	buf_free(&log);
	ck_assert_int_eq(contact_get(f.data, MAC1, &got), 0);
	ck_assert_str_eq(got.addr, "192.0.2.10");
	ck_assert_uint_eq(got.port, 5072);
	ck_assert_str_eq(got.source, "report");
	memset(&b, 0, sizeof(b));
	run(&f, &bad, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	response_free(&rs);
	buf_free(&log);
	ck_assert_int_eq(contact_get(f.data, MAC2, &got), -ENOENT);
	teardown(&f);
	setup(&f, svc_discovery, 0);
	memset(&b, 0, sizeof(b));
	run(&f, &unknown, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	response_free(&rs);
	buf_free(&log);
	ck_assert_int_eq(contact_get(f.data, MAC_NEW, &got), -ENOENT);
	teardown(&f);
}
END_TEST

/* Retention from serviceconfig: the newest reports stay. */
START_TEST(test_retention)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, "203.0.113.5", NULL, NULL,
	    NULL, BODY_ENV };
	struct body b;
	struct response rs;
	struct buf log;

	setup(&f, svc_small, 0);
	for (int i = 0; i < 8; i++) {
		b = (struct body){ 0 };
		run(&f, &c, &b, &rs, &log);
		ck_assert_int_eq(rs.status, 200);
		response_free(&rs);
		buf_free(&log);
	}
	ck_assert_int_eq(count_reports(f.data, MAC1), 3);
	teardown(&f);
}
END_TEST

/* A full disk or an unwritable directory: 503, the reason in the log,
 * the reports already there untouched. */
START_TEST(test_store_failure)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK };
	struct body b = { 0 };
	struct response rs;
	struct buf log;
	char dir[TU_DIR_MAX + 16], aside[TU_DIR_MAX + 16], id[STORE_ID_MAX + 1];
	char missing[TU_DIR_MAX + 16];
	json_object *o;

	setup(&f, NULL, 0);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	answered_id(&rs, id, sizeof(id));
	response_free(&rs);
	buf_free(&log);
	/* The phone's directory replaced by a file (root ignores modes). */
	snprintf(dir, sizeof(dir), "%s/%s", f.data, MAC1);
	snprintf(aside, sizeof(aside), "%s/aside", f.data);
	ck_assert_int_eq(rename(dir, aside), 0);
	tu_write(f.data, MAC1, "not a directory");
	b = (struct body){ 0 };
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_str_eq(rs.outcome, "store_failed");
	check_answer(__LINE__, &rs, MAC1);
	ck_assert_ptr_nonnull(strstr(log.data, " error="));
	ck_assert_ptr_null(strstr(log.data, VAL));
	ck_assert_ptr_null(strstr(rs.body.data, f.data));
	response_free(&rs);
	buf_free(&log);
	ck_assert_int_eq(unlink(dir), 0);
	ck_assert_int_eq(rename(aside, dir), 0);
	ck_assert_int_eq(count_reports(f.data, MAC1), 1);
	ck_assert_ptr_nonnull(o = stored_json(f.data, id));
	json_object_put(o);
	/* No data directory at all: no key can be made. */
	app_free(&f.app);
	snprintf(missing, sizeof(missing), "%s/missing", f.data);
	server_app(&f, missing);
	b = (struct body){ 0 };
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_str_eq(rs.outcome, "store_failed");
	response_free(&rs);
	buf_free(&log);
	teardown(&f);
}
END_TEST

/* Without any configuration, nothing is accepted. */
START_TEST(test_no_config)
{
	struct fixture f;
	struct call c = { "PUT", "/report/" MAC1, NULL, NULL, NULL, NULL,
	    BODY_OK };
	struct body b = { 0 };
	struct response rs;
	struct buf log;

	setup(&f, NULL, 0);
	app_free(&f.app);
	tu_write(f.etc, "phones.yml", "phones: [broken\n");
	server_app(&f, f.data);
	ck_assert_ptr_null(f.app.cs.snap);
	run(&f, &c, &b, &rs, &log);
	ck_assert_int_eq(rs.status, 503);
	ck_assert_str_eq(rs.outcome, "no_config");
	check_answer(__LINE__, &rs, MAC1);
	ck_assert_int_eq(count_reports(f.data, ""), 0);
	response_free(&rs);
	buf_free(&log);
	teardown(&f);
}
END_TEST

/* ---- metrics on arrival ---- */

/* A body holding exactly what profile.fcgi serves phone-01, with
 * Station_Name changed and New_Param_ added (and the blacklisted
 * Password_1_ sent, which counts for nothing). */
static void
drifted_body(const struct snapshot *s, struct buf *out)
{
	const struct phone *ph = snapshot_find_mac(s, MAC1);
	struct cmp_expected exp;

	cmp_expected_init(&exp);
	cmp_expected_from_phone(&exp, s, ph);
	buf_init(out);
	buf_adds(out, "<flat-profile>");
	for (size_t i = 0; i < exp.n; i++) {
		const char *v = strcmp(exp.items[i].name, "Station_Name") == 0 ?
		    "Changed" : exp.items[i].value;
		buf_printf(out, "<%s>", exp.items[i].name);
		buf_add_xml(out, v, strlen(v));
		buf_printf(out, "</%s>", exp.items[i].name);
	}
	buf_adds(out, "<New_Param_>x</New_Param_></flat-profile>");
	buf_addc(out, '\0');
	cmp_expected_free(&exp);
}

static double
gauge(struct metrics *m, enum metric_id id, const char *mac)
{
	const char *l[1] = { mac };

	return metrics_value(m, id, l);
}

static double
received(struct metrics *m, const char *mac, const char *type)
{
	const char *l[2] = { mac, type };

	return metrics_value(m, METRIC_PHONE_REPORTS_RECEIVED, l);
}

static int
post(struct fixture *f, const char *uri, const char *remote, const char *body)
{
	struct call c = { "POST", uri, remote, NULL, NULL, NULL, body };
	struct body b = { 0 };
	struct response rs;
	struct buf log;
	int status;

	run(f, &c, &b, &rs, &log);
	status = rs.status;
	response_free(&rs);
	buf_free(&log);
	return status;
}

START_TEST(test_metrics)
{
	struct fixture f;
	struct metrics *m;
	struct buf body, text;
	const struct snapshot *s;

	setup(&f, NULL, 1);
	m = f.app.metrics;
	s = f.app.cs.snap;
	drifted_body(s, &body);
	ck_assert_int_eq(post(&f, "/report/" MAC1, NULL, body.data), 200);
	ck_assert(received(m, MAC1, "config") == 1);
	ck_assert(gauge(m, METRIC_PHONE_DIFFERENCES, MAC1) == 2);
	ck_assert(gauge(m, METRIC_PHONE_UNEXPECTED, MAC1) == 1);
	ck_assert(gauge(m, METRIC_PHONE_LAST_REPORT, MAC1) >
	    (double)time(NULL) - 60);
	app_metrics_update_windows(m, f.app.summary, s, time(NULL));
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_DIFFERENCES, NULL) == 1);
	ck_assert(metrics_value(m, METRIC_PHONE_UNEXPECTED_PARAMS, NULL) == 1);
	ck_assert(metrics_value(m, METRIC_REPORTS_RECENT, NULL) == 1);
	/* A delta putting Station_Name back: one difference left. */
	ck_assert_int_eq(post(&f, "/report/" MAC1 "?type=delta", NULL,
	    "<flat-profile><Station_Name>Desk One</Station_Name>"
	    "</flat-profile>"), 200);
	ck_assert(received(m, MAC1, "delta") == 1);
	ck_assert(gauge(m, METRIC_PHONE_DIFFERENCES, MAC1) == 1);
	ck_assert(gauge(m, METRIC_PHONE_UNEXPECTED, MAC1) == 1);
	/* A status report changes no drift gauge. */
	ck_assert_int_eq(post(&f, "/report/" MAC1, NULL, BODY_STATUS), 200);
	ck_assert(received(m, MAC1, "status") == 1);
	ck_assert(gauge(m, METRIC_PHONE_DIFFERENCES, MAC1) == 1);
	/* Refusals count nothing here. */
	ck_assert_int_eq(post(&f, "/report/" MAC1, NULL, BODY_XXE), 400);
	ck_assert_int_eq(post(&f, "/report/" MAC1, "192.0.2.99", BODY_OK),
	    403);
	ck_assert(received(m, MAC1, "config") == 1);
	/* Reception reports a state with many missing parameters. */
	ck_assert_int_eq(post(&f, "/report/" MAC2, "192.0.2.20", BODY_ENV),
	    200);
	ck_assert(gauge(m, METRIC_PHONE_DIFFERENCES, MAC2) > 1);
	ck_assert(gauge(m, METRIC_PHONE_UNEXPECTED, MAC2) == 0);
	app_metrics_update_windows(m, f.app.summary, s, time(NULL));
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_DIFFERENCES, NULL) == 2);
	ck_assert(metrics_value(m, METRIC_PHONE_UNEXPECTED_PARAMS, NULL) == 1);
	ck_assert(metrics_value(m, METRIC_REPORTS_RECENT, NULL) == 2);
	/* The exposition shows the per-phone series. */
	buf_init(&text);
	metrics_write_exposition(m, &text);
	buf_addc(&text, '\0');
	ck_assert_ptr_nonnull(strstr(text.data, "phone_reports_received_total"
	    "{phone_mac=\"" MAC1 "\",report_type=\"config\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text.data, "deskprov_phone_differences"
	    "{phone_mac=\"" MAC1 "\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text.data,
	    "deskprov_phone_unexpected_params{phone_mac=\"" MAC1 "\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text.data, "\nphone_config_differences 2\n"));
	buf_free(&text);
	buf_free(&body);
	teardown(&f);
}
END_TEST

/* Discovery: unknown phones count under "unknown" and get no gauges. */
START_TEST(test_metrics_discovery)
{
	struct fixture f;
	struct metrics *m;

	setup(&f, svc_discovery, 1);
	m = f.app.metrics;
	ck_assert_int_eq(post(&f, "/report/" MAC_NEW, "198.18.0.1", BODY_OK),
	    200);
	ck_assert_int_eq(post(&f, "/report/0011223344bb", "198.18.0.2",
	    BODY_OK), 200);
	ck_assert(received(m, METRICS_UNKNOWN, "config") == 2);
	ck_assert(received(m, MAC_NEW, "config") == 0);
	ck_assert(gauge(m, METRIC_PHONE_DIFFERENCES, MAC_NEW) == 0);
	ck_assert(gauge(m, METRIC_PHONE_LAST_REPORT, MAC_NEW) == 0);
	ck_assert_int_eq(count_reports(f.data, MAC_NEW), 1);
	/* A configured phone still counts under its MAC, from anywhere. */
	ck_assert_int_eq(post(&f, "/report/" MAC1, "198.18.0.3", BODY_ENV),
	    200);
	ck_assert(received(m, MAC1, "config") == 1);
	teardown(&f);
}
END_TEST

Suite *app_report_suite(void);

Suite *
app_report_suite(void)
{
	Suite *s = suite_create("app_report");
	TCase *tc = tcase_create("handler");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_body_chunks);
	tcase_add_test(tc, test_cap_exact);
	tcase_add_test(tc, test_secrets_hashed);
	tcase_add_test(tc, test_spooled);
	tcase_add_test(tc, test_spool_full_drained);
	tcase_add_test(tc, test_retention);
	tcase_add_test(tc, test_store_failure);
	tcase_add_test(tc, test_no_config);
	tcase_add_test(tc, test_metrics);
	tcase_add_test(tc, test_metrics_discovery);
	tcase_add_test(tc, test_contact_learned);
	suite_add_tcase(s, tc);
	return s;
}
