#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "auth.h"
#include "instrument.h"
#include "app_profile.h"
#include "app_upload.h"
#include "dhcp.h"
#include "flatprofile.h"
#include "links.h"
#include "links_once.h"
#include "notify.h"
#include "phoneview.h"
#include "qs.h"
#include "store.h"
#include "useragent.h"
#include "summary.h"
#include "text.h"
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

/* What the file name names: "<identifier>.xml". */
static int
parse_profile_path(const char *file, struct response *rs, char *ident,
    size_t identsz)
{
	size_t n = strlen(file);

	if (n < 4 || strcmp(file + n - 4, ".xml") != 0) {
		response_error(rs, 404, "no_route", "no such file");
		return -1;
	}
	n -= 4;
	if (n >= identsz || !ident_plausible(file, n)) {
		response_error(rs, 400, "bad_identifier",
		    "not a phone identifier");
		return -1;
	}
	memcpy(ident, file, n);
	ident[n] = '\0';
	return 0;
}

/* The decoded request path.  0, or -1 with the refusal in rs. */
static int
decode_path(const char *uri, struct response *rs, char path[PATH_MAX_LEN + 1])
{
	if (uri == NULL) {
		response_error(rs, 400, "bad_path", "no request URI");
		return -1;
	}
	if (strlen(uri) > URI_MAX) {
		response_error(rs, 414, "bad_path", "request URI too long");
		return -1;
	}
	if (uri_path_decode(uri, path, PATH_MAX_LEN + 1) < 0) {
		response_error(rs, 400, "bad_path", "malformed request path");
		return -1;
	}
	return 0;
}

/* How a request came (links.h), and the rules that follow from it: which
 * UA MAC check applies and under which outcome word. */
struct via_rules {
	struct links_via	 via;
	int			 mac_must_match;
	const char		*mac_word;
};

static void
via_rules_for(const struct snapshot *s, struct via_rules *vr,
    const struct phone *ph)
{
	const struct phone *t = ph != NULL ? ph : vr->via.phone;

	if (vr->via.kind == LINKS_PLAIN_URL) {
		vr->mac_must_match = s->svc.ua_mac_must_match;
		vr->mac_word = "ua_mismatch";
	} else {
		vr->mac_must_match = !(t != NULL && t->rules.no_mac_check);
		vr->mac_word = "mac_mismatch";
	}
}

/* The User-Agent's MAC, when present, must be the requested phone's: a
 * phone asking for another phone's file is refused, and so is a MAC field
 * that cannot be read, which no phone is shown to have sent. */
static int
ua_mac_conflicts(const struct snapshot *s, const struct phone *ph,
    const struct useragent *ua, int must_match)
{
	const struct phone *owner;

	if (must_match && ua->mac_bad)
		return 1;
	if (!must_match || ua->mac[0] == '\0')
		return 0;
	if (ph->mac[0] != '\0')
		return strcmp(ph->mac, ua->mac) != 0;
	owner = snapshot_find_mac(s, ua->mac);
	return owner != NULL && owner != ph;
}

/* The tag as "%016" PRIx64 in quotes, without printf: it is on every
 * answer, and formatting it took 5 % of a 200's time in the handler
 * (bench/inproc.c under perf). */
