/* The log threshold: what log_msg() writes at each setting. */
#include <check.h>
#include <string.h>

#include "log.h"

static struct buf seen;

static void
keep(void *ctx, const char *line, size_t n)
{
	(void)ctx;
	buf_add(&seen, line, n);
}

/* Lines written for one message at one threshold. */
static int
lines_for(enum log_level min, const char *level)
{
	int n = 0;

	buf_init(&seen);
	log_set_sink(keep, NULL);
	log_set_threshold(min);
	log_msg("test", level, "config loaded: %d phones", 3);
	log_set_threshold(LOG_DEBUG);
	log_set_sink(NULL, NULL);
	for (size_t i = 0; i < seen.len; i++)
		n += seen.data[i] == '\n';
	buf_free(&seen);
	return n;
}

START_TEST(test_threshold)
{
	ck_assert_int_eq(lines_for(LOG_DEBUG, "info"), 1);
	ck_assert_int_eq(lines_for(LOG_INFO, "info"), 1);
	ck_assert_int_eq(lines_for(LOG_WARNING, "info"), 0);
	ck_assert_int_eq(lines_for(LOG_WARNING, "warning"), 1);
	ck_assert_int_eq(lines_for(LOG_WARNING, "error"), 1);
	ck_assert_int_eq(lines_for(LOG_ERROR, "warning"), 0);
	ck_assert_int_eq(lines_for(LOG_SILENT, "error"), 0);
	/* A level with another name is never quietened below an error. */
	ck_assert_int_eq(lines_for(LOG_ERROR, "crit"), 1);
}
END_TEST

START_TEST(test_line)
{
	buf_init(&seen);
	log_set_sink(keep, NULL);
	log_msg("test", "info", "a \"quoted\" word");
	log_set_sink(NULL, NULL);
	buf_addc(&seen, '\0');
	ck_assert_ptr_nonnull(strstr(seen.data,
	    " deskprov[test] level=info msg=\"a \\x22quoted\\x22 word\"\n"));
	buf_free(&seen);
}
END_TEST

/* Fields of a request's line: key=value, with every byte that could end
 * or fake a field (space, control, '"', '\\', '=', non-ASCII) escaped as
 * \xHH, the rest copied as it is; an empty or absent value is "-". */
static const struct {
	int		 line;
	const char	*v;
	size_t		 n;
	const char	*want;
} fields[] = {
	{ __LINE__, "/p/-/001565aabb01.cfg", 21, " k=/p/-/001565aabb01.cfg" },
	{ __LINE__, "a b", 3, " k=a\\x20b" },
	{ __LINE__, "x=y\"z\\", 6, " k=x\\x3dy\\x22z\\x5c" },
	{ __LINE__, "\x7f\xff\x01", 3, " k=\\x7f\\xff\\x01" },
	{ __LINE__, "=", 1, " k=\\x3d" },
	{ __LINE__, "ab\0cd", 5, " k=ab\\x00cd" },
	{ __LINE__, "", 0, " k=-" },
	{ __LINE__, NULL, 0, " k=-" },
};

START_TEST(test_fields)
{
	struct logline l;
	const char *tail;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		logline_start(&l, "test");
		logline_strn(&l, "k", fields[i].v, fields[i].n);
		tail = strstr(l.b.data, " deskprov[test]");
		ck_assert_msg(tail != NULL && strcmp(tail + 15, fields[i].want)
		    == 0, "line %d: got '%s'", fields[i].line, l.b.data);
		logline_discard(&l);
	}
	logline_start(&l, "test");
	logline_str(&l, "outcome", "served");
	logline_int(&l, "status", 200);
	tail = strstr(l.b.data, " deskprov[test]");
	ck_assert_str_eq(tail, " deskprov[test] outcome=served status=200");
	logline_discard(&l);
}
END_TEST

Suite *log_suite(void);

Suite *
log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("log");

	tcase_add_test(tc, test_threshold);
	tcase_add_test(tc, test_line);
	tcase_add_test(tc, test_fields);
	suite_add_tcase(s, tc);
	return s;
}
