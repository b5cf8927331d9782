#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "auth.h"
#include "instrument.h"
#include "app_profile.h"
#include "flatprofile.h"
#include "useragent.h"
#include "vendor.h"

#define PATH_MAX_LEN	256

/* What a fetch tells the metrics, borrowed from the snapshot; NULL stands
 * for "unknown".  Only profile.fcgi knows these, so it records them itself
 * (fetch_metrics) instead of widening the response every program shares. */
struct fetch_facts {
	const char	*phone_mac;	/* the configured phone asked for */
	int		 phone_found;	/* a configured phone, MAC or not */
	const char	*fw_current;	/* an upgrade was sent: from ... */
	const char	*fw_expected;	/* ... to this version ... */
	const char	*fw_model;	/* ... for this model */
};

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
 * phone asking for another phone's file is refused, and so is a MAC field
 * that cannot be read, which no phone is shown to have sent. */
static int
ua_mac_conflicts(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua)
{
	const struct phone *owner;

	if (s->svc.ua_mac_must_match && ua->mac_bad)
		return 1;
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
    struct response *rs, struct logline *log, struct fetch_facts *ff)
{
	struct fw_decision fw;
	char etag[24];
	uint64_t h;
	int upgrade = flatprofile_firmware(s, ua, &fw);

	if (upgrade) {
		h = flatprofile_upgrade(s, &fw, &rs->body);
		logline_str(log, "firmware", ua->version);
		logline_str(log, "expected", fw.version);
		ff->fw_expected = fw.version;
		ff->fw_current = flatprofile_fw_version(s, ua->version);
		ff->fw_model = flatprofile_fw_model(s, ua->product);
	} else if (rq->if_none_match != NULL)
		h = ph->tag;	/* flatprofile_hash(), computed at load */
	else
		h = flatprofile_render(s, ph, &rs->body);
	set_etag(rs, h, etag, sizeof(etag));
	if (etag_matches(rq->if_none_match, etag)) {
		buf_reset(&rs->body);
		rs->status = 304;
		rs->outcome = "not_modified";
		return;
	}
	if (!upgrade && rs->body.len == 0)
		flatprofile_render(s, ph, &rs->body);
	rs->status = 200;
	rs->outcome = upgrade ? (fw.downgrade ? "downgrade" : "upgrade") :
	    "served";
	rs->content_type = "application/xml; charset=utf-8";
	response_header(rs, "Cache-Control", "private, no-cache");
	rs->omit_body = strcmp(rq->method, "HEAD") == 0;
}

/* Discovery mode, then the client's address.  ph is NULL for a shared
 * vendor file, which discovery mode withholds like every file.  A file
 * with secrets goes where its phone's profile would, any other to any
 * phone of the fleet.  Returns 0, or -1 with the refusal in rs. */
