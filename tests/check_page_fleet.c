/* The fleet page's order, pages and filters over a fleet of 230 phones
 * whose index records are written straight into the index: for every
 * sort key, ascending and descending, the rows of all three pages are
 * compared with an order computed here independently (qsort over the
 * same facts, ties by phones.yml position, descending the exact
 * reverse), and so are combined filters; the last page is short, the one
 * after it a 404, and the filter form's empty fields mean "any".
 *
 * Names, MACs and the facts are spread so that no order is the file's:
 * names and MACs are permutations of the positions, models, firmware,
 * times and differences repeat (ties), some phones have no record
 * (never reported), some a stale one, some no MAC, some a model only in
 * phones.yml. */
#include <check.h>
#include <stdint.h>
#include <strings.h>
#include <time.h>

#include "app_pages.h"
#include "phoneview.h"
#include "summary.h"
#include "testutil.h"

#define N	230
#define PER	100		/* PAGE_FLEET_PER_PAGE */
#define WINDOW	1800		/* report_activity_window below */

static const char *const models[] = { "M-A", "M-B", "M-C" };
static const char *const firmwares[] = { "fw-2", "FW-10", "fw-1", "" };

struct expect {
	char		 name[16];
	char		 mac[MAC_LEN + 1];	/* "" without one */
	const char	*model, *firmware;
	int64_t		 fetch, report, differences;	/* -1: not compared */
	enum phone_badge badge;
	int		 pos;	/* in phones.yml */
};

static struct expect ex[N];
static char etc[TU_DIR_MAX], data[TU_DIR_MAX];
static struct app app;
static time_t now;

static int
has_mac(int i)
{
	return i % 50 != 17;
}

static int
has_record(int i)
{
	return has_mac(i) && i % 7 != 0;
}

static void
write_config(void)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "phones:\n");
	for (int i = 0; i < N; i++) {
		buf_printf(&b, "  %s:\n    ip_address: \"127.0.0.1\"\n",
		    ex[i].name);
		if (has_mac(i))
			buf_printf(&b, "    mac: \"%s\"\n", ex[i].mac);
		if (i % 10 == 3)
			buf_printf(&b, "    model: \"CFG-%d\"\n", i % 2);
	}
	tu_write(etc, "phones.yml", b.data);
	buf_free(&b);
	tu_write(etc, "common.yml", "common:\n  Time_Zone: 'GMT+01:00'\n");
	tu_write(etc, "serviceconfig.yml", "monitoring:\n"
	    "  report_activity_window: 1800\nauth:\n  enabled: true\n"
	    "  users:\n    admin: {username: admin, role: admin}\n");
	tu_write(etc, "comparison.yml", "comparison:\n  blacklist: []\n");
	tu_write(etc, "schema.yml", "schema:\n  flat_profile_params:\n"
	    "    Time_Zone: ''\n  xml_structure:\n    device:\n"
	    "      flat-profile: DYNAMIC_PARAMS\n");
}

static void
put(struct summary_rec *r, void *ctx)
{
	const struct expect *e = ctx;
	int i = e->pos;

	r->last_fetch = e->fetch;
	r->last_report = e->report;
	snprintf(r->latest_id, sizeof(r->latest_id), "%s-20261201T100000."
	    "000000Z-config-00000001-00000001-00000001", e->mac);
	r->have_state = 1;
	r->compared = i % 5 != 0;
	r->differences = i % 4 == 0 ? (uint32_t)(i % 3 + 1) : 0;
	snprintf(r->model, sizeof(r->model), "%s", i % 10 == 3 ? "" :
	    models[i % 3]);
	snprintf(r->firmware, sizeof(r->firmware), "%s", e->firmware);
}

