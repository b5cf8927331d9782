/* JSON for the management API: bodies parsed with bounds, RFC 7396 merge
 * patches, and the two conversions between a phone entry as JSON and as
 * the YAML of a devices.d file.  Pure functions over json-c objects. */
#ifndef DESKPROV_API_JSON_H
#define DESKPROV_API_JSON_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "yamltree.h"

/* Nesting a body may have: a device is four levels deep
 * (entry → accounts → [n] → server), so eight leave room. */
#define API_JSON_DEPTH	8

/* Parses s[0..n) as one strict JSON value (UTF-8 checked, nothing after
 * it).  0 and *out (caller owns it), or -1 with a one-line reason in err
 * (which never quotes the input). */
int	api_json_parse(const char *s, size_t n, json_object **out,
	    char *err, size_t errsz);

/* A YAML node as JSON (caller owns it): a plain integer becomes a number,
 * plain true/false a boolean, a null node null, every other scalar a
 * string. */
json_object	*api_json_from_yaml(const struct ynode *);

/* Appends "<id>:\n" and the entry (an object) as block YAML indented by
 * two spaces: keys plain when they are key names, strings always
 * double-quoted, so the loader reads back exactly the JSON's values. */
void	api_json_to_yaml(const char *id, json_object *entry, struct buf *out);

/* Applies an RFC 7396 merge patch to target (both borrowed); returns the
 * result, a new object the caller owns. */
json_object	*api_json_merge_patch(json_object *target, json_object *patch);

#endif
