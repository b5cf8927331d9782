/* GET /: the fleet overview.  Every configured phone with what the
 * summary index (summary.h) says about it, a page at a time, sorted and
 * filtered as the query asks; then the phones that reported without being
 * configured (discovery mode).  No stored report is read: the cost is one
 * index lookup per configured phone plus the rows of one page, so a fleet
 * of 100,000 phones answers in milliseconds.
 *
 * Query (every key optional, each at most once; links keep them all):
 *   page=N        1-based page of PAGE_FLEET_PER_PAGE rows
 *   sort=K        name, mac, vendor, model, firmware, fetch, report,
 *                 differences or status (default name)
 *   order=asc|desc
 *   status=S      in-sync, drift, never, stale or na
 *   vendor=, model=, firmware=   exactly the value the column shows
 *   q=TEXT        part of the phone's name (any case) or MAC (any
 *                 spelling) */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "page.h"
#include "page_rps.h"
#include "qs.h"
#include "strmap.h"
#include "summary.h"

#define FILTER_TEXT_MAX	64	/* bytes of a filter value */
#define DISCOVERED_MAX	1000	/* rows of the discovered table */

/* ---- the query ---- */

enum fleet_key { FQ_PAGE, FQ_SORT, FQ_ORDER, FQ_STATUS, FQ_VENDOR,
	FQ_MODEL, FQ_FIRMWARE, FQ_Q, FQ_COUNT };

enum sort_key { SK_NAME, SK_MAC, SK_VENDOR, SK_MODEL, SK_FIRMWARE,
	SK_FETCH, SK_REPORT, SK_DIFFERENCES, SK_STATUS, SK_COUNT };

static const char *const sort_names[SK_COUNT] = {
	[SK_NAME] = "name", [SK_MAC] = "mac", [SK_VENDOR] = "vendor",
	[SK_MODEL] = "model", [SK_FIRMWARE] = "firmware",
	[SK_FETCH] = "fetch", [SK_REPORT] = "report",
	[SK_DIFFERENCES] = "differences", [SK_STATUS] = "status",
};

/* Filter words of the badges a configured phone can have. */
static const struct {
	const char		*word;
	enum phone_badge	 badge;
} status_words[] = {
	{ "in-sync", BADGE_IN_SYNC }, { "drift", BADGE_DRIFT },
	{ "never", BADGE_NEVER }, { "stale", BADGE_STALE },
	{ "na", BADGE_NA },
};

static int
word_index(const char *const *words, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (words[i] != NULL && strcmp(words[i], v) == 0)
			return (int)i;
	return -1;
}

static int
status_index(const char *v)
{
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]);
	    i++)
		if (strcmp(status_words[i].word, v) == 0)
			return (int)i;
	return -1;
}

static int
sort_ok(const char *v)
{
	return word_index(sort_names, SK_COUNT, v) >= 0;
}

static int
order_ok(const char *v)
{
	return strcmp(v, "asc") == 0 || strcmp(v, "desc") == 0;
}

static int
status_ok(const char *v)
{
	return status_index(v) >= 0;
}

static int
text_ok(const char *v)
{
	return strlen(v) <= FILTER_TEXT_MAX;
}

static int
page_ok(const char *v)
{
	size_t n = strlen(v);

	return n >= 1 && n <= 7 && strspn(v, "0123456789") == n && v[0] != '0';
}

/* In enum fleet_key order: pg->query[i] is key i. */
const struct qs_key page_fleet_keys[] = {
	{ "page", page_ok }, { "sort", sort_ok }, { "order", order_ok },
	{ "status", status_ok }, { "vendor", text_ok }, { "model", text_ok },
	{ "firmware", text_ok }, { "q", text_ok }, { NULL, NULL }
};

_Static_assert(FQ_COUNT <= PAGE_QUERY_MAX, "pg->query holds every key");

struct fleet_query {
	const char	*v[FQ_COUNT];	/* as given; NULL: absent */
	size_t		 page;
	enum sort_key	 sort;
	int		 desc;
	int		 status;	/* index in status_words, -1: any */
	char		 mac_part[MAC_LEN + 1];	/* q as hex, "" if not */
	char		 q_lower[FILTER_TEXT_MAX + 1];
};

