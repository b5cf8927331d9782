/* Keeps the current configuration snapshot of a long-running process and
 * replaces it when a file changes.  A failed reload keeps the last good
 * snapshot serving and remembers why. */
#ifndef DESKPROV_CONFIG_STATE_H
#define DESKPROV_CONFIG_STATE_H

#include <sys/stat.h>
#include <time.h>

#include "config.h"
#include "metrics.h"

struct file_sig {
	int		exists;
	dev_t		dev;
	ino_t		ino;
	off_t		size;
	struct timespec	mtime;
};

/* One signature per config file, and one for all packs and templates. */
#define SIG_COUNT	(CF_COUNT + 1)

struct config_state {
	const char	*prog;
	char		 etc[2048];
	char		 schema_dir[2048];
	struct snapshot	*snap;		/* last good, NULL before the first */
	struct file_sig	 good[SIG_COUNT];	/* files behind snap */
	struct file_sig	 bad[SIG_COUNT];		/* files that failed last */
	int		 have_bad;
	/* The last failure ("" and cleared after a success): where and
	 * what, and its full form (diag_format()) for the log, the command
	 * line and authenticated pages.  Unauthenticated pages show only
	 * diag_format_public() of it. */
	struct diag	 failure;
	char		 error[DIAG_TEXT_MAX];
	time_t		 last_attempt;
	time_t		 last_good;
	double		 next_check;	/* monotonic seconds */
	unsigned long	 reloads_ok, reloads_failed;
	struct metrics	*metrics;	/* borrowed; NULL: not counted */
	char		 data_dir[2048];	/* last-good copy; "": none */
};

/* Loads the first snapshot of etc (schema.yml from etc, else from
 * schema_dir).  With a data_dir, the processes share the last good
 * configuration through it (see config_lastgood.h), also when the files are
 * broken at start-up; NULL keeps none (tests, the command-line tool).
 * Never fails: without a good config, config_state_get() returns NULL and
 * says why.  struct app (app.h) is what decides the directories. */
void	config_state_init(struct config_state *, const char *prog,
	    const char *etc, const char *schema_dir, const char *data_dir);
/* config_state_init() without a data directory. */
void	config_state_init_dirs(struct config_state *, const char *prog,
	    const char *etc, const char *schema_dir);
/* The snapshot to use for this request (borrowed until the next call). */
const struct snapshot	*config_state_get(struct config_state *);
/* Checks the files now, whatever the throttle says. */
const struct snapshot	*config_state_refresh(struct config_state *);
void	config_state_free(struct config_state *);
/* Counts this and every later load in `m` (borrowed). */
void	config_state_attach_metrics(struct config_state *, struct metrics *);

/* Seconds between two looks at the files' mtimes. */
#define RELOAD_CHECK_INTERVAL	1.0

#endif
