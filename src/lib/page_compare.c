/* GET /compare/<phone>: what profile.fcgi would serve the phone against
 * its current reported state (newest full report plus later deltas).
 * GET /export-unexpected/<phone> and ?scope=fleet: YAML for common.yml.
 * Secrets only ever show as "matches" or "differs" (compare.h gives no
 * value for them). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explain.h"
#include "page.h"

static void
count_card(struct buf *b, const char *label, size_t n, const char *cls)
{
	buf_adds(b, "<div");
	html_attr(b, "class", cls);
	buf_printf(b, "><span class=\"n\">%zu</span> ", n);
	html_text(b, label);
	buf_adds(b, "</div>\n");
}

static void
counts(struct buf *b, const struct cmp_result *r)
{
	buf_adds(b, "<div class=\"cards\">\n");
	count_card(b, "expected", r->n_expected, "card");
	count_card(b, "reported", r->n_reported, "card");
	count_card(b, "matching", r->n_matches, "card ok");
	count_card(b, "mismatches", r->mismatches.n,
	    r->mismatches.n ? "card drift" : "card");
	count_card(b, "missing", r->missing.n, r->missing.n ? "card drift" :
	    "card");
	count_card(b, "unexpected", r->unexpected.n,
	    r->unexpected.n ? "card drift" : "card");
	count_card(b, "secrets compared", r->secrets.n, "card");
	count_card(b, "excluded (blacklist)", r->n_excluded, "card muted");
	buf_adds(b, "</div>\n");
}

static void
secret_cell(struct buf *b, const struct cmp_item *it)
{
	html_elem(b, "span", it->verdict == CMP_MATCH ? "badge ok" :
	    "badge drift", it->verdict == CMP_MATCH ? "matches" : "differs");
}

/* The layer an expected value came from (see layers_load()). */
static void
layer_cell(struct buf *b, json_object *layers, const char *name)
{
	json_object *l;
	const char *layer = json_object_object_get_ex(layers, name, &l) ?
	    json_object_get_string(l) : "template";
	struct buf cls;

	buf_init(&cls);
	buf_printf(&cls, "layer layer-%s", layer);
	buf_adds(b, "<td>");
	html_elem(b, "span", cls.data, layer);
	buf_adds(b, "</td>");
	buf_free(&cls);
}

/* One row; which value columns a table has depends on the list (layers:
 * the "From" column after Expected). */
static void
item_row(struct buf *b, const struct cmp_item *it, int expected,
    int reported, json_object *layers)
{
	buf_adds(b, "<tr>");
	html_elem(b, "th", NULL, it->name);
	if (it->secret) {
		buf_printf(b, "<td colspan=\"%d\">", expected * 2 + reported);
		if (it->verdict == CMP_MATCH || it->verdict == CMP_DIFFERS)
			secret_cell(b, it);
		else
			html_elem(b, "span", "badge secret", "secret");
		buf_adds(b, "</td></tr>\n");
		return;
	}
	if (expected) {
		buf_adds(b, "<td>");
		page_value(b, it->expected);
		buf_adds(b, "</td>");
		layer_cell(b, layers, it->name);
	}
	if (reported) {
		buf_adds(b, "<td>");
		page_value(b, it->reported);
		buf_adds(b, "</td>");
	}
	buf_adds(b, "</tr>\n");
}

static void
item_table(struct buf *b, const char *title, const char *empty,
    const struct cmp_list *l, int expected, int reported, json_object *layers)
{
	buf_printf(b, "<h2>");
	html_text(b, title);
	buf_printf(b, " <span class=\"count\">%zu</span></h2>\n", l->n);
	if (l->n == 0) {
		html_elem(b, "p", "muted", empty);
		return;
	}
	buf_adds(b, "<div class=\"scroll\"><table class=\"params\">\n"
	    "<thead><tr><th scope=\"col\">Parameter</th>");
	if (expected)
		buf_adds(b, "<th scope=\"col\">Expected</th>"
		    "<th scope=\"col\">From</th>");
	if (reported)
		buf_adds(b, "<th scope=\"col\">Reported</th>");
	buf_adds(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < l->n; i++)
		item_row(b, &l->items[i], expected, reported, layers);
	buf_adds(b, "</tbody></table></div>\n");
}

static void
basis(struct buf *b, const struct phone_view *v)
{
	struct buf url;

	buf_init(&url);
	buf_adds(b, "<p>Expected: exactly the profile deskprov serves this "
	    "phone. Reported: ");
	if (v->state.base_id[0] != '\0') {
		buf_adds(&url, "/report-detail/");
		url_segment(&url, v->state.base_id);
		html_link(b, url.data, NULL, "the newest full report");
	} else {
		html_text(b, "delta reports only (no full report yet)");
	}
	if (v->state.n_deltas > 0)
		buf_printf(b, " with %zu later delta report%s", v->state.n_deltas,
		    v->state.n_deltas == 1 ? "" : "s");
	buf_adds(b, ". ");
	buf_reset(&url);
	buf_adds(&url, "/export-unexpected/");
	url_segment(&url, v->mac);
	html_link(b, url.data, NULL, "Export the unexpected parameters as "
	    "YAML");
	buf_adds(b, ".</p>\n");
	buf_free(&url);
}

