/* The one diagnostics type: its full and public forms, the cut at a
 * character boundary, and the rule that bytes of a file are quoted only
 * when they form a key name. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* diag_format() and diag_format_public() of one diagnostic. */
static const struct {
	int		 line;
	const char	*file;
	unsigned	 l, col;
	const char	*key, *msg;
	const char	*full, *pub;
} forms[] = {
	{ __LINE__, "phones.yml", 3, 5, "", "bad", "phones.yml:3:5: bad",
	    "phones.yml:3" },
	{ __LINE__, "phones.yml", 3, 0, "", "bad", "phones.yml:3: bad",
	    "phones.yml:3" },
	{ __LINE__, "common.yml", 0, 0, "", "missing",
	    "common.yml: missing", "common.yml" },
	/* A column without a line means nothing: left out. */
	{ __LINE__, "common.yml", 0, 7, "", "x", "common.yml: x",
	    "common.yml" },
	{ __LINE__, "", 2, 0, "", "bad", "line 2: bad", "line 2" },
	{ __LINE__, "", 2, 9, "", "bad", "line 2, column 9: bad", "line 2" },
	{ __LINE__, "", 0, 0, "", "bad", "bad", "" },
	{ __LINE__, "yealink/pack.yml", 4, 0, "sip1.user", "no '='",
	    "yealink/pack.yml:4: no '=' (key 'sip1.user')",
	    "yealink/pack.yml:4" },
	/* A key that is not a key name is kept for the caller, never
	 * shown. */
	{ __LINE__, "x.tpl", 1, 0, "<pw secret>", "bad", "x.tpl:1: bad",
	    "x.tpl:1" },
	/* A path set by hand is still shown by its last component. */
	{ __LINE__, "/etc/deskprov/phones.yml", 1, 0, "", "m",
	    "phones.yml:1: m", "phones.yml:1" },
};

START_TEST(test_forms)
{
	struct diag d;
	char out[DIAG_TEXT_MAX];
	size_t n;

	memset(&d, 0, sizeof(d));
	snprintf(d.file, sizeof(d.file), "%s", forms[_i].file);
	d.line = forms[_i].l;
	d.col = forms[_i].col;
	snprintf(d.key, sizeof(d.key), "%s", forms[_i].key);
	snprintf(d.msg, sizeof(d.msg), "%s", forms[_i].msg);
	n = diag_format(&d, out, sizeof(out));
	ck_assert_msg(strcmp(out, forms[_i].full) == 0, "line %d: '%s'",
	    forms[_i].line, out);
	ck_assert_uint_eq(n, strlen(out));
	diag_format_public(&d, out, sizeof(out));
	ck_assert_msg(strcmp(out, forms[_i].pub) == 0, "line %d: public '%s'",
	    forms[_i].line, out);
}
END_TEST

/* diag_set() names files without their directories and returns -1. */
START_TEST(test_set)
{
	struct diag d;
	char out[DIAG_TEXT_MAX];

	diag_clear(&d);
	ck_assert_int_eq(diag_set(&d, "/tmp/x/etc/phones.yml", 2, 3,
	    "phone '%s': %d", "desk", 7), -1);
	ck_assert_str_eq(d.file, "phones.yml");
	ck_assert_uint_eq(d.line, 2);
	ck_assert_uint_eq(d.col, 3);
	ck_assert_str_eq(d.msg, "phone 'desk': 7");
	diag_format(&d, out, sizeof(out));
	ck_assert_str_eq(out, "phones.yml:2:3: phone 'desk': 7");

	/* A relative name is kept whole; NULL keeps the file. */
	diag_set(&d, "templates/acme/base.tpl", 1, 0, "a");
	ck_assert_str_eq(d.file, "templates/acme/base.tpl");
	diag_set(&d, NULL, 4, 0, "b");
	ck_assert_str_eq(d.file, "templates/acme/base.tpl");

	/* diag_set() clears the key of an earlier problem. */
	diag_set_key(&d, "sip1.user", 9);
	diag_set(&d, NULL, 4, 0, "c");
	ck_assert_str_eq(d.key, "");

	/* No diagnostic wanted: nothing happens, still -1. */
	ck_assert_int_eq(diag_set(NULL, "f", 1, 1, "x"), -1);
}
END_TEST

/* The layer above adds its context in front; the file is its to name. */
START_TEST(test_prefix)
{
	struct diag d;
	char out[DIAG_TEXT_MAX], longer[400];

	diag_clear(&d);
	diag_set(&d, NULL, 7, 0, "timezone must be an IANA zone name");
	diag_set_file(&d, "phones.yml");
	diag_prefix(&d, "phone '%s'", "desk");
	diag_format(&d, out, sizeof(out));
	ck_assert_str_eq(out, "phones.yml:7: phone 'desk': timezone must be "
	    "an IANA zone name");

	/* Too long together: cut, still a string that fits. */
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	diag_prefix(&d, "%s", longer);
	ck_assert_uint_eq(strlen(d.msg), sizeof(d.msg) - 1);
}
END_TEST

