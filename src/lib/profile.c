#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "auth.h"
#include "profile.h"
#include "render.h"
#include "useragent.h"
#include "vendor.h"

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
		logline_str(log, "ua_mac", ua->mac);
		response_error(rs, 403, "ua_mismatch",
		    "User-Agent MAC does not match the requested phone");
		return -1;
	}
	return admit(s, ph, 1, rq, rs, log);
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
	if (ph->pack != NULL) {
		/* A device gets its vendor's files, never a Cisco profile. */
		logline_str(log, "phone", ph->id);
		response_error(rs, 404, "not_this_vendor",
		    "that phone is a device of another vendor");
		return;
	}
	logline_str(log, "phone", ph->id);
	rs->phone_mac = ph->mac[0] ? ph->mac : NULL;
	rs->phone_found = 1;
	ua_parse(rq->user_agent, &ua);
	if (check_phone(s, ph, &ua, rq, rs, log) == 0)
		answer(s, ph, &ua, rq, rs, log);
}

/* Vendor files. */

#define MATCHES_MAX	8

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
ua_contradicts(const struct snapshot *s, const struct pack_match *m,
    const struct useragent *ua, struct response *rs, struct logline *log)
{
	if (ua->vendor[0] != '\0' && strcmp(ua->vendor, m->pack->ua_vendor)) {
		logline_str(log, "ua_vendor", ua->vendor);
		response_error(rs, 403, "ua_mismatch", "User-Agent names "
		    "another vendor than the file requested");
		return -1;
	}
	if (s->svc.ua_mac_must_match && m->mac[0] && ua->mac[0] &&
	    strcmp(m->mac, ua->mac) != 0) {
		logline_str(log, "ua_mac", ua->mac);
		response_error(rs, 403, "ua_mismatch", "User-Agent MAC does "
		    "not match the requested file");
		return -1;
	}
	return 0;
}

static void
vendor_answer(const struct snapshot *s, const struct pack_match *m,
    const struct phone *ph, const struct useragent *ua, const char *fname,
    const struct request *rq, struct response *rs, struct logline *log)
{
	struct vendor_file_req vr = { s, m->pack, m->file,
	    ph != NULL ? ph->pmodel : m->model, ph, ua, fname };
	struct vendor_prepared p;
	struct vendor_result res;
	char etag[24];

	if (vendor_prepare(&vr, &p, &res) < 0)
		goto out_error;
	logline_str(log, "template", res.template_rel);
	set_etag(rs, p.etag, etag, sizeof(etag));
	if (etag_matches(rq->if_none_match, etag)) {
		vendor_prepared_free(&p);
		rs->status = 304;
		rs->outcome = "not_modified";
		return;
	}
	if (vendor_render_prepared(&vr, &p, &rs->body, &res) < 0) {
		vendor_prepared_free(&p);
		goto out_error;
	}
	vendor_prepared_free(&p);
	rs->status = 200;
	rs->outcome = "served";
	rs->content_type = m->file->content_type;
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

/* What the MAC of a file name names, when it is not a device of the
 * file's pack. */
enum mac_owner { OWNER_NONE, OWNER_NOT_PHONE, OWNER_FLAT, OWNER_OTHER_PACK };

/* Picks what a file name means: a configured device's own file first
 * (the phone's pack decides between packs sharing a name, as Cisco and
 * Gigaset share <mac>.xml), else a model or common file.  NULL when the
 * name is only a phone file of a phone that is not a device of that
 * pack; *owner then says whether that MAC is a Cisco flat-profile phone
 * or a device of another pack. */
static const struct pack_match *
pick_match(const struct snapshot *s, const struct pack_match *m, size_t n,
    const struct phone **phone, enum mac_owner *owner)
{
	const struct pack_match *shared = NULL;

	*phone = NULL;
	*owner = OWNER_NONE;
	for (size_t i = 0; i < n; i++) {
		char mac[MAC_LEN + 1];
		const struct phone *ph;
		if (m[i].mac[0] == '\0') {
			if (shared == NULL)
				shared = &m[i];
			continue;
		}
		if (mac_parse(m[i].mac, MAC_LEN, mac) == MAC_NOT_PHONE) {
			if (*owner == OWNER_NONE)
				*owner = OWNER_NOT_PHONE;
			continue;
		}
		if ((ph = snapshot_find_mac(s, mac)) == NULL)
			continue;
		if (ph->pack == NULL)
			*owner = OWNER_FLAT;
		else if (ph->pack != m[i].pack)
			*owner = OWNER_OTHER_PACK;
		else {
			*phone = ph;
			return &m[i];
		}
	}
	return shared;
}

/* For the log of an unknown phone: the pack whose MAC prefixes (OUIs)
 * hold the file name's MAC, when several packs share the name (<mac>.cfg
 * is Yealink's, Fanvil's and Polycom's). */
static const struct pack *
likely_pack(const struct pack_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; m[i].mac[0] && j < m[i].pack->n_ouis; j++)
			if (strncmp(m[i].mac, m[i].pack->ouis[j], 6) == 0)
				return m[i].pack;
	return m[0].pack;
}

