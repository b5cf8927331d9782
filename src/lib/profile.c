#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "profile.h"
#include "render.h"
#include "useragent.h"

#define PATH_MAX_LEN	256

/* What the URL names: "/<identifier>.xml". */
static int
parse_profile_path(const char *uri, struct response *rs, char *ident,
    size_t identsz)
{
	char path[PATH_MAX_LEN + 1];
	size_t n;

	if (uri == NULL) {
		response_error(rs, 400, "bad_path", "no request URI");
		return -1;
	}
	if (strlen(uri) > URI_MAX) {
		response_error(rs, 414, "bad_path", "request URI too long");
		return -1;
	}
	if (uri_path_decode(uri, path, sizeof(path)) < 0) {
		response_error(rs, 400, "bad_path", "malformed request path");
		return -1;
	}
	n = strlen(path);
	if (n < 5 || strcmp(path + n - 4, ".xml") != 0) {
		response_error(rs, 404, "no_route", "no such file");
		return -1;
	}
	n -= 5;
	if (n >= identsz || !ident_plausible(path + 1, n)) {
		response_error(rs, 400, "bad_identifier",
		    "not a phone identifier");
		return -1;
	}
	memcpy(ident, path + 1, n);
	ident[n] = '\0';
	return 0;
}

/* The User-Agent's MAC, when present, must be the requested phone's: a
 * phone asking for another phone's file is refused. */
static int
ua_mac_conflicts(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua)
{
	const struct phone *owner;

	if (!s->svc.ua_mac_must_match || ua->mac[0] == '\0')
		return 0;
	if (ph->mac[0] != '\0')
		return strcmp(ph->mac, ua->mac) != 0;
	owner = snapshot_find_mac(s, ua->mac);
	return owner != NULL && owner != ph;
}

static void
set_etag(struct response *rs, uint64_t h, char *etag, size_t n)
{
	snprintf(etag, n, "\"%016" PRIx64 "\"", h);
	response_header(rs, "ETag", etag);
}

/* The document itself, or 304 when the phone has it already.  The
 * profile's tag is known without rendering it, so a 304 costs little. */
static void
answer(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct fw_decision fw;
	char etag[24];
	uint64_t h;
	int upgrade = firmware_decide(s, ua, &fw);

	if (upgrade) {
		h = render_upgrade(s, &fw, &rs->body);
		logline_str(log, "firmware", ua->version);
		logline_str(log, "expected", fw.version);
		rs->fw_expected = fw.version;
		rs->fw_current = fw_configured_version(s, ua->version);
		rs->fw_model = fw_configured_model(s, ua->product);
	} else if (rq->if_none_match != NULL)
		h = profile_hash(s, ph);
	else
		h = render_profile(s, ph, &rs->body);
	set_etag(rs, h, etag, sizeof(etag));
	if (etag_matches(rq->if_none_match, etag)) {
		buf_reset(&rs->body);
		rs->status = 304;
		rs->outcome = "not_modified";
		return;
	}
	if (!upgrade && rs->body.len == 0)
		render_profile(s, ph, &rs->body);
	rs->status = 200;
	rs->outcome = upgrade ? (fw.downgrade ? "downgrade" : "upgrade") :
	    "served";
	rs->content_type = "application/xml; charset=utf-8";
	response_header(rs, "Cache-Control", "private, no-cache");
	rs->omit_body = strcmp(rq->method, "HEAD") == 0;
}

/* Checks, in order: the phone exists, the User-Agent agrees, discovery
 * mode, the client's address.  Returns 0 when the phone may have its
 * document, else -1 with the refusal in rs. */
