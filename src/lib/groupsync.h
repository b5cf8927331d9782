/* Group commit: one syncfs(2) makes the writes of every waiting process
 * durable at once, instead of two fsyncs per stored report.
 *
 * A writer makes its files complete under their final names without any
 * fsync, then calls groupsync_wait(), which returns once a syncfs() that
 * started after those writes has returned.  The processes sharing a data
 * directory meet in one small shared file there (GROUPSYNC_FILE, mapped
 * read-write): a ticket counter and the highest ticket known durable.
 *
 *   ticket = ++shared.ticket            my writes are complete before this
 *   until shared.synced >= ticket:
 *       take the file's flock            one leader at a time
 *       if shared.synced >= ticket: done (a leader covered me meanwhile)
 *       target = shared.ticket           every ticket handed out so far
 *       syncfs()                         covers each of their writes
 *       shared.synced = target
 *
 * Every ticket up to `target` was taken after its writer's write(2) and
 * link(2) returned, so the syncfs() the leader starts afterwards covers
 * them.  While one leader syncs, the others queue on the lock and find
 * themselves covered by the next sync: with N writers waiting, one sync
 * serves N reports.  A leader killed mid-sync leaves the lock (flock is
 * released with the process) and `synced` unchanged; the next waiter
 * syncs again.  The counters live only as long as the boot: the file
 * carries the boot id (/proc/sys/kernel/random/boot_id) and is reset when
 * it names another boot, so a stale `synced` can never release a ticket.
 * docs/ingest.md has the whole argument. */
#ifndef DESKPROV_GROUPSYNC_H
#define DESKPROV_GROUPSYNC_H

#include <stdint.h>

#define GROUPSYNC_FILE		"ingest.shm"
#define GROUPSYNC_MSG_MAX	256

struct groupsync_shared;

/* One process's handle on the shared file. */
struct groupsync {
	int				 fd;
	struct groupsync_shared		*sh;
};

/* Opens (creating when needed) dir/GROUPSYNC_FILE and maps it.  0, or -1
 * with msg (GROUPSYNC_MSG_MAX) saying why. */
int	groupsync_open(struct groupsync *, const char *dir, char *msg);
void	groupsync_close(struct groupsync *);

/* Returns when everything this process wrote to the file system before
 * the call is on disk: 0, or -errno of a failed syncfs() (the writes may
 * then not be durable; the caller must not acknowledge them). */
int	groupsync_wait(struct groupsync *);

/* syncfs() calls made through this file since the boot, and tickets
 * handed out: reports per sync is their ratio (bench, tests). */
uint64_t	groupsync_syncs(const struct groupsync *);
uint64_t	groupsync_tickets(const struct groupsync *);

#endif