static void
layer_add(void *ctx, const struct explain_value *v)
{
	size_t n = strlen(v->name);
	char name[256];

	/* A device's raw parameter "params[Name]" is the profile's Name. */
	if (strncmp(v->name, "params[", 7) == 0 && v->name[n - 1] == ']' &&
	    n - 8 < sizeof(name))
		snprintf(name, sizeof(name), "%.*s", (int)(n - 8), v->name + 7);
	else
		snprintf(name, sizeof(name), "%s", v->name);
	json_object_object_add(ctx, name, json_object_new_string(v->layer));
}

/* Name -> layer of every expected value (caller puts it): a flat
 * profile's layers (schema, common, phone); for a device, the layer of
 * its raw params; the rest comes from the pack's template ("template"). */
static json_object *
layers_load(struct page *pg, const struct phone *ph)
{
	json_object *m = json_object_new_object();
	const struct pack_file *f;
	struct vendor_file_req vr;
	char name[256], err[256];

	if (ph->pack == NULL)
		explain_values(pg->snap, ph, NULL, layer_add, m, err,
		    sizeof(err));
	else if ((f = vendor_main_file(ph->pack)) != NULL &&
	    vendor_phone_request(pg->snap, ph, f, name, sizeof(name),
	    &vr) == 1)
		explain_values(pg->snap, ph, &vr, layer_add, m, err,
		    sizeof(err));
	return m;
}

static void
compare_body(struct page *pg, const struct phone_view *v)
{
	struct buf *b = &pg->rs->body;
	const struct cmp_result *r = &v->result;
	json_object *layers = layers_load(pg, v->phone);

	buf_adds(b, "<dl class=\"facts\"><dt>Phone</dt><dd>");
	page_phone_link(pg, b, v->phone);
	buf_adds(b, "</dd><dt>MAC</dt><dd>");
	page_mac(b, v->mac);
	buf_adds(b, "</dd><dt>Status</dt><dd>");
	page_badge(b, v->badge);
	buf_adds(b, "</dd><dt>Last report</dt><dd>");
	page_time(b, v->latest.timestamp, 0);
	buf_adds(b, "</dd></dl>\n");
	basis(b, v);
	counts(b, r);
	item_table(b, "Mismatches", "Every reported value matches.",
	    &r->mismatches, 1, 1, layers);
	item_table(b, "Missing", "The phone reports every expected parameter.",
	    &r->missing, 1, 0, layers);
	item_table(b, "Unexpected", "The phone reports nothing beyond the "
	    "expected parameters.", &r->unexpected, 0, 1, layers);
	item_table(b, "Secrets", "No secret is both expected and reported.",
	    &r->secrets, 0, 1, layers);
	json_object_put(layers);
	if (r->n_unverified > 0)
		buf_printf(b, "<p class=\"notice\">%zu secret%s could not be "
		    "verified: the report key is missing.</p>\n",
		    r->n_unverified, r->n_unverified == 1 ? "" : "s");
}

/* The phone and its compared view, or the status to return. */
static int
load_view(struct page *pg, const char *ident, struct phone_view *v)
{
	const struct phone *ph;
	enum store_status rc;
	int status;

	if ((status = page_find_phone(pg, ident, &ph)) != 0)
		return status;
	if (ph->mac[0] == '\0')
		return page_fail(pg, 404, "no_mac", "This phone has no MAC "
		    "address in phones.yml, so its reports cannot be found.");
	rc = phone_view_load(v, &pg->src, ph, NULL, pg->msgbuf);
	if (rc != STORE_OK)
		return page_store_fail(pg, rc);
	if (!v->compared && v->have_state)
		return page_fail(pg, 404, "not_comparable", "This phone is a "
		    "device whose configuration files are not a flat "
		    "profile: there is nothing to compare its reports with.");
	if (!v->compared)
		return page_fail(pg, 404, "never_reported", "This phone has not "
		    "reported its configuration yet.");
	return 0;
}

int
page_compare(struct page *pg)
{
	struct phone_view v;
	struct buf title;
	int status;

	memset(&v, 0, sizeof(v));
	if ((status = load_view(pg, pg->arg, &v)) != 0)
		goto out;
	buf_init(&title);
	buf_printf(&title, "Compare %s", v.phone->id);
	page_begin(pg, title.data, NAV_FLEET);
	compare_body(pg, &v);
	buf_free(&title);
	status = page_end(pg, "compare");
out:
	phone_view_free(&v);
	return status;
}

