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
#ifndef DESKPROV_PAGES_H
#define DESKPROV_PAGES_H

#include "http.h"
#include "log.h"
#include "metrics.h"
#include "reload.h"
#include "secret.h"

struct pages_app {
	struct config_state	 cs;
	struct metrics		*metrics;	/* NULL: no fetch times */
	char			 data_dir[2048]; /* $DESKPROV_DATA */
	struct secret_key	 key;
	int			 have_key;	/* loaded on first need */
};

/* Reads DESKPROV_DATA (default ./reports) into app->data_dir and zeroes
 * the rest; the caller sets up cs and metrics. */
void	pages_app_init(struct pages_app *);
/* Wipes the key; cs and metrics stay the caller's. */
void	pages_app_free(struct pages_app *);

/* Answers one request into rs and adds its details to the log line. */
void	pages_handle(struct pages_app *, const struct request *,
	    struct response *, struct logline *);

#endif
