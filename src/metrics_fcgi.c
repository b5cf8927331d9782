/* metrics.fcgi: /metrics for Prometheus and /status for people. */
#include "app_metrics.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "metrics");
	rc = serve_main(&app, app_metrics_handle);
	app_free(&app);
	return rc;
}
