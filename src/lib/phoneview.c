#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phoneview.h"
#include "useragent.h"

static const struct {
	const char	*text;
	const char	*cls;
} badges[] = {
	[BADGE_IN_SYNC] = { "in sync", "ok" },
	[BADGE_DRIFT] = { "drift", "drift" },
	[BADGE_NEVER] = { "never reported", "never" },
	[BADGE_STALE] = { "stale", "stale" },
	[BADGE_UNCONFIGURED] = { "not configured", "new" },
	[BADGE_NA] = { "n/a", "na" },
};

int
phone_can_report(const struct phone *ph)
{
	return ph->pack == NULL || (ph->pack->ua_vendor != NULL &&
	    strcmp(ph->pack->ua_vendor, "cisco") == 0);
}

const char *
phone_badge_text(enum phone_badge b)
{
	return (unsigned)b <= BADGE_NA ? badges[b].text : "?";
}

const char *
phone_badge_class(enum phone_badge b)
{
	return (unsigned)b <= BADGE_NA ? badges[b].cls : "never";
}

time_t
store_time(const char *ts)
{
	struct tm tm;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (ts == NULL || sscanf(ts, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &n) != 6 || n != 19)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return timegm(&tm);
}

static void
copy_str(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src != NULL ? src : "");
}

static const char *
param_value(const struct report *r, const char *name)
{
	const struct report_param *p = report_get(r, name);

	return p != NULL && p->value[0] != '\0' ? p->value : NULL;
}

/* Model and firmware from the newest report (see the header). */
static enum store_status
load_latest(struct phone_view *v, const struct store *st, char *msg)
{
	struct store_page page;
	struct stored_report sr;
	struct useragent ua;
	enum store_status rc;

	rc = store_list(st, v->mac, 0, 1, &page, msg);
	if (rc == STORE_E_NOT_FOUND)
		return STORE_OK;	/* no data directory yet */
	if (rc != STORE_OK)
		return rc;
	if (page.n > 0) {
		v->have_report = 1;
		v->latest = page.entries[0];
		v->latest_time = store_time(v->latest.timestamp);
	}
	store_page_free(&page);
	if (!v->have_report)
		return STORE_OK;
	/* store_load() and store_current() need their free on failure too. */
	if ((rc = store_load(st, v->latest.id, &sr, msg)) != STORE_OK) {
		stored_report_free(&sr);
		return rc == STORE_E_NOT_FOUND ? STORE_OK : rc;
	}
	if (ua_parse(sr.user_agent, &ua)) {
		copy_str(v->model, sizeof(v->model), ua.product);
		copy_str(v->firmware, sizeof(v->firmware), ua.version);
	}
	if (param_value(&sr.data, "Software_Version") != NULL)
		copy_str(v->firmware, sizeof(v->firmware),
		    param_value(&sr.data, "Software_Version"));
	stored_report_free(&sr);
	return STORE_OK;
}

static void
choose_badge(struct phone_view *v, const struct view_source *src)
{
	long window = src->snap->svc.report_activity_window;

	if (v->phone == NULL)
		v->badge = BADGE_UNCONFIGURED;
	else if (!v->have_state && !phone_can_report(v->phone))
		v->badge = BADGE_NA;
	else if (!v->have_state)
		v->badge = BADGE_NEVER;
	else if (v->latest_time < 0 || src->now - v->latest_time > window)
		v->badge = BADGE_STALE;
	else if (v->compared && cmp_differences(&v->result) > 0)
		v->badge = BADGE_DRIFT;
	else
		v->badge = BADGE_IN_SYNC;
}

static void
view_init(struct phone_view *v, const struct phone *ph, const char *mac)
{
	memset(v, 0, sizeof(*v));
	v->phone = ph;
	copy_str(v->mac, sizeof(v->mac), ph != NULL ? ph->mac : mac);
	/* What the admin wrote, until the phone says what it is. */
	if (ph != NULL && ph->model != NULL)
		copy_str(v->model, sizeof(v->model), ph->model);
	v->latest_time = -1;
	cmp_expected_init(&v->expected);
}

