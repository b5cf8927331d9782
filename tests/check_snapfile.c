/* The compiled snapshot file: what a process opens is the configuration
 * the loader builds, phone for phone, and a file that is truncated, of
 * another version, foreign or damaged is refused with a reason. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "snapfile.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

/* The good fixture with a Yealink device added, and the shipped packs. */
static void
stage(char dir[TU_DIR_MAX])
{
	char path[512];
	FILE *f;

	tu_copy_dir(GOOD, dir);
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("  desk-yl:\n    mac: \"00:15:65:00:00:01\"\n"
	    "    vendor: yealink\n    model: T23P\n"
	    "    accounts:\n      - {line: 1, user: \"2001\", "
	    "password: \"pw-2001\"}\n", f);
	ck_assert_int_eq(fclose(f), 0);
	/* The fixture has its own schema.yml; packs come from schema/. */
}

static void
compile_into(const char *dir, char path[512])
{
	struct snapfile_info info;
	struct diag err;

	snprintf(path, 512, "%s/snap", dir);
	ck_assert_msg(snapfile_compile(dir, "schema", path, 42, &info,
	    &err) == 0, "compile: %s", err.msg);
	ck_assert_uint_eq(info.source_sig, 42);
	ck_assert_uint_gt(info.length, 4096);
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every field a request reads, phone by phone. */
static void
assert_same_phone(const struct phone *a, const struct phone *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_str_eq(a->mac, b->mac);
	ck_assert(same_str(a->serial, b->serial));
	ck_assert(same_str(a->model, b->model));
	ck_assert(same_str(a->device, b->device));
	ck_assert_uint_eq(a->tag, b->tag);
	ck_assert_uint_eq(a->n_nets, b->n_nets);
	if (a->n_nets > 0)
		ck_assert_int_eq(memcmp(a->nets, b->nets, a->n_nets *
		    sizeof(*a->nets)), 0);
	ck_assert_uint_eq(a->n_params, b->n_params);
	for (uint32_t i = 0; i < a->n_params; i++) {
		ck_assert_str_eq(a->params[i].name, b->params[i].name);
		ck_assert_str_eq(a->params[i].value, b->params[i].value);
		ck_assert(same_str(a->params[i].ua, b->params[i].ua));
		ck_assert_uint_eq(a->params[i].slot, b->params[i].slot);
	}
	ck_assert_int_eq(a->pack == NULL, b->pack == NULL);
	if (a->pack != NULL) {
		ck_assert_str_eq(a->pack->name, b->pack->name);
		ck_assert_str_eq(a->pmodel->name, b->pmodel->name);
	}
}

START_TEST(test_open_is_the_load)
{
	struct snapshot *priv, *img;
	struct snapfile_info info;
	enum snapfile_error why;
	char dir[TU_DIR_MAX], path[512];
	struct diag err;

	stage(dir);
	compile_into(dir, path);
	priv = snapshot_load(dir, "schema", &err);
	ck_assert_msg(priv != NULL, "%s", err.msg);
	img = snapfile_open(path, SNAPFILE_CHECK_ALL, &info, &why, &err);
	ck_assert_msg(img != NULL, "%s", err.msg);
	ck_assert_int_eq(why, SNAPFILE_OK);
	ck_assert_ptr_nonnull(img->image);
	ck_assert_uint_eq(img->source_hash, priv->source_hash);
	ck_assert_uint_eq(img->n_phones, priv->n_phones);
	ck_assert_uint_eq(img->n_devices, 1);
	ck_assert_uint_eq(img->n_base, priv->n_base);
	ck_assert_uint_eq(img->base_hash, priv->base_hash);
	ck_assert_uint_eq(img->n_warnings, priv->n_warnings);
	for (size_t i = 0; i < priv->n_phones; i++) {
		const struct phone *a = &priv->phones[i];
		char key[IDENT_MAX + 1];
		assert_same_phone(&img->phones[i], a);
		ident_key(a->id, strlen(a->id), key);
		ck_assert_ptr_eq(snapshot_find(img, key), &img->phones[i]);
		if (a->mac[0])
			ck_assert_ptr_eq(snapshot_find_mac(img, a->mac),
			    &img->phones[i]);
	}
	/* The device's pack pointer is the open snapshot's own pack. */
	ck_assert_ptr_eq(img->phones[img->n_phones - 1].pack,
	    packset_find(&img->packs, "yealink"));
	snapshot_free(img);
	snapshot_free(priv);
	tu_remove_dir(dir);
}
END_TEST

/* A process may hold two images while it switches: each compile takes
 * another address, and the same file twice is refused as taken. */
START_TEST(test_two_images)
{
	struct snapshot *a, *b, *again;
	enum snapfile_error why;
	char dir[TU_DIR_MAX], path[512], path2[520];
	struct snapfile_info ia, ib;
	struct diag err;

	stage(dir);
	compile_into(dir, path);
	a = snapfile_open(path, SNAPFILE_CHECK_ALL, &ia, &why, &err);
	ck_assert_msg(a != NULL, "%s", err.msg);
	again = snapfile_open(path, SNAPFILE_CHECK_ALL, NULL, &why, &err);
	ck_assert_ptr_null(again);
	ck_assert_int_eq(why, SNAPFILE_ADDRESS);
	snprintf(path2, sizeof(path2), "%s.2", path);
	/* The slot of an open image is taken, so this compile takes
	 * another one (16 tries among 256 slots). */
	ck_assert_int_eq(snapfile_compile(dir, "schema", path2, 1, &ib, &err),
	    0);
	ck_assert_uint_ne(ia.base, ib.base);
	b = snapfile_open(path2, SNAPFILE_CHECK_TAIL, NULL, &why, &err);
	ck_assert_msg(b != NULL, "%s", err.msg);
	ck_assert_str_eq(b->phones[0].id, a->phones[0].id);
	snapshot_free(a);
	ck_assert_str_eq(b->phones[0].id, "phone-01");
	snapshot_free(b);
	tu_remove_dir(dir);
}
END_TEST

/* How each damage is done to a good file. */
enum damage { TRUNCATE_SMALL, TRUNCATE_BODY, FOREIGN, VERSION, BODY_BYTE,
    HEADER_BYTE, EXTENDED, PHONE_BYTE };

static void
damage(const char *path, enum damage d)
{
	int fd = open(path, O_RDWR);
	struct stat st;
	uint32_t v = 99;
	char c;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	switch (d) {
	case TRUNCATE_SMALL:
		ck_assert_int_eq(ftruncate(fd, 20), 0);
		break;
	case TRUNCATE_BODY:
		ck_assert_int_eq(ftruncate(fd, st.st_size - 100), 0);
		break;
	case FOREIGN:
		ck_assert_int_eq(pwrite(fd, "PK\3\4", 4, 0), 4);
		break;
	case VERSION:
		ck_assert_int_eq(pwrite(fd, &v, 4, 8), 4);
		break;
	case BODY_BYTE:
		ck_assert_int_eq(pread(fd, &c, 1, st.st_size - 7), 1);
		c ^= 0x20;
		ck_assert_int_eq(pwrite(fd, &c, 1, st.st_size - 7), 1);
		break;
	case HEADER_BYTE:
		ck_assert_int_eq(pread(fd, &c, 1, 40), 1);
		c ^= 0x01;
		ck_assert_int_eq(pwrite(fd, &c, 1, 40), 1);
		break;
	case EXTENDED:
		ck_assert_int_eq(pwrite(fd, "x", 1, st.st_size), 1);
		break;
	case PHONE_BYTE:	/* early in the arena: the phones */
		ck_assert_int_eq(pread(fd, &c, 1, 4096 + 64), 1);
		c ^= 0x20;
		ck_assert_int_eq(pwrite(fd, &c, 1, 4096 + 64), 1);
		break;
	}
	close(fd);
}

static const struct {
	int		 line;
	enum damage	 d;
	const char	*says;
} refusals[] = {
	{ __LINE__, TRUNCATE_SMALL, "truncated in its header" },
	{ __LINE__, TRUNCATE_BODY, "truncated or extended" },
	{ __LINE__, EXTENDED, "truncated or extended" },
	{ __LINE__, FOREIGN, "not a deskprov snapshot" },
	{ __LINE__, VERSION, "format version 99, this deskprov reads "
	    "version 1" },
	{ __LINE__, BODY_BYTE, "damaged (checksum)" },
	{ __LINE__, PHONE_BYTE, "damaged (checksum)" },
	{ __LINE__, HEADER_BYTE, "its header is damaged" },
};

START_TEST(test_refused)
{
	enum snapfile_error why;
	struct snapfile_info info;
	char dir[TU_DIR_MAX], path[512];
	struct snapshot *s;
	struct diag err;

	stage(dir);
	compile_into(dir, path);
	damage(path, refusals[_i].d);
	s = snapfile_open(path, SNAPFILE_CHECK_ALL, NULL, &why, &err);
	ck_assert_msg(s == NULL, "line %d: damaged file opened",
	    refusals[_i].line);
	ck_assert_int_eq(why, SNAPFILE_BAD);
	ck_assert_msg(strstr(err.msg, refusals[_i].says) != NULL &&
	    strstr(err.msg, "snapshot 'snap' refused: ") != NULL,
	    "line %d: %s", refusals[_i].line, err.msg);
	ck_assert_int_eq(snapfile_peek(path, &info), refusals[_i].d ==
	    BODY_BYTE || refusals[_i].d == PHONE_BYTE ? 0 : -1);
	/* The tail (what a reader parses) is checked on every open. */
	if (refusals[_i].d == BODY_BYTE)
		ck_assert_ptr_null(snapfile_open(path, SNAPFILE_CHECK_TAIL,
		    NULL, &why, &err));
	tu_remove_dir(dir);
}
END_TEST

/* A config with an error compiles to nothing: the file in place stays. */
START_TEST(test_broken_config_keeps_file)
{
	char dir[TU_DIR_MAX], path[512];
	struct snapfile_info before, after;
	struct diag err;

	stage(dir);
	compile_into(dir, path);
	ck_assert_int_eq(snapfile_peek(path, &before), 0);
	tu_write(dir, "common.yml", "common:\n  Proxy_1_: 'a'\n Bad: 1\n");
	ck_assert_int_eq(snapfile_compile(dir, "schema", path, 7, NULL,
	    &err), -1);
	ck_assert_str_eq(err.file, "common.yml");
	ck_assert_uint_gt(err.line, 0);
	ck_assert_int_eq(snapfile_peek(path, &after), 0);
	ck_assert_uint_eq(after.ino, before.ino);
	ck_assert_uint_eq(after.source_sig, 42);
	tu_remove_dir(dir);
}
END_TEST

/* A compiler killed mid-write leaves "<name>.tmp.<pid>"; the next
 * compile's cleaning removes it and never the file itself. */
START_TEST(test_clean_temps)
{
	char dir[TU_DIR_MAX], path[512], tmp[600];
	struct stat st;

	stage(dir);
	compile_into(dir, path);
	snprintf(tmp, sizeof(tmp), "%s.tmp.12345", path);
	tu_write(dir, "snap.tmp.12345", "half");
	snapfile_clean(dir, "snap");
	ck_assert_int_eq(stat(tmp, &st), -1);
	ck_assert_int_eq(stat(path, &st), 0);
	tu_remove_dir(dir);
}
END_TEST

Suite *snapfile_suite(void);

Suite *
snapfile_suite(void)
{
	Suite *s = suite_create("snapfile");
	TCase *tc = tcase_create("snapfile");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_open_is_the_load);
	tcase_add_test(tc, test_two_images);
	tcase_add_loop_test(tc, test_refused, 0,
	    sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_test(tc, test_broken_config_keeps_file);
	tcase_add_test(tc, test_clean_temps);
	suite_add_tcase(s, tc);
	return s;
}
