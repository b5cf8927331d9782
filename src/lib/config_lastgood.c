#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "config_lastgood.h"
#include "log.h"

#define LINK_NAME	"config-last-good"
#define GEN_FILE	"GENERATION"

/* GENERATION holds "<hash> <saved_at> <etc path>\n". */
struct generation {
	uint64_t	hash;
	long long	saved_at;
	char		etc[2048];
};

static int
read_generation(const char *data_dir, struct generation *g)
{
	char path[4096], line[2200];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s/%s", data_dir, LINK_NAME,
	    GEN_FILE);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	ok = fgets(line, sizeof(line), f) != NULL &&
	    sscanf(line, "%" SCNx64 " %lld %2047[^\n]", &g->hash, &g->saved_at,
	    g->etc) == 3;
	fclose(f);
	return ok ? 0 : -1;
}

/* 1 when dirfd/rel holds exactly data (a regular file, not a link). */
static int
same_file(int dirfd, const char *rel, const char *data, size_t len)
{
	char *old = NULL;
	size_t n;
	int fd, same;

	if (dirfd < 0 || (fd = openat(dirfd, rel, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return 0;
	same = af_read_fd(fd, len, &old, &n) == 0 && n == len &&
	    memcmp(old, data, len) == 0;
	close(fd);
	free(old);
	return same;
}

/* A file of the copy: a hard link to the previous copy's when that holds
 * the same bytes (copies are never written after they are made, and the
 * linked file is on disk already), else written and fsynced.  With a
 * thousand devices.d files, a change of one device wrote and fsynced all
 * of them again: 5.5 s per reload, in every process that reloaded before
 * the first had finished. */
static int
place(int prevfd, int cfd, const char *rel, const char *data, size_t len)
{
	if (same_file(prevfd, rel, data, len) &&
	    linkat(prevfd, rel, cfd, rel, 0) == 0)
		return 0;
	return af_write_tmp(cfd, rel, data, len, 0600);
}

/* The directories above rel ("yealink", "templates/yealink"), made when
 * missing; each one made is added to dirs (NUL-separated) for its fsync. */
static int
make_parents(int cfd, const char *rel, struct buf *dirs)
{
	char dir[512];

	for (const char *c = strchr(rel, '/'); c != NULL;
	    c = strchr(c + 1, '/')) {
		snprintf(dir, sizeof(dir), "%.*s", (int)(c - rel), rel);
		if (mkdirat(cfd, dir, 0700) == 0)
			buf_add(dirs, dir, strlen(dir) + 1);
		else if (errno != EEXIST)
			return -errno;
	}
	return 0;
}

/* fsyncs each directory named in dirs, so that the names in them last as
 * the files do. */
static int
sync_dirs(int cfd, const struct buf *dirs)
{
	for (size_t at = 0; at < dirs->len; at += strlen(dirs->data + at) + 1) {
		int fd = openat(cfd, dirs->data + at, O_RDONLY | O_DIRECTORY);
		int rc = fd < 0 || fsync(fd) < 0 ? -errno : 0;
		if (fd >= 0)
			close(fd);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The files of the copy under their relative names ("phones.yml",
 * "yealink/base.tpl", "templates/yealink/base.tpl", "devices.d/x.yml"):
 * the copy is then a config directory and a schema directory in one. */
static int
write_files(int prevfd, int cfd, const struct config_files *files)
{
	struct buf dirs;
	int rc = 0;

	buf_init(&dirs);
	for (int f = 0; f < CF_COUNT && rc == 0; f++)
		if (files->data[f] != NULL)
			rc = place(prevfd, cfd, config_file_name(f),
			    files->data[f], files->len[f]);
	for (size_t i = 0; i < files->extra.n && rc == 0; i++) {
		const struct extra_file *x = &files->extra.v[i];
		if ((rc = make_parents(cfd, x->rel, &dirs)) == 0)
			rc = place(prevfd, cfd, x->rel, x->data, x->len);
	}
	if (rc == 0)
		rc = sync_dirs(cfd, &dirs);
	buf_free(&dirs);
	return rc;
}

/* Writes the files into a new directory dir/name, fsynced; prev names the
 * copy kept so far ("": none), whose unchanged files are linked. */
static int
write_copy(int dfd, const char *name, const char *prev,
    const struct config_files *files, const struct generation *g)
{
	char gen[2200];
	int cfd, prevfd, rc;

	if (mkdirat(dfd, name, 0700) < 0)
		return -errno;
	if ((cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY)) < 0)
		return -errno;
	prevfd = prev[0] ? openat(dfd, prev, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW) : -1;
	rc = write_files(prevfd, cfd, files);
	if (prevfd >= 0)
		close(prevfd);
	snprintf(gen, sizeof(gen), "%016" PRIx64 " %lld %s\n", g->hash,
	    g->saved_at, g->etc);
	if (rc == 0)
		rc = af_write_tmp(cfd, GEN_FILE, gen, strlen(gen), 0600);
	if (rc == 0 && fsync(cfd) < 0)
		rc = -errno;
	close(cfd);
	return rc;
}

/* Removes dfd/name and everything below it (a copy is at most three
 * levels deep: templates/<pack>/<file>). */
static void
remove_tree(int dfd, const char *name, int depth)
{
	int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	struct dirent *e;
	DIR *d;

	if (cfd >= 0 && depth < 4 && (d = fdopendir(dup(cfd))) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if (unlinkat(cfd, e->d_name, 0) < 0 && (errno == EISDIR ||
			    errno == EPERM))
				remove_tree(cfd, e->d_name, depth + 1);
		}
		closedir(d);
	}
	if (cfd >= 0)
		close(cfd);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

static void
remove_copy(int dfd, const char *name)
{
	remove_tree(dfd, name, 0);
}

/* Removes copies other than the current and the previous one (a process
 * may still be reading the previous one through the old link). */
static void
prune(int dfd, const char *keep1, const char *keep2)
{
	DIR *d = fdopendir(dup(dfd));
	struct dirent *e;
	char names[16][64];
	int n = 0;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && n < 16) {
		size_t len = strlen(e->d_name);
		if (strncmp(e->d_name, LINK_NAME ".", sizeof(LINK_NAME)) != 0 ||
		    len >= sizeof(names[0]) || strcmp(e->d_name, keep1) == 0 ||
		    strcmp(e->d_name, keep2) == 0)
			continue;
		memcpy(names[n++], e->d_name, len + 1);
	}
	closedir(d);
	for (int i = 0; i < n; i++)
		remove_copy(dfd, names[i]);
}

/* Points the link at `target`, atomically (a new link renamed over). */
static int
swing_link(int dfd, const char *target)
{
	char tmp[64];

	snprintf(tmp, sizeof(tmp), LINK_NAME ".link.%ld", (long)getpid());
	unlinkat(dfd, tmp, 0);
	if (symlinkat(target, dfd, tmp) < 0)
		return -errno;
	if (renameat(dfd, tmp, dfd, LINK_NAME) < 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		return -e;
	}
	return fsync(dfd) < 0 ? -errno : 0;
}

int
config_lastgood_save(const char *data_dir, const char *etc, const char *schema_dir,
    const struct snapshot *s, const char *prog)
{
	struct generation g = { s->source_hash, (long long)time(NULL), "" };
	char name[64], tmp[96], old[128] = "";
	struct config_files files;
	uint64_t now_hash;
	ssize_t n;
	int dfd, rc;

	snprintf(g.etc, sizeof(g.etc), "%s", etc);
	snprintf(name, sizeof(name), LINK_NAME ".%016" PRIx64, g.hash);
	if ((dfd = open(data_dir, O_RDONLY | O_DIRECTORY)) < 0) {
		log_msg(prog, "warning", "cannot keep the last good config in "
		    "%s: %s", data_dir, strerror(errno));
		return -1;
	}
	n = readlinkat(dfd, LINK_NAME, old, sizeof(old) - 1);
	old[n > 0 ? n : 0] = '\0';
	if (strcmp(old, name) == 0) {
		close(dfd);
		return 0;	/* this configuration is the one kept */
	}
	/* The files may have changed since they were loaded: keep them only
	 * when they are still the bytes of this snapshot. */
	if (config_files_read(etc, schema_dir, &files, &now_hash) < 0 ||
	    now_hash != s->source_hash) {
		config_files_free(&files);
		close(dfd);
		return 0;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", name, (long)getpid());
	remove_copy(dfd, tmp);
	rc = write_copy(dfd, tmp, old, &files, &g);
	config_files_free(&files);
	/* Another process may have kept the same files meanwhile. */
	if (rc == 0 && renameat(dfd, tmp, dfd, name) < 0 &&
	    errno != EEXIST && errno != ENOTEMPTY)
		rc = -errno;
	remove_copy(dfd, tmp);
	if (rc == 0)
		rc = swing_link(dfd, name);
	if (rc == 0)
		prune(dfd, name, old);
	else
		log_msg(prog, "warning", "cannot keep the last good config in "
		    "%s: %s", data_dir, strerror(-rc));
	close(dfd);
	return rc == 0 ? 0 : -1;
}

struct snapshot *
config_lastgood_load(const char *data_dir, const char *etc,
    const struct snapshot *current, struct diag *err)
{
	struct generation g;
	char dir[4096];

	diag_clear(err);
	if (read_generation(data_dir, &g) < 0 || strcmp(g.etc, etc) != 0)
		return NULL;
	if (current != NULL && (g.hash == current->source_hash ||
	    g.saved_at < (long long)current->loaded_at))
		return NULL;
	snprintf(dir, sizeof(dir), "%s/%s", data_dir, LINK_NAME);
	/* The copy holds its own schema.yml when there was one. */
	return snapshot_load(dir, dir, err);
}
