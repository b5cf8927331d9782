#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "cmpnames.h"
#include "compare.h"
#include "vendor.h"
#include "flatprofile.h"
#include "strmap.h"

/* ---- the expected side ---- */

void
cmp_expected_init(struct cmp_expected *e)
{
	memset(e, 0, sizeof(*e));
}

void
cmp_expected_free(struct cmp_expected *e)
{
	free(e->items);
	if (e->rendered != NULL) {
		report_free(e->rendered);
		free(e->rendered);
	}
	memset(e, 0, sizeof(*e));
}

/* Adds name[0..len) whose strmap_hash() is known. */
static void
expected_add_hashed(struct cmp_expected *e, const char *name, size_t len,
    uint32_t hash, const char *value)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 256;
		e->items = xrealloc(e->items, e->cap * sizeof(*e->items));
	}
	e->items[e->n++] = (struct cmp_param){ .name = name, .value = value,
	    .name_len = len, .name_hash = hash };
}

void
cmp_expected_add(struct cmp_expected *e, const char *name, const char *value)
{
	size_t n = strlen(name);

	expected_add_hashed(e, name, n, strmap_hash(name, n), value);
}

/* The hashes of a snapshot's base list, by slot: every phone expects the
 * base list (a phone's own value replaces a slot under the same name),
 * and hashing its 1,100 names for every report was a fifth of a
 * comparison.  Kept for one snapshot content at a time: the source hash
 * says when the base list may differ (another snapshot at the same
 * address included).  Like cmpnames.h, one per process. */
static struct {
	uint64_t	 source_hash, base_hash;
	size_t		 n_base;
	uint32_t	*hash;
} base_hashes;

static const uint32_t *
base_hashes_of(const struct snapshot *s)
{
	if (base_hashes.hash != NULL && base_hashes.n_base == s->n_base &&
	    base_hashes.source_hash == s->source_hash &&
	    base_hashes.base_hash == s->base_hash)
		return base_hashes.hash;
	free(base_hashes.hash);
	base_hashes.hash = xcalloc(s->n_base + 1, sizeof(uint32_t));
	for (size_t i = 0; i < s->n_base; i++)
		base_hashes.hash[i] = strmap_hash(s->base[i].name,
		    s->base[i].name_len);
	base_hashes.n_base = s->n_base;
	base_hashes.source_hash = s->source_hash;
	base_hashes.base_hash = s->base_hash;
	return base_hashes.hash;
}

struct effective_ctx {
	struct cmp_expected	*e;
	const struct snapshot	*s;
	const uint32_t		*hash;	/* base_hashes_of(s) */
};

/* A parameter of the base list or one in a base slot has its name's hash
 * in the table; an extra of the phone is hashed here. */
static void
add_effective(void *ctx, const struct effective_param *p)
{
	const struct effective_ctx *c = ctx;
	const struct param *q = p->param;
	size_t slot = p->layer == LAYER_PHONE ? q->slot :
	    (size_t)(q - c->s->base);

	if (slot < c->s->n_base && (q->name == c->s->base[slot].name ||
	    (q->name_len == c->s->base[slot].name_len && memcmp(q->name,
	    c->s->base[slot].name, q->name_len) == 0)))
		expected_add_hashed(c->e, q->name, q->name_len, c->hash[slot],
		    q->value);
	else
		cmp_expected_add(c->e, q->name, q->value);
}

/* A device's main file, rendered as the phone would get it and read back
 * with the report parser: only a flat profile parses. */
static void
expected_from_device(struct cmp_expected *e, const struct snapshot *s,
    const struct phone *ph)
{
	const struct pack_file *f = vendor_main_file(ph->pack);
	struct report_limits lim;
	struct vendor_result res;
	struct buf out;
	char name[256];

	struct vendor_file_req vr;

	if (f == NULL || f->syntax != SYNTAX_XML ||
	    vendor_phone_request(s, ph, f, name, sizeof(name), &vr) != 1 ||
	    vr.phone != ph)
		return;
	buf_init(&out);
	e->rendered = xcalloc(1, sizeof(*e->rendered));
	report_limits_default(&lim);
	if (vendor_render(&vr, &out, &res) == 0 && report_parse(out.data,
	    out.len, REPORT_CONFIG, &lim, e->rendered, NULL) == REPORT_OK) {
		for (size_t i = 0; i < e->rendered->n; i++)
			cmp_expected_add(e, e->rendered->params[i].name,
			    e->rendered->params[i].value);
		e->comparable = 1;
	}
	buf_free(&out);
}

