/* Expected against reported configuration, and YAML snippets to fold
 * what phones report back into common.yml.  Pure: no I/O, no clock; the
 * caller passes the secret key and the time it wants printed.
 *
 * Rules (comparison.yml, see settings.h):
 *   - blacklisted names are left out entirely (counted in n_excluded);
 *   - values are compared after normalisation: surrounding whitespace
 *     trimmed (trim_whitespace, default on), ASCII case folded for names
 *     in case_insensitive, and for names in booleans Yes/yes/true/on and
 *     No/no/false/off each count as one value;
 *   - secrets (secret.h) are compared only through the keyed hash, exactly
 *     (no normalisation), and never carry a value in the result: their
 *     items have expected = reported = NULL and secret = 1, so a page can
 *     only say "matches" or "differs". */
#ifndef DESKPROV_COMPARE_H
#define DESKPROV_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "report.h"
#include "secret.h"
#include "settings.h"

/* One expected parameter; both strings borrowed.  cmp_expected_add()
 * measures and hashes the name once for every lookup of the comparison. */
struct cmp_param {
	const char	*name;
	const char	*value;
	size_t		 name_len;
	uint32_t	 name_hash;	/* strmap_hash() */
};

/* The expected side: a name → value list (caller keeps the strings alive;
 * the array is owned and freed by cmp_expected_free()). */
struct cmp_expected {
	struct cmp_param	*items;
	size_t			 n;
	size_t			 cap;
	/* A device's expected values, read back from its rendered
	 * flat-profile file: the strings of items live here. */
	struct report		*rendered;
	int			 comparable;	/* 0: nothing to compare */
};

enum cmp_verdict {
	CMP_MATCH,
	CMP_DIFFERS,
	CMP_MISSING,		/* expected, not reported */
	CMP_UNEXPECTED		/* reported, not expected */
};

/* Strings are borrowed from the inputs of compare_run(). */
struct cmp_item {
	const char		*name;
	const char		*expected;	/* NULL: secret or absent */
	const char		*reported;	/* NULL: secret or absent */
	int			 secret;
	enum cmp_verdict	 verdict;
};

struct cmp_list {
	struct cmp_item	*items;
	size_t		 n;
	size_t		 cap;
};

/* Lists in expected order (unexpected: in reported order).  secrets holds
 * every secret present on both sides with MATCH or DIFFERS; a differing
 * secret is also in mismatches.  Free with cmp_result_free(). */
struct cmp_result {
	struct cmp_list	 mismatches;
	struct cmp_list	 missing;
	struct cmp_list	 unexpected;
	struct cmp_list	 secrets;
	size_t		 n_expected;	/* compared (blacklist excluded) */
	size_t		 n_reported;	/* likewise */
	size_t		 n_matches;	/* secrets that match included */
	size_t		 n_excluded;	/* blacklisted names seen */
	size_t		 n_unverified;	/* secrets, when key was NULL */
};

void	cmp_expected_init(struct cmp_expected *);
void	cmp_expected_free(struct cmp_expected *);
void	cmp_expected_add(struct cmp_expected *, const char *name,
	    const char *value);
/* Everything profile.fcgi would serve the phone: flatprofile_params() for
 * a Cisco flat-profile phone (strings borrowed from the snapshot); for a
 * device, the parameters of its main file when that is a flat profile
 * (Cisco MPP or SPA through a pack; strings owned by e).  Devices of
 * vendors whose files are no flat profile leave e->comparable 0: their
 * phones report nothing deskprov could compare. */
void	cmp_expected_from_phone(struct cmp_expected *,
	    const struct snapshot *, const struct phone *);

/* True when a and b are equal for parameter `name` under the rules. */
int	compare_values_equal(const struct comparison_settings *,
	    const char *name, const char *a, const char *b);

/* Compares; key may be NULL, and then secrets present on both sides are
 * counted in n_unverified instead of matching or differing. */
void	compare_run(const struct cmp_expected *, const struct report *reported,
	    const struct comparison_settings *, const struct secret_key *key,
	    struct cmp_result *out);
void	cmp_result_free(struct cmp_result *);
/* Mismatches + missing + unexpected: the fleet page's "differences". */
size_t	cmp_differences(const struct cmp_result *);

/* True when common.yml itself sets `name` (schema defaults do not count);
 * ctx is the snapshot.  Fits compare_fleet_common(). */
int	compare_in_common(void *snapshot, const char *name);

/* Parameters every state in states[0..n) reports with the same value and
 * in_common() says common.yml lacks; secrets and blacklisted names are
 * left out.  Items (verdict CMP_UNEXPECTED, value in `reported`) borrow
 * from states[0] and are sorted by name.  n == 0 gives an empty list. */
void	compare_fleet_common(const struct report *const *states, size_t n,
	    int (*in_common)(void *, const char *), void *ctx,
	    const struct comparison_settings *, struct cmp_list *out);
void	cmp_list_free(struct cmp_list *);

/* The unexpected parameters of one phone as a YAML snippet for common.yml
 * (libyaml emitter: values quoted so they read back exactly, sorted by
 * name); secrets are never written.  `when` only goes into a comment.
 * Appends to out; returns the number of parameters written, or -1 when
 * the emitter failed (out then holds nothing new). */
int	compare_export_unexpected(const struct cmp_result *, const char *mac,
	    time_t when, const struct comparison_settings *, struct buf *out);
/* The same for compare_fleet_common()'s list, over n_phones phones. */
int	compare_export_fleet(const struct cmp_list *, size_t n_phones,
	    time_t when, const struct comparison_settings *, struct buf *out);

#endif
