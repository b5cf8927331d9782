/* compare.fcgi: the admin pages (pages.h lists them). */
#include "pages.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "compare");
	rc = serve_main(&app, pages_handle);
	app_free(&app);
	return rc;
}
