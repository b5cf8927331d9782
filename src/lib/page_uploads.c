/* The "Uploads" section of /phone/<phone> (issue 15): what the phone
 * PUT to profile.fcgi (upload.h), newest first per file, each with a
 * preview; for an override file, what it changes against what deskprov
 * serves the phone (drift: compare.c's rules, secrets compared by their
 * keyed hash only and never shown). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page.h"
#include "text.h"
#include "upload.h"

#define PREVIEW_BYTES	(8 * 1024)	/* the tail of a log shown */

/* The end of a text file, escaped; a binary one is only named. */
static void
preview(struct buf *b, const char *data, size_t len)
{
	size_t from = len > PREVIEW_BYTES ? len - PREVIEW_BYTES : 0;

	/* Start on a character, not inside one. */
	while (from < len && ((unsigned char)data[from] & 0xc0) == 0x80)
		from++;
	if (memchr(data, '\0', len) != NULL || !utf8_ok(data + from,
	    len - from)) {
		html_elem(b, "p", "muted", "Binary content, not shown.");
		return;
	}
	buf_adds(b, "<details><summary>");
	html_text(b, from > 0 ? "Preview (the end of the file)" : "Preview");
	buf_adds(b, "</summary><pre class=\"preview\">");
	html_textn(b, data + from, len - from);
	buf_adds(b, "</pre></details>\n");
}

static void
drift_rows(struct buf *b, const struct cmp_list *l, const char *what)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct cmp_item *it = &l->items[i];
		buf_adds(b, "<tr>");
		html_elem(b, "th", NULL, it->name);
		buf_adds(b, "<td>");
		html_elem(b, "span", "badge drift", what);
		buf_adds(b, "</td><td>");
		if (it->secret)
			html_elem(b, "span", "badge secret", "secret");
		else
			page_value(b, it->expected);
		buf_adds(b, "</td><td>");
		if (!it->secret)
			page_value(b, it->reported);
		buf_adds(b, "</td></tr>\n");
	}
}

/* An override file against what deskprov serves: the settings it changes
 * (differs) and those deskprov does not set (local only). */
static void
drift(struct page *pg, const struct phone *ph, const struct upload_file *f,
    const char *data, size_t len)
{
	struct buf *b = &pg->rs->body;
	struct cmp_expected e;
	struct cmp_result res;
	struct report r;

	if (upload_params(f, data, len, &r) < 0) {
		html_elem(b, "p", "error", "Not a settings file deskprov can "
		    "read.");
		report_free(&r);
		return;
	}
	cmp_expected_init(&e);
	upload_expected(&e, pg->snap, ph, f);
	compare_run(&e, &r, &pg->snap->cmp, app_key(pg->app, pg->log), &res);
	if (res.mismatches.n + res.unexpected.n == 0)
		html_elem(b, "p", NULL, "No drift: every setting it holds is "
		    "what deskprov serves.");
	else {
		buf_printf(b, "<p><span class=\"badge drift\">drift</span> %zu "
		    "setting(s) changed on the phone, %zu deskprov does not "
		    "set.</p>\n", res.mismatches.n, res.unexpected.n);
		buf_adds(b, "<div class=\"scroll\"><table class=\"params\">\n"
		    "<thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">"
		    "</th><th scope=\"col\">deskprov serves</th><th scope="
		    "\"col\">The phone has</th></tr></thead>\n<tbody>\n");
		drift_rows(b, &res.mismatches, "differs");
		drift_rows(b, &res.unexpected, "local only");
		buf_adds(b, "</tbody></table></div>\n");
	}
	cmp_result_free(&res);
	cmp_expected_free(&e);
	report_free(&r);
}

static void
entry(struct page *pg, const struct phone *ph, const struct upload_entry *e,
    int newest)
{
	struct buf *b = &pg->rs->body;
	char *data;
	size_t len;

	buf_adds(b, "<li><code>");
	html_text(b, ph->mac);
	html_text(b, e->file->suffix);
	buf_adds(b, "</code> ");
	page_time(b, NULL, (double)e->when);
	buf_printf(b, " <span class=\"muted\">%zu bytes</span>\n", e->size);
	if (!newest) {
		buf_adds(b, "</li>\n");
		return;
	}
	if (upload_read(pg->app->data_dir, ph->mac, e, &data, &len) < 0) {
		html_elem(b, "p", "error", "It cannot be read.");
	} else {
		if (e->file->kind == UPLOAD_OVERRIDE)
			drift(pg, ph, e->file, data, len);
		preview(b, data, len);
		free(data);
	}
	buf_adds(b, "</li>\n");
}

void
page_uploads(struct page *pg, const struct phone *ph)
{
	struct upload_entry list[UPLOAD_VERSIONS_MAX];
	struct buf *b = &pg->rs->body;
	char err[256];
	size_t n;

	html_elem(b, "h2", NULL, "Uploads");
	if (ph->mac[0] == '\0' || ph->pack == NULL) {
		html_elem(b, "p", "muted", "Only Polycom and Yealink devices "
		    "upload logs and local settings.");
		return;
	}
	if (upload_list(pg->app->data_dir, ph->mac, list, UPLOAD_VERSIONS_MAX,
	    &n, err, sizeof(err)) < 0) {
		logline_str(pg->log, "uploads_error", err);
		html_elem(b, "p", "error", "Its uploads cannot be read; the "
		    "server log says why.");
		return;
	}
	if (n == 0) {
		html_elem(b, "p", "muted", "It has uploaded nothing.");
		return;
	}
	buf_adds(b, "<ul class=\"uploads\">\n");
	for (size_t i = 0; i < n; i++)
		entry(pg, ph, &list[i], i == 0 || list[i - 1].file !=
		    list[i].file);
	buf_adds(b, "</ul>\n");
}
