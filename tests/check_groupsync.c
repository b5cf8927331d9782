/* groupsync: the group commit of report.fcgi's processes.  What a user
 * sees of it is that an acknowledged report is on disk; what can be
 * checked here is that every wait is settled by a round of fsyncs that
 * took its name, across processes, after a leader died holding the lock,
 * after a reboot left stale counters behind, and that a name that cannot
 * be synced is refused to its writer alone. */
#define _GNU_SOURCE	/* F_OFD_SETLKW */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "groupsync.h"
#include "testutil.h"

/* A report-like file dir/<sub>/<file> to wait for; its name relative to
 * dir in name. */
static void
mkfile(const char *dir, const char *sub, const char *file, char *name,
    size_t namesz)
{
	char path[TU_DIR_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	mkdir(path, 0750);
	tu_write(path, file, "{\"data\": {}}\n");
	snprintf(name, namesz, "%s/%s", sub, file);
}

static void
open_ok(struct groupsync *g, const char *dir)
{
	char msg[GROUPSYNC_MSG_MAX];

	ck_assert_msg(groupsync_open(g, dir, msg) == 0, "%s", msg);
}

static void
rm_tree(const char *dir, const char *sub)
{
	char path[TU_DIR_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	tu_remove_dir(path);
	tu_remove_dir(dir);
}

START_TEST(test_each_wait_syncs_when_alone)
{
	char dir[TU_DIR_MAX];
	struct groupsync g;

	char name[64];

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	/* Nobody else waited: each ticket needed a round of its own. */
	ck_assert_uint_eq(groupsync_tickets(&g), 2);
	ck_assert_uint_eq(groupsync_batches(&g), 2);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
}
END_TEST

/* Two handles (two processes' views) share the counters. */
START_TEST(test_handles_share_counters)
{
	char dir[TU_DIR_MAX];
	struct groupsync a, b;

	char name[64];

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	open_ok(&a, dir);
	open_ok(&b, dir);
	ck_assert_int_eq(groupsync_wait(&a, name), 0);
	ck_assert_int_eq(groupsync_wait(&b, name), 0);
	ck_assert_uint_eq(groupsync_tickets(&a), 2);
	ck_assert_uint_eq(groupsync_tickets(&b), 2);
	groupsync_close(&a);
	groupsync_close(&b);
	open_ok(&a, dir);
	ck_assert_uint_eq(groupsync_tickets(&a), 2);	/* same boot: kept */
	groupsync_close(&a);
	rm_tree(dir, "001122334455");
}
END_TEST

/* A file left by an earlier boot claims every ticket synced (all bytes
 * 0xff after the magic and a boot id that is not this one): it is reset,
 * and the next wait syncs instead of being released by the stale count. */
START_TEST(test_stale_boot_is_reset)
{
	char dir[TU_DIR_MAX], page[16384], name[64];
	struct groupsync g;

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	memset(page, 0xff, sizeof(page));
	memcpy(page, "dpgsync2", 8);
	memcpy(page + 8, "00000000-0000-0000-0000-000000000000", 36);
	tu_write_n(dir, GROUPSYNC_FILE, page, sizeof(page));
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_uint_eq(groupsync_batches(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	ck_assert_uint_eq(groupsync_batches(&g), 1);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
}
END_TEST

/* A short or foreign file is made right, not trusted. */
START_TEST(test_foreign_file_is_reset)
{
	char dir[TU_DIR_MAX], name[64];
	struct groupsync g;

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	tu_write(dir, GROUPSYNC_FILE, "not a group commit file");
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), 0);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	ck_assert_uint_eq(groupsync_batches(&g), 1);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
}
END_TEST

/* A process killed while it held both locks (kill -9 mid-round) does not
 * block the others: open-file-description locks go with the process.
 * The locks are bytes 0 (table) and 1 (leader) of the shared file. */
START_TEST(test_dead_leader_releases_lock)
{
	char dir[TU_DIR_MAX], path[TU_DIR_MAX + 32], name[64];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
	    .l_start = 0, .l_len = 2 };
	struct groupsync g;
	int status, fd;
	pid_t pid;

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	open_ok(&g, dir);
	snprintf(path, sizeof(path), "%s/%s", dir, GROUPSYNC_FILE);
	if ((pid = fork()) == 0) {
		fd = open(path, O_RDWR);
		if (fd >= 0 && fcntl(fd, F_OFD_SETLKW, &fl) == 0)
			raise(SIGKILL);
		_exit(1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	ck_assert_uint_eq(groupsync_batches(&g), 1);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
}
END_TEST

/* Four processes wait 50 times each: every wait returns with its ticket
 * covered, and no ticket is lost or handed out twice. */
START_TEST(test_processes_wait_together)
{
	enum { PROCS = 4, WAITS = 50 };
	char dir[TU_DIR_MAX], name[64];
	struct groupsync g;
	pid_t pids[PROCS];
	int status;

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	for (int i = 0; i < PROCS; i++)
		if ((pids[i] = fork()) == 0) {
			struct groupsync c;
			char msg[GROUPSYNC_MSG_MAX];
			int bad = groupsync_open(&c, dir, msg) != 0;

			for (int k = 0; !bad && k < WAITS; k++)
				bad = groupsync_wait(&c, name) != 0;
			_exit(bad);
		}
	for (int i = 0; i < PROCS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	open_ok(&g, dir);
	ck_assert_uint_eq(groupsync_tickets(&g), PROCS * WAITS);
	ck_assert_uint_ge(groupsync_batches(&g), 1);
	ck_assert_uint_le(groupsync_batches(&g), PROCS * WAITS);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
}
END_TEST

/* A name that cannot be synced (a symbolic link where the file should
 * be: it is opened with O_NOFOLLOW, ELOOP) is refused to its writer, and
 * the next writer is not held back by it; a file retention removed before
 * the round needs no sync. */
START_TEST(test_failure_reaches_its_writer)
{
	char dir[TU_DIR_MAX], path[TU_DIR_MAX + 64], name[64], longname[160];
	struct groupsync g;

	tu_mkdtemp(dir);
	mkfile(dir, "001122334455", "a.json", name, sizeof(name));
	snprintf(path, sizeof(path), "%s/001122334455/link.json", dir);
	ck_assert_int_eq(symlink("a.json", path), 0);
	open_ok(&g, dir);
	ck_assert_int_eq(groupsync_wait(&g, "001122334455/link.json"), -EIO);
	ck_assert_int_eq(groupsync_wait(&g, name), 0);
	ck_assert_int_eq(groupsync_wait(&g, "001122334455/gone.json"), 0);
	/* A name too long for the table is synced by its writer alone. */
	memset(longname, 'x', 150);
	longname[150] = '\0';
	ck_assert_int_eq(groupsync_wait(&g, longname), 0);
	ck_assert_uint_eq(groupsync_tickets(&g), 3);
	groupsync_close(&g);
	rm_tree(dir, "001122334455");
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
	tcase_add_test(tc, test_failure_reaches_its_writer);
	tcase_add_test(tc, test_missing_directory);
	suite_add_tcase(s, tc);
	return s;
}
