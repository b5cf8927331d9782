/* af_read_fd(): the one whole-file reader behind config, store and
 * schema tools. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomicfile.h"

static int
open_temp(char *path, const char *text)
{
	int fd;

	strcpy(path, "/tmp/deskprov-af.XXXXXX");
	ck_assert_int_ge(fd = mkstemp(path), 0);
	ck_assert_int_eq(af_write_all(fd, text, strlen(text)), 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

START_TEST(test_reads_whole_file_nul_terminated)
{
	char path[32], *data;
	size_t len;
	int fd = open_temp(path, "phones:\n");

	ck_assert_int_eq(af_read_fd(fd, 100, &data, &len), 0);
	ck_assert_uint_eq(len, 8);
	ck_assert_str_eq(data, "phones:\n");
	free(data);
	close(fd);
	unlink(path);
}
END_TEST

/* A replaced record is the new bytes whole, no temp file is left, and the
 * count sees it once (names starting with '.' are not counted), up to
 * its bound. */
START_TEST(test_replace_and_count)
{
	char dir[] = "/tmp/deskprov-af.XXXXXX", path[64], *data;
	size_t len;
	int dfd;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_ge(dfd = open(dir, O_RDONLY | O_DIRECTORY), 0);
	ck_assert_int_eq(af_replace_at(dfd, "a", "old\n", 4, 0640), 0);
	ck_assert_int_eq(af_replace_at(dfd, "a", "new!\n", 5, 0640), 0);
	ck_assert_int_eq(af_replace_at(dfd, "b", "b\n", 2, 0640), 0);
	snprintf(path, sizeof(path), "%s/a", dir);
	ck_assert_int_eq(af_read_path(path, 100, &data, &len), 0);
	ck_assert_str_eq(data, "new!\n");
	free(data);
	snprintf(path, sizeof(path), "%s/.hidden", dir);
	close(open(path, O_WRONLY | O_CREAT, 0600));
	ck_assert_uint_eq(af_count_entries(dfd, 100), 2);
	ck_assert_uint_eq(af_count_entries(dfd, 1), 1);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/b", dir);
	unlink(path);
	close(dfd);
	ck_assert_int_eq(rmdir(dir), 0);	/* nothing else was left */
}
END_TEST

START_TEST(test_refuses_too_large)
{
	char path[32], *data = (char *)1;
	size_t len;
	int fd = open_temp(path, "0123456789");

	ck_assert_int_eq(af_read_fd(fd, 9, &data, &len), -EFBIG);
	ck_assert_ptr_null(data);
	ck_assert_int_eq(af_read_fd(fd, 10, &data, &len), 0);
	free(data);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(test_refuses_non_regular)
{
	char *data = (char *)1;
	size_t len;
	int fd = open("/tmp", O_RDONLY | O_DIRECTORY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(af_read_fd(fd, 1 << 20, &data, &len), -EINVAL);
	ck_assert_ptr_null(data);
	close(fd);
}
END_TEST

Suite *atomicfile_suite(void);

Suite *
atomicfile_suite(void)
{
	Suite *s = suite_create("atomicfile");
	TCase *tc = tcase_create("read");

	tcase_add_test(tc, test_reads_whole_file_nul_terminated);
	tcase_add_test(tc, test_refuses_too_large);
	tcase_add_test(tc, test_refuses_non_regular);
	tcase_add_test(tc, test_replace_and_count);
	suite_add_tcase(s, tc);
	return s;
}
