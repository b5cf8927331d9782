/* GET /reports?page=N: every phone that reported (configured or not)
 * with its newest report, newest first, PAGE_PER_PAGE to a page, from the
 * summary index (summary.h) alone: no stored report is opened or listed,
 * so the cost is one pass over the index and the page's rows, whatever
 * the number of stored reports.  Each row links to the report
 * (/report-detail/<id>) and to the phone's own list.
 *
 * GET /reports?phone=P[&page=N]: the reports of one phone (a configured
 * phone by name or MAC, or any MAC that reported), newest first: the
 * names in its directory of the store (at most twice the retention), no
 * report opened.
 *
 * GET /report-detail/<id>: one report with its parameters; secrets
 * (stored as keyed hashes) show as "hashed", never their hash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "pagesel.h"
#include "summary.h"
#include "text.h"

/* The phone's name (linked to its page) when it is configured, else a
 * muted note. */
static void
phone_name(const struct page *pg, struct buf *b, const char *mac)
{
	const struct phone *ph = snapshot_find_mac(pg->snap, mac);

	if (ph != NULL)
		page_phone_link(pg, b, ph);
	else
		html_elem(b, "span", "muted", "not configured");
}

static void
report_row(struct page *pg, const struct store_entry *e)
{
	struct buf *b = &pg->rs->body, url;

	buf_init(&url);
	buf_adds(&url, "/report-detail/");
	url_segment(&url, e->id);
	buf_adds(b, "<tr><td>");
	page_time(b, e->timestamp, 0);
	buf_adds(b, "</td><td>");
	phone_name(pg, b, e->mac);
	buf_adds(b, "</td><td>");
	page_mac(b, e->mac);
	buf_adds(b, "</td><td>");
	html_text(b, report_kind_name(e->kind));
	buf_adds(b, "</td><td>");
	html_link(b, url.data, NULL, "details");
	buf_adds(b, "</td></tr>\n");
	buf_free(&url);
}

/* One phone's newest report as the index has it. */
static void
newest_row(struct page *pg, const struct summary_rec *rec)
{
	struct buf *b = &pg->rs->body, url;
	struct store_entry e;

	if (store_entry_parse(rec->latest_id, &e) < 0)
		return;		/* a damaged record: the next report fixes it */
	buf_init(&url);
	buf_adds(b, "<tr><td>");
	page_time(b, e.timestamp, 0);
	buf_adds(b, "</td><td>");
	phone_name(pg, b, rec->mac);
	buf_adds(b, "</td><td>");
	buf_adds(&url, "/reports");
	url_arg(&url, "phone", rec->mac);
	buf_adds(b, "<a");
	html_attr(b, "href", url.data);
	buf_addc(b, '>');
	page_mac(b, rec->mac);
	buf_adds(b, "</a></td><td>");
	html_text(b, report_kind_name(e.kind));
	buf_adds(b, "</td><td>");
	buf_reset(&url);
	buf_adds(&url, "/report-detail/");
	url_segment(&url, e.id);
	html_link(b, url.data, NULL, "details");
	buf_adds(b, "</td></tr>\n");
	buf_free(&url);
}

/* phone: the ?phone= the list was asked for, kept by the pager, or NULL. */
static void
pager_link(struct buf *b, size_t page, const char *phone, const char *label,
    const char *rel)
{
	struct buf url, n;

	buf_init(&url);
	buf_init(&n);
	buf_printf(&n, "%zu", page);
	buf_adds(&url, "/reports");
	url_arg(&url, "page", n.data);
	if (phone != NULL)
		url_arg(&url, "phone", phone);
	buf_adds(b, "<a");
	html_attr(b, "href", url.data);
	html_attr(b, "rel", rel);
	buf_addc(b, '>');
	html_text(b, label);
	buf_adds(b, "</a>");
	buf_free(&url);
	buf_free(&n);
}

