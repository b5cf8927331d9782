/* The redirect-service state on the admin pages (page_rps.c). */
#ifndef DESKPROV_PAGE_RPS_H
#define DESKPROV_PAGE_RPS_H

#include "buf.h"
#include "config.h"

struct page;

/* True once DATA/rps/ exists: the fleet table then has the column. */
int	page_rps_enabled(const struct page *);
/* The phone page's "Redirect service" value: provider, operation,
 * outcome, URL, when, the vendor's message. */
void	page_rps_phone(struct buf *, const struct page *, const struct phone *);
/* The fleet table's header cell and one phone's cell. */
void	page_rps_fleet_head(struct buf *);
void	page_rps_fleet_cell(struct buf *, const struct page *,
	    const struct phone *);

#endif
