/* Version comparison: numeric, never as strings. */
#include <check.h>

#include "version.h"

static const struct {
	int		 line;
	const char	*a, *b;
	int		 want;	/* sign of version_compare(a, b) */
} cases[] = {
	{ __LINE__, "12.0.1", "12.0.1", 0 },
	{ __LINE__, "12.0.10", "12.0.9", 1 },
	{ __LINE__, "11.3.7", "12.0.1", -1 },
	{ __LINE__, "12.0", "12.0.1", -1 },
	{ __LINE__, "12.0.05", "12.0.5", 0 },
	{ __LINE__, "12.0.1", "12.0.SR1", 1 },
	{ __LINE__, "12-0-1MPP0001-245", "12-0-1MPP0001-99", 1 },
	{ __LINE__, "99999999999999999999.1", "99999999999999999999.0", 1 },
	{ __LINE__, "1.2.3a", "1.2.3A", 0 },
};

START_TEST(test_version_compare)
{
	int got = version_compare(cases[_i].a, cases[_i].b);
	int sign = (got > 0) - (got < 0);

	ck_assert_msg(sign == cases[_i].want, "line %d: %s vs %s gave %d",
	    cases[_i].line, cases[_i].a, cases[_i].b, got);
	/* Antisymmetric: swapping the operands flips the answer. */
	got = version_compare(cases[_i].b, cases[_i].a);
	ck_assert_int_eq((got > 0) - (got < 0), -cases[_i].want);
}
END_TEST

START_TEST(test_version_plausible)
{
	ck_assert(version_plausible("12.0.1"));
	ck_assert(version_plausible("6.1.5(a)"));
	ck_assert(!version_plausible(""));
	ck_assert(!version_plausible("abc"));
	ck_assert(!version_plausible("1.0; rm -rf"));
}
END_TEST

Suite *version_suite(void);

Suite *
version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("compare");

	tcase_add_loop_test(tc, test_version_compare, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_version_plausible);
	suite_add_tcase(s, tc);
	return s;
}
