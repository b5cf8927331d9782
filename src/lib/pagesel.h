/* One page of a long ordered list without sorting the whole list.
 *
 * A paginated page (the fleet page, /reports) shows `count` rows from
 * position `first` of a list ordered by a key.  Sorting every entry costs
 * n log n comparisons; a selection (Hoare's FIND, "Algorithm 65: Find",
 * Communications of the ACM 4(7), 1961, the quickselect of the textbooks)
 * puts the entries of ranks [first, first + count) in their place in
 * linear expected time, and only those are sorted.
 *
 * Entries are compared as (key, tie), both unsigned, ascending: callers
 * map their sort order onto the key (a descending order complements key
 * and tie) and make the tie unique (a position, a MAC as a number), so
 * that every order is total and pages never overlap. */
#ifndef DESKPROV_PAGESEL_H
#define DESKPROV_PAGESEL_H

#include <stddef.h>
#include <stdint.h>

struct pagesel_item {
	uint64_t	key;
	uint64_t	tie;
};

/* Reorders v[0..n) so that v[first .. first + count) (cut at n) holds, in
 * ascending order, exactly the entries that rank there in the sorted
 * list; entries before first rank lower, entries after rank higher, each
 * side in no particular order.  Nothing happens when first >= n.  Works
 * in place: no allocation. */
void	pagesel_window(struct pagesel_item *v, size_t n, size_t first,
	    size_t count);

/* -1, 0 or 1 as a ranks before, with or after b. */
int	pagesel_cmp(const struct pagesel_item *a, const struct pagesel_item *b);

#endif