void
cmp_expected_from_phone(struct cmp_expected *e, const struct snapshot *s,
    const struct phone *ph)
{
	struct effective_ctx c = { e, s, NULL };

	if (ph->pack != NULL) {
		expected_from_device(e, s, ph);
		return;
	}
	c.hash = base_hashes_of(s);
	flatprofile_params(s, ph, add_effective, &c);
	e->comparable = 1;
}

/* ---- normalisation ---- */

static const struct {
	const char	*word;
	const char	*canon;
} bool_words[] = {
	{ "yes", "yes" }, { "true", "yes" }, { "on", "yes" },
	{ "no", "no" }, { "false", "no" }, { "off", "no" },
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static const char *
bool_canon(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(bool_words) / sizeof(bool_words[0]); i++)
		if (strlen(bool_words[i].word) == n &&
		    strncasecmp(bool_words[i].word, s, n) == 0)
			return bool_words[i].canon;
	return NULL;
}

/* The form a value is compared in, written to b (data may stay NULL for
 * an empty result; compare lengths first).  flags: cmpnames_flags() of
 * the name. */
static void
normalize(const struct comparison_settings *cmp, unsigned flags,
    const char *v, struct buf *b)
{
	size_t n = strlen(v);
	const char *canon;

	buf_reset(b);
	if (cmp == NULL || cmp->trim_whitespace) {
		while (n > 0 && is_space(*v))
			v++, n--;
		while (n > 0 && is_space(v[n - 1]))
			n--;
	}
	if (cmp != NULL && (flags & CMPNAME_BOOLEAN) &&
	    (canon = bool_canon(v, n)) != NULL) {
		buf_adds(b, canon);
		return;
	}
	buf_add(b, v, n);
	if (cmp != NULL && (flags & CMPNAME_CASELESS))
		for (size_t i = 0; i < b->len; i++)
			b->data[i] = (char)tolower((unsigned char)b->data[i]);
}

static int
equal_in(const struct comparison_settings *cmp, unsigned flags,
    const char *a, const char *b, struct buf *na, struct buf *nb)
{
	/* The common case, equal bytes, needs no copy: normalising is
	 * idempotent, so equal inputs stay equal. */
	if (strcmp(a, b) == 0)
		return 1;
	normalize(cmp, flags, a, na);
	normalize(cmp, flags, b, nb);
	return na->len == nb->len &&
	    (na->len == 0 || memcmp(na->data, nb->data, na->len) == 0);
}

int
compare_values_equal(const struct comparison_settings *cmp, const char *name,
    const char *a, const char *b)
{
	struct buf na, nb;
	int eq;

	buf_init(&na);
	buf_init(&nb);
	cmpnames_bind(cmp);
	eq = equal_in(cmp, cmp ? cmpnames_flags(cmp, name) : 0, a, b, &na,
	    &nb);
	buf_free(&na);
	buf_free(&nb);
	return eq;
}

/* ---- the comparison ---- */

static void
list_add(struct cmp_list *l, const char *name, const char *expected,
    const char *reported, int secret, enum cmp_verdict v)
{
	struct cmp_item *it;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	it = &l->items[l->n++];
	it->name = name;
	it->expected = secret ? NULL : expected;
	it->reported = secret ? NULL : reported;
	it->secret = secret;
	it->verdict = v;
}

void
cmp_list_free(struct cmp_list *l)
{
	free(l->items);
	memset(l, 0, sizeof(*l));
}

#define SEEN	0x80	/* above every CMPNAME_* bit */

/* Working state of one compare_run(). */
struct run {
	const struct comparison_settings	*cmp;
	const struct secret_key			*key;
	struct cmp_result			*out;
	struct buf				 na, nb;
	/* Per reported parameter: its cmpnames flags | SEEN when its name
	 * is expected too (found from the expected side: no second lookup
	 * of the flags), else 0. */
	unsigned char				*expected;
};

/* A stored hash marks a secret even when the name rule has changed since
 * the report was stored. */
