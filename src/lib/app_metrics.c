#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "app_metrics.h"
#include "spool.h"
#include "summary.h"

struct fleet_counts {
	size_t	active, reported, drifting, unexpected;
};

static void
count_from_series(struct metrics *m, const struct snapshot *s,
    double fetch_after, double report_after, struct fleet_counts *c)
{
	for (size_t i = 0; i < s->n_phones; i++) {
		const char *mac[1] = { s->phones[i].mac };
		if (mac[0][0] == '\0')
			continue;
		c->active += metrics_value(m, METRIC_PHONE_LAST_PROFILE_FETCH,
		    mac) >= fetch_after;
		c->reported += metrics_value(m, METRIC_PHONE_LAST_REPORT,
		    mac) >= report_after;
		/* report.fcgi keeps these per phone as reports arrive. */
		c->drifting += metrics_value(m, METRIC_PHONE_DIFFERENCES,
		    mac) > 0;
		c->unexpected += metrics_value(m, METRIC_PHONE_UNEXPECTED,
		    mac) > 0;
	}
}

/* Counting over the index: the windows' bounds and the counts. */
struct counting {
	const struct snapshot	*s;
	int64_t			 fetch_after, report_after;
	struct fleet_counts	*c;
};

static const char *
counting_mac(void *ctx, size_t i)
{
	return ((struct counting *)ctx)->s->phones[i].mac;
}

static void
count_one(void *ctx, size_t i, const struct summary_rec *r)
{
	struct counting *k = ctx;
	struct fleet_counts *c = k->c;

	(void)i;
	c->active += r->last_fetch > 0 && r->last_fetch >= k->fetch_after;
	c->reported += r->last_report > 0 &&
	    r->last_report >= k->report_after;
	c->drifting += r->compared && r->differences > 0;
	c->unexpected += r->compared && r->unexpected > 0;
}

/* Every configured phone's record, read in file order (see
 * summary_get_fleet()): at 100,000 phones a jump to a random record per
 * phone is most of a scrape's time. */
static void
count_from_summary(struct summary *sum, const struct snapshot *s,
    double fetch_after, double report_after, struct fleet_counts *c)
{
	struct counting k = { s, (int64_t)fetch_after, (int64_t)report_after,
	    c };

	summary_get_fleet(sum, s->source_hash, s->n_phones, counting_mac,
	    count_one, &k);
}

void
app_metrics_update_windows(struct metrics *m, struct summary *sum,
    const struct snapshot *s, time_t now)
{
	double fetch_after = (double)(now - s->svc.phone_activity_window);
	double report_after = (double)(now - s->svc.report_activity_window);
	struct fleet_counts c = { 0, 0, 0, 0 };

	if (m == NULL)
		return;
	if (sum != NULL)
		count_from_summary(sum, s, fetch_after, report_after, &c);
	else
		count_from_series(m, s, fetch_after, report_after, &c);
	metrics_set(m, METRIC_PHONE_ACTIVITY_RECENT, NULL, (double)c.active);
	metrics_set(m, METRIC_REPORTS_RECENT, NULL, (double)c.reported);
	metrics_set(m, METRIC_PHONE_CONFIG_DIFFERENCES, NULL,
	    (double)c.drifting);
	metrics_set(m, METRIC_PHONE_UNEXPECTED_PARAMS, NULL,
	    (double)c.unexpected);
}

/* What report.fcgi's spool holds (docs/ingest.md): a backlog that grows
 * for long is a drainer that cannot keep up or cannot store. */
static void
spool_gauge(struct app *app)
{
	uint64_t pending;

	if (spool_peek(app->data_dir, &pending) == 0)
		metrics_set(app->metrics, METRIC_REPORT_SPOOL_BYTES, NULL,
		    (double)pending);
}

static void
metrics_page(struct app *app, const struct snapshot *s,
    struct response *rs)
{
	if (!s->svc.metrics_enabled) {
		response_error(rs, 404, "metrics_disabled",
		    "metrics are disabled in serviceconfig.yml");
		return;
	}
	if (app->metrics == NULL) {
		response_error(rs, 503, "no_metrics_store",
		    "the metrics store could not be opened (see the log)");
		return;
	}
	app_metrics_update_windows(app->metrics, summary_of_app(app, s), s,
	    time(NULL));
	spool_gauge(app);
	metrics_write_exposition(app->metrics, &rs->body);
	rs->status = 200;
	rs->outcome = "metrics";
	rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
	response_header(rs, "Cache-Control", "no-store");
}