/* Sends body (YAML) as an attachment named <stem>_<time>.yml. */
static int
yaml_answer(struct page *pg, const char *stem, time_t now,
    const char *outcome)
{
	struct buf cd;
	char when[20];
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d_%H%M%S", &tm);
	buf_init(&cd);
	/* stem is a canonical MAC or a word from the code: no quoting. */
	buf_printf(&cd, "attachment; filename=\"%s_%s.yml\"", stem, when);
	response_header(pg->rs, "Content-Disposition", cd.data);
	buf_free(&cd);
	pg->rs->content_type = "text/yaml; charset=utf-8";
	pg->rs->outcome = outcome;
	return 200;
}

static int
export_phone(struct page *pg)
{
	struct phone_view v;
	struct buf stem;
	int status;

	memset(&v, 0, sizeof(v));
	buf_init(&stem);
	if ((status = load_view(pg, pg->arg, &v)) != 0)
		goto out;
	buf_reset(&pg->rs->body);
	if (compare_export_unexpected(&v.result, v.mac, pg->src.now,
	    &pg->snap->cmp, &pg->rs->body) < 0) {
		status = page_fail(pg, 500, "export_failed", "The YAML could "
		    "not be written.");
		goto out;
	}
	buf_printf(&stem, "unexpected_params_%s", v.mac);
	status = yaml_answer(pg, stem.data, pg->src.now, "export");
out:
	buf_free(&stem);
	phone_view_free(&v);
	return status;
}

/* The current state of every configured phone that has one. */
static enum store_status
fleet_states(struct page *pg, struct store_state **states, size_t *n)
{
	enum store_status rc;

	*states = xcalloc(pg->snap->n_phones + 1, sizeof(**states));
	*n = 0;
	for (size_t i = 0; i < pg->snap->n_phones; i++) {
		const char *mac = pg->snap->phones[i].mac;
		if (mac[0] == '\0')
			continue;
		rc = store_current(&pg->store, mac, &(*states)[*n], pg->msgbuf);
		if (rc == STORE_OK) {
			(*n)++;
			continue;
		}
		store_state_free(&(*states)[*n]);
		if (rc != STORE_E_NOT_FOUND)
			return rc;
	}
	return STORE_OK;
}

/* Left out of the fleet export: what common.yml sets already, and what
 * phones.yml sets for any one phone (a station name, a user id): equal
 * values of a per-phone key are a coincidence, not a common setting. */
struct fleet_known {
	const struct snapshot	*snap;
	struct strmap		 per_phone;	/* names, borrowed */
};

static void
fleet_known_init(struct fleet_known *k, const struct snapshot *s)
{
	k->snap = s;
	strmap_init(&k->per_phone, 64);
	for (size_t i = 0; i < s->n_phones; i++)
		for (uint32_t j = 0; j < s->phones[i].n_params; j++) {
			const struct param *p = &s->phones[i].params[j];
			strmap_put(&k->per_phone, p->name, p->name_len,
			    (void *)(uintptr_t)p->name);
		}
}

static int
fleet_known(void *ctx, const char *name)
{
	const struct fleet_known *k = ctx;

	return compare_in_common((void *)(uintptr_t)k->snap, name) ||
	    strmap_get(&k->per_phone, name, strlen(name)) != NULL;
}

static int
export_fleet(struct page *pg)
{
	struct store_state *states;
	const struct report **reports = NULL;
	struct cmp_list common = { NULL, 0, 0 };
	struct fleet_known known;
	enum store_status rc;
	size_t n;
	int status;

	if ((rc = fleet_states(pg, &states, &n)) != STORE_OK) {
		status = page_store_fail(pg, rc);
		goto out;
	}
	if (n < PAGE_FLEET_EXPORT_MIN) {
		status = page_fail(pg, 404, "too_few_reports", "A fleet export "
		    "needs two or more configured phones that have reported "
		    "their configuration: with fewer, every value looks "
		    "common.");
		goto out;
	}
	reports = xcalloc(n, sizeof(*reports));
	for (size_t i = 0; i < n; i++)
		reports[i] = &states[i].params;
	fleet_known_init(&known, pg->snap);
	compare_fleet_common(reports, n, fleet_known, &known, &pg->snap->cmp,
	    &common);
	strmap_free(&known.per_phone);
	buf_reset(&pg->rs->body);
	if (compare_export_fleet(&common, n, pg->src.now, &pg->snap->cmp,
	    &pg->rs->body) < 0)
		status = page_fail(pg, 500, "export_failed", "The YAML could "
		    "not be written.");
	else
		status = yaml_answer(pg, "common_params_fleet", pg->src.now,
		    "export_fleet");
	cmp_list_free(&common);
out:
	for (size_t i = 0; i < n; i++)
		store_state_free(&states[i]);
	free(states);
	free(reports);
	return status;
}

/* With scope=fleet the path names no phone: /export-unexpected/?scope=fleet
 * (a phone given anyway is refused, so that a wrong link is noticed). */
int
page_export(struct page *pg)
{
	if (pg->query[0] == NULL || strcmp(pg->query[0], "phone") == 0)
		return export_phone(pg);
	if (pg->arg[0] != '\0')
		return page_fail(pg, 400, "bad_scope", "A fleet export names no "
		    "phone: use /export-unexpected/?scope=fleet.");
	return export_fleet(pg);
}
