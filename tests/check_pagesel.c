/* pagesel_window(): every window of every list size gives exactly what a
 * full sort gives at those positions, with the ranks before and after it
 * on their sides; ties in the key are ordered by the tie; sorted,
 * reversed and constant-key inputs; windows cut at the end or past it. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pagesel.h"

static int
cmp(const void *a, const void *b)
{
	return pagesel_cmp(a, b);
}

/* A small deterministic generator: the tests repeat exactly. */
static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

enum shape { RANDOM, SORTED, REVERSED, SAME_KEY, FEW_KEYS, SHAPES };

static void
fill(struct pagesel_item *v, size_t n, enum shape sh, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++) {
		v[i].tie = i;
		switch (sh) {
		case RANDOM:
			v[i].key = next(seed);
			break;
		case SORTED:
			v[i].key = i;
			break;
		case REVERSED:
			v[i].key = n - i;
			break;
		case SAME_KEY:
			v[i].key = 7;
			v[i].tie = next(seed) % (4 * n + 1) * n + i;
			break;
		default:
			v[i].key = next(seed) % 4;
			break;
		}
	}
}

/* v after pagesel_window() against the full sort `want`. */
static void
check_window(const struct pagesel_item *v, const struct pagesel_item *want,
    size_t n, size_t first, size_t count, int line)
{
	size_t end = first >= n ? first : count > n - first ? n : first + count;

	for (size_t i = first; i < end; i++)
		ck_assert_msg(v[i].key == want[i].key && v[i].tie == want[i].tie,
		    "line %d: n %zu first %zu count %zu: position %zu", line, n,
		    first, count, i);
	if (first >= n)
		return;
	for (size_t i = 0; i < first; i++)
		ck_assert_msg(pagesel_cmp(&v[i], &want[first]) < 0,
		    "line %d: n %zu first %zu: %zu ranks after the window",
		    line, n, first, i);
	for (size_t i = end; i < n; i++)
		ck_assert_msg(pagesel_cmp(&v[i], &want[end - 1]) > 0,
		    "line %d: n %zu first %zu: %zu ranks before the window",
		    line, n, first, i);
}

static void
try(size_t n, size_t first, size_t count, enum shape sh, uint64_t seed,
    int line)
{
	struct pagesel_item *v = calloc(n + 1, sizeof(*v));
	struct pagesel_item *want = calloc(n + 1, sizeof(*v));

	fill(v, n, sh, &seed);
	memcpy(want, v, n * sizeof(*v));
	qsort(want, n, sizeof(*want), cmp);
	pagesel_window(v, n, first, count);
	check_window(v, want, n, first, count, line);
	free(v);
	free(want);
}

/* Every window of every list up to 40 entries, every shape. */
START_TEST(test_small_exhaustive)
{
	for (size_t n = 0; n <= 40; n++)
		for (size_t first = 0; first <= n + 1; first++)
			for (size_t count = 1; count <= 5; count++)
				try(n, first, count, (enum shape)_i, n * 31 +
				    first + 1, __LINE__);
}
END_TEST

/* Pages of 100 out of 100,000: first, middle, deep, last (cut), past. */
static const struct {
	int	line;
	size_t	n, first, count;
} big[] = {
	{ __LINE__, 100000, 0, 100 },
	{ __LINE__, 100000, 49900, 100 },
	{ __LINE__, 100000, 99900, 100 },
	{ __LINE__, 100050, 100000, 100 },	/* a last page of 50 */
	{ __LINE__, 100000, 100000, 100 },	/* past the end: nothing */
	{ __LINE__, 3, 0, 100 },		/* one page holds all */
	{ __LINE__, 1000, 0, 1000 },		/* the whole list */
};

START_TEST(test_pages)
{
	for (int sh = 0; sh < SHAPES; sh++)
		try(big[_i].n, big[_i].first, big[_i].count, (enum shape)sh,
		    (uint64_t)big[_i].line, big[_i].line);
}
END_TEST

/* Ties in the key go by the tie: a descending order complements both,
 * so page 2 of the descending list is page 2 of the ascending one read
 * backwards from the end. */
START_TEST(test_ties_and_desc)
{
	struct pagesel_item v[10], d[10];

	for (size_t i = 0; i < 10; i++) {
		v[i].key = i % 2;	/* five 0s, five 1s */
		v[i].tie = i;
		d[i].key = ~v[i].key;
		d[i].tie = ~v[i].tie;
	}
	pagesel_window(v, 10, 3, 3);
	ck_assert_uint_eq(v[3].tie, 6);
	ck_assert_uint_eq(v[4].tie, 8);
	ck_assert_uint_eq(v[5].tie, 1);
	pagesel_window(d, 10, 4, 3);	/* desc ranks 4..6 = asc 5..3 */
	ck_assert_uint_eq(~d[4].tie, 1);
	ck_assert_uint_eq(~d[5].tie, 8);
	ck_assert_uint_eq(~d[6].tie, 6);
}
END_TEST

Suite *pagesel_suite(void);

Suite *
pagesel_suite(void)
{
	Suite *s = suite_create("pagesel");
	TCase *tc = tcase_create("pagesel");

	tcase_add_loop_test(tc, test_small_exhaustive, 0, SHAPES);
	tcase_add_loop_test(tc, test_pages, 0,
	    (int)(sizeof(big) / sizeof(big[0])));
	tcase_add_test(tc, test_ties_and_desc);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
