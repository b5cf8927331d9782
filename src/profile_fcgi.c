/* profile.fcgi: phones fetch their configuration here. */
#include "app_profile.h"
#include "serve.h"

int
main(void)
{
	struct app app;
	int rc;

	app_init_server(&app, "profile");
	rc = serve_main(&app, app_profile_handle);
	app_free(&app);
	return rc;
}
