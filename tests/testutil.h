/* Small helpers shared by the Check suites: temporary directories holding
 * a few files.  Include after <check.h>; everything is static inline so a
 * suite that uses only some of it still builds with -Werror. */
#ifndef DESKPROV_TESTUTIL_H
#define DESKPROV_TESTUTIL_H

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"

#define TU_DIR_MAX	64

/* Skips the rest of the running test, saying why: a "skip" line on
 * stdout, counted by check_main.c, never a silent pass.  For tests that
 * need something outside the repository (../shared) or an optional system
 * file; a test that cannot work without it must say so, not return. */
#define TU_SKIP(...)	do {						\
	tu_skip(__FILE__, tcase_name(), __VA_ARGS__);			\
	return;								\
} while (0)

void	tu_skip(const char *file, const char *tcase, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* Data that lives beside the checkout, not in it (the ../shared tree that
 * `make unit` names in DESKPROV_SHARED): writes DESKPROV_SHARED/sub to
 * out and returns 1 when that directory exists, else 0 with the reason in
 * out, for TU_SKIP.  Files missing under a directory that exists are the
 * caller's failures, not skips. */
static inline int
tu_shared_dir(char *out, size_t n, const char *sub)
{
	const char *shared = getenv("DESKPROV_SHARED");
	struct stat st;

	if (shared == NULL || *shared == '\0') {
		snprintf(out, n, "DESKPROV_SHARED is not set (make unit sets it "
		    "to ../shared)");
		return 0;
	}
	snprintf(out, n, "%s/%s", shared, sub);
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 1;
	snprintf(out, n, "%s/%s is not there", shared, sub);
	return 0;
}

/* Makes an empty directory under /tmp; its name goes into dir. */
static inline void
tu_mkdtemp(char dir[TU_DIR_MAX])
{
	snprintf(dir, TU_DIR_MAX, "/tmp/deskprov-check-XXXXXX");
	ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp failed");
}

/* Writes n bytes to dir/name (replacing it through a rename, so that the
 * file gets a new inode and a reader never sees half of it). */
static inline void
tu_write_n(const char *dir, const char *name, const char *data, size_t n)
{
	char path[512], tmp[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	f = fopen(tmp, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", tmp);
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(rename(tmp, path), 0);
}

static inline void
tu_write(const char *dir, const char *name, const char *text)
{
	tu_write_n(dir, name, text, strlen(text));
}

/* Copies the regular files of src (one level) into a new temporary
 * directory, whose name goes into dir. */
static inline void
tu_copy_dir(const char *src, char dir[TU_DIR_MAX])
{
	char path[512], *data;
	struct dirent *e;
	struct stat st;
	FILE *f;
	DIR *d;

	tu_mkdtemp(dir);
	d = opendir(src);
	ck_assert_msg(d != NULL, "cannot open %s", src);
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", src, e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		data = malloc((size_t)st.st_size + 1);
		ck_assert_ptr_nonnull(data);
		f = fopen(path, "rb");
		ck_assert_ptr_nonnull(f);
		ck_assert_uint_eq(fread(data, 1, (size_t)st.st_size, f),
		    (size_t)st.st_size);
		fclose(f);
		tu_write_n(dir, e->d_name, data, (size_t)st.st_size);
		free(data);
	}
	closedir(d);
}

/* Removes a directory made by tu_mkdtemp() with the files in it. */
static inline void
tu_remove_dir(const char *dir)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0)
			rmdir(path);
	}
	closedir(d);
	ck_assert_msg(rmdir(dir) == 0, "cannot remove %s", dir);
}

/* A process context as the command-line tool builds it (no shared
 * last-good copy, no metrics, the key only read), over etc with schema.yml
 * from schema_dir and the reports in data_dir (NULL: ./reports).  Nothing
 * comes from the environment.  Free with app_free(). */
static inline void
tu_app(struct app *app, const char *etc, const char *schema_dir,
    const char *data_dir)
{
	struct app_options o = { .etc = etc, .schema_dir = schema_dir,
	    .data_dir = data_dir };

	app_init(app, "test", &o);
}

#endif