static int
admit(const struct snapshot *s, const struct phone *ph, int secrets,
    const struct request *rq, struct response *rs, struct logline *log)
{
	struct ipaddr client;
	const char *why;
	char ip[64];

	if (s->svc.discovery_enabled && !(ph != NULL && ph->mac[0] &&
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
	why = secrets ? profile_access(s, ph, &client) :
	    common_access(s, &client);
	if (why == NULL)
		return 0;
	ipaddr_format(&client, ip, sizeof(ip));
	logline_str(log, "client_ip", ip);
	response_error(rs, 403, why, secrets ? "this address may not fetch "
	    "that profile" : "this address may not fetch that file");
	return -1;
}

/* Checks, in order: the User-Agent agrees, discovery mode, the client's
 * address.  Returns 0 when the phone may have its document, else -1 with
 * the refusal in rs. */
static int
check_phone(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua, const struct request *rq,
    struct response *rs, struct logline *log)
{
	if (ua_mac_conflicts(s, ph, ua)) {
		logline_str(log, "ua_mac",
		    ua->mac_bad ? "unreadable" : ua->mac);
		response_error(rs, 403, "ua_mismatch",
		    "User-Agent MAC does not match the requested phone");
		return -1;
	}
	return admit(s, ph, 1, rq, rs, log);
}

static void
serve_phone(const struct snapshot *s, const char *ident,
    const struct request *rq, struct response *rs, struct logline *log,
    struct fetch_facts *ff)
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
	if (ph->pack != NULL) {
		/* A device gets its vendor's files, never a Cisco profile. */
		logline_str(log, "phone", ph->id);
		response_error(rs, 404, "not_this_vendor",
		    "that phone is a device of another vendor");
		return;
	}
	logline_str(log, "phone", ph->id);
	ff->phone_mac = ph->mac[0] ? ph->mac : NULL;
	ff->phone_found = 1;
	ua_parse(rq->user_agent, &ua);
	if (check_phone(s, ph, &ua, rq, rs, log) == 0)
		answer(s, ph, &ua, rq, rs, log, ff);
}

/* Vendor files. */

/* The User-Agent, read by the built-in parsers or else by the packs'
 * own patterns. */
static void
read_ua(const struct snapshot *s, const char *header, struct useragent *ua)
{
	if (!ua_parse(header, ua) && !packset_ua_parse(&s->packs, header, ua))
		memset(ua, 0, sizeof(*ua));
}

/* A phone asking for another vendor's file, or with a MAC that is not
 * the file's: refused.  Returns 0 or -1 with the refusal in rs. */
static int
ua_contradicts(const struct snapshot *s, const struct vendor_file_req *vr,
    const struct useragent *ua, struct response *rs, struct logline *log)
{
	if (ua->vendor[0] != '\0' && strcmp(ua->vendor, vr->pack->ua_vendor)) {
		logline_str(log, "ua_vendor", ua->vendor);
		response_error(rs, 403, "ua_mismatch", "User-Agent names "
		    "another vendor than the file requested");
		return -1;
	}
	if (s->svc.ua_mac_must_match && vr->phone != NULL && (ua->mac_bad ||
	    (ua->mac[0] && strcmp(vr->phone->mac, ua->mac) != 0))) {
		logline_str(log, "ua_mac",
		    ua->mac_bad ? "unreadable" : ua->mac);
		response_error(rs, 403, "ua_mismatch", "User-Agent MAC does "
		    "not match the requested file");
		return -1;
	}
	return 0;
}

static void
vendor_answer(const struct vendor_file_req *vr, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct vendor_prepared p;
	struct vendor_result res;
	char etag[24];

	if (vendor_prepare(vr, &p, &res) < 0)
		goto out_error;
	logline_str(log, "template", res.template_rel);
	set_etag(rs, p.etag, etag, sizeof(etag));
	if (etag_matches(rq->if_none_match, etag)) {
		vendor_prepared_free(&p);
		rs->status = 304;
		rs->outcome = "not_modified";
		return;
	}
	if (vendor_render_prepared(vr, &p, &rs->body, &res) < 0) {
		vendor_prepared_free(&p);
		goto out_error;
	}
	vendor_prepared_free(&p);
	rs->status = 200;
	rs->outcome = "served";
	rs->content_type = vr->file->content_type;
	response_header(rs, "Cache-Control", "private, no-cache");
	rs->omit_body = strcmp(rq->method, "HEAD") == 0;
	return;
out_error:
	/* The tag set above must not go out with the error. */
	buf_reset(&rs->headers);
	logline_str(log, "error", res.error);
	response_error(rs, 500, "render_error", "the file could not be "
	    "rendered; the server log says why");
}

/* 1 when the request was a vendor file and rs holds the answer; 0 when
 * it is none (the Cisco flat-profile route may still know it). */
static int
serve_vendor_file(const struct snapshot *s, const char *fname,
    const struct request *rq, struct response *rs, struct logline *log,
    struct fetch_facts *ff)
{
	struct vendor_file_req vr;
	struct useragent ua;
	enum vendor_owner owner;
	int rc;

	if ((rc = vendor_request(s, fname, NULL, &vr, &owner)) == 0 ||
	    (rc < 0 && owner == VENDOR_OWNER_FLAT))
		return 0;	/* no pack's, or the Cisco route's <mac>.xml */
	logline_str(log, "pack", vr.pack->name);
	if (rc < 0) {
		if (owner == VENDOR_OWNER_NOT_PHONE)
			response_error(rs, 400, "bad_identifier",
			    "multicast or all-zero MAC address");
		else if (owner == VENDOR_OWNER_OTHER_PACK)
			response_error(rs, 404, "not_this_vendor", "that phone "
			    "is a device of another vendor");
		else
			response_error(rs, 404, "unknown_phone",
			    "no device with that MAC uses this file");
		return 1;
	}
	logline_str(log, "file", fname);
	if (vr.phone != NULL) {
		logline_str(log, "phone", vr.phone->id);
		ff->phone_mac = vr.phone->mac;
		ff->phone_found = 1;
	}
	/* Read only now: the Cisco route reads it itself. */
	read_ua(s, rq->user_agent, &ua);
	vr.ua = &ua;
	if (ua_contradicts(s, &vr, &ua, rs, log) == 0 &&
	    admit(s, vr.phone, vr.file->secrets, rq, rs, log) == 0)
		vendor_answer(&vr, rq, rs, log);
	return 1;
}

/* The last segment of the request path, decoded, when the path is one
 * segment: vendors name files, not directories. */
static int
request_file_name(const char *uri, char *out, size_t outsz)
{
	char path[PATH_MAX_LEN + 1];

	if (uri == NULL || strlen(uri) > URI_MAX ||
	    uri_path_decode(uri, path, sizeof(path)) < 0 || path[0] != '/' ||
	    strchr(path + 1, '/') != NULL || strlen(path + 1) >= outsz)
		return -1;
	memcpy(out, path + 1, strlen(path + 1) + 1);
	return 0;
}

/* profile.fcgi's own metrics: who fetched, how fast, who was upgraded. */
static void
fetch_metrics(struct metrics *m, const struct response *rs,
    const struct fetch_facts *ff, double seconds)
{
	const char *mac[1] = { ff->phone_mac };
	const char *fw[3] = { ff->fw_current, ff->fw_expected, ff->fw_model };

	if (m == NULL)
		return;
	metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL,
	    seconds);
	/* Every request that named a phone counts, whatever the answer:
	 * under the phone's MAC, or "unknown" for a phone the config does
	 * not have or configures without a MAC. */
	if (ff->phone_found || strcmp(rs->outcome, "unknown_phone") == 0)
		metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	if (ff->phone_mac != NULL && rs->status < 400)
		metrics_set(m, METRIC_PHONE_LAST_PROFILE_FETCH, mac,
		    (double)time(NULL));
	if (ff->fw_expected != NULL && rs->status == 200)
		metrics_inc(m, METRIC_PHONE_FIRMWARE_UPDATES, fw, 1);
}

