#define _GNU_SOURCE		/* SCHED_IDLE */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <json-c/json.h>
#include <linux/ioprio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "access.h"
#include "compare.h"
#include "contact.h"
#include "qs.h"
#include "report.h"
#include "spool.h"
#include "app_report.h"
#include "store.h"
#include "summary.h"
#include "useragent.h"

#define PATH_MAX_LEN	256
#define REPORT_PREFIX	"/report"

/* What the URL says about a report. */
struct report_target {
	char			mac[MAC_LEN + 1];	/* "" when not in the URL */
	enum report_kind	kind;
};

/* Every answer is JSON, refusals too: a phone ignores the body, a person
 * running curl reads the message. */
static void
answer_json(struct response *rs, int status, const char *outcome,
    json_object *o)
{
	rs->status = status;
	rs->outcome = outcome;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	response_header(rs, "Cache-Control", "no-store");
}

static void
refuse(struct response *rs, int status, const char *outcome,
    const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string("error"));
	json_object_object_add(o, "message", json_object_new_string(message));
	answer_json(rs, status, outcome, o);
}

/* ---- the URL ---- */

/* The query keys a report URL may carry; anything else is a 400. */
static int
type_ok(const char *v)
{
	enum report_kind k;

	return report_kind_parse(v, strlen(v), &k) == 0;
}

static const struct qs_key query_keys[] = {
	{ "type", type_ok }, { NULL, NULL }
};

/* Reads the query against the table (qs.h): unknown keys, repeated keys,
 * bad values and empty pieces ("type=delta&") are refused, as on the
 * admin pages; an empty query (a lone "?") is no query. */
static int
parse_query(const char *q, struct report_target *t, struct response *rs)
{
	const char *values[QS_KEYS_MAX];
	struct buf store;
	int rc;

	buf_init(&store);
	rc = qs_parse(q, query_keys, &store, values);
	if (rc < 0)
		refuse(rs, 400, "bad_query", "the query may only hold "
		    "type=config, type=delta or type=status, once");
	else if (values[0] != NULL)
		report_kind_parse(values[0], strlen(values[0]), &t->kind);
	buf_free(&store);
	return rc;
}

/* "/report", "/report/" or "/report/<mac>", and the query. */
static int
parse_target(const char *uri, struct report_target *t, struct response *rs)
{
	char path[PATH_MAX_LEN + 1];
	const char *rest;

	memset(t, 0, sizeof(*t));
	t->kind = REPORT_CONFIG;
	if (uri == NULL || strlen(uri) > URI_MAX) {
		refuse(rs, uri ? 414 : 400, "bad_path", "bad request URI");
		return -1;
	}
	if (uri_path_decode(uri, path, sizeof(path)) < 0) {
		refuse(rs, 400, "bad_path", "malformed request path");
		return -1;
	}
	if (strncmp(path, REPORT_PREFIX, strlen(REPORT_PREFIX)) != 0 ||
	    (path[strlen(REPORT_PREFIX)] != '\0' &&
	    path[strlen(REPORT_PREFIX)] != '/')) {
		refuse(rs, 404, "no_route", "reports go to /report/<mac>");
		return -1;
	}
	rest = path + strlen(REPORT_PREFIX);
	if (*rest == '/' && rest[1] != '\0' &&
	    mac_parse(rest + 1, strlen(rest + 1), t->mac) != MAC_OK) {
		refuse(rs, 400, "bad_mac", "not a phone's MAC address");
		return -1;
	}
	return parse_query(strchr(uri, '?') ? strchr(uri, '?') + 1 : NULL,
	    t, rs);
}

/* ---- who is reporting ---- */

/* The MAC from the URL, else from the User-Agent.  Both present must
 * agree when serviceconfig asks User-Agent MACs to match. */
static int
resolve_mac(const struct snapshot *s, const struct request *rq,
    struct report_target *t, struct response *rs, struct logline *log)
{
	struct useragent ua;

