/* The vendor-neutral device model: what an admin says about a phone once
 * (lines, SIP server, time zone, NTP, passwords, keys, raw parameters),
 * whatever its vendor.  See docs/packs.md for the fields.
 *
 * Each layer (pack defaults, common, vendor, model, phone) is checked
 * against a key table when the configuration loads and kept as JSON; a
 * request merges the layers of its phone, lowest first. */
#ifndef DESKPROV_DEVICE_H
#define DESKPROV_DEVICE_H

#include <json-c/json.h>

#include "yamltree.h"

enum device_layer {
	DL_DEFAULT, DL_COMMON, DL_VENDOR, DL_MODEL, DL_PHONE, DL_COUNT
};

#define DEVICE_VALUE_MAX	512	/* bytes in one value */
#define DEVICE_LINES_MAX	32
#define DEVICE_KEYS_MAX		256
/* Directory entries one layer may hold (the merged directory of a phone
 * is at most DL_COUNT times that), numbers per entry, bytes in a number. */
#define DEVICE_DIRECTORY_MAX	20000
#define DEVICE_DIR_NUMBERS_MAX	8
#define DEVICE_NUMBER_MAX	64

/* "default", "common", "vendor", "model", "phone". */
const char	*device_layer_name(enum device_layer);

/* 1 for the keys of a phones.yml entry that identify or describe the
 * phone (mac, ip_address, serial_number, description, location, notes,
 * vendor, model): they are not device fields. */
int	device_is_phone_key(const char *key);

/* Checks one layer, a mapping of device fields (a phone entry's own keys
 * are skipped when phone_entry is set) and converts it to JSON: strings,
 * with line, key, port and interval as integers and enabled as a
 * boolean.  Returns 0 and *out (caller owns it; an empty object for a null
 * node) or -1 with err set. */
int	device_layer_parse(const struct ynode *map, int phone_entry,
	    json_object **out, struct diag *err);

/* Merges the layers (NULL entries are skipped), lowest first, into a new
 * object the caller owns.  Scalars and lists are replaced, mappings merged
 * key by key, accounts merged by line and line_keys by key, directory
 * entries of every layer appended (shared with the layers, not copied:
 * read them, never change them).  When prov is
 * not NULL, it receives one entry per value, in merge order:
 * "accounts[1].server.host" → {"layer": "phone", "value": "pbx.example"}. */
json_object	*device_merge(json_object *const layers[DL_COUNT],
		    json_object *prov);

/* The entry of a list of accounts or line keys whose `id` ("line",
 * "key") is want, borrowed; NULL when none. */
json_object	*device_list_find(json_object *list, const char *id,
		    int64_t want);

/* The device fields that hold secrets, declared once: `field` of the
 * device itself when `parent` is NULL, else of the mapping `parent` or of
 * every entry of the list `parent`.  Files of more than one phone drop
 * them (device_strip_secrets) and `deskprov explain` hides them
 * (device_path_secret); raw params are secret by name instead
 * (secret_name_rule()).  The table ends with a NULL field. */
struct device_secret_field {
	const char	*parent;
	const char	*field;
};
extern const struct device_secret_field	device_secret_fields[];

/* Removes what must not reach a file that is not one phone's own: every
 * field of device_secret_fields (account_defaults' password too, which
 * would otherwise be copied into every account) and the params whose
 * names look secret. */
void	device_strip_secrets(json_object *device);

/* 1 when a device_merge() provenance path ("admin_password",
 * "accounts[1].password", "params[Name]") names a secret. */
int	device_path_secret(const char *path);

/* Calls fn with the path ("accounts[0].pasword") of every key of a
 * layer given as JSON that the device fields do not know; a phone
 * entry's own keys are known when phone_entry is set. */
typedef void	(*device_unknown_fn)(void *ctx, const char *path);
void	device_json_unknown(json_object *entry, int phone_entry,
	    device_unknown_fn fn, void *ctx);

#endif
