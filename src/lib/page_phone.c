/* GET /phone/<phone>: one configured phone.  Who it is (phones.yml), its
 * state (phoneview.h), the files it fetches with a preview of each as
 * profile.fcgi renders it, every value with the layer (and for devices
 * the template) it came from (explain.h), and its newest reports.
 * Previews come masked from explain_files(); explained secrets carry no
 * value: no password reaches this page.
 *
 * POST /phone/<phone>: its Resync and Reboot buttons, a SIP NOTIFY
 * through notify_phone() (the sender `deskprov notify` uses), for admins
 * with a form token (csrf.h); then 303 back to the page, whose ?done=
 * says what happened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "csrf.h"
#include "explain.h"
#include "notify.h"
#include "page.h"
#include "page_rps.h"

#define PHONE_REPORTS	10	/* newest reports listed */
#define PHONE_FORM_MAX	1024	/* a form body: a token and a button */

static void
dl_item(struct buf *b, const char *term)
{
	buf_adds(b, "</dd><dt>");
	html_text(b, term);
	buf_adds(b, "</dt><dd>");
}

static void
address_rule(struct buf *b, const struct phone *ph)
{
	char a[64];

	if (ph->n_nets == 0) {
		html_elem(b, "span", "muted", "any address (no ip_address)");
		return;
	}
	for (uint32_t i = 0; i < ph->n_nets; i++) {
		const struct ipnet *n = &ph->nets[i];
		ipaddr_format(&n->addr, a, sizeof(a));
		if (n->prefix != (n->addr.family == 4 ? 32 : 128))
			snprintf(a + strlen(a), sizeof(a) - strlen(a), "/%u",
			    (unsigned)n->prefix);
		if (i > 0)
			buf_adds(b, ", ");
		html_elem(b, "code", NULL, a);
	}
}

static void
model_name(struct buf *b, const struct phone *ph, const struct phone_view *v)
{
	const char *m = ph->pmodel != NULL ? ph->pmodel->name : ph->model;

	if (m != NULL)
		html_text(b, m);
	else
		html_elem(b, "span", "muted", "not set");
	if (v->model[0] != '\0' && (m == NULL || strcmp(m, v->model) != 0)) {
		buf_adds(b, " (reports ");
		html_text(b, v->model);
		buf_adds(b, ")");
	}
}

static void
link_to(struct buf *b, const char *prefix, const char *seg, const char *arg,
    const char *text)
{
	struct buf url;

	buf_init(&url);
	buf_adds(&url, prefix);
	if (arg != NULL)
		url_arg(&url, arg, seg);
	else
		url_segment(&url, seg);
	html_link(b, url.data, NULL, text);
	buf_free(&url);
}

static void
identity(struct page *pg, const struct phone_view *v)
{
	const struct phone *ph = v->phone;
	struct buf *b = &pg->rs->body;

	buf_adds(b, "<dl class=\"facts\"><dt>Name</dt><dd>");
	html_text(b, ph->id);
	buf_printf(b, " <span class=\"muted\">phones.yml line %d</span>",
	    ph->line);
	dl_item(b, "MAC");
	page_mac(b, ph->mac);
	dl_item(b, "Vendor");
	html_text(b, snapshot_vendor_name(ph));
	dl_item(b, "Model");
	model_name(b, ph, v);
	dl_item(b, "Serial number");
	if (ph->serial != NULL)
		html_elem(b, "code", NULL, ph->serial);
	else
		html_elem(b, "span", "muted", "not set");
	dl_item(b, "Allowed addresses");
	address_rule(b, ph);
	dl_item(b, "Status");
	page_badge(b, v->badge);
	if (v->compared) {
		buf_adds(b, " ");
		link_to(b, "/compare/", ph->mac, NULL, "compare");
	}
	dl_item(b, "Firmware reported");
	if (v->firmware[0] != '\0')
		html_elem(b, "code", "value", v->firmware);
	else
		html_elem(b, "span", "muted", "unknown");
	dl_item(b, "Last profile fetch");
	page_time(b, NULL, v->last_fetch);
	dl_item(b, "Redirect service");
	page_rps_phone(b, pg, ph);
	buf_adds(b, "</dd></dl>\n");
}

/* ---- the files ---- */

