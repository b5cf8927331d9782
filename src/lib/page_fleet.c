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
#include "pagesel.h"
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

/* "" is the filter form's "any" (see query_read()). */
static int
status_ok(const char *v)
{
	return v[0] == '\0' || status_index(v) >= 0;
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
	/* The filter form sends every field, an unused one empty: an empty
	 * filter is no filter (it was a 400 for status, and "no phone"
	 * for the others), and the page's links leave it out. */
	for (int i = 0; i < FQ_COUNT; i++)
		fq->v[i] = pg->query[i] != NULL && pg->query[i][0] != '\0' ?
		    pg->query[i] : NULL;
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
	return r->ph != NULL ? snapshot_vendor_name(r->ph) : "";
}

/* ---- what the configuration decides, once per configuration ---- */

/* What the page needs of phones.yml alone, beside the name, MAC and
 * vendor orders the snapshot carries (snapshot.rank): each phone's
 * vendor and configured model as small numbers, and its name in
 * lowercase for q= (made by the first search).  Kept by the process
 * until the configuration changes (keyed by the snapshot's source hash
 * and fleet size; phones by position, no pointer into a snapshot),
 * because numbering them costs tens of milliseconds at 100,000 phones.  The scratch arrays are kept too: a fresh 4 MB
 * allocation a view costs a page fault per 4 KiB. */
struct fleet_conf {
	uint64_t	 source_hash;
	size_t		 n;
	uint32_t	*vendor, *model;	/* indexes in vendors, models */
	char		**vendors, **models;	/* copies; models[0] is "" */
	size_t		 n_vendors, n_models;
	char		*lower;		/* the names, lowercase, NUL-ended */
	size_t		*lower_at;
	struct brief	*briefs;	/* scratch: one per phone */
	struct pagesel_item *sel;	/* scratch: one per phone */
};

/* What the index says of phone i, gathered in the index's order (see
 * summary_get_many()) and read back in phones.yml order: small, so that
 * neither pass jumps around a large table.  Texts are numbered. */
struct brief {
	int64_t		 last_fetch, last_report;
	uint32_t	 differences;
	uint32_t	 model, firmware;	/* text numbers; 0 is "" */
	uint8_t		 present, have_state, compared;
};

static struct fleet_conf *conf_cache;	/* the process's, see above */

static const char *
phone_model_of(const struct phone *ph)
{
	return ph->model != NULL ? ph->model : "";
}

/* The number of text t in the list *names (added when new); m maps the
 * texts already there, which stay borrowed from the snapshot until the
 * list is copied. */
static uint32_t
number_of(struct strmap *m, const char ***names, size_t *n, const char *t)
{
	size_t len = strlen(t);
	void *have = strmap_get(m, t, len);

	if (have != NULL)
		return (uint32_t)((uintptr_t)have - 1);
	if ((*n & (*n - 1)) == 0)	/* 0, 1, 2, 4...: full, double */
		*names = xrealloc(*names, (*n ? *n * 2 : 1) * sizeof(**names));
	(*names)[*n] = t;
	strmap_put(m, t, len, (void *)(uintptr_t)(*n + 1));
	return (uint32_t)(*n)++;
}

/* out[i]: the number of text(phone i) among the distinct texts, which
 * are copied into *copies (n of them; number 0 is ""). */
static void
number_all(const struct snapshot *s, const char *(*text)(const struct phone *),
    uint32_t *out, char ***copies, size_t *n)
{
	const char **names = NULL;
	struct strmap m;

	strmap_init(&m, 16);
	*n = 0;
	number_of(&m, &names, n, "");
	for (size_t i = 0; i < s->n_phones; i++)
		out[i] = number_of(&m, &names, n, text(&s->phones[i]));
	*copies = xcalloc(*n, sizeof(**copies));
	for (size_t k = 0; k < *n; k++)
		(*copies)[k] = xstrdup(names[k]);
	free(names);
	strmap_free(&m);
}

static void
conf_free(struct fleet_conf *c)
{
	if (c == NULL)
		return;
	for (size_t k = 0; k < c->n_vendors; k++)
		free(c->vendors[k]);
	for (size_t k = 0; k < c->n_models; k++)
		free(c->models[k]);
	free(c->vendors);
	free(c->models);
	free(c->vendor);
	free(c->model);
	free(c->lower);
	free(c->lower_at);
	free(c->briefs);
	free(c->sel);
	free(c);
}

