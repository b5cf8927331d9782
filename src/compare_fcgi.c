/* compare.fcgi: the admin pages (app_pages.h lists them). */
#include "app_pages.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "compare");
	rc = serve_main(&app, app_pages_handle);
	app_free(&app);
	return rc;
}