/* The totals /status shows, each a metric summed over its series. */
static const struct {
	const char	*key;
	enum metric_id	 id;
} status_totals[] = {
	{ "phone_activity_recent", METRIC_PHONE_ACTIVITY_RECENT },
	{ "reports_recent", METRIC_REPORTS_RECENT },
	{ "phone_config_differences", METRIC_PHONE_CONFIG_DIFFERENCES },
	{ "phone_unexpected_params", METRIC_PHONE_UNEXPECTED_PARAMS },
	{ "requests_total", METRIC_REQUESTS },
	{ "rejections_total", METRIC_REJECTIONS },
	{ "firmware_updates_total", METRIC_PHONE_FIRMWARE_UPDATES },
	{ "report_spool_bytes", METRIC_REPORT_SPOOL_BYTES },
};

static json_object *
number(struct metrics *m, enum metric_id id)
{
	return json_object_new_double(m ? metrics_total(m, id) : 0);
}

static void
status_page(struct app *app, const struct snapshot *s,
    struct response *rs)
{
	struct config_state *cs = &app->cs;
	json_object *o = json_object_new_object(), *d, *x, *c, *mt;
	char when[32];

	if (app->metrics) {
		app_metrics_update_windows(app->metrics, summary_of_app(app, s),
		    s, time(NULL));
		spool_gauge(app);
	}
	json_object_object_add(o, "status", json_object_new_string(
	    cs->error[0] ? "degraded" : "active"));
	format_utc(when, sizeof(when), (long long)time(NULL));
	json_object_object_add(o, "timestamp", json_object_new_string(when));
	d = json_object_new_object();
	json_object_object_add(d, "enabled",
	    json_object_new_boolean(s->svc.discovery_enabled));
	x = json_object_new_array();
	for (size_t i = 0; i < s->svc.discovery_exclude.n; i++)
		json_object_array_add(x, json_object_new_string(
		    s->svc.discovery_exclude.macs[i]));
	json_object_object_add(d, "exclude_macs", x);
	json_object_object_add(o, "discovery_mode", d);
	json_object_object_add(o, "phones_configured",
	    json_object_new_int64((int64_t)s->n_phones));
	c = json_object_new_object();
	format_utc(when, sizeof(when), (long long)cs->last_good);
	json_object_object_add(c, "last_reload", json_object_new_string(when));
	json_object_object_add(c, "last_reload_error", cs->error[0] ?
	    json_object_new_string(cs->error) : NULL);
	json_object_object_add(c, "firmware_expected_version",
	    s->fw.expected_version ?
	    json_object_new_string(s->fw.expected_version) : NULL);
	json_object_object_add(o, "config", c);
	mt = json_object_new_object();
	for (size_t i = 0; i < sizeof(status_totals) / sizeof(status_totals[0]);
	    i++)
		json_object_object_add(mt, status_totals[i].key,
		    number(app->metrics, status_totals[i].id));
	json_object_object_add(o, "metrics", mt);
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = 200;
	rs->outcome = "status";
	rs->content_type = "application/json";
	response_header(rs, "Cache-Control", "no-store");
}

/* Only the path matters: a query string is refused rather than ignored,
 * so that a typo is noticed. */
static int
route_is(const char *uri, const char *path)
{
	return uri != NULL && strcmp(uri, path) == 0;
}

void
app_metrics_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s;

	logline_str(log, "method", rq->method);
	logline_strn(log, "uri", rq->uri, rq->uri ? strnlen(rq->uri, 200) : 0);
	logline_str(log, "user", rq->remote_user);
	if (rq->method == NULL || (strcmp(rq->method, "GET") != 0 &&
	    strcmp(rq->method, "HEAD") != 0)) {
		response_error(rs, 405, "bad_method", "use GET or HEAD");
		response_header(rs, "Allow", "GET, HEAD");
		return;
	}
	if ((s = config_state_get(&app->cs)) == NULL) {
		response_error(rs, 503, "no_config",
		    "no valid configuration loaded");
		return;
	}
	if (auth_require(s, rq, ROLE_MONITOR, rs) < 0)
		return;
	if (route_is(rq->uri, "/metrics") ||
	    route_is(rq->uri, s->svc.metrics_endpoint))
		metrics_page(app, s, rs);
	else if (route_is(rq->uri, "/status"))
		status_page(app, s, rs);
	else
		response_error(rs, 404, "no_route", "no such page");
	rs->omit_body = strcmp(rq->method, "HEAD") == 0;
}
