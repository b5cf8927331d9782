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
	/* Packs and templates are many files: their signature is taken
	 * again at most every RELOAD_EXTRA_INTERVAL, the config files'
	 * at every look.  An explicit refresh takes both. */
	uint64_t	 extra_sig;
	double		 extra_next;	/* monotonic seconds */
	unsigned long	 reloads_ok, reloads_failed;
	struct metrics	*metrics;	/* borrowed; NULL: not counted */
	char		 data_dir[2048];	/* last-good copy; "": none */

	/* Shared mode (config_state_init_shared): the snapshot is the image
	 * data_dir/snapshot/current (snapfile.h), compiled by one process
	 * per change under data_dir/snapshot/lock and mapped by all; or a
	 * shipped image, served as it is and never compiled. */
	int		 shared;
	int		 shipped;
	char		 snap_dir[2048];
	char		 snap_path[2100];
	dev_t		 image_dev;	/* of the image cs->snap maps */
	ino_t		 image_ino;
	pid_t		 compiler;	/* our compiling child, or 0 */
	/* A change to a fleet of fewer phones than this is compiled (or
	 * waited for) before the request is answered, as a private reload
	 * was; a larger one is compiled in a child while the old snapshot
	 * serves.  By size, not by the last compile's time, which a busy
	 * machine stretches.  RELOAD_COMPILE_WAIT; tests set 0. */
	size_t		 compile_wait;
	unsigned long	 compiles;	/* compiles this process ran */

	/* What a refresh leaves for after the answer is sent
	 * (config_state_after_request()), so that no request waits for it:
	 * starting a compile (a fork), and releasing the snapshot a swap
	 * replaced.  A refresh that finds a compile still due starts it
	 * itself, for a loop that never calls after_request. */
	int		 compile_due;
	uint64_t	 due_sig;
	struct file_sig	 due[SIG_COUNT];
	struct snapshot	*old;		/* replaced; freed after the answer */
	/* data_dir/snapshot/gen, mapped read-only: a counter every compile
	 * bumps when it ends (image renamed into place, or failure noted).
	 * A process that sees it move refreshes on that request instead of
	 * at its next look at the files.  NULL: not available. */
	const uint64_t	*gen;
	uint64_t	 gen_seen;
	/* The mapped image's file, open with LOCK_SH so that a sweep knows
	 * whether a retired image is still mapped somewhere; -1: none. */
	int		 image_fd;
	int		 old_fd;	/* the replaced image's, with `old` */
	pid_t		 sweeper;	/* our child removing retired images */
};

/* Loads the first snapshot of etc (schema.yml from etc, else from
 * schema_dir).  With a data_dir, the processes share the last good
 * configuration through it (see config_lastgood.h), also when the files are
 * broken at start-up; NULL keeps none (tests, the command-line tool).
 * Never fails: without a good config, config_state_get() returns NULL and
 * says why.  struct app (app.h) is what decides the directories. */
void	config_state_init(struct config_state *, const char *prog,
	    const char *etc, const char *schema_dir, const char *data_dir);
/* The same in shared mode: every process of every program maps one
 * compiled image of the files in data_dir/snapshot/ and switches to a new
 * one with a pointer swap; the first process to see a change compiles it
 * (in a child, while it serves the old one) and the others wait for the
 * file.  With `shipped` (a path; NULL: none), that image is served as it
 * is, whatever etc holds.  Without a usable data directory, or when the
 * image's address is taken in this process, it loads privately like
 * config_state_init(). */
void	config_state_init_shared(struct config_state *, const char *prog,
	    const char *etc, const char *schema_dir, const char *data_dir,
	    const char *shipped);
/* The stat signature of the files snapshot_load() reads, as one hash:
 * what a compiled image records as its source_sig. */
uint64_t	config_state_sig(const char *etc, const char *schema_dir);

/* config_state_init() without a data directory. */
void	config_state_init_dirs(struct config_state *, const char *prog,
	    const char *etc, const char *schema_dir);
/* The snapshot to use for this request (borrowed until the next call). */
const struct snapshot	*config_state_get(struct config_state *);
/* Checks the files now, whatever the throttle says. */
const struct snapshot	*config_state_refresh(struct config_state *);
/* The next look (due or asked for) takes the signature of packs,
 * templates and devices.d too, whatever RELOAD_EXTRA_INTERVAL says: for a
 * process that has just written some of them, so that it serves its own
 * writes at its next look, not up to a second later. */
void	config_state_extra_changed(struct config_state *);
void	config_state_free(struct config_state *);
/* Counts this and every later load in `m` (borrowed). */
void	config_state_attach_metrics(struct config_state *, struct metrics *);
/* The work a refresh put off until the answer was sent: starts a due
 * compile (in a child) and releases a replaced snapshot.  The serving
 * loop calls it after each request (app_after_request()); a snapshot
 * returned before stays valid until then. */
void	config_state_after_request(struct config_state *);

/* Seconds between two looks at the config files' stat data (a stat(2)
 * of each, about a microsecond apiece): a change is served within about
 * this, plus its compile. */
#define RELOAD_CHECK_INTERVAL	0.1
/* The same for packs and templates, which take a walk of directories. */
#define RELOAD_EXTRA_INTERVAL	1.0
/* The same while a compile is under way and the compile counter
 * (snapshot/gen) cannot be mapped, so that the new image is taken soon
 * after it appears (a stat and a read of its header).  With the counter,
 * the compile's end is seen on the next request. */
#define RELOAD_PENDING_INTERVAL	0.02
#define RELOAD_COMPILE_WAIT	10000	/* phones: well under 1 s */

#endif
