#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "abuse.h"
#include "buf.h"
#include "hash.h"
#include "log.h"

#define MAGIC		"DPABUSE1"
#define HEADER_SIZE	64u
#define RECENT		32u		/* names remembered per client */

/* One client.  Times are Unix seconds (u32 lasts until 2106). */
struct slot {
	uint8_t		family;		/* 0: free */
	uint8_t		reason;		/* enum abuse_reason of a block */
	uint8_t		pad[2];
	uint32_t	window_start;
	uint8_t		addr[16];	/* IPv6: the /64, rest zero */
	uint32_t	requests;	/* in this window */
	uint32_t	unknown;	/* distinct unknown names */
	uint32_t	blocked_until;
	uint32_t	last_seen;
	/* Hashes of the last RECENT unknown names, a ring at unknown %
	 * RECENT: a name among them is not counted again. */
	uint32_t	recent[RECENT];
};

struct header {
	char		magic[8];
	uint32_t	slots;
	uint32_t	slot_size;
	/* Random at creation: the hash of names starts from it, so that a
	 * client cannot pick names that all land on one bit. */
	uint64_t	seed;
};

#define FILE_SIZE	(HEADER_SIZE + ABUSE_SLOTS * sizeof(struct slot))

_Static_assert(sizeof(struct slot) == 168, "slot layout");
_Static_assert(sizeof(struct header) <= HEADER_SIZE, "header layout");

struct abuse {
	int		 fd;
	unsigned char	*base;
	struct slot	*slots;
};

size_t
abuse_file_size(void)
{
	return FILE_SIZE;
}

static int
header_ok(const struct header *h)
{
	return memcmp(h->magic, MAGIC, 8) == 0 && h->slots == ABUSE_SLOTS &&
	    h->slot_size == sizeof(struct slot);
}

/* Under the lock: a file of the right size and format, zeroed when it
 * was not one. */
static int
file_prepare(int fd)
{
	struct header h;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -1;
	if ((size_t)st.st_size == FILE_SIZE && pread(fd, &h, sizeof(h), 0) ==
	    (ssize_t)sizeof(h) && header_ok(&h))
		return 0;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, 8);
	h.slots = ABUSE_SLOTS;
	h.slot_size = sizeof(struct slot);
	if (RAND_bytes((unsigned char *)&h.seed, sizeof(h.seed)) != 1)
		return -1;
	if (ftruncate(fd, 0) < 0 || ftruncate(fd, (off_t)FILE_SIZE) < 0 ||
	    pwrite(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return -1;
	return 0;
}

struct abuse *
abuse_open(const char *data_dir, const char *prog)
{
	char path[4096];
	struct abuse *a;
	void *base;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", data_dir, ABUSE_FILE);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_msg(prog, "warning", "abuse defence off: cannot open %s: "
		    "%s", ABUSE_FILE, strerror(errno));
		return NULL;
	}
	if (flock(fd, LOCK_EX) < 0)
		rc = -1;
	else {
		rc = file_prepare(fd);
		flock(fd, LOCK_UN);
	}
	base = rc < 0 ? MAP_FAILED : mmap(NULL, FILE_SIZE,
	    PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		log_msg(prog, "warning", "abuse defence off: cannot map %s: "
		    "%s", ABUSE_FILE, strerror(errno));
		close(fd);
		return NULL;
	}
	a = xcalloc(1, sizeof(*a));
	a->fd = fd;
	a->base = base;
	a->slots = (struct slot *)(void *)((unsigned char *)base +
	    HEADER_SIZE);
	return a;
}

void
abuse_close(struct abuse *a)
{
	if (a == NULL)
		return;
	munmap(a->base, FILE_SIZE);
	close(a->fd);
	free(a);
}

const char *
abuse_reason_name(enum abuse_reason r)
{
	return r == ABUSE_RATE ? "rate" : r == ABUSE_ENUMERATION ?
	    "enumeration" : "-";
}

/* The key of a client: IPv4 whole, IPv6 by its /64. */
static void
client_key(const struct ipaddr *c, uint8_t key[16])
{
	memset(key, 0, 16);
	memcpy(key, c->bytes, c->family == 4 ? 4 : 8);
}

static int
allowed(const struct abuse_settings *cfg, const struct ipaddr *c)
{
	return !cfg->enabled || netlist_contains(&cfg->allow, c);
}

