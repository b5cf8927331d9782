#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "page.h"
#include "qs.h"

/* ---- the query string, checked against each route's keys ---- */

/* A page number: 1 to 1,000,000, digits only. */
static int
page_number_ok(const char *v)
{
	size_t n = strlen(v);

	return n >= 1 && n <= 7 && strspn(v, "0123456789") == n &&
	    v[0] != '0' && strtol(v, NULL, 10) <= 1000000;
}

static int
scope_ok(const char *v)
{
	return strcmp(v, "phone") == 0 || strcmp(v, "fleet") == 0;
}

/* A MAC in any spelling or a phone name; whether it names a phone is the
 * page's question (a 404 with a sentence, not a 400). */
static int
phone_ok(const char *v)
{
	return ident_plausible(v, strlen(v));
}

static const struct qs_key no_keys[] = { { NULL, NULL } };
static const struct qs_key reports_keys[] = {
	{ "page", page_number_ok }, { "phone", phone_ok }, { NULL, NULL }
};
static const struct qs_key export_keys[] = {
	{ "scope", scope_ok }, { NULL, NULL }
};

static const struct route {
	const char		*path;
	int			 prefix;	/* path is a prefix */
	enum role		 need;
	const struct qs_key	*keys;
	page_fn			 fn;
} routes[] = {
	{ "/", 0, ROLE_MONITOR, page_fleet_keys, page_fleet },
	{ "/reports", 0, ROLE_ADMIN, reports_keys, page_reports },
	{ "/report-detail/", 1, ROLE_ADMIN, no_keys, page_report_detail },
	{ "/compare/", 1, ROLE_ADMIN, no_keys, page_compare },
	{ "/phone/", 1, ROLE_ADMIN, no_keys, page_phone },
	{ "/export-unexpected/", 1, ROLE_ADMIN, export_keys, page_export },
};

static const struct route *
route_find(const char *path)
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		const struct route *r = &routes[i];
		size_t n = strlen(r->path);
		if (r->prefix ? strncmp(path, r->path, n) == 0 :
		    strcmp(path, r->path) == 0)
			return r;
	}
	return NULL;
}

_Static_assert(PAGE_QUERY_MAX <= QS_KEYS_MAX, "pg->query is filled from qs");

/* The route's keys, decoded into `store` (see qs.h). */
static int
query_parse(struct page *pg, const struct qs_key *keys, struct buf *store)
{
	const char *q = strchr(pg->rq->uri, '?'), *values[QS_KEYS_MAX];

	if (qs_parse(q ? q + 1 : NULL, keys, store, values) < 0)
		return -1;
	for (int i = 0; i < PAGE_QUERY_MAX; i++)
		pg->query[i] = values[i];
	return 0;
}

/* ---- helpers for the page modules ---- */

int
page_fail(struct page *pg, int status, const char *outcome, const char *msg)
{
	pg->rs->outcome = outcome;
	pg->msg = msg;
	return status;
}

int
page_store_fail(struct page *pg, enum store_status st)
{
	static const char *const text[] = {
		[STORE_OK] = "",
		[STORE_E_INVALID] = "That is not a report or phone identifier.",
		[STORE_E_NOT_FOUND] = "No such report.",
		[STORE_E_IO] = "The report store cannot be read right now; "
		    "see the server's log.",
		[STORE_E_CORRUPT] = "A stored report cannot be read; see the "
		    "server's log.",
	};

	logline_str(pg->log, "store_error", pg->msgbuf);
	return page_fail(pg, store_status_http(st), "store_error",
	    (unsigned)st <= STORE_E_CORRUPT ? text[st] : "store error");
}

static const char *
role_name(enum role r)
{
	return r == ROLE_ADMIN ? "admin" : r == ROLE_MONITOR ? "monitor" :
	    NULL;
}

/* "2026-12-02 10:42 UTC" */
static void
minute_utc(time_t t, char out[32])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(out, 32, "an unknown time");
}

/* The banner shows the full diagnostic (config_state.h): only to a
 * signed-in user with a role, never on a 401 or 403 page. */
