#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "spool.h"
#include "instrument.h"
#include "summary.h"
#include "tz.h"

/* Every variable deskprov reads, in one block; an empty value counts as
 * unset.  A field the caller set (a command-line flag) wins. */
void
app_options_from_env(struct app_options *o)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} vars[] = {
		{ "DESKPROV_ETC", offsetof(struct app_options, etc) },
		{ "DESKPROV_SCHEMA_DIR", offsetof(struct app_options,
		    schema_dir) },
		{ "DESKPROV_DATA", offsetof(struct app_options, data_dir) },
		{ "DESKPROV_ZONEINFO", offsetof(struct app_options, zoneinfo) },
		{ "DESKPROV_SNAPSHOT", offsetof(struct app_options, snapshot) },
	};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char **field = (const char **)(void *)((char *)o +
		    vars[i].off);
		const char *v = getenv(vars[i].name);

		if (*field == NULL && v != NULL && v[0] != '\0')
			*field = v;
	}
	for (size_t i = 0; i < RPS_ENV_COUNT; i++) {
		const char *v = getenv(rps_env_names[i]);

		if (o->rps_env[i] == NULL && v != NULL && v[0] != '\0')
			o->rps_env[i] = v;
	}
}

/* Where a process looks for what neither a flag nor the environment
 * names.  A build in a checkout uses the checkout's directories, relative
 * to where it runs (make run, make check, the README's examples); the
 * build `make install` installs has the system's compiled in (the Makefile
 * passes them), so that an installed deskprov finds /etc/deskprov and
 * never a checkout's files, and a checkout never an installed schema. */
#ifndef DESKPROV_ETC_DEFAULT
#define DESKPROV_ETC_DEFAULT	"./etc"
#endif
#ifndef DESKPROV_DATA_DEFAULT
#define DESKPROV_DATA_DEFAULT	"./reports"
#endif
#ifndef DESKPROV_SCHEMA_DEFAULT
#define DESKPROV_SCHEMA_DEFAULT	"./schema"
#endif

static void
copy_dir(char dst[APP_PATH_MAX], const char *value, const char *fallback)
{
	snprintf(dst, APP_PATH_MAX, "%s", value != NULL ? value : fallback);
}

void
app_init_dirs(struct app *app, const char *prog, const struct app_options *o)
{
	memset(app, 0, sizeof(*app));
	app->prog = prog;
	app->server = o->server;
	memcpy(app->rps_env, o->rps_env, sizeof(app->rps_env));
	copy_dir(app->etc, o->etc, DESKPROV_ETC_DEFAULT);
	copy_dir(app->schema_dir, o->schema_dir, DESKPROV_SCHEMA_DEFAULT);
	copy_dir(app->data_dir, o->data_dir, DESKPROV_DATA_DEFAULT);
	copy_dir(app->snapshot, o->snapshot, "");
}

void
app_init(struct app *app, const char *prog, const struct app_options *o)
{
	app_init_dirs(app, prog, o);
	/* Time zones are read while the snapshot loads: set before it. */
	tz_set_zoneinfo_dir(o->zoneinfo);
	if (app->server) {
		app->metrics = instrument_open(app->data_dir, prog);
		app->abuse = abuse_open(app->data_dir, prog);
	}
	/* A server shares one compiled snapshot with every other process;
	 * the tool loads the files it is pointed at. */
	if (app->server)
		config_state_init_shared(&app->cs, prog, app->etc,
		    app->schema_dir, app->data_dir, app->snapshot[0] ?
		    app->snapshot : NULL);
	else
		config_state_init(&app->cs, prog, app->etc, app->schema_dir,
		    NULL);
	config_state_attach_metrics(&app->cs, app->metrics);
}

void
app_init_server(struct app *app, const char *prog)
{
	struct app_options o = { .server = 1 };

	app_options_from_env(&o);
	app_init(app, prog, &o);
}

void
app_after_request(struct app *app)
{
	config_state_after_request(&app->cs);
}

void
app_free(struct app *app)
{
	config_state_free(&app->cs);
	metrics_close(app->metrics);
	app->metrics = NULL;
	abuse_close(app->abuse);
	app->abuse = NULL;
	summary_close(app->summary);
	app->summary = NULL;
	spool_close(app->spool);
	app->spool = NULL;
	secret_key_wipe(&app->key);
	app->have_key = 0;
	if (app->rps != NULL)
		rps_conf_free(app->rps);
	free(app->rps);
	app->rps = NULL;
}

const struct secret_key *
app_key(struct app *app, struct logline *log)
{
	char err[256];
	int rc;

	if (app->have_key)
		return &app->key;
	rc = secret_key_load(app->data_dir, &app->key, app->server, err,
	    sizeof(err));
	if (rc < 0 && log != NULL)
		logline_str(log, "key_error", err);
	if (rc != 0)
		return NULL;
	app->have_key = 1;
	return &app->key;
}