/* q as the hex digits of a MAC, lowercase, separators dropped; "" when q
 * holds anything else. */
static void
mac_part(const char *q, char out[MAC_LEN + 1])
{
	size_t n = 0;

	out[0] = '\0';
	for (; q != NULL && *q != '\0'; q++) {
		if (*q == ':' || *q == '-' || *q == '.')
			continue;
		if (!isxdigit((unsigned char)*q) || n == MAC_LEN) {
			out[0] = '\0';
			return;
		}
		out[n++] = (char)tolower((unsigned char)*q);
	}
	out[n] = '\0';
}

static void
query_read(const struct page *pg, struct fleet_query *fq)
{
	memset(fq, 0, sizeof(*fq));
	for (int i = 0; i < FQ_COUNT; i++)
		fq->v[i] = pg->query[i];
	fq->page = fq->v[FQ_PAGE] ? strtoul(fq->v[FQ_PAGE], NULL, 10) : 1;
	fq->sort = fq->v[FQ_SORT] ? (enum sort_key)word_index(sort_names,
	    SK_COUNT, fq->v[FQ_SORT]) : SK_NAME;
	fq->desc = fq->v[FQ_ORDER] && strcmp(fq->v[FQ_ORDER], "desc") == 0;
	fq->status = fq->v[FQ_STATUS] ? status_index(fq->v[FQ_STATUS]) : -1;
	mac_part(fq->v[FQ_Q], fq->mac_part);
	for (size_t i = 0; fq->v[FQ_Q] && fq->v[FQ_Q][i] != '\0' &&
	    i < FILTER_TEXT_MAX; i++)
		fq->q_lower[i] = (char)tolower((unsigned char)fq->v[FQ_Q][i]);
}

/* "/" with the query, key `k` set to `value` (NULL: dropped); the page
 * goes back to 1 unless it is the key being set. */
static void
fleet_url(struct buf *url, const struct fleet_query *fq, enum fleet_key k,
    const char *value)
{
	buf_adds(url, "/");
	for (int i = 0; i < FQ_COUNT; i++) {
		const char *v = i == (int)k ? value : fq->v[i];

		if (i == FQ_PAGE && k != FQ_PAGE)
			v = NULL;
		if (v != NULL)
			url_arg(url, page_fleet_keys[i].name, v);
	}
}

/* ---- the rows ---- */

struct fleet_row {
	const struct phone	*ph;	/* NULL: not configured */
	struct summary_rec	 rec;	/* zero but the MAC when unknown */
	enum phone_badge	 badge;
	size_t			 order;	/* position in phones.yml */
};

static enum phone_badge
row_badge(const struct page *pg, const struct fleet_row *r)
{
	long window = pg->snap->svc.report_activity_window;

	if (r->ph == NULL)
		return BADGE_UNCONFIGURED;
	if (!r->rec.have_state)
		return phone_can_report(r->ph) ? BADGE_NEVER : BADGE_NA;
	if (r->rec.last_report <= 0 ||
	    pg->src.now - (time_t)r->rec.last_report > window)
		return BADGE_STALE;
	if (r->rec.compared && r->rec.differences > 0)
		return BADGE_DRIFT;
	return BADGE_IN_SYNC;
}

/* The model the page shows: what the phone said, else phones.yml's. */
static const char *
row_model(const struct fleet_row *r)
{
	if (r->rec.model[0] != '\0' || r->ph == NULL)
		return r->rec.model;
	return r->ph->model != NULL ? r->ph->model : "";
}

static const char *
row_vendor(const struct fleet_row *r)
{
	return r->ph != NULL ? page_vendor_name(r->ph) : "";
}

/* needle is lowercase already (query_read()). */
static int
contains_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		size_t i = 0;

		while (i < n && hay[i] != '\0' &&
		    tolower((unsigned char)hay[i]) == needle[i])
			i++;
		if (i == n)
			return 1;
	}
	return n == 0;
}