	ua_parse(rq->user_agent, &ua);
	if (t->mac[0] == '\0' && ua.mac[0] == '\0') {
		refuse(rs, 400, "no_mac", "no MAC address in the URL or the "
		    "User-Agent");
		return -1;
	}
	if (t->mac[0] == '\0')
		memcpy(t->mac, ua.mac, sizeof(t->mac));
	logline_str(log, "mac", t->mac);
	/* A MAC field that names no phone is no agreement either. */
	if (s->svc.ua_mac_must_match && (ua.mac_bad || (ua.mac[0] != '\0' &&
	    strcmp(ua.mac, t->mac) != 0))) {
		logline_str(log, "ua_mac", ua.mac_bad ? "unreadable" : ua.mac);
		refuse(rs, 403, "ua_mismatch", "User-Agent MAC does not match "
		    "the MAC in the URL");
		return -1;
	}
	return 0;
}

/* A configured phone from an address the profile rules allow, or any
 * phone from anywhere in discovery mode.  *ph is NULL for an unknown phone
 * accepted in discovery mode. */
static int
check_sender(const struct snapshot *s, const struct request *rq,
    const char *mac, const struct phone **ph, char *ip, size_t ipsz,
    struct response *rs, struct logline *log)
{
	struct ipaddr client;
	const char *why;

	if (client_address(&s->svc, rq->remote_addr, rq->forwarded_for,
	    &client) < 0) {
		refuse(rs, 400, "bad_client_address",
		    "unparseable client address");
		return -1;
	}
	ipaddr_format(&client, ip, ipsz);
	*ph = snapshot_find_mac(s, mac);
	if (*ph != NULL)
		logline_str(log, "phone", (*ph)->id);
	if (s->svc.discovery_enabled)
		return 0;
	if (*ph == NULL) {
		refuse(rs, 403, "unknown_phone", "no configured phone has that "
		    "MAC address");
		return -1;
	}
	if ((why = profile_access(s, *ph, &client)) == NULL)
		return 0;
	logline_str(log, "client_ip", ip);
	refuse(rs, 403, why, "this address may not report for that phone");
	return -1;
}

/* ---- the body ---- */

/* The body (http_read_body(), capped before a byte is read; caller frees)
 * or NULL with the refusal in rs. */
static char *
read_body(const struct request *rq, size_t cap, size_t *len,
    struct response *rs)
{
	static const struct {
		const char	*outcome, *message;
	} why[] = {
		{ "too_large", "the report is larger than "
		    "reports.max_body_bytes" },
		{ "empty_body", "the report body is empty" },
		{ "bad_body", "the body is shorter than its Content-Length" },
		{ NULL, "a report needs a valid Content-Length" },
	};
	const char *outcome;
	char *body;
	size_t i = 0;
	int st;

	if ((st = http_read_body(rq, cap, &body, len, &outcome)) == 0)
		return body;
	while (why[i].outcome && strcmp(why[i].outcome, outcome) != 0)
		i++;
	refuse(rs, st, outcome, why[i].message);
	return NULL;
}

/* Parses; on error the refusal names what is wrong (element names and
 * positions, never a value) and the log only the kind of error. */
static int
parse_body(const struct snapshot *s, const char *body, size_t len,
    enum report_kind kind, struct report *r, struct response *rs,
    struct logline *log)
{
	struct report_limits lim;
	enum report_error e;
	char msg[REPORT_MSG_MAX];

	report_limits_default(&lim);
	lim.max_body = (size_t)s->svc.report_max_body;
	if ((e = report_parse(body, len, kind, &lim, r, msg)) == REPORT_OK)
		return 0;
	logline_str(log, "error", report_error_name(e));
	refuse(rs, report_error_status(e), e == REPORT_E_TOO_LARGE ?
	    "too_large" : "bad_body", msg);
	return -1;
}

/* ---- storing ---- */

static void
store_of(struct app *app, const struct snapshot *s, struct store *st)
{
	st->dir = app->data_dir;
	st->key = app->have_key ? &app->key : NULL;
	st->cmp = &s->cmp;
	st->retention = (size_t)s->svc.report_retention;
}

/* Saves the report; a full disk or an unwritable directory is a 503 with
 * the reason in the log (not in the answer: it names paths). */
static int
save(struct app *app, const struct snapshot *s,
    const struct store_meta *meta, const struct report *r,
    char id[STORE_ID_MAX + 1], struct response *rs, struct logline *log)
{
	struct store st;
	enum store_status e;
	char msg[STORE_MSG_MAX];

	if (app_key(app, log) == NULL) {
		refuse(rs, 503, "store_failed", "the report could not be "
		    "stored; try again later");
		return -1;
	}
	store_of(app, s, &st);
	if ((e = store_save(&st, meta, r, id, msg)) == STORE_OK)
		return 0;
	logline_str(log, "error", msg);
	refuse(rs, store_status_http(e), "store_failed", "the report could "
	    "not be stored; try again later");
	return -1;
}

