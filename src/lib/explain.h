/* What a phone gets and why: the files it fetches, rendered as profile.fcgi
 * renders them, and every value of its configuration with the layer it
 * came from.  No markup and no printing here: the phone page (page_phone.c)
 * and `deskprov explain|files` build on it.
 *
 * Previews are for people: explain_files() masks every secret in them, so
 * that a page or a terminal showing one never shows a password.  Masking
 * leans wide, like secret.h's name rule: a false positive hides a harmless
 * value, a false negative would show a password.  Two rules, both applied:
 *   - by name: a value after a secret name, in the three shapes the packs
 *     write (<Name ...>value</Name>, name="value", name = value up to the
 *     end of the line), the name judged by secret_name();
 *   - by value: every non-empty secret value the phone's configuration
 *     holds (device_path_secret() paths, secret_name() flat-profile
 *     parameters), as written and XML-escaped, wherever it occurs. */
#ifndef DESKPROV_EXPLAIN_H
#define DESKPROV_EXPLAIN_H

#include "buf.h"
#include "config.h"
#include "vendor.h"

#define EXPLAIN_MASK	"********"

/* One value of a phone's configuration; strings borrowed for the call. */
struct explain_value {
	const char	*name;	/* "accounts[1].server.host", "Time_Zone" */
	const char	*layer;	/* device: default common vendor model phone;
				 * flat profile: schema common phone */
	const char	*value;	/* NULL for a secret */
};

typedef void	(*explain_value_fn)(void *ctx, const struct explain_value *);

/* Calls fn for every value of the data the file of vr is rendered from
 * (vendor_data()'s provenance, in merge order), or, when vr is NULL, for
 * every parameter of the flat profile of ph (flatprofile_params()).
 * Returns 0, or -1 with err set (vendor_data() failed). */
int	explain_values(const struct snapshot *, const struct phone *ph,
	    const struct vendor_file_req *vr, explain_value_fn fn, void *ctx,
	    char *err, size_t errsz);

enum explain_status {
	EXPLAIN_RENDERED,	/* body holds the file, masked */
	EXPLAIN_ERROR		/* error says why it does not render */
};

/* One file a phone fetches; everything borrowed for the call. */
struct explain_file {
	const char			*name;	/* "001122334455.xml" */
	const struct vendor_file_req	*vr;	/* NULL: a flat profile */
	const struct vendor_result	*res;	/* NULL: a flat profile */
	enum explain_status		 status;
	const struct buf		*body;	/* masked (see above) */
	const char			*error;	/* "" when rendered */
};

typedef void	(*explain_file_fn)(void *ctx, const struct explain_file *);

/* Calls fn for every file ph fetches, in the order its pack lists them
 * (the order the phone fetches them in), each rendered through
 * vendor_request() and vendor_render() exactly as profile.fcgi would
 * answer the name; a Cisco flat-profile phone fetches one file, its
 * profile <mac>.xml (<name>.xml without a MAC).  Pattern files that name
 * nothing for this phone (a placeholder without a value, another model's
 * name) are left out.  Returns how many files fn saw. */
size_t	explain_files(const struct snapshot *, const struct phone *ph,
	    explain_file_fn fn, void *ctx);

/* Masks, in text, what the two rules above find for ph (vr: the file's
 * request, NULL for a flat profile).  Exposed for tests. */
void	explain_mask(const struct snapshot *, const struct phone *ph,
	    const struct vendor_file_req *vr, struct buf *text);

#endif