/* 1 when the request was a vendor file and rs holds the answer; 0 when
 * it is none (the Cisco flat-profile route may still know it). */
static int
serve_vendor_file(const struct snapshot *s, const char *fname,
    const struct request *rq, struct response *rs, struct logline *log)
{
	struct pack_match all[MATCHES_MAX];
	const struct pack_match *m;
	const struct phone *ph;
	struct useragent ua;
	size_t n = packset_match(&s->packs, fname, all, MATCHES_MAX);
	enum mac_owner owner;

	if (n == 0)
		return 0;
	m = pick_match(s, all, n, &ph, &owner);
	if (m == NULL) {
		if (owner == OWNER_FLAT)
			return 0;	/* the Cisco route's <mac>.xml */
		logline_str(log, "pack", likely_pack(all, n)->name);
		if (owner == OWNER_NOT_PHONE)
			response_error(rs, 400, "bad_identifier",
			    "multicast or all-zero MAC address");
		else if (owner == OWNER_OTHER_PACK)
			response_error(rs, 404, "not_this_vendor", "that phone "
			    "is a device of another vendor");
		else
			response_error(rs, 404, "unknown_phone",
			    "no device with that MAC uses this file");
		return 1;
	}
	logline_str(log, "pack", m->pack->name);
	logline_str(log, "file", fname);
	if (ph != NULL) {
		logline_str(log, "phone", ph->id);
		rs->phone_mac = ph->mac;
		rs->phone_found = 1;
	}
	read_ua(s, rq->user_agent, &ua);
	if (ua_contradicts(s, m, &ua, rs, log) == 0 &&
	    admit(s, ph, m->file->secrets, rq, rs, log) == 0)
		vendor_answer(s, m, ph, &ua, fname, rq, rs, log);
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

void
profile_handle(struct config_state *cs, const struct request *rq,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s;
	char ident[IDENT_MAX + 1], fname[PATH_MAX_LEN + 1];

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
		health_handle(cs, rq, rs);
		rs->omit_body = strcmp(rq->method, "HEAD") == 0;
		return;
	}
	s = config_state_get(cs);
	if (s != NULL && s->packs.n > 0 &&
	    request_file_name(rq->uri, fname, sizeof(fname)) == 0 &&
	    serve_vendor_file(s, fname, rq, rs, log))
		return;
	if (parse_profile_path(rq->uri, rs, ident, sizeof(ident)) < 0)
		return;
	if (s == NULL) {
		response_error(rs, 503, "no_config",
		    "no valid configuration loaded");
		return;
	}
	serve_phone(s, ident, rq, rs, log);
}

/* The last load error as the asker may see it: the full message for a
 * user the web server authenticated and auth.users names (REMOTE_USER is
 * set by the server, never by the client), else only where it is. */
static json_object *
health_error(const struct config_state *cs, const struct snapshot *s,
    const struct request *rq)
{
	char where[DIAG_FILE_MAX + 32];

	if (cs->error[0] == '\0')
		return NULL;
	if (s != NULL && rq->remote_user != NULL && rq->remote_user[0] &&
	    auth_role(s, rq->remote_user) != ROLE_NONE)
		return json_object_new_string(cs->error);
	if (diag_format_public(&cs->failure, where, sizeof(where)) == 0)
		snprintf(where, sizeof(where), "the configuration");
	return json_object_new_string(where);
}

void
health_handle(struct config_state *cs, const struct request *rq,
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
	buf_adds(&rs->body, json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	buf_addc(&rs->body, '\n');
	json_object_put(o);
	rs->status = s == NULL ? 503 : 200;
	rs->outcome = "health";
	rs->content_type = "application/json";
	response_header(rs, "Cache-Control", "no-store");
}
