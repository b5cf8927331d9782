/* api.fcgi: the management API under /api/v1 (docs/api.md, the OpenAPI
 * document schema/openapi.json), for users with the api or admin role. */
#ifndef DESKPROV_APP_API_H
#define DESKPROV_APP_API_H

#include "app.h"
#include "http.h"
#include "log.h"

/* A larger body gets 413 before any of it is read. */
#define API_BODY_MAX	(64 * 1024)
#define API_PREFIX	"/api/v1"

void	app_api_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

#endif
