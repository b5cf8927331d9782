/* The markup escapers: every context with hostile input, and the page
 * frame (head, header, foot). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "html.h"

#define X(s)	s, sizeof(s) - 1

/* Text and attribute values: one table, since both use the same rules. */
static const struct {
	int		 line;
	const char	*in;
	size_t		 n;
	const char	*out;
} texts[] = {
	{ __LINE__, X("plain text"), "plain text" },
	{ __LINE__, X(""), "" },
	{ __LINE__, X("<script>alert(1)</script>"),
	    "&lt;script&gt;alert(1)&lt;/script&gt;" },
	{ __LINE__, X("a & b &amp; c"), "a &amp; b &amp;amp; c" },
	{ __LINE__, X("\"quoted\" 'single'"),
	    "&quot;quoted&quot; &#39;single&#39;" },
	{ __LINE__, X("\" onmouseover=\"alert(1)"),
	    "&quot; onmouseover=&quot;alert(1)" },
	{ __LINE__, X("' autofocus onfocus='x"),
	    "&#39; autofocus onfocus=&#39;x" },
	{ __LINE__, X("]]><!--x--><![CDATA["),
	    "]]&gt;&lt;!--x--&gt;&lt;![CDATA[" },
	{ __LINE__, X("tab\tand\nnewline"), "tab\tand\nnewline" },
	/* Controls become visible pictures: U+240D for CR, U+2400 for NUL,
	 * U+241B for ESC, U+2421 for DEL. */
	{ __LINE__, X("a\rb"), "a\xe2\x90\x8d" "b" },
	{ __LINE__, X("a\0b"), "a\xe2\x90\x80" "b" },
	{ __LINE__, X("\x1b[31mred"), "\xe2\x90\x9b[31mred" },
	{ __LINE__, X("del\x7f"), "del\xe2\x90\xa1" },
	/* UTF-8 passes; anything else becomes U+FFFD. */
	{ __LINE__, X("Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x93\x9e"),
	    "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x93\x9e" },
	{ __LINE__, X("\xff<"), "\xef\xbf\xbd&lt;" },
	{ __LINE__, X("\xc0\xbc"), "\xef\xbf\xbd\xef\xbf\xbd" },	/* overlong < */
	{ __LINE__, X("\xe0\x80\xbc"),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ __LINE__, X("\xed\xa0\x80"),				/* surrogate */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ __LINE__, X("\xf4\x90\x80\x80"),			/* > U+10FFFF */
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
	{ __LINE__, X("cut \xe2\x82"), "cut \xef\xbf\xbd\xef\xbf\xbd" },
	{ __LINE__, X("\xc3<"), "\xef\xbf\xbd&lt;" },
};

START_TEST(test_text)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "[");
	html_textn(&b, texts[_i].in, texts[_i].n);
	buf_adds(&b, "]");
	ck_assert_msg(b.len == strlen(texts[_i].out) + 2 &&
	    memcmp(b.data + 1, texts[_i].out, b.len - 2) == 0,
	    "line %d: got %s", texts[_i].line, b.data);
	buf_free(&b);
}
END_TEST

/* An attribute value can never end the attribute or open a tag: the
 * result holds no quote and no angle bracket, whatever the input. */
START_TEST(test_attr)
{
	struct buf b;
	char in[64];

	buf_init(&b);
	html_attr(&b, "title", "x\" onclick=\"a' <b>");
	ck_assert_str_eq(b.data,
	    " title=\"x&quot; onclick=&quot;a&#39; &lt;b&gt;\"");
	for (int c = 1; c < 256; c++) {
		buf_reset(&b);
		snprintf(in, sizeof(in), "a%cb%c\"'<>&", c, c);
		html_attr(&b, "v", in);
		ck_assert_msg(strchr(b.data + 4, '"') == b.data + b.len - 1,
		    "byte %d ends the attribute early: %s", c, b.data);
		ck_assert_ptr_null(strpbrk(b.data, "<>'"));
	}
	buf_reset(&b);
	html_attr(&b, "v", NULL);
	ck_assert_str_eq(b.data, " v=\"\"");
	buf_free(&b);
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	const char	*out;
} segments[] = {
	{ __LINE__, "001122334455", "001122334455" },
	{ __LINE__, "a-b.c_d~e", "a-b.c_d~e" },
	{ __LINE__, "../etc/passwd", "..%2Fetc%2Fpasswd" },
	{ __LINE__, "a b?c#d&e=f", "a%20b%3Fc%23d%26e%3Df" },
	{ __LINE__, "\"><script>", "%22%3E%3Cscript%3E" },
	{ __LINE__, "javascript:alert(1)", "javascript%3Aalert%281%29" },
	{ __LINE__, "100%", "100%25" },
	{ __LINE__, "\r\n\x7f\xff", "%0D%0A%7F%FF" },
	{ __LINE__, "\xc3\xbc", "%C3%BC" },
	{ __LINE__, "", "" },
};

