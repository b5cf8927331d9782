/* groupsync: the group commit of report.fcgi's processes.  What a user
 * sees of it is that an acknowledged report is on disk; what can be
 * checked here is that every wait is covered by a syncfs() started after
 * it, across processes, after a leader died holding the lock, and after a
 * reboot left stale counters behind. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "groupsync.h"
#include "testutil.h"

static void
open_ok(struct groupsync *g, const char *dir)
{
	char msg[GROUPSYNC_MSG_MAX];

	ck_assert_msg(groupsync_open(g, dir, msg) == 0, "%s", msg);
}

START_TEST(test_each_wait_syncs_when_alone)
{
	char dir[TU_DIR_MAX];
	struct groupsync g;

	tu_mkdtemp(dir);
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g), 0);
	/* Nobody else waited: each ticket needed a sync of its own. */
	ck_assert_uint_eq(groupsync_tickets(&g), 2);
	ck_assert_uint_eq(groupsync_syncs(&g), 2);
	groupsync_close(&g);
	tu_remove_dir(dir);
}
END_TEST

/* Two handles (two processes' views) share the counters. */
START_TEST(test_handles_share_counters)
{
	char dir[TU_DIR_MAX];
	struct groupsync a, b;

	tu_mkdtemp(dir);
	open_ok(&a, dir);
	open_ok(&b, dir);
	ck_assert_int_eq(groupsync_wait(&a), 0);
	ck_assert_int_eq(groupsync_wait(&b), 0);
	ck_assert_uint_eq(groupsync_tickets(&a), 2);
	ck_assert_uint_eq(groupsync_tickets(&b), 2);
	groupsync_close(&a);
	groupsync_close(&b);
	open_ok(&a, dir);
	ck_assert_uint_eq(groupsync_tickets(&a), 2);	/* same boot: kept */
	groupsync_close(&a);
	tu_remove_dir(dir);
}
END_TEST

/* A file left by an earlier boot claims every ticket synced (all bytes
 * 0xff after the magic and a boot id that is not this one): it is reset,
 * and the next wait syncs instead of being released by the stale count. */
START_TEST(test_stale_boot_is_reset)
{
	char dir[TU_DIR_MAX], page[4096];
	struct groupsync g;

	tu_mkdtemp(dir);
	memset(page, 0xff, sizeof(page));
	memcpy(page, "dpgsync1", 8);
	memcpy(page + 8, "00000000-0000-0000-0000-000000000000", 36);
	tu_write_n(dir, GROUPSYNC_FILE, page, sizeof(page));
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_uint_eq(groupsync_syncs(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g), 0);
	ck_assert_uint_eq(groupsync_syncs(&g), 1);
	groupsync_close(&g);
	tu_remove_dir(dir);
}
END_TEST

/* A short or foreign file is made right, not trusted. */
START_TEST(test_foreign_file_is_reset)
{
	char dir[TU_DIR_MAX];
	struct groupsync g;

	tu_mkdtemp(dir);
	tu_write(dir, GROUPSYNC_FILE, "not a group commit file");
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g), 0);
	ck_assert_uint_eq(groupsync_syncs(&g), 1);
	groupsync_close(&g);
	tu_remove_dir(dir);
}
END_TEST

/* A process killed while it held the leader's lock (kill -9 mid-syncfs)
 * does not block the others: flock goes with the process. */
START_TEST(test_dead_leader_releases_lock)
{
	char dir[TU_DIR_MAX], path[TU_DIR_MAX + 32];
	struct groupsync g;
	int status, fd;
	pid_t pid;

	tu_mkdtemp(dir);
	open_ok(&g, dir);
	snprintf(path, sizeof(path), "%s/%s", dir, GROUPSYNC_FILE);
	if ((pid = fork()) == 0) {
		fd = open(path, O_RDWR);
		if (fd >= 0 && flock(fd, LOCK_EX) == 0)
			raise(SIGKILL);
		_exit(1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(groupsync_wait(&g), 0);
	ck_assert_uint_eq(groupsync_syncs(&g), 1);
	groupsync_close(&g);
	tu_remove_dir(dir);
}
END_TEST

/* Four processes wait 50 times each: every wait returns with its ticket
 * covered, and no ticket is lost or handed out twice. */
START_TEST(test_processes_wait_together)
{
	enum { PROCS = 4, WAITS = 50 };
	char dir[TU_DIR_MAX];
	struct groupsync g;
	pid_t pids[PROCS];
	int status;

	tu_mkdtemp(dir);
	for (int i = 0; i < PROCS; i++)
		if ((pids[i] = fork()) == 0) {
			struct groupsync c;
			char msg[GROUPSYNC_MSG_MAX];
			int bad = groupsync_open(&c, dir, msg) != 0;

			for (int k = 0; !bad && k < WAITS; k++)
				bad = groupsync_wait(&c) != 0;
			_exit(bad);
		}
	for (int i = 0; i < PROCS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), PROCS * WAITS);
	ck_assert_uint_ge(groupsync_syncs(&g), 1);
	ck_assert_uint_le(groupsync_syncs(&g), PROCS * WAITS);
	groupsync_close(&g);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_missing_directory)
{
	char msg[GROUPSYNC_MSG_MAX];
	struct groupsync g;

	ck_assert_int_eq(groupsync_open(&g, "/nonexistent/deskprov", msg), -1);
	ck_assert(strstr(msg, GROUPSYNC_FILE) != NULL);
	groupsync_close(&g);
}
END_TEST

Suite *groupsync_suite(void);

Suite *
groupsync_suite(void)
{
	Suite *s = suite_create("groupsync");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_each_wait_syncs_when_alone);
	tcase_add_test(tc, test_handles_share_counters);
	tcase_add_test(tc, test_stale_boot_is_reset);
	tcase_add_test(tc, test_foreign_file_is_reset);
	tcase_add_test(tc, test_dead_leader_releases_lock);
	tcase_add_test(tc, test_processes_wait_together);
	tcase_add_test(tc, test_missing_directory);
	suite_add_tcase(s, tc);
	return s;
}
