/* Abuse defence: a per-client rate limit and MAC-enumeration detection,
 * shared by every process.
 *
 * A client (an IPv4 address, or an IPv6 /64: one host gets a whole /64)
 * that within serviceconfig.yml abuse.window seconds sends more than
 * abuse.max_requests requests, or names more than abuse.max_unknown
 * distinct things that do not exist (unknown phones, bad identifiers, bad
 * link keys or tokens, another phone's file over a link), is refused with
 * 429 and Retry-After for abuse.block_seconds.  Addresses in abuse.allow
 * (NAT gateways with many phones behind them; by default the loopback
 * addresses) are never counted.
 *
 * The state is one file, $DESKPROV_DATA/abuse.shm, mapped by every
 * process (as metrics.c shares its counters): a header and a fixed table
 * of ABUSE_SLOTS slots, so memory never grows with the number of clients.
 * A slot is found by hashing the address and probing ABUSE_PROBE slots;
 * when all are taken, the one seen longest ago is reused, a blocked client
 * only when every candidate is blocked.  Distinct names are counted by
 * keeping the 32-bit hashes (seeded at random per file, so that names
 * cannot be chosen to collide) of a client's last 32 unknown names: a
 * name asked for again is not counted again.  Every update holds flock() on the file for a few
 * microseconds; the kernel drops the lock of a process that dies. */
#ifndef DESKPROV_ABUSE_H
#define DESKPROV_ABUSE_H

#include <stddef.h>
#include <time.h>

#include "ipnet.h"
#include "settings.h"

#define ABUSE_FILE	"abuse.shm"
#define ABUSE_SLOTS	16384u
#define ABUSE_PROBE	8u

/* Why a client is refused. */
enum abuse_reason {
	ABUSE_NONE,
	ABUSE_RATE,		/* too many requests */
	ABUSE_ENUMERATION	/* too many unknown names */
};

struct abuse;

/* Maps data_dir/abuse.shm, creating it (or replacing a file of another
 * size or format) under a lock.  NULL after one log line when it cannot
 * be had; every function below accepts NULL and then refuses no one.  The
 * caller owns the result: abuse_close(). */
struct abuse	*abuse_open(const char *data_dir, const char *prog);
void		 abuse_close(struct abuse *);

/* Counts one request of client.  0 when it may go on; otherwise the
 * seconds it must wait, with the reason in *why (may be NULL). */
long	abuse_admit(struct abuse *, const struct abuse_settings *,
	    const struct ipaddr *client, time_t now, enum abuse_reason *why);

/* Counts a name that named nothing (name[0..n), hashed, never kept).
 * Returns 1 when this was one too many and the client is now blocked. */
int	abuse_note_unknown(struct abuse *, const struct abuse_settings *,
	    const struct ipaddr *client, const char *name, size_t n,
	    time_t now);

/* "rate", "enumeration" or "-". */
const char	*abuse_reason_name(enum abuse_reason);

/* Slots in use, and the file's size: for tests and /status. */
size_t	abuse_slots_used(struct abuse *);
size_t	abuse_file_size(void);

#endif