static int
row_matches(const struct fleet_query *fq, const struct fleet_row *r)
{
	const char *q = fq->v[FQ_Q];

	if (fq->status >= 0 && status_words[fq->status].badge != r->badge)
		return 0;
	if (fq->v[FQ_VENDOR] && strcmp(fq->v[FQ_VENDOR], row_vendor(r)) != 0)
		return 0;
	if (fq->v[FQ_MODEL] && strcmp(fq->v[FQ_MODEL], row_model(r)) != 0)
		return 0;
	if (fq->v[FQ_FIRMWARE] && strcmp(fq->v[FQ_FIRMWARE],
	    r->rec.firmware) != 0)
		return 0;
	if (q == NULL || q[0] == '\0')
		return 1;
	return (r->ph != NULL && contains_nocase(r->ph->id, fq->q_lower)) ||
	    (fq->mac_part[0] != '\0' && strstr(r->rec.mac, fq->mac_part));
}

/* ---- sorting ---- */

/* What sorting needs of one selected phone: small, since a fleet of
 * 100,000 phones has as many; the rows of the page shown are read from
 * the index again. */
struct sort_row {
	const struct phone	*ph;
	const char		*text;	/* model or firmware when sorted by it */
	int64_t			 last_fetch, last_report;
	int64_t			 differences;	/* -1: not compared */
	uint32_t		 order;	/* position in phones.yml */
	enum phone_badge	 badge;
};

static enum sort_key sorting;	/* qsort() passes no context */
static int sorting_desc;

static int
cmp_num(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int
row_cmp_key(const struct sort_row *a, const struct sort_row *b)
{
	switch (sorting) {
	case SK_NAME:
		return strcmp(a->ph->id, b->ph->id);
	case SK_MAC:
		return strcmp(a->ph->mac, b->ph->mac);
	case SK_VENDOR:
		return strcmp(page_vendor_name(a->ph),
		    page_vendor_name(b->ph));
	case SK_MODEL:
	case SK_FIRMWARE:
		return strcmp(a->text, b->text);
	case SK_FETCH:
		return cmp_num(a->last_fetch, b->last_fetch);
	case SK_REPORT:
		return cmp_num(a->last_report, b->last_report);
	case SK_DIFFERENCES:
		return cmp_num(a->differences, b->differences);
	case SK_STATUS:
		return strcmp(phone_badge_text(a->badge),
		    phone_badge_text(b->badge));
	case SK_COUNT:
		break;
	}
	return 0;
}

/* By the key, then in phones.yml order, so every order is total. */
static int
row_cmp(const void *pa, const void *pb)
{
	const struct sort_row *a = pa, *b = pb;
	int c = row_cmp_key(a, b);

	if (c == 0)
		c = cmp_num((int64_t)a->order, (int64_t)b->order);
	return sorting_desc ? -c : c;
}

/* One copy of each distinct model or firmware text: a fleet has few. */
static const char *
intern(struct strmap *m, struct arena *a, const char *text)
{
	size_t n = strlen(text);
	const char *have = strmap_get(m, text, n);
	char *copy;

	if (have != NULL)
		return have;
	copy = arena_strndup(a, text, n);
	strmap_put(m, copy, n, copy);
	return copy;
}

/* ---- cells ---- */

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
    const struct fleet_row *r)
{
	struct store_entry e;
	struct buf url;

	buf_adds(b, "<td>");
	if (r->badge == BADGE_NA) {
		html_elem(b, "span", "muted", "n/a");
	} else if (store_entry_parse(r->rec.latest_id, &e) < 0) {
		html_elem(b, "span", "muted", "never");
	} else {
		page_time(b, e.timestamp, 0);
		buf_addc(b, ' ');
		buf_init(&url);
		buf_adds(&url, "/report-detail/");
		url_segment(&url, e.id);
		admin_link(pg, b, url.data, report_kind_name(e.kind));
		buf_free(&url);
	}
	buf_adds(b, "</td>");
}

static void
cell_differences(const struct page *pg, struct buf *b,
    const struct fleet_row *r)
{
	struct buf url, n;

	buf_adds(b, "<td class=\"num\">");
	if (!r->rec.have_state || !r->rec.compared) {
		html_elem(b, "span", "muted", "\xe2\x80\x94");	/* em dash */
	} else {
		buf_init(&url);
		buf_init(&n);
		buf_adds(&url, "/compare/");
		url_segment(&url, r->rec.mac);
		buf_printf(&n, "%u", (unsigned)r->rec.differences);
		admin_link(pg, b, url.data, n.data);
		buf_free(&url);
		buf_free(&n);
	}
	buf_adds(b, "</td>");
}

