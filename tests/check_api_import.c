/* api_import.c: vendor CSV sheets and JSON files turned into devices. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api_import.h"
#include "devstore.h"
#include "testutil.h"

static json_object *
csv(const char *text, char *err, size_t errsz)
{
	json_object *out = NULL;

	err[0] = '\0';
	if (api_import_csv(text, strlen(text), NULL, &out, err, errsz) < 0)
		return NULL;
	return out;
}

static const char *
plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* Yealink-style sheet: rows of one MAC are its lines. */
START_TEST(test_csv_groups_lines)
{
	char err[256];
	json_object *l = csv("MAC,Model,Vendor,Account,Password,Display Name,"
	    "Line\r\n00:15:65:11:22:33,T46S,yealink,3001,pw1,Alice,1\r\n"
	    "00:15:65:11:22:33,T46S,yealink,3002,\"p,w\"\"2\",\"Alice, 2\",2\r\n"
	    "\r\n", err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(plain(l), "[{\"id\":\"001565112233\",\"device\":"
	    "{\"vendor\":\"yealink\",\"model\":\"T46S\",\"mac\":\"001565112233\","
	    "\"accounts\":[{\"line\":1,\"user\":\"3001\",\"password\":\"pw1\","
	    "\"display_name\":\"Alice\"},{\"line\":2,\"user\":\"3002\","
	    "\"password\":\"p,w\\\"2\",\"display_name\":\"Alice, 2\"}]}}]");
	json_object_put(l);
}
END_TEST

/* ';' between fields, other spellings of the columns, an id column. */
START_TEST(test_csv_semicolons_and_aliases)
{
	char err[256];
	json_object *l = csv("device_id;mac_address;Brand;EXTENSION;secret;"
	    "sip-server;Auth Name\nlobby;0004f2aabb01;polycom;100;s;pbx.example;"
	    "a100\n", err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(plain(l), "[{\"id\":\"lobby\",\"device\":{\"vendor\":"
	    "\"polycom\",\"mac\":\"0004f2aabb01\",\"accounts\":[{\"line\":1,"
	    "\"user\":\"100\",\"password\":\"s\",\"auth_user\":\"a100\","
	    "\"server\":{\"host\":\"pbx.example\"}}]}}]");
	json_object_put(l);
}
END_TEST

/* A bad row fails alone; the rest go on. */
START_TEST(test_csv_bad_row)
{
	char err[256];
	json_object *l = csv("mac,model\nzz,T46S\n001565000001,T46S\n", err,
	    sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(json_object_array_length(l), 2);
	ck_assert_str_eq(plain(json_object_array_get_idx(l, 0)),
	    "{\"id\":\"line 2\",\"error\":\"line 2: not a MAC address\"}");
	json_object_put(l);
}
END_TEST

static const struct {
	const char	*text, *err;
	int		 line;
} bad_files[] = {
	{ "", "no header row", __LINE__ },
	{ "mac,colour\n", "line 1: unknown column 2", __LINE__ },
	{ "mac\n\"0015\n", "line 2: a broken quote", __LINE__ },
	{ "mac\n001565000001,x\n", "line 2: more fields than columns",
	    __LINE__ },
};

START_TEST(test_csv_bad_files)
{
	char err[256];
	json_object *l = csv(bad_files[_i].text, err, sizeof(err));

	ck_assert_msg(l == NULL, "line %d: parsed", bad_files[_i].line);
	ck_assert_msg(strstr(err, bad_files[_i].err) != NULL, "line %d: %s",
	    bad_files[_i].line, err);
}
END_TEST

START_TEST(test_json_items)
{
	const char *t = "[{\"mac\":\"00:15:65:11:30:8f\",\"status\":true},"
	    "{\"id\":\"d2\",\"device\":{\"mac\":\"1\"}}]";
	json_object *l = NULL;
	char err[128];

	ck_assert_int_eq(api_import_json(t, strlen(t), &l, err, sizeof(err)),
	    0);
	ck_assert_str_eq(plain(l), "[{\"id\":\"00156511308f\",\"device\":"
	    "{\"mac\":\"00:15:65:11:30:8f\",\"status\":true}},{\"id\":\"d2\","
	    "\"device\":{\"mac\":\"1\"}}]");
	json_object_put(l);
	ck_assert_int_eq(api_import_json("[{\"x\":1}]", 9, &l, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(l);
}
END_TEST


/* A sheet of n acme phones (MAC 00a0b0 + i), the first `changed` with
 * another password, and a row "dupe" with the MAC of the sixth. */
static void
write_sheet(const char *dir, size_t n, size_t changed, int dupe)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "id,mac,model,vendor,account,password\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "imp-%05zu,00:a0:b0:10:%02zx:%02zx,X1,acme,%zu,"
		    "pw%s%zu\n", i, i / 256, i % 256, 5000 + i, i < changed ?
		    "-new-" : "-", i);
	if (dupe)
		buf_adds(&b, "dupe,00:a0:b0:10:00:05,X1,acme,1,pw\n");
	tu_write_n(dir, "sheet.csv", b.data, b.len);
	buf_free(&b);
}

static size_t
n_stored(const char *etc)
{
	char **ids;
	size_t n = devstore_list(etc, &ids);

	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return n;
}

static void
import(struct app *app, const char *dir, int dry_run,
    struct import_summary *sum)
{
	char path[TU_DIR_MAX + 16];
	FILE *out = tmpfile();

	ck_assert_ptr_nonnull(out);
	snprintf(path, sizeof(path), "%s/sheet.csv", dir);
	ck_assert_int_eq(api_import_path(app, path, dry_run, out, sum), 0);
	fclose(out);
}

/* 2,000 devices in one import: every one checked and written, the counts
 * exact; then the same sheet with ten changed and one conflicting row,
 * first as a dry run (nothing written), then for real. */
START_TEST(test_import_2000)
{
	char etc[TU_DIR_MAX], in[TU_DIR_MAX], sub[TU_DIR_MAX + 16];
	struct import_summary sum;
	struct app app;
	const struct phone *ph;
	size_t before;

	tu_copy_dir("tests/data/vendors/etc", etc);
	tu_mkdtemp(in);
	tu_app(&app, etc, "tests/data/vendors/schema", NULL);
	ck_assert_ptr_nonnull(app.cs.snap);
	before = app.cs.snap->n_devices;
	write_sheet(in, 2000, 0, 0);
	import(&app, in, 0, &sum);
	ck_assert_uint_eq(sum.created, 2000);
	ck_assert_uint_eq(sum.updated + sum.unchanged + sum.failed, 0);
	ck_assert_uint_eq(n_stored(etc), 2000);

	write_sheet(in, 2000, 10, 1);
	import(&app, in, 1, &sum);
	ck_assert_uint_eq(sum.updated, 10);
	ck_assert_uint_eq(sum.unchanged, 1990);
	ck_assert_uint_eq(sum.failed, 1);
	ck_assert_uint_eq(sum.created, 0);
	import(&app, in, 0, &sum);
	ck_assert_uint_eq(sum.updated, 10);
	ck_assert_uint_eq(sum.unchanged, 1990);
	ck_assert_uint_eq(sum.failed, 1);
	ck_assert_uint_eq(n_stored(etc), 2000);

	/* What was written loads, the changed passwords with it. */
	app.cs.next_check = 0;
	ck_assert_ptr_nonnull(config_state_get(&app.cs));
	ck_assert_uint_eq(app.cs.snap->n_devices, before + 2000);
	ph = snapshot_find(app.cs.snap, "imp-00003");
	ck_assert_ptr_nonnull(ph);
	ck_assert_ptr_nonnull(strstr(ph->device, "\"pw-new-3\""));
	ph = snapshot_find(app.cs.snap, "imp-01003");
	ck_assert_ptr_nonnull(strstr(ph->device, "\"pw-1003\""));
	app_free(&app);
	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR, etc);
	tu_remove_dir(sub);
	tu_remove_dir(etc);
	tu_remove_dir(in);
}
END_TEST

Suite *api_import_suite(void);

Suite *
api_import_suite(void)
{
	Suite *s = suite_create("api_import");
	TCase *tc = tcase_create("api_import");

	tcase_add_test(tc, test_csv_groups_lines);
	tcase_add_test(tc, test_csv_semicolons_and_aliases);
	tcase_add_test(tc, test_csv_bad_row);
	tcase_add_loop_test(tc, test_csv_bad_files, 0, sizeof(bad_files) /
	    sizeof(bad_files[0]));
	tcase_add_test(tc, test_json_items);
	tcase_add_test(tc, test_import_2000);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
