/* GET /: the fleet overview.  Every configured phone with what its
 * reports say (phoneview.h tells where each column comes from), then the
 * phones that reported without being configured (discovery mode). */
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "page_rps.h"

struct tally {
	size_t	n[BADGE_NA + 1];
	size_t	reporting;	/* configured phones with a reported state */
};

/* A link for admins, plain text for monitors (who may not follow it). */
static void
admin_link(const struct page *pg, struct buf *b, const char *href,
    const char *text)
{
	if (pg->role == ROLE_ADMIN)
		html_link(b, href, NULL, text);
	else
		html_text(b, text);
}

static void
cell_text(struct buf *b, const char *text)
{
	buf_adds(b, "<td>");
	if (text != NULL && text[0] != '\0')
		html_text(b, text);
	else
		html_elem(b, "span", "muted", "unknown");
	buf_adds(b, "</td>");
}

static void
cell_last_report(const struct page *pg, struct buf *b,
    const struct phone_view *v)
{
	struct buf url;

	buf_adds(b, "<td>");
	if (v->badge == BADGE_NA) {
		html_elem(b, "span", "muted", "n/a");
	} else if (!v->have_report) {
		html_elem(b, "span", "muted", "never");
	} else {
		page_time(b, v->latest.timestamp, 0);
		buf_addc(b, ' ');
		buf_init(&url);
		buf_adds(&url, "/report-detail/");
		url_segment(&url, v->latest.id);
		admin_link(pg, b, url.data, report_kind_name(v->latest.kind));
		buf_free(&url);
	}
	buf_adds(b, "</td>");
}

static void
cell_differences(const struct page *pg, struct buf *b,
    const struct phone_view *v)
{
	struct buf url, n;

	buf_adds(b, "<td class=\"num\">");
	if (!v->compared) {
		html_elem(b, "span", "muted", "\xe2\x80\x94");	/* em dash */
	} else {
		buf_init(&url);
		buf_init(&n);
		buf_adds(&url, "/compare/");
		url_segment(&url, v->mac);
		buf_printf(&n, "%zu", cmp_differences(&v->result));
		admin_link(pg, b, url.data, n.data);
		buf_free(&url);
		buf_free(&n);
	}
	buf_adds(b, "</td>");
}

static void
phone_row(const struct page *pg, struct buf *b, const struct phone_view *v)
{

	buf_adds(b, "<tr>");
	if (v->phone != NULL) {
		buf_adds(b, "<th>");
		page_phone_link(pg, b, v->phone);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "<td>");
	page_mac(b, v->mac);
	buf_adds(b, "</td>");
	if (v->phone != NULL)
		cell_text(b, page_vendor_name(v->phone));
	cell_text(b, v->model);
	cell_text(b, v->firmware);
	if (v->phone != NULL) {
		buf_adds(b, "<td>");
		page_time(b, NULL, v->last_fetch);
		buf_adds(b, "</td>");
	}
	cell_last_report(pg, b, v);
	if (v->phone != NULL)
		cell_differences(pg, b, v);
	if (v->phone != NULL && page_rps_enabled(pg))
		page_rps_fleet_cell(b, pg, v->phone);
	buf_adds(b, "<td>");
	page_badge(b, v->badge);
	buf_adds(b, "</td></tr>\n");
}

static void
table_head(struct buf *b, const char *caption, int configured, int rps)
{
	buf_adds(b, "<div class=\"scroll\"><table class=\"list\">\n");
	html_elem(b, "caption", NULL, caption);
	buf_adds(b, "\n<thead><tr>");
	if (configured)
		buf_adds(b, "<th scope=\"col\">Phone</th>");
	buf_adds(b, "<th scope=\"col\">MAC</th>");
	if (configured)
		buf_adds(b, "<th scope=\"col\">Vendor</th>");
	buf_adds(b, "<th scope=\"col\">Model</th>"
	    "<th scope=\"col\">Firmware reported</th>");
	if (configured)
		buf_adds(b, "<th scope=\"col\">Last profile fetch</th>");
	buf_adds(b, "<th scope=\"col\">Last report</th>");
	if (configured)
		buf_adds(b, "<th scope=\"col\" class=\"num\">Differences</th>");
	if (rps)
		page_rps_fleet_head(b);
	buf_adds(b, "<th scope=\"col\">Status</th></tr></thead>\n<tbody>\n");
}