static int
check_phone(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct ipaddr client;
	const char *why;
	char ip[64];

	if (ua_mac_conflicts(s, ph, ua)) {
		logline_str(log, "ua_mac", ua->mac);
		response_error(rs, 403, "ua_mismatch",
		    "User-Agent MAC does not match the requested phone");
		return -1;
	}
	if (s->svc.discovery_enabled && !(ph->mac[0] &&
	    maclist_contains(&s->svc.discovery_exclude, ph->mac))) {
		response_error(rs, 404, "discovery",
		    "discovery mode: no configuration served");
		return -1;
	}
	if (client_address(&s->svc, rq->remote_addr, rq->forwarded_for,
	    &client) < 0) {
		response_error(rs, 400, "bad_client_address",
		    "unparseable client address");
		return -1;
	}
	/* Discovery mode changes nothing for the excluded phones: their
	 * profiles still go to their own addresses only. */
	if ((why = profile_access(s, ph, &client)) == NULL)
		return 0;
	ipaddr_format(&client, ip, sizeof(ip));
	logline_str(log, "client_ip", ip);
	response_error(rs, 403, why, "this address may not fetch that profile");
	return -1;
}

static void
serve_phone(const struct snapshot *s, const char *ident,
    const struct request *rq, struct response *rs, struct logline *log)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph;
	struct useragent ua;

	if (ident_key(ident, strlen(ident), key) == MAC_NOT_PHONE) {
		response_error(rs, 400, "bad_identifier",
		    "multicast or all-zero MAC address");
		return;
	}
	logline_str(log, "ident", key);
	if ((ph = snapshot_find(s, key)) == NULL) {
		response_error(rs, 404, "unknown_phone",
		    "no phone with that identifier");
		return;
	}
	logline_str(log, "phone", ph->id);
	rs->phone_mac = ph->mac[0] ? ph->mac : NULL;
	rs->phone_found = 1;
	ua_parse(rq->user_agent, &ua);
	if (check_phone(s, ph, &ua, rq, rs, log) == 0)
		answer(s, ph, &ua, rq, rs, log);
}

void
profile_handle(struct config_state *cs, const struct request *rq,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s;
	char ident[IDENT_MAX + 1];

	logline_str(log, "method", rq->method);
	logline_strn(log, "uri", rq->uri, rq->uri ? strnlen(rq->uri, 200) : 0);
	if (rq->method == NULL || (strcmp(rq->method, "GET") != 0 &&
	    strcmp(rq->method, "HEAD") != 0)) {
		response_error(rs, 405, "bad_method", "use GET or HEAD");
		response_header(rs, "Allow", "GET, HEAD");
		return;
	}
	if (rq->uri != NULL && (strcmp(rq->uri, "/health") == 0 ||
	    strncmp(rq->uri, "/health?", 8) == 0)) {
		health_handle(cs, rs);
		rs->omit_body = strcmp(rq->method, "HEAD") == 0;
		return;
	}
	if (parse_profile_path(rq->uri, rs, ident, sizeof(ident)) < 0)
		return;
	if ((s = config_state_get(cs)) == NULL) {
		response_error(rs, 503, "no_config",
		    "no valid configuration loaded");
		return;
	}
	serve_phone(s, ident, rq, rs, log);
}

void
health_handle(struct config_state *cs, struct response *rs)
{
	const struct snapshot *s = config_state_refresh(cs);
	json_object *o = json_object_new_object();
	char when[32];

	json_object_object_add(o, "status", json_object_new_string(
	    s == NULL ? "unavailable" : cs->error[0] ? "degraded" : "ok"));
	json_object_object_add(o, "config_loaded",
	    json_object_new_boolean(s != NULL));
	json_object_object_add(o, "phones",
	    json_object_new_int64(s ? (int64_t)s->n_phones : 0));
	if (cs->last_good) {
		format_utc(when, sizeof(when), (long long)cs->last_good);
		json_object_object_add(o, "last_reload",
		    json_object_new_string(when));
	} else
		json_object_object_add(o, "last_reload", NULL);
	json_object_object_add(o, "last_reload_error", cs->error[0] ?
	    json_object_new_string(cs->error) : NULL);
	json_object_object_add(o, "discovery_mode", json_object_new_boolean(
	    s != NULL && s->svc.discovery_enabled));
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = s == NULL ? 503 : 200;
	rs->outcome = "health";
	rs->content_type = "application/json";
	response_header(rs, "Cache-Control", "no-store");
}