void
page_begin(struct page *pg, const char *title, enum html_nav nav)
{
	const struct config_state *cs = &pg->app->cs;
	char loaded[32];
	struct html_page hp = {
		.title = title, .active = nav, .user = pg->rq->remote_user,
		.role = role_name(pg->role),
		.show_reports = pg->role == ROLE_ADMIN,
	};

	if (pg->role != ROLE_NONE && cs->have_bad && cs->error[0] != '\0' &&
	    cs->snap != NULL) {
		minute_utc(cs->snap->loaded_at, loaded);
		hp.reload_error = cs->error;
		hp.loaded_at = loaded;
	}
	buf_reset(&pg->rs->body);
	html_head(&pg->rs->body, &hp);
}

int
page_end(struct page *pg, const char *outcome)
{
	html_foot(&pg->rs->body);
	pg->rs->content_type = "text/html; charset=utf-8";
	pg->rs->outcome = outcome;
	return 200;
}

int
page_find_phone(struct page *pg, const char *ident, const struct phone **ph)
{
	char key[IDENT_MAX + 1];

	*ph = NULL;
	if (!ident_plausible(ident, strlen(ident)))
		return page_fail(pg, 400, "bad_phone",
		    "That is not a MAC address or phone name.");
	ident_key(ident, strlen(ident), key);
	if ((*ph = snapshot_find(pg->snap, key)) == NULL)
		return page_fail(pg, 404, "unknown_phone",
		    "No phone with this MAC address or name is configured "
		    "in phones.yml.");
	logline_str(pg->log, "phone", (*ph)->id);
	return 0;
}

void
page_time(struct buf *b, const char *ts, double t)
{
	char iso[32], shown[32];
	time_t when;
	struct tm tm;

	when = ts != NULL ? store_time(ts) : (time_t)t;
	if ((ts == NULL && t <= 0) || when < 0 ||
	    gmtime_r(&when, &tm) == NULL) {
		html_elem(b, "span", "muted", ts != NULL ? ts : "never");
		return;
	}
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(shown, sizeof(shown), "%Y-%m-%d %H:%M:%S", &tm);
	buf_adds(b, "<time");
	html_attr(b, "datetime", iso);
	buf_addc(b, '>');
	html_text(b, shown);
	buf_adds(b, " UTC</time>");
}

void
page_mac(struct buf *b, const char *mac)
{
	char colons[18];

	if (mac == NULL || strlen(mac) != MAC_LEN) {
		html_elem(b, "span", "muted", "no MAC");
		return;
	}
	mac_format_colons(mac, colons);
	html_elem(b, "code", NULL, colons);
}

void
page_phone_link(const struct page *pg, struct buf *b, const struct phone *ph)
{
	struct buf url;

	if (pg->role != ROLE_ADMIN) {
		html_text(b, ph->id);
		return;
	}
	buf_init(&url);
	buf_adds(&url, "/phone/");
	url_segment(&url, ph->id);
	html_link(b, url.data, NULL, ph->id);
	buf_free(&url);
}

void
page_value(struct buf *b, const char *v)
{
	if (v == NULL || v[0] == '\0')
		html_elem(b, "span", "muted", "(empty)");
	else
		html_elem(b, "code", "value", v);
}

void
page_badge(struct buf *b, enum phone_badge badge)
{
	struct buf cls;

	buf_init(&cls);
	buf_printf(&cls, "badge %s", phone_badge_class(badge));
	html_elem(b, "span", cls.data, phone_badge_text(badge));
	buf_free(&cls);
}

/* ---- the dispatcher ---- */

static void
error_page(struct page *pg, int status)
{
	struct buf title;
	const char *msg = pg->msg;

	buf_init(&title);
	buf_printf(&title, "%d %s", status, http_status_text(status));
	if (msg == NULL)
		msg = "Something went wrong; see the server's log.";
	pg->role = pg->snap ? auth_role(pg->snap, pg->rq->remote_user) :
	    ROLE_NONE;
	page_begin(pg, title.data, NAV_NONE);
	buf_adds(&pg->rs->body, "<p class=\"error\">");
	html_text(&pg->rs->body, msg);
	buf_adds(&pg->rs->body, "</p>\n<p><a href=\"/\">Back to the fleet "
	    "overview</a></p>\n");
	html_foot(&pg->rs->body);
	pg->rs->status = status;
	pg->rs->content_type = "text/html; charset=utf-8";
	buf_free(&title);
}

