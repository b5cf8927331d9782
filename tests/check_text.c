/* The base text helpers: the one hex coder and the one UTF-8 decoder,
 * and the checks built on them. */
#include <check.h>
#include <string.h>

#include "text.h"

#define X(s)	s, sizeof(s) - 1

static const struct {
	int		 line;
	const char	*s;
	size_t		 n;
	size_t		 len;	/* 0: not a sequence */
	uint32_t	 cp;
} seqs[] = {
	{ __LINE__, X("A"), 1, 0x41 },
	{ __LINE__, X("\x7f"), 1, 0x7f },
	{ __LINE__, X("\xc2\x80"), 2, 0x80 },
	{ __LINE__, X("\xc3\xa9x"), 2, 0xe9 },
	{ __LINE__, X("\xe2\x82\xac"), 3, 0x20ac },
	{ __LINE__, X("\xef\xbf\xbf"), 3, 0xffff },
	{ __LINE__, X("\xf0\x9f\x98\x80"), 4, 0x1f600 },
	{ __LINE__, X("\xf4\x8f\xbf\xbf"), 4, 0x10ffff },
	{ __LINE__, "", 0, 0, 0 },
	{ __LINE__, X("\x80"), 0, 0 },		/* continuation first */
	{ __LINE__, X("\xc0\xaf"), 0, 0 },	/* overlong '/' */
	{ __LINE__, X("\xc1\xbf"), 0, 0 },
	{ __LINE__, X("\xe0\x80\xaf"), 0, 0 },
	{ __LINE__, X("\xf0\x80\x80\xaf"), 0, 0 },
	{ __LINE__, X("\xed\xa0\x80"), 0, 0 },	/* surrogate */
	{ __LINE__, X("\xf4\x90\x80\x80"), 0, 0 },	/* above U+10FFFF */
	{ __LINE__, X("\xf5\x80\x80\x80"), 0, 0 },
	{ __LINE__, X("\xff"), 0, 0 },
	{ __LINE__, X("\xc3"), 0, 0 },		/* cut short */
	{ __LINE__, X("\xe2\x82"), 0, 0 },
	{ __LINE__, X("\xc3("), 0, 0 },
};

START_TEST(test_utf8_decode)
{
	uint32_t cp = 0xdead;
	size_t len = utf8_decode(seqs[_i].s, seqs[_i].n, &cp);

	ck_assert_msg(len == seqs[_i].len, "line %d: length %zu",
	    seqs[_i].line, len);
	if (len > 0)
		ck_assert_msg(cp == seqs[_i].cp, "line %d: U+%04X",
		    seqs[_i].line, (unsigned)cp);
	ck_assert_int_eq(utf8_ok(seqs[_i].s, seqs[_i].n),
	    seqs[_i].n == 0 || len == seqs[_i].n ||
	    (len > 0 && utf8_ok(seqs[_i].s + len, seqs[_i].n - len)));
}
END_TEST

START_TEST(test_xml_text_problem)
{
	ck_assert_ptr_null(xml_text_problem(X("caf\xc3\xa9\t\n")));
	ck_assert_str_eq(xml_text_problem(X("a\x01")),
	    "control character in value");
	ck_assert_str_eq(xml_text_problem(X("\xc3(")),
	    "value is not valid UTF-8");
	ck_assert_str_eq(xml_text_problem(X("a\xef\xbf\xbe")),
	    "U+FFFE or U+FFFF in value");
	ck_assert_str_eq(xml_text_problem(X("\xef\xbf\xbf")),
	    "U+FFFE or U+FFFF in value");
	ck_assert_ptr_null(xml_text_problem(X("\xef\xbf\xbd")));
}
END_TEST

START_TEST(test_hex)
{
	static const unsigned char bytes[] = { 0x00, 0x9f, 0xa0, 0xff };
	char out[9] = "";

	for (int c = 0; c < 256; c++) {
		int want = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		ck_assert_msg(hex_value(c) == want, "0x%02x", c);
	}
	ck_assert_int_eq(hex_value(-1), -1);
	hex_encode(bytes, 4, 0, out);
	ck_assert_str_eq(out, "009fa0ff");
	hex_encode(bytes, 4, 1, out);
	ck_assert_str_eq(out, "009FA0FF");
}
END_TEST

Suite *text_suite(void);

Suite *
text_suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("coders");

	tcase_add_loop_test(tc, test_utf8_decode, 0,
	    (int)(sizeof(seqs) / sizeof(seqs[0])));
	tcase_add_test(tc, test_xml_text_problem);
	tcase_add_test(tc, test_hex);
	suite_add_tcase(s, tc);
	return s;
}
