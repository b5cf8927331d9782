#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"
#include "buf.h"
#include "devstore.h"
#include "extrafiles.h"
#include "strmap.h"

int
pack_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PACK_NAME_MAX || s[0] == '-' ||
	    strcmp(s, "templates") == 0)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

int
template_file_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 5 || n > 128 || s[0] == '.' || strcmp(s + n - 4, ".tpl") != 0)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

/* Called for every file found: its path, relative name and stat. */
typedef int (*visit_fn)(void *ctx, const char *path, const char *rel,
    const struct stat *);

struct walk {
	visit_fn	 fn;
	void		*ctx;
	size_t		 seen;
	char		*err;
	size_t		 errsz;
};

static int
sort_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entries of dir accepted by ok(), sorted, so that every process sees
 * files in the same order.  Caller frees each and the array.  A missing
 * directory has no entries. */
static char **
list_dir(const char *dir, int (*ok)(const char *), size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (!ok(e->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n > 1)
		qsort(v, *n, sizeof(*v), sort_names);
	return v;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
visit(struct walk *w, const char *path, const char *rel)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;	/* a dangling link or a directory: not ours */
	if (++w->seen > EXTRA_FILES_MAX) {
		snprintf(w->err, w->errsz, "more than %d pack and template "
		    "files", EXTRA_FILES_MAX);
		return -1;
	}
	return w->fn(w->ctx, path, rel, &st);
}

/* Every <name>.tpl of dir, as relative names under prefix. */
static int
walk_templates(struct walk *w, const char *dir, const char *prefix)
{
	char path[4096], rel[512];
	size_t n;
	char **v = list_dir(dir, template_file_name_ok, &n);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		snprintf(rel, sizeof(rel), "%s/%s", prefix, v[i]);
		rc = visit(w, path, rel);
	}
	free_list(v, n);
	return rc;
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* schema_dir/<pack>/ for every directory holding a pack.yml. */
static int
walk_packs(struct walk *w, const char *schema_dir)
{
	char dir[4096], path[4200], rel[128];
	size_t n;
	char **v = list_dir(schema_dir, pack_name_ok, &n);
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", schema_dir, v[i]);
		snprintf(path, sizeof(path), "%s/pack.yml", dir);
		if (!is_dir(dir) || access(path, F_OK) < 0)
			continue;
		snprintf(rel, sizeof(rel), "%s/pack.yml", v[i]);
		if ((rc = visit(w, path, rel)) == 0)
			rc = walk_templates(w, dir, v[i]);
	}
	free_list(v, n);
	return rc;
}

static int
walk_local(struct walk *w, const char *etc)
{
	char dir[4096], sub[4200], prefix[128];
	size_t n;
	char **v;
	int rc;

	snprintf(dir, sizeof(dir), "%s/templates", etc);
	if ((rc = walk_templates(w, dir, "templates")) < 0)
		return rc;
	v = list_dir(dir, pack_name_ok, &n);
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, v[i]);
		snprintf(prefix, sizeof(prefix), "templates/%s", v[i]);
		if (is_dir(sub))
			rc = walk_templates(w, sub, prefix);
	}
	free_list(v, n);
	return rc;
}

/* etc/devices.d/<id>.yml, the devices the API manages (devstore.h):
 * counted on their own, a fleet has many more of them than of templates. */
static int
walk_devices(struct walk *w, const char *etc)
{
	char dir[4096], path[4200], rel[128];
	struct stat st;
	size_t n;
	char **v;
	int rc = 0;

	snprintf(dir, sizeof(dir), "%s/" DEVSTORE_DIR, etc);
	v = list_dir(dir, devstore_file_name_ok, &n);
	if (n > DEVSTORE_FILES_MAX) {
		snprintf(w->err, w->errsz, "more than %d files in "
		    DEVSTORE_DIR, DEVSTORE_FILES_MAX);
		rc = -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i]);
		snprintf(rel, sizeof(rel), DEVSTORE_DIR "/%s", v[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = w->fn(w->ctx, path, rel, &st);
	}
	free_list(v, n);
	return rc;
}

static int
walk_all(const char *etc, const char *schema_dir, visit_fn fn, void *ctx,
    char *err, size_t errsz)
{
	struct walk w = { fn, ctx, 0, err, errsz };

	if (walk_packs(&w, schema_dir) < 0 || walk_local(&w, etc) < 0)
		return -1;
	return walk_devices(&w, etc);
}

