#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "api_ops.h"
#include "app_api.h"
#include "atomicfile.h"
#include "auth.h"
#include "devstore.h"
#include "qs.h"

#define OPENAPI_FILE	"openapi.json"
#define OPENAPI_MAX	(1024 * 1024)

/* One request as the routes see it. */
struct call {
	struct app		*app;
	const struct request	*rq;
	struct response		*rs;
	struct logline		*log;
	const char		*query;		/* after '?', or NULL */
	const char		*seg[4];	/* path below /api/v1 */
	size_t			 n_seg;
	char			 base[300];	/* scheme://host */
};

/* ---- answers ---- */

static const struct {
	int		 status;
	const char	*outcome;
} outcomes[] = {
	{ 400, "bad_request" }, { 404, "not_found" }, { 405, "bad_method" },
	{ 409, "conflict" }, { 411, "no_length" }, { 412, "stale_etag" },
	{ 413, "too_large" }, { 415, "bad_type" }, { 422, "invalid" },
	{ 428, "no_if_match" }, { 503, "no_config" }, { 507, "disk_full" },
};

static const char *
outcome_of(int status)
{
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (outcomes[i].status == status)
			return outcomes[i].outcome;
	return "error";
}

static void
send_json(struct response *rs, int status, const char *outcome,
    json_object *o, const char *type)
{
	rs->status = status;
	rs->outcome = outcome;
	rs->content_type = type;
	buf_reset(&rs->body);
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	buf_addc(&rs->body, '\n');
}

/* A refusal as RFC 9457 problem details, with the unknown fields. */
static void
problem(struct call *c, const struct api_problem *pb)
{
	json_object *o = json_object_new_object();
	int st = pb->status ? pb->status : 500;

	json_object_object_add(o, "type", json_object_new_string(
	    "about:blank"));
	json_object_object_add(o, "title", json_object_new_string(
	    http_status_text(st)));
	json_object_object_add(o, "status", json_object_new_int(st));
	json_object_object_add(o, "detail", json_object_new_string(pb->msg));
	if (pb->fields != NULL)
		json_object_object_add(o, "fields",
		    json_object_get(pb->fields));
	send_json(c->rs, st, outcome_of(st), o, "application/problem+json");
	json_object_put(o);
}

static void
refuse(struct call *c, int status, const char *msg)
{
	struct api_problem pb;

	api_problem_init(&pb);
	api_fail(&pb, status, "%s", msg);
	problem(c, &pb);
}

/* The result of an operation: *out on success (consumed), else pb. */
static void
answer(struct call *c, int rc, int status, json_object *out,
    struct api_problem *pb)
{
	json_object *etag;

	if (rc < 0) {
		problem(c, pb);
		api_problem_free(pb);
		return;
	}
	if (json_object_object_get_ex(out, "etag", &etag) && etag != NULL)
		response_header(c->rs, "ETag", json_object_get_string(etag));
	send_json(c->rs, status, status == 201 ? "created" : "ok", out,
	    "application/json");
	json_object_put(out);
}

/* ---- the request ---- */

/* The server as phones see it, for the URLs a device response gives:
 * serviceconfig.yml links.base_url when set (the caller of the API may
 * reach the server by another name than the phones do), else scheme://host
 * of the request; a Host header that is not a plain host[:port] is not
 * echoed. */
static void
base_url(struct call *c)
{
	const struct snapshot *s = config_state_get(&c->app->cs);
	const char *h = c->rq->host;
	int ok = h != NULL && *h != '\0' && strlen(h) < 256 &&
	    strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-:[]") == strlen(h);

	if (s != NULL && s->svc.links.base_url != NULL &&
	    strlen(s->svc.links.base_url) < sizeof(c->base)) {
		snprintf(c->base, sizeof(c->base), "%s", s->svc.links.base_url);
		c->base[strcspn(c->base, "\0")] = '\0';
		while (c->base[0] != '\0' &&
		    c->base[strlen(c->base) - 1] == '/')
			c->base[strlen(c->base) - 1] = '\0';
		return;
	}
	snprintf(c->base, sizeof(c->base), "%s://%s", c->rq->https &&
	    strcmp(c->rq->https, "on") == 0 ? "https" : "http", ok ? h :
	    "localhost");
}

static long long
content_length(const char *cl)
{
	size_t n;

	if (cl == NULL)
		return -1;
	n = strlen(cl);
	if (n == 0 || n > 18 || strspn(cl, "0123456789") != n)
		return -2;
	return strtoll(cl, NULL, 10);
}

