/* api.fcgi: the management API, /api/v1 (docs/api.md). */
#include "app_api.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "api");
	rc = serve_main(&app, app_api_handle);
	app_free(&app);
	return rc;
}
