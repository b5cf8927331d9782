/* The redirect-service state on the admin pages: a line on the phone's
 * page and a column of the fleet table (rps_state.h has what is kept).
 * The fleet table has the column only once DATA/rps/ exists, so that a
 * deskprov that never used a redirect service shows what it always did
 * and reads no file per phone for it. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "page.h"
#include "page_rps.h"
#include "rps_state.h"

int
page_rps_enabled(const struct page *pg)
{
	char path[APP_PATH_MAX + 8];
	struct stat st;

	snprintf(path, sizeof(path), "%s/rps", pg->app->data_dir);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A badge for the last operation: ok, failed (the vendor's words in the
 * title), or a dash when nothing was ever sent. */
static void
state_badge(struct buf *b, const struct page *pg, const struct phone *ph)
{
	int p = ph->pack != NULL ? rps_provider_of_pack(ph->pack->name) : -1;
	struct rps_state st;

	if (p < 0 || ph->mac[0] == '\0' ||
	    rps_state_load(pg->app->data_dir, p, ph->mac, &st) != 1) {
		html_elem(b, "span", "muted", "\xe2\x80\x94");	/* em dash */
		return;
	}
	buf_adds(b, "<span class=\"badge ");
	buf_adds(b, strcmp(st.outcome, "ok") == 0 ? "ok\"" : "drift\"");
	html_attr(b, "title", st.message);
	buf_adds(b, ">");
	html_text(b, rps_provider_name(p));
	buf_adds(b, " ");
	html_text(b, st.op);
	buf_adds(b, ": ");
	html_text(b, st.outcome);
	buf_adds(b, "</span>");
}

void
page_rps_phone(struct buf *b, const struct page *pg, const struct phone *ph)
{
	int p = ph->pack != NULL ? rps_provider_of_pack(ph->pack->name) : -1;
	struct rps_state st;

	if (p < 0) {
		html_elem(b, "span", "muted", "its vendor has none");
		return;
	}
	if (ph->mac[0] == '\0' ||
	    rps_state_load(pg->app->data_dir, p, ph->mac, &st) != 1) {
		html_elem(b, "span", "muted", "never registered");
		return;
	}
	state_badge(b, pg, ph);
	if (st.url[0] != '\0') {
		buf_adds(b, " ");
		html_elem(b, "code", NULL, st.url);
	}
	buf_adds(b, " ");
	page_time(b, NULL, (double)st.when);
	if (st.message[0] != '\0') {
		buf_adds(b, " ");
		html_elem(b, "span", "muted", st.message);
	}
}

void
page_rps_fleet_head(struct buf *b)
{
	buf_adds(b, "<th scope=\"col\">Redirect service</th>");
}

void
page_rps_fleet_cell(struct buf *b, const struct page *pg,
    const struct phone *ph)
{
	buf_adds(b, "<td>");
	state_badge(b, pg, ph);
	buf_adds(b, "</td>");
}