/* Expected against the phone's state: the report itself when it is a
 * full one (the state is exactly that report: nothing to read back), else
 * the store's merge of the newest full report and the deltas after it.
 * 0 with res filled (caller frees), -1 when there is nothing to compare:
 * no state, or a device whose files are no flat profile. */
static int
drift_of(struct app *app, const struct snapshot *s, const struct phone *ph,
    const struct report *r, struct cmp_result *res)
{
	struct cmp_expected exp;
	struct store_state state;
	struct store st;
	char msg[STORE_MSG_MAX];
	int rc = -1;

	memset(&state, 0, sizeof(state));
	report_init(&state.params, REPORT_CONFIG);
	if (r == NULL || r->kind != REPORT_CONFIG) {
		store_of(app, s, &st);
		store_state_free(&state);
		if (store_current(&st, ph->mac, &state, msg) != STORE_OK)
			goto out;
		r = &state.params;
	}
	cmp_expected_init(&exp);
	cmp_expected_from_phone(&exp, s, ph);
	if (exp.comparable) {
		compare_run(&exp, r, &s->cmp, &app->key, res);
		rc = 0;
	}
	cmp_expected_free(&exp);
out:
	store_state_free(&state);
	return rc;
}

/* Per-phone series only for a fleet /metrics can carry (see
 * monitoring.per_phone_series_max); the aggregates come from the summary
 * index. */
static int
per_phone_series(const struct snapshot *s)
{
	return s->n_phones <= (size_t)s->svc.per_phone_series_max;
}

void
app_report_update_drift(struct app *app, const struct snapshot *s,
    const struct phone *ph)
{
	const char *mac[1] = { ph->mac };
	struct cmp_result res;

	if (app->metrics == NULL || ph->mac[0] == '\0' || !app->have_key ||
	    drift_of(app, s, ph, NULL, &res) < 0)
		return;
	metrics_set(app->metrics, METRIC_PHONE_DIFFERENCES, mac,
	    (double)cmp_differences(&res));
	metrics_set(app->metrics, METRIC_PHONE_UNEXPECTED, mac,
	    (double)res.unexpected.n);
	cmp_result_free(&res);
}

/* What one stored report changes in the phone's summary record. */
struct report_news {
	const char		*id;
	enum report_kind	 kind;
	time_t			 when;
	struct useragent	 ua;
	const char		*software;	/* Software_Version, or NULL */
	int			 compared;
	size_t			 differences, unexpected;
};

static void
apply_news(struct summary_rec *rec, void *ctx)
{
	const struct report_news *n = ctx;

	rec->last_report = (int64_t)n->when;
	snprintf(rec->latest_id, sizeof(rec->latest_id), "%s", n->id);
	rec->latest_kind = (uint8_t)n->kind;
	rec->reports++;
	if (n->ua.product[0] != '\0') {
		snprintf(rec->model, sizeof(rec->model), "%s", n->ua.product);
		snprintf(rec->firmware, sizeof(rec->firmware), "%s",
		    n->ua.version);
	}
	if (n->software != NULL)
		snprintf(rec->firmware, sizeof(rec->firmware), "%s",
		    n->software);
	if (n->kind == REPORT_STATUS)
		return;
	rec->have_state = 1;
	rec->compared = (uint8_t)n->compared;
	rec->differences = (uint32_t)n->differences;
	rec->unexpected = (uint32_t)n->unexpected;
}

/* Counts the report under the phone's MAC (configured phones only: the
 * label set stays bounded in discovery mode), compares a configured
 * phone's new state once, and writes the outcome to the summary index and,
 * for a fleet small enough, to the per-phone gauges. */