static void
file_item(void *ctx, const struct explain_file *f)
{
	struct buf *b = ctx;

	buf_adds(b, "<li><code>");
	html_text(b, f->name);
	buf_adds(b, "</code> ");
	if (f->status == EXPLAIN_RENDERED) {
		html_elem(b, "span", "badge ok", "rendered");
		buf_printf(b, " <span class=\"muted\">%zu bytes", f->body->len);
	} else {
		html_elem(b, "span", "badge drift", "does not render");
		buf_adds(b, " <span class=\"error\">");
		html_text(b, f->error);
	}
	if (f->res != NULL && f->res->template_rel != NULL) {
		buf_adds(b, ", template ");
		html_text(b, f->res->template_rel);
		for (size_t i = 0; i < f->res->n_used; i++) {
			buf_adds(b, i == 0 ? " with " : ", ");
			html_text(b, f->res->used[i]);
		}
	}
	buf_adds(b, "</span>");
	if (f->status == EXPLAIN_RENDERED) {
		buf_adds(b, "\n<details><summary>Preview (secrets masked)"
		    "</summary><pre class=\"preview\">");
		html_textn(b, f->body->data ? f->body->data : "", f->body->len);
		buf_adds(b, "</pre></details>");
	}
	buf_adds(b, "</li>\n");
}

static void
files(struct page *pg, const struct phone *ph)
{
	struct buf *b = &pg->rs->body, list;
	size_t n;

	buf_init(&list);
	n = explain_files(pg->snap, ph, file_item, &list);
	buf_printf(b, "<h2>Files it fetches <span class=\"count\">%zu</span>"
	    "</h2>\n", n);
	if (n == 0) {
		html_elem(b, "p", "muted", "Its pack names no file for this "
		    "phone and model.");
	} else {
		buf_adds(b, "<ol class=\"files\">\n");
		buf_add(b, list.data, list.len);
		buf_adds(b, "</ol>\n");
	}
	buf_free(&list);
}

/* ---- explain: every value and its layer ---- */

static void
value_row(void *ctx, const struct explain_value *v)
{
	struct buf *b = ctx, cls;

	buf_init(&cls);
	buf_printf(&cls, "layer layer-%s", v->layer);
	buf_adds(b, "<tr>");
	html_elem(b, "th", NULL, v->name);
	buf_adds(b, "<td>");
	html_elem(b, "span", cls.data, v->layer);
	buf_adds(b, "</td><td>");
	if (v->value == NULL)
		html_elem(b, "span", "badge secret", "secret");
	else
		page_value(b, v->value);
	buf_adds(b, "</td></tr>\n");
	buf_free(&cls);
}

/* The values behind the phone's main file (a device) or its profile. */
static void
values(struct page *pg, const struct phone *ph)
{
	struct buf *b = &pg->rs->body, rows;
	const struct pack_file *f;
	struct vendor_file_req vr, *rq = NULL;
	char name[256], err[256];

	html_elem(b, "h2", NULL, "Values and where they come from");
	if (ph->pack != NULL) {
		if ((f = vendor_main_file(ph->pack)) == NULL ||
		    vendor_phone_request(pg->snap, ph, f, name, sizeof(name),
		    &vr) != 1) {
			html_elem(b, "p", "muted", "Its pack has no file of its "
			    "own for this phone.");
			return;
		}
		rq = &vr;
		buf_adds(b, "<p>The device data of ");
		html_elem(b, "code", NULL, name);
		buf_adds(b, ", merged from the layers default &lt; common &lt; "
		    "vendor &lt; model &lt; phone.</p>\n");
	} else {
		html_elem(b, "p", NULL, "The flat profile's parameters, "
		    "merged from the layers schema < common < phone.");
	}
	buf_init(&rows);
	if (explain_values(pg->snap, ph, rq, value_row, &rows, err,
	    sizeof(err)) < 0) {
		html_elem(b, "p", "error", err);
	} else {
		buf_adds(b, "<div class=\"scroll\"><table class=\"params\">\n"
		    "<thead><tr><th scope=\"col\">Value</th><th scope=\"col\">"
		    "Layer</th><th scope=\"col\">Content</th></tr></thead>\n"
		    "<tbody>\n");
		buf_add(b, rows.data, rows.len);
		buf_adds(b, "</tbody></table></div>\n");
	}
	buf_free(&rows);
}

/* ---- resync and reboot ---- */

/* What a button did, as ?done=<action>-<result> shows it. */
static const struct {
	const char	*done;
	const char	*text;
} done_text[] = {
	{ "resync-answered", "Resync: the phone answered the NOTIFY and "
	    "fetches its files now." },
	{ "reboot-answered", "Reboot: the phone answered the NOTIFY and "
	    "restarts now." },
	{ "resync-sent", "Resync: the NOTIFY was sent; the phone did not "
	    "answer within a second (many do not). Its next fetch confirms "
	    "it." },
	{ "reboot-sent", "Reboot: the NOTIFY was sent; the phone did not "
	    "answer within a second (many do not)." },
	{ "resync-refused", "Resync: the phone refused the NOTIFY." },
	{ "reboot-refused", "Reboot: the phone refused the NOTIFY." },
	{ "resync-no_contact", "Resync: no SIP contact is known for this "
	    "phone. Set sip_contact in its entry, or wait until PnP, DHCP "
	    "or a report has heard it." },
	{ "reboot-no_contact", "Reboot: no SIP contact is known for this "
	    "phone. Set sip_contact in its entry, or wait until PnP, DHCP "
	    "or a report has heard it." },
	{ "resync-no_socket", "Resync: the NOTIFY could not be sent; see "
	    "the server's log." },
	{ "reboot-no_socket", "Reboot: the NOTIFY could not be sent; see "
	    "the server's log." },
};

