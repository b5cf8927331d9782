#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access.h"
#include "app_upload.h"
#include "upload.h"
#include "useragent.h"

#define UPLOAD_PATH_MAX	256

/* The one file the URL names: "/<mac>-app.log" and the like, a single
 * decoded segment.  NULL with the refusal in rs. */
static const struct upload_file *
target(const char *uri, char mac[MAC_LEN + 1], struct response *rs)
{
	char path[UPLOAD_PATH_MAX + 1];
	const struct upload_file *f;

	if (uri == NULL || strlen(uri) > URI_MAX ||
	    uri_path_decode(uri, path, sizeof(path)) < 0 || path[0] != '/' ||
	    strchr(path + 1, '/') != NULL) {
		response_error(rs, 400, "bad_path", "malformed request path");
		return NULL;
	}
	if ((f = upload_match(path + 1, mac)) == NULL)
		response_error(rs, 404, "no_route", "phones upload only their "
		    "own logs and override files here");
	return f;
}

int
app_upload_names_file(const struct request *rq)
{
	char path[UPLOAD_PATH_MAX + 1], mac[MAC_LEN + 1];

	return rq->uri != NULL && strlen(rq->uri) <= URI_MAX &&
	    uri_path_decode(rq->uri, path, sizeof(path)) == 0 &&
	    path[0] == '/' && strchr(path + 1, '/') == NULL &&
	    upload_match(path + 1, mac) != NULL;
}

/* The same rules as a fetch of the phone's own file: a device of the
 * file's vendor, a User-Agent that names neither another vendor nor
 * another MAC, discovery mode, the phone's own address.  0, or -1 with
 * the refusal in rs. */
static int
admit_sender(const struct snapshot *s, const struct phone *ph,
    const struct request *rq, struct response *rs, struct logline *log)
{
	struct useragent ua;
	struct ipaddr client;
	const char *why;
	char ip[64];

	if (!ua_parse(rq->user_agent, &ua) &&
	    !packset_ua_parse(&s->packs, rq->user_agent, &ua))
		memset(&ua, 0, sizeof(ua));
	if ((ua.vendor[0] && strcmp(ua.vendor, ph->pack->ua_vendor) != 0) ||
	    (s->svc.ua_mac_must_match && (ua.mac_bad || (ua.mac[0] &&
	    strcmp(ua.mac, ph->mac) != 0)))) {
		logline_str(log, "ua_vendor", ua.vendor);
		response_error(rs, 403, "ua_mismatch", "User-Agent names "
		    "another vendor or phone than the file");
		return -1;
	}
	if (s->svc.discovery_enabled &&
	    !maclist_contains(&s->svc.discovery_exclude, ph->mac)) {
		response_error(rs, 404, "discovery", "discovery mode: nothing "
		    "stored");
		return -1;
	}
	if (client_address(&s->svc, rq->remote_addr, rq->forwarded_for,
	    &client) < 0) {
		response_error(rs, 400, "bad_client_address",
		    "unparseable client address");
		return -1;
	}
	if ((why = profile_access(s, ph, &client)) == NULL)
		return 0;
	ipaddr_format(&client, ip, sizeof(ip));
	logline_str(log, "client_ip", ip);
	response_error(rs, 403, why, "this address may not upload for that "
	    "phone");
	return -1;
}

/* The body, capped before a byte is read: Content-Length is required and
 * at most the file's cap.  The body (caller frees) or NULL with the
 * refusal in rs. */
static char *
read_capped(const struct request *rq, const struct upload_file *f,
    size_t *len, struct response *rs)
{
	const char *cl = rq->content_length;
	size_t n = cl ? strlen(cl) : 0, got = 0;
	unsigned long long want;
	char *body;
	ssize_t r;

	if (cl == NULL || n == 0) {
		response_error(rs, 411, "length_required", "an upload needs "
		    "a Content-Length");
		return NULL;
	}
	if (n > 18 || strspn(cl, "0123456789") != n) {
		response_error(rs, 400, "bad_length", "Content-Length is not "
		    "a number");
		return NULL;
	}
	if ((want = strtoull(cl, NULL, 10)) > f->max_bytes) {
		response_error(rs, 413, "too_large", "the file is larger than "
		    "deskprov keeps");
		return NULL;
	}
	if (want == 0 || rq->read_body == NULL) {
		response_error(rs, 400, "empty_body", "the upload is empty");
		return NULL;
	}
	body = xmalloc((size_t)want + 1);
	while (got < want && (r = rq->read_body(rq->body_ctx, body + got,
	    (size_t)want - got)) > 0)
		got += (size_t)r;
	if (got < want) {
		free(body);
		response_error(rs, 400, "bad_body", "the body is shorter than "
		    "its Content-Length");
		return NULL;
	}
	body[got] = '\0';
	*len = got;
	return body;
}

void
app_upload_handle(struct app *app, const struct request *rq,
    struct response *rs, struct logline *log)
{
	const struct snapshot *s = config_state_get(&app->cs);
	const struct upload_file *f;
	const struct phone *ph;
	char mac[MAC_LEN + 1], err[256], *body;
	size_t len;

	if ((f = target(rq->uri, mac, rs)) == NULL)
		return;
	logline_str(log, "mac", mac);
	if (s == NULL) {
		response_error(rs, 503, "no_config", "no valid configuration "
		    "loaded");
		return;
	}
	if ((ph = snapshot_find_mac(s, mac)) == NULL) {
		response_error(rs, 404, "unknown_phone", "no phone with that "
		    "MAC address");
		return;
	}
	logline_str(log, "phone", ph->id);
	if (ph->pack == NULL || strcmp(ph->pack->name, f->pack) != 0) {
		response_error(rs, 404, "not_this_vendor", "that phone's "
		    "vendor does not upload this file");
		return;
	}
	if (admit_sender(s, ph, rq, rs, log) < 0 ||
	    (body = read_capped(rq, f, &len, rs)) == NULL)
		return;
	if (upload_store(app->data_dir, mac, f, body, len, time(NULL), err,
	    sizeof(err)) < 0) {
		logline_str(log, "error", err);
		response_error(rs, 500, "store_error", "the upload could not "
		    "be stored; the server log says why");
	} else {
		rs->status = 200;
		rs->outcome = "stored";
		rs->content_type = "text/plain; charset=utf-8";
		buf_adds(&rs->body, "stored\n");
	}
	free(body);
}
