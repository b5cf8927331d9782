/* syncfs() is Linux's; _GNU_SOURCE makes <unistd.h> declare it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "groupsync.h"

#define MAGIC		"dpgsync1"
#define FILE_SIZE	4096
#define BOOT_ID_LEN	36	/* a UUID in text */

/* The shared page.  Counters are only compared within one boot. */
struct groupsync_shared {
	char			magic[8];
	char			boot_id[BOOT_ID_LEN + 4];
	_Atomic uint64_t	ticket;		/* handed out */
	_Atomic uint64_t	synced;		/* every ticket <= is durable */
	_Atomic uint64_t	syncs;		/* syncfs() calls */
};

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

/* Under the lock: a file of the right size whose header names this boot,
 * reset (counters zero) when it does not.  Nobody can be waiting on the
 * counters of an earlier boot. */
static int
file_prepare(int fd)
{
	struct groupsync_shared h, now;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	memset(&now, 0, sizeof(now));
	memcpy(now.magic, MAGIC, 8);
	boot_id(now.boot_id);
	if ((size_t)st.st_size == FILE_SIZE && pread(fd, &h, sizeof(h), 0) ==
	    (ssize_t)sizeof(h) && memcmp(h.magic, now.magic, 8) == 0 &&
	    memcmp(h.boot_id, now.boot_id, sizeof(h.boot_id)) == 0)
		return 0;
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)FILE_SIZE) < 0 ||
	    pwrite(fd, &now, sizeof(now), 0) != (ssize_t)sizeof(now))
		return -1;
	return 0;
}

int
groupsync_open(struct groupsync *g, const char *dir, char *msg)
{
	char path[4096];
	void *base;
	int rc;

	g->sh = NULL;
	if (snprintf(path, sizeof(path), "%s/%s", dir, GROUPSYNC_FILE) >=
	    (int)sizeof(path)) {
		snprintf(msg, GROUPSYNC_MSG_MAX, "data directory path too long");
		return -1;
	}
	g->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (g->fd < 0) {
		snprintf(msg, GROUPSYNC_MSG_MAX, "cannot open %s: %s",
		    GROUPSYNC_FILE, strerror(errno));
		return -1;
	}
	rc = flock(g->fd, LOCK_EX);
	if (rc == 0) {
		rc = file_prepare(g->fd);
		flock(g->fd, LOCK_UN);
	}
	base = rc < 0 ? MAP_FAILED : mmap(NULL, FILE_SIZE, PROT_READ |
	    PROT_WRITE, MAP_SHARED, g->fd, 0);
	if (base == MAP_FAILED) {
		snprintf(msg, GROUPSYNC_MSG_MAX, "cannot map %s: %s",
		    GROUPSYNC_FILE, strerror(errno));
		close(g->fd);
		g->fd = -1;
		return -1;
	}
	g->sh = base;
	return 0;
}

void
groupsync_close(struct groupsync *g)
{
	if (g->sh != NULL)
		munmap(g->sh, FILE_SIZE);
	if (g->sh != NULL || g->fd >= 0)
		close(g->fd);
	g->sh = NULL;
	g->fd = -1;
}

static int
lock(int fd)
{
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/* As the leader, under the lock: one syncfs() for every ticket handed out
 * so far.  `synced` only grows: a slow leader whose target is older than
 * what another published cannot lower it (they never overlap under the
 * lock, but a reset file could start lower). */
static int
lead(struct groupsync_shared *sh, int fd)
{
	uint64_t target = atomic_load(&sh->ticket);

	if (syncfs(fd) < 0)
		return -errno;
	atomic_fetch_add(&sh->syncs, 1);
	if (atomic_load(&sh->synced) < target)
		atomic_store(&sh->synced, target);
	return 0;
}

int
groupsync_wait(struct groupsync *g)
{
	struct groupsync_shared *sh = g->sh;
	uint64_t mine = atomic_fetch_add(&sh->ticket, 1) + 1;
	int rc = 0;

	while (rc == 0 && atomic_load(&sh->synced) < mine) {
		if ((rc = lock(g->fd)) < 0)
			break;
		if (atomic_load(&sh->synced) < mine)
			rc = lead(sh, g->fd);
		flock(g->fd, LOCK_UN);
	}
	return rc;
}

uint64_t
groupsync_syncs(const struct groupsync *g)
{
	return atomic_load(&g->sh->syncs);
}

uint64_t
groupsync_tickets(const struct groupsync *g)
{
	return atomic_load(&g->sh->ticket);
}