static const char *
done_find(const char *v)
{
	for (size_t i = 0; i < sizeof(done_text) / sizeof(done_text[0]); i++)
		if (strcmp(done_text[i].done, v) == 0)
			return done_text[i].text;
	return NULL;
}

static int
done_ok(const char *v)
{
	return done_find(v) != NULL;
}

const struct qs_key page_phone_keys[] = {
	{ "done", done_ok }, { NULL, NULL }
};

static void
contact_line(struct page *pg, const struct phone *ph)
{
	struct buf *b = &pg->rs->body;
	struct notify_target *t;
	char err[128], port[16];

	buf_adds(b, "<p>SIP contact: ");
	if (notify_select(pg->snap, pg->app->data_dir, ph->mac, &t, err,
	    sizeof(err)) == 1 && t[0].have_contact) {
		html_elem(b, "code", NULL, t[0].c.addr);
		snprintf(port, sizeof(port), ":%u", t[0].c.port);
		html_text(b, port);
		buf_adds(b, " <span class=\"muted\">(");
		html_text(b, strcmp(t[0].c.source, "config") == 0 ?
		    "sip_contact" : t[0].c.source);
		buf_adds(b, ")</span>");
	} else
		html_elem(b, "span", "muted", "none known yet");
	buf_adds(b, "</p>\n");
	free(t);
}

/* The buttons, with a token for this user and this phone. */
static void
actions(struct page *pg, const struct phone *ph)
{
	struct buf *b = &pg->rs->body, url;
	const char *done = pg->query[0];
	char tok[CSRF_TOKEN_MAX];

	html_elem(b, "h2", NULL, "Resync and reboot");
	if (done != NULL)
		html_elem(b, "p", "notice", done_find(done));
	if (ph->mac[0] == '\0') {
		html_elem(b, "p", "muted", "No MAC in its entry: there is no "
		    "phone to notify.");
		return;
	}
	contact_line(pg, ph);
	if (pg->store.key == NULL) {
		html_elem(b, "p", "error", "The server's key cannot be read: "
		    "see the server's log.");
		return;
	}
	csrf_token(pg->store.key, pg->rq->remote_user, ph->id, time(NULL),
	    tok);
	buf_init(&url);
	buf_adds(&url, "/phone/");
	url_segment(&url, ph->id);
	buf_adds(b, "<form method=\"post\" class=\"actions\"");
	html_attr(b, "action", url.data);
	buf_adds(b, "><input type=\"hidden\" name=\"csrf\"");
	html_attr(b, "value", tok);
	buf_adds(b, "> <button type=\"submit\" name=\"action\" "
	    "value=\"resync\">Resync</button> <button type=\"submit\" "
	    "name=\"action\" value=\"reboot\">Reboot</button></form>\n");
	buf_free(&url);
}

static int
token_ok(const char *v)
{
	return strlen(v) < CSRF_TOKEN_MAX;
}

static int
action_ok(const char *v)
{
	return strcmp(v, "resync") == 0 || strcmp(v, "reboot") == 0;
}

static const struct qs_key form_keys[] = {
	{ "csrf", token_ok }, { "action", action_ok }, { NULL, NULL }
};

/* A form this server did not hand out: 403, outcome csrf (fail2ban's
 * filter counts it), and which check failed. */
static int
forged(struct page *pg, const char *why)
{
	logline_str(pg->log, "csrf", why);
	return page_fail(pg, 403, "csrf", "This form has expired or did not "
	    "come from this server: reload the phone's page and try again.");
}

/* Sends the NOTIFY and answers 303 to the page with the outcome. */
static int
act(struct page *pg, const struct phone *ph, const char *action)
{
	enum notify_result r = notify_phone(pg->snap, pg->app->data_dir,
	    ph->mac, strcmp(action, "reboot") == 0, NULL);
	struct buf url;

	logline_str(pg->log, "action", action);
	logline_str(pg->log, "notify", notify_result_name(r));
	if (r == NOTIFY_NO_PHONE)
		r = NOTIFY_NO_SOCKET;
	buf_init(&url);
	buf_adds(&url, "/phone/");
	url_segment(&url, ph->id);
	buf_printf(&url, "?done=%s-%s", action, notify_result_name(r));
	response_header(pg->rs, "Location", url.data);
	buf_free(&url);
	buf_reset(&pg->rs->body);
	pg->rs->content_type = "text/plain; charset=utf-8";
	pg->rs->outcome = "notify";
	return 303;
}

