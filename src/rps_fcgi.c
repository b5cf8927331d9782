/* rps.fcgi: Falconieri's API to the vendors' redirect services
 * (PUT/DELETE/GET /providers/{provider}/{mac}). */
#include "app_rps.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "rps");
	rc = serve_main(&app, app_rps_handle);
	app_free(&app);
	return rc;
}
