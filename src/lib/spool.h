/* The report spool: reports acknowledged before they are processed.
 *
 * When report.fcgi is saturated (a fleet-wide resync makes every phone
 * report at once), parsing, storing and comparing each report in the
 * request costs milliseconds of CPU that the machine does not have.  The
 * spool takes the report's bytes as they came, seals them (AES-256-GCM
 * under a key derived from the store key: raw reports carry SIP
 * passwords and never rest on disk in the clear), appends them to a
 * segment file shared by every process and makes them durable before the
 * 200 with one fdatasync for every report appended in the meantime (group
 * commit).  One drainer process, elected with a lock, processes the
 * records later with the same functions as the request path.
 *
 * Layout, under DATA/spool/:
 *   state         a small file every process maps: counters and positions
 *   append.lock   held while a record is written (one writer at a time)
 *   sync.lock     held by the process that fdatasyncs for the group
 *   drain.lock    held by the one drainer
 *   NNNNNNNNNNNNNNNNNNNN.seg   records, oldest first; a segment is removed
 *                 once every record in it is processed
 * A record is: "DPS1", the sealed length (u32), a 12-byte nonce, the
 * sealed payload, the 16-byte GCM tag.  A writer killed in the middle of a
 * record leaves bytes past the end the state records; the next writer
 * cuts them off before it appends, so the file never holds a torn record
 * before a whole one.  See docs/ingest.md. */
#ifndef DESKPROV_SPOOL_H
#define DESKPROV_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "report.h"
#include "secret.h"

#define SPOOL_MAC_LEN		12
#define SPOOL_TEXT_MAX		1024	/* longest address or User-Agent kept */

/* One report as it was received.  Strings are NUL-terminated; for a record
 * read back they point into the buffer spool_next() returned. */
struct spool_record {
	struct timespec		 when;		/* time of receipt */
	enum report_kind	 kind;		/* the kind the URL named */
	char			 mac[SPOOL_MAC_LEN + 1];
	const char		*ip;		/* the client, as resolved */
	const char		*user_agent;	/* "" when none */
	const char		*body;
	size_t			 body_len;
	uint64_t		 seq;		/* read back: the record's
						 * number, unique in this spool */
};

struct spool;

/* Opens (creating) DATA/spool with the store key.  NULL with err filled
 * when the directory or its state cannot be used.  The caller owns the
 * handle (spool_close). */
struct spool	*spool_open(const char *data_dir, const struct secret_key *key,
		    char *err, size_t errsz);
void		 spool_close(struct spool *);
/* Segments close past `bytes` instead of 64 MiB (for tests). */
void		 spool_set_segment_max(struct spool *, uint32_t bytes);

/* What waits in DATA/spool, read without the key or any lock (metrics):
 * 0 with the bytes in *pending (0 when there is no spool), -1 when its
 * state cannot be read. */
int		 spool_peek(const char *data_dir, uint64_t *pending);

/* Records appended and not yet processed. */
uint64_t	 spool_backlog(const struct spool *);
/* True when a record of body_len bytes would take what waits past
 * max_bytes. */
int		 spool_full(const struct spool *, uint64_t max_bytes,
		    size_t body_len);

/* CLOCK_MONOTONIC in nanoseconds, the clock of the next two. */
uint64_t	 spool_now_ns(void);
/* The drainer's manners: 1 while phones are sending, a record appended
 * less than SPOOL_QUIET_NS before now_ns, and what waits is under half
 * of max_bytes: it waits then instead of processing the next record, so
 * that the disk, the journal and the CPU caches are the answering
 * processes' (SCHED_IDLE gives them the CPU only).  A burst that fills
 * half the spool is drained all the same, beside it. */
#define SPOOL_QUIET_NS	3000000u
int		 spool_drain_waits(const struct spool *, uint64_t max_bytes,
		    uint64_t now_ns);

/* Seals and appends the record and returns once it and every record
 * before it is on disk: 0, or -1 with err filled (nothing acknowledged). */
int		 spool_append(struct spool *, const struct spool_record *,
		    char *err, size_t errsz);

/* A lock file under DATA/spool: "drain.lock" (the one drainer) or "lane.N" (a
 * process processing a report in the request).  The open, locked
 * descriptor, or -1 when another process holds it.  Closing it (or the
 * process ending) releases it. */
int		 spool_trylock(const struct spool *, const char *name);

/* The drainer's side (holding the "drain" lock).  1 with the oldest
 * unprocessed record in *rec and its buffer in *owned (the caller frees
 * it after spool_done()); 0 when the spool is empty; -1 when a record
 * cannot be read back (err says why; it is skipped, the next call goes
 * on with the next segment). */
int		 spool_next(struct spool *, struct spool_record *rec,
		    char **owned, char *err, size_t errsz);
/* Marks the record spool_next() returned as processed; a segment whose
 * records are all processed is removed. */
void		 spool_done(struct spool *);

#endif
