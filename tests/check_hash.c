/* The one hash: FNV-1a's published 64-bit test vectors, and pieces that
 * hash as their concatenation (the metrics file layout depends on both). */
#include <check.h>
#include <string.h>

#include "hash.h"

static const struct {
	int		 line;
	const char	*s;
	uint64_t	 h;
} vectors[] = {
	{ __LINE__, "", UINT64_C(0xcbf29ce484222325) },
	{ __LINE__, "a", UINT64_C(0xaf63dc4c8601ec8c) },
	{ __LINE__, "foobar", UINT64_C(0x85944171f73967e8) },
};

START_TEST(test_vectors)
{
	ck_assert_msg(hash_bytes(HASH_SEED, vectors[_i].s,
	    strlen(vectors[_i].s)) == vectors[_i].h, "line %d",
	    vectors[_i].line);
}
END_TEST

START_TEST(test_pieces)
{
	ck_assert(hash_bytes(hash_bytes(HASH_SEED, "foo", 3), "bar", 3) ==
	    hash_bytes(HASH_SEED, "foobar", 6));
}
END_TEST

/* The unrolled loop gives what one byte at a time gives, for every
 * length around its step. */
START_TEST(test_unrolled)
{
	static const char text[] = "Phone_Directory_Name_Of_Line_12_";
	uint64_t h;

	for (size_t n = 0; n < sizeof(text); n++) {
		h = HASH_SEED;
		for (size_t i = 0; i < n; i++)
			h = hash_bytes(h, text + i, 1);
		ck_assert_msg(hash_bytes(HASH_SEED, text, n) == h, "length %zu",
		    n);
	}
}
END_TEST

/* hash_words(): every byte counts, in the words and in the tail, and so
 * does the length (zeros of two lengths differ); h carries what came
 * before. */
START_TEST(test_words)
{
	unsigned char a[100], b[100];
	uint64_t h;

	memset(a, 0x5a, sizeof(a));
	h = hash_words(HASH_SEED, a, sizeof(a));
	for (size_t i = 0; i < sizeof(a); i++) {
		memcpy(b, a, sizeof(b));
		b[i] ^= 1;
		ck_assert_msg(hash_words(HASH_SEED, b, sizeof(b)) != h,
		    "byte %zu does not count", i);
	}
	memset(a, 0, sizeof(a));
	for (size_t n = 0; n < 64; n++)
		ck_assert(hash_words(HASH_SEED, a, n) !=
		    hash_words(HASH_SEED, a, n + 1));
	ck_assert(hash_words(1, a, 40) != hash_words(2, a, 40));
	ck_assert(hash_words(HASH_SEED, "abc", 3) !=
	    hash_bytes(HASH_SEED, "abc", 3));
}
END_TEST

Suite *hash_suite(void);

Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("fnv1a");

	tcase_add_loop_test(tc, test_vectors, 0,
	    (int)(sizeof(vectors) / sizeof(vectors[0])));
	tcase_add_test(tc, test_pieces);
	tcase_add_test(tc, test_unrolled);
	tcase_add_test(tc, test_words);
	suite_add_tcase(s, tc);
	return s;
}
