#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"

int
af_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
af_read_all(int fd, void *data, size_t n)
{
	char *p = data;

	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
af_read_fd(int fd, size_t max, char **out, size_t *len)
{
	struct stat st;
	int rc;

	*out = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if ((uintmax_t)st.st_size > max)
		return -EFBIG;
	*out = xmalloc((size_t)st.st_size + 1);
	buf_advise_huge(*out, (size_t)st.st_size + 1);
	if ((rc = af_read_all(fd, *out, (size_t)st.st_size)) < 0) {
		free(*out);
		*out = NULL;
		return rc;
	}
	(*out)[st.st_size] = '\0';
	*len = (size_t)st.st_size;
	return 0;
}

int
af_read_path(const char *path, size_t max, char **out, size_t *len)
{
	int fd, rc;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = af_read_fd(fd, max, out, len);
	close(fd);
	return rc;
}

void
af_discard(int dirfd, const char *tmp)
{
	int saved = errno;

	unlinkat(dirfd, tmp, 0);
	errno = saved;
}

int
af_write_tmp(int dirfd, const char *tmp, const void *data, size_t n,
    mode_t mode)
{
	int fd, rc;

	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	rc = af_write_all(fd, data, n);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	/* close() can report a delayed write error (NFS): count it. */
	if (close(fd) < 0 && rc == 0)
		rc = -errno;
	if (rc < 0)
		af_discard(dirfd, tmp);
	return rc;
}

int
af_publish(int dirfd, const char *tmp, const char *final)
{
	if (linkat(dirfd, tmp, dirfd, final, 0) < 0)
		return -errno;
	af_discard(dirfd, tmp);
	/* The new name must survive a power cut too. */
	if (fsync(dirfd) < 0)
		return -errno;
	return 0;
}

int
af_replace_at(int dirfd, const char *name, const void *data, size_t n,
    mode_t mode)
{
	char tmp[300];
	int rc;

	if (snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name,
	    (long)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	af_discard(dirfd, tmp);
	rc = af_write_tmp(dirfd, tmp, data, n, mode);
	if (rc == 0 && renameat(dirfd, tmp, dirfd, name) < 0) {
		rc = -errno;
		af_discard(dirfd, tmp);
	}
	return rc;
}

size_t
af_count_entries(int dirfd, size_t max)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;
	size_t n = 0;

	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	/* The duplicate shares dirfd's offset: a second count would
	 * start where the first one ended. */
	rewinddir(d);
	while ((e = readdir(d)) != NULL && n < max)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}