static int
is_secret(unsigned flags, const char *reported)
{
	return (flags & CMPNAME_SECRET) ||
	    (reported != NULL && secret_is_hash(reported));
}

static void
compare_secret(struct run *r, const struct cmp_param *e, const char *got)
{
	int ok;

	if (r->key == NULL) {
		r->out->n_unverified++;
		return;
	}
	ok = secret_matches(r->key, e->name, e->value, strlen(e->value), got);
	list_add(&r->out->secrets, e->name, NULL, NULL, 1,
	    ok ? CMP_MATCH : CMP_DIFFERS);
	if (ok)
		r->out->n_matches++;
	else
		list_add(&r->out->mismatches, e->name, NULL, NULL, 1,
		    CMP_DIFFERS);
}

static void
compare_one(struct run *r, const struct cmp_param *e, unsigned flags,
    const struct report_param *p)
{
	int secret = is_secret(flags, p ? p->value : NULL);

	r->out->n_expected++;
	if (p == NULL)
		list_add(&r->out->missing, e->name, e->value, NULL, secret,
		    CMP_MISSING);
	else if (secret)
		compare_secret(r, e, p->value);
	else if (equal_in(r->cmp, flags, e->value, p->value, &r->na, &r->nb))
		r->out->n_matches++;
	else
		list_add(&r->out->mismatches, e->name, e->value, p->value, 0,
		    CMP_DIFFERS);
}

static int
blacklisted(const struct comparison_settings *cmp, const char *name)
{
	return cmp != NULL && (cmpnames_flags(cmp, name) & CMPNAME_BLACKLISTED);
}

/* Reported names nobody expects, in reported order; a blacklisted one is
 * only counted as excluded (when expected, the expected side counted it). */
static void
find_unexpected(struct run *r, const struct report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		struct report_param *p = &rep->params[i];
		unsigned flags = r->expected[i] ? r->expected[i] & ~SEEN :
		    cmpnames_flags_param(r->cmp, p);

		if (r->cmp != NULL && (flags & CMPNAME_BLACKLISTED)) {
			if (!r->expected[i])
				r->out->n_excluded++;
			continue;
		}
		r->out->n_reported++;
		if (!r->expected[i])
			list_add(&r->out->unexpected, p->name, NULL, p->value,
			    is_secret(flags, p->value), CMP_UNEXPECTED);
	}
}

static void
list_reverse(struct cmp_list *l)
{
	for (size_t i = 0; i < l->n / 2; i++) {
		struct cmp_item t = l->items[i];

		l->items[i] = l->items[l->n - 1 - i];
		l->items[l->n - 1 - i] = t;
	}
}

/* True when an expected item of this name came later (the last one
 * counts, as in a profile).  Walking from the end, a reported name is
 * taken once it is marked in r->expected; a name the report lacks (few)
 * is remembered in `absent`. */
static int
overridden(struct run *r, const struct cmp_param *e, ptrdiff_t at,
    struct strmap *absent)
{
	if (at >= 0)
		return r->expected[at] != 0;
	return strmap_put_hashed(absent, e->name, e->name_len, e->name_hash,
	    r) != NULL;
}

/* Every name is hashed once (cmp_expected_add(), report_set()) and each
 * expected name looked up once in the report's own index, which also
 * tells which reported names are expected.  The expected side is walked
 * from its end, so that a later duplicate wins without an index of its
 * own, and its lists are turned round at the end. */
void
compare_run(const struct cmp_expected *exp, const struct report *rep,
    const struct comparison_settings *cmp, const struct secret_key *key,
    struct cmp_result *out)
{
	struct run r = { cmp, key, out, { NULL, 0, 0 }, { NULL, 0, 0 },
	    xcalloc(rep->n + 1, 1) };
	struct strmap absent;

