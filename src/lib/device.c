#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "device.h"
#include "secret.h"
#include "text.h"
#include "tz.h"

enum ftype {
	F_STR,		/* one line of text */
	F_INT,		/* integer within min..max */
	F_BOOL,
	F_CHOICE,	/* one of choices */
	F_TZ,		/* IANA zone the system zoneinfo knows */
	F_LANG,		/* en, pt-BR */
	F_STRLIST,	/* a string or a list of them */
	F_MAP,		/* a mapping checked against sub */
	F_LIST,		/* a list of mappings checked against sub */
	F_PARAMS,	/* raw vendor parameters: name → scalar */
	F_PIN,		/* a PIN of exactly min digits */
	F_NUMBER	/* a phone number or SIP user: dialable characters */
};

struct field {
	const char		*name;
	enum ftype		 type;
	long			 min, max;
	const char *const	*choices;
	const struct field	*sub;
	const char		*id;	/* F_LIST: the key entries merge by;
					 * NULL: entries are appended */
};

static const char *const transports[] = { "udp", "tcp", "tls", NULL };
static const char *const key_types[] = { "line", "blf", "speed_dial", NULL };

static const struct field server_fields[] = {
	{ "host", F_STR, 0, 0, NULL, NULL, NULL },
	{ "port", F_INT, 1, 65535, NULL, NULL, NULL },
	{ "transport", F_CHOICE, 0, 0, transports, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* The proxy every request of the account goes through, when it is not
 * the registrar (an SBC): host and port, the transport is the server's. */
static const struct field proxy_fields[] = {
	{ "host", F_STR, 0, 0, NULL, NULL, NULL },
	{ "port", F_INT, 1, 65535, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field account_fields[] = {
	{ "line", F_INT, 1, DEVICE_LINES_MAX, NULL, NULL, NULL },
	{ "enabled", F_BOOL, 0, 0, NULL, NULL, NULL },
	{ "display_name", F_STR, 0, 0, NULL, NULL, NULL },
	{ "label", F_STR, 0, 0, NULL, NULL, NULL },
	{ "user", F_STR, 0, 0, NULL, NULL, NULL },
	{ "auth_user", F_STR, 0, 0, NULL, NULL, NULL },
	{ "password", F_STR, 0, 0, NULL, NULL, NULL },
	{ "server", F_MAP, 0, 0, NULL, server_fields, NULL },
	{ "outbound_proxy", F_MAP, 0, 0, NULL, proxy_fields, NULL },
	{ "voicemail", F_STR, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field key_fields[] = {
	{ "key", F_INT, 1, DEVICE_KEYS_MAX, NULL, NULL, NULL },
	{ "type", F_CHOICE, 0, 0, key_types, NULL, NULL },
	{ "value", F_STR, 0, 0, NULL, NULL, NULL },
	{ "label", F_STR, 0, 0, NULL, NULL, NULL },
	{ "line", F_INT, 1, DEVICE_LINES_MAX, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

/* Phonebook entries (docs/packs.md, "Directory"): every layer's entries
 * are added to the lower layers', so the fleet's directory and a phone's
 * own contacts end up in one list. */
static const char *const number_types[] = {
	"work", "home", "mobile", "other", NULL
};

static const struct field dir_number_fields[] = {
	{ "number", F_NUMBER, 0, 0, NULL, NULL, NULL },
	{ "type", F_CHOICE, 0, 0, number_types, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field dir_entry_fields[] = {
	{ "name", F_STR, 0, 0, NULL, NULL, NULL },
	{ "first_name", F_STR, 0, 0, NULL, NULL, NULL },
	{ "last_name", F_STR, 0, 0, NULL, NULL, NULL },
	{ "group", F_STR, 0, 0, NULL, NULL, NULL },
	{ "numbers", F_LIST, 1, DEVICE_DIR_NUMBERS_MAX, NULL,
	    dir_number_fields, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field provisioning_fields[] = {
	{ "url", F_STR, 0, 0, NULL, NULL, NULL },
	{ "interval", F_INT, 60, 31536000, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field firmware_fields[] = {
	{ "version", F_STR, 0, 0, NULL, NULL, NULL },
	{ "url", F_STR, 0, 0, NULL, NULL, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const struct field device_fields[] = {
	{ "timezone", F_TZ, 0, 0, NULL, NULL, NULL },
	{ "ntp", F_STRLIST, 0, 0, NULL, NULL, NULL },
	{ "language", F_LANG, 0, 0, NULL, NULL, NULL },
	{ "admin_password", F_STR, 0, 0, NULL, NULL, NULL },
	{ "user_password", F_STR, 0, 0, NULL, NULL, NULL },
	/* The 4-digit PIN of a DECT base (Gigaset N510's system PIN). */
	{ "system_pin", F_PIN, 4, 4, NULL, NULL, NULL },
	{ "provisioning", F_MAP, 0, 0, NULL, provisioning_fields, NULL },
	{ "firmware", F_MAP, 0, 0, NULL, firmware_fields, NULL },
	/* Fields every account gets unless it sets them: the PBX. */
	{ "account_defaults", F_MAP, 0, 0, NULL, account_fields + 1, NULL },
	{ "accounts", F_LIST, 0, 0, NULL, account_fields, "line" },
	{ "line_keys", F_LIST, 0, 0, NULL, key_fields, "key" },
	{ "params", F_PARAMS, 0, 0, NULL, NULL, NULL },
	{ "directory", F_LIST, 0, DEVICE_DIRECTORY_MAX, NULL,
	    dir_entry_fields, NULL },
	{ NULL, 0, 0, 0, NULL, NULL, NULL }
};

static const char *const phone_keys[] = {
	"mac", "ip_address", "serial_number", "description", "location",
	"notes", "vendor", "model", "enabled", "link_key", "links",
	"sip_contact", NULL
};

static const char *const layer_names[DL_COUNT] = {
	"default", "common", "vendor", "model", "phone"
};

const char *
device_layer_name(enum device_layer l)
{
	return (unsigned)l < DL_COUNT ? layer_names[l] : "?";
}

int
device_is_phone_key(const char *key)
{
	for (size_t i = 0; phone_keys[i] != NULL; i++)
		if (strcmp(phone_keys[i], key) == 0)
			return 1;
	return 0;
}

/* A problem at a node: its line is all the context a layer has (the
 * file is named by the caller). */
static int
fail(struct diag *e, const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct diag *e, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(e, NULL, n && n->line > 0 ? (unsigned)n->line : 0, 0, fmt,
	    ap);
	va_end(ap);
	return -1;
}

static int
get_text(const struct ynode *v, const char *name, json_object **out,
    struct diag *e)
{
	const char *problem;

	if (v->kind != YN_SCALAR)
		return fail(e, v, "%s must be a single value", name);
	/* One line of text, so that no value can start a new line (or
	 * element) in any file a template writes. */
	if (v->len > DEVICE_VALUE_MAX)
		return fail(e, v, "%s: more than %d bytes", name,
		    DEVICE_VALUE_MAX);
	if ((problem = text_line_problem(v->str, v->len)) != NULL)
		return fail(e, v, "%s %s; a value is one line of text", name,
		    problem);
	*out = json_object_new_string_len(v->is_null ? "" : v->str,
	    v->is_null ? 0 : (int)v->len);
	return 0;
}

static int
get_int(const struct ynode *v, const struct field *f, json_object **out,
    struct diag *e)
{
	char *end;
	long n;

	if (v->kind != YN_SCALAR || v->is_null)
		return fail(e, v, "%s must be a number", f->name);
	errno = 0;
	n = strtol(v->str, &end, 10);
	if (errno || end == v->str || *end != '\0' || n < f->min ||
	    n > f->max)
		return fail(e, v, "%s must be a number from %ld to %ld",
		    f->name, f->min, f->max);
	*out = json_object_new_int64(n);
	return 0;
}

static int
get_bool(const struct ynode *v, const char *name, json_object **out,
    struct diag *e)
{
	static const char *const yes[] = { "true", "yes", "on", "1", NULL };
	static const char *const no[] = { "false", "no", "off", "0", NULL };

	if (v->kind == YN_SCALAR && !v->is_null)
		for (int i = 0; yes[i] != NULL; i++) {
			if (strcasecmp(v->str, yes[i]) == 0) {
				*out = json_object_new_boolean(1);
				return 0;
			}
			if (strcasecmp(v->str, no[i]) == 0) {
				*out = json_object_new_boolean(0);
				return 0;
			}
		}
	return fail(e, v, "%s must be true or false", name);
}

static int
get_choice(const struct ynode *v, const struct field *f, json_object **out,
    struct diag *e)
{
	if (v->kind == YN_SCALAR && !v->is_null)
		for (int i = 0; f->choices[i] != NULL; i++)
			if (strcmp(v->str, f->choices[i]) == 0) {
				*out = json_object_new_string(v->str);
				return 0;
			}
	return fail(e, v, "%s: %s is not one of the allowed values",
	    f->name, DIAG_Q(v->kind == YN_SCALAR ? v->str : ""));
}

static int
get_tz(const struct ynode *v, json_object **out, struct diag *e)
{
	struct tzinfo tz;
	char why[160];

	if (v->kind != YN_SCALAR || v->is_null || !tz_name_ok(v->str))
		return fail(e, v, "timezone must be an IANA zone name such as "
		    "Europe/Rome");
	if (tz_load(NULL, v->str, &tz, why, sizeof(why)) < 0)
		return fail(e, v, "timezone '%.64s': %s", v->str, why);
	*out = json_object_new_string(v->str);
	return 0;
}

/* en, it, pt-BR, zh-Hans: a language tag, short. */
static int
get_lang(const struct ynode *v, json_object **out, struct diag *e)
{
	size_t n = v->kind == YN_SCALAR ? v->len : 0;
	int ok = n >= 2 && n <= 16 && strspn(v->str, "abcdefghijklmnopqrstuvwxyz")
	    >= 2;

	for (size_t i = 0; ok && i < n; i++)
		ok = (v->str[i] >= 'a' && v->str[i] <= 'z') ||
		    (v->str[i] >= 'A' && v->str[i] <= 'Z') ||
		    (v->str[i] >= '0' && v->str[i] <= '9') || v->str[i] == '-' ||
		    v->str[i] == '_';
	if (!ok)
		return fail(e, v, "language must be a language code such as "
		    "en or pt-BR");
	*out = json_object_new_string(v->str);
	return 0;
}

/* Exactly f->min decimal digits, kept as text (a leading 0 counts). */
static int
get_pin(const struct ynode *v, const struct field *f, json_object **out,
    struct diag *e)
{
	if (v->kind != YN_SCALAR || v->is_null || v->len != (size_t)f->min ||
	    strspn(v->str, "0123456789") != v->len)
		return fail(e, v, "%s must be %ld digits", f->name, f->min);
	*out = json_object_new_string_len(v->str, (int)v->len);
	return 0;
}

static int
get_strlist(const struct ynode *v, const char *name, json_object **out,
    struct diag *e)
{
	json_object *a = json_object_new_array(), *s;
	const struct ynode *const *items = (const struct ynode *const *)&v;
	size_t n = 1;

	if (v->kind == YN_SEQ) {
		items = (const struct ynode *const *)v->items;
		n = v->len;
	}
	for (size_t i = 0; i < n; i++) {
		if (get_text(items[i], name, &s, e) < 0) {
			json_object_put(a);
			return -1;
		}
		json_object_array_add(a, s);
	}
	*out = a;
	return 0;
}

/* A raw parameter name: what vendors use, and nothing that could end an
 * element, an attribute or a line. */
static int
param_key_ok(const char *s, size_t n)
{
	if (n == 0 || n > 128 || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-[]/ ") == n;
}

static int
get_params(const struct ynode *v, json_object **out, struct diag *e)
{
	json_object *o, *s;

	if (v->kind == YN_SCALAR && v->is_null) {
		*out = json_object_new_object();
		return 0;
	}
	if (v->kind != YN_MAP)
		return fail(e, v, "params must be a mapping of parameter "
		    "names to values");
	o = json_object_new_object();
	for (size_t i = 0; i < YMAP_N(v); i++) {
		const struct ynode *k = YMAP_KEY(v, i);
		if (!param_key_ok(k->str, k->len)) {
			json_object_put(o);
			return fail(e, k, "params: %s is not a parameter "
			    "name (letters, digits, _ . - [ ] / and inner "
			    "spaces)", DIAG_Q(k->str));
		}
		if (get_text(YMAP_VAL(v, i), k->str, &s, e) < 0) {
			json_object_put(o);
			return -1;
		}
		json_object_object_add(o, k->str, s);
	}
	*out = o;
	return 0;
}

/* A number a phone dials from its directory: digits, letters (a SIP
 * user), "+ * # @ . _ - ( )" and inner spaces, as people write them. */
static int
get_number(const struct ynode *v, const char *name, json_object **out,
    struct diag *e)
{
	if (v->kind != YN_SCALAR || v->is_null || v->len == 0 ||
	    v->len > DEVICE_NUMBER_MAX || v->str[0] == ' ' ||
	    v->str[v->len - 1] == ' ' || strspn(v->str, "0123456789"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "+*#@._-() ") != v->len)
		return fail(e, v, "%s must be a phone number of at most %d "
		    "characters (digits, letters, + * # @ . _ - ( ) and "
		    "inner spaces)", name, DEVICE_NUMBER_MAX);
	*out = json_object_new_string_len(v->str, (int)v->len);
	return 0;
}

static int parse_table(const struct ynode *, const struct field *,
    const char *, int, json_object **, struct diag *);

/* An entry of a list without an id (directory entries, their numbers)
 * must have its table's first field, and every list the table says has
 * at least one entry. */
static int
entry_complete(json_object *item, const struct field *f,
    const struct ynode *n, struct diag *e)
{
	for (const struct field *s = f->sub; s->name != NULL; s++) {
		if (s != f->sub && !(s->type == F_LIST && s->min > 0))
			continue;
		if (!json_object_object_get_ex(item, s->name, NULL))
			return fail(e, n, "every entry of %s needs '%s'",
			    f->name, s->name);
	}
	return 0;
}

static int
get_list(const struct ynode *v, const struct field *f, json_object **out,
    struct diag *e)
{
	json_object *a, *item;

	if (v->kind != YN_SEQ)
		return fail(e, v, "%s must be a list", f->name);
	/* Bounded before anything is copied: a layer's list is checked once
	 * at load, and its size is what every render of it costs. */
	if (f->max > 0 && v->len > (size_t)f->max)
		return fail(e, v, "%s: more than %ld entries", f->name, f->max);
	if (v->len < (size_t)f->min)
		return fail(e, v, "%s needs at least %ld entr%s", f->name,
		    f->min, f->min == 1 ? "y" : "ies");
	a = json_object_new_array();
	for (size_t i = 0; i < v->len; i++) {
		if (parse_table(v->items[i], f->sub, f->name, 0, &item,
		    e) < 0) {
			json_object_put(a);
			return -1;
		}
		if (f->id == NULL) {
			if (entry_complete(item, f, v->items[i], e) < 0) {
				json_object_put(item);
				json_object_put(a);
				return -1;
			}
			json_object_array_add(a, item);
			continue;
		}
		if (!json_object_object_get_ex(item, f->id, NULL)) {
			json_object_put(item);
			json_object_put(a);
			return fail(e, v->items[i], "every entry of %s needs "
			    "'%s'", f->name, f->id);
		}
		for (size_t j = 0; j < json_object_array_length(a); j++) {
			json_object *o = json_object_array_get_idx(a, j), *x,
			    *y;
			json_object_object_get_ex(o, f->id, &x);
			json_object_object_get_ex(item, f->id, &y);
			long long same = (long long)json_object_get_int64(y);
			if (json_object_get_int64(x) == same) {
				json_object_put(item);
				json_object_put(a);
				return fail(e, v->items[i], "%s: two entries "
				    "with %s %lld", f->name, f->id, same);
			}
		}
		json_object_array_add(a, item);
	}
	*out = a;
	return 0;
}

static int
get_value(const struct ynode *v, const struct field *f, json_object **out,
    struct diag *e)
{
	switch (f->type) {
	case F_STR:	return get_text(v, f->name, out, e);
	case F_INT:	return get_int(v, f, out, e);
	case F_BOOL:	return get_bool(v, f->name, out, e);
	case F_CHOICE:	return get_choice(v, f, out, e);
	case F_TZ:	return get_tz(v, out, e);
	case F_LANG:	return get_lang(v, out, e);
	case F_STRLIST:	return get_strlist(v, f->name, out, e);
	case F_MAP:	return parse_table(v, f->sub, f->name, 0, out, e);
	case F_LIST:	return get_list(v, f, out, e);
	case F_PARAMS:	return get_params(v, out, e);
	case F_PIN:	return get_pin(v, f, out, e);
	case F_NUMBER:	return get_number(v, f->name, out, e);
	}
	return fail(e, v, "internal: field type");
}

static const struct field *
find_field(const struct field *tab, const char *name)
{
	for (; tab->name != NULL; tab++)
		if (strcmp(tab->name, name) == 0)
			return tab;
	return NULL;
}

/* An unknown key: named with the field it most likely meant. */
static int
unknown_key(const struct ynode *k, const struct field *tab,
    const char *what, int phone_entry, struct diag *e)
{
	struct text_suggest sg;

	text_suggest_init(&sg, k->str, k->len);
	for (; tab->name != NULL; tab++)
		text_suggest_offer(&sg, tab->name);
	for (size_t i = 0; phone_entry && phone_keys[i] != NULL; i++)
		text_suggest_offer(&sg, phone_keys[i]);
	if (sg.best != NULL)
		return fail(e, k, "%s: unknown key %s (did you mean '%s'?)",
		    what, DIAG_Q(k->str), sg.best);
	return fail(e, k, "%s: unknown key %s (see docs/packs.md for the "
	    "device fields)", what, DIAG_Q(k->str));
}

/* A mapping against a key table; unknown keys are errors. */
static int
parse_table(const struct ynode *map, const struct field *tab,
    const char *what, int phone_entry, json_object **out,
    struct diag *e)
{
	json_object *o, *v;

	if (map->kind == YN_SCALAR && map->is_null) {
		*out = json_object_new_object();
		return 0;
	}
	if (map->kind != YN_MAP)
		return fail(e, map, "%s must be a mapping", what);
	o = json_object_new_object();
	for (size_t i = 0; i < YMAP_N(map); i++) {
		const struct ynode *k = YMAP_KEY(map, i), *val = YMAP_VAL(map, i);
		const struct field *f = find_field(tab, k->str);
		if (f == NULL && phone_entry && device_is_phone_key(k->str))
			continue;
		if (f == NULL) {
			json_object_put(o);
			return unknown_key(k, tab, what, phone_entry, e);
		}
		if (val->kind == YN_SCALAR && val->is_null && f->type != F_STR)
			continue;	/* "key:" with nothing: not set */
		if (get_value(val, f, &v, e) < 0) {
			json_object_put(o);
			return -1;
		}
		json_object_object_add(o, f->name, v);
	}
	*out = o;
	return 0;
}

int
device_layer_parse(const struct ynode *map, int phone_entry,
    json_object **out, struct diag *err)
{
	memset(err, 0, sizeof(*err));
	*out = NULL;
	if (map == NULL) {
		*out = json_object_new_object();
		return 0;
	}
	return parse_table(map, device_fields, "device", phone_entry, out,
	    err);
}

/* Merging. */

/* prov[path] = {"layer": ..., "value": ...}: where a value came from. */
static void
note(json_object *prov, const char *path, enum device_layer l,
    json_object *value)
{
	json_object *o;

	if (prov == NULL)
		return;
	o = json_object_new_object();
	json_object_object_add(o, "layer",
	    json_object_new_string(layer_names[l]));
	json_object_object_add(o, "value", json_object_get(value));
	json_object_object_add(prov, path, o);
}

static json_object *
deep_copy(json_object *src)
{
	json_object *dst = NULL;

	if (json_object_deep_copy(src, &dst, NULL) < 0)
		return NULL;
	return dst;
}

static void merge_object(json_object *, json_object *, enum device_layer,
    const char *, json_object *);

/* Every leaf below path gets the layer (a replaced list or object). */
static void
note_all(json_object *v, const char *path, enum device_layer l,
    json_object *prov)
{
	char sub[512];

	if (prov == NULL)
		return;
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, x) {
			snprintf(sub, sizeof(sub), "%s.%s", path, k);
			note_all(x, sub, l, prov);
		}
	} else
		note(prov, path, l, v);
}

json_object *
device_list_find(json_object *list, const char *id, int64_t want)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *o = json_object_array_get_idx(list, i), *x;
		if (json_object_object_get_ex(o, id, &x) &&
		    json_object_get_int64(x) == want)
			return o;
	}
	return NULL;
}

/* accounts by line, line_keys by key: an entry of a higher layer adds to
 * the lower layers' entry with the same number, field by field. */
static void
merge_list(json_object *dst, json_object *src, const char *id,
    enum device_layer l, const char *name, json_object *prov)
{
	char path[256];

	for (size_t i = 0; i < json_object_array_length(src); i++) {
		json_object *s = json_object_array_get_idx(src, i), *x, *d;
		int64_t n;

		json_object_object_get_ex(s, id, &x);
		n = json_object_get_int64(x);
		if (prov != NULL)
			snprintf(path, sizeof(path), "%s[%lld]", name,
			    (long long)n);
		if ((d = device_list_find(dst, id, n)) == NULL) {
			d = json_object_new_object();
			json_object_array_add(dst, d);
		}
		merge_object(d, s, l, path, prov);
	}
}

static int
by_id(const void *a, const void *b, const char *id)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
	json_object *p, *q;

	json_object_object_get_ex(x, id, &p);
	json_object_object_get_ex(y, id, &q);
	return json_object_get_int64(p) < json_object_get_int64(q) ? -1 :
	    json_object_get_int64(p) > json_object_get_int64(q);
}

static int by_line(const void *a, const void *b) { return by_id(a, b, "line"); }
static int by_key(const void *a, const void *b) { return by_id(a, b, "key"); }

/* Directory entries add up across layers (the fleet's, then a vendor's,
 * a model's, the phone's own).  They are shared, not copied: a fleet
 * directory of thousands of entries is merged for every file a phone
 * fetches, and nothing changes an entry after load (vendor_data builds
 * its own objects from them). */
static void
append_directory(json_object *dst, json_object *src, enum device_layer l,
    json_object *prov)
{
	json_object *d;
	char path[64];
	size_t n = json_object_array_length(src);

	if (!json_object_object_get_ex(dst, "directory", &d)) {
		d = json_object_new_array_ext((int)n);
		json_object_object_add(dst, "directory", d);
	}
	for (size_t i = 0; i < n; i++)
		json_object_array_add(d, json_object_get(
		    json_object_array_get_idx(src, i)));
	if (prov != NULL && n > 0) {
		json_object *count = json_object_new_int64((int64_t)n);
		snprintf(path, sizeof(path), "directory[%s]", layer_names[l]);
		note(prov, path, l, count);
		json_object_put(count);
	}
}

static void
merge_object(json_object *dst, json_object *src, enum device_layer l,
    const char *path, json_object *prov)
{
	char sub[512];

	json_object_object_foreach(src, k, v) {
		json_object *d;
		/* Paths only for explain: a request merges without them. */
		if (prov != NULL)
			snprintf(sub, sizeof(sub), "%s%s%s", path,
			    *path ? "." : "", k);
		if (strcmp(k, "params") == 0 && *path == '\0') {
			if (!json_object_object_get_ex(dst, k, &d)) {
				d = json_object_new_object();
				json_object_object_add(dst, k, d);
			}
			json_object_object_foreach(v, pk, pv) {
				json_object_object_add(d, pk, deep_copy(pv));
				if (prov == NULL)
					continue;
				snprintf(sub, sizeof(sub), "params[%s]", pk);
				note(prov, sub, l, pv);
			}
		} else if ((strcmp(k, "accounts") == 0 ||
		    strcmp(k, "line_keys") == 0) && *path == '\0') {
			const char *id = k[0] == 'a' ? "line" : "key";
			if (!json_object_object_get_ex(dst, k, &d)) {
				d = json_object_new_array();
				json_object_object_add(dst, k, d);
			}
			merge_list(d, v, id, l, k, prov);
			json_object_array_sort(d, k[0] == 'a' ? by_line :
			    by_key);
		} else if (strcmp(k, "directory") == 0 && *path == '\0') {
			append_directory(dst, v, l, prov);
		} else if (json_object_is_type(v, json_type_object) &&
		    json_object_object_get_ex(dst, k, &d) &&
		    json_object_is_type(d, json_type_object)) {
			merge_object(d, v, l, sub, prov);
		} else {
			json_object_object_add(dst, k, deep_copy(v));
			note_all(v, sub, l, prov);
		}
	}
}

json_object *
device_merge(json_object *const layers[DL_COUNT], json_object *prov)
{
	json_object *dst = json_object_new_object();

	for (int l = 0; l < DL_COUNT; l++)
		if (layers[l] != NULL)
			merge_object(dst, layers[l], (enum device_layer)l, "",
			    prov);
	return dst;
}

const struct device_secret_field device_secret_fields[] = {
	{ NULL, "admin_password" },
	{ NULL, "user_password" },
	{ NULL, "system_pin" },
	{ "accounts", "password" },
	{ "account_defaults", "password" },
	/* A phone-entry key (links.h), listed for whoever shows entries. */
	{ NULL, "link_key" },
	{ NULL, NULL }
};

/* Deletes one secret field wherever the table puts it. */
static void
strip_field(json_object *d, const struct device_secret_field *f)
{
	json_object *o;

	if (f->parent == NULL) {
		json_object_object_del(d, f->field);
		return;
	}
	if (!json_object_object_get_ex(d, f->parent, &o))
		return;
	if (json_object_is_type(o, json_type_array))
		for (size_t i = 0; i < json_object_array_length(o); i++)
			json_object_object_del(json_object_array_get_idx(o, i),
			    f->field);
	else if (json_object_is_type(o, json_type_object))
		json_object_object_del(o, f->field);
}

void
device_strip_secrets(json_object *d)
{
	json_object *p;

	for (const struct device_secret_field *f = device_secret_fields;
	    f->field != NULL; f++)
		strip_field(d, f);
	if (json_object_object_get_ex(d, "params", &p)) {
		const char *drop[256];
		size_t n = 0;
		json_object_object_foreach(p, k, v) {
			(void)v;
			if (secret_name_rule(k) && n < 256)
				drop[n++] = k;
		}
		/* A name that looks secret beyond 256 of them: drop all. */
		if (n == 256)
			json_object_object_add(d, "params",
			    json_object_new_object());
		else
			for (size_t i = 0; i < n; i++)
				json_object_object_del(p, drop[i]);
	}
}

/* "params[Name]" is secret by the name rule; any other path is
 * parent, an optional "[n]", then ".field", or a bare top-level field. */
int
device_path_secret(const char *path)
{
	const struct device_secret_field *f;
	size_t plen, n = strlen(path);
	const char *rest;
	char name[256];

	if (strncmp(path, "params[", 7) == 0 && n > 8 && path[n - 1] == ']') {
		snprintf(name, sizeof(name), "%.*s", (int)(n - 8), path + 7);
		return secret_name_rule(name);
	}
	for (f = device_secret_fields; f->field != NULL; f++) {
		if (f->parent == NULL) {
			if (strcmp(path, f->field) == 0)
				return 1;
			continue;
		}
		plen = strlen(f->parent);
		if (strncmp(path, f->parent, plen) != 0)
			continue;
		rest = path + plen;
		if (*rest == '[' && strchr(rest, ']') != NULL)
			rest = strchr(rest, ']') + 1;
		if (*rest == '.' && strcmp(rest + 1, f->field) == 0)
			return 1;
	}
	return 0;
}

/* The JSON form of a layer against the same key tables as
 * device_layer_parse(): the management API names every unknown key of a
 * body at once, where the loader stops at the first. */
static void
unknown_walk(json_object *o, const struct field *tab, int phone_entry,
    const char *prefix, device_unknown_fn fn, void *ctx)
{
	char path[256];

	json_object_object_foreach(o, k, v) {
		const struct field *f = find_field(tab, k);
		snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." :
		    "", k);
		if (f == NULL && phone_entry && device_is_phone_key(k))
			continue;
		if (f == NULL) {
			fn(ctx, path);
			continue;
		}
		if (f->type == F_MAP && json_object_is_type(v, json_type_object))
			unknown_walk(v, f->sub, 0, path, fn, ctx);
		if (f->type != F_LIST || !json_object_is_type(v,
		    json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *e = json_object_array_get_idx(v, i);
			char item[300];
			snprintf(item, sizeof(item), "%s[%zu]", path, i);
			if (json_object_is_type(e, json_type_object))
				unknown_walk(e, f->sub, 0, item, fn, ctx);
		}
	}
}

void
device_json_unknown(json_object *entry, int phone_entry,
    device_unknown_fn fn, void *ctx)
{
	if (json_object_is_type(entry, json_type_object))
		unknown_walk(entry, device_fields, phone_entry, "", fn, ctx);
}