/* A long message is cut at a character boundary, never inside one. */
static const struct {
	int		 line;
	const char	*tail;		/* after 250 'x' */
	const char	*want;		/* the end of the message */
} cuts[] = {
	/* 250 + 5 = 255 bytes fit exactly. */
	{ __LINE__, "abcde", "xabcde" },
	{ __LINE__, "abcdefgh", "xabcde" },
	/* è is 2 bytes at 254..255: it does not fit, dropped whole. */
	{ __LINE__, "abcd\xc3\xa8z", "xabcd" },
	/* è at 253..254 fits. */
	{ __LINE__, "abc\xc3\xa8zz", "xabc\xc3\xa8" },
	/* A 3-byte € at 253..255: dropped. */
	{ __LINE__, "abc\xe2\x82\xac", "xabc" },
	/* A 4-byte emoji at 251..254 fits; at 252 it does not. */
	{ __LINE__, "a\xf0\x9f\x98\x80zz", "xa\xf0\x9f\x98\x80" },
	{ __LINE__, "ab\xf0\x9f\x98\x80", "xab" },
};

START_TEST(test_utf8_cut)
{
	char text[400];
	struct diag d;
	size_t n, w = strlen(cuts[_i].want);

	memset(text, 'x', 250);
	snprintf(text + 250, sizeof(text) - 250, "%s", cuts[_i].tail);
	diag_set(&d, "f", 1, 0, "%s", text);
	n = strlen(d.msg);
	ck_assert_msg(n >= w && strcmp(d.msg + n - w, cuts[_i].want) == 0,
	    "line %d: ends '%s'", cuts[_i].line, d.msg + (n > 8 ? n - 8 : 0));
	ck_assert_msg(n < sizeof(d.msg), "line %d", cuts[_i].line);
}
END_TEST

/* The quoting rule: a key name is quoted, anything else is named
 * without its bytes. */
static const struct {
	int		 line;
	const char	*s;
	int		 ok;
} keys[] = {
	{ __LINE__, "Station_Name", 1 },
	{ __LINE__, "sip1.user-name", 1 },
	{ __LINE__, "0", 1 },
	{ __LINE__, "", 0 },
	{ __LINE__, "$6$rounds=5000$salt$hash", 0 },
	{ __LINE__, "pass word", 0 },
	{ __LINE__, "/etc/shadow", 0 },
	{ __LINE__, "a:b", 0 },
	{ __LINE__, "caff\xc3\xa8", 0 },
	{ __LINE__, "line\nbreak", 0 },
	{ __LINE__, "'quoted'", 0 },
	/* 63 bytes are a key name, 64 are not. */
	{ __LINE__, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    1 },
	{ __LINE__, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	    0 },
};

START_TEST(test_key_rule)
{
	char buf[DIAG_QUOTE_MAX], want[DIAG_QUOTE_MAX + 8];
	const char *s = keys[_i].s;

	ck_assert_msg(diag_key_ok(s, strlen(s)) == keys[_i].ok, "line %d",
	    keys[_i].line);
	diag_quote(buf, sizeof(buf), s, strlen(s));
	if (keys[_i].ok) {
		snprintf(want, sizeof(want), "'%s'", s);
		ck_assert_str_eq(buf, want);
	} else
		ck_assert_str_eq(buf, "(an invalid key)");
	ck_assert_str_eq(DIAG_Q(s), buf);
}
END_TEST

/* Two DIAG_Q() in one call keep their own buffers. */
START_TEST(test_two_quotes)
{
	struct diag d;

	diag_set(&d, "f", 1, 0, "%s then %s", DIAG_Q("first"),
	    DIAG_Q("se cond"));
	ck_assert_str_eq(d.msg, "'first' then (an invalid key)");
}
END_TEST

Suite *diag_suite(void);

Suite *
diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("diag");

	tcase_add_loop_test(tc, test_forms, 0,
	    (int)(sizeof(forms) / sizeof(forms[0])));
	tcase_add_test(tc, test_set);
	tcase_add_test(tc, test_prefix);
	tcase_add_loop_test(tc, test_utf8_cut, 0,
	    (int)(sizeof(cuts) / sizeof(cuts[0])));
	tcase_add_loop_test(tc, test_key_rule, 0,
	    (int)(sizeof(keys) / sizeof(keys[0])));
	tcase_add_test(tc, test_two_quotes);
	suite_add_tcase(s, tc);
	return s;
}