/* Whether s is a better slot to reuse than v: a free one, else one not
 * blocked, else the one seen longer ago. */
static int
better_victim(const struct slot *s, const struct slot *v, time_t now)
{
	int sb = s->blocked_until > now, vb = v->blocked_until > now;

	if (v->family == 0)
		return 0;
	if (s->family == 0)
		return 1;
	if (sb != vb)
		return !sb;
	return s->last_seen < v->last_seen;
}

/* The slot of a client, claimed when new (the least recently seen of
 * its probe range, a blocked one last).  Called under the lock. */
static struct slot *
slot_find(struct abuse *a, const struct ipaddr *c, time_t now)
{
	uint8_t key[16];
	uint64_t h;
	struct slot *victim = NULL, *s;

	client_key(c, key);
	h = hash_bytes(HASH_SEED, key, sizeof(key)) ^ c->family;
	for (unsigned i = 0; i < ABUSE_PROBE; i++) {
		s = &a->slots[(h + i) % ABUSE_SLOTS];
		if (s->family == c->family && memcmp(s->addr, key, 16) == 0)
			return s;
		if (victim == NULL || better_victim(s, victim, now))
			victim = s;
	}
	memset(victim, 0, sizeof(*victim));
	victim->family = c->family;
	memcpy(victim->addr, key, 16);
	victim->window_start = (uint32_t)now;
	return victim;
}

/* A new window starts the counts again; a block runs its own time. */
static void
slot_tick(struct slot *s, const struct abuse_settings *cfg, time_t now)
{
	if ((time_t)s->window_start + cfg->window <= now) {
		s->window_start = (uint32_t)now;
		s->requests = 0;
		s->unknown = 0;
		memset(s->recent, 0, sizeof(s->recent));
	}
	s->last_seen = (uint32_t)now;
}

static void
block(struct slot *s, const struct abuse_settings *cfg, time_t now,
    enum abuse_reason why)
{
	s->blocked_until = (uint32_t)(now + cfg->block_seconds);
	s->reason = (uint8_t)why;
}

long
abuse_admit(struct abuse *a, const struct abuse_settings *cfg,
    const struct ipaddr *client, time_t now, enum abuse_reason *why)
{
	struct slot *s;
	long wait = 0;

	if (why != NULL)
		*why = ABUSE_NONE;
	if (a == NULL || allowed(cfg, client) || flock(a->fd, LOCK_EX) < 0)
		return 0;
	s = slot_find(a, client, now);
	slot_tick(s, cfg, now);
	if (s->blocked_until <= now && ++s->requests > (uint32_t)
	    cfg->max_requests)
		block(s, cfg, now, ABUSE_RATE);
	if (s->blocked_until > now) {
		wait = (long)(s->blocked_until - now);
		if (why != NULL)
			*why = (enum abuse_reason)s->reason;
	}
	flock(a->fd, LOCK_UN);
	return wait;
}

static int
recently_seen(const struct slot *s, uint32_t h)
{
	for (unsigned i = 0; i < RECENT; i++)
		if (s->recent[i] == h)
			return 1;
	return 0;
}

int
abuse_note_unknown(struct abuse *a, const struct abuse_settings *cfg,
    const struct ipaddr *client, const char *name, size_t n, time_t now)
{
	struct slot *s;
	uint32_t h;
	int blocked = 0;

	if (a == NULL || allowed(cfg, client) || flock(a->fd, LOCK_EX) < 0)
		return 0;
	s = slot_find(a, client, now);
	slot_tick(s, cfg, now);
	/* 0 marks an empty place in the ring. */
	h = (uint32_t)hash_bytes(((const struct header *)(void *)a->base)->seed,
	    name, n) | 1u;
	if (!recently_seen(s, h)) {
		s->recent[s->unknown % RECENT] = h;
		if (++s->unknown > (uint32_t)cfg->max_unknown &&
		    s->blocked_until <= now) {
			block(s, cfg, now, ABUSE_ENUMERATION);
			blocked = 1;
		}
	}
	flock(a->fd, LOCK_UN);
	return blocked;
}

size_t
abuse_slots_used(struct abuse *a)
{
	size_t n = 0;

	for (size_t i = 0; a != NULL && i < ABUSE_SLOTS; i++)
		n += a->slots[i].family != 0;
	return n;
}