static int
json_type_ok(const char *ct, int patch)
{
	size_t n;

	if (ct == NULL)
		return 0;
	n = strcspn(ct, "; ");
	return (n == 16 && strncmp(ct, "application/json", n) == 0) ||
	    (patch && n == 28 && strncmp(ct, "application/merge-patch+json",
	    n) == 0);
}

/* The JSON body, capped before any of it is read.  NULL after a
 * refusal. */
static json_object *
read_json(struct call *c, int patch)
{
	long long want = content_length(c->rq->content_length);
	char err[128], *body;
	json_object *o = NULL;
	size_t got = 0;
	ssize_t r;

	if (want < 0) {
		refuse(c, want == -1 ? 411 : 400, "a body needs a valid "
		    "Content-Length");
		return NULL;
	}
	if (want > API_BODY_MAX) {
		refuse(c, 413, "the body is larger than 65536 bytes");
		return NULL;
	}
	if (!json_type_ok(c->rq->content_type, patch)) {
		refuse(c, 415, patch ? "send application/merge-patch+json or "
		    "application/json" : "send application/json");
		return NULL;
	}
	body = xmalloc((size_t)want + 1);
	while (c->rq->read_body && got < (size_t)want && (r =
	    c->rq->read_body(c->rq->body_ctx, body + got, (size_t)want -
	    got)) > 0)
		got += (size_t)r;
	if (got < (size_t)want)
		refuse(c, 400, "the body is shorter than its Content-Length");
	else if (api_json_parse(body, got, &o, err, sizeof(err)) < 0)
		refuse(c, 400, err);
	free(body);
	return o;
}

/* ---- routes ---- */

static int
qs_limit_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n <= 4 && strspn(v, "0123456789") == n &&
	    atol(v) >= 1 && atol(v) <= API_LIST_MAX;
}

static int
qs_page_ok(const char *v)
{
	size_t n = strlen(v);

	return n > 0 && n <= 9 && strspn(v, "0123456789") == n && atol(v) >= 1;
}

static int
qs_short(const char *v)
{
	return strlen(v) <= 64;
}

static const struct qs_key list_keys[] = {
	{ "vendor", qs_short }, { "model", qs_short }, { "mac", qs_short },
	{ "name", qs_short }, { "q", qs_short }, { "limit", qs_limit_ok },
	{ "cursor", qs_short }, { "page", qs_page_ok }, { NULL, NULL }
};

static void
route_devices(struct call *c)
{
	const char *v[QS_KEYS_MAX];
	struct api_list_query q;
	struct api_problem pb;
	json_object *out = NULL;
	struct buf store;
	int rc;

	buf_init(&store);
	if (qs_parse(c->query, list_keys, &store, v) < 0) {
		refuse(c, 400, "unknown, repeated or invalid query key "
		    "(vendor, model, mac, name, q, limit, cursor, page)");
		buf_free(&store);
		return;
	}
	q = (struct api_list_query){ .vendor = v[0], .model = v[1],
	    .mac = v[2], .name = v[3], .q = v[4],
	    .limit = v[5] ? atol(v[5]) : 0, .cursor = v[6],
	    .page = v[7] ? atol(v[7]) : 0 };
	api_problem_init(&pb);
	rc = api_ops_list(c->app, &q, c->base, &out, &pb);
	answer(c, rc, 200, out, &pb);
	buf_free(&store);
}

static void
route_put(struct call *c, const char *id, int patch)
{
	json_object *body = read_json(c, patch), *out = NULL;
	struct api_problem pb;
	enum api_change ch = API_UNCHANGED;
	int rc;

	if (body == NULL)
		return;
	api_problem_init(&pb);
	rc = api_ops_put(c->app, &(struct api_write){ .id = id, .body = body,
	    .patch = patch, .if_match = c->rq->if_match, .require_match = 1,
	    .base = c->base }, &out, &ch, &pb);
	json_object_put(body);
	answer(c, rc, ch == API_CREATED ? 201 : 200, out, &pb);
}

static void
route_device(struct call *c, const char *id, const char *m)
{
	struct api_problem pb;
	json_object *out = NULL;
	int rc;

	api_problem_init(&pb);
	if (strcmp(m, "GET") == 0) {
		rc = api_ops_get(c->app, id, c->base, &out, &pb);
		answer(c, rc, 200, out, &pb);
	} else if (strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0)
		route_put(c, id, m[1] == 'A');
	else if (strcmp(m, "DELETE") == 0) {
		rc = api_ops_delete(c->app, id, c->rq->if_match, 1, &pb);
		if (rc < 0)
			answer(c, rc, 0, NULL, &pb);
		else {
			c->rs->status = 204;
			c->rs->outcome = "deleted";
		}
	} else {
		response_header(c->rs, "Allow", "GET, PUT, PATCH, DELETE");
		refuse(c, 405, "use GET, PUT, PATCH or DELETE");
	}
}