START_TEST(test_url_segment)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "/compare/");
	url_segment(&b, segments[_i].in);
	ck_assert_msg(strcmp(b.data + 9, segments[_i].out) == 0,
	    "line %d: got %s", segments[_i].line, b.data);
	buf_free(&b);
}
END_TEST

START_TEST(test_url_arg)
{
	struct buf b, page;

	buf_init(&b);
	buf_init(&page);
	buf_adds(&b, "/reports");
	url_arg(&b, "page", "2");
	url_arg(&b, "x&y=", "a&b=c#d");
	ck_assert_str_eq(b.data, "/reports?page=2&x%26y%3D=a%26b%3Dc%23d");
	/* In an attribute the & separator becomes &amp;. */
	html_link(&page, b.data, "c\"", "<next>");
	ck_assert_str_eq(page.data, "<a href=\"/reports?page=2&amp;x%26y%3D="
	    "a%26b%3Dc%23d\" class=\"c&quot;\">&lt;next&gt;</a>");
	buf_reset(&b);
	url_arg(&b, "scope", "fleet");
	ck_assert_str_eq(b.data, "?scope=fleet");
	buf_free(&b);
	buf_free(&page);
}
END_TEST

START_TEST(test_elem)
{
	struct buf b;

	buf_init(&b);
	html_elem(&b, "td", NULL, "<b>");
	html_elem(&b, "span", "badge ok", "in sync");
	ck_assert_str_eq(b.data, "<td>&lt;b&gt;</td>"
	    "<span class=\"badge ok\">in sync</span>");
	buf_free(&b);
}
END_TEST

/* The frame: valid HTML5 head, the navigation, the user; hostile titles
 * and user names stay text. */
START_TEST(test_page_frame)
{
	struct html_page hp = {
		.title = "<i>Fleet</i>", .active = NAV_REPORTS,
		.user = "eve\"<img src=x>", .role = "admin", .show_reports = 1,
	};
	struct buf b;

	buf_init(&b);
	html_head(&b, &hp);
	html_foot(&b);
	ck_assert_ptr_eq(strstr(b.data, "<!DOCTYPE html>\n<html lang=\"en\">"),
	    b.data);
	ck_assert_ptr_nonnull(strstr(b.data, "<meta charset=\"utf-8\">"));
	ck_assert_ptr_nonnull(strstr(b.data, "<meta name=\"viewport\""));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<link rel=\"stylesheet\" href=\"/deskprov.css\">"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<title>&lt;i&gt;Fleet&lt;/i&gt; \xc2\xb7 deskprov</title>"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<h1>&lt;i&gt;Fleet&lt;/i&gt;</h1>"));
	ck_assert_ptr_nonnull(strstr(b.data, "<a href=\"/\">Fleet</a>"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<a href=\"/reports\" class=\"current\">Reports</a>"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<span class=\"user\">eve&quot;&lt;img src=x&gt;</span>"));
	ck_assert_ptr_null(strstr(b.data, "<img"));
	ck_assert_ptr_null(strstr(b.data, "<script"));
	ck_assert_ptr_nonnull(strstr(b.data, "</main>"));
	ck_assert_ptr_nonnull(strstr(b.data, "</html>\n"));
	/* A monitor sees no Reports entry. */
	buf_reset(&b);
	hp.show_reports = 0;
	hp.active = NAV_FLEET;
	hp.user = NULL;
	html_head(&b, &hp);
	ck_assert_ptr_null(strstr(b.data, "/reports"));
	ck_assert_ptr_nonnull(strstr(b.data,
	    "<a href=\"/\" class=\"current\">Fleet</a>"));
	ck_assert_ptr_null(strstr(b.data, "class=\"user\""));
	buf_free(&b);
}
END_TEST

Suite *html_suite(void);

Suite *
html_suite(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("html");

	tcase_add_loop_test(tc, test_text, 0,
	    (int)(sizeof(texts) / sizeof(texts[0])));
	tcase_add_test(tc, test_attr);
	tcase_add_loop_test(tc, test_url_segment, 0,
	    (int)(sizeof(segments) / sizeof(segments[0])));
	tcase_add_test(tc, test_url_arg);
	tcase_add_test(tc, test_elem);
	tcase_add_test(tc, test_page_frame);
	suite_add_tcase(s, tc);
	return s;
}
