/* The API's device files (devstore.c) and how the config loader reads
 * them: etc/devices.d/<id>.yml after phones.yml, named in diagnostics,
 * and a write checked in memory (snapshot_load_override). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "devstore.h"
#include "ident.h"
#include "testutil.h"

#define VETC	"tests/data/vendors/etc"
#define VSCHEMA	"tests/data/vendors/schema"

static const struct {
	const char	*id;
	int		 ok;
	int		 line;
} ids[] = {
	{ "desk1", 1, __LINE__ }, { "a.b-c_D9", 1, __LINE__ },
	{ "0015651130aa", 1, __LINE__ },
	{ "", 0, __LINE__ }, { ".hidden", 0, __LINE__ }, { "-x", 0, __LINE__ },
	{ "_x", 0, __LINE__ }, { "..", 0, __LINE__ }, { "a/b", 0, __LINE__ },
	{ "a b", 0, __LINE__ }, { "a:b", 0, __LINE__ }, { "a\\b", 0, __LINE__ },
	{ "x.yml\n", 0, __LINE__ },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 1,
	    __LINE__ },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0,
	    __LINE__ },
};

START_TEST(test_id_charset)
{
	ck_assert_msg(devstore_id_ok(ids[_i].id) == ids[_i].ok,
	    "line %d: %s", ids[_i].line, ids[_i].id);
}
END_TEST

START_TEST(test_file_names)
{
	ck_assert(devstore_file_name_ok("desk1.yml"));
	ck_assert(!devstore_file_name_ok(".desk1.yml.123"));
	ck_assert(!devstore_file_name_ok("desk1.yaml"));
	ck_assert(!devstore_file_name_ok(".yml"));
	ck_assert(!devstore_file_name_ok(".lock"));
}
END_TEST

/* A private copy of the vendor fixture with a devices.d. */
static void
setup_etc(char dir[TU_DIR_MAX])
{
	char sub[128];

	tu_copy_dir(VETC, dir);
	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR, dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
}

static void
remove_etc(const char *dir)
{
	char sub[128];

	snprintf(sub, sizeof(sub), "%s/" DEVSTORE_DIR, dir);
	tu_remove_dir(sub);
	tu_remove_dir(dir);
}

START_TEST(test_write_read_remove)
{
	char dir[TU_DIR_MAX], *data, e1[DEVSTORE_ETAG_LEN], e2[DEVSTORE_ETAG_LEN];
	char path[256], **list;
	struct stat st;
	size_t len, n;
	int lock;

	setup_etc(dir);
	ck_assert_int_eq(devstore_read(dir, "d1", &data, &len), 1);
	lock = devstore_lock(dir);
	ck_assert_int_ge(lock, 0);
	ck_assert_int_eq(devstore_write(dir, "d1", "d1: {}\n", 7), 0);
	ck_assert_int_eq(devstore_write(dir, "d0", "d0: {}\n", 7), 0);
	ck_assert_int_eq(devstore_write(dir, "../x", "x", 1), -EINVAL);
	devstore_unlock(lock);
	ck_assert_int_eq(devstore_read(dir, "d1", &data, &len), 0);
	ck_assert_str_eq(data, "d1: {}\n");
	devstore_etag(data, len, e1);
	ck_assert_uint_eq(strlen(e1), 34);
	ck_assert(e1[0] == '"' && e1[33] == '"');
	devstore_etag("d1: {} \n", 8, e2);
	ck_assert_str_ne(e1, e2);
	free(data);
	/* Passwords live here: not readable by others. */
	snprintf(path, sizeof(path), "%s/" DEVSTORE_DIR "/d1.yml", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	n = devstore_list(dir, &list);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0], "d0");
	ck_assert_str_eq(list[1], "d1");
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	ck_assert_int_eq(devstore_remove(dir, "d1"), 0);
	ck_assert_int_eq(devstore_remove(dir, "d1"), -ENOENT);
	ck_assert_int_eq(devstore_remove(dir, "d0"), 0);
	snprintf(path, sizeof(path), "%s/" DEVSTORE_DIR "/.lock", dir);
	unlink(path);
	remove_etc(dir);
}
END_TEST

static void
write_str(const char *dir, const char *id, const char *yaml)
{
	ck_assert_int_eq(devstore_write(dir, id, yaml, strlen(yaml)), 0);
}

static struct snapshot *
load_ok(const char *dir)
{
	struct diag err;
	struct snapshot *s = snapshot_load(dir, VSCHEMA, &err);
	char msg[DIAG_TEXT_MAX];

	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "refused: %s", msg);
	return s;
}