static void
route_openapi(struct call *c)
{
	char path[APP_PATH_MAX + 32], *data;
	size_t len;

	snprintf(path, sizeof(path), "%s/" OPENAPI_FILE, c->app->schema_dir);
	if (af_read_path(path, OPENAPI_MAX, &data, &len) < 0) {
		refuse(c, 500, "the OpenAPI document is not installed");
		return;
	}
	c->rs->status = 200;
	c->rs->outcome = "ok";
	c->rs->content_type = "application/json";
	buf_add(&c->rs->body, data, len);
	free(data);
}

/* Which route a path and method take: one table row per path shape
 * (segments below /api/v1, "*" for a parameter) and its methods. */
static void
route(struct call *c)
{
	const char *m = c->rq->method ? c->rq->method : "";
	const char **s = c->seg;
	struct api_problem pb;
	json_object *out = NULL;
	int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0, rc;

	api_problem_init(&pb);
	if (c->n_seg == 1 && strcmp(s[0], OPENAPI_FILE) == 0 && get)
		route_openapi(c);
	else if (c->n_seg == 1 && strcmp(s[0], "vendors") == 0 && get) {
		rc = api_ops_vendors(c->app, &out, &pb);
		answer(c, rc, 200, out, &pb);
	} else if (c->n_seg == 3 && strcmp(s[0], "vendors") == 0 &&
	    strcmp(s[2], "models") == 0 && get) {
		rc = api_ops_models(c->app, s[1], &out, &pb);
		answer(c, rc, 200, out, &pb);
	} else if (c->n_seg == 1 && strcmp(s[0], "devices") == 0 && get)
		route_devices(c);
	else if (c->n_seg == 2 && strcmp(s[0], "devices") == 0)
		route_device(c, s[1], m);
	else if (c->n_seg == 3 && strcmp(s[0], "devices") == 0 &&
	    strcmp(s[2], "key") == 0 && strcmp(m, "POST") == 0) {
		rc = api_ops_rotate_key(c->app, s[1], c->rq->if_match, 1,
		    c->base, &out, &pb);
		answer(c, rc, 200, out, &pb);
	} else if ((c->n_seg == 1 && (strcmp(s[0], "devices") == 0 ||
	    strcmp(s[0], "vendors") == 0 || strcmp(s[0], OPENAPI_FILE) == 0))
	    || (c->n_seg == 3 && ((strcmp(s[0], "devices") == 0 &&
	    strcmp(s[2], "key") == 0) || (strcmp(s[0], "vendors") == 0 &&
	    strcmp(s[2], "models") == 0))))
		refuse(c, 405, "method not allowed here");
	else
		refuse(c, 404, "no such API route");
}

/* Splits the decoded path below /api/v1 into at most four segments;
 * empty segments ("//", a trailing "/") are refused. */
static int
split(struct call *c, char *path)
{
	size_t n = strlen(API_PREFIX);
	char *p;

	if (strncmp(path, API_PREFIX "/", n + 1) != 0)
		return -1;
	p = path + n + 1;
	c->n_seg = 0;
	for (;;) {
		char *slash = strchr(p, '/');
		if (*p == '\0' || c->n_seg == 4)
			return -1;
		c->seg[c->n_seg++] = p;
		if (slash == NULL)
			return 0;
		*slash = '\0';
		p = slash + 1;
	}
}

void
app_api_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct call c = { .app = app, .rq = rq, .rs = rs, .log = log };
	const struct snapshot *s = config_state_get(&app->cs);
	enum role r;
	char path[URI_MAX];

	if (s == NULL) {
		refuse(&c, 503, "no good configuration is loaded");
		return;
	}
	if (auth_require(s, rq, ROLE_API, rs) < 0)
		return;
	if ((r = auth_role(s, rq->remote_user)) != ROLE_API &&
	    r != ROLE_ADMIN) {
		response_error(rs, 403, "forbidden_role", "the API needs the "
		    "api or admin role");
		return;
	}
	if (rq->uri == NULL || strlen(rq->uri) >= URI_MAX ||
	    uri_path_decode(rq->uri, path, sizeof(path)) < 0 ||
	    split(&c, path) < 0) {
		refuse(&c, 404, "no such API route");
		return;
	}
	c.query = strchr(rq->uri, '?') ? strchr(rq->uri, '?') + 1 : NULL;
	base_url(&c);
	route(&c);
	if (strcmp(rq->method ? rq->method : "", "HEAD") == 0)
		rs->omit_body = 1;
}
