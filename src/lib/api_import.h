/* `deskprov import`: many devices at once from what other tools export,
 * each written through api_ops_put() (so with the loader's checks):
 *   - CSV as vendors' provisioning tools take it: a header row naming the
 *     columns (MAC, model, vendor, account/user, password, display name,
 *     auth user, line, server, label, id, timezone, description; names
 *     any case, ' ', '-' and '_' alike), ',' or ';' between fields, RFC
 *     4180 quotes.  Rows of one MAC (or id) are the lines of one device;
 *     the vendor, when no column gives it, comes from the MAC's OUI in the
 *     packs;
 *   - JSON: one Sonata object or a list of them, or envelopes as GET
 *     returns them ({"id", "device"});
 *   - a directory: its *.csv and *.json files, in name order. */
#ifndef DESKPROV_API_IMPORT_H
#define DESKPROV_API_IMPORT_H

#include <stdio.h>

#include <json-c/json.h>

#include "app.h"

#define IMPORT_FILE_MAX		(16 * 1024 * 1024)
#define IMPORT_DEVICES_MAX	100000
#define CSV_FIELDS_MAX		32
#define CSV_FIELD_MAX		1024

struct import_summary {
	size_t	created, updated, unchanged, failed;
};

/* Parses CSV text into a list of {"id", "device"} items (caller owns
 * *out); s gives the packs for vendors by OUI (may be NULL).  0, or -1
 * with a reason in err (a header that names an unknown column, a row
 * with too many fields, a broken quote), "line N: ...". */
int	api_import_csv(const char *text, size_t n, const struct snapshot *s,
	    json_object **out, char *err, size_t errsz);

/* The same for a JSON document (Sonata objects or envelopes). */
int	api_import_json(const char *text, size_t n, json_object **out,
	    char *err, size_t errsz);

/* Imports a file or directory: every device written (none with dry_run),
 * one line per failure on out ("<id>: <status> <reason>"), the counts
 * in sum.  0, or -1 when the input cannot be read at all (reason on
 * out). */
int	api_import_path(struct app *, const char *path, int dry_run,
	    FILE *out, struct import_summary *sum);

#endif
