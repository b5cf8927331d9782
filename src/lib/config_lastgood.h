/* The last good configuration, shared by every process through the data
 * directory.
 *
 * Each process reloads only when it next answers a request.  Without a
 * shared copy, a process that was idle while a good edit was on disk would
 * meet the next, broken edit still holding an older configuration, and
 * phones would get different profiles from different processes.  So the
 * first process that loads a configuration keeps a copy of its files in
 * $DESKPROV_DATA/config-last-good/, and a process whose reload fails (or
 * that starts while the files are broken) serves that copy.  The copy holds
 * the passwords the config holds: owner-only permissions. */
#ifndef DESKPROV_CONFIG_LASTGOOD_H
#define DESKPROV_CONFIG_LASTGOOD_H

#include <time.h>

#include "config.h"

/* Keeps the files `s` was loaded from (etc, schema_dir) as the last good
 * configuration unless they are already the ones kept.  The files are read
 * again and kept only when their bytes are still those of `s`.  0, or -1
 * after one log line (the data directory is not writable, the disk is
 * full, ...). */
int	config_lastgood_save(const char *data_dir, const char *etc,
	    const char *schema_dir, const struct snapshot *s,
	    const char *prog);

/* Loads the kept configuration when it was kept for `etc`, differs from
 * `current` (which may be NULL) and is not older than it.  NULL otherwise,
 * or when the copy does not load (err says why). */
struct snapshot	*config_lastgood_load(const char *data_dir, const char *etc,
		    const struct snapshot *current, struct diag *err);

#endif
