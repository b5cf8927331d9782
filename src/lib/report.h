/* What phones upload: a report body parsed into an ordered list of
 * (name, value) parameters, and the list type shared by the store and the
 * comparison.
 *
 * Body shapes accepted (the root element decides):
 *   <flat-profile> params </flat-profile>                bare
 *   <env><flat-profile> params </flat-profile></env>     as Cisco MPP sends
 *   <device><flat-profile> params </flat-profile></device>
 *   <status> params </status>, also inside <env>/<device>
 * A wrapper holds exactly one container; a container holds only parameter
 * elements (no text, no nested elements).  Comments and processing
 * instructions are ignored.  A parameter may carry up to REPORT_ATTRS_MAX
 * attributes (ua="na"), checked for size and otherwise ignored; wrappers
 * and containers carry none (namespace declarations are no attributes).
 * Attributes are counted before libxml2 parses them (see xmlsafe.h).
 *
 * The report kind cannot be read from a flat-profile body: a full report
 * and a `[--delta]` one look the same.  It comes from the URL the admin put
 * in Report_Rule (the caller parses e.g. `?type=delta` with
 * report_kind_parse()).  A <status> container always makes a status report,
 * whatever the URL says: the documentation leaves the status body format
 * open, and a status list must never be merged into configuration state.
 *
 * Security: the body goes through the hardened parse of xmlsafe.h (no
 * network, no DTD, no entities, no external loads, UTF-8 only, attribute
 * bombs refused before libxml2 sees them); its problems become a
 * report_error code plus a message.  Like it, report_parse() is unsafe to
 * call from two threads at once; the FastCGI programs are single-threaded. */
#ifndef DESKPROV_REPORT_H
#define DESKPROV_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "strmap.h"

#define REPORT_BODY_MAX_DEFAULT	(1024u * 1024)	/* serviceconfig default */
#define REPORT_BODY_MAX_LIMIT	(64u * 1024 * 1024) /* highest allowed cap */
#define REPORT_PARAMS_MAX	20000	/* MPP 88xx sends about 3,000 */
#define REPORT_DEPTH_MAX	3	/* wrapper > container > parameter */
#define REPORT_ATTRS_MAX	8	/* per parameter element */
#define REPORT_ATTRS_TOTAL_MAX	65536	/* per body */
#define REPORT_ATTR_VALUE_MAX	256	/* bytes in one attribute value */
#define REPORT_MSG_MAX		200	/* error message, NUL included */

enum report_kind {
	REPORT_CONFIG,		/* full configuration: no Report_Rule prefix */
	REPORT_DELTA,		/* [--delta]: changed parameters only */
	REPORT_STATUS		/* [--status] */
};

enum report_error {
	REPORT_OK = 0,
	REPORT_E_EMPTY,		/* no body at all */
	REPORT_E_TOO_LARGE,	/* over the body cap (413) */
	REPORT_E_ENCODING,	/* not UTF-8, or declared otherwise */
	REPORT_E_NOT_XML,	/* not well-formed: truncated, garbage... */
	REPORT_E_DOCTYPE,	/* a DOCTYPE: entities are never allowed */
	REPORT_E_SHAPE,		/* well-formed but not a report */
	REPORT_E_TOO_DEEP,
	REPORT_E_TOO_MANY,	/* more parameters than the cap */
	REPORT_E_NAME,		/* not a parameter name */
	REPORT_E_VALUE,		/* bad value or attribute */
	REPORT_E_COUNT
};

struct report_param {
	const char	*name;		/* NUL-terminated, param_name_ok() */
	const char	*value;		/* NUL-terminated, valid XML text */
	size_t		 name_len;
	size_t		 value_len;
	uint32_t	 name_hash;	/* strmap_hash() of the name */
	/* cmpnames.h's memo of the name's flags and of the table they came
	 * from (0: none yet).  Written through a const report by the store
	 * and the comparison, which both ask for every name: not part of
	 * the report's value. */
	uint8_t		 cmp_flags;
	uint64_t	 cmp_table;
};

/* An ordered parameter list with unique names: setting a name again
 * replaces its value in place (a flat-profile's "last one wins").  The
 * report owns every string; report_free() releases them all. */
struct report {
	enum report_kind	 kind;
	struct report_param	*params;
	size_t			 n;
	size_t			 cap;
	struct arena		 arena;
	struct strmap		 index;	/* name → position + 1 */
};

struct report_limits {
	size_t	max_body;	/* bytes */
	size_t	max_params;
};

/* The defaults above; callers overwrite max_body from serviceconfig. */
void	report_limits_default(struct report_limits *);

/* "config", "delta" or "status": the stored `report_type`. */
const char	*report_kind_name(enum report_kind);
/* Reads one of those names (also "full" for config); -1 otherwise. */
int	report_kind_parse(const char *s, size_t n, enum report_kind *out);

/* The HTTP status a parse error calls for (413 or 400; 200 for OK). */
int	report_error_status(enum report_error);
/* A short fixed description of the code, e.g. "not well-formed XML". */
const char	*report_error_name(enum report_error);

/* Parses body[0..len) into out (initialised here, freed by the caller
 * with report_free() whatever the result; empty on error).  `kind` is the
 * kind the URL named.  On error msg (REPORT_MSG_MAX bytes, may be NULL)
 * gets one printable-ASCII line saying where and why. */
enum report_error	report_parse(const char *body, size_t len,
			    enum report_kind kind,
			    const struct report_limits *,
			    struct report *out, char *msg);

void	report_init(struct report *, enum report_kind);
void	report_free(struct report *);
/* Adds or replaces a parameter; both strings are copied. */
void	report_set(struct report *, const char *name, size_t name_len,
	    const char *value, size_t value_len);
/* The parameter called `name`, borrowed until report_free(); NULL when
 * absent. */
const struct report_param	*report_get(const struct report *,
				    const char *name);
/* The same for a name whose strmap_hash() the caller has already. */
const struct report_param	*report_lookup(const struct report *,
				    const char *name, size_t name_len,
				    uint32_t name_hash);
/* Sets every parameter of src on dst, in src order: a delta on top of a
 * state. */
void	report_merge(struct report *dst, const struct report *src);

#endif