int
page_phone_post(struct page *pg)
{
	const char *v[QS_KEYS_MAX];
	const struct phone *ph;
	struct buf store;
	char *body = NULL;
	const char *why = NULL;
	size_t len = 0;
	int status;

	if ((status = page_find_phone(pg, pg->arg, &ph)) != 0)
		return status;
	if (!csrf_origin_ok(pg->rq->origin, pg->rq->referer, pg->rq->host)) {
		logline_strn(pg->log, "from", pg->rq->origin ? pg->rq->origin :
		    pg->rq->referer, strnlen(pg->rq->origin ? pg->rq->origin :
		    pg->rq->referer, 200));
		logline_strn(pg->log, "host", pg->rq->host, pg->rq->host ?
		    strnlen(pg->rq->host, 200) : 0);
		return forged(pg, "origin");
	}
	if ((status = http_read_body(pg->rq, PHONE_FORM_MAX, &body, &len,
	    &why)) == 413)
		return page_fail(pg, 413, "too_large", "The form is too large.");
	buf_init(&store);
	if (status != 0 || qs_parse(body, form_keys, &store, v) < 0 ||
	    pg->store.key == NULL || !csrf_check(pg->store.key,
	    pg->rq->remote_user, ph->id, v[0], time(NULL)))
		status = forged(pg, status != 0 ? "no_body" : "token");
	else if (v[1] == NULL || ph->mac[0] == '\0')
		status = page_fail(pg, 400, "bad_form", "Press Resync or "
		    "Reboot on a phone with a MAC.");
	else
		status = act(pg, ph, v[1]);
	buf_free(&store);
	free(body);
	return status;
}

/* ---- its reports ---- */

static int
reports(struct page *pg, const struct phone *ph)
{
	struct buf *b = &pg->rs->body, url;
	struct store_page list = { NULL, 0, 0 };
	enum store_status rc;

	html_elem(b, "h2", NULL, "Reports");
	if (ph->mac[0] == '\0') {
		html_elem(b, "p", "muted", "No MAC in phones.yml: its reports "
		    "cannot be found.");
		return 0;
	}
	rc = store_list(&pg->store, ph->mac, 0, PHONE_REPORTS, &list,
	    pg->msgbuf);
	if (rc != STORE_OK && rc != STORE_E_NOT_FOUND)
		return page_store_fail(pg, rc);
	if (list.n == 0)
		html_elem(b, "p", "muted", phone_can_report(ph) ? "It has not "
		    "reported yet." : "Its vendor's phones do not report their "
		    "configuration.");
	else
		buf_adds(b, "<ul class=\"reports\">\n");
	for (size_t i = 0; i < list.n; i++) {
		buf_init(&url);
		buf_adds(&url, "/report-detail/");
		url_segment(&url, list.entries[i].id);
		buf_adds(b, "<li>");
		page_time(b, list.entries[i].timestamp, 0);
		buf_adds(b, " ");
		html_link(b, url.data, NULL,
		    report_kind_name(list.entries[i].kind));
		buf_adds(b, "</li>\n");
		buf_free(&url);
	}
	if (list.n > 0) {
		buf_printf(b, "</ul>\n<p>");
		link_to(b, "/reports", ph->id, "phone", "Every report of this "
		    "phone");
		buf_printf(b, " (%zu).</p>\n", list.total);
	}
	if (rc == STORE_OK)
		store_page_free(&list);
	return 0;
}

int
page_phone(struct page *pg)
{
	const struct phone *ph;
	struct phone_view v;
	struct buf title;
	enum store_status rc;
	int status;

	memset(&v, 0, sizeof(v));
	if ((status = page_find_phone(pg, pg->arg, &ph)) != 0)
		return status;
	if ((rc = phone_view_load(&v, &pg->src, ph, NULL, pg->msgbuf)) !=
	    STORE_OK) {
		status = page_store_fail(pg, rc);
		goto out;
	}
	buf_init(&title);
	buf_printf(&title, "Phone %s", ph->id);
	page_begin(pg, title.data, NAV_FLEET);
	buf_free(&title);
	identity(pg, &v);
	actions(pg, ph);
	files(pg, ph);
	values(pg, ph);
	page_uploads(pg, ph);
	if ((status = reports(pg, ph)) == 0)
		status = page_end(pg, "phone");
out:
	phone_view_free(&v);
	return status;
}