/* A configuration request: a vendor file, else a Cisco profile. */
static void
serve_config(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log, struct fetch_facts *ff)
{
	const struct snapshot *s = config_state_get(&app->cs);
	char ident[IDENT_MAX + 1], fname[PATH_MAX_LEN + 1];

	if (s != NULL && s->packs.n > 0 &&
	    request_file_name(rq->uri, fname, sizeof(fname)) == 0 &&
	    serve_vendor_file(s, fname, rq, rs, log, ff))
		return;
	if (parse_profile_path(rq->uri, rs, ident, sizeof(ident)) < 0)
		return;
	if (s == NULL) {
		response_error(rs, 503, "no_config",
		    "no valid configuration loaded");
		return;
	}
	serve_phone(s, ident, rq, rs, log, ff);
}

void
app_profile_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct fetch_facts ff = { 0 };
	double t0 = instrument_clock();

	logline_str(log, "method", rq->method);
	logline_strn(log, "uri", rq->uri, rq->uri ? strnlen(rq->uri, 200) : 0);
	if (rq->method == NULL || (strcmp(rq->method, "GET") != 0 &&
	    strcmp(rq->method, "HEAD") != 0)) {
		response_error(rs, 405, "bad_method", "use GET or HEAD");
		response_header(rs, "Allow", "GET, HEAD");
	} else if (rq->uri != NULL && (strcmp(rq->uri, "/health") == 0 ||
	    strncmp(rq->uri, "/health?", 8) == 0)) {
		/* Health polls are not config requests: they would pull
		 * the percentiles down. */
		app_profile_health(&app->cs, rq, rs);
		rs->omit_body = strcmp(rq->method, "HEAD") == 0;
		return;
	} else
		serve_config(app, rq, rs, log, &ff);
	fetch_metrics(app->metrics, rs, &ff, instrument_clock() - t0);
}

/* A user the web server authenticated and auth.users names (REMOTE_USER
 * is set by the server, never by the client): one who may read what is
 * wrong in a file, not only where. */
static int
health_detail(const struct snapshot *s, const struct request *rq)
{
	return s != NULL && rq->remote_user != NULL && rq->remote_user[0] &&
	    auth_role(s, rq->remote_user) != ROLE_NONE;
}

/* The snapshot's warnings (misspelled keys, ...) as the asker may see
 * them: full for health_detail(), else where each one is. */
static json_object *
health_warnings(const struct snapshot *s, int detail)
{
	json_object *a = json_object_new_array();
	char text[DIAG_TEXT_MAX];

	for (size_t i = 0; s != NULL && i < snapshot_warnings_kept(s); i++) {
		if (detail)
			diag_format(&s->warnings[i], text, sizeof(text));
		else
			diag_format_public(&s->warnings[i], text,
			    sizeof(text));
		json_object_array_add(a, json_object_new_string(text));
	}
	return a;
}

/* The last load error as the asker may see it: the full message for
 * health_detail(), else only where it is. */
static json_object *
health_error(const struct config_state *cs, const struct snapshot *s,
    const struct request *rq)
{
	char where[DIAG_FILE_MAX + 32];

	if (cs->error[0] == '\0')
		return NULL;
	if (health_detail(s, rq))
		return json_object_new_string(cs->error);
	if (diag_format_public(&cs->failure, where, sizeof(where)) == 0)
		snprintf(where, sizeof(where), "the configuration");
	return json_object_new_string(where);
}

void
app_profile_health(struct config_state *cs, const struct request *rq,
    struct response *rs)
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
	json_object_object_add(o, "last_reload_error",
	    health_error(cs, s, rq));
	json_object_object_add(o, "discovery_mode", json_object_new_boolean(
	    s != NULL && s->svc.discovery_enabled));
	json_object_object_add(o, "warnings_total",
	    json_object_new_int64(s ? (int64_t)s->n_warnings : 0));
	json_object_object_add(o, "warnings",
	    health_warnings(s, health_detail(s, rq)));
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = s == NULL ? 503 : 200;
	rs->outcome = "health";
	rs->content_type = "application/json";
	response_header(rs, "Cache-Control", "no-store");
}
