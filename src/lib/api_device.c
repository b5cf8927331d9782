#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "api_device.h"
#include "device.h"
#include "links.h"
#include "secret.h"

void
api_problem_init(struct api_problem *pb)
{
	pb->status = 0;
	pb->msg[0] = '\0';
	pb->fields = NULL;
}

void
api_problem_free(struct api_problem *pb)
{
	json_object_put(pb->fields);
	pb->fields = NULL;
}

int
api_fail(struct api_problem *pb, int status, const char *fmt, ...)
{
	va_list ap;

	pb->status = status;
	va_start(ap, fmt);
	vsnprintf(pb->msg, sizeof(pb->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- Sonata ---- */

/* Keys only Sonata's format has; one of them makes a body Sonata's. */
static const char *const sonata_only[] = {
	"key", "token", "timezone_offset", "ntp_server", "status", NULL
};
static const char *const sonata_account_only[] = {
	"name", "sip_register", "sip_name", "sip_user", "sip_password",
	"sip_auth", NULL
};

static int
in_list(const char *const *l, const char *k)
{
	for (; *l != NULL; l++)
		if (strcmp(*l, k) == 0)
			return 1;
	return 0;
}

int
api_device_is_sonata(json_object *body)
{
	json_object *acc;

	if (!json_object_is_type(body, json_type_object))
		return 0;
	json_object_object_foreach(body, k, v) {
		(void)v;
		if (in_list(sonata_only, k))
			return 1;
	}
	if (!json_object_object_get_ex(body, "accounts", &acc) ||
	    !json_object_is_type(acc, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(acc); i++) {
		json_object *a = json_object_array_get_idx(acc, i);
		if (!json_object_is_type(a, json_type_object))
			continue;
		json_object_object_foreach(a, ak, av) {
			(void)av;
			if (in_list(sonata_account_only, ak))
				return 1;
		}
	}
	return 0;
}

struct mapctx {
	json_object		*out;		/* the entry being built */
	json_object		*unknown;	/* array of paths */
	struct api_problem	*pb;
	const char		*where;		/* "" or "accounts[0]." */
};

typedef int	(*map_fn)(struct mapctx *, const char *to, json_object *v);

struct map_rule {
	const char	*from;
	const char	*to;	/* NULL: accepted, not stored */
	map_fn		 fn;
};

static void
add_unknown(struct mapctx *c, const char *path)
{
	if (c->unknown == NULL)
		c->unknown = json_object_new_array();
	json_object_array_add(c->unknown, json_object_new_string(path));
}

static int
map_str(struct mapctx *c, const char *to, json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
		return api_fail(c->pb, 422, "%s%s must be a string", c->where,
		    to);
	json_object_object_add(c->out, to, json_object_get(v));
	return 0;
}

static int
map_lower(struct mapctx *c, const char *to, json_object *v)
{
	char buf[64];
	size_t i;

	if (!json_object_is_type(v, json_type_string) ||
	    json_object_get_string_len(v) >= (int)sizeof(buf))
		return api_fail(c->pb, 422, "%s must be a short string", to);
	for (i = 0; json_object_get_string(v)[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)
		    json_object_get_string(v)[i]);
	buf[i] = '\0';
	json_object_object_add(c->out, to, json_object_new_string(buf));
	return 0;
}

static int
map_int(struct mapctx *c, const char *to, json_object *v)
{
	if (!json_object_is_type(v, json_type_int))
		return api_fail(c->pb, 422, "%s%s must be a number", c->where,
		    to);
	json_object_object_add(c->out, to, json_object_get(v));
	return 0;
}

/* status: false disables the device (the `enabled` of the contract). */
static int
map_bool(struct mapctx *c, const char *to, json_object *v)
{
	if (!json_object_is_type(v, json_type_boolean))
		return api_fail(c->pb, 422, "status must be true or false");
	json_object_object_add(c->out, to, json_object_get(v));
	return 0;
}

/* "GMT+03", "UTC-5", "+03:00", "GMT": a whole-hour offset becomes the
 * IANA zone Etc/GMT-3 (whose sign is POSIX's, the other way round). */
static int
map_tz(struct mapctx *c, const char *to, json_object *v)
{
	const char *s = json_object_get_string(v);
	char zone[32];
	int sign = 1, h = 0, m = 0, n = 0;

	if (!json_object_is_type(v, json_type_string))
		return api_fail(c->pb, 422, "timezone_offset must be a string");
	if (strncmp(s, "GMT", 3) == 0 || strncmp(s, "UTC", 3) == 0)
		s += 3;
	if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (sscanf(s, "%2d%n", &h, &n) != 1)
			goto bad;
		s += n;
		if (*s == ':' && sscanf(s + 1, "%2d%n", &m, &n) == 1)
			s += 1 + n;
	}
	if (*s != '\0' || h < 0 || h > 14 || m != 0)
		goto bad;
	if (h == 0)
		snprintf(zone, sizeof(zone), "Etc/GMT");
	else
		snprintf(zone, sizeof(zone), "Etc/GMT%c%d", sign > 0 ? '-' :
		    '+', h);
	json_object_object_add(c->out, to, json_object_new_string(zone));
	return 0;
bad:
	return api_fail(c->pb, 422, "timezone_offset must be a whole-hour "
	    "offset such as GMT+03");
}

/* Sonata's own key is kept when it is as strong as ours; otherwise a
 * new one is made (the response shows it once). */
static int
map_key(struct mapctx *c, const char *to, json_object *v)
{
	char key[LINKS_KEY_LEN + 1];

	if (!json_object_is_type(v, json_type_string))
		return api_fail(c->pb, 422, "key must be a string");
	if (links_key_plausible(json_object_get_string(v),
	    (size_t)json_object_get_string_len(v))) {
		json_object_object_add(c->out, to, json_object_get(v));
		return 0;
	}
	if (links_key_new(key) < 0)
		return api_fail(c->pb, 500, "no randomness for a link key");
	json_object_object_add(c->out, to, json_object_new_string(key));
	return 0;
}

static int
map_server(struct mapctx *c, const char *to, json_object *v)
{
	json_object *srv = json_object_new_object();

	if (!json_object_is_type(v, json_type_string)) {
		json_object_put(srv);
		return api_fail(c->pb, 422, "%ssip_register must be a string",
		    c->where);
	}
	json_object_object_add(srv, "host", json_object_get(v));
	json_object_object_add(c->out, to, srv);
	return 0;
}

static const struct map_rule account_rules[] = {
	{ "line", "line", map_int },
	{ "name", "label", map_str },
	{ "sip_register", "server", map_server },
	{ "sip_name", "display_name", map_str },
	{ "sip_user", "user", map_str },
	{ "sip_password", "password", map_str },
	{ "sip_auth", "auth_user", map_str },
	{ NULL, NULL, NULL }
};

static int	map_object(struct mapctx *, json_object *,
		    const struct map_rule *);

static int
map_accounts(struct mapctx *c, const char *to, json_object *v)
{
	json_object *list, *saved = c->out;
	char where[32];
	int rc = 0;

	if (!json_object_is_type(v, json_type_array))
		return api_fail(c->pb, 422, "accounts must be a list");
	list = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(v) && rc == 0; i++) {
		json_object *a = json_object_array_get_idx(v, i);
		if (!json_object_is_type(a, json_type_object)) {
			rc = api_fail(c->pb, 422, "accounts[%zu] must be an "
			    "object", i);
			break;
		}
		snprintf(where, sizeof(where), "accounts[%zu].", i);
		c->where = where;
		c->out = json_object_new_object();
		json_object_array_add(list, c->out);
		rc = map_object(c, a, account_rules);
	}
	c->out = saved;
	c->where = "";
	json_object_object_add(c->out, to, list);
	return rc;
}

static const struct map_rule sonata_rules[] = {
	{ "key", "link_key", map_key },
	{ "token", NULL, NULL },
	{ "model", "model", map_str },
	{ "vendor", "vendor", map_lower },
	{ "mac", "mac", map_str },
	{ "timezone_offset", "timezone", map_tz },
	{ "ntp_server", "ntp", map_str },
	{ "status", "enabled", map_bool },
	{ "accounts", "accounts", map_accounts },
	{ NULL, NULL, NULL }
};

static int
map_object(struct mapctx *c, json_object *in, const struct map_rule *rules)
{
	char path[128];

	json_object_object_foreach(in, k, v) {
		const struct map_rule *r = rules;
		while (r->from != NULL && strcmp(r->from, k) != 0)
			r++;
		if (r->from == NULL) {
			snprintf(path, sizeof(path), "%s%s", c->where, k);
			add_unknown(c, path);
			continue;
		}
		if (r->to != NULL && v != NULL && r->fn(c, r->to, v) < 0)
			return -1;
	}
	return 0;
}

/* ---- native bodies ---- */

/* A Cisco flat-profile phone's own keys (config.c's meta keys). */
static const char *const cisco_meta[] = {
	"mac", "ip_address", "serial_number", "description", "model",
	"location", "notes", "enabled", "link_key", NULL
};

static void
unknown_cb(void *ctx, const char *path)
{
	add_unknown(ctx, path);
}

static void
native_unknown(struct mapctx *c, json_object *body, const struct snapshot *s)
{
	if (json_object_object_get_ex(body, "vendor", NULL)) {
		device_json_unknown(body, 1, unknown_cb, c);
		return;
	}
	json_object_object_foreach(body, k, v) {
		(void)v;
		if (in_list(cisco_meta, k))
			continue;
		if (s != NULL && strmap_get(&s->base_slots, k, strlen(k)) ==
		    NULL)
			add_unknown(c, k);
	}
}

int
api_device_from_body(json_object *body, const struct snapshot *s,
    json_object **entry, struct api_problem *pb)
{
	struct mapctx c = { NULL, NULL, pb, "" };
	int rc = 0;

	*entry = NULL;
	if (!json_object_is_type(body, json_type_object))
		return api_fail(pb, 400, "the body must be a JSON object");
	if (api_device_is_sonata(body)) {
		c.out = json_object_new_object();
		rc = map_object(&c, body, sonata_rules);
	} else {
		json_object_deep_copy(body, &c.out, NULL);
		native_unknown(&c, body, s);
	}
	if (rc == 0 && c.unknown != NULL) {
		rc = api_fail(pb, 422, "unknown fields: %zu",
		    json_object_array_length(c.unknown));
		pb->fields = c.unknown;
		c.unknown = NULL;
	}
	json_object_put(c.unknown);
	if (rc < 0) {
		json_object_put(c.out);
		return -1;
	}
	*entry = c.out;
	return 0;
}

/* ---- secrets ---- */

/* Calls fn for every secret field of holder's kind: the names of
 * device_secret_fields under parent, link_key at the top, and raw
 * parameters whose names are secret (a Cisco phone's keys, a device's
 * params). */
typedef int	(*secret_fn)(void *ctx, json_object *holder, const char *key,
		    const char *parent, json_object *old_holder);

static int
is_secret_key(const char *parent, const char *key, int params)
{
	if (params)
		return secret_name_rule(key);
	for (size_t i = 0; device_secret_fields[i].field != NULL; i++) {
		const struct device_secret_field *f = &device_secret_fields[i];
		if (strcmp(f->field, key) == 0 && ((parent == NULL &&
		    f->parent == NULL) || (parent != NULL && f->parent != NULL
		    && strcmp(parent, f->parent) == 0)))
			return 1;
	}
	return parent == NULL && (strcmp(key, "link_key") == 0 ||
	    secret_name_rule(key));
}

static json_object *
get(json_object *o, const char *k)
{
	json_object *v = NULL;

	if (o != NULL && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, k, &v);
	return v;
}

/* The secret keys of one object, collected first: fn may delete. */
static int
each_in(json_object *h, const char *parent, int params, json_object *old,
    secret_fn fn, void *ctx)
{
	const char *keys[64];
	size_t n = 0;

	if (!json_object_is_type(h, json_type_object))
		return 0;
	json_object_object_foreach(h, k, v) {
		(void)v;
		if (n < 64 && is_secret_key(parent, k, params))
			keys[n++] = k;
	}
	for (size_t i = 0; i < n; i++)
		if (fn(ctx, h, keys[i], parent, old) < 0)
			return -1;
	return 0;
}

static int
each_secret(json_object *entry, json_object *old, secret_fn fn, void *ctx)
{
	json_object *acc = get(entry, "accounts");

	if (each_in(entry, NULL, 0, old, fn, ctx) < 0 ||
	    each_in(get(entry, "account_defaults"), "account_defaults", 0,
	    get(old, "account_defaults"), fn, ctx) < 0 ||
	    each_in(get(entry, "params"), "params", 1, get(old, "params"), fn,
	    ctx) < 0)
		return -1;
	if (!json_object_is_type(acc, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(acc); i++) {
		json_object *a = json_object_array_get_idx(acc, i), *o = NULL;
		json_object *oacc = get(old, "accounts");
		if (json_object_is_type(oacc, json_type_array) && get(a, "line"))
			o = device_list_find(oacc, "line",
			    json_object_get_int64(get(a, "line")));
		if (each_in(a, "accounts", 0, o, fn, ctx) < 0)
			return -1;
	}
	return 0;
}

static int
mask_one(void *ctx, json_object *h, const char *key, const char *parent,
    json_object *old)
{
	json_object *m = json_object_new_object();

	(void)ctx, (void)parent, (void)old;
	json_object_object_add(m, "set", json_object_new_boolean(1));
	json_object_object_add(h, key, m);
	return 0;
}

void
api_device_mask(json_object *entry)
{
	each_secret(entry, NULL, mask_one, NULL);
}

static int
keep_one(void *ctx, json_object *h, const char *key, const char *parent,
    json_object *old)
{
	json_object *v = get(h, key), *set = get(v, "set"), *was;

	if (!json_object_is_type(v, json_type_object))
		return 0;
	if (set == NULL || !json_object_is_type(set, json_type_boolean) ||
	    json_object_object_length(v) != 1)
		return api_fail(ctx, 422, "%s%s%s: a secret is a string, or "
		    "{\"set\": true} to keep the stored one", parent ?
		    parent : "", parent ? "." : "", key);
	if (!json_object_get_boolean(set)) {
		json_object_object_del(h, key);
		return 0;
	}
	if ((was = get(old, key)) == NULL ||
	    json_object_is_type(was, json_type_object))
		return api_fail(ctx, 422, "%s%s%s: {\"set\": true} but no "
		    "value is stored", parent ? parent : "", parent ? "." :
		    "", key);
	json_object_object_add(h, key, json_object_get(was));
	return 0;
}

int
api_device_keep_secrets(json_object *entry, json_object *old,
    struct api_problem *pb)
{
	return each_secret(entry, old, keep_one, pb);
}
