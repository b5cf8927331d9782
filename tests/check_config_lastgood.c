/* Processes share the last good configuration: after a broken edit every
 * process serves the same (newest good) configuration, also one that was
 * idle while the good edit was on disk, and one started while the files
 * are broken. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_state.h"

struct dirs {
	char	root[64];
	char	etc[128];
	char	data[128];
};

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void
write_common(const struct dirs *d, const char *proxy)
{
	char text[256];

	snprintf(text, sizeof(text), "common:\n  Proxy_1_: '%s'\n", proxy);
	write_file(d->etc, "common.yml", text);
}

static void
make_dirs(struct dirs *d)
{
	snprintf(d->root, sizeof(d->root), "/tmp/deskprov-lastgood.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(d->root));
	snprintf(d->etc, sizeof(d->etc), "%s/etc", d->root);
	snprintf(d->data, sizeof(d->data), "%s/data", d->root);
	ck_assert_int_eq(mkdir(d->etc, 0700), 0);
	ck_assert_int_eq(mkdir(d->data, 0700), 0);
	write_file(d->etc, "phones.yml", "phones:\n  p1:\n    mac: "
	    "\"00:11:22:33:44:55\"\n");
	write_common(d, "g1.example.net");
}

/* A FastCGI process's config state over d: the last good copy shared
 * through d->data. */
static void
server_state(struct config_state *cs, const char *prog, const struct dirs *d)
{
	config_state_init(cs, prog, d->etc, d->etc, d->data);
}

static void
remove_dirs(const struct dirs *d)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->root);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
proxy_of(const struct snapshot *s)
{
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_ge(s->n_base, 1);
	return s->base[0].value;
}

/* Every edit below changes the file's size, so that its signature changes
 * even within one mtime tick. */
START_TEST(test_idle_process_follows_the_newest_good)
{
	struct config_state a, b, c;
	struct dirs d;

	make_dirs(&d);
	server_state(&a, "a", &d);
	server_state(&b, "b", &d);
	ck_assert_str_eq(proxy_of(a.snap), "g1.example.net");
	ck_assert_str_eq(proxy_of(b.snap), "g1.example.net");

	write_common(&d, "good-two.example.net");
	ck_assert_str_eq(proxy_of(config_state_refresh(&a)),
	    "good-two.example.net");
	/* b was idle while the good edit was on disk. */
	write_file(d.etc, "common.yml", "common: [broken\n");
	ck_assert_str_eq(proxy_of(config_state_refresh(&b)),
	    "good-two.example.net");
	ck_assert(b.error[0] != '\0');
	ck_assert_ptr_nonnull(strstr(b.error, "common.yml:"));

	/* A process started now, with the files broken, serves it too. */
	server_state(&c, "c", &d);
	ck_assert_str_eq(proxy_of(c.snap), "good-two.example.net");
	ck_assert(c.error[0] != '\0');

	/* Fixing the files wins over the kept copy everywhere. */
	write_common(&d, "g3.example.net");
	ck_assert_str_eq(proxy_of(config_state_refresh(&b)), "g3.example.net");
	ck_assert_str_eq(b.error, "");
	config_state_free(&a);
	config_state_free(&b);
	config_state_free(&c);
	remove_dirs(&d);
}
END_TEST

START_TEST(test_copy_of_another_directory_is_ignored)
{
	struct config_state a, b;
	struct dirs d;
	char other[160];

	make_dirs(&d);
	server_state(&a, "a", &d);
	ck_assert_ptr_nonnull(a.snap);
	/* The same data directory, another config directory: the copy
	 * belongs to a different fleet and must not be served. */
	snprintf(other, sizeof(other), "%s/other", d.root);
	ck_assert_int_eq(mkdir(other, 0700), 0);
	write_file(other, "phones.yml", "phones: [\n");
	config_state_init(&b, "b", other, other, d.data);
	ck_assert_ptr_null(b.snap);
	config_state_free(&a);
	config_state_free(&b);
	remove_dirs(&d);
}
END_TEST

START_TEST(test_unwritable_data_directory)
{
	struct config_state a;
	struct dirs d;
	char missing[160];

	make_dirs(&d);
	snprintf(missing, sizeof(missing), "%s/no/such/dir", d.root);
	config_state_init(&a, "a", d.etc, d.etc, missing);
	ck_assert_str_eq(proxy_of(a.snap), "g1.example.net");
	config_state_free(&a);
	remove_dirs(&d);
}
END_TEST

/* The inode of data/config-last-good/<rel>; 0 when absent. */
static ino_t
kept_ino(const struct dirs *d, const char *rel)
{
	char path[320];
	struct stat st;

	snprintf(path, sizeof(path), "%s/config-last-good/%s", d->data, rel);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* A change of one devices.d file keeps a copy that links the unchanged
 * files to the previous copy's instead of writing (and fsyncing) them all
 * again, and the copy still serves the new bytes. */
START_TEST(test_copy_links_unchanged_files)
{
	struct config_state a, c;
	struct dirs d;
	char dev[160];
	ino_t one, two;

	make_dirs(&d);
	snprintf(dev, sizeof(dev), "%s/devices.d", d.etc);
	ck_assert_int_eq(mkdir(dev, 0700), 0);
	write_file(dev, "d1.yml", "d1:\n  mac: \"00:11:22:33:44:01\"\n");
	write_file(dev, "d2.yml", "d2:\n  mac: \"00:11:22:33:44:02\"\n");
	server_state(&a, "a", &d);
	ck_assert_ptr_nonnull(a.snap);
	ck_assert((one = kept_ino(&d, "devices.d/d1.yml")) != 0);
	ck_assert((two = kept_ino(&d, "devices.d/d2.yml")) != 0);

	write_file(dev, "d2.yml", "d2:\n  mac: \"00:11:22:33:44:99\"\n"
	    "  notes: moved\n");
	ck_assert_ptr_nonnull(snapshot_find_mac(config_state_refresh(&a),
	    "001122334499"));
	ck_assert(kept_ino(&d, "devices.d/d1.yml") == one);
	ck_assert(kept_ino(&d, "devices.d/d2.yml") != two);
	ck_assert(kept_ino(&d, "phones.yml") != 0);

	/* Broken files now: a new process serves the kept copy, new bytes. */
	write_file(dev, "d1.yml", "d1: [\n");
	server_state(&c, "c", &d);
	ck_assert(c.error[0] != '\0');
	ck_assert_ptr_nonnull(snapshot_find_mac(c.snap, "001122334499"));
	ck_assert_ptr_nonnull(snapshot_find_mac(c.snap, "001122334401"));
	config_state_free(&a);
	config_state_free(&c);
	remove_dirs(&d);
}
END_TEST

Suite *config_lastgood_suite(void);

Suite *
config_lastgood_suite(void)
{
	Suite *s = suite_create("config_lastgood");
	TCase *tc = tcase_create("lastgood");

	tcase_add_test(tc, test_idle_process_follows_the_newest_good);
	tcase_add_test(tc, test_copy_of_another_directory_is_ignored);
	tcase_add_test(tc, test_unwritable_data_directory);
	tcase_add_test(tc, test_copy_links_unchanged_files);
	suite_add_tcase(s, tc);
	return s;
}
