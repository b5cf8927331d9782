#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "app_rps.h"
#include "diag.h"
#include "qs.h"
#include "rps_state.h"

#define BODY_MAX	4096	/* {"url": ...} and room to spare */

const struct rps_conf *
app_rps_conf(struct app *app, struct diag *d)
{
	struct rps_conf *c;

	if (app->rps != NULL)
		return app->rps;
	c = xcalloc(1, sizeof(*c));
	diag_clear(d);
	if (rps_conf_load(c, app->etc, app->rps_env, d) < 0) {
		rps_conf_free(c);
		free(c);
		return NULL;
	}
	return app->rps = c;
}

void
app_rps_count(struct metrics *m, enum rps_provider p,
    const struct rps_result *res)
{
	const char *l[2] = { rps_provider_name(p),
	    rps_outcome_word(res->outcome) };

	metrics_inc(m, METRIC_RPS_REQUESTS, l, 1);
	if (res->calls > 0)
		metrics_observe(m, METRIC_RPS_DURATION, l, res->seconds);
}

/* {"error": word, "message": text}, Falconieri's shape of a refusal. */
static void
answer_error(struct response *rs, int status, const char *word,
    const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(word));
	if (message != NULL && message[0] != '\0')
		json_object_object_add(o, "message",
		    json_object_new_string(message));
	buf_reset(&rs->body);
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = status;
	rs->content_type = "application/json";
	rs->outcome = word;
}

/* The user's role name in serviceconfig (NULL: none).  With auth off,
 * the web server alone guards the gateway, as it does the pages. */
static int
role_ok(const struct snapshot *s, const char *user, struct response *rs)
{
	if (!s->svc.auth_enabled)
		return 1;
	if (user == NULL || user[0] == '\0') {
		answer_error(rs, 401, "no_user", "authentication required");
		response_header(rs, "WWW-Authenticate",
		    "Basic realm=\"deskprov\", charset=\"UTF-8\"");
		return 0;
	}
	for (size_t i = 0; i < s->svc.n_users; i++) {
		const struct web_user *u = &s->svc.users[i];

		if (strcmp(u->username, user) == 0 &&
		    (strcmp(u->role, "rps") == 0 ||
		    strcmp(u->role, "admin") == 0))
			return 1;
	}
	answer_error(rs, 403, "forbidden_role",
	    "the redirect services need the rps or admin role");
	return 0;
}

struct rps_route {
	char		 provider[16];
	char		 mac[40];
};

/* /providers/{provider}/{mac}, each segment within bounds. */
static int
parse_path(const char *uri, struct rps_route *rt)
{
	char path[URI_MAX];
	const char *p, *slash;
	size_t n;

	if (uri_path_decode(uri, path, sizeof(path)) < 0 ||
	    strncmp(path, "/providers/", 11) != 0)
		return -1;
	p = path + 11;
	if ((slash = strchr(p, '/')) == NULL ||
	    (n = (size_t)(slash - p)) == 0 || n >= sizeof(rt->provider))
		return -1;
	memcpy(rt->provider, p, n);
	rt->provider[n] = '\0';
	p = slash + 1;
	if ((n = strlen(p)) == 0 || n >= sizeof(rt->mac) || strchr(p, '/'))
		return -1;
	memcpy(rt->mac, p, n + 1);
	return 0;
}

/* The URL of a PUT body, {"url": "..."}; NULL after the refusal. */
static char *
read_url(const struct request *rq, struct response *rs)
{
	char body[BODY_MAX + 1];
	size_t got = 0;
	ssize_t r;
	json_object *o, *u;
	char *url = NULL;

	while (rq->read_body != NULL && got < BODY_MAX &&
	    (r = rq->read_body(rq->body_ctx, body + got, BODY_MAX - got)) > 0)
		got += (size_t)r;
	body[got] = '\0';
	o = json_tokener_parse(body);
	if (o != NULL && json_object_object_get_ex(o, "url", &u) &&
	    json_object_is_type(u, json_type_string))
		url = strdup(json_object_get_string(u));
	json_object_put(o);
	if (url == NULL)
		answer_error(rs, 400, "missing_url", "the body must be "
		    "{\"url\": \"...\"}");
	else if (!rps_url_ok(url)) {
		answer_error(rs, 400, "unsupported_url_scheme", "the URL must "
		    "be ftp, tftp, http or https with a host");
		free(url);
		url = NULL;
	}
	return url;
}