START_TEST(test_loader_reads_devices_d)
{
	char dir[TU_DIR_MAX], key[IDENT_MAX + 1];
	struct snapshot *s0 = NULL, *s;
	const struct phone *ph;

	setup_etc(dir);
	s0 = load_ok(dir);
	write_str(dir, "api-desk", "api-desk:\n  vendor: acme\n  model: X2-Pro\n"
	    "  mac: \"00:a0:b0:00:00:99\"\n  accounts:\n"
	    "    - {line: 1, user: \"3001\", password: \"p\"}\n");
	write_str(dir, "api-flat",
	    "api-flat:\n  mac: \"001122334499\"\n  User_ID_1_: \"9\"\n");
	s = load_ok(dir);
	ck_assert_uint_eq(s->n_phones, s0->n_phones + 2);
	ck_assert_uint_eq(s->n_devices, s0->n_devices + 1);
	ident_key("api-desk", 8, key);
	ph = snapshot_find(s, key);
	ck_assert_ptr_nonnull(ph);
	ck_assert_str_eq(ph->model, "X2");
	ck_assert_ptr_nonnull(snapshot_find_mac(s, "00a0b0000099"));
	ph = snapshot_find_mac(s, "001122334499");
	ck_assert_ptr_nonnull(ph);
	ck_assert_str_eq(ph->id, "api-flat");
	ck_assert_ptr_null(ph->pack);
	ck_assert(s->source_hash != s0->source_hash);
	snapshot_free(s);
	snapshot_free(s0);
	devstore_remove(dir, "api-desk");
	devstore_remove(dir, "api-flat");
	remove_etc(dir);
}
END_TEST

/* A broken device file is named with its line, as deskprov check says. */
static const struct {
	const char	*yaml;
	const char	*want;		/* in the formatted diagnostic */
	int		 line;
} broken[] = {
	{ "d:\n  vendor: acme\n  model: X9\n  mac: \"00a0b0000098\"\n",
	    "devices.d/d.yml:3: phone 'd': no model 'X9'", __LINE__ },
	{ "other:\n  mac: \"00a0b0000098\"\n",
	    "devices.d/d.yml:1: expected one phone entry named like the file",
	    __LINE__ },
	{ "d:\n  mac: \"00:a0:b0:00:00:01\"\n",
	    "devices.d/d.yml:1: phone 'd': MAC '00a0b0000001' also identifies "
	    "phone 'desk'", __LINE__ },
	{ "d:\n  vendor: acme\n  model: X1\n  mac: \"00a0b0000098\"\n"
	    "  acounts: []\n", "devices.d/d.yml:5: phone 'd': device: unknown "
	    "key 'acounts'", __LINE__ },
	{ "d: [\n", "devices.d/d.yml:", __LINE__ },
};

START_TEST(test_loader_names_device_file)
{
	char dir[TU_DIR_MAX], msg[DIAG_TEXT_MAX];
	struct snapshot *s;
	struct diag err;

	setup_etc(dir);
	ck_assert_int_eq(devstore_write(dir, "d", broken[_i].yaml,
	    strlen(broken[_i].yaml)), 0);
	s = snapshot_load(dir, VSCHEMA, &err);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s == NULL, "line %d: loaded", broken[_i].line);
	ck_assert_msg(strstr(msg, broken[_i].want) != NULL,
	    "line %d: %s", broken[_i].line, msg);
	devstore_remove(dir, "d");
	remove_etc(dir);
}
END_TEST

/* The same loader checks a write in memory; nothing on disk changes. */
START_TEST(test_override)
{
	char dir[TU_DIR_MAX], msg[DIAG_TEXT_MAX], key[IDENT_MAX + 1];
	const char *good = "o:\n  mac: \"001122334488\"\n";
	const char *bad = "o:\n  mac: \"not a mac\"\n";
	struct config_override ov = { "devices.d/o.yml", good, strlen(good) };
	struct snapshot *s;
	struct diag err;
	char *data;
	size_t len;

	setup_etc(dir);
	s = snapshot_load_override(dir, VSCHEMA, &ov, &err);
	ck_assert_ptr_nonnull(s);
	ident_key("o", 1, key);
	ck_assert_ptr_nonnull(snapshot_find(s, key));
	snapshot_free(s);
	ck_assert_int_eq(devstore_read(dir, "o", &data, &len), 1);
	ov.data = bad;
	ov.len = strlen(bad);
	ck_assert_ptr_null(snapshot_load_override(dir, VSCHEMA, &ov, &err));
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "devices.d/o.yml:2:") != NULL, "%s", msg);
	/* A removal: the stored file is left out. */
	ck_assert_int_eq(devstore_write(dir, "o", bad, strlen(bad)), 0);
	ck_assert_ptr_null(snapshot_load(dir, VSCHEMA, &err));
	ov.data = NULL;
	s = snapshot_load_override(dir, VSCHEMA, &ov, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(snapshot_find(s, key));
	snapshot_free(s);
	devstore_remove(dir, "o");
	remove_etc(dir);
}
END_TEST

Suite *devstore_suite(void);

Suite *
devstore_suite(void)
{
	Suite *s = suite_create("devstore");
	TCase *tc = tcase_create("devstore");

	tcase_add_loop_test(tc, test_id_charset, 0, sizeof(ids) /
	    sizeof(ids[0]));
	tcase_add_test(tc, test_file_names);
	tcase_add_test(tc, test_write_read_remove);
	tcase_add_test(tc, test_loader_reads_devices_d);
	tcase_add_loop_test(tc, test_loader_names_device_file, 0,
	    sizeof(broken) / sizeof(broken[0]));
	tcase_add_test(tc, test_override);
	suite_add_tcase(s, tc);
	return s;
}