static void
count_report(struct app *app, const struct snapshot *s,
    const struct phone *ph, const char *mac, const struct report *r,
    const char *id, const char *user_agent)
{
	const char *labels[2] = { NULL, report_kind_name(r->kind) };
	struct report_news n = { .id = id, .kind = r->kind,
	    .when = time(NULL) };
	const struct report_param *sw = report_get(r, "Software_Version");
	struct cmp_result res;
	int series = per_phone_series(s);

	labels[0] = ph != NULL && series ? ph->mac : NULL;
	metrics_inc(app->metrics, METRIC_PHONE_REPORTS_RECEIVED, labels, 1);
	if (!ua_parse(user_agent, &n.ua))
		memset(&n.ua, 0, sizeof(n.ua));
	n.software = sw != NULL && sw->value[0] != '\0' ? sw->value : NULL;
	if (ph != NULL && r->kind != REPORT_STATUS && app->have_key &&
	    drift_of(app, s, ph, r, &res) == 0) {
		n.compared = 1;
		n.differences = cmp_differences(&res);
		n.unexpected = res.unexpected.n;
		cmp_result_free(&res);
	}
	summary_update(summary_of_app(app, s), mac, apply_news, &n);
	if (ph == NULL || !series)
		return;
	metrics_set(app->metrics, METRIC_PHONE_LAST_REPORT, labels,
	    (double)n.when);
	if (n.compared) {
		metrics_set(app->metrics, METRIC_PHONE_DIFFERENCES, labels,
		    (double)n.differences);
		metrics_set(app->metrics, METRIC_PHONE_UNEXPECTED, labels,
		    (double)n.unexpected);
	}
}

static void
answer_stored(struct response *rs, const char *mac, const char *id)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string("success"));
	json_object_object_add(o, "mac", json_object_new_string(mac));
	json_object_object_add(o, "report", json_object_new_string(id));
	answer_json(rs, 200, "stored", o);
}

/* Parses, stores, counts and compares one report, with the answer in rs:
 * the work a report costs, done in the request or by the drainer. */
static void
process(struct app *app, const struct snapshot *s,
    const struct store_meta *meta, enum report_kind kind,
    const struct phone *ph, const char *body, size_t len,
    struct response *rs, struct logline *log)
{
	char id[STORE_ID_MAX + 1];
	struct report r;

	if (parse_body(s, body, len, kind, &r, rs, log) == 0) {
		logline_str(log, "type", report_kind_name(r.kind));
		logline_int(log, "params", (long long)r.n);
		if (save(app, s, meta, &r, id, rs, log) == 0) {
			logline_str(log, "report", id);
			if (ph != NULL)
				contact_from_report(app->data_dir, meta->mac,
				    meta->client_ip, &r);
			count_report(app, s, ph, meta->mac, &r, id,
			    meta->user_agent);
			answer_stored(rs, meta->mac, id);
		}
	}
	report_free(&r);
}

/* ---- the spool (spool.h) ---- */

/* The spool, opened on first need; NULL when it cannot be used (the
 * report is then processed in the request, as without one). */
static struct spool *
spool_of(struct app *app, struct logline *log)
{
	const struct secret_key *k;
	char err[300];

	if (app->spool != NULL || (k = app_key(app, log)) == NULL)
		return app->spool;
	if ((app->spool = spool_open(app->data_dir, k, err,
	    sizeof(err))) == NULL)
		logline_str(log, "spool_error", err);
	return app->spool;
}

/* One of as many processing lanes as the machine has cores, or -1 when
 * all are taken: processing more reports at once than there are cores
 * only makes every phone wait longer. */
static int
take_lane(const struct spool *sp)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	char name[32];
	int fd = -1;

	n = n < 1 ? 1 : n > 64 ? 64 : n;
	for (long i = 0; i < n && fd < 0; i++) {
		snprintf(name, sizeof(name), "lane.%ld", i);
		fd = spool_trylock(sp, name);
	}
	return fd;
}

/* Whether this report waits in the spool: when asked to always, when
 * reports already wait there (they are processed in order), or when every
 * lane is busy.  Otherwise *lane holds the lane taken (caller closes). */
static int
spool_wanted(struct app *app, const struct snapshot *s, size_t len,
    int *lane, struct logline *log)
{
	struct spool *sp;

	*lane = -1;
	if (s->svc.report_spool_max <= 0 || (sp = spool_of(app, log)) == NULL ||
	    spool_full(sp, (uint64_t)s->svc.report_spool_max, len))
		return 0;
	if (s->svc.report_spool_always || spool_backlog(sp) > 0)
		return 1;
	return (*lane = take_lane(sp)) < 0;
}

