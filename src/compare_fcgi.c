/* compare.fcgi: the admin pages (pages.h lists them). */
#include "instrument.h"
#include "pages.h"
#include "serve.h"

static void
handle(void *app, const struct request *rq, struct response *rs,
    struct logline *log)
{
	pages_handle(app, rq, rs, log);
}

int
main(void)
{
	struct pages_app app;
	int rc;

	pages_app_init(&app);
	app.metrics = instrument_open("compare");
	config_state_init_server(&app.cs, "compare");
	config_state_attach_metrics(&app.cs, app.metrics);
	rc = serve_main("compare", handle, &app, app.metrics);
	config_state_free(&app.cs);
	metrics_close(app.metrics);
	pages_app_free(&app);
	return rc;
}