/* One row of either table: every column in one place, so that a new
 * column is one cell here and one heading in table_head(). */
static void
phone_row(const struct page *pg, struct buf *b, const struct fleet_row *r)
{
	buf_adds(b, "<tr>");
	if (r->ph != NULL) {
		buf_adds(b, "<th>");
		page_phone_link(pg, b, r->ph);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "<td>");
	page_mac(b, r->rec.mac);
	buf_adds(b, "</td>");
	if (r->ph != NULL)
		cell_text(b, row_vendor(r));
	cell_text(b, row_model(r));
	cell_text(b, r->rec.firmware);
	if (r->ph != NULL) {
		buf_adds(b, "<td>");
		page_time(b, NULL, (double)r->rec.last_fetch);
		buf_adds(b, "</td>");
	}
	cell_last_report(pg, b, r);
	if (r->ph != NULL)
		cell_differences(pg, b, r);
	if (r->ph != NULL && page_rps_enabled(pg))
		page_rps_fleet_cell(b, pg, r->ph);
	buf_adds(b, "<td>");
	page_badge(b, r->badge);
	buf_adds(b, "</td></tr>\n");
}

/* ---- the table ---- */

static void
col_head(struct buf *b, const struct fleet_query *fq, const char *title,
    enum sort_key k, const char *cls)
{
	struct buf url;
	int here = fq != NULL && fq->sort == k;

	buf_adds(b, "<th scope=\"col\"");
	if (cls != NULL)
		html_attr(b, "class", cls);
	if (here)
		html_attr(b, "aria-sort", fq->desc ? "descending" :
		    "ascending");
	buf_addc(b, '>');
	if (fq == NULL) {
		html_text(b, title);
	} else {
		buf_init(&url);
		fleet_url(&url, fq, FQ_SORT, sort_names[k]);
		url_arg(&url, "order", here && !fq->desc ? "desc" : "asc");
		html_link(b, url.data, NULL, title);
		buf_free(&url);
	}
	buf_adds(b, "</th>");
}

/* fq NULL: the discovered phones, whose headings are no sort links. */
static void
table_head(struct buf *b, const char *caption, const struct fleet_query *fq,
    int rps)
{
	struct fleet_query nosort;
	int configured = fq != NULL;

	buf_adds(b, "<div class=\"scroll\"><table class=\"list\">\n");
	html_elem(b, "caption", NULL, caption);
	buf_adds(b, "\n<thead><tr>");
	if (configured) {
		/* "order" is set by the heading link itself. */
		nosort = *fq;
		nosort.v[FQ_ORDER] = NULL;
		fq = &nosort;
		col_head(b, fq, "Phone", SK_NAME, NULL);
	}
	col_head(b, fq, "MAC", SK_MAC, NULL);
	if (configured)
		col_head(b, fq, "Vendor", SK_VENDOR, NULL);
	col_head(b, fq, "Model", SK_MODEL, NULL);
	col_head(b, fq, "Firmware reported", SK_FIRMWARE, NULL);
	if (configured)
		col_head(b, fq, "Last profile fetch", SK_FETCH, NULL);
	col_head(b, fq, "Last report", SK_REPORT, NULL);
	if (configured)
		col_head(b, fq, "Differences", SK_DIFFERENCES, "num");
	if (rps)
		page_rps_fleet_head(b);
	col_head(b, fq, "Status", SK_STATUS, NULL);
	buf_adds(b, "</tr></thead>\n<tbody>\n");
}

struct tally {
	size_t	n[BADGE_NA + 1];
	size_t	reporting;	/* configured phones with a reported state */
	size_t	indexed;	/* configured phones the index knows */
};

static void
summary_line(struct buf *b, const struct snapshot *s, const struct tally *t)
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