/* What the page should show of phone i, from what put() writes. */
static void
expect_of(int i, struct expect *e)
{
	static char cfg[2][8] = { "CFG-0", "CFG-1" };
	int m = i * 53 % N;

	e->pos = i;
	snprintf(e->name, sizeof(e->name), "%s-%03d", i % 3 ? "ph" : "PH",
	    i * 37 % N);
	snprintf(e->mac, sizeof(e->mac), "02000000%02x%02x", m / 256,
	    m % 256);
	e->model = i % 10 == 3 ? cfg[i % 2] : models[i % 3];
	e->firmware = firmwares[i % 4];
	e->fetch = (int64_t)now - 100 * (i % 8);
	e->report = (int64_t)now - (i % 9 == 0 ? 7200 : 60 * (i % 6));
	e->differences = i % 5 != 0 ? (i % 4 == 0 ? i % 3 + 1 : 0) : -1;
	e->badge = i % 9 == 0 ? BADGE_STALE : e->differences > 0 ?
	    BADGE_DRIFT : BADGE_IN_SYNC;
	if (!has_record(i)) {
		e->model = i % 10 == 3 ? cfg[i % 2] : "";
		e->firmware = "";
		e->fetch = e->report = 0;
		e->differences = -1;
		e->badge = BADGE_NEVER;
	}
	if (!has_mac(i))
		e->mac[0] = '\0';
}

static void
up(void)
{
	struct summary *sum;

	now = time(NULL);
	for (int i = 0; i < N; i++)
		expect_of(i, &ex[i]);
	tu_mkdtemp(etc);
	tu_mkdtemp(data);
	write_config();
	tu_app(&app, etc, etc, data);
	app.server = 1;
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	sum = summary_of_app(&app, app.cs.snap);
	ck_assert_ptr_nonnull(sum);
	for (int i = 0; i < N; i++)
		if (has_record(i))
			ck_assert_int_eq(summary_update(sum, ex[i].mac, put,
			    &ex[i]), 0);
}

static void
down(void)
{
	char p[TU_DIR_MAX + 16];

	app_free(&app);
	tu_remove_dir(etc);
	snprintf(p, sizeof(p), "%s/summary", data);
	tu_remove_dir(p);
	tu_remove_dir(data);
}

/* ---- the order computed here ---- */

static const char *sort_key;	/* qsort() passes no context */
static int sort_desc;

static int
cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int
expect_cmp(const void *pa, const void *pb)
{
	const struct expect *a = pa, *b = pb;
	int c = 0;

	if (strcmp(sort_key, "name") == 0)
		c = strcmp(a->name, b->name);
	else if (strcmp(sort_key, "mac") == 0)
		c = strcmp(a->mac, b->mac);
	else if (strcmp(sort_key, "model") == 0)
		c = strcmp(a->model, b->model);
	else if (strcmp(sort_key, "firmware") == 0)
		c = strcmp(a->firmware, b->firmware);
	else if (strcmp(sort_key, "fetch") == 0)
		c = cmp_i64(a->fetch, b->fetch);
	else if (strcmp(sort_key, "report") == 0)
		c = cmp_i64(a->report, b->report);
	else if (strcmp(sort_key, "differences") == 0)
		c = cmp_i64(a->differences, b->differences);
	else if (strcmp(sort_key, "status") == 0)
		c = strcmp(phone_badge_text(a->badge),
		    phone_badge_text(b->badge));
	/* "vendor": every phone is "cisco (flat)": file order. */
	if (c == 0)
		c = cmp_i64(a->pos, b->pos);
	return sort_desc ? -c : c;
}

static int
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return 0;
}

/* The filters the tests use, as the page documents them. */
struct filter {
	const char	*status, *model, *firmware, *q, *mac_q;
};

