/* The growable buffer's JSON string writer: every byte that needs an
 * escape gets one wherever it falls (first, last, inside or across the
 * eight-byte words the writer tests at once), and nothing else changes.
 * A stored report is written with it (store.c), so these bytes are what
 * store_load() and the Flask-compatible readers see. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"

#define X(s)	s, sizeof(s) - 1

static const struct {
	int		 line;
	const char	*in;
	size_t		 n;
	const char	*out;
} rows[] = {
	{ __LINE__, X(""), "\"\"" },
	{ __LINE__, X("plain"), "\"plain\"" },
	{ __LINE__, X("exactly8"), "\"exactly8\"" },
	{ __LINE__, X("sixteen bytes ok"), "\"sixteen bytes ok\"" },
	{ __LINE__, X("\""), "\"\\\"\"" },
	{ __LINE__, X("\\"), "\"\\\\\"" },
	{ __LINE__, X("a\"bcdefgh"), "\"a\\\"bcdefgh\"" },
	{ __LINE__, X("abcdefg\""), "\"abcdefg\\\"\"" },
	{ __LINE__, X("abcdefgh\\"), "\"abcdefgh\\\\\"" },
	{ __LINE__, X("abcdefg\x01xyz"), "\"abcdefg\\u0001xyz\"" },
	{ __LINE__, X("\x1f" "bcdefgh"), "\"\\u001fbcdefgh\"" },
	{ __LINE__, X("abc\tdef\nghi\r"), "\"abc\\u0009def\\u000aghi\\u000d\"" },
	{ __LINE__, X("abcdefg\x7f"), "\"abcdefg\\u007f\"" },
	{ __LINE__, X("abcd\0efgh"), "\"abcd\\u0000efgh\"" },
	/* Bytes beyond ASCII (UTF-8) and a space are plain. */
	{ __LINE__, X("caf\xc3\xa9 \xe2\x82\xac 12"), "\"caf\xc3\xa9 \xe2\x82\xac 12\"" },
	{ __LINE__, X("\x80\xff\x20\x21\x23\x5b\x5d\x7e"), "\"\x80\xff\x20\x21\x23\x5b\x5d\x7e\"" },
	/* A word whose only special byte is in its upper half. */
	{ __LINE__, X("^\"\x03Wh\x12Y\x7f?"), "\"^\\\"\\u0003Wh\\u0012Y\\u007f?\"" },
};

START_TEST(test_json_str)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "k: ");
	buf_add_json_str(&b, rows[_i].in, rows[_i].n);
	ck_assert_msg(b.len == 3 + strlen(rows[_i].out) &&
	    strcmp(b.data + 3, rows[_i].out) == 0, "line %d: got %s",
	    rows[_i].line, b.data);
	buf_free(&b);
}
END_TEST

/* Every byte value at every position of a 17-byte string: escaped alone,
 * the rest left as it was. */
START_TEST(test_json_str_every_byte)
{
	char in[17], want[64];
	struct buf b;

	for (int c = 0; c < 256; c++)
		for (size_t at = 0; at < sizeof(in); at++) {
			size_t k = 0;

			memset(in, 'a', sizeof(in));
			in[at] = (char)c;
			want[k++] = '"';
			for (size_t i = 0; i < sizeof(in); i++) {
				unsigned char u = (unsigned char)in[i];

				if (u == '"' || u == '\\') {
					want[k++] = '\\';
					want[k++] = (char)u;
				} else if (u < 0x20 || u == 0x7f)
					k += (size_t)snprintf(want + k,
					    sizeof(want) - k, "\\u%04x", u);
				else
					want[k++] = (char)u;
			}
			want[k++] = '"';
			buf_init(&b);
			buf_add_json_str(&b, in, sizeof(in));
			ck_assert_msg(b.len == k && memcmp(b.data, want, k) == 0,
			    "byte 0x%02x at %zu", c, at);
			buf_free(&b);
		}
}
END_TEST

Suite *buf_suite(void);

Suite *
buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("json");

	tcase_add_loop_test(tc, test_json_str, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_test(tc, test_json_str_every_byte);
	suite_add_tcase(s, tc);
	return s;
}
