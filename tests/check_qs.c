/* The query-string parser every route uses: what a table of keys lets
 * through, decoded, and every way a query is refused. */
#include <check.h>
#include <string.h>

#include "qs.h"

static int
digits_ok(const char *v)
{
	return v[0] != '\0' && strspn(v, "0123456789") == strlen(v);
}

static const struct qs_key keys[] = {
	{ "page", digits_ok },
	{ "q", NULL },
	{ NULL, NULL }
};

static const struct {
	int		 line;
	const char	*query;		/* after the '?' */
	int		 rc;
	const char	*page, *q;	/* decoded; NULL: absent */
} rows[] = {
	{ __LINE__, NULL, 0, NULL, NULL },
	{ __LINE__, "", 0, NULL, NULL },
	{ __LINE__, "page=2", 0, "2", NULL },
	{ __LINE__, "q=a+b%20c&page=10", 0, "10", "a b c" },
	{ __LINE__, "%70age=%31", 0, "1", NULL },
	{ __LINE__, "q=", 0, NULL, "" },
	{ __LINE__, "q=%C3%A9", 0, NULL, "\xc3\xa9" },
	{ __LINE__, "q=%7e%7E", 0, NULL, "~~" },
	{ __LINE__, "q=a=b", 0, NULL, "a=b" },
	/* A fragment is not part of the query. */
	{ __LINE__, "page=3#x=1", 0, "3", NULL },
	{ __LINE__, "#page=x", 0, NULL, NULL },
	/* Refused: unknown, repeated, empty pairs, no '=', bad values. */
	{ __LINE__, "x=1", -1, NULL, NULL },
	{ __LINE__, "PAGE=1", -1, NULL, NULL },
	{ __LINE__, "page=1&page=1", -1, NULL, NULL },
	{ __LINE__, "page=1&%70age=2", -1, NULL, NULL },
	{ __LINE__, "page=1&", -1, NULL, NULL },
	{ __LINE__, "&page=1", -1, NULL, NULL },
	{ __LINE__, "page=1&&q=2", -1, NULL, NULL },
	{ __LINE__, "page", -1, NULL, NULL },
	{ __LINE__, "=1", -1, NULL, NULL },
	{ __LINE__, "page=x", -1, NULL, NULL },
	{ __LINE__, "page=", -1, NULL, NULL },
	/* Bad escapes and control bytes, in keys and values. */
	{ __LINE__, "q=%", -1, NULL, NULL },
	{ __LINE__, "q=%4", -1, NULL, NULL },
	{ __LINE__, "q=%4g", -1, NULL, NULL },
	{ __LINE__, "q=%00", -1, NULL, NULL },
	{ __LINE__, "q=%0a", -1, NULL, NULL },
	{ __LINE__, "q=%7f", -1, NULL, NULL },
	{ __LINE__, "q=a\tb", -1, NULL, NULL },
	{ __LINE__, "%71%=1", -1, NULL, NULL },
};

START_TEST(test_rows)
{
	const char *values[QS_KEYS_MAX];
	struct buf store;
	int rc;

	buf_init(&store);
	rc = qs_parse(rows[_i].query, keys, &store, values);
	ck_assert_msg(rc == rows[_i].rc, "line %d: rc %d", rows[_i].line, rc);
	for (int k = 0; k < 2; k++) {
		const char *want = k == 0 ? rows[_i].page : rows[_i].q;
		ck_assert_msg(want == NULL ? values[k] == NULL :
		    values[k] != NULL && strcmp(values[k], want) == 0,
		    "line %d: key %s is %s", rows[_i].line, keys[k].name,
		    values[k] ? values[k] : "(absent)");
	}
	for (int k = 2; k < QS_KEYS_MAX; k++)
		ck_assert_ptr_null(values[k]);
	buf_free(&store);
}
END_TEST

/* A route without keys takes no query at all, but a lone '?'. */
START_TEST(test_no_keys)
{
	static const struct qs_key none[] = { { NULL, NULL } };
	const char *values[QS_KEYS_MAX];
	struct buf store;

	buf_init(&store);
	ck_assert_int_eq(qs_parse("", none, &store, values), 0);
	ck_assert_int_eq(qs_parse("x=1", none, &store, values), -1);
	ck_assert_int_eq(qs_parse("=", none, &store, values), -1);
	buf_free(&store);
}
END_TEST

/* Values stay valid however much the store grew while parsing. */
START_TEST(test_store_moves)
{
	const char *values[QS_KEYS_MAX];
	struct buf store, query;

	buf_init(&store);
	buf_init(&query);
	buf_adds(&query, "page=7&q=");
	for (int i = 0; i < 5000; i++)
		buf_adds(&query, "%41");
	ck_assert_int_eq(qs_parse(query.data, keys, &store, values), 0);
	ck_assert_str_eq(values[0], "7");
	ck_assert_uint_eq(strlen(values[1]), 5000);
	ck_assert_int_eq(values[1][4999], 'A');
	buf_free(&query);
	buf_free(&store);
}
END_TEST

Suite *qs_suite(void);

Suite *
qs_suite(void)
{
	Suite *s = suite_create("qs");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_no_keys);
	tcase_add_test(tc, test_store_moves);
	suite_add_tcase(s, tc);
	return s;
}