static void
text_input(struct buf *b, const char *label, const char *name,
    const char *value)
{
	buf_adds(b, "<label>");
	html_text(b, label);
	buf_adds(b, " <input type=\"text\"");
	html_attr(b, "name", name);
	if (value != NULL)
		html_attr(b, "value", value);
	buf_adds(b, " maxlength=\"64\"></label> ");
}

/* A GET form for the filters; the sort order rides along hidden. */
static void
filter_form(struct buf *b, const struct fleet_query *fq)
{
	buf_adds(b, "<form class=\"filters\" method=\"get\" action=\"/\">");
	text_input(b, "Name or MAC", "q", fq->v[FQ_Q]);
	buf_adds(b, "<label>Status <select name=\"status\"><option value=\"\""
	    ">any</option>");
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]);
	    i++) {
		buf_adds(b, "<option");
		html_attr(b, "value", status_words[i].word);
		if ((int)i == fq->status)
			buf_adds(b, " selected");
		buf_addc(b, '>');
		html_text(b, phone_badge_text(status_words[i].badge));
		buf_adds(b, "</option>");
	}
	buf_adds(b, "</select></label> ");
	text_input(b, "Vendor", "vendor", fq->v[FQ_VENDOR]);
	text_input(b, "Model", "model", fq->v[FQ_MODEL]);
	text_input(b, "Firmware", "firmware", fq->v[FQ_FIRMWARE]);
	if (fq->v[FQ_SORT] != NULL)
		buf_printf(b, "<input type=\"hidden\" name=\"sort\" "
		    "value=\"%s\">", sort_names[fq->sort]);
	if (fq->v[FQ_ORDER] != NULL)
		buf_printf(b, "<input type=\"hidden\" name=\"order\" "
		    "value=\"%s\">", fq->desc ? "desc" : "asc");
	buf_adds(b, "<button type=\"submit\">Show</button></form>\n");
}

static void
pager_link(struct buf *b, const struct fleet_query *fq, size_t page,
    const char *label, const char *rel)
{
	struct buf url, n;

	buf_init(&url);
	buf_init(&n);
	buf_printf(&n, "%zu", page);
	fleet_url(&url, fq, FQ_PAGE, n.data);
	buf_adds(b, "<a");
	html_attr(b, "href", url.data);
	html_attr(b, "rel", rel);
	buf_addc(b, '>');
	html_text(b, label);
	buf_adds(b, "</a>");
	buf_free(&url);
	buf_free(&n);
}

static void
pager(struct buf *b, const struct fleet_query *fq, size_t pages,
    size_t shown, size_t total)
{
	buf_adds(b, "<nav class=\"pager\" aria-label=\"Pages\">");
	if (fq->page > 1)
		pager_link(b, fq, fq->page - 1, "\xe2\x86\x90 Previous",
		    "prev");
	buf_printf(b, " <span>Page %zu of %zu (%zu of %zu phone%s)</span> ",
	    fq->page, pages, shown, total, total == 1 ? "" : "s");
	if (fq->page < pages)
		pager_link(b, fq, fq->page + 1, "Next \xe2\x86\x92", "next");
	buf_adds(b, "</nav>\n");
}

/* ---- the page ---- */

/* Phone i as the page shows it: its record from the index. */
static void
row_load(const struct page *pg, struct summary *sum, size_t i,
    struct fleet_row *r)
{
	memset(r, 0, sizeof(*r));
	r->ph = &pg->snap->phones[i];
	r->order = i;
	if (r->ph->mac[0] != '\0')
		summary_get(sum, r->ph->mac, &r->rec);
	memcpy(r->rec.mac, r->ph->mac, sizeof(r->rec.mac));
	r->badge = row_badge(pg, r);
}

static void
sort_row_of(const struct fleet_row *r, const struct fleet_query *fq,
    struct strmap *texts, struct arena *a, struct sort_row *out)
{
	out->ph = r->ph;
	out->order = (uint32_t)r->order;
	out->badge = r->badge;
	out->last_fetch = r->rec.last_fetch;
	out->last_report = r->rec.last_report;
	out->differences = r->rec.have_state && r->rec.compared ?
	    (int64_t)r->rec.differences : -1;
	out->text = fq->sort == SK_MODEL ? intern(texts, a, row_model(r)) :
	    fq->sort == SK_FIRMWARE ? intern(texts, a, r->rec.firmware) : "";
}