static void
reap_drainer(struct app *app, int options)
{
	if (app->drainer > 0 && waitpid(app->drainer, NULL, options) != 0)
		app->drainer = 0;
}

/* The drainer's work on one record: what the request would have done,
 * logged like a request.  -1 when it cannot be done now: no configuration
 * to do it with, or the store failing (a full disk); the record stays for
 * the next drainer. */
static int
drain_one(struct app *app, const struct spool_record *rec)
{
	const struct snapshot *s = config_state_get(&app->cs);
	struct store_meta meta = { .mac = rec->mac, .client_ip = rec->ip,
	    .user_agent = rec->user_agent, .when = rec->when,
	    .spool_seq = &rec->seq };
	const struct phone *ph;
	struct response rs;
	struct logline log;

	if (s == NULL)
		return -1;
	response_init(&rs);
	logline_start(&log, app->prog);
	logline_str(&log, "client", rec->ip);
	logline_str(&log, "method", "DRAIN");
	logline_str(&log, "mac", rec->mac);
	if ((ph = snapshot_find_mac(s, rec->mac)) != NULL)
		logline_str(&log, "phone", ph->id);
	if (ph == NULL && !s->svc.discovery_enabled)
		refuse(&rs, 403, "unknown_phone", "the phone was removed "
		    "from the configuration");
	else
		process(app, s, &meta, rec->kind, ph, rec->body,
		    rec->body_len, &rs, &log);
	logline_str(&log, "outcome", rs.outcome);
	logline_int(&log, "status", rs.status);
	logline_end(&log);
	response_free(&rs);
	return rs.status >= 500 ? -1 : 0;
}

/* Lets a burst of reports pass first (spool_drain_waits()). */
static void
wait_for_quiet(struct app *app, struct spool *sp)
{
	const struct timespec nap = { 0, SPOOL_QUIET_NS };
	const struct snapshot *s;

	while ((s = config_state_get(&app->cs)) != NULL &&
	    spool_drain_waits(sp, (uint64_t)s->svc.report_spool_max,
	    spool_now_ns()))
		nanosleep(&nap, NULL);
}

/* Every record there is, oldest first; -1 to stop draining. */
static int
drain_all(struct app *app, struct spool *sp)
{
	struct spool_record rec;
	char err[300], *owned;
	int rc;

	for (;;) {
		wait_for_quiet(app, sp);
		if ((rc = spool_next(sp, &rec, &owned, err, sizeof(err))) == 0)
			break;
		if (rc < 0) {
			log_msg(app->prog, "error", "report spool: %s", err);
			continue;
		}
		rc = drain_one(app, &rec);
		if (rc == 0)
			spool_done(sp);
		free(owned);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The drainer runs on what answering phones leaves over: the CPU no
 * process that answers wants (SCHED_IDLE, where a nice value would still
 * take a share of a busy machine) and the disk's idle time (I/O class
 * idle: its stores and fsyncs queue behind the spool's fdatasyncs, which
 * phones wait for).  sched(7), ioprio_set(2).  The drain goes on at full
 * speed when a burst is over; a record waits, durable, until then.  Where
 * either is refused, a lower priority is the next best thing. */
static void
drainer_yields(void)
{
	const struct sched_param none = { .sched_priority = 0 };

	if (sched_setscheduler(0, SCHED_IDLE, &none) < 0 &&
	    setpriority(PRIO_PROCESS, 0, 10) < 0) {
		/* the default priority still drains */
	}
	/* ioprio_set(2) has no glibc wrapper; the values are the kernel's. */
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
	    IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)) < 0) {
		/* the best-effort class still drains */
	}
}

/* The drainer, a child of the process that found the spool unattended:
 * it holds the drain lock (lockfd) until the spool is empty, on what the
 * processes that answer phones leave over, and ends with its
 * parent.  A record appended as it gives up the lock is seen by its last
 * look or by the appender's own try for the lock. */
