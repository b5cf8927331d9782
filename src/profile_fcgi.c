/* profile.fcgi: phones fetch their configuration here. */
#include "instrument.h"
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
	struct metrics *m = instrument_open("profile");
	int rc;

	config_state_init_server(&cs, "profile");
	config_state_attach_metrics(&cs, m);
	rc = serve_main("profile", handle, &cs, m);
	config_state_free(&cs);
	metrics_close(m);
	return rc;
}
