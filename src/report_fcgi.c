/* report.fcgi: phones upload the configuration they run here. */
#include "app_report.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "report");
	rc = serve_main(&app, app_report_handle);
	app_free(&app);
	return rc;
}