static int
expect_matches(const struct expect *e, const struct filter *f)
{
	if (f->status != NULL && strcmp(f->status,
	    e->badge == BADGE_DRIFT ? "drift" : e->badge == BADGE_STALE ?
	    "stale" : e->badge == BADGE_NEVER ? "never" : "in-sync") != 0)
		return 0;
	if (f->model != NULL && strcmp(f->model, e->model) != 0)
		return 0;
	if (f->firmware != NULL && strcmp(f->firmware, e->firmware) != 0)
		return 0;
	if (f->q != NULL && !contains_nocase(e->name, f->q) &&
	    (f->mac_q == NULL || strstr(e->mac, f->mac_q) == NULL))
		return 0;
	return 1;
}

/* The names in order for sort key/order and filter f; returns n. */
static size_t
expected(const char *key, int desc, const struct filter *f,
    struct expect *out)
{
	size_t n = 0;

	for (int i = 0; i < N; i++)
		if (expect_matches(&ex[i], f))
			out[n++] = ex[i];
	sort_key = key;
	sort_desc = desc;
	qsort(out, n, sizeof(*out), expect_cmp);
	return n;
}

/* ---- the page ---- */

static int
get(const char *uri, struct response *rs)
{
	struct request rq = { .method = "GET", .uri = uri,
	    .remote_addr = "127.0.0.1", .remote_user = "admin" };
	struct logline log;

	response_init(rs);
	logline_start(&log, "test");
	app_pages_handle(&app, &rq, rs, &log);
	logline_discard(&log);
	return rs->status;
}

/* The phone names of the configured table's rows, in order. */
static size_t
row_names(const char *body, char names[PER + 1][16])
{
	static const char mark[] = "<th><a href=\"/phone/";
	const char *at = body, *end;
	size_t n = 0;

	while ((at = strstr(at, mark)) != NULL && n <= PER) {
		at += sizeof(mark) - 1;
		end = strchr(at, '"');
		ck_assert_ptr_nonnull(end);
		snprintf(names[n++], 16, "%.*s", (int)(end - at), at);
	}
	return n;
}

/* Every page of query q ("" or "&k=v..."): the rows are want[], PER to
 * a page, the last page short, the next one a 404. */
static void
check_pages(const char *q, const struct expect *want, size_t n, int line)
{
	char uri[256], names[PER + 1][16];
	size_t pages = n == 0 ? 1 : (n + PER - 1) / PER;
	struct response rs;

	for (size_t p = 1; p <= pages + 1; p++) {
		snprintf(uri, sizeof(uri), "/?page=%zu%s", p, q);
		if (p == pages + 1) {
			ck_assert_msg(get(uri, &rs) == 404, "line %d: %s "
			    "gave %d", line, uri, rs.status);
			response_free(&rs);
			break;
		}
		ck_assert_msg(get(uri, &rs) == 200, "line %d: %s gave %d",
		    line, uri, rs.status);
		size_t got = row_names(rs.body.data, names);
		size_t first = (p - 1) * PER;
		size_t rows = n - first < PER ? n - first : PER;

		ck_assert_msg(got == rows, "line %d: %s: %zu rows, not %zu",
		    line, uri, got, rows);
		for (size_t k = 0; k < rows; k++)
			ck_assert_msg(strcmp(names[k], want[first + k].name)
			    == 0, "line %d: %s: row %zu is %s, not %s", line,
			    uri, k, names[k], want[first + k].name);
		response_free(&rs);
	}
}

static const char *const keys[] = { "name", "mac", "vendor", "model",
	"firmware", "fetch", "report", "differences", "status" };

/* Every sort key, both orders, every page of the whole fleet. */
START_TEST(test_every_sort)
{
	static struct expect want[N];
	struct filter none = { NULL, NULL, NULL, NULL, NULL };
	char q[64];

	for (int desc = 0; desc <= 1; desc++) {
		size_t n = expected(keys[_i], desc, &none, want);

		ck_assert_uint_eq(n, N);
		snprintf(q, sizeof(q), "&sort=%s&order=%s", keys[_i],
		    desc ? "desc" : "asc");
		check_pages(q, want, n, __LINE__);
	}
}
END_TEST

