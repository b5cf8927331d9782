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
#include "hash.h"
#include "links.h"
#include "snapfile.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"
#define KEY_YL	"abcdefghijklmnopqrstuvwxyz-_0123456789ABCDE"
#define KEY_API	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

/* The good fixture with a Yealink device added (with every field that
 * points somewhere: a link key, link rules, a SIP contact), a Cisco phone
 * the API wrote to devices.d, and the shipped packs. */
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
	    "    link_key: " KEY_YL "\n"
	    "    sip_contact: \"192.0.2.99:5062\"\n"
	    "    links:\n      expires: 2027-01-31T18:00:00+01:00\n"
	    "      mac_check: false\n"
	    "      allow: [\"192.0.2.0/24\", \"2001:db8::1\"]\n"
	    "    accounts:\n      - {line: 1, user: \"2001\", "
	    "password: \"pw-2001\"}\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof(path), "%s/devices.d", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	tu_write(path, "api-1.yml", "api-1:\n"
	    "  mac: \"00:11:22:33:44:99\"\n  link_key: " KEY_API "\n"
	    "  enabled: false\n  Station_Name: \"From the API\"\n");
	/* The fixture has its own schema.yml; packs come from schema/. */
}

/* tu_remove_dir() with stage()'s devices.d. */
static void
unstage(const char *dir)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/devices.d/api-1.yml", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/devices.d", dir);
	rmdir(path);
	tu_remove_dir(dir);
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
	ck_assert(same_str(a->rules.link_key, b->rules.link_key));
	ck_assert_int_eq(a->rules.expires, b->rules.expires);
	ck_assert_uint_eq(a->rules.disabled, b->rules.disabled);
	ck_assert_uint_eq(a->rules.no_mac_check, b->rules.no_mac_check);
	ck_assert_uint_eq(a->rules.n_allow, b->rules.n_allow);
	if (a->rules.n_allow > 0)
		ck_assert_int_eq(memcmp(a->rules.allow, b->rules.allow,
		    a->rules.n_allow * sizeof(*a->rules.allow)), 0);
	ck_assert(same_str(a->sip_addr, b->sip_addr));
	ck_assert_uint_eq(a->sip_port, b->sip_port);
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
	ck_assert_ptr_eq(img->phones[img->n_phones - 2].pack,
	    packset_find(&img->packs, "yealink"));
	/* The link-key index is in the image; devices.d is read. */
	ck_assert_str_eq(img->phones[img->n_phones - 1].id, "api-1");
	ck_assert_uint_ne(img->phones[img->n_phones - 1].tag, 0);
	ck_assert_ptr_eq(links_find_key(img, KEY_YL, LINKS_KEY_LEN),
	    &img->phones[img->n_phones - 2]);
	ck_assert_ptr_eq(links_find_key(img, KEY_API, LINKS_KEY_LEN),
	    &img->phones[img->n_phones - 1]);
	ck_assert_str_eq(img->phones[img->n_phones - 2].sip_addr,
	    "192.0.2.99");
	snapshot_free(img);
	snapshot_free(priv);
	unstage(dir);
}
END_TEST

static const char *
order_text(const struct phone *ph, int k)
{
	return k == SNAPSHOT_BY_MAC ? ph->mac : k == SNAPSHOT_BY_VENDOR ?
	    snapshot_vendor_name(ph) : ph->id;
}

/* The fleet page's orders come with the image, made by the compile: in
 * strcmp() order of name, MAC and vendor, ties by position, and inside
 * the mapping, so that no process sorts the fleet again. */
START_TEST(test_orders_in_image)
{
	struct snapshot *img;
	struct snapfile_info info;
	enum snapfile_error why;
	char dir[TU_DIR_MAX], path[512];
	struct diag err;
	const unsigned char *lo, *hi;

	stage(dir);
	compile_into(dir, path);
	img = snapfile_open(path, SNAPFILE_CHECK_ALL, &info, &why, &err);
	ck_assert_msg(img != NULL, "%s", err.msg);
	ck_assert_uint_ge(img->n_phones, 3);
	lo = (const unsigned char *)img->phones;
	hi = lo + info.length;
	for (int k = 0; k < SNAPSHOT_ORDERS; k++) {
		const uint32_t *pos = img->rank[k];

		ck_assert_ptr_nonnull(pos);
		ck_assert((const unsigned char *)pos > lo &&
		    (const unsigned char *)pos < hi);
		/* phone i before phone j exactly when its text sorts first
		 * (or the same text, and i comes first): places 0..n-1 */
		for (size_t i = 0; i < img->n_phones; i++) {
			ck_assert_uint_lt(pos[i], img->n_phones);
			for (size_t j = 0; j < img->n_phones; j++) {
				int c = strcmp(order_text(&img->phones[i], k),
				    order_text(&img->phones[j], k));
				if (i != j && (c < 0 || (c == 0 && i < j)))
					ck_assert_uint_lt(pos[i], pos[j]);
			}
		}
	}
	ck_assert_str_eq(snapshot_vendor_name(&img->phones[img->n_phones -
	    2]), "yealink");
	ck_assert_str_eq(snapshot_vendor_name(&img->phones[0]),
	    "cisco (flat)");
	snapshot_free(img);
	unstage(dir);
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
	unstage(dir);
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
	    "version 2" },
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
	unstage(dir);
}
END_TEST