/* what: "report" or "phone", counted in total. */
static void
pager(struct buf *b, size_t page, size_t pages, size_t total,
    const char *phone, const char *what)
{
	buf_adds(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (page > 1)
		pager_link(b, page - 1, phone, "\xe2\x86\x90 Newer", "prev");
	buf_printf(b, " <span>Page %zu of %zu (%zu %s%s)</span> ", page,
	    pages, total, what, total == 1 ? "" : "s");
	if (page < pages)
		pager_link(b, page + 1, phone, "Older \xe2\x86\x92", "next");
	buf_adds(b, "</nav>\n");
}

/* The MAC whose reports ?phone= asks for: a MAC as it is (a discovered
 * phone has reports too), a name through phones.yml.  0, or the status. */
static int
filter_mac(struct page *pg, const char *ident, char mac[MAC_LEN + 1],
    struct buf *title)
{
	const struct phone *ph;
	char colons[18];
	int status;

	if (mac_parse(ident, strlen(ident), mac) == MAC_OK) {
		ph = snapshot_find_mac(pg->snap, mac);
		mac_format_colons(mac, colons);
		buf_printf(title, "Reports of %s", ph != NULL ? ph->id : colons);
		return 0;
	}
	if ((status = page_find_phone(pg, ident, &ph)) != 0)
		return status;
	if (ph->mac[0] == '\0')
		return page_fail(pg, 404, "no_mac", "This phone has no MAC "
		    "address in phones.yml, so its reports cannot be found.");
	memcpy(mac, ph->mac, MAC_LEN + 1);
	buf_printf(title, "Reports of %s", ph->id);
	return 0;
}

static void
report_list(struct page *pg, const struct store_page *list, size_t page,
    size_t pages)
{
	struct buf *b = &pg->rs->body;

	pager(b, page, pages, list->total, pg->query[1], "report");
	buf_adds(b, "<div class=\"scroll\"><table class=\"list\">\n"
	    "<caption>Reports, newest first</caption>\n<thead><tr>"
	    "<th scope=\"col\">Received</th><th scope=\"col\">Phone</th>"
	    "<th scope=\"col\">MAC</th><th scope=\"col\">Type</th>"
	    "<th scope=\"col\">Report</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < list->n; i++)
		report_row(pg, &list->entries[i]);
	buf_adds(b, "</tbody></table></div>\n");
	if (pages > 1)
		pager(b, page, pages, list->total, pg->query[1], "report");
}

/* ---- every phone's newest report, from the index ---- */

/* The phones that reported, each as its newest report's time (newest
 * first: the key is complemented) and its MAC as a number (the tie). */
struct newest {
	struct pagesel_item	*v;
	size_t			 n, cap;
};

/* Where the microseconds sit in a report id (store.h):
 * "001122334455-20261122T100753.100655Z-config-..." */
#define ID_DOT		28
#define ID_US		29
#define ID_US_LEN	6

/* Microseconds since the epoch of the report a record names: the
 * seconds the index keeps, the fraction from the id, so that two reports
 * of one second keep their order.  0 when the record names no report (or
 * a damaged id: the next report rewrites it).  No full parse of the id
 * here: with snprintf() and the id's validation it was two thirds of a
 * 100,000-phone list; the rows shown are parsed in full. */
static int
newest_time(const struct summary_rec *rec, uint64_t *out)
{
	uint64_t us = 0;
	const char *id = rec->latest_id;

	if (strnlen(id, ID_US + ID_US_LEN) < ID_US + ID_US_LEN ||
	    id[ID_DOT] != '.')
		return -1;
	for (int k = 0; k < ID_US_LEN; k++) {
		if (id[ID_US + k] < '0' || id[ID_US + k] > '9')
			return -1;
		us = us * 10 + (uint64_t)(id[ID_US + k] - '0');
	}
	*out = (uint64_t)(rec->last_report > 0 ? rec->last_report : 0) *
	    1000000 + us;
	return 0;
}

/* A canonical MAC (12 lowercase hex digits) as a number. */
static uint64_t
mac_number(const char *mac)
{
	uint64_t n = 0;

	for (int k = 0; k < MAC_LEN; k++)
		n = n << 4 | (uint64_t)hex_value((unsigned char)mac[k]);
	return n;
}

static void
newest_one(const struct summary_rec *rec, void *ctx)
{
	struct newest *nw = ctx;
	uint64_t t;

	if (newest_time(rec, &t) < 0)
		return;
	if (nw->n == nw->cap) {
		nw->cap = nw->cap ? nw->cap * 2 : 1024;
		nw->v = xrealloc(nw->v, nw->cap * sizeof(*nw->v));
	}
	nw->v[nw->n].key = ~t;
	nw->v[nw->n].tie = mac_number(rec->mac);
	nw->n++;
}

static void
newest_list(struct page *pg, struct summary *sum, const struct newest *nw,
    size_t page, size_t pages)
{
	struct buf *b = &pg->rs->body;
	size_t first = (page - 1) * PAGE_PER_PAGE;
	struct summary_rec rec;
	char mac[MAC_LEN + 1];

	buf_adds(b, "<p>Each phone that has reported, with its newest report."
	    " A phone's MAC leads to all of its reports.</p>\n");
	pager(b, page, pages, nw->n, NULL, "phone");
	buf_adds(b, "<div class=\"scroll\"><table class=\"list\">\n"
	    "<caption>Newest report of each phone, newest first</caption>\n"
	    "<thead><tr><th scope=\"col\">Received</th><th scope=\"col\">"
	    "Phone</th><th scope=\"col\">MAC</th><th scope=\"col\">Type"
	    "</th><th scope=\"col\">Report</th></tr></thead>\n<tbody>\n");
	for (size_t i = first; i < nw->n && i < first + PAGE_PER_PAGE; i++) {
		snprintf(mac, sizeof(mac), "%012llx",
		    (unsigned long long)nw->v[i].tie);
		if (summary_get(sum, mac, &rec) == 0)
			newest_row(pg, &rec);
	}
	buf_adds(b, "</tbody></table></div>\n");
	if (pages > 1)
		pager(b, page, pages, nw->n, NULL, "phone");
}

/* /reports without ?phone=.  Without an index (no data directory yet)
 * no phone has reported, which is what the store would say too. */
static int
newest_page(struct page *pg, size_t page)
{
	struct summary *sum = summary_of_app(pg->app, pg->snap);
	struct newest nw = { NULL, 0, 0 };
	size_t pages;

	summary_each(sum, newest_one, &nw);
	pages = nw.n ? (nw.n + PAGE_PER_PAGE - 1) / PAGE_PER_PAGE : 1;
	if (page > pages) {
		free(nw.v);
		return page_fail(pg, 404, "no_page", "There is no such page of "
		    "reports.");
	}
	pagesel_window(nw.v, nw.n, (page - 1) * PAGE_PER_PAGE, PAGE_PER_PAGE);
	page_begin(pg, "Reports", NAV_REPORTS);
	if (nw.n == 0)
		html_elem(&pg->rs->body, "p", "muted", "No phone has reported "
		    "yet.");
	else
		newest_list(pg, sum, &nw, page, pages);
	free(nw.v);
	return page_end(pg, "reports");
}

/* ---- one phone's reports, from its directory ---- */

static int
phone_reports(struct page *pg, size_t page)
{
	size_t pages;
	struct store_page list = { NULL, 0, 0 };
	enum store_status rc;
	struct buf *b = &pg->rs->body, title;
	char mac[MAC_LEN + 1];
	int status;

	buf_init(&title);
	if ((status = filter_mac(pg, pg->query[1], mac, &title)) != 0) {
		buf_free(&title);
		return status;
	}
	rc = store_list(&pg->store, mac, (page - 1) * PAGE_PER_PAGE,
	    PAGE_PER_PAGE, &list, pg->msgbuf);
	if (rc != STORE_OK && rc != STORE_E_NOT_FOUND) {
		buf_free(&title);
		return page_store_fail(pg, rc);
	}
	pages = list.total ? (list.total + PAGE_PER_PAGE - 1) / PAGE_PER_PAGE :
	    1;
	if (page > pages) {
		if (rc == STORE_OK)
			store_page_free(&list);
		buf_free(&title);
		return page_fail(pg, 404, "no_page", "There is no such page of "
		    "reports.");
	}
	page_begin(pg, title.data, NAV_REPORTS);
	buf_adds(b, "<p><a href=\"/reports\">Every phone's reports</a></p>\n");
	if (list.total == 0)
		html_elem(b, "p", "muted", "This phone has not reported yet.");
	else
		report_list(pg, &list, page, pages);
	if (rc == STORE_OK)
		store_page_free(&list);
	buf_free(&title);
	return page_end(pg, "reports");
}

int
page_reports(struct page *pg)
{
	size_t page = pg->query[0] ? (size_t)strtol(pg->query[0], NULL, 10) :
	    1;

	return pg->query[1] != NULL ? phone_reports(pg, page) :
	    newest_page(pg, page);
}

static void
dl_item(struct buf *b, const char *term)
{
	buf_adds(b, "<dt>");
	html_text(b, term);
	buf_adds(b, "</dt><dd>");
}

static void
report_facts(struct page *pg, const struct stored_report *r)
{
	struct buf *b = &pg->rs->body, url;

	buf_adds(b, "<dl class=\"facts\">");
	dl_item(b, "Phone");
	phone_name(pg, b, r->head.mac);
	if (snapshot_find_mac(pg->snap, r->head.mac) != NULL) {
		buf_init(&url);
		buf_adds(&url, "/compare/");
		url_segment(&url, r->head.mac);
		buf_adds(b, " (");
		html_link(b, url.data, NULL, "compare");
		buf_adds(b, ")");
		buf_free(&url);
	}
	dl_item(b, "MAC");
	page_mac(b, r->head.mac);
	dl_item(b, "Received");
	page_time(b, r->head.timestamp, 0);
	dl_item(b, "Type");
	html_text(b, report_kind_name(r->head.kind));
	dl_item(b, "Client address");
	page_value(b, r->client_ip);
	dl_item(b, "User-Agent");
	page_value(b, r->user_agent);
	dl_item(b, "Report id");
	html_elem(b, "code", NULL, r->head.id);
	buf_printf(b, "</dd></dl>\n");
}

/* A secret is never shown, not even as its hash: only that it is one. */
static void
param_row(struct page *pg, const struct report_param *p)
{
	struct buf *b = &pg->rs->body;

	buf_adds(b, "<tr>");
	html_elem(b, "th", NULL, p->name);
	buf_adds(b, "<td>");
	if (secret_is_hash(p->value) || secret_name(p->name, &pg->snap->cmp))
		html_elem(b, "span", "badge secret", "hashed");
	else
		page_value(b, p->value);
	buf_adds(b, "</td></tr>\n");
}

/* "Config report of reception" (the MAC when it is no configured phone). */
static void
report_title(struct buf *t, const struct snapshot *s,
    const struct store_entry *e)
{
	const struct phone *ph = snapshot_find_mac(s, e->mac);
	const char *kind = report_kind_name(e->kind);
	char colons[18];

	mac_format_colons(e->mac, colons);
	buf_printf(t, "%c%s report of %s", kind[0] - 'a' + 'A', kind + 1,
	    ph != NULL ? ph->id : colons);
}

int
page_report_detail(struct page *pg)
{
	struct stored_report r;
	enum store_status rc;
	struct buf *b = &pg->rs->body, title;

	if (!store_id_valid(pg->arg, strlen(pg->arg)))
		return page_fail(pg, 400, "bad_report_id", "That is not a "
		    "report id.");
	if ((rc = store_load(&pg->store, pg->arg, &r, pg->msgbuf)) != STORE_OK) {
		stored_report_free(&r);
		return page_store_fail(pg, rc);
	}
	buf_init(&title);
	report_title(&title, pg->snap, &r.head);
	page_begin(pg, title.data, NAV_REPORTS);
	report_facts(pg, &r);
	buf_printf(b, "<h2>Parameters <span class=\"count\">%zu</span></h2>\n",
	    r.data.n);
	buf_adds(b, "<div class=\"scroll\"><table class=\"params\">\n"
	    "<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Value"
	    "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r.data.n; i++)
		param_row(pg, &r.data.params[i]);
	buf_adds(b, "</tbody></table></div>\n");
	buf_free(&title);
	stored_report_free(&r);
	return page_end(pg, "report_detail");
}
