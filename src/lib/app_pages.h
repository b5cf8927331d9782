/* compare.fcgi: the admin pages.
 *
 *   GET /                          fleet overview          admin, monitor
 *   GET /reports?page=N            reports, newest first   admin
 *   GET /report-detail/<id>        one report              admin
 *   GET /compare/<phone>           expected vs reported    admin
 *   GET /export-unexpected/<phone> YAML for common.yml     admin
 *   GET /export-unexpected/?scope=fleet
 *
 * One route table maps a path to its page module (page_*.c), the role it
 * needs and the query keys it accepts; an unknown or repeated key is a 400.
 * Each page returns an HTTP status, and every status other than 200 is
 * rendered by one error page.  <phone> is a MAC in any spelling or a
 * phone's name from phones.yml. */
#ifndef DESKPROV_APP_PAGES_H
#define DESKPROV_APP_PAGES_H

#include "app.h"
#include "http.h"

/* Answers one request into rs and adds its details to the log line. */
void	app_pages_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

#endif
