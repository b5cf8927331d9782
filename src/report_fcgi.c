/* report.fcgi: phones upload the configuration they run here. */
#include "instrument.h"
#include "reportapi.h"
#include "serve.h"

static void
handle(void *app, const struct request *rq, struct response *rs,
    struct logline *log)
{
	report_handle(app, rq, rs, log);
}

int
main(void)
{
	struct report_app app;
	struct metrics *m = instrument_open("report");
	int rc;

	report_app_init(&app, "report", m);
	config_state_attach_metrics(&app.cs, m);
	rc = serve_main("report", handle, &app, m);
	report_app_free(&app);
	metrics_close(m);
	return rc;
}
