/* GET /phone/<phone>: one configured phone.  Who it is (phones.yml), its
 * state (phoneview.h), the files it fetches with a preview of each as
 * profile.fcgi renders it, every value with the layer (and for devices
 * the template) it came from (explain.h), and its newest reports.
 * Previews come masked from explain_files(); explained secrets carry no
 * value: no password reaches this page. */
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "page.h"
#include "page_rps.h"

#define PHONE_REPORTS	10	/* newest reports listed */

static void
dl_item(struct buf *b, const char *term)
{
	buf_adds(b, "</dd><dt>");
	html_text(b, term);
	buf_adds(b, "</dt><dd>");
}

/* The vendor as a page names it: the pack, or Cisco's flat profile. */
const char *
page_vendor_name(const struct phone *ph)
{
	return ph->pack != NULL ? ph->pack->name : "cisco (flat)";
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
	html_text(b, page_vendor_name(ph));
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
	files(pg, ph);
	values(pg, ph);
	page_uploads(pg, ph);
	if ((status = reports(pg, ph)) == 0)
		status = page_end(pg, "phone");
out:
	phone_view_free(&v);
	return status;
}