static void __attribute__((noreturn))
drain(struct app *app, struct spool *sp, int lockfd, pid_t parent)
{
	int null;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	/* Told apart from the processes that answer, in ps and top. */
	prctl(PR_SET_NAME, "report-drain");
	signal(SIGTERM, SIG_DFL);
	drainer_yields();
	/* The FastCGI listening socket is the parent's to accept on. */
	if ((null = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		dup2(null, 0);
		close(null);
	}
	app->drainer = 0;
	while (drain_all(app, sp) == 0) {
		close(lockfd);
		if (spool_backlog(sp) == 0 ||
		    (lockfd = spool_trylock(sp, "drain.lock")) < 0)
			break;
	}
	_exit(0);
}

static void
start_drainer(struct app *app, struct spool *sp)
{
	pid_t self = getpid(), pid;
	int fd;

	reap_drainer(app, WNOHANG);
	if ((fd = spool_trylock(sp, "drain.lock")) < 0)
		return;		/* one is at work */
	reap_drainer(app, 0);	/* an earlier one on its way out */
	if ((pid = fork()) == 0)
		drain(app, sp, fd, self);
	if (pid < 0)
		log_msg(app->prog, "error", "cannot start the report spool's "
		    "drainer: %s", strerror(errno));
	else
		app->drainer = pid;
	close(fd);
}

static void
answer_queued(struct response *rs, const char *mac)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string("success"));
	json_object_object_add(o, "mac", json_object_new_string(mac));
	json_object_object_add(o, "queued", json_object_new_boolean(1));
	answer_json(rs, 200, "spooled", o);
}

/* Seals the report into the spool and answers; -1 (logged) when it could
 * not be made durable, and the request processes it instead. */
static int
spool_report(struct app *app, const struct request *rq,
    const struct report_target *t, const char *ip, const char *body,
    size_t len, struct response *rs, struct logline *log)
{
	struct spool_record rec = { .kind = t->kind, .ip = ip,
	    .user_agent = rq->user_agent ? rq->user_agent : "",
	    .body = body, .body_len = len };
	char err[300];

	clock_gettime(CLOCK_REALTIME, &rec.when);
	memcpy(rec.mac, t->mac, sizeof(rec.mac));
	if (spool_append(app->spool, &rec, err, sizeof(err)) < 0) {
		logline_str(log, "spool_error", err);
		return -1;
	}
	answer_queued(rs, t->mac);
	start_drainer(app, app->spool);
	return 0;
}

/* From an accepted sender on: the body, then the spool or the work. */
static void
receive(struct app *app, const struct snapshot *s,
    const struct request *rq, const struct report_target *t,
    const struct phone *ph, const char *ip, struct response *rs,
    struct logline *log)
{
	struct store_meta meta = { .mac = t->mac, .client_ip = ip,
	    .user_agent = rq->user_agent };
	size_t len = 0;
	char *body;
	int lane;

	if ((body = read_body(rq, (size_t)s->svc.report_max_body, &len,
	    rs)) == NULL)
		return;
	logline_int(log, "length", (long long)len);
	if (!spool_wanted(app, s, len, &lane, log) ||
	    spool_report(app, rq, t, ip, body, len, rs, log) < 0) {
		process(app, s, &meta, t->kind, ph, body, len, rs, log);
		/* A full spool, or one whose drainer was killed as a burst
		 * ended, is drained all the same. */
		if (app->spool != NULL && spool_backlog(app->spool) > 0)
			start_drainer(app, app->spool);
	}
	if (lane >= 0)
		close(lane);
	free(body);
}

void
app_report_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s;
	const struct phone *ph;
	struct report_target t;
	char ip[64];

	logline_str(log, "method", rq->method);
	logline_strn(log, "uri", rq->uri, rq->uri ? strnlen(rq->uri, 200) : 0);
	if (rq->method == NULL || (strcmp(rq->method, "POST") != 0 &&
	    strcmp(rq->method, "PUT") != 0)) {
		refuse(rs, 405, "bad_method", "reports are sent with POST or "
		    "PUT");
		response_header(rs, "Allow", "POST, PUT");
		return;
	}
	if (parse_target(rq->uri, &t, rs) < 0)
		return;
	if ((s = config_state_get(&app->cs)) == NULL) {
		refuse(rs, 503, "no_config", "no valid configuration loaded");
		return;
	}
	if (resolve_mac(s, rq, &t, rs, log) < 0 ||
	    check_sender(s, rq, t.mac, &ph, ip, sizeof(ip), rs, log) < 0)
		return;
	receive(app, s, rq, &t, ph, ip, rs, log);
}