/* Where struct snap_header (src/lib/snapfile.c) keeps the compiling
 * boot's id and its own checksum, over the bytes before it. */
#define HEADER_BOOT	104
#define HEADER_SUM	136

/* Makes the image look written in another boot, its header still whole. */
static void
stamp_other_boot(const char *path)
{
	unsigned char h[HEADER_SUM];
	uint64_t sum;
	int fd = open(path, O_RDWR);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pread(fd, h, sizeof(h), 0), (ssize_t)sizeof(h));
	h[HEADER_BOOT] ^= 0x5a;
	sum = hash_words(HASH_SEED, h, sizeof(h));
	ck_assert_int_eq(pwrite(fd, h, sizeof(h), 0), (ssize_t)sizeof(h));
	ck_assert_int_eq(pwrite(fd, &sum, sizeof(sum), HEADER_SUM),
	    (ssize_t)sizeof(sum));
	close(fd);
}

/* An image is renamed into place before its fsync: this boot reads it
 * whole from the page cache, and the tail check is enough.  One from
 * another boot may be what a power loss left of a write, holes and all:
 * every byte of it is checked, even when only the tail was asked for. */
START_TEST(test_other_boot_checked_whole)
{
	char dir[TU_DIR_MAX], path[512];
	enum snapfile_error why;
	struct snapshot *s;
	struct diag err;

	stage(dir);
	compile_into(dir, path);
	ck_assert_int_eq(snapfile_settle(path), 0);
	stamp_other_boot(path);
	s = snapfile_open(path, SNAPFILE_CHECK_TAIL, NULL, &why, &err);
	ck_assert_msg(s != NULL, "open: %s", err.msg);
	snapshot_free(s);
	/* A byte of the phones, outside the tail, damaged. */
	compile_into(dir, path);
	damage(path, PHONE_BYTE);
	s = snapfile_open(path, SNAPFILE_CHECK_TAIL, NULL, &why, &err);
	ck_assert_msg(s != NULL, "this boot's image: %s", err.msg);
	snapshot_free(s);
	stamp_other_boot(path);
	ck_assert_ptr_null(snapfile_open(path, SNAPFILE_CHECK_TAIL, NULL, &why,
	    &err));
	ck_assert_int_eq(why, SNAPFILE_BAD);
	ck_assert_msg(strstr(err.msg, "damaged (checksum)") != NULL, "%s",
	    err.msg);
	unstage(dir);
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
	unstage(dir);
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
	unstage(dir);
}
END_TEST

/* The image is built inside a shared mapping of its temporary file,
 * sparse and larger than the image while it grows: what is renamed into
 * place is exactly the header's length, on disk as much as it is long,
 * the temporary file is gone, and a second compile over it (a new
 * temporary file of the same name pattern) replaces it whole. */
START_TEST(test_written_in_place)
{
	char dir[TU_DIR_MAX], path[512], tmp[600];
	struct snapfile_info info;
	struct stat st;
	enum snapfile_error why;
	struct snapshot *s;
	struct diag err;

	stage(dir);
	for (int i = 0; i < 2; i++) {
		compile_into(dir, path);
		ck_assert_int_eq(snapfile_peek(path, &info), 0);
		ck_assert_int_eq(stat(path, &st), 0);
		ck_assert_uint_eq((uint64_t)st.st_size, info.length);
		ck_assert_uint_le((uint64_t)st.st_blocks * 512,
		    info.length + 65536);
		snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
		ck_assert_int_eq(stat(tmp, &st), -1);
		ck_assert_int_eq(errno, ENOENT);
		s = snapfile_open(path, SNAPFILE_CHECK_ALL, NULL, &why, &err);
		ck_assert_msg(s != NULL, "open: %s", err.msg);
		ck_assert_ptr_nonnull(snapshot_find(s, "api-1"));
		snapshot_free(s);
	}
	unstage(dir);
}
END_TEST

