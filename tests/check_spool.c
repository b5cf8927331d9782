/* The report spool: records come back whole, in order, sealed at rest;
 * a torn tail is cut, a foreign record is skipped, segments roll over. */
#define _GNU_SOURCE	/* memmem */
#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spool.h"
#include "testutil.h"

#define SECRET	"Sup3rSecretSipPassw0rd"

static struct secret_key key;
static char dir[TU_DIR_MAX];

static struct spool *
open_spool(unsigned char fill)
{
	struct secret_key k;
	struct spool *sp;
	char err[300];

	memset(k.bytes, fill, sizeof(k.bytes));
	sp = spool_open(dir, &k, err, sizeof(err));
	ck_assert_msg(sp != NULL, "spool_open: %s", err);
	return sp;
}

static void
setup(void)
{
	tu_mkdtemp(dir);
	memset(key.bytes, 0x5a, sizeof(key.bytes));
}

static void
teardown(void)
{
	char sub[TU_DIR_MAX + 16];

	snprintf(sub, sizeof(sub), "%s/spool", dir);
	tu_remove_dir(sub);
	tu_remove_dir(dir);
}

static void
append(struct spool *sp, const char *mac, enum report_kind kind,
    const char *body)
{
	struct spool_record r = { .kind = kind, .ip = "192.0.2.7",
	    .user_agent = "Cisco-CP-8841-3PCC/11.3.7 (001122334455)",
	    .body = body, .body_len = strlen(body) };
	char err[300];

	r.when.tv_sec = 1795342073;
	r.when.tv_nsec = 123456000;
	memcpy(r.mac, mac, SPOOL_MAC_LEN + 1);
	ck_assert_msg(spool_append(sp, &r, err, sizeof(err)) == 0,
	    "spool_append: %s", err);
}

/* The next record must be mac/body; it is marked done. */
static void
expect(struct spool *sp, const char *mac, const char *body)
{
	struct spool_record r;
	char err[300], *owned = NULL;

	ck_assert_int_eq(spool_next(sp, &r, &owned, err, sizeof(err)), 1);
	ck_assert_str_eq(r.mac, mac);
	ck_assert_str_eq(r.body, body);
	ck_assert_uint_eq(r.body_len, strlen(body));
	ck_assert_str_eq(r.ip, "192.0.2.7");
	ck_assert_str_eq(r.user_agent,
	    "Cisco-CP-8841-3PCC/11.3.7 (001122334455)");
	ck_assert_int_eq(r.when.tv_sec, 1795342073);
	ck_assert_int_eq(r.when.tv_nsec, 123456000);
	spool_done(sp);
	free(owned);
}

static void
expect_empty(struct spool *sp)
{
	struct spool_record r;
	char err[300], *owned = NULL;

	ck_assert_int_eq(spool_next(sp, &r, &owned, err, sizeof(err)), 0);
	ck_assert_uint_eq(spool_backlog(sp), 0);
}

/* Every byte of every file under dir/spool, concatenated. */
static size_t
spool_bytes(char *out, size_t cap)
{
	char sub[TU_DIR_MAX + 16], path[TU_DIR_MAX + 300];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(sub, sizeof(sub), "%s/spool", dir);
	ck_assert_ptr_nonnull(d = opendir(sub));
	while ((e = readdir(d)) != NULL) {
		int fd;
		ssize_t r;

		snprintf(path, sizeof(path), "%s/%s", sub, e->d_name);
		if (e->d_name[0] == '.' || (fd = open(path, O_RDONLY)) < 0)
			continue;
		while (n < cap && (r = read(fd, out + n, cap - n)) > 0)
			n += (size_t)r;
		close(fd);
	}
	closedir(d);
	return n;
}

START_TEST(test_round_trip_in_order)
{
	struct spool *sp = open_spool(0x5a);

	expect_empty(sp);
	append(sp, "001122334455", REPORT_CONFIG, "<flat-profile/>");
	append(sp, "00aabbccddee", REPORT_DELTA, "<a>1</a>");
	ck_assert_uint_gt(spool_backlog(sp), 0);
	expect(sp, "001122334455", "<flat-profile/>");
	expect(sp, "00aabbccddee", "<a>1</a>");
	expect_empty(sp);
	spool_close(sp);
}
END_TEST

/* The drainer is another process: it opens its own handle. */
START_TEST(test_second_handle_reads)
{
	struct spool *w = open_spool(0x5a), *r = open_spool(0x5a);
	struct spool_record rec;
	char err[300], *owned = NULL;

	append(w, "001122334455", REPORT_CONFIG, "<x/>");
	expect(r, "001122334455", "<x/>");
	ck_assert_int_eq(spool_next(w, &rec, &owned, err, sizeof(err)), 0);
	spool_close(w);
	spool_close(r);
}
END_TEST

START_TEST(test_sealed_at_rest)
{
	static char bytes[1 << 20];
	struct spool *sp = open_spool(0x5a);
	size_t n;

	append(sp, "001122334455", REPORT_CONFIG,
	    "<flat-profile><Password_1_>" SECRET "</Password_1_>"
	    "</flat-profile>");
	n = spool_bytes(bytes, sizeof(bytes));
	ck_assert_uint_gt(n, strlen(SECRET));
	ck_assert_ptr_null(memmem(bytes, n, SECRET, strlen(SECRET)));
	ck_assert_ptr_null(memmem(bytes, n, "flat-profile", 12));
	ck_assert_ptr_null(memmem(bytes, n, "001122334455", 12));
	spool_close(sp);
}
END_TEST

/* Sealed under another key (a data directory copied between hosts): the
 * record is skipped with a reason, never handed out. */
