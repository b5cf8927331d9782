/* Roles for the admin pages.  The web server authenticates (basic auth)
 * and passes REMOTE_USER; serviceconfig auth.users maps users to roles. */
#ifndef DESKPROV_AUTH_H
#define DESKPROV_AUTH_H

#include "config.h"
#include "http.h"

/* ROLE_API (the management API's callers) ranks below the page roles:
 * an API user sees no admin page; api.fcgi takes api or admin. */
enum role { ROLE_NONE, ROLE_API, ROLE_MONITOR, ROLE_ADMIN };

/* The role of REMOTE_USER, or ROLE_NONE.  With auth disabled everyone is
 * an admin: the web server alone guards the pages. */
enum role	auth_role(const struct snapshot *, const char *remote_user);

/* 0 when the request may see a page that needs `need`; otherwise -1 with
 * 401 (no user although auth is enabled: a web server that forgot to
 * authenticate must not expose the pages) or 403 in rs. */
int	auth_require(const struct snapshot *, const struct request *,
	    enum role need, struct response *);

#endif
