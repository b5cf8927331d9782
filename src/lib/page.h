/* What the page modules (page_*.c) share with the dispatcher (app_pages.c):
 * the request being answered and the helpers every page uses. */
#ifndef DESKPROV_PAGE_H
#define DESKPROV_PAGE_H

#include "auth.h"
#include "html.h"
#include "app_pages.h"
#include "phoneview.h"
#include "qs.h"
#include "store.h"

#define PAGE_QUERY_MAX	8	/* keys a route accepts */
#define PAGE_PER_PAGE	50	/* rows on one page of /reports */
#define PAGE_FLEET_EXPORT_MIN	2	/* reporting phones for a fleet export */
#define PAGE_FLEET_PER_PAGE	100	/* rows on one page of / */

/* One request; pointers borrowed for the request. */
struct page {
	struct app		*app;
	const struct snapshot	*snap;
	const struct request	*rq;
	struct response		*rs;
	struct logline		*log;
	struct store		 store;
	struct view_source	 src;
	enum role		 role;
	const char		*arg;	/* path after the route's prefix */
	const char		*query[PAGE_QUERY_MAX];	/* NULL: absent */
	const char		*msg;	/* for the error page */
	char			 msgbuf[STORE_MSG_MAX];
};

typedef int	(*page_fn)(struct page *);

int	page_fleet(struct page *);
/* The query keys of / (page_fleet.c), for the dispatcher. */
extern const struct qs_key	page_fleet_keys[];
int	page_reports(struct page *);
int	page_report_detail(struct page *);
int	page_compare(struct page *);
int	page_export(struct page *);
int	page_phone(struct page *);
/* POST /phone/<phone>: the Resync and Reboot buttons (page_phone.c);
 * 303 back to the page, which shows the outcome (its query keys). */
int	page_phone_post(struct page *);
extern const struct qs_key	page_phone_keys[];
/* The phone page's "Uploads" section (page_uploads.c). */
void	page_uploads(struct page *, const struct phone *);

/* Sets the error page's message and the log outcome; returns status. */
int	page_fail(struct page *, int status, const char *outcome,
	    const char *msg);
/* The same for a store error, with the store's message in the log and a
 * fixed sentence on the page. */
int	page_store_fail(struct page *, enum store_status);
/* Starts an HTML answer: head, header, <h1>. */
void	page_begin(struct page *, const char *title, enum html_nav);
/* Ends it; returns 200. */
int	page_end(struct page *, const char *outcome);

/* The configured phone an identifier names (MAC in any spelling, name,
 * serial): 0 with *ph set, or the status to return (400 for an
 * implausible identifier, 404 for an unknown one). */
int	page_find_phone(struct page *, const char *ident,
	    const struct phone **ph);

/* Appends a <time> element for a store timestamp, or for a Unix time when
 * ts is NULL (0 or less: "never"). */
void	page_time(struct buf *, const char *ts, double t);
/* Appends a MAC as 00:11:22:aa:bb:cc. */
void	page_mac(struct buf *, const char *mac);
/* A phone's name linked to its page (/phone/<name>) for admins, plain
 * text for monitors, who may not follow the link. */
void	page_phone_link(const struct page *, struct buf *,
	    const struct phone *);
/* A value on a page: its text, or an "empty" marker. */
void	page_value(struct buf *, const char *value);
/* The badge of a phone. */
void	page_badge(struct buf *, enum phone_badge);

#endif
