/* Reloading: a changed file is picked up, a broken one never replaces the
 * last good snapshot, and the reason is kept for /health.  Each test works
 * on a copy of the good fixture in a temporary directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include "config_state.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

static const char common_ok[] =
    "common:\n"
    "  Proxy_1_: 'pbx2.example.net'\n"
    "  Time_Zone: 'GMT+02:00'\n";

/* Line 3 is indented one space short. */
static const char common_broken[] =
    "common:\n"
    "  Proxy_1_: 'pbx3.example.net'\n"
    " Time_Zone: 'GMT+03:00'\n";

static const char *
base_value(const struct snapshot *s, const char *name)
{
	const struct param *p = strmap_get(&s->base_slots, name, strlen(name));

	return p ? p->value : NULL;
}

/* Waits long enough for the file system clock to move on, so that a
 * rewrite in place gets a new modification time. */
static void
tick(void)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

START_TEST(test_initial_load)
{
	struct config_state cs;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_ptr_nonnull(cs.snap);
	ck_assert_ptr_eq(config_state_get(&cs), cs.snap);
	ck_assert_str_eq(cs.error, "");
	ck_assert_uint_eq(cs.reloads_ok, 1);
	ck_assert_uint_eq(cs.reloads_failed, 0);
	ck_assert_int_gt(cs.last_good, 0);
	ck_assert_uint_eq(cs.snap->n_phones, 4);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* The sequence an admin goes through: a typo, then the fix. */
START_TEST(test_broken_keeps_last_good)
{
	struct config_state cs;
	const struct snapshot *s, *first;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	ck_assert_str_eq(base_value(first, "Proxy_1_"), "pbx.example.net");

	tu_write(dir, "common.yml", common_broken);
	s = config_state_refresh(&cs);
	ck_assert_ptr_eq(s, first);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx.example.net");
	ck_assert_msg(strncmp(cs.error, "common.yml:3:", 13) == 0,
	    "error is '%s'", cs.error);
	ck_assert_uint_eq(cs.reloads_failed, 1);

	/* Unchanged broken files are not read again and again. */
	s = config_state_refresh(&cs);
	ck_assert_ptr_eq(s, first);
	ck_assert_uint_eq(cs.reloads_failed, 1);

	tu_write(dir, "common.yml", common_ok);
	s = config_state_refresh(&cs);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx2.example.net");
	ck_assert_str_eq(cs.error, "");
	ck_assert_uint_eq(cs.reloads_ok, 2);

	/* Unchanged good files: the same snapshot, no reload. */
	ck_assert_ptr_eq(config_state_refresh(&cs), s);
	ck_assert_uint_eq(cs.reloads_ok, 2);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A file over the YAML budget (an alias bomb) or a FIFO in place of a
 * file is a broken config like any other: refused with file and line,
 * and the last good snapshot keeps serving. */
START_TEST(test_over_budget_keeps_last_good)
{
	static const char bomb[] = "phones:\n"
	    "  a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	    "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	ck_assert_ptr_nonnull(first);
	tu_write(dir, "phones.yml", bomb);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(strncmp(cs.error, "phones.yml:7: aliases and merge keys "
	    "expand to more than", 52) == 0, "error is '%s'", cs.error);
	ck_assert_uint_eq(cs.reloads_failed, 1);
	tick();
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_str_eq(cs.error, "phones.yml: not a regular file");
	ck_assert_uint_eq(first->n_phones, 4);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* Puts a file of the good fixture back into dir. */
static void
restore(const char *dir, const char *file)
{
	char path[512], data[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), GOOD "/%s", file);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	tu_write_n(dir, file, data, n);
}

/* Each file is watched, not only common.yml. */
START_TEST(test_every_file_watched)
{
	static const struct {
		const char	*file, *broken;
	} files[] = {
		{ "phones.yml", "phones:\n  a:\n    mac: nope\n" },
		{ "serviceconfig.yml", "no_such_key: 1\n" },
		{ "firmware.yml", "firmware:\n  update_enabled: maybe\n" },
		{ "comparison.yml", "comparison: [\n" },
		{ "schema.yml", "schema:\n  xml_structure: {a: b}\n" },
	};
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], name[64];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		tu_write(dir, files[i].file, files[i].broken);
		ck_assert_ptr_eq(config_state_refresh(&cs), first);
		snprintf(name, sizeof(name), "%s:", files[i].file);
		ck_assert_msg(strncmp(cs.error, name, strlen(name)) == 0,
		    "after breaking %s: '%s'", files[i].file, cs.error);
		restore(dir, files[i].file);
		first = config_state_refresh(&cs);
		ck_assert_ptr_nonnull(first);
		ck_assert_str_eq(cs.error, "");
	}
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A rewrite in place that keeps the size is noticed by its time. */
START_TEST(test_same_size_rewrite)
{
	struct config_state cs;
	char dir[TU_DIR_MAX], path[512];
	FILE *f;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "common.yml", common_ok);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_str_eq(base_value(cs.snap, "Time_Zone"), "GMT+02:00");
	tick();
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)(strstr(common_ok, "+02") -
	    common_ok), SEEK_SET), 0);
	ck_assert_int_ge(fputs("+05", f), 0);
	ck_assert_int_eq(fclose(f), 0);
	config_state_refresh(&cs);
	ck_assert_str_eq(base_value(cs.snap, "Time_Zone"), "GMT+05:00");
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* Within RELOAD_CHECK_INTERVAL the files are not looked at; a refresh
 * looks at once. */
