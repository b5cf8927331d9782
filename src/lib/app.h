/* The process context: everything one deskprov process knows before its
 * first request, built once by app_init() and passed to every handler.
 * The FastCGI programs fill it from the environment, the command-line
 * tool from its flags (with the environment for what a flag leaves out),
 * and both then run the same code over it.  This is the only place a
 * DESKPROV_* variable is read (as cgit's prepare_context() reads every
 * variable in one block). */
#ifndef DESKPROV_APP_H
#define DESKPROV_APP_H

#include "abuse.h"
#include "log.h"
#include "metrics.h"
#include "config_state.h"
#include "secret.h"
#include "rps.h"

struct spool;

struct summary;

#define APP_PATH_MAX	2048

/* Where a process finds its files; NULL fields are filled in by
 * app_options_from_env() and then by the defaults: the checkout's below,
 * or in the build `make install` installs, $(sysconfdir)/deskprov,
 * $(datadir)/deskprov/schema and $(localstatedir)/lib/deskprov. */
struct app_options {
	const char	*etc;		/* DESKPROV_ETC, else ./etc */
	const char	*schema_dir;	/* DESKPROV_SCHEMA_DIR, else ./schema */
	const char	*data_dir;	/* DESKPROV_DATA, else ./reports */
	const char	*zoneinfo;	/* DESKPROV_ZONEINFO, else the system's */
	/* DESKPROV_SNAPSHOT: a compiled image (`deskprov compile -o`) a
	 * server serves as it is instead of compiling etc; NULL: none. */
	const char	*snapshot;
	/* A long-running FastCGI process: shares the last good config
	 * through data_dir, opens the shared metrics, may create the
	 * secret key.  The command-line tool is none of these. */
	int		 server;
	/* The redirect services' credentials and endpoints, by Falconieri's
	 * variable names (rps_env_names[]): they override etc/rps.yml. */
	const char	*rps_env[RPS_ENV_COUNT];
};

struct app {
	const char		*prog;		/* "profile", "render", ... */
	char			 etc[APP_PATH_MAX];
	char			 schema_dir[APP_PATH_MAX];
	char			 data_dir[APP_PATH_MAX];
	char			 snapshot[APP_PATH_MAX];	/* "": none */
	int			 server;
	struct config_state	 cs;
	struct metrics		*metrics;	/* owned; NULL: metrics off */
	struct abuse		*abuse;		/* owned; NULL: no defence */
	struct secret_key	 key;		/* valid when have_key */
	int			 have_key;
	const char		*rps_env[RPS_ENV_COUNT];	/* environ */
	struct rps_conf		*rps;	/* owned; app_rps_conf() loads it */
	struct summary		*summary;	/* owned; summary_of_app() */
	struct spool		*spool;		/* owned; report.fcgi's spool,
						 * opened on first need */
	pid_t			 drainer;	/* the spool drainer this
						 * process started, or 0 */
};

/* Fills every NULL field of o from the environment. */
void	app_options_from_env(struct app_options *o);

/* Builds the context: directories (defaults for what o leaves NULL), the
 * first configuration load, and for a server the metrics store and the
 * abuse table.  Never
 * fails: without a good config, app->cs says why.  Free with app_free(). */
void	app_init(struct app *, const char *prog, const struct app_options *o);
/* Only the directories of app_init(), for a command that loads nothing
 * (deskprov compile); app_free() is not needed. */
void	app_init_dirs(struct app *, const char *prog,
	    const struct app_options *o);
/* app_init() for a FastCGI program: everything from the environment. */
void	app_init_server(struct app *, const char *prog);
/* After each answer is sent: the work the configuration put off so that
 * no request waits for it (config_state_after_request()). */
void	app_after_request(struct app *);
/* Releases the snapshot, closes the metrics and the abuse table and
 * wipes the key. */
void	app_free(struct app *);

/* The report key, loaded on first need (borrowed until app_free).  A
 * server creates it; the tool only reads an existing one, for a key made
 * by root could no longer be read by the web server.  NULL when it cannot
 * be had, with the reason in the log line (log may be NULL); the next call
 * tries again, so a data directory that appears later still works. */
const struct secret_key	*app_key(struct app *, struct logline *log);

#endif