enum store_status
phone_view_load(struct phone_view *v, const struct view_source *src,
    const struct phone *ph, const char *mac, char *msg)
{
	enum store_status rc;
	const char *label[1];

	view_init(v, ph, mac);
	label[0] = v->mac;
	if (v->mac[0] == '\0')		/* a phone known by name only */
		goto out_badge;
	if (ph != NULL)
		v->last_fetch = metrics_value(src->metrics,
		    METRIC_PHONE_LAST_PROFILE_FETCH, label);
	if ((rc = load_latest(v, src->store, msg)) != STORE_OK)
		return rc;
	rc = store_current(src->store, v->mac, &v->state, msg);
	if (rc == STORE_OK)
		v->have_state = 1;
	else
		store_state_free(&v->state);
	if (rc != STORE_OK && rc != STORE_E_NOT_FOUND)
		return rc;
	if (v->have_state && v->firmware[0] == '\0' &&
	    param_value(&v->state.params, "Software_Version") != NULL)
		copy_str(v->firmware, sizeof(v->firmware),
		    param_value(&v->state.params, "Software_Version"));
	if (v->have_state && ph != NULL) {
		cmp_expected_from_phone(&v->expected, src->snap, ph);
		/* Devices of vendors without flat profiles: nothing to
		 * compare, so no drift either way. */
		if (v->expected.comparable) {
			compare_run(&v->expected, &v->state.params,
			    &src->snap->cmp, src->key, &v->result);
			v->compared = 1;
		}
	}
out_badge:
	choose_badge(v, src);
	return STORE_OK;
}

void
phone_view_free(struct phone_view *v)
{
	if (v->have_state)
		store_state_free(&v->state);
	if (v->compared)
		cmp_result_free(&v->result);
	cmp_expected_free(&v->expected);
	v->have_state = v->compared = 0;
}

static int
mac_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

int
stored_macs(const char *dir, char (**out)[MAC_LEN + 1], size_t *n)
{
	char (*macs)[MAC_LEN + 1] = NULL, mac[MAC_LEN + 1];
	size_t cap = 0;
	struct dirent *e;
	DIR *d;

	*out = NULL;
	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		/* Only names that are already canonical: 12 lowercase hex. */
		if (mac_parse(e->d_name, strlen(e->d_name), mac) != MAC_OK ||
		    strcmp(mac, e->d_name) != 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			macs = xrealloc(macs, cap * sizeof(*macs));
		}
		memcpy(macs[(*n)++], mac, sizeof(mac));
	}
	closedir(d);
	if (*n > 0)
		qsort(macs, *n, sizeof(*macs), mac_cmp);
	*out = macs;
	return 0;
}

int
stored_macs_has(char (*macs)[MAC_LEN + 1], size_t n, const char *mac)
{
	return n > 0 && bsearch(mac, macs, n, sizeof(*macs), mac_cmp) != NULL;
}

/* A value for a terminal: in double quotes, printable ASCII as it is,
 * everything else (controls, escape sequences, non-ASCII) as \xNN. */
static void
text_value(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			buf_addc(b, (char)*p);
		else
			buf_printf(b, "\\x%02x", *p);
	}
	buf_addc(b, '"');
}

static void
text_list(struct buf *b, const char *title, const struct cmp_list *l)
{
	buf_printf(b, "\n%s (%zu):\n", title, l->n);
	for (size_t i = 0; i < l->n; i++) {
		const struct cmp_item *it = &l->items[i];
		buf_printf(b, "  %s", it->name);
		if (it->secret) {
			buf_adds(b, it->verdict == CMP_MATCH ? ": secret, matches" :
			    it->verdict == CMP_DIFFERS ? ": secret, differs" :
			    ": secret");
		} else {
			if (it->expected != NULL) {
				buf_adds(b, "\n    expected: ");
				text_value(b, it->expected);
			}
			if (it->reported != NULL) {
				buf_adds(b, "\n    reported: ");
				text_value(b, it->reported);
			}
		}
		buf_addc(b, '\n');
	}
}

void
phone_view_text(const struct phone_view *v, struct buf *b)
{
	const struct cmp_result *r = &v->result;
	char mac[18];

	mac_format_colons(v->mac, mac);
	buf_printf(b, "phone %s (%s): %s\n", v->phone ? v->phone->id : "-",
	    mac, phone_badge_text(v->badge));
	if (!v->compared) {
		buf_adds(b, "no configuration report to compare\n");
		return;
	}
	buf_printf(b, "reported state: %s%s + %zu delta%s\n",
	    v->state.base_id[0] ? "report " : "no full report",
	    v->state.base_id, v->state.n_deltas,
	    v->state.n_deltas == 1 ? "" : "s");
	buf_printf(b, "expected %zu, reported %zu, matching %zu; mismatches "
	    "%zu, missing %zu, unexpected %zu, secrets %zu, excluded %zu\n",
	    r->n_expected, r->n_reported, r->n_matches, r->mismatches.n,
	    r->missing.n, r->unexpected.n, r->secrets.n, r->n_excluded);
	text_list(b, "mismatches", &r->mismatches);
	text_list(b, "missing", &r->missing);
	text_list(b, "unexpected", &r->unexpected);
	text_list(b, "secrets", &r->secrets);
	if (r->n_unverified > 0)
		buf_printf(b, "\n%zu secrets unverified: no report key\n",
		    r->n_unverified);
}