START_TEST(test_throttle)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	tu_write(dir, "common.yml", common_ok);
	ck_assert_ptr_eq(config_state_get(&cs), first);
	ck_assert_str_eq(base_value(config_state_get(&cs), "Proxy_1_"),
	    "pbx.example.net");
	config_state_refresh(&cs);
	ck_assert_str_eq(base_value(config_state_get(&cs), "Proxy_1_"),
	    "pbx2.example.net");
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A file that disappears is an error too; the last good one serves. */
START_TEST(test_file_removed)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(strncmp(cs.error, "common.yml: missing", 19) == 0,
	    "error is '%s'", cs.error);
	/* An optional file may go away: defaults apply again. */
	tu_write(dir, "common.yml", common_ok);
	snprintf(path, sizeof(path), "%s/firmware.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	ck_assert_str_eq(cs.error, "");
	ck_assert_int_eq(cs.snap->fw.update_enabled, 0);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* An edit undone by putting the very same file back (mv of a backup):
 * the snapshot matches the files again, so the error must go. */
START_TEST(test_edit_undone)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512], bak[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	snprintf(bak, sizeof(bak), "%s/common.yml.bak", dir);
	ck_assert_int_eq(rename(path, bak), 0);
	tu_write(dir, "common.yml", common_broken);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_str_ne(cs.error, "");
	ck_assert_int_eq(rename(bak, path), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(cs.error[0] == '\0', "stale error '%s'", cs.error);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_missing_directory)
{
	struct config_state cs;
	char dir[TU_DIR_MAX], etc[TU_DIR_MAX + 8];

	tu_mkdtemp(dir);
	snprintf(etc, sizeof(etc), "%s/etc", dir);
	config_state_init_dirs(&cs, "test", etc, etc);
	ck_assert_ptr_null(cs.snap);
	ck_assert_ptr_null(config_state_get(&cs));
	ck_assert_msg(strncmp(cs.error, "phones.yml: missing", 19) == 0,
	    "error is '%s'", cs.error);
	ck_assert_int_eq(cs.last_good, 0);

	/* The directory appears: the next look loads it. */
	ck_assert_int_eq(mkdir(etc, 0700), 0);
	tu_write(etc, "phones.yml", "phones:\n  a:\n    Station_Name: A\n");
	tu_write(etc, "common.yml", common_ok);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	ck_assert_str_eq(cs.error, "");
	config_state_free(&cs);
	tu_remove_dir(etc);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_broken_from_the_start)
{
	struct config_state cs;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "common.yml", common_broken);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_ptr_null(cs.snap);
	ck_assert_msg(strncmp(cs.error, "common.yml:3:", 13) == 0,
	    "error is '%s'", cs.error);
	tu_write(dir, "common.yml", common_ok);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

Suite *config_state_suite(void);

Suite *
config_state_suite(void)
{
	Suite *s = suite_create("config_state");
	TCase *tc = tcase_create("reload");

	tcase_add_test(tc, test_initial_load);
	tcase_add_test(tc, test_broken_keeps_last_good);
	tcase_add_test(tc, test_over_budget_keeps_last_good);
	tcase_add_test(tc, test_every_file_watched);
	tcase_add_test(tc, test_same_size_rewrite);
	tcase_add_test(tc, test_throttle);
	tcase_add_test(tc, test_file_removed);
	tcase_add_test(tc, test_edit_undone);
	tcase_add_test(tc, test_missing_directory);
	tcase_add_test(tc, test_broken_from_the_start);
	suite_add_tcase(s, tc);
	return s;
}
