/* profile.fcgi: phones fetch their configuration here. */
#include "profile.h"
#include "reload.h"
#include "serve.h"

static void
handle(void *app, const struct request *rq, struct response *rs,
    struct logline *log)
{
	profile_handle(app, rq, rs, log);
}

int
main(void)
{
	struct config_state cs;
	int rc;

	config_state_init(&cs, "profile");
	rc = serve_main("profile", handle, &cs);
	config_state_free(&cs);
	return rc;
}
