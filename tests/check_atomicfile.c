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

/* The VmFlags of the mapping of /proc/self/smaps holding p, or "". */
static void
vm_flags(const void *p, char *out, size_t size)
{
	char line[512];
	unsigned long lo, hi;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2)
			in = (unsigned long)p >= lo && (unsigned long)p < hi;
		else if (in && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(out, size, "%.200s", line + 8);
			break;
		}
	}
	fclose(f);
}

/* A large file read whole keeps every byte, and its buffer is advised
 * huge pages (buf_advise_huge(): the "hg" flag of its mapping), which
 * halves the CPU of reading a million phones' phones.yml. */
START_TEST(test_large_read_huge_pages)
{
	size_t n = 12u << 20;
	char path[32], flags[256], *text, *data;
	size_t len;
	int fd;

	text = malloc(n + 1);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		text[i] = (char)('a' + i % 26);
	text[n] = '\0';
	fd = open_temp(path, text);
	ck_assert_int_eq(af_read_fd(fd, n, &data, &len), 0);
	ck_assert_uint_eq(len, n);
	ck_assert_int_eq(memcmp(data, text, n), 0);
	vm_flags(data + n / 2, flags, sizeof(flags));
	if (flags[0] == '\0')
		printf("atomicfile: test_large_read_huge_pages: no "
		    "/proc/self/smaps here, the advice not checked\n");
	else
		ck_assert_msg(strstr(flags, " hg") != NULL, "VmFlags:%s",
		    flags);
	free(data);
	free(text);
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
	tcase_add_test(tc, test_large_read_huge_pages);
	suite_add_tcase(s, tc);
	return s;
}
