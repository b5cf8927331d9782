/* F_OFD_SETLKW (open-file-description locks) is Linux's; _GNU_SOURCE makes
 * <fcntl.h> declare it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "groupsync.h"

#define MAGIC		"dpgsync2"
#define FILE_SIZE	16384
#define BOOT_ID_LEN	36	/* a UUID in text */
#define LOCK_TABLE	0	/* the byte each lock covers */
#define LOCK_LEADER	1

struct slot {
	_Atomic uint64_t	ticket;		/* 0: free */
	_Atomic uint32_t	failed;		/* the leader could not sync it */
	uint32_t		pad;
	char			name[GROUPSYNC_NAME_MAX];
};

/* The shared file.  Counters are only compared within one boot. */
struct groupsync_shared {
	char			magic[8];
	char			boot_id[BOOT_ID_LEN + 4];
	_Atomic uint64_t	ticket;		/* handed out */
	_Atomic uint64_t	synced;		/* every ticket <= is settled */
	_Atomic uint64_t	batches;	/* leaders' rounds */
	struct slot		slots[GROUPSYNC_SLOTS];
};

_Static_assert(sizeof(struct groupsync_shared) <= FILE_SIZE,
    "the shared page holds the table");

/* One name a leader fsyncs, copied out of the table. */
struct pending {
	int		slot;
	uint64_t	ticket;
	int		failed;
	char		name[GROUPSYNC_NAME_MAX];
};

/* ---- locks ---- */

static int
ofd_lock(int fd, off_t byte, short type)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = byte;
	fl.l_len = 1;
	while (fcntl(fd, F_OFD_SETLKW, &fl) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int
lock(int fd, off_t which)
{
	return ofd_lock(fd, which, F_WRLCK);
}

static void
unlock(int fd, off_t which)
{
	ofd_lock(fd, which, F_UNLCK);
}

/* ---- the shared file ---- */

/* This boot's id; "" where the file does not exist (not Linux): then a
 * stale file is only reset when its magic is wrong. */
static void
boot_id(char out[BOOT_ID_LEN + 4])
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);

	memset(out, 0, BOOT_ID_LEN + 4);
	if (fd < 0)
		return;
	if (af_read_all(fd, out, BOOT_ID_LEN) < 0)
		memset(out, 0, BOOT_ID_LEN + 4);
	close(fd);
}

/* Under the table lock: a file of the right size whose header names this
 * boot, reset (counters zero, table empty) when it does not.  Nobody can
 * be waiting on the counters of an earlier boot. */
static int
file_prepare(int fd)
{
	struct {
		char	magic[8];
		char	boot_id[BOOT_ID_LEN + 4];
	} h, now;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	memset(&now, 0, sizeof(now));
	memcpy(now.magic, MAGIC, 8);
	boot_id(now.boot_id);
	if ((size_t)st.st_size == FILE_SIZE && pread(fd, &h, sizeof(h), 0) ==
	    (ssize_t)sizeof(h) && memcmp(&h, &now, sizeof(h)) == 0)
		return 0;
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)FILE_SIZE) < 0 ||
	    pwrite(fd, &now, sizeof(now), 0) != (ssize_t)sizeof(now))
		return -1;
	return 0;
}

static int
open_fail(struct groupsync *g, const char *what, char *msg)
{
	snprintf(msg, GROUPSYNC_MSG_MAX, "cannot %s %s: %s", what,
	    GROUPSYNC_FILE, strerror(errno));
	groupsync_close(g);
	return -1;
}

