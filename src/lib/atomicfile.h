/* Files that appear whole or not at all: written under a temporary name
 * in the same directory, flushed to disk, then given their final name with
 * link(2), which (unlike rename) never replaces an existing file.  Used for
 * stored reports and the report key, where an overwrite would lose data. */
#ifndef DESKPROV_ATOMICFILE_H
#define DESKPROV_ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Creates dirfd/tmp (O_EXCL, O_NOFOLLOW, `mode`), writes all n bytes and
 * fsyncs it.  Returns 0, or -errno with tmp removed again: a full disk
 * leaves nothing behind. */
int	af_write_tmp(int dirfd, const char *tmp, const void *data, size_t n,
	    mode_t mode);

/* Gives tmp the name `final` unless that name exists, then removes tmp and
 * fsyncs the directory.  Returns 0, or -errno (-EEXIST when the name is
 * taken) with tmp left in place for the caller to retry or discard.  A
 * failed directory fsync is -errno too, with the file already in place. */
int	af_publish(int dirfd, const char *tmp, const char *final);

/* Replaces (or creates) dirfd/name with the n bytes of data: written and
 * fsynced under ".<name>.<pid>.tmp", then renamed over name, so a reader
 * sees the old file or the new one, never a part.  For small records that
 * one writer owns (learned contacts, DHCP leases).  0 or -errno. */
int	af_replace_at(int dirfd, const char *name, const void *data, size_t n,
	    mode_t mode);

/* The entries of directory dirfd whose names do not start with '.',
 * counted up to max (a bound on the work, not on the directory). */
size_t	af_count_entries(int dirfd, size_t max);

/* Removes tmp, ignoring errors (used on the failure paths). */
void	af_discard(int dirfd, const char *tmp);

/* Writes all n bytes, retrying short writes and EINTR; 0 or -errno. */
int	af_write_all(int fd, const void *data, size_t n);

/* Reads exactly n bytes; 0, -errno, or -EIO when the file is shorter. */
int	af_read_all(int fd, void *data, size_t n);

/* Reads the whole regular file open on fd (at most max bytes) into a
 * NUL-terminated buffer the caller frees.  0, -EINVAL (not a regular
 * file), -EFBIG (larger than max), -EIO (it shrank while read) or -errno;
 * *out is NULL after a failure.  The caller opens and closes fd. */
int	af_read_fd(int fd, size_t max, char **out, size_t *len);

/* Opens path and reads it with af_read_fd(): every config, pack and
 * template file goes through here.  The open never blocks (O_NONBLOCK,
 * so a FIFO or a device in place of a file is refused as not a regular
 * file instead of hanging the process) and never takes a terminal.
 * Symbolic links are followed: config files are the admin's, and linking
 * them in from a managed location is common; what the link points to must
 * still be a regular file.  Returns what af_read_fd() returns, or -errno
 * of the open (-ENOENT for a missing file). */
int	af_read_path(const char *path, size_t max, char **out, size_t *len);

#endif