	memset(out, 0, sizeof(*out));
	cmpnames_bind(cmp);
	strmap_init(&absent, 16);
	for (size_t i = exp->n; i-- > 0;) {
		const struct cmp_param *e = &exp->items[i];
		const struct report_param *p = report_lookup(rep, e->name,
		    e->name_len, e->name_hash);
		ptrdiff_t at = p != NULL ? p - rep->params : -1;
		unsigned flags;

		if (overridden(&r, e, at, &absent))
			continue;
		flags = at >= 0 ? cmpnames_flags_param(cmp, &rep->params[at]) :
		    cmpnames_flags_hashed(cmp, e->name, e->name_len,
		    e->name_hash);
		if (at >= 0)
			r.expected[at] = (unsigned char)(flags | SEEN);
		if (cmp != NULL && (flags & CMPNAME_BLACKLISTED))
			out->n_excluded++;
		else
			compare_one(&r, e, flags, p);
	}
	list_reverse(&out->mismatches);
	list_reverse(&out->missing);
	list_reverse(&out->secrets);
	find_unexpected(&r, rep);
	strmap_free(&absent);
	free(r.expected);
	buf_free(&r.na);
	buf_free(&r.nb);
}

void
cmp_result_free(struct cmp_result *r)
{
	cmp_list_free(&r->mismatches);
	cmp_list_free(&r->missing);
	cmp_list_free(&r->unexpected);
	cmp_list_free(&r->secrets);
	memset(r, 0, sizeof(*r));
}

size_t
cmp_differences(const struct cmp_result *r)
{
	return r->mismatches.n + r->missing.n + r->unexpected.n;
}

/* ---- the fleet ---- */

int
compare_in_common(void *ctx, const char *name)
{
	const struct snapshot *s = ctx;
	const struct param *p = strmap_get(&s->base_slots, name, strlen(name));

	return p != NULL && (size_t)(p - s->base) < s->n_common;
}

static int
item_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cmp_item *)a)->name,
	    ((const struct cmp_item *)b)->name);
}

/* By name; qsort() must not be given a NULL array, even for none. */
static void
sort_items(struct cmp_item *items, size_t n)
{
	if (n > 1)
		qsort(items, n, sizeof(*items), item_name_cmp);
}

static int
same_everywhere(const struct report *const *states, size_t n,
    const struct report_param *p)
{
	for (size_t i = 1; i < n; i++) {
		const struct report_param *q = report_get(states[i], p->name);

		if (q == NULL || q->value_len != p->value_len ||
		    memcmp(q->value, p->value, p->value_len) != 0)
			return 0;
	}
	return 1;
}

void
compare_fleet_common(const struct report *const *states, size_t n,
    int (*in_common)(void *, const char *), void *ctx,
    const struct comparison_settings *cmp, struct cmp_list *out)
{
	memset(out, 0, sizeof(*out));
	cmpnames_bind(cmp);
	for (size_t i = 0; n > 0 && i < states[0]->n; i++) {
		const struct report_param *p = &states[0]->params[i];

		if (blacklisted(cmp, p->name) || secret_name(p->name, cmp) ||
		    secret_is_hash(p->value) || in_common(ctx, p->name) ||
		    !same_everywhere(states, n, p))
			continue;
		list_add(out, p->name, NULL, p->value, 0, CMP_UNEXPECTED);
	}
	sort_items(out->items, out->n);
}

/* ---- YAML export ---- */

static int
yaml_to_buf(void *data, unsigned char *bytes, size_t n)
{
	buf_add(data, bytes, n);
	return 1;
}

/* Names a YAML 1.1 loader would read as a boolean or null: quoted as
 * keys so that `On: 'x'` does not come back as true: x. */
static int
key_needs_quotes(const char *name)
{
	static const char *const words[] = { "y", "n", "yes", "no", "true",
	    "false", "on", "off", "null", NULL };

	for (int i = 0; words[i] != NULL; i++)
		if (strcasecmp(name, words[i]) == 0)
			return 1;
	return 0;
}

static int
emit_scalar(yaml_emitter_t *em, const char *s, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	yaml_scalar_event_initialize(&ev, NULL, NULL, (const yaml_char_t *)s,
	    (int)strlen(s), 1, 1, style);
	return yaml_emitter_emit(em, &ev);
}

static int
emit_event(yaml_emitter_t *em, int ok, yaml_event_t *ev)
{
	return ok && yaml_emitter_emit(em, ev);
}

static int
emit_open(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return emit_event(em, yaml_stream_start_event_initialize(&ev,
	    YAML_UTF8_ENCODING), &ev) &&
	    emit_event(em, yaml_document_start_event_initialize(&ev, NULL,
	    NULL, NULL, 1), &ev) &&
	    emit_event(em, yaml_mapping_start_event_initialize(&ev, NULL, NULL,
	    1, YAML_BLOCK_MAPPING_STYLE), &ev) &&
	    emit_scalar(em, "common", YAML_PLAIN_SCALAR_STYLE) &&
	    emit_event(em, yaml_mapping_start_event_initialize(&ev, NULL, NULL,
	    1, YAML_BLOCK_MAPPING_STYLE), &ev);
}

