/* The per-phone summary index: records round-trip, the fetch time is
 * written at a bounded rate, two processes updating the same records lose
 * nothing, a damaged file is replaced (and then rebuilt by its users), a
 * small file grows without losing records, a full table refuses new MACs. */
#include <check.h>
#include <sys/wait.h>

#include "summary.h"
#include "testutil.h"

#define MAC1	"001122334455"

static char dir[TU_DIR_MAX];

static void
up(void)
{
	tu_mkdtemp(dir);
}

static void
rm_summary(void)
{
	char p[TU_DIR_MAX + 32];

	snprintf(p, sizeof(p), "%s/summary", dir);
	tu_remove_dir(p);
	rmdir(dir);
}

static struct summary *
open_ok(size_t phones)
{
	char msg[SUMMARY_MSG_MAX] = "";
	struct summary *s = summary_open(dir, phones, msg);

	ck_assert_msg(s != NULL, "%s", msg);
	return s;
}

static void
bump(struct summary_rec *r, void *ctx)
{
	r->reports++;
	snprintf(r->firmware, sizeof(r->firmware), "%s", (const char *)ctx);
}

static void
mac_of(unsigned i, char mac[MAC_LEN + 1])
{
	snprintf(mac, MAC_LEN + 1, "0200%08x", i);
}

START_TEST(test_round_trip)
{
	struct summary *s;
	struct summary_rec r;

	up();
	s = open_ok(10);
	ck_assert(summary_needs_rebuild(s));	/* a new file is empty */
	ck_assert_int_eq(summary_get(s, MAC1, &r), -1);
	ck_assert_int_eq(summary_update(s, MAC1, bump, "12.0.1"), 0);
	ck_assert_int_eq(summary_update(s, MAC1, bump, "12.0.2"), 0);
	ck_assert_int_eq(summary_get(s, MAC1, &r), 0);
	ck_assert_str_eq(r.mac, MAC1);
	ck_assert_uint_eq(r.reports, 2);
	ck_assert_str_eq(r.firmware, "12.0.2");
	ck_assert_uint_eq(summary_count(s), 1);
	/* Not a canonical MAC: refused, nothing claimed. */
	ck_assert_int_eq(summary_update(s, "00112233445G", bump, "x"), -1);
	ck_assert_int_eq(summary_update(s, "0011223344", bump, "x"), -1);
	ck_assert_int_eq(summary_update(s, "00112233445A", bump, "x"), -1);
	ck_assert_uint_eq(summary_count(s), 1);
	summary_close(s);
	/* Another open sees the same records and needs no rebuild. */
	s = open_ok(10);
	ck_assert(!summary_needs_rebuild(s));
	ck_assert_int_eq(summary_get(s, MAC1, &r), 0);
	ck_assert_uint_eq(r.reports, 2);
	summary_close(s);
	rm_summary();
}
END_TEST

/* A phone fetching every few seconds is written once a minute. */
START_TEST(test_fetch_rate)
{
	struct summary *s;
	struct summary_rec r;
	time_t t0 = 1795342073;

	up();
	s = open_ok(10);
	ck_assert_int_eq(summary_note_fetch(s, MAC1, t0), 0);
	ck_assert_int_eq(summary_note_fetch(s, MAC1, t0 + 30), 0);
	ck_assert_int_eq(summary_get(s, MAC1, &r), 0);
	ck_assert_int_eq(r.last_fetch, t0);
	ck_assert_int_eq(summary_note_fetch(s, MAC1, t0 + SUMMARY_FETCH_EVERY),
	    0);
	ck_assert_int_eq(summary_get(s, MAC1, &r), 0);
	ck_assert_int_eq(r.last_fetch, t0 + SUMMARY_FETCH_EVERY);
	/* A clock that went back is taken as it is. */
	ck_assert_int_eq(summary_note_fetch(s, MAC1, t0 - 5), 0);
	ck_assert_int_eq(summary_get(s, MAC1, &r), 0);
	ck_assert_int_eq(r.last_fetch, t0 + SUMMARY_FETCH_EVERY);
	summary_close(s);
	rm_summary();
}
END_TEST

/* Two processes, each with its own mapping, update the same 64 records
 * 5,120 times in all: every increment counts, every record is whole. */