/* The status auth_require() chose, with a sentence for the page. */
static int
auth_fail(struct page *pg)
{
	const char *msg;

	if (pg->rs->status == 401)
		msg = "This page needs a user name and password.";
	else if (auth_role(pg->snap, pg->rq->remote_user) == ROLE_NONE)
		msg = "Your user has no deskprov role (serviceconfig.yml "
		    "auth.users).";
	else
		msg = "This page needs the admin role.";
	pg->msg = msg;
	return pg->rs->status;
}

/* Checks what every page needs and runs the route's page: the method,
 * the path, a configuration, the role, the query. */
static int
dispatch(struct page *pg, char *path, size_t pathsz, struct buf *qstore)
{
	const struct route *r;

	if (strcmp(pg->rq->method, "GET") != 0 &&
	    strcmp(pg->rq->method, "HEAD") != 0) {
		response_header(pg->rs, "Allow", "GET, HEAD");
		return page_fail(pg, 405, "bad_method",
		    "These pages can only be read (GET or HEAD).");
	}
	if (strlen(pg->rq->uri) > URI_MAX)
		return page_fail(pg, 414, "uri_too_long", "The URL is too long.");
	if (uri_path_decode(pg->rq->uri, path, pathsz) < 0)
		return page_fail(pg, 400, "bad_uri", "The URL is malformed.");
	if ((pg->snap = config_state_get(&pg->app->cs)) == NULL)
		return page_fail(pg, 503, "no_config", "No valid configuration "
		    "is loaded; run `deskprov check` to see why.");
	if ((r = route_find(path)) == NULL)
		return page_fail(pg, 404, "no_route", "There is no such page.");
	if (auth_require(pg->snap, pg->rq, r->need, pg->rs) < 0)
		return auth_fail(pg);
	pg->role = auth_role(pg->snap, pg->rq->remote_user);
	if (query_parse(pg, r->keys, qstore) < 0)
		return page_fail(pg, 400, "bad_query", "The query string has "
		    "an unknown, repeated or invalid argument.");
	pg->arg = path + strlen(r->path);
	pg->store.dir = pg->app->data_dir;
	pg->store.cmp = &pg->snap->cmp;
	pg->store.key = pg->src.key = app_key(pg->app, pg->log);
	pg->src.store = &pg->store;
	pg->src.snap = pg->snap;
	pg->src.metrics = pg->app->metrics;
	pg->src.now = time(NULL);
	return r->fn(pg);
}

void
app_pages_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct page pg;
	struct buf qstore;
	char path[URI_MAX + 1];
	int status;

	memset(&pg, 0, sizeof(pg));
	pg.app = app;
	pg.rq = rq;
	pg.rs = rs;
	pg.log = log;
	logline_str(log, "method", rq->method);
	logline_strn(log, "uri", rq->uri, rq->uri ? strnlen(rq->uri, 200) : 0);
	logline_str(log, "user", rq->remote_user);
	buf_init(&qstore);
	if (rq->method == NULL || rq->uri == NULL)
		status = page_fail(&pg, 400, "bad_request", "No request.");
	else
		status = dispatch(&pg, path, sizeof(path), &qstore);
	if (status != 200)
		error_page(&pg, status);
	rs->status = status;
	response_header(rs, "Cache-Control", "no-store");
	response_header(rs, "X-Content-Type-Options", "nosniff");
	response_header(rs, "Content-Security-Policy", "default-src 'none'; "
	    "style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
	    "base-uri 'none'; form-action 'self'");
	rs->omit_body = rq->method != NULL && strcmp(rq->method, "HEAD") == 0;
	buf_free(&qstore);
}