/* The request's provider, MAC and CRC into rq; -1 after a refusal. */
static int
parse_target(const struct rps_conf *c, const struct request *req,
    const struct rps_route *rt, struct rps_request *rq, struct response *rs)
{
	static const struct qs_key keys[] = { { "crc", NULL }, { NULL, NULL } };
	const char *vals[QS_KEYS_MAX], *q = strchr(req->uri, '?');
	struct buf store;
	int p = rps_provider_find(rt->provider), rc = -1;

	if (p < 0 || !c->p[p].enabled) {
		answer_error(rs, 404, "provider_not_supported", NULL);
		return -1;
	}
	rq->provider = p;
	if (mac_parse(rt->mac, strlen(rt->mac), rq->mac) != MAC_OK) {
		answer_error(rs, 400, "missing_mac_address", "a MAC such as "
		    "AA-BB-CC-DD-EE-FF");
		return -1;
	}
	buf_init(&store);
	if (qs_parse(q != NULL ? q + 1 : NULL, keys, &store, vals) < 0)
		answer_error(rs, 400, "bad_query", "only ?crc= is known");
	else if (vals[0] != NULL && !rps_crc_ok(vals[0]))
		answer_error(rs, 400, "invalid_mac-id_crc_format", NULL);
	else if (p == RPS_GIGASET && vals[0] == NULL &&
	    !c->p[p].disable_crc && req->method[0] == 'P')
		answer_error(rs, 400, "missing_mac-id_crc", NULL);
	else {
		snprintf(rq->crc, sizeof(rq->crc), "%s", vals[0] ? vals[0] : "");
		rc = 0;
	}
	buf_free(&store);
	return rc;
}

static void
answer_result(const struct rps_request *rq, const struct rps_result *res,
    struct response *rs)
{
	json_object *o;

	if (res->outcome != RPS_OK) {
		answer_error(rs, rps_outcome_status(res->outcome),
		    rps_outcome_word(res->outcome), res->message);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "provider",
	    json_object_new_string(rps_provider_name(rq->provider)));
	json_object_object_add(o, "mac", json_object_new_string(rq->mac));
	json_object_object_add(o, "outcome", json_object_new_string("ok"));
	json_object_object_add(o, "message",
	    json_object_new_string(res->message));
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = 200;
	rs->content_type = "application/json";
	rs->outcome = "ok";
}

static int
method_op(const char *m, enum rps_op *op)
{
	static const struct { const char *m; enum rps_op op; } t[] = {
		{ "PUT", RPS_OP_REGISTER }, { "DELETE", RPS_OP_DEREGISTER },
		{ "GET", RPS_OP_CHECK },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (m != NULL && strcmp(m, t[i].m) == 0)
			return *op = t[i].op, 0;
	return -1;
}

/* Records what the vendor said in DATA/rps/ (nothing when the call does
 * not exist: nothing happened). */
static void
keep_state(struct app *app, const struct rps_request *rq,
    const struct rps_result *res, struct logline *log)
{
	struct rps_state st;

	if (res->outcome == RPS_NOT_SUPPORTED)
		return;
	if (rps_state_load(app->data_dir, rq->provider, rq->mac, &st) < 0)
		memset(&st, 0, sizeof(st));
	rps_state_record(&st, rq, res, (long long)time(NULL));
	if (rps_state_save(app->data_dir, &st) < 0)
		logline_str(log, "state", "not_saved");
}

/* Runs the operation, records its state and counts it. */
static void
run(struct app *app, const struct rps_conf *c, struct rps_request *rq,
    struct response *rs, struct logline *log)
{
	struct rps_result res;

	rps_run(c, rq, NULL, NULL, &res);
	app_rps_count(app->metrics, rq->provider, &res);
	keep_state(app, rq, &res, log);
	logline_str(log, "provider", rps_provider_name(rq->provider));
	logline_str(log, "mac", rq->mac);
	logline_str(log, "rps", rps_outcome_word(res.outcome));
	answer_result(rq, &res, rs);
}

void
app_rps_handle(struct app *app, const struct request *req,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s = config_state_get(&app->cs);
	const struct rps_conf *c;
	struct rps_route rt;
	struct rps_request rq = { 0 };
	struct diag d;
	char *url = NULL;

	logline_str(log, "method", req->method);
	logline_strn(log, "uri", req->uri, req->uri ? strnlen(req->uri, 200) :
	    0);
	logline_str(log, "user", req->remote_user);
	if (s == NULL)
		return answer_error(rs, 503, "no_config", "no configuration");
	if (!role_ok(s, req->remote_user, rs))
		return;
	if (parse_path(req->uri, &rt) < 0)
		return answer_error(rs, 404, "not_found",
		    "/providers/{provider}/{mac}");
	if (method_op(req->method, &rq.op) < 0) {
		answer_error(rs, 405, "method_not_allowed", NULL);
		response_header(rs, "Allow", "GET, PUT, DELETE");
		return;
	}
	if ((c = app_rps_conf(app, &d)) == NULL)
		return answer_error(rs, 500, "configuration_error", d.msg);
	if (parse_target(c, req, &rt, &rq, rs) < 0)
		return;
	if (rq.op == RPS_OP_REGISTER && (url = read_url(req, rs)) == NULL)
		return;
	rq.url = url;
	run(app, c, &rq, rs, log);
	free(url);
}