/* What the index says of phone i, gathered in the index's order (see
 * summary_get_many()) and read back in phones.yml order: small, so that
 * neither pass jumps around a large table.  Texts are interned. */
struct brief {
	int64_t		 last_fetch, last_report;
	const char	*model, *firmware;
	uint32_t	 differences;
	uint8_t		 present, have_state, compared;
};

/* Working state of collect(). */
struct collecting {
	const struct snapshot	*snap;
	struct brief		*briefs;	/* one per configured phone */
	struct strmap		 texts;
	struct arena		 arena;
};

static const char *
phone_mac_at(void *ctx, size_t i)
{
	return ((struct collecting *)ctx)->snap->phones[i].mac;
}

static void
gather(void *ctx, size_t i, const struct summary_rec *rec)
{
	struct collecting *c = ctx;
	struct brief *b = &c->briefs[i];

	b->present = 1;
	b->last_fetch = rec->last_fetch;
	b->last_report = rec->last_report;
	b->model = intern(&c->texts, &c->arena, rec->model);
	b->firmware = intern(&c->texts, &c->arena, rec->firmware);
	b->differences = rec->differences;
	b->have_state = rec->have_state;
	b->compared = rec->compared;
}

/* Phone i as a row from its brief (the row's record holds what the
 * filters and the badge read; latest_id stays empty). */
static void
row_of_brief(const struct page *pg, size_t i, const struct brief *b,
    struct fleet_row *r)
{
	r->rec.latest_id[0] = '\0';
	r->ph = &pg->snap->phones[i];
	r->order = i;
	memcpy(r->rec.mac, r->ph->mac, sizeof(r->rec.mac));
	r->rec.last_fetch = b->last_fetch;
	r->rec.last_report = b->last_report;
	r->rec.have_state = b->have_state;
	r->rec.compared = b->compared;
	r->rec.differences = b->differences;
	/* Interned from fields of these sizes: they fit. */
	if (b->model != NULL)
		memcpy(r->rec.model, b->model, strlen(b->model) + 1);
	else
		r->rec.model[0] = '\0';
	if (b->firmware != NULL)
		memcpy(r->rec.firmware, b->firmware, strlen(b->firmware) + 1);
	else
		r->rec.firmware[0] = '\0';
	r->badge = row_badge(pg, r);
}

/* Every configured phone, counted in t; the ones the query selects,
 * sorted, into *sel (caller frees). */
static size_t
collect(struct page *pg, struct summary *sum, const struct fleet_query *fq,
    struct sort_row **sel_out, struct tally *t)
{
	size_t n_phones = pg->snap->n_phones, n = 0;
	struct collecting c;
	struct sort_row *sel = xcalloc(n_phones ? n_phones : 1, sizeof(*sel));
	struct fleet_row r;

	c.snap = pg->snap;
	c.briefs = xcalloc(n_phones ? n_phones : 1, sizeof(*c.briefs));
	strmap_init(&c.texts, 64);
	arena_init(&c.arena);
	summary_get_many(sum, n_phones, phone_mac_at, gather, &c);
	for (size_t i = 0; i < n_phones; i++) {
		row_of_brief(pg, i, &c.briefs[i], &r);
		t->indexed += c.briefs[i].present;
		t->n[r.badge]++;
		t->reporting += r.rec.have_state;
		if (row_matches(fq, &r))
			sort_row_of(&r, fq, &c.texts, &c.arena, &sel[n++]);
	}
	sorting = fq->sort;
	sorting_desc = fq->desc;
	if (n > 1)
		qsort(sel, n, sizeof(*sel), row_cmp);
	strmap_free(&c.texts);
	arena_free(&c.arena);
	free(c.briefs);
	*sel_out = sel;
	return n;
}

static int
configured(struct page *pg, struct summary *sum, const struct fleet_query *fq,
    struct buf *out, struct tally *t)
{
	struct sort_row *sel;
	struct fleet_row r;
	size_t n = collect(pg, sum, fq, &sel, t);
	size_t per = PAGE_FLEET_PER_PAGE;
	size_t pages = n == 0 ? 1 : (n + per - 1) / per;
	size_t first = (fq->page - 1) * per;

