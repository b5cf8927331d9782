/* The devices the management API (and `deskprov device|import`) manages:
 * one phone entry per file, etc/devices.d/<id>.yml, in the syntax of
 * phones.yml (`<id>: {...}`), so a file stays hand-editable and a fleet
 * stays git-friendly.  The config loader reads them after phones.yml
 * (config.c); this module only names, reads, writes and locks them.
 *
 * Writers serialise on a lock file (flock on devices.d/.lock) held across
 * read-check-write, so two concurrent updates never lose one silently;
 * every write is atomic (a temporary file in the same directory, fsync,
 * rename, fsync of the directory). */
#ifndef DESKPROV_DEVSTORE_H
#define DESKPROV_DEVSTORE_H

#include <stddef.h>

#define DEVSTORE_DIR		"devices.d"
#define DEVSTORE_FILES_MAX	100000
#define DEVSTORE_ID_MAX		64
#define DEVSTORE_FILE_MAX	(64 * 1024)
/* "\"" + 32 hex digits + "\"" and a NUL. */
#define DEVSTORE_ETAG_LEN	35

/* 1 when id may name a device file: 1..64 of [A-Za-z0-9_.-], starting
 * with a letter or digit, so no path trick ("..", "/", a hidden file) and
 * no lookup-key clash with a MAC spelled with colons can pass. */
int	devstore_id_ok(const char *id);
/* 1 when name is "<id>.yml" with devstore_id_ok(id). */
int	devstore_file_name_ok(const char *name);

/* Reads etc/devices.d/<id>.yml into a NUL-terminated buffer the caller
 * frees.  0, 1 when there is no such file (*data NULL), or -errno. */
int	devstore_read(const char *etc, const char *id, char **data,
	    size_t *len);
/* The entity tag of a file's bytes: a quoted SHA-256 prefix. */
void	devstore_etag(const char *data, size_t len,
	    char out[DEVSTORE_ETAG_LEN]);

/* Takes the writers' lock (creating devices.d when needed); returns the
 * lock's descriptor for devstore_unlock(), or -errno. */
int	devstore_lock(const char *etc);
void	devstore_unlock(int fd);

/* Replaces (or creates) the file of id atomically.  0 or -errno. */
int	devstore_write(const char *etc, const char *id, const char *data,
	    size_t len);
/* Removes the file of id.  0, -ENOENT or -errno. */
int	devstore_remove(const char *etc, const char *id);

/* The ids of every device file, sorted (caller frees each and the
 * array).  Returns the count; a missing directory has none. */
size_t	devstore_list(const char *etc, char ***ids);

#endif