static void
set_etag(struct response *rs, uint64_t h, char *etag, size_t n)
{
	unsigned char be[8];

	if (n < 19)
		return;
	for (int i = 0; i < 8; i++)
		be[i] = (unsigned char)(h >> (56 - 8 * i));
	etag[0] = '"';
	hex_encode(be, sizeof(be), 0, etag + 1);
	etag[17] = '"';
	etag[18] = '\0';
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

/* One configuration request on its way through the checks, borrowed
 * from the caller for the call. */
struct fetch {
	struct app		*app;
	const struct snapshot	*s;
	const struct request	*rq;
	struct response		*rs;
	struct logline		*log;
	struct fetch_facts	*ff;
	struct via_rules	 vr;
	struct ipaddr		 client;	/* once have_client */
	int			 have_client;
	time_t			 now;
};

/* For a link, the phone's rules (links.h) instead of ip_authorization:
 * the link is the credential, and links.allow narrows it. */
static int
admit_link(struct fetch *f, const struct phone *ph)
{
	struct links_refusal r;

	if (links_check(&f->vr.via, ph, &f->client, f->now, &r) == 0)
		return 0;
	response_error(f->rs, r.status, r.outcome, r.message);
	return -1;
}

/* Discovery mode, a disabled phone, the plain URL's mode, then the
 * client's address.  ph is NULL for a shared vendor file, which discovery
 * mode withholds like every file.  A file with secrets goes where its
 * phone's profile would, any other to any phone of the fleet.  Returns 0,
 * or -1 with the refusal in rs. */
static int
admit(struct fetch *f, const struct phone *ph, int secrets)
{
	const struct snapshot *s = f->s;
	const char *why;
	char ip[64];

	if (s->svc.discovery_enabled && !(ph != NULL && ph->mac[0] &&
	    maclist_contains(&s->svc.discovery_exclude, ph->mac))) {
		response_error(f->rs, 404, "discovery",
		    "discovery mode: no configuration served");
		return -1;
	}
	if (!f->have_client) {
		response_error(f->rs, 400, "bad_client_address",
		    "unparseable client address");
		return -1;
	}
	if (f->vr.via.kind != LINKS_PLAIN_URL)
		return admit_link(f, ph);
	if (ph != NULL && ph->rules.disabled) {
		response_error(f->rs, 403, "disabled",
		    "this phone is disabled");
		return -1;
	}
	if (s->svc.links.plain == LINKS_PLAIN_OFF) {
		response_error(f->rs, 404, "plain_off", "files are served "
		    "over links only");
		return -1;
	}
	/* Discovery mode changes nothing for the excluded phones: their
	 * profiles still go to their own addresses only. */
	why = secrets ? profile_access(s, ph, &f->client) :
	    common_access(s, &f->client);
	/* ip_authorization: learned -- the address DHCP gave the phone. */
	if (why != NULL && ph != NULL && strcmp(why, "not_learned_ip") == 0 &&
	    dhcp_learned_allows(f->app->data_dir, ph->mac, &f->client)) {
		logline_str(f->log, "address", "learned");
		return 0;
	}
	if (why == NULL)
		return 0;
	ipaddr_format(&f->client, ip, sizeof(ip));
	logline_str(f->log, "client_ip", ip);
	response_error(f->rs, 403, why, secrets ? "this address may not fetch "
	    "that profile" : "this address may not fetch that file");
	return -1;
}

/* The newest report of a MAC, for one-time links that end with it. */
static time_t
last_report(void *ctx, const char *mac)
{
	struct app *app = ctx;
	struct store st = { .dir = app->data_dir };
	struct store_page page;
	char msg[STORE_MSG_MAX];
	time_t t = 0;

	if (store_list(&st, mac, 0, 1, &page, msg) != STORE_OK)
		return 0;
	if (page.n > 0)
		t = store_time(page.entries[0].timestamp);
	store_page_free(&page);
	return t < 0 ? 0 : t;
}

static const struct {
	enum links_once_status	 st;
	int			 status;
	const char		*outcome;
	const char		*message;
} once_refusals[] = {
	{ LINKS_ONCE_UNKNOWN, 404, "bad_link", "no such link" },
	{ LINKS_ONCE_EXPIRED, 410, "link_expired", "this link has expired" },
	{ LINKS_ONCE_USED_UP, 410, "link_used_up", "this link is used up" },
	{ LINKS_ONCE_ERROR, 503, "link_store", "links cannot be read now" },
};

/* Looks a one-time link up (consume: and spends one fetch).  0 with the
 * phone's id in id, or -1 with the refusal in rs. */
static int
once_use(struct fetch *f, const char *cred, size_t n, int consume,
    char id[IDENT_MAX + 1])
{
	enum links_once_status st = links_once_use(f->app->data_dir, cred, n,
	    consume, f->now, last_report, f->app, id);

	for (size_t i = 0; i < sizeof(once_refusals) /
	    sizeof(once_refusals[0]); i++)
		if (once_refusals[i].st == st) {
			response_error(f->rs, once_refusals[i].status,
			    once_refusals[i].outcome, once_refusals[i].message);
			return -1;
		}
	return 0;
}

/* The link a request came by, checked: its phone into f->vr.via.  A
 * one-time link is only looked at here; once_spend() counts the fetch.
 * 0, or -1 with the refusal in rs. */
static int
resolve_link(struct fetch *f, const char *cred, size_t n)
{
	struct links_via *via = &f->vr.via;
	char id[IDENT_MAX + 1], key[IDENT_MAX + 1];

	if (via->kind == LINKS_PERSONAL &&
	    (via->phone = links_find_key(f->s, cred, n)) != NULL)
		return 0;
	if (via->kind == LINKS_TOKEN && links_token_ok(f->s, cred, n))
		return 0;
	if (via->kind == LINKS_ONCE) {
		if (once_use(f, cred, n, 0, id) < 0)
			return -1;
		ident_key(id, strlen(id), key);
		if ((via->phone = snapshot_find(f->s, key)) != NULL)
			return 0;
	}
	response_error(f->rs, 404, links_bad_word(via->kind), "no such link");
	return -1;
}

/* A one-time link spends a fetch on the phone's own files only: a boot
 * also asks for shared files.  Checked again under the link's lock, so
 * the last fetch goes to one request.  0 or -1 with the refusal. */
static int
once_spend(struct fetch *f, const char *cred, size_t n, int secrets)
{
	char id[IDENT_MAX + 1];

	if (f->vr.via.kind != LINKS_ONCE || !secrets)
		return 0;
	return once_use(f, cred, n, 1, id);
}

/* The bootstrap file of a Cisco flat-profile phone: its profile rule
 * pointed at its personal link, nothing else. */
static void
answer_bootstrap(struct fetch *f, const struct phone *ph)
{
	struct buf url;
	char etag[24];

	buf_init(&url);
	links_phone_base_url(f->s, ph, &url);
	buf_adds(&f->rs->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<flat-profile>\n  <Profile_Rule ua=\"na\">");
	buf_add_xml(&f->rs->body, url.data, url.len);
	buf_adds(&f->rs->body, "$MA.xml</Profile_Rule>\n</flat-profile>\n");
	set_etag(f->rs, hash_bytes(HASH_SEED, f->rs->body.data,
	    f->rs->body.len), etag, sizeof(etag));
	buf_free(&url);
	if (etag_matches(f->rq->if_none_match, etag)) {
		buf_reset(&f->rs->body);
		f->rs->status = 304;
		f->rs->outcome = "not_modified";
		return;
	}
	f->rs->status = 200;
	f->rs->outcome = "bootstrap";
	f->rs->content_type = "application/xml; charset=utf-8";
	response_header(f->rs, "Cache-Control", "private, no-cache");
	f->rs->omit_body = strcmp(f->rq->method, "HEAD") == 0;
}

/* links.plain: bootstrap sends a phone's own files over the plain URL
 * only as a pointer to its personal link.  1 when the answer is a
 * bootstrap file (-1: refused, no key to point at), 0 otherwise. */
static int
bootstrap_wanted(struct fetch *f, const struct phone *ph, int secrets)
{
	if (f->vr.via.kind != LINKS_PLAIN_URL || !secrets || ph == NULL ||
	    f->s->svc.links.plain != LINKS_PLAIN_BOOTSTRAP)
		return 0;
	if (ph->rules.link_key != NULL)
		return 1;
	response_error(f->rs, 403, "no_link_key", "this phone has no "
	    "personal link to be sent to");
	return -1;
}

/* Checks, in order: the User-Agent agrees, discovery mode, the client's
 * address.  Returns 0 when the phone may have its document, else -1 with
 * the refusal in rs. */
static int
check_phone(struct fetch *f, const struct phone *ph,
    const struct useragent *ua)
{
	via_rules_for(f->s, &f->vr, ph);
	if (ua_mac_conflicts(f->s, ph, ua, f->vr.mac_must_match)) {
		logline_str(f->log, "ua_mac",
		    ua->mac_bad ? "unreadable" : ua->mac);
		response_error(f->rs, 403, f->vr.mac_word,
		    "User-Agent MAC does not match the requested phone");
		return -1;
	}
	return admit(f, ph, 1);
}

static void
serve_phone(struct fetch *f, const char *ident, const char *cred,
    size_t cred_len)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph;
	struct useragent ua;
	enum mac_status ms = ident_key(ident, strlen(ident), key);
	int boot;

	if (ms == MAC_NOT_PHONE || (f->vr.via.kind == LINKS_TOKEN &&
	    ms != MAC_OK)) {
		response_error(f->rs, 400, "bad_identifier", ms == MAC_OK ?
		    "multicast or all-zero MAC address" : "a token link "
		    "names the phone by its MAC");
		return;
	}
	logline_str(f->log, "ident", key);
	if ((ph = snapshot_find(f->s, key)) == NULL) {
		response_error(f->rs, 404, "unknown_phone",
		    "no phone with that identifier");
		return;
	}
	logline_str(f->log, "phone", ph->id);
	if (ph->pack != NULL) {
		/* A device gets its vendor's files, never a Cisco profile. */
		response_error(f->rs, 404, "not_this_vendor",
		    "that phone is a device of another vendor");
		return;
	}
	f->ff->phone_mac = ph->mac[0] ? ph->mac : NULL;
	f->ff->phone_found = 1;
	ua_parse(f->rq->user_agent, &ua);
	if (check_phone(f, ph, &ua) < 0 ||
	    (boot = bootstrap_wanted(f, ph, 1)) < 0 ||
	    once_spend(f, cred, cred_len, 1) < 0)
		return;
	if (boot)
		answer_bootstrap(f, ph);
	else
		answer(f->s, ph, &ua, f->rq, f->rs, f->log, f->ff);
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
ua_contradicts(struct fetch *f, const struct vendor_file_req *vr,
    const struct useragent *ua)
{
	if (ua->vendor[0] != '\0' && strcmp(ua->vendor, vr->pack->ua_vendor)) {
		logline_str(f->log, "ua_vendor", ua->vendor);
		response_error(f->rs, 403, "ua_mismatch", "User-Agent names "
		    "another vendor than the file requested");
		return -1;
	}
	via_rules_for(f->s, &f->vr, vr->phone);
	if (f->vr.mac_must_match && vr->phone != NULL && (ua->mac_bad ||
	    (ua->mac[0] && strcmp(vr->phone->mac, ua->mac) != 0))) {
		logline_str(f->log, "ua_mac",
		    ua->mac_bad ? "unreadable" : ua->mac);
		response_error(f->rs, 403, f->vr.mac_word, "User-Agent MAC "
		    "does not match the requested file");
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
	rs->outcome = vr->bootstrap_url != NULL ? "bootstrap" : "served";
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

/* A vendor file the checks let through: the file itself, or with
 * links.plain: bootstrap the phone's pointer to its personal link. */
static void
vendor_admitted(struct fetch *f, struct vendor_file_req *vr, int boot)
{
	struct buf url;

	if (!boot) {
		vendor_answer(vr, f->rq, f->rs, f->log);
		return;
	}
	buf_init(&url);
	links_phone_base_url(f->s, vr->phone, &url);
	vr->bootstrap_url = url.data;
	vendor_answer(vr, f->rq, f->rs, f->log);
	buf_free(&url);
}

/* 1 when the request was a vendor file and rs holds the answer; 0 when
 * it is none (the Cisco flat-profile route may still know it). */
static int
serve_vendor_file(struct fetch *f, const char *fname, const char *cred,
    size_t cred_len)
{
	struct vendor_file_req vr;
	struct useragent ua;
	enum vendor_owner owner;
	int rc, boot;

	if ((rc = vendor_request(f->s, fname, NULL, &vr, &owner)) == 0 ||
	    (rc < 0 && owner == VENDOR_OWNER_FLAT))
		return 0;	/* no pack's, or the Cisco route's <mac>.xml */
	logline_str(f->log, "pack", vr.pack->name);
	if (rc < 0) {
		if (owner == VENDOR_OWNER_NOT_PHONE)
			response_error(f->rs, 400, "bad_identifier",
			    "multicast or all-zero MAC address");
		else if (owner == VENDOR_OWNER_OTHER_PACK)
			response_error(f->rs, 404, "not_this_vendor", "that "
			    "phone is a device of another vendor");
		else
			response_error(f->rs, 404, "unknown_phone",
			    "no device with that MAC uses this file");
		return 1;
	}
	logline_str(f->log, "file", fname);
	if (vr.phone != NULL) {
		logline_str(f->log, "phone", vr.phone->id);
		f->ff->phone_mac = vr.phone->mac;
		f->ff->phone_found = 1;
	}
	/* Read only now: the Cisco route reads it itself. */
	read_ua(f->s, f->rq->user_agent, &ua);
	vr.ua = &ua;
	if (ua_contradicts(f, &vr, &ua) == 0 &&
	    admit(f, vr.phone, vr.file->secrets) == 0 &&
	    (boot = bootstrap_wanted(f, vr.phone, vr.file->secrets)) >= 0 &&
	    once_spend(f, cred, cred_len, vr.file->secrets) == 0)
		vendor_admitted(f, &vr, boot);
	return 1;
}

/* profile.fcgi's own metrics: who fetched, how fast, who was upgraded. */
static void
fetch_metrics(struct metrics *m, const struct response *rs,
    const struct fetch_facts *ff, double seconds, int series)
{
	/* Per-phone series only for a fleet /metrics can carry
	 * (monitoring.per_phone_series_max); else "unknown". */
	const char *mac[1] = { series ? ff->phone_mac : NULL };
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
	if (ff->phone_mac != NULL && series && rs->status < 400)
		metrics_set(m, METRIC_PHONE_LAST_PROFILE_FETCH, mac,
		    (double)time(NULL));
	if (ff->fw_expected != NULL && rs->status == 200)
		metrics_inc(m, METRIC_PHONE_FIRMWARE_UPDATES, fw, 1);
}

static int
per_phone_series(const struct snapshot *s)
{
	return s == NULL ||
	    s->n_phones <= (size_t)s->svc.per_phone_series_max;
}

/* The fetch in the summary index (summary.h): never fsynced, and written
 * at most once per phone every SUMMARY_FETCH_EVERY seconds. */
static void
fetch_summary(struct app *app, const struct response *rs,
    const struct fetch_facts *ff)
{
	const struct snapshot *s;

	if (!app->server || ff->phone_mac == NULL ||
	    ff->phone_mac[0] == '\0' || rs->status >= 400 ||
	    (s = config_state_get(&app->cs)) == NULL)
		return;
	summary_note_fetch(summary_of_app(app, s), ff->phone_mac, time(NULL));
}

/* A client the abuse table refuses gets 429 before anything is looked
 * up.  0, or -1 with the refusal in rs. */
static int
abuse_gate(struct fetch *f)
{
	enum abuse_reason why;
	char secs[24], ip[64];
	long wait;

	if (!f->have_client || (wait = abuse_admit(f->app->abuse,
	    &f->s->svc.abuse, &f->client, f->now, &why)) == 0)
		return 0;
	snprintf(secs, sizeof(secs), "%ld", wait);
	ipaddr_format(&f->client, ip, sizeof(ip));
	logline_str(f->log, "client_ip", ip);
	logline_str(f->log, "abuse", abuse_reason_name(why));
	response_error(f->rs, 429, "abuse_blocked", "too many requests or "
	    "unknown names from this address; try again later");
	response_header(f->rs, "Retry-After", secs);
	return -1;
}

/* Refusals that name something that does not exist: what a client
 * guessing MAC addresses, names or keys gets. */
static const char *const unknown_outcomes[] = {
	"unknown_phone", "bad_identifier", "bad_key", "bad_token", "bad_link",
	"mac_mismatch", NULL
};

/* Counts such a refusal against the client (by the name it asked for,
 * the credential of a link included, hashed and never kept). */
static void
abuse_count(struct fetch *f)
{
	const char *uri = f->rq->uri;

	if (f->s == NULL || !f->have_client || f->app->abuse == NULL ||
	    f->rs->outcome == NULL || uri == NULL)
		return;
	for (size_t i = 0; unknown_outcomes[i] != NULL; i++)
		if (strcmp(f->rs->outcome, unknown_outcomes[i]) == 0) {
			if (abuse_note_unknown(f->app->abuse,
			    &f->s->svc.abuse, &f->client, uri,
			    strnlen(uri, URI_MAX), f->now))
				logline_str(f->log, "abuse", "enumeration");
			return;
		}
}

static int
mac_ok(const char *v)
{
	char mac[MAC_LEN + 1];

	return mac_parse(v, strlen(v), mac) == MAC_OK;
}

/* The SIP PnP URL of Snom and Panasonic phones, "/?mac=<mac>" (the base
 * URL deskprov-pnpd tells them; wazo-provd's Snom plugin reads the same
 * argument): the phone's main file, as if it had asked for it by name.
 * 1 with the name in fname; -1 for a MAC no phone has; 0 for any other
 * URL. */
static int
pnp_query_file(const struct snapshot *s, const char *uri, char *fname,
    size_t fnamesz)
{
	static const struct qs_key keys[] = { { "mac", mac_ok }, { NULL, NULL } };
	const char *v[QS_KEYS_MAX];
	const struct phone *ph;
	const struct pack_file *pf;
	char mac[MAC_LEN + 1];
	struct buf store;
	int found;

	if (uri == NULL || strncmp(uri, "/?", 2) != 0)
		return 0;
	buf_init(&store);
	if (qs_parse(uri + 2, keys, &store, v) < 0 || v[0] == NULL ||
	    mac_parse(v[0], strlen(v[0]), mac) != MAC_OK)
		found = 0;
	else if ((ph = snapshot_find_mac(s, mac)) == NULL)
		found = -1;
	else if (ph->pack == NULL)
		found = snprintf(fname, fnamesz, "%s.xml", mac) > 0;
	else
		found = (pf = vendor_main_file(ph->pack)) != NULL &&
		    vendor_file_name(pf, ph, ph->pmodel, fname, fnamesz) == 0;
	buf_free(&store);
	return found;
}

/* A PnP URL is served as the file it names: rq (the caller's copy of the
 * request, alive as long as f) gets that file's URI.  0 to go on, -1 with
 * the refusal in rs (a MAC no phone has). */
static int
pnp_rewrite(struct fetch *f, struct request *rq, char *uri, size_t urisz)
{
	char fname[PATH_MAX_LEN + 1];
	int pnp;

	if (f->s == NULL || (pnp = pnp_query_file(f->s, f->rq->uri, fname,
	    sizeof(fname))) == 0)
		return 0;
	if (pnp < 0) {
		response_error(f->rs, 404, "unknown_phone",
		    "no phone with that identifier");
		return -1;
	}
	snprintf(uri, urisz, "/%s", fname);
	logline_str(f->log, "pnp_file", fname);
	*rq = *f->rq;
	rq->uri = uri;
	f->rq = rq;
	return 0;
}

/* A configuration request: a vendor file, else a Cisco profile, over
 * the plain URL or a link. */
static void
serve_config(struct fetch *f)
{
	char path[PATH_MAX_LEN + 1], ident[IDENT_MAX + 1];
	const char *file, *cred = NULL;
	size_t cred_len = 0;

	if (decode_path(f->rq->uri, f->rs, path) < 0)
		return;
	if (links_route(path, &f->vr.via.kind, &cred, &cred_len, &file) < 0) {
		response_error(f->rs, 404, "bad_link", "not a link");
		return;
	}
	if (f->s == NULL) {
		/* Without a config only the Cisco route's names are known. */
		if (parse_profile_path(file, f->rs, ident, sizeof(ident)) == 0)
			response_error(f->rs, 503, "no_config",
			    "no valid configuration loaded");
		return;
	}
	f->have_client = client_address(&f->s->svc, f->rq->remote_addr,
	    f->rq->forwarded_for, &f->client) == 0;
	if (abuse_gate(f) < 0)
		return;
	if (f->vr.via.kind != LINKS_PLAIN_URL &&
	    resolve_link(f, cred, cred_len) < 0)
		return;
	if (f->vr.via.phone != NULL)
		logline_str(f->log, "link_phone", f->vr.via.phone->id);
	if (f->s->packs.n > 0 && strchr(file, '/') == NULL &&
	    serve_vendor_file(f, file, cred, cred_len))
		return;
	if (parse_profile_path(file, f->rs, ident, sizeof(ident)) < 0)
		return;
	serve_phone(f, ident, cred, cred_len);
}

/* The URI as the log may have it: a link's credential is a secret, so
 * "/p/<key>/x.cfg" is logged as "/p/-/x.cfg". */
static void
log_uri(struct logline *log, const char *uri)
{
	const char *slash;
	char masked[256];
	size_t n;

	if (uri == NULL || uri[0] != '/' || strchr("pto", uri[1]) == NULL ||
	    uri[1] == '\0' || uri[2] != '/') {
		logline_strn(log, "uri", uri, uri ? strnlen(uri, 200) : 0);
		return;
	}
	slash = strchr(uri + 3, '/');
	n = slash != NULL ? strnlen(slash, 200) : 0;
	memcpy(masked, uri, 3);
	masked[3] = '-';
	if (n > 0)
		memcpy(masked + 4, slash, n);
	logline_strn(log, "uri", masked, 4 + n);
}

void
app_profile_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	struct fetch_facts ff = { 0 };
	double t0 = instrument_clock();
	struct fetch f = { .app = app, .s = config_state_get(&app->cs),
	    .rq = rq, .rs = rs, .log = log, .ff = &ff, .now = time(NULL) };

	logline_str(log, "method", rq->method);
	log_uri(log, rq->uri);
	if (rq->method != NULL && strcmp(rq->method, "PUT") == 0 &&
	    app_upload_names_file(rq)) {
		/* What phones upload (issue 15): logs, override files. */
		app_upload_handle(app, rq, rs, log);
		return;
	} else if (rq->method == NULL || (strcmp(rq->method, "GET") != 0 &&
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
	} else {
		struct request pnp_rq;
		char pnp_uri[PATH_MAX_LEN + 2];

		if (pnp_rewrite(&f, &pnp_rq, pnp_uri, sizeof(pnp_uri)) == 0)
			serve_config(&f);
		abuse_count(&f);
	}
	/* A fetch after `deskprov notify` confirms the resync. */
	if (ff.phone_mac != NULL && rs->status == 200 &&
	    notify_confirm(app->data_dir, ff.phone_mac, app->metrics))
		logline_str(log, "notify", "confirmed");
	fetch_metrics(app->metrics, rs, &ff, instrument_clock() - t0,
	    per_phone_series(config_state_get(&app->cs)));
	fetch_summary(app, rs, &ff);
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