static int
collect(void *ctx, const char *path, const char *rel, const struct stat *st)
{
	struct extra_files *ef = ctx;
	struct extra_file *f;
	int rc;

	(void)st;
	ef->v = xrealloc(ef->v, (ef->n + 1) * sizeof(*ef->v));
	f = &ef->v[ef->n];
	memset(f, 0, sizeof(*f));
	/* visit() saw a regular file, but it may have been replaced since:
	 * af_read_path() checks again without blocking. */
	rc = af_read_path(path, EXTRA_FILE_MAX, &f->data, &f->len);
	if (rc < 0)
		return rc;
	f->rel = xstrdup(rel);
	ef->n++;
	return 0;
}

struct collect_ctx {
	struct extra_files	*ef;
	char			 failed[512];
};

static int
collect_named(void *ctx, const char *path, const char *rel,
    const struct stat *st)
{
	struct collect_ctx *c = ctx;
	int rc = collect(c->ef, path, rel, st);

	if (rc < 0)
		snprintf(c->failed, sizeof(c->failed), "%s: %s", rel,
		    rc == -EFBIG ? "larger than 1 MiB" : strerror(-rc));
	return rc;
}

int
extra_files_read(const char *etc, const char *schema_dir,
    struct extra_files *ef, char *err, size_t errsz)
{
	struct collect_ctx c;

	memset(ef, 0, sizeof(*ef));
	c.ef = ef;
	c.failed[0] = '\0';
	if (walk_all(etc, schema_dir, collect_named, &c, err, errsz) < 0) {
		if (c.failed[0])
			snprintf(err, errsz, "%s", c.failed);
		return -1;
	}
	/* Sorted by relative name for extra_files_find(); rel is the first
	 * member, so the comparator of names serves. */
	if (ef->n > 1)
		qsort(ef->v, ef->n, sizeof(*ef->v), sort_names);
	return 0;
}

void
extra_files_free(struct extra_files *ef)
{
	for (size_t i = 0; i < ef->n; i++) {
		free(ef->v[i].rel);
		free(ef->v[i].data);
	}
	free(ef->v);
	ef->v = NULL;
	ef->n = 0;
}

int
extra_files_copy(struct extra_files *dst, const struct extra_files *src)
{
	dst->v = xcalloc(src->n + 1, sizeof(*dst->v));
	for (dst->n = 0; dst->n < src->n; dst->n++) {
		const struct extra_file *f = &src->v[dst->n];
		struct extra_file *t = &dst->v[dst->n];
		t->rel = xstrdup(f->rel);
		t->data = xmalloc(f->len + 1);
		memcpy(t->data, f->data, f->len);
		t->data[f->len] = '\0';
		t->len = f->len;
	}
	return 0;
}

uint64_t
extra_files_hash(uint64_t h, const struct extra_files *ef)
{
	for (size_t i = 0; i < ef->n; i++) {
		uint64_t len = ef->v[i].len;
		h = hash_bytes(h, ef->v[i].rel, strlen(ef->v[i].rel) + 1);
		h = hash_bytes(h, &len, sizeof(len));
		h = hash_bytes(h, ef->v[i].data, ef->v[i].len);
	}
	return h;
}

static int
sign(void *ctx, const char *path, const char *rel, const struct stat *st)
{
	uint64_t *h = ctx;
	int64_t v[5] = { (int64_t)st->st_dev, (int64_t)st->st_ino,
	    (int64_t)st->st_size, (int64_t)st->st_mtim.tv_sec,
	    (int64_t)st->st_mtim.tv_nsec };

	(void)path;
	*h = hash_bytes(*h, rel, strlen(rel) + 1);
	*h = hash_bytes(*h, v, sizeof(v));
	return 0;
}

uint64_t
extra_files_sig(const char *etc, const char *schema_dir)
{
	uint64_t h = HASH_SEED;
	char err[128];

	if (walk_all(etc, schema_dir, sign, &h, err, sizeof(err)) < 0)
		h = hash_bytes(h, "too many", 8);
	return h;
}

void
extra_files_take_prefix(struct extra_files *from, const char *prefix,
    struct extra_files *to)
{
	size_t n = strlen(prefix), kept = 0;

	memset(to, 0, sizeof(*to));
	for (size_t i = 0; i < from->n; i++) {
		if (strncmp(from->v[i].rel, prefix, n) != 0) {
			from->v[kept++] = from->v[i];
			continue;
		}
		to->v = xrealloc(to->v, (to->n + 1) * sizeof(*to->v));
		to->v[to->n++] = from->v[i];
	}
	from->n = kept;
}

static int
cmp_rel(const void *key, const void *elem)
{
	return strcmp(key, ((const struct extra_file *)elem)->rel);
}

const struct extra_file *
extra_files_find(const struct extra_files *ef, const char *rel)
{
	if (ef->n == 0)
		return NULL;
	return bsearch(rel, ef->v, ef->n, sizeof(*ef->v), cmp_rel);
}
