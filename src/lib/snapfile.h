/* A compiled configuration snapshot in one file, shared by every process
 * through mmap (docs/snapshot.md has the design and the layout).
 *
 * The compiler runs the ordinary loader (config.c) with its arena inside
 * an anonymous region at a fixed address B chosen per compile, then writes
 * the region, behind a header, to a file (temporary name, rename, fsync).
 * A reader maps the file read-only at B, so every pointer the phones and
 * indexes hold is valid as it is: a lookup touches a few pages of the page
 * cache and nothing is decoded.  The small, fleet-independent part (the
 * settings, the base list, the vendor packs) is loaded per process from
 * copies of its files held in the image, with the packs' tables placed at
 * a second fixed address, so that a phone's pack pointers hold there too.
 * When B is taken in a process, the caller loads privately instead. */
#ifndef DESKPROV_SNAPFILE_H
#define DESKPROV_SNAPFILE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "config.h"
#include "diag.h"

#define SNAPFILE_VERSION	2

/* What a header says (snapfile_peek) and what a compile wrote. */
struct snapfile_info {
	uint64_t	source_hash;	/* of the files' bytes */
	uint64_t	source_sig;	/* the caller's stat signature */
	uint64_t	etc_hash;	/* of the config directory's path */
	uint64_t	length;		/* bytes of the file */
	uint64_t	base;		/* where it is mapped */
	uint64_t	n_phones;
	int64_t		compiled_at;
	double		compile_seconds;
	dev_t		dev;		/* of the file, from fstat */
	ino_t		ino;
};

/* How a refusal of snapfile_open() may be met. */
enum snapfile_error {
	SNAPFILE_OK,
	SNAPFILE_BAD,		/* truncated, foreign, other version, corrupt */
	SNAPFILE_ADDRESS,	/* B is taken here: load privately instead */
	SNAPFILE_IO,		/* cannot be read (missing, permissions) */
	SNAPFILE_CONFIG		/* the image's own files do not load */
};

/* Compiles etc (schema.yml from etc, else schema_dir) into an image at
 * path: written under "<path>.tmp.<pid>" and renamed over path, so that a
 * reader sees the old file or the new one, never a part; the caller makes
 * it durable with snapfile_settle() once the others may map it.  The
 * header names this boot (boot_id, proc(5)): an image from another boot,
 * which a power loss may have caught before its bytes were on disk, is
 * checked whole by snapfile_open().  sig is recorded in the header (config_state.c records
 * the stat signature of the files it saw before reading).  0 with info
 * filled (info may be NULL), or -1 with err: a config problem with its
 * file and line, or an I/O problem with the path's name. */
int	snapfile_compile(const char *etc, const char *schema_dir,
	    const char *path, uint64_t sig, struct snapfile_info *info,
	    struct diag *err);

/* Makes the image at path and its name durable (fsync of the file and
 * of its directory): 0 or -errno. */
int	snapfile_settle(const char *path);
/* How much of a file snapfile_open() checks besides the header (magic,
 * version, layout, length, its own checksum): the tail it parses (the
 * root and the small files), or every byte.  A file that came from
 * elsewhere (DESKPROV_SNAPSHOT) is checked whole; one this machine's
 * servers compiled and renamed into place in this boot, only its tail:
 * SNAPFILE_CHECK_TAIL of an image from another boot checks every byte. */
enum snapfile_check { SNAPFILE_CHECK_TAIL, SNAPFILE_CHECK_ALL };

/* Opens an image: a new snapshot (caller frees with snapshot_free) whose
 * phones and indexes live in the mapping, with *why SNAPFILE_OK; or NULL
 * with *why and err saying what is wrong in one sentence. */
struct snapshot	*snapfile_open(const char *path, enum snapfile_check,
		    struct snapfile_info *info, enum snapfile_error *why,
		    struct diag *err);

/* Reads and checks the header only (no mapping): 0 with info, or -1. */
int	snapfile_peek(const char *path, struct snapfile_info *info);

/* The walker's test of one phone: 1 when every pointer it holds (and
 * every parameter's) is NULL or inside the arena [lo, hi), its pack
 * pointers inside the pinned tables [pin, pin_hi); 0 when one escapes.
 * A compile refuses an image with a phone that escapes. */
int	snapfile_phone_inside(const struct phone *, const unsigned char *lo,
	    const unsigned char *hi, const unsigned char *pin,
	    const unsigned char *pin_hi);

/* Removes "<name>.tmp.*" files a killed compiler left in dir. */
void	snapfile_clean(const char *dir, const char *name);

/* Releases a mapping (snapshot_free calls it; NULL is ignored). */
void	snapfile_unmap(struct snapfile_map *);

#endif
