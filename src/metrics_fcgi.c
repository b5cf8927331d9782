/* metrics.fcgi: /metrics for Prometheus and /status for people. */
#include "instrument.h"
#include "monitor.h"
#include "serve.h"

static void
handle(void *app, const struct request *rq, struct response *rs,
    struct logline *log)
{
	monitor_handle(app, rq, rs, log);
}

int
main(void)
{
	struct monitor_app app;
	int rc;

	app.metrics = instrument_open("metrics");
	config_state_init_server(&app.cs, "metrics");
	config_state_attach_metrics(&app.cs, app.metrics);
	rc = serve_main("metrics", handle, &app, app.metrics);
	config_state_free(&app.cs);
	metrics_close(app.metrics);
	return rc;
}