static void
conf_lower_names(struct fleet_conf *c, const struct snapshot *s)
{
	size_t len = 0, at = 0;

	for (size_t i = 0; i < s->n_phones; i++)
		len += strlen(s->phones[i].id) + 1;
	c->lower = xmalloc(len ? len : 1);
	c->lower_at = xcalloc(s->n_phones ? s->n_phones : 1,
	    sizeof(*c->lower_at));
	for (size_t i = 0; i < s->n_phones; i++) {
		const char *id = s->phones[i].id;

		c->lower_at[i] = at;
		do
			c->lower[at++] = (char)tolower((unsigned char)*id);
		while (*id++ != '\0');
	}
}

/* The process's fleet_conf for s, built when s is another configuration
 * than the last one's.  Owned by this file; freed when replaced. */
static struct fleet_conf *
conf_of(const struct snapshot *s)
{
	struct fleet_conf *c = conf_cache;
	size_t n = s->n_phones ? s->n_phones : 1;

	if (c != NULL && c->source_hash == s->source_hash &&
	    c->n == s->n_phones)
		return c;
	conf_free(c);
	c = xcalloc(1, sizeof(*c));
	c->source_hash = s->source_hash;
	c->n = s->n_phones;
	c->vendor = xcalloc(n, sizeof(*c->vendor));
	c->model = xcalloc(n, sizeof(*c->model));
	number_all(s, snapshot_vendor_name, c->vendor, &c->vendors,
	    &c->n_vendors);
	number_all(s, phone_model_of, c->model, &c->models, &c->n_models);
	c->briefs = xcalloc(n, sizeof(*c->briefs));
	c->sel = xcalloc(n, sizeof(*c->sel));
	conf_cache = c;
	return c;
}

/* ---- one view: the index's texts, the filters, the sort keys ---- */

/* The distinct model and firmware texts of one view, numbered: a fleet
 * has few, and a number compares and sorts in one instruction.  Number 0
 * is "".  Numbering 200,000 texts through the hash table (strlen, hash,
 * compare) took a third of a view; most texts are found first through a
 * small table indexed by their first 16 bytes (text_hinted()). */
#define TEXT_HINTS	64
struct texts {
	struct strmap	 map;
	struct arena	 arena;
	const char	**at;
	uint32_t	*rank;		/* place in strcmp() order */
	size_t		 n, cap;
	uint32_t	 hint[TEXT_HINTS];	/* number + 1; 0: none */
};

static void
texts_free(struct texts *t)
{
	strmap_free(&t->map);
	arena_free(&t->arena);
	free(t->at);
	free(t->rank);
}

/* The number of text s; a copy is added when it is new. */
static uint32_t
text_number(struct texts *t, const char *s)
{
	size_t len = strlen(s);
	void *have = strmap_get(&t->map, s, len);
	char *copy;

	if (have != NULL)
		return (uint32_t)((uintptr_t)have - 1);
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->at = xrealloc(t->at, t->cap * sizeof(*t->at));
	}
	copy = arena_strndup(&t->arena, s, len);
	t->at[t->n] = copy;
	strmap_put(&t->map, copy, len, (void *)(uintptr_t)(t->n + 1));
	return (uint32_t)t->n++;
}

static void
texts_init(struct texts *t)
{
	memset(t, 0, sizeof(*t));
	strmap_init(&t->map, 64);
	arena_init(&t->arena);
	text_number(t, "");
}

/* text_number() for a field of the index (at least 16 bytes, NUL-ended
 * within its size): a hint chosen by the field's first 16 bytes, checked
 * with strcmp(); bytes after the NUL may be left from a longer text, so
 * two fields of one text can choose different hints, which only costs a
 * lookup in the table. */
static uint32_t
text_hinted(struct texts *t, const char *field)
{
	uint64_t a, b;
	uint32_t *h, k;

	memcpy(&a, field, 8);
	memcpy(&b, field + 8, 8);
	h = &t->hint[((a ^ (b * UINT64_C(0x9e3779b97f4a7c15))) *
	    UINT64_C(0x9e3779b97f4a7c15)) >> 58];
	if (*h != 0 && strcmp(t->at[*h - 1], field) == 0)
		return *h - 1;
	k = text_number(t, field);
	*h = k + 1;
	return k;
}

/* The number of s, or UINT32_MAX (no phone's) when it is not there. */
static uint32_t
text_find(const struct texts *t, const char *s)
{
	void *have = strmap_get(&t->map, s, strlen(s));

	return have != NULL ? (uint32_t)((uintptr_t)have - 1) : UINT32_MAX;
}

static const char *const *rank_texts;	/* qsort() passes no context */

static int
rank_cmp(const void *a, const void *b)
{
	return strcmp(rank_texts[*(const uint32_t *)a],
	    rank_texts[*(const uint32_t *)b]);
}