/* Every pointer struct phone holds, and where an image keeps what it
 * points to: the arena, or the pinned pack tables.  When struct phone
 * (or struct phone_rules) changes, test_walker_fields fails: list each
 * new pointer field here AND check it in snapfile_phone_inside()
 * (src/lib/snapfile.c), then update PHONE_SIZE / PHONE_RULES_SIZE.  A
 * pointer the walker does not know of would reach another process as an
 * address of the compiler's heap. */
#define PHONE_SIZE		152
#define PHONE_RULES_SIZE	32
#define PARAM_SIZE		40

static const struct {
	int	 line;
	size_t	 off;
	int	 pinned;	/* points into the pack tables */
} phone_pointers[] = {
	{ __LINE__, offsetof(struct phone, id), 0 },
	{ __LINE__, offsetof(struct phone, serial), 0 },
	{ __LINE__, offsetof(struct phone, model), 0 },
	{ __LINE__, offsetof(struct phone, nets), 0 },
	{ __LINE__, offsetof(struct phone, params), 0 },
	{ __LINE__, offsetof(struct phone, pack), 1 },
	{ __LINE__, offsetof(struct phone, pmodel), 1 },
	{ __LINE__, offsetof(struct phone, device), 0 },
	{ __LINE__, offsetof(struct phone, rules.link_key), 0 },
	{ __LINE__, offsetof(struct phone, rules.allow), 0 },
	{ __LINE__, offsetof(struct phone, sip_addr), 0 },
};

START_TEST(test_walker_fields)
{
	ck_assert_msg(sizeof(struct phone) == PHONE_SIZE &&
	    sizeof(struct phone_rules) == PHONE_RULES_SIZE &&
	    sizeof(struct param) == PARAM_SIZE,
	    "struct phone is %zu bytes, phone_rules %zu, param %zu: a field "
	    "was added; teach snapfile_phone_inside() its pointers, list "
	    "them in phone_pointers[] and update the sizes here",
	    sizeof(struct phone), sizeof(struct phone_rules),
	    sizeof(struct param));
}
END_TEST

/* Each listed pointer, pointed outside the image, is caught; so is a
 * parameter's string. */
START_TEST(test_walker_catches)
{
	static union {
		struct param	 p[1];
		unsigned char	 b[512];
	} arena;
	static unsigned char pin[256];
	static const char outside[] = "a literal of this executable";
	const unsigned char *lo = arena.b, *hi = arena.b + sizeof(arena.b);
	const unsigned char *pl = pin, *pin_hi = pin + sizeof(pin);
	struct phone ph;

	memset(&ph, 0, sizeof(ph));
	for (size_t i = 0; i < sizeof(phone_pointers) /
	    sizeof(phone_pointers[0]); i++) {
		const void *in = phone_pointers[i].pinned ? pin + 16 :
		    arena.b + 256;
		memcpy((char *)&ph + phone_pointers[i].off, &in, sizeof(in));
	}
	arena.p[0].name = (const char *)arena.b + 300;
	arena.p[0].value = (const char *)arena.b + 310;
	ph.params = arena.p;
	ph.n_params = 1;
	ck_assert_int_eq(snapfile_phone_inside(&ph, lo, hi, pl, pin_hi), 1);
	for (size_t i = 0; i < sizeof(phone_pointers) /
	    sizeof(phone_pointers[0]); i++) {
		char *field = (char *)&ph + phone_pointers[i].off;
		const void *save, *bad = outside;

		memcpy(&save, field, sizeof(save));
		memcpy(field, &bad, sizeof(bad));
		ck_assert_msg(snapfile_phone_inside(&ph, lo, hi, pl, pin_hi) ==
		    0, "line %d: a pointer out of the image passes",
		    phone_pointers[i].line);
		memcpy(field, &save, sizeof(save));
	}
	arena.p[0].ua = outside;
	ck_assert_int_eq(snapfile_phone_inside(&ph, lo, hi, pl, pin_hi), 0);
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
	tcase_add_test(tc, test_orders_in_image);
	tcase_add_test(tc, test_two_images);
	tcase_add_loop_test(tc, test_refused, 0,
	    sizeof(refusals) / sizeof(refusals[0]));
	tcase_add_test(tc, test_other_boot_checked_whole);
	tcase_add_test(tc, test_broken_config_keeps_file);
	tcase_add_test(tc, test_clean_temps);
	tcase_add_test(tc, test_written_in_place);
	tcase_add_test(tc, test_walker_fields);
	tcase_add_test(tc, test_walker_catches);
	suite_add_tcase(s, tc);
	return s;
}
