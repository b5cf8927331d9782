/* arena.c: memory handed out is zeroed, aligned, distinct and stays put
 * while chunks grow from small ones (calloc) to mapped ones, and large
 * allocations get their own chunk without wasting the current one. */
#include <check.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"

static int
all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* Sizes from one byte to past a mapped chunk, interleaved with strings
 * (alignment 1): each block zeroed, aligned, and still holding what was
 * written into it after everything else was allocated. */
START_TEST(test_blocks_survive_growth)
{
	static const size_t sizes[] = { 1, 7, 16, 100, 4000, 20000, 70000,
	    300000, 1, 2 * 1024 * 1024, 33, 900000 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	unsigned char *p[N];
	char *str[N];
	struct arena a;
	size_t total = 0;

	arena_init(&a);
	for (size_t i = 0; i < N; i++) {
		p[i] = arena_calloc(&a, sizes[i], 1);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq((uintptr_t)p[i] % alignof(max_align_t), 0);
		ck_assert(all_zero(p[i], sizes[i]));
		memset(p[i], (int)(i + 1), sizes[i]);
		str[i] = arena_strndup(&a, "abcdef", i % 6);
		total += sizes[i] + i % 6 + 1;
	}
	for (size_t i = 0; i < N; i++) {
		ck_assert_uint_eq(p[i][0], i + 1);
		ck_assert_uint_eq(p[i][sizes[i] - 1], i + 1);
		ck_assert_uint_eq(strlen(str[i]), i % 6);
		ck_assert(strncmp(str[i], "abcdef", i % 6) == 0);
	}
	ck_assert_uint_ge(a.total, total);
	arena_free(&a);
	ck_assert_uint_eq(a.total, 0);
}
END_TEST

/* Many small allocations, as a YAML tree makes them: none overlaps the
 * one before (checked at the end: an assertion per step is slow). */
START_TEST(test_many_small)
{
	struct arena a;
	uint32_t *prev = NULL;
	uint32_t bad = 0;

	arena_init(&a);
	for (uint32_t i = 0; i < 200000; i++) {
		uint32_t *v = arena_alloc(&a, sizeof(*v) * 3);
		v[0] = v[1] = v[2] = i;
		if (prev != NULL && (prev[2] != i - 1 || v == prev))
			bad++;
		prev = v;
	}
	ck_assert_uint_eq(bad, 0);
	ck_assert_uint_eq(a.total, 200000 * 12);
	arena_free(&a);
}
END_TEST

START_TEST(test_calloc_overflow)
{
	struct arena a;

	arena_init(&a);
	ck_assert_ptr_null(arena_calloc(&a, SIZE_MAX / 2, 3));
	arena_free(&a);
}
END_TEST

Suite *arena_suite(void);

Suite *
arena_suite(void)
{
	Suite *s = suite_create("arena");
	TCase *tc = tcase_create("arena");

	tcase_add_test(tc, test_blocks_survive_growth);
	tcase_add_test(tc, test_many_small);
	tcase_add_test(tc, test_calloc_overflow);
	suite_add_tcase(s, tc);
	return s;
}
