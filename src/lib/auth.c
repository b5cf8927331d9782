#include <string.h>

#include "auth.h"

enum role
auth_role(const struct snapshot *s, const char *user)
{
	if (!s->svc.auth_enabled)
		return ROLE_ADMIN;
	if (user == NULL || *user == '\0')
		return ROLE_NONE;
	for (size_t i = 0; i < s->svc.n_users; i++) {
		const struct web_user *u = &s->svc.users[i];
		if (strcmp(u->username, user) != 0)
			continue;
		return strcmp(u->role, "admin") == 0 ? ROLE_ADMIN :
		    strcmp(u->role, "api") == 0 ? ROLE_API :
		    strcmp(u->role, "monitor") == 0 ? ROLE_MONITOR : ROLE_NONE;
	}
	return ROLE_NONE;
}

int
auth_require(const struct snapshot *s, const struct request *rq,
    enum role need, struct response *rs)
{
	enum role have = auth_role(s, rq->remote_user);

	if (have >= need)
		return 0;
	if (rq->remote_user == NULL || *rq->remote_user == '\0') {
		response_error(rs, 401, "no_user",
		    "authentication required");
		response_header(rs, "WWW-Authenticate",
		    "Basic realm=\"deskprov\", charset=\"UTF-8\"");
		return -1;
	}
	response_error(rs, 403, "forbidden_role", have == ROLE_NONE ?
	    "this user has no deskprov role" : "this page needs the admin role");
	return -1;
}
