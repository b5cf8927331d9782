#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include "atomicfile.h"
#include "buf.h"
#include "devstore.h"
#include "text.h"

#define LOCK_FILE	".lock"

int
devstore_id_ok(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > DEVSTORE_ID_MAX)
		return 0;
	if (!((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' &&
	    id[0] <= 'Z') || (id[0] >= '0' && id[0] <= '9')))
		return 0;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

int
devstore_file_name_ok(const char *name)
{
	size_t n = strlen(name);
	char id[DEVSTORE_ID_MAX + 1];

	if (n < 5 || n - 4 > DEVSTORE_ID_MAX || strcmp(name + n - 4, ".yml"))
		return 0;
	memcpy(id, name, n - 4);
	id[n - 4] = '\0';
	return devstore_id_ok(id);
}

static void
dir_path(const char *etc, char *out, size_t n)
{
	snprintf(out, n, "%s/" DEVSTORE_DIR, etc);
}

int
devstore_read(const char *etc, const char *id, char **data, size_t *len)
{
	char path[4200];
	int rc;

	*data = NULL;
	*len = 0;
	if (!devstore_id_ok(id))
		return 1;
	snprintf(path, sizeof(path), "%s/" DEVSTORE_DIR "/%s.yml", etc, id);
	rc = af_read_path(path, DEVSTORE_FILE_MAX, data, len);
	return rc == -ENOENT ? 1 : rc;
}

void
devstore_etag(const char *data, size_t len, char out[DEVSTORE_ETAG_LEN])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)data, len, md);
	out[0] = '"';
	hex_encode(md, 16, 0, out + 1);
	out[33] = '"';
	out[34] = '\0';
}

int
devstore_lock(const char *etc)
{
	char dir[4200], path[4300];
	int fd;

	dir_path(etc, dir, sizeof(dir));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	snprintf(path, sizeof(path), "%s/" LOCK_FILE, dir);
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return -e;
		}
	return fd;
}

void
devstore_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* releases the flock */
}

/* Temporary names start with a dot: the loader never reads them. */
int
devstore_write(const char *etc, const char *id, const char *data,
    size_t len)
{
	char dir[4200], tmp[128], final[80];
	int dfd, rc;

	if (!devstore_id_ok(id))
		return -EINVAL;
	dir_path(etc, dir, sizeof(dir));
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(tmp, sizeof(tmp), ".%s.yml.%ld", id, (long)getpid());
	snprintf(final, sizeof(final), "%s.yml", id);
	unlinkat(dfd, tmp, 0);	/* left by a crash of this pid's ancestor */
	rc = af_write_tmp(dfd, tmp, data, len, 0640);
	if (rc == 0 && renameat(dfd, tmp, dfd, final) < 0) {
		rc = -errno;
		af_discard(dfd, tmp);
	}
	if (rc == 0 && fsync(dfd) < 0)
		rc = -errno;
	close(dfd);
	return rc;
}

int
devstore_remove(const char *etc, const char *id)
{
	char dir[4200], final[80];
	int dfd, rc = 0;

	if (!devstore_id_ok(id))
		return -ENOENT;
	dir_path(etc, dir, sizeof(dir));
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	snprintf(final, sizeof(final), "%s.yml", id);
	if (unlinkat(dfd, final, 0) < 0)
		rc = -errno;
	else if (fsync(dfd) < 0)
		rc = -errno;
	close(dfd);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
devstore_list(const char *etc, char ***ids)
{
	char dir[4200];
	struct dirent *e;
	size_t n = 0, cap = 0;
	DIR *d;

	*ids = NULL;
	dir_path(etc, dir, sizeof(dir));
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL && n < DEVSTORE_FILES_MAX) {
		if (!devstore_file_name_ok(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*ids = xrealloc(*ids, cap * sizeof(**ids));
		}
		(*ids)[n++] = xstrndup(e->d_name, strlen(e->d_name) - 4);
	}
	closedir(d);
	if (n > 1)
		qsort(*ids, n, sizeof(**ids), by_name);
	return n;
}