int
groupsync_open(struct groupsync *g, const char *dir, char *msg)
{
	void *base;
	int rc;

	g->sh = NULL;
	g->fd = -1;
	if ((g->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return open_fail(g, "open the directory of", msg);
	g->fd = openat(g->dfd, GROUPSYNC_FILE, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (g->fd < 0)
		return open_fail(g, "open", msg);
	if ((rc = lock(g->fd, LOCK_TABLE)) == 0) {
		rc = file_prepare(g->fd);
		unlock(g->fd, LOCK_TABLE);
	}
	base = rc < 0 ? MAP_FAILED : mmap(NULL, FILE_SIZE, PROT_READ |
	    PROT_WRITE, MAP_SHARED, g->fd, 0);
	if (base == MAP_FAILED)
		return open_fail(g, "map", msg);
	g->sh = base;
	return 0;
}

void
groupsync_close(struct groupsync *g)
{
	if (g->sh != NULL)
		munmap(g->sh, FILE_SIZE);
	if (g->fd >= 0)
		close(g->fd);
	if (g->dfd >= 0)
		close(g->dfd);
	g->sh = NULL;
	g->fd = g->dfd = -1;
}

/* ---- fsyncs ---- */

/* fsync (data: fdatasync) of a file or directory below the data
 * directory; a file retention removed meanwhile needs none. */
static int
sync_path(int dfd, const char *path, int data_only)
{
	int fd = openat(dfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	if ((data_only ? fdatasync(fd) : fsync(fd)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* The directory part of a name ("<mac>"), or "." at the top. */
static void
dir_of(const char *name, char *out, size_t outsz)
{
	const char *slash = strrchr(name, '/');
	size_t n = slash != NULL ? (size_t)(slash - name) : 0;

	if (n == 0 || n >= outsz)
		snprintf(out, outsz, ".");
	else {
		memcpy(out, name, n);
		out[n] = '\0';
	}
}

/* Each file's data, then each directory holding one (once), so that the
 * names survive too.  Marks what failed. */
static void
sync_batch(int dfd, struct pending *b, size_t n)
{
	char dir[GROUPSYNC_NAME_MAX], other[GROUPSYNC_NAME_MAX];
	int seen, rc;

	for (size_t i = 0; i < n; i++)
		b[i].failed = sync_path(dfd, b[i].name, 1) < 0;
	for (size_t i = 0; i < n; i++) {
		dir_of(b[i].name, dir, sizeof(dir));
		seen = 0;
		for (size_t k = 0; k < i && !seen; k++) {
			dir_of(b[k].name, other, sizeof(other));
			seen = strcmp(dir, other) == 0;
		}
		if (seen || (rc = sync_path(dfd, dir, 0)) == 0)
			continue;
		for (size_t k = i; k < n; k++) {
			dir_of(b[k].name, other, sizeof(other));
			if (strcmp(dir, other) == 0)
				b[k].failed = 1;
		}
	}
}

/* ---- the protocol ---- */

/* Puts name in a free slot under a new ticket: the slot's index,
 * -ENOSPC when the table is full, or -errno of the lock. */
static int
enlist(struct groupsync *g, const char *name, uint64_t *ticket)
{
	struct groupsync_shared *sh = g->sh;
	int rc, at = -ENOSPC;

	if ((rc = lock(g->fd, LOCK_TABLE)) < 0)
		return rc;
	for (int i = 0; i < GROUPSYNC_SLOTS && at < 0; i++)
		if (atomic_load(&sh->slots[i].ticket) == 0) {
			snprintf(sh->slots[i].name, GROUPSYNC_NAME_MAX, "%s",
			    name);
			atomic_store(&sh->slots[i].failed, 0);
			*ticket = atomic_fetch_add(&sh->ticket, 1) + 1;
			atomic_store(&sh->slots[i].ticket, *ticket);
			at = i;
		}
	unlock(g->fd, LOCK_TABLE);
	return at;
}

/* As the leader (under the leader lock): every pending name, synced in
 * one round.  Slots that worked are freed, the others marked failed for
 * their writers; then `synced` covers every ticket of the round. */
static int
lead(struct groupsync *g)
{
	struct groupsync_shared *sh = g->sh;
	struct pending batch[GROUPSYNC_SLOTS];
	uint64_t target;
	size_t n = 0;
	int rc;

	if ((rc = lock(g->fd, LOCK_TABLE)) < 0)
		return rc;
	target = atomic_load(&sh->ticket);
	for (int i = 0; i < GROUPSYNC_SLOTS; i++) {
		struct slot *s = &sh->slots[i];

		if (atomic_load(&s->ticket) == 0 || atomic_load(&s->failed))
			continue;
		batch[n].slot = i;
		batch[n].ticket = atomic_load(&s->ticket);
		memcpy(batch[n++].name, s->name, GROUPSYNC_NAME_MAX);
	}
	unlock(g->fd, LOCK_TABLE);
	sync_batch(g->dfd, batch, n);
	if ((rc = lock(g->fd, LOCK_TABLE)) < 0)
		return rc;
	for (size_t k = 0; k < n; k++) {
		struct slot *s = &sh->slots[batch[k].slot];

		if (batch[k].failed)
			atomic_store(&s->failed, 1);
		else
			atomic_store(&s->ticket, 0);
	}
	/* Failures are marked before `synced` moves: a writer that sees
	 * its ticket settled then sees its failure too. */
	if (atomic_load(&sh->synced) < target)
		atomic_store(&sh->synced, target);
	atomic_fetch_add(&sh->batches, 1);
	unlock(g->fd, LOCK_TABLE);
	return 0;
}

/* After `synced` passed my ticket: whether my name was made durable. */
static int
settle(struct groupsync *g, int at, uint64_t mine)
{
	struct slot *s = &g->sh->slots[at];

	if (atomic_load(&s->ticket) != mine || !atomic_load(&s->failed))
		return 0;
	if (lock(g->fd, LOCK_TABLE) == 0) {
		atomic_store(&s->ticket, 0);
		unlock(g->fd, LOCK_TABLE);
	}
	return -EIO;
}

/* Without a slot (a full table, a name too long): the writer's own
 * fsyncs, as without a group commit. */
static int
sync_alone(struct groupsync *g, const char *name)
{
	char dir[GROUPSYNC_NAME_MAX];
	int rc = sync_path(g->dfd, name, 1);

	dir_of(name, dir, sizeof(dir));
	return rc < 0 ? rc : sync_path(g->dfd, dir, 0);
}

int
groupsync_wait(struct groupsync *g, const char *name)
{
	struct groupsync_shared *sh = g->sh;
	uint64_t mine = 0;
	int at, rc = 0;

	if (strlen(name) >= GROUPSYNC_NAME_MAX)
		return sync_alone(g, name);
	if ((at = enlist(g, name, &mine)) == -ENOSPC)
		return sync_alone(g, name);
	if (at < 0)
		return at;
	while (atomic_load(&sh->synced) < mine) {
		if ((rc = lock(g->fd, LOCK_LEADER)) < 0)
			return rc;
		if (atomic_load(&sh->synced) < mine)
			rc = lead(g);
		unlock(g->fd, LOCK_LEADER);
		if (rc < 0)
			return rc;
	}
	return settle(g, at, mine);
}

uint64_t
groupsync_batches(const struct groupsync *g)
{
	return atomic_load(&g->sh->batches);
}

uint64_t
groupsync_tickets(const struct groupsync *g)
{
	return atomic_load(&g->sh->ticket);
}
