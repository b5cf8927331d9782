#include <stdlib.h>

#include "pagesel.h"

int
pagesel_cmp(const struct pagesel_item *a, const struct pagesel_item *b)
{
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->tie > b->tie) - (a->tie < b->tie);
}

static int
cmp_qsort(const void *a, const void *b)
{
	return pagesel_cmp(a, b);
}

static void
swap(struct pagesel_item *a, struct pagesel_item *b)
{
	struct pagesel_item t = *a;

	*a = *b;
	*b = t;
}

/* The median of v[lo], v[mid] and v[hi] moved to v[hi]: the pivot.  On
 * sorted or reversed input (a fleet read in phones.yml order is often
 * sorted by name already) this keeps the partitions even. */
static void
pivot_last(struct pagesel_item *v, size_t lo, size_t hi)
{
	size_t mid = lo + (hi - lo) / 2;

	if (pagesel_cmp(&v[mid], &v[lo]) < 0)
		swap(&v[mid], &v[lo]);
	if (pagesel_cmp(&v[hi], &v[lo]) < 0)
		swap(&v[hi], &v[lo]);
	if (pagesel_cmp(&v[mid], &v[hi]) < 0)
		swap(&v[mid], &v[hi]);
}

/* Lomuto's partition of v[lo..hi] around the pivot at v[hi]; returns the
 * pivot's final place.  Entries are distinct (the tie is unique), so no
 * run of equal keys can make it quadratic. */
static size_t
partition(struct pagesel_item *v, size_t lo, size_t hi)
{
	size_t store = lo;

	pivot_last(v, lo, hi);
	for (size_t i = lo; i < hi; i++)
		if (pagesel_cmp(&v[i], &v[hi]) < 0)
			swap(&v[i], &v[store++]);
	swap(&v[store], &v[hi]);
	return store;
}

/* Puts the entry of rank k (lo <= k <= hi) at v[k], lower ones before it
 * and higher ones after.  A range still unsettled after 2 log2(n) rounds
 * (an adversarial order; a fair one needs about half as many) is simply
 * sorted, as introsort does, so the worst case stays n log n. */
static void
select_rank(struct pagesel_item *v, size_t lo, size_t hi, size_t k)
{
	int budget = 2;

	for (size_t m = hi - lo + 1; m > 1; m >>= 1)
		budget += 2;
	while (hi > lo) {
		size_t p;

		if (budget-- == 0) {
			qsort(v + lo, hi - lo + 1, sizeof(*v), cmp_qsort);
			return;
		}
		p = partition(v, lo, hi);
		if (p == k)
			return;
		if (k < p)
			hi = p - 1;
		else
			lo = p + 1;
	}
}

void
pagesel_window(struct pagesel_item *v, size_t n, size_t first, size_t count)
{
	size_t end;

	if (first >= n || count == 0)
		return;
	end = count > n - first ? n : first + count;
	select_rank(v, 0, n - 1, first);
	/* v[first] is in place; the window's last entry is the one of rank
	 * end - 1 among those after it. */
	if (end - 1 > first)
		select_rank(v, first + 1, n - 1, end - 1);
	if (end - first > 2)
		qsort(v + first + 1, end - first - 2, sizeof(*v), cmp_qsort);
}