	if (fq->page > pages) {
		free(sel);
		return page_fail(pg, 404, "no_page", "There is no such page "
		    "of the fleet.");
	}
	filter_form(out, fq);
	pager(out, fq, pages, n, pg->snap->n_phones);
	table_head(out, "Configured phones", fq, page_rps_enabled(pg));
	for (size_t i = first; i < n && i < first + per; i++) {
		row_load(pg, sum, sel[i].order, &r);
		phone_row(pg, out, &r);
	}
	buf_adds(out, "</tbody></table></div>\n");
	if (pages > 1)
		pager(out, fq, pages, n, pg->snap->n_phones);
	free(sel);
	return 0;
}

/* Records of the index whose MAC no configured phone has. */
struct discovered {
	const struct snapshot	*snap;
	struct fleet_row	*rows;
	size_t			 n, total;
};

static void
discovered_one(const struct summary_rec *rec, void *ctx)
{
	struct discovered *d = ctx;

	if (snapshot_find_mac(d->snap, rec->mac) != NULL ||
	    rec->latest_id[0] == '\0')
		return;
	if (d->n < DISCOVERED_MAX) {
		d->rows[d->n].rec = *rec;
		d->rows[d->n].badge = BADGE_UNCONFIGURED;
		d->n++;
	}
	d->total++;
}

static int
mac_order(const void *a, const void *b)
{
	return strcmp(((const struct fleet_row *)a)->rec.mac,
	    ((const struct fleet_row *)b)->rec.mac);
}

/* Only when the index holds more phones than the configured ones it
 * knows does the whole table get walked. */
static void
discovered(struct page *pg, struct summary *sum, const struct tally *t)
{
	struct buf *b = &pg->rs->body;
	struct discovered d = { pg->snap, NULL, 0, 0 };

	html_elem(b, "h2", NULL, "Discovered phones");
	if (sum != NULL && summary_count(sum) > t->indexed) {
		d.rows = xcalloc(DISCOVERED_MAX, sizeof(*d.rows));
		summary_each(sum, discovered_one, &d);
	}
	if (d.n == 0) {
		html_elem(b, "p", "muted", "No phone outside phones.yml has "
		    "reported.");
		free(d.rows);
		return;
	}
	qsort(d.rows, d.n, sizeof(*d.rows), mac_order);
	buf_adds(b, "<p>These phones reported but are not in phones.yml. "
	    "Write a schema from one with <code>deskprov schema generate "
	    "--from-report MAC</code>, or add the phone to phones.yml.</p>\n");
	if (d.total > d.n)
		buf_printf(b, "<p>The first %zu of %zu, by MAC.</p>\n", d.n,
		    d.total);
	table_head(b, "Phones not in phones.yml", NULL, 0);
	for (size_t i = 0; i < d.n; i++)
		phone_row(pg, b, &d.rows[i]);
	buf_adds(b, "</tbody></table></div>\n");
	free(d.rows);
}

int
page_fleet(struct page *pg)
{
	struct summary *sum = summary_of_app(pg->app, pg->snap);
	struct fleet_query fq;
	struct buf table;
	struct tally t;
	int status;

	/* Without an index (no data directory yet) every phone shows as
	 * never reported, which is what the store would say too. */
	memset(&t, 0, sizeof(t));
	query_read(pg, &fq);
	buf_init(&table);
	if ((status = configured(pg, sum, &fq, &table, &t)) != 0)
		goto out;
	page_begin(pg, "Fleet", NAV_FLEET);
	if (pg->snap->svc.discovery_enabled)
		html_elem(&pg->rs->body, "p", "notice", "Discovery mode is on: "
		    "phones get no profile and report their factory settings.");
	summary_line(&pg->rs->body, pg->snap, &t);
	buf_add(&pg->rs->body, table.data, table.len);
	export_offer(pg, &pg->rs->body, &t);
	discovered(pg, sum, &t);
	status = page_end(pg, "fleet");
out:
	buf_free(&table);
	return status;
}