/* t->rank[number]: the text's place in strcmp() order. */
static void
texts_rank(struct texts *t)
{
	uint32_t *order = xcalloc(t->n ? t->n : 1, sizeof(*order));

	t->rank = xcalloc(t->n ? t->n : 1, sizeof(*t->rank));
	for (size_t k = 0; k < t->n; k++)
		order[k] = (uint32_t)k;
	rank_texts = t->at;
	qsort(order, t->n, sizeof(*order), rank_cmp);
	for (size_t k = 0; k < t->n; k++)
		t->rank[order[k]] = (uint32_t)k;
	free(order);
}

/* Working state of one view's walk over the fleet. */
struct walk {
	const struct page	*pg;
	const struct fleet_conf	*conf;
	const struct fleet_query *fq;
	struct texts		 texts;
	uint32_t		*conf_model;	/* conf->models[k]'s number */
	uint32_t		 want_vendor, want_model, want_firmware;
	uint32_t		 badge_rank[BADGE_NA + 1];
};

static const char *
phone_mac_at(void *ctx, size_t i)
{
	return ((struct walk *)ctx)->pg->snap->phones[i].mac;
}

static void
gather(void *ctx, size_t i, const struct summary_rec *rec)
{
	struct walk *w = ctx;
	struct brief *b = &w->conf->briefs[i];

	b->present = 1;
	b->last_fetch = rec->last_fetch;
	b->last_report = rec->last_report;
	_Static_assert(sizeof(rec->model) >= 16 && sizeof(rec->firmware) >= 16,
	    "text_hinted() reads 16 bytes");
	b->model = rec->model[0] ? text_hinted(&w->texts, rec->model) : 0;
	b->firmware = rec->firmware[0] ? text_hinted(&w->texts,
	    rec->firmware) : 0;
	b->differences = rec->differences;
	b->have_state = rec->have_state;
	b->compared = rec->compared;
}

/* row_badge() from a brief. */
static enum phone_badge
brief_badge(const struct page *pg, size_t i, const struct brief *b)
{
	long window = pg->snap->svc.report_activity_window;

	if (!b->have_state)
		return phone_can_report(&pg->snap->phones[i]) ? BADGE_NEVER :
		    BADGE_NA;
	if (b->last_report <= 0 ||
	    pg->src.now - (time_t)b->last_report > window)
		return BADGE_STALE;
	if (b->compared && b->differences > 0)
		return BADGE_DRIFT;
	return BADGE_IN_SYNC;
}

/* The model the page shows (row_model()): reported, else phones.yml's. */
static uint32_t
brief_model(const struct walk *w, size_t i, const struct brief *b)
{
	return b->model != 0 ? b->model : w->conf_model[w->conf->model[i]];
}

/* What a filter value stands for, once per view: the vendor's number, a
 * text's number, or UINT32_MAX when no phone can match it. */
static void
walk_wants(struct walk *w)
{
	const struct fleet_query *fq = w->fq;

	w->want_vendor = UINT32_MAX;
	for (size_t k = 0; fq->v[FQ_VENDOR] && k < w->conf->n_vendors; k++)
		if (strcmp(w->conf->vendors[k], fq->v[FQ_VENDOR]) == 0)
			w->want_vendor = (uint32_t)k;
	w->want_model = fq->v[FQ_MODEL] ? text_find(&w->texts,
	    fq->v[FQ_MODEL]) : 0;
	w->want_firmware = fq->v[FQ_FIRMWARE] ? text_find(&w->texts,
	    fq->v[FQ_FIRMWARE]) : 0;
}

static int
brief_matches(const struct walk *w, size_t i, const struct brief *b,
    enum phone_badge badge)
{
	const struct fleet_query *fq = w->fq;
	const char *q = fq->v[FQ_Q];

	if (fq->status >= 0 && status_words[fq->status].badge != badge)
		return 0;
	if (fq->v[FQ_VENDOR] && w->conf->vendor[i] != w->want_vendor)
		return 0;
	if (fq->v[FQ_MODEL] && brief_model(w, i, b) != w->want_model)
		return 0;
	if (fq->v[FQ_FIRMWARE] && b->firmware != w->want_firmware)
		return 0;
	if (q == NULL || q[0] == '\0')
		return 1;
	return strstr(w->conf->lower + w->conf->lower_at[i],
	    fq->q_lower) != NULL || (fq->mac_part[0] != '\0' &&
	    strstr(w->pg->snap->phones[i].mac, fq->mac_part) != NULL);
}

/* A signed time in the unsigned order of the keys. */
static uint64_t
time_key(int64_t t)
{
	return (uint64_t)t ^ (UINT64_C(1) << 63);
}

/* Phone i's place in the sort the query asks for: by the key, then in
 * phones.yml order, so that every order is total; descending reverses
 * both (pagesel.h). */