START_TEST(test_two_processes)
{
	enum { PROCS = 2, PHONES = 64, ROUNDS = 64 * 40 };
	struct summary *s;
	struct summary_rec r;
	pid_t pid[PROCS];
	char mac[MAC_LEN + 1];

	up();
	summary_close(open_ok(PHONES));
	for (int p = 0; p < PROCS; p++) {
		if ((pid[p] = fork()) == 0) {
			struct summary *c = summary_open(dir, PHONES, NULL);
			int bad = c == NULL;

			for (int i = 0; c != NULL && i < ROUNDS; i++) {
				mac_of((unsigned)(i % PHONES), mac);
				bad += summary_update(c, mac, bump, p ?
				    "from-process-b" : "from-process-a") != 0;
			}
			summary_close(c);
			_exit(bad != 0);
		}
		ck_assert_int_gt(pid[p], 0);
	}
	for (int p = 0; p < PROCS; p++) {
		int st;

		ck_assert_int_eq(waitpid(pid[p], &st, 0), pid[p]);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	s = open_ok(PHONES);
	ck_assert_uint_eq(summary_count(s), PHONES);
	for (unsigned i = 0; i < PHONES; i++) {
		mac_of(i, mac);
		ck_assert_int_eq(summary_get(s, mac, &r), 0);
		ck_assert_uint_eq(r.reports, PROCS * ROUNDS / PHONES);
		ck_assert_msg(strcmp(r.firmware, "from-process-a") == 0 ||
		    strcmp(r.firmware, "from-process-b") == 0, "torn: %s",
		    r.firmware);
	}
	summary_close(s);
	rm_summary();
}
END_TEST

/* Damaged files: replaced by an empty index that asks to be rebuilt. */
static const struct {
	int		 line;
	const char	*what;
	size_t		 keep;		/* bytes of a good file kept */
	const char	*over;		/* written at offset 0, or NULL */
} damaged[] = {
	{ __LINE__, "truncated to its header", 4096, NULL },
	{ __LINE__, "truncated inside the header", 10, NULL },
	{ __LINE__, "empty", 0, NULL },
	{ __LINE__, "foreign", (size_t)-1, "NOTASUMMARY-FILE" },
	{ __LINE__, "another version", (size_t)-1, "DPSUMMRY\x63" },
};

START_TEST(test_damaged)
{
	char path[TU_DIR_MAX + 32];
	struct summary *s;
	struct summary_rec r;
	int fd;

	up();
	s = open_ok(10);
	ck_assert_int_eq(summary_update(s, MAC1, bump, "1"), 0);
	summary_close(s);
	snprintf(path, sizeof(path), "%s/summary/index", dir);
	fd = open(path, O_RDWR);
	ck_assert_int_ge(fd, 0);
	if (damaged[_i].keep != (size_t)-1)
		ck_assert_int_eq(ftruncate(fd, (off_t)damaged[_i].keep), 0);
	if (damaged[_i].over != NULL)
		ck_assert_int_eq(pwrite(fd, damaged[_i].over,
		    strlen(damaged[_i].over), 0),
		    (ssize_t)strlen(damaged[_i].over));
	close(fd);
	s = open_ok(10);
	ck_assert_msg(summary_needs_rebuild(s), "line %d: %s",
	    damaged[_i].line, damaged[_i].what);
	ck_assert_int_eq(summary_get(s, MAC1, &r), -1);
	ck_assert_int_eq(summary_update(s, MAC1, bump, "2"), 0);
	summary_close(s);
	rm_summary();
}
END_TEST

/* A fleet that outgrows the file: the records move to a bigger one; a
 * process holding the old mapping follows within a second. */
START_TEST(test_grow)
{
	struct summary *small, *big;
	struct summary_rec r;
	char mac[MAC_LEN + 1];
	unsigned n = SUMMARY_CAP_MIN / 4 * 3;

	up();
	small = open_ok(1);
	for (unsigned i = 0; i < n; i++) {
		mac_of(i, mac);
		ck_assert_int_eq(summary_update(small, mac, bump, "x"), 0);
	}
	/* Three quarters full: a new MAC is refused. */
	mac_of(n, mac);
	ck_assert_int_eq(summary_update(small, mac, bump, "x"), -1);
	big = open_ok(SUMMARY_CAP_MIN);
	ck_assert(!summary_needs_rebuild(big));
	ck_assert_uint_eq(summary_count(big), n);
	ck_assert_int_eq(summary_update(big, mac, bump, "x"), 0);
	mac_of(17, mac);
	ck_assert_int_eq(summary_get(big, mac, &r), 0);
	ck_assert_uint_eq(r.reports, 1);
	summary_close(big);
	summary_close(small);
	rm_summary();
}
END_TEST

Suite *summary_suite(void);

Suite *
summary_suite(void)
{
	Suite *s = suite_create("summary");
	TCase *tc = tcase_create("summary");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_fetch_rate);
	tcase_add_test(tc, test_two_processes);
	tcase_add_loop_test(tc, test_damaged, 0,
	    (int)(sizeof(damaged) / sizeof(damaged[0])));
	tcase_add_test(tc, test_grow);
	suite_add_tcase(s, tc);
	return s;
}