/* Filters alone and combined, with a sort, against the same filter
 * applied here. */
static const struct {
	int		 line;
	const char	*query, *key;
	int		 desc;
	struct filter	 f;
} filtered[] = {
	{ __LINE__, "&status=drift", "name", 0,
	    { "drift", NULL, NULL, NULL, NULL } },
	{ __LINE__, "&status=never&sort=mac&order=desc", "mac", 1,
	    { "never", NULL, NULL, NULL, NULL } },
	{ __LINE__, "&model=CFG-1", "name", 0,
	    { NULL, "CFG-1", NULL, NULL, NULL } },
	{ __LINE__, "&model=M-B&firmware=FW-10&sort=report&order=desc",
	    "report", 1, { NULL, "M-B", "FW-10", NULL, NULL } },
	{ __LINE__, "&status=stale&firmware=fw-2&sort=fetch", "fetch", 0,
	    { "stale", NULL, "fw-2", NULL, NULL } },
	{ __LINE__, "&q=PH-1&sort=differences&order=desc", "differences", 1,
	    { NULL, NULL, NULL, "PH-1", NULL } },
	{ __LINE__, "&q=00:00:00:5&sort=name", "name", 0,
	    { NULL, NULL, NULL, "00:00:00:5", "0000005" } },
	{ __LINE__, "&q=ph&status=in-sync&model=M-A&sort=status", "status",
	    0, { "in-sync", "M-A", NULL, "ph", NULL } },
	{ __LINE__, "&vendor=cisco+%28flat%29&firmware=fw-1&sort=firmware",
	    "firmware", 0, { NULL, NULL, "fw-1", NULL, NULL } },
	{ __LINE__, "&model=no-such-model", "name", 0,
	    { NULL, "no-such-model", NULL, NULL, NULL } },
	/* The filter form's empty fields: no filter. */
	{ __LINE__, "&q=&status=&vendor=&model=&firmware=&sort=model",
	    "model", 0, { NULL, NULL, NULL, NULL, NULL } },
};

START_TEST(test_filters)
{
	static struct expect want[N];
	size_t n = expected(filtered[_i].key, filtered[_i].desc,
	    &filtered[_i].f, want);

	ck_assert_msg(strstr(filtered[_i].query, "no-such") != NULL || n > 0,
	    "line %d: the fixture selects nothing", filtered[_i].line);
	check_pages(filtered[_i].query, want, n, filtered[_i].line);
}
END_TEST

/* The links of a filtered page keep the filters and drop the empty
 * fields of the form; the counts say how many matched. */
START_TEST(test_links_keep_query)
{
	static struct expect want[N];
	struct filter f = { "drift", NULL, NULL, NULL, NULL };
	struct response rs;
	char count[64];
	size_t n = expected("name", 0, &f, want);

	ck_assert_int_eq(get("/?status=drift&q=&model=", &rs), 200);
	snprintf(count, sizeof(count), "(%zu of %d phones)", n, N);
	ck_assert_ptr_nonnull(strstr(rs.body.data, count));
	ck_assert_ptr_nonnull(strstr(rs.body.data, "href=\"/?sort=mac&amp;"
	    "status=drift&amp;order=asc\""));
	ck_assert_ptr_null(strstr(rs.body.data, "q=&amp;"));
	response_free(&rs);
}
END_TEST

Suite *page_fleet_suite(void);

Suite *
page_fleet_suite(void)
{
	Suite *s = suite_create("page_fleet");
	TCase *tc = tcase_create("fleet");

	tcase_add_unchecked_fixture(tc, up, down);
	tcase_add_loop_test(tc, test_every_sort, 0,
	    (int)(sizeof(keys) / sizeof(keys[0])));
	tcase_add_loop_test(tc, test_filters, 0,
	    (int)(sizeof(filtered) / sizeof(filtered[0])));
	tcase_add_test(tc, test_links_keep_query);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