static void
summary(struct buf *b, const struct snapshot *s, const struct tally *t)
{
	static const enum phone_badge order[] = {
		BADGE_IN_SYNC, BADGE_DRIFT, BADGE_STALE, BADGE_NEVER
	};

	buf_printf(b, "<p class=\"summary\">%zu configured phone%s:",
	    s->n_phones, s->n_phones == 1 ? "" : "s");
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		buf_printf(b, " %zu ", t->n[order[i]]);
		page_badge(b, order[i]);
	}
	if (t->n[BADGE_NA] > 0) {
		buf_printf(b, " %zu ", t->n[BADGE_NA]);
		page_badge(b, BADGE_NA);
		buf_adds(b, " (their vendors' phones do not report)");
	}
	buf_adds(b, "</p>\n");
}

/* The fleet export means something only over two or more reporting
 * phones: with one, every value it reports would look common. */
static void
export_offer(const struct page *pg, struct buf *b, const struct tally *t)
{
	if (pg->role != ROLE_ADMIN || t->reporting < PAGE_FLEET_EXPORT_MIN)
		return;
	buf_printf(b, "<p>Parameters all %zu reporting phones report alike "
	    "that common.yml does not set: ", t->reporting);
	html_link(b, "/export-unexpected/?scope=fleet", NULL, "export them "
	    "as YAML for common.yml");
	buf_adds(b, ".</p>\n");
}

/* The configured phones; the rows go to `rows` so the summary can come
 * first. */
static int
configured(struct page *pg, struct buf *rows, struct tally *t)
{
	struct phone_view v;
	enum store_status rc = STORE_OK;

	for (size_t i = 0; i < pg->snap->n_phones && rc == STORE_OK; i++) {
		rc = phone_view_load(&v, &pg->src, &pg->snap->phones[i], NULL,
		    pg->msgbuf);
		if (rc == STORE_OK) {
			phone_row(pg, rows, &v);
			t->n[v.badge]++;
			t->reporting += v.have_state;
		}
		phone_view_free(&v);
	}
	return rc == STORE_OK ? 0 : page_store_fail(pg, rc);
}

static int
discovered(struct page *pg)
{
	struct buf *b = &pg->rs->body;
	char (*macs)[MAC_LEN + 1];
	struct phone_view v;
	enum store_status rc = STORE_OK;
	size_t n;

	if (unconfigured_macs(pg->app->data_dir, pg->snap, &macs, &n) < 0)
		return page_fail(pg, 503, "store_error", "The report store "
		    "cannot be read right now; see the server's log.");
	html_elem(b, "h2", NULL, "Discovered phones");
	if (n == 0) {
		html_elem(b, "p", "muted", "No phone outside phones.yml has "
		    "reported.");
		free(macs);
		return 0;
	}
	buf_adds(b, "<p>These phones reported but are not in phones.yml. "
	    "Write a schema from one with <code>deskprov schema generate "
	    "--from-report MAC</code>, or add the phone to phones.yml.</p>\n");
	table_head(b, "Phones not in phones.yml", 0, 0);
	for (size_t i = 0; i < n && rc == STORE_OK; i++) {
		rc = phone_view_load(&v, &pg->src, NULL, macs[i], pg->msgbuf);
		if (rc == STORE_OK)
			phone_row(pg, b, &v);
		phone_view_free(&v);
	}
	buf_adds(b, "</tbody></table></div>\n");
	free(macs);
	return rc == STORE_OK ? 0 : page_store_fail(pg, rc);
}

int
page_fleet(struct page *pg)
{
	struct buf rows;
	struct tally t;
	int status;

	memset(&t, 0, sizeof(t));
	buf_init(&rows);
	if ((status = configured(pg, &rows, &t)) != 0)
		goto out;
	page_begin(pg, "Fleet", NAV_FLEET);
	if (pg->snap->svc.discovery_enabled)
		html_elem(&pg->rs->body, "p", "notice", "Discovery mode is on: "
		    "phones get no profile and report their factory settings.");
	summary(&pg->rs->body, pg->snap, &t);
	table_head(&pg->rs->body, "Configured phones", 1,
	    page_rps_enabled(pg));
	if (rows.len > 0)
		buf_add(&pg->rs->body, rows.data, rows.len);
	buf_adds(&pg->rs->body, "</tbody></table></div>\n");
	export_offer(pg, &pg->rs->body, &t);
	if ((status = discovered(pg)) != 0)
		goto out;
	status = page_end(pg, "fleet");
out:
	buf_free(&rows);
	return status;
}
