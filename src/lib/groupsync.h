/* Group commit: the report.fcgi processes of one data directory make
 * their new report files durable together, one process (the leader)
 * fsyncing every waiting file and its directory at once, instead of each
 * process paying a file fsync and a directory fsync, one after the other,
 * for each report.  On a journalling file system the fsyncs of one batch
 * land in one journal commit.
 *
 * A writer makes its file complete under its final name without any
 * fsync, then calls groupsync_wait() with that name.  The processes meet in
 * a small shared file in the data directory (GROUPSYNC_FILE, mapped
 * read-write): a table of pending names with their tickets, a ticket
 * counter, and the highest ticket known durable (`synced`).  Two locks on
 * it (open-file-description locks, released when a process dies): the
 * table lock, held only to add or take names, and the leader lock, held
 * while fsyncing.
 *
 *   under the table lock: put my name in a free slot, ticket = ++counter
 *   until synced >= ticket:
 *       take the leader lock
 *       unless synced >= ticket meanwhile:
 *           under the table lock: target = counter, copy the pending names
 *           fsync each file, then each directory holding one
 *           under the table lock: free those slots, synced = target
 *
 * Every ticket up to `target` was handed out together with its name, so
 * the copy holds every one of them; `synced` moves only after all of
 * their fsyncs returned.  While one leader fsyncs, the others add their
 * names and queue on the leader lock; the next leader takes them all.  A
 * leader killed mid-batch leaves the slots and `synced` as they were: the
 * next one fsyncs them again.  A name the leader cannot fsync is marked
 * failed; its writer is told (-EIO), the others are not held back.  When
 * the table is full a writer fsyncs its own file and directory.  The
 * counters live only as long as the boot: the file carries the boot id
 * and is reset when it names another boot.  docs/ingest.md has the
 * argument and the figures. */
#ifndef DESKPROV_GROUPSYNC_H
#define DESKPROV_GROUPSYNC_H

#include <stdint.h>

#define GROUPSYNC_FILE		"ingest.shm"
#define GROUPSYNC_MSG_MAX	256
#define GROUPSYNC_SLOTS		128	/* names waiting at once */
#define GROUPSYNC_NAME_MAX	104	/* "<mac>/<id>.json", NUL included */

struct groupsync_shared;

/* One process's handle on the shared file. */
struct groupsync {
	int				 fd;	/* the shared file */
	int				 dfd;	/* the data directory */
	struct groupsync_shared		*sh;
};

/* Opens (creating when needed) dir/GROUPSYNC_FILE and maps it.  0, or -1
 * with msg (GROUPSYNC_MSG_MAX) saying why. */
int	groupsync_open(struct groupsync *, const char *dir, char *msg);
void	groupsync_close(struct groupsync *);

/* Returns when the file `name` (relative to the data directory, complete
 * and under its final name) and its directory entry are on disk: 0, or
 * -errno when they could not be made durable (the caller must not
 * acknowledge the file). */
int	groupsync_wait(struct groupsync *, const char *name);

/* Batches (leaders' rounds of fsyncs) since the boot, and tickets handed
 * out: reports per batch is their ratio (bench, tests). */
uint64_t	groupsync_batches(const struct groupsync *);
uint64_t	groupsync_tickets(const struct groupsync *);

#endif