START_TEST(test_foreign_record_skipped)
{
	struct spool *other = open_spool(0x11), *sp;
	struct spool_record r;
	char err[300], *owned = NULL;

	append(other, "001122334455", REPORT_CONFIG, "<x/>");
	spool_close(other);
	sp = open_spool(0x5a);
	append(sp, "00aabbccddee", REPORT_CONFIG, "<y/>");
	ck_assert_int_eq(spool_next(sp, &r, &owned, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "does not open"));
	expect(sp, "00aabbccddee", "<y/>");
	expect_empty(sp);
	spool_close(sp);
}
END_TEST

/* A writer killed in the middle of a record leaves bytes past the end:
 * the next writer cuts them off and the records read back whole. */
START_TEST(test_torn_tail_cut)
{
	struct spool *sp = open_spool(0x5a);
	char path[TU_DIR_MAX + 64];
	int fd;

	append(sp, "001122334455", REPORT_CONFIG, "<first/>");
	snprintf(path, sizeof(path), "%s/spool/%020u.seg", dir, 1u);
	ck_assert_int_ge(fd = open(path, O_WRONLY | O_APPEND), 0);
	ck_assert_int_eq(write(fd, "DPS1\x40\x00\x00\x00garbage", 15), 15);
	close(fd);
	append(sp, "00aabbccddee", REPORT_CONFIG, "<second/>");
	expect(sp, "001122334455", "<first/>");
	expect(sp, "00aabbccddee", "<second/>");
	expect_empty(sp);
	spool_close(sp);
}
END_TEST

/* Segments close when full; a drained one is removed. */
START_TEST(test_segments_roll_over)
{
	struct spool *sp = open_spool(0x5a);
	char path[TU_DIR_MAX + 64], body[64];
	struct stat st;

	spool_set_segment_max(sp, 300);
	for (int i = 0; i < 10; i++) {
		snprintf(body, sizeof(body), "<r n=\"%d\"/>", i);
		append(sp, "001122334455", REPORT_CONFIG, body);
	}
	snprintf(path, sizeof(path), "%s/spool/%020u.seg", dir, 3u);
	ck_assert_int_eq(stat(path, &st), 0);
	for (int i = 0; i < 10; i++) {
		snprintf(body, sizeof(body), "<r n=\"%d\"/>", i);
		expect(sp, "001122334455", body);
	}
	expect_empty(sp);
	snprintf(path, sizeof(path), "%s/spool/%020u.seg", dir, 1u);
	ck_assert_int_ne(stat(path, &st), 0);
	spool_close(sp);
}
END_TEST

START_TEST(test_full)
{
	struct spool *sp = open_spool(0x5a);
	uint64_t pending = 1;

	ck_assert_int_eq(spool_peek(dir, &pending), 0);
	ck_assert_uint_eq(pending, 0);

	ck_assert(!spool_full(sp, 1 << 20, 1000));
	append(sp, "001122334455", REPORT_CONFIG, "<flat-profile/>");
	ck_assert(spool_full(sp, 4096 + 100, 50));
	ck_assert(!spool_full(sp, 1 << 20, 1000));
	/* metrics.fcgi reads what waits without the key */
	ck_assert_int_eq(spool_peek(dir, &pending), 0);
	ck_assert_uint_gt(pending, strlen("<flat-profile/>"));
	expect(sp, "001122334455", "<flat-profile/>");
	ck_assert_int_eq(spool_peek(dir, &pending), 0);
	ck_assert_uint_eq(pending, 0);
	spool_close(sp);
}
END_TEST

START_TEST(test_drainer_waits_for_a_burst)
{
	struct spool *sp = open_spool(0x5a);
	uint64_t before = spool_now_ns(), last;

	/* nothing appended yet: nothing to wait for */
	ck_assert(!spool_drain_waits(sp, 1 << 20, before));
	append(sp, "001122334455", REPORT_CONFIG, "<flat-profile/>");
	last = spool_now_ns();
	ck_assert(spool_drain_waits(sp, 1 << 20, last));
	ck_assert(spool_drain_waits(sp, 1 << 20, last + 1000000));
	ck_assert(!spool_drain_waits(sp, 1 << 20, last + 10000000));
	/* a clock before the append (another boot's state): no burst */
	ck_assert(!spool_drain_waits(sp, 1 << 20, before - 1));
	/* half of the spool's room waits: drained all the same */
	ck_assert(!spool_drain_waits(sp, 8192, last));
	expect(sp, "001122334455", "<flat-profile/>");
	spool_close(sp);
}
END_TEST

START_TEST(test_foreign_state_refused)
{
	char sub[TU_DIR_MAX + 16], err[300];
	struct spool *sp;

	snprintf(sub, sizeof(sub), "%s/spool", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	tu_write(sub, "state", "this is some other program's file, long "
	    "enough to be mapped as a state ......................\n");
	sp = spool_open(dir, &key, err, sizeof(err));
	ck_assert_ptr_null(sp);
	ck_assert_ptr_nonnull(strstr(err, "not deskprov's"));
}
END_TEST

Suite *spool_suite(void);

Suite *
spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_round_trip_in_order);
	tcase_add_test(tc, test_second_handle_reads);
	tcase_add_test(tc, test_sealed_at_rest);
	tcase_add_test(tc, test_foreign_record_skipped);
	tcase_add_test(tc, test_torn_tail_cut);
	tcase_add_test(tc, test_segments_roll_over);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_drainer_waits_for_a_burst);
	tcase_add_test(tc, test_foreign_state_refused);
	suite_add_tcase(s, tc);
	return s;
}
