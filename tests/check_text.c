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


/* Edit distances, as rows with the line they are on. */
static const struct {
	int		 line;
	const char	*a, *b;
	size_t		 max, want;	/* want max + 1: "further than max" */
} dists[] = {
	{ __LINE__, "ip_adress", "ip_address", 3, 1 },
	{ __LINE__, "Staton_Name", "Station_Name", 3, 1 },
	{ __LINE__, "station_name", "Station_Name", 3, 0 },	/* any case */
	{ __LINE__, "Staiton_Name", "Station_Name", 3, 1 },	/* a swap */
	{ __LINE__, "kitten", "sitting", 5, 3 },
	{ __LINE__, "", "abc", 5, 3 },
	{ __LINE__, "abc", "", 5, 3 },
	{ __LINE__, "same", "same", 0, 0 },
	{ __LINE__, "kitten", "sitting", 2, 3 },		/* cut at max */
	{ __LINE__, "a", "abcdefgh", 3, 4 },		/* lengths alone */
	{ __LINE__, "ca", "abc", 5, 3 },	/* OSA: no edit of a swap */
};

/* memmem() for the Mustache delimiters and the preview masks: the first
 * match, a needle at either end, one longer than the haystack. */
START_TEST(test_find)
{
	static const char hay[] = "ab{{x}}cd{{y}}";
	const size_t n = sizeof(hay) - 1;

	ck_assert_ptr_eq(text_find(hay, n, "{{", 2), hay + 2);
	ck_assert_ptr_eq(text_find(hay, n, "ab", 2), hay);
	ck_assert_ptr_eq(text_find(hay, n, "y}}", 3), hay + 11);
	ck_assert_ptr_null(text_find(hay, n, "}}}", 3));
	ck_assert_ptr_null(text_find(hay, 1, "ab", 2));
	ck_assert_ptr_null(text_find(hay, 0, "a", 1));
}
END_TEST

START_TEST(test_distance)
{
	size_t d = text_distance(dists[_i].a, strlen(dists[_i].a),
	    dists[_i].b, strlen(dists[_i].b), dists[_i].max);

	ck_assert_msg(d == dists[_i].want, "line %d: %zu, not %zu",
	    dists[_i].line, d, dists[_i].want);
}
END_TEST

START_TEST(test_distance_long)
{
	char a[TEXT_DISTANCE_LEN_MAX + 2];

	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	/* Too long to measure: "far", never a read past the rows. */
	ck_assert_uint_eq(text_distance(a, strlen(a), a, strlen(a), 3), 4);
	ck_assert_uint_eq(text_distance(a, TEXT_DISTANCE_LEN_MAX, a,
	    TEXT_DISTANCE_LEN_MAX, 3), 0);
}
END_TEST

static const char *
suggest(const char *word, const char *const *cands)
{
	struct text_suggest s;

	text_suggest_init(&s, word, strlen(word));
	for (size_t i = 0; cands[i] != NULL; i++)
		text_suggest_offer(&s, cands[i]);
	return s.best;
}

START_TEST(test_suggest)
{
	static const char *const meta[] = { "mac", "ip_address",
	    "serial_number", "description", "model", NULL };
	static const char *const params[] = { "Station_Name",
	    "Station_Display_Name", "Proxy_1_", "Line_Enable_1_", NULL };
	static const char *const packs[] = { "cisco-mpp", "cisco-spa",
	    "yealink", "snom", NULL };
	const char *got;

	ck_assert_str_eq(suggest("ip_adress", meta), "ip_address");
	ck_assert_str_eq(suggest("modle", meta), "model");
	ck_assert_str_eq(suggest("Staton_Name", params), "Station_Name");
	ck_assert_str_eq(suggest("station_name", params), "Station_Name");
	ck_assert_str_eq(suggest("yelink", packs), "yealink");
	ck_assert_str_eq(suggest("snmo", packs), "snom");
	/* The closest wins, not the first within reach. */
	ck_assert_str_eq(suggest("cisco-sp", packs), "cisco-spa");
	/* Nothing close: no guess. */
	got = suggest("Foo_Bar", params);
	ck_assert_msg(got == NULL, "suggested %s", got);
	got = suggest("vlan", packs);
	ck_assert_msg(got == NULL, "suggested %s", got);
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
	tcase_add_test(tc, test_find);
	tcase_add_loop_test(tc, test_distance, 0,
	    sizeof(dists) / sizeof(dists[0]));
	tcase_add_test(tc, test_distance_long);
	tcase_add_test(tc, test_suggest);
	suite_add_tcase(s, tc);
	return s;
}