static struct pagesel_item
brief_item(const struct walk *w, size_t i, const struct brief *b,
    enum phone_badge badge)
{
	struct pagesel_item it = { 0, (uint64_t)i };

	switch (w->fq->sort) {
	case SK_NAME:
		it.key = w->pg->snap->rank[SNAPSHOT_BY_NAME][i];
		break;
	case SK_MAC:
		it.key = w->pg->snap->rank[SNAPSHOT_BY_MAC][i];
		break;
	case SK_VENDOR:
		it.key = w->pg->snap->rank[SNAPSHOT_BY_VENDOR][i];
		break;
	case SK_MODEL:
		it.key = w->texts.rank[brief_model(w, i, b)];
		break;
	case SK_FIRMWARE:
		it.key = w->texts.rank[b->firmware];
		break;
	case SK_FETCH:
		it.key = time_key(b->last_fetch);
		break;
	case SK_REPORT:
		it.key = time_key(b->last_report);
		break;
	case SK_DIFFERENCES:
		it.key = b->have_state && b->compared ?
		    (uint64_t)b->differences + 1 : 0;
		break;
	case SK_STATUS:
	case SK_COUNT:
		it.key = w->badge_rank[badge];
		break;
	}
	if (w->fq->desc) {
		it.key = ~it.key;
		it.tie = ~it.tie;
	}
	return it;
}

/* The badges in the order of their texts, as the status column sorts. */
static void
walk_badge_ranks(struct walk *w)
{
	for (int a = 0; a <= BADGE_NA; a++) {
		w->badge_rank[a] = 0;
		for (int b = 0; b <= BADGE_NA; b++)
			w->badge_rank[a] += strcmp(phone_badge_text(
			    (enum phone_badge)b), phone_badge_text(
			    (enum phone_badge)a)) < 0;
	}
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

/* Every configured phone, counted in t; the ones the query selects into
 * w->conf->sel, with their sort keys.  Returns how many were selected. */
static size_t
collect(struct walk *w, struct summary *sum, struct tally *t)
{
	const struct fleet_conf *c = w->conf;
	size_t n = 0;

	memset(c->briefs, 0, (c->n ? c->n : 1) * sizeof(*c->briefs));
	summary_get_fleet(sum, w->pg->snap->source_hash, c->n, phone_mac_at,
	    gather, w);
	w->conf_model = xcalloc(c->n_models, sizeof(*w->conf_model));
	for (size_t k = 0; k < c->n_models; k++)
		w->conf_model[k] = text_number(&w->texts, c->models[k]);
	texts_rank(&w->texts);
	walk_wants(w);
	walk_badge_ranks(w);
	for (size_t i = 0; i < c->n; i++) {
		const struct brief *b = &c->briefs[i];
		enum phone_badge badge = brief_badge(w->pg, i, b);

		t->indexed += b->present;
		t->n[badge]++;
		t->reporting += b->have_state;
		if (brief_matches(w, i, b, badge))
			c->sel[n++] = brief_item(w, i, b, badge);
	}
	free(w->conf_model);
	return n;
}

static int
configured(struct page *pg, struct summary *sum, const struct fleet_query *fq,
    struct buf *out, struct tally *t)
{
	struct fleet_conf *c = conf_of(pg->snap);
	struct walk w = { .pg = pg, .conf = c, .fq = fq };
	struct fleet_row r;
	size_t per = PAGE_FLEET_PER_PAGE, n, pages, first;

	/* Made for the first text search only: the other views of a new
	 * configuration need not touch every name. */
	if (fq->v[FQ_Q] != NULL && fq->v[FQ_Q][0] != '\0' &&
	    c->lower == NULL)
		conf_lower_names(c, pg->snap);
	texts_init(&w.texts);
	n = collect(&w, sum, t);
	texts_free(&w.texts);
	pages = n == 0 ? 1 : (n + per - 1) / per;
	first = (fq->page - 1) * per;
	if (fq->page > pages)
		return page_fail(pg, 404, "no_page", "There is no such page "
		    "of the fleet.");
	pagesel_window(w.conf->sel, n, first, per);
	filter_form(out, fq);
	pager(out, fq, pages, n, pg->snap->n_phones);
	table_head(out, "Configured phones", fq, page_rps_enabled(pg));
	for (size_t i = first; i < n && i < first + per; i++) {
		uint64_t tie = w.conf->sel[i].tie;

		row_load(pg, sum, (size_t)(fq->desc ? ~tie : tie), &r);
		phone_row(pg, out, &r);
	}
	buf_adds(out, "</tbody></table></div>\n");
	if (pages > 1)
		pager(out, fq, pages, n, pg->snap->n_phones);
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
