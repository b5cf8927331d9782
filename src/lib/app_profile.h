/* profile.fcgi's request handling: which phone, may it have its profile,
 * which document (profile or firmware upgrade), and conditional GET. */
#ifndef DESKPROV_APP_PROFILE_H
#define DESKPROV_APP_PROFILE_H

#include "app.h"
#include "http.h"

/* Answers one request into rs and adds the request's details to the log
 * line (which the caller starts and ends). */
void	app_profile_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

/* GET /health: the configuration state as JSON; 503 when no
 * configuration could ever be loaded.  The route is open to anyone, so a
 * failed load is named by file and line only; the message itself goes to
 * users the web server authenticated and auth.users knows (and the log). */
void	app_profile_health(struct config_state *, const struct request *,
	    struct response *);

#endif