static int
emit_close(yaml_emitter_t *em)
{
	yaml_event_t ev;

	return emit_event(em, yaml_mapping_end_event_initialize(&ev), &ev) &&
	    emit_event(em, yaml_mapping_end_event_initialize(&ev), &ev) &&
	    emit_event(em, yaml_document_end_event_initialize(&ev, 1), &ev) &&
	    emit_event(em, yaml_stream_end_event_initialize(&ev), &ev);
}

/* Quotes keep every value a string that reads back byte for byte: single
 * quotes as a rule, double quotes (with \n escapes) when the value spans
 * lines or holds a tab, where single quotes would fold it over several
 * lines of the snippet.  libyaml itself switches to double quotes for
 * anything single quotes cannot hold. */
static yaml_scalar_style_t
value_style(const char *v)
{
	return strpbrk(v, "\n\r\t") != NULL ?
	    YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE;
}

static int
emit_pairs(yaml_emitter_t *em, const struct cmp_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!emit_scalar(em, items[i].name,
		    key_needs_quotes(items[i].name) ?
		    YAML_SINGLE_QUOTED_SCALAR_STYLE : YAML_PLAIN_SCALAR_STYLE) ||
		    !emit_scalar(em, items[i].reported,
		    value_style(items[i].reported)))
			return 0;
	return 1;
}

static int
emit_yaml(const struct cmp_item *items, size_t n, struct buf *out)
{
	yaml_emitter_t em;
	int ok;

	if (!yaml_emitter_initialize(&em))
		return 0;
	yaml_emitter_set_output(&em, yaml_to_buf, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	ok = emit_open(&em) && emit_pairs(&em, items, n) && emit_close(&em) &&
	    yaml_emitter_flush(&em);
	yaml_emitter_delete(&em);
	return ok;
}

/* The exportable items of l (no secret, no hash), sorted by name, then
 * the header comment and the YAML.  Returns the count or -1. */
static int
export_list(const struct cmp_item *src, size_t n, const char *header,
    const struct comparison_settings *cmp, struct buf *out)
{
	struct cmp_item *items = xcalloc(n ? n : 1, sizeof(*items));
	size_t k = 0, mark = out->len;

	for (size_t i = 0; i < n; i++)
		if (!src[i].secret && src[i].reported != NULL &&
		    !secret_name(src[i].name, cmp) &&
		    !secret_is_hash(src[i].reported))
			items[k++] = src[i];
	sort_items(items, k);
	buf_adds(out, header);
	if (!emit_yaml(items, k, out)) {
		out->len = mark;
		if (out->data != NULL)
			out->data[mark] = '\0';
		free(items);
		return -1;
	}
	free(items);
	return (int)k;
}

static void
format_when(time_t when, char out[32])
{
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "unknown time");
}

int
compare_export_unexpected(const struct cmp_result *r, const char *mac,
    time_t when, const struct comparison_settings *cmp, struct buf *out)
{
	char header[512], ts[32];

	format_when(when, ts);
	/* mac is canonical hex: nothing in it can end the comment line. */
	snprintf(header, sizeof(header),
	    "# Parameters phone %.12s reports but deskprov does not send it,\n"
	    "# exported %s.  Secrets are never exported.\n"
	    "# Paste the lines below `common:` into common.yml.\n", mac, ts);
	return export_list(r->unexpected.items, r->unexpected.n, header, cmp,
	    out);
}

int
compare_export_fleet(const struct cmp_list *l, size_t n_phones, time_t when,
    const struct comparison_settings *cmp, struct buf *out)
{
	char header[512], ts[32];

	format_when(when, ts);
	snprintf(header, sizeof(header),
	    "# Parameters all %zu reporting phones report with the same value\n"
	    "# and common.yml does not set, exported %s.  Secrets are never\n"
	    "# exported.  Paste the lines below `common:` into common.yml.\n",
	    n_phones, ts);
	return export_list(l->items, l->n, header, cmp, out);
}
