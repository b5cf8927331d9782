#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "device.h"
#include "filecheck.h"
#include "strmap.h"
#include "tz.h"
#include "vendor.h"
#include "version.h"

/* The five layers of a request's device, lowest first.  The phone's own
 * layer is parsed from its JSON text (caller puts *phone_layer). */
static void
gather_layers(const struct vendor_file_req *rq, json_object *layers[DL_COUNT],
    json_object **phone_layer)
{
	const struct packset *set = &rq->snap->packs;

	layers[DL_DEFAULT] = rq->pack->defaults;
	layers[DL_COMMON] = set->common_layer;
	layers[DL_VENDOR] = rq->pack->vendor_layer;
	layers[DL_MODEL] = packset_model_layer(set, rq->pack, rq->model);
	*phone_layer = NULL;
	if (rq->phone != NULL && rq->phone->device != NULL)
		*phone_layer = json_tokener_parse(rq->phone->device);
	layers[DL_PHONE] = *phone_layer;
}

static const char *
str_of(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* maps.<map>.<key> as a string, or NULL. */
static json_object *
map_lookup(const struct pack *p, const char *map, const char *key)
{
	json_object *m, *v;

	if (key == NULL || !json_object_object_get_ex(p->maps, map, &m) ||
	    !json_object_object_get_ex(m, key, &v))
		return NULL;
	return v;
}

static void
add_code(json_object *o, const struct pack *p, const char *map,
    const char *key, const char *field)
{
	json_object *v = map_lookup(p, map, key);

	if (v != NULL)
		json_object_object_add(o, field, json_object_get(v));
}

/* Values some vendors want spelled differently, which Mustache cannot
 * compute: a port in hex (Gigaset N510: "0x13c4"), a URL without its
 * scheme (Gigaset N510's data server), a PIN as BCD bytes (Gigaset N510:
 * 1234 is "0x12,0x34"). */
static void
add_port_hex(json_object *o)
{
	json_object *v;
	char hex[16];

	if (o == NULL || !json_object_object_get_ex(o, "port", &v))
		return;
	snprintf(hex, sizeof(hex), "0x%x", (unsigned)json_object_get_int(v));
	json_object_object_add(o, "port_hex", json_object_new_string(hex));
}

/* url_noscheme, url_scheme ("http") and url_scheme_code from the pack's
 * maps.url_scheme (Grandstream's "upgrade via" P-values). */
static void
add_url_noscheme(json_object *o, const struct pack *pk)
{
	const char *url = str_of(o, "url"), *p;
	char scheme[16];

	if (url == NULL)
		return;
	p = strstr(url, "://");
	json_object_object_add(o, "url_noscheme",
	    json_object_new_string(p != NULL ? p + 3 : url));
	if (p == NULL || (size_t)(p - url) >= sizeof(scheme))
		return;
	for (size_t i = 0; i < (size_t)(p - url); i++)
		scheme[i] = (char)(url[i] >= 'A' && url[i] <= 'Z' ?
		    url[i] - 'A' + 'a' : url[i]);
	scheme[p - url] = '\0';
	json_object_object_add(o, "url_scheme", json_object_new_string(scheme));
	add_code(o, pk, "url_scheme", scheme, "url_scheme_code");
}

static void
finish_pin(json_object *d)
{
	const char *pin = str_of(d, "system_pin");
	char bcd[32];

	if (pin == NULL || strlen(pin) != 4)
		return;
	snprintf(bcd, sizeof(bcd), "0x%.2s,0x%.2s", pin, pin + 2);
	json_object_object_add(d, "system_pin_bcd",
	    json_object_new_string(bcd));
}

static void
set_default(json_object *o, const char *key, json_object *v)
{
	if (json_object_object_get_ex(o, key, NULL))
		json_object_put(v);
	else
		json_object_object_add(o, key, v);
}

/* Fills what an account leaves unset from account_defaults (the server
 * mapping field by field). */
static void
apply_account_defaults(json_object *acct, json_object *defs)
{
	json_object_object_foreach(defs, k, v) {
		json_object *mine;
		if (!json_object_object_get_ex(acct, k, &mine)) {
			json_object *copy = NULL;
			json_object_deep_copy(v, &copy, NULL);
			json_object_object_add(acct, k, copy);
		} else if (json_object_is_type(v, json_type_object) &&
		    json_object_is_type(mine, json_type_object))
			apply_account_defaults(mine, v);
	}
}

/* An account without a user cannot register: it was only ever partly
 * described (a lower layer's line the phone does not use). */
static void
drop_userless(json_object *a)
{
	for (size_t i = json_object_array_length(a); i-- > 0;) {
		json_object *v;
		if (!json_object_object_get_ex(json_object_array_get_idx(a, i),
		    "user", &v) || json_object_get_string_len(v) == 0)
			json_object_array_del_idx(a, i, 1);
	}
}

static void
finish_accounts(json_object *d, const struct pack *p)
{
	json_object *a, *srv, *defs, *obp;

	if (!json_object_object_get_ex(d, "accounts", &a))
		return;
	if (json_object_object_get_ex(d, "account_defaults", &defs))
		for (size_t i = 0; i < json_object_array_length(a); i++)
			apply_account_defaults(json_object_array_get_idx(a, i),
			    defs);
	drop_userless(a);
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i), *v;
		int64_t n;

		json_object_object_get_ex(o, "line", &v);
		n = json_object_get_int64(v);
		json_object_object_add(o, "index0", json_object_new_int64(n - 1));
		json_object_object_add(o, "first", json_object_new_boolean(i == 0));
		set_default(o, "enabled", json_object_new_boolean(1));
		if (str_of(o, "user") != NULL)
			set_default(o, "auth_user", json_object_new_string(
			    str_of(o, "user")));
		if (!json_object_object_get_ex(o, "server", &srv)) {
			srv = json_object_new_object();
			json_object_object_add(o, "server", srv);
		}
		set_default(srv, "port", json_object_new_int(5060));
		set_default(srv, "transport", json_object_new_string("udp"));
		add_code(srv, p, "transport", str_of(srv, "transport"),
		    "transport_code");
		/* The second spelling of models whose files differ from
		 * the pack's others (Grandstream GRP: config version 2). */
		add_code(srv, p, "transport_alt", str_of(srv, "transport"),
		    "transport_alt");
		add_port_hex(srv);
		if (json_object_object_get_ex(o, "outbound_proxy", &obp)) {
			set_default(obp, "port", json_object_new_int(5060));
			add_port_hex(obp);
		}
		add_code(o, p, "line", json_object_get_string(v), "line_map");
	}
}

/* key_name from the catalogue's key_layout, a list of {prefix, count
 * [, blf_as]}: keys are numbered through the entries in order, so with
 * [{prefix: topsoftkey, count: 20}, {prefix: softkey, count: 18}] key 21
 * is softkey1 (wazo-provd-plugins, wazo_aastra common.py AastraModel).
 * A key past the layout gets none.  blf_as replaces a BLF key's
 * type_code where the phone has no BLF type on those keys. */
static void
add_key_name(json_object *key, json_object *d, int64_t n)
{
	json_object *info, *layout;

	if (!json_object_object_get_ex(d, "model_info", &info) ||
	    !json_object_object_get_ex(info, "key_layout", &layout) ||
	    !json_object_is_type(layout, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(layout); i++) {
		json_object *e = json_object_array_get_idx(layout, i);
		const char *prefix = str_of(e, "prefix"), *count = str_of(e,
		    "count"), *blf_as = str_of(e, "blf_as"), *type;
		long c = count != NULL ? strtol(count, NULL, 10) : 0;
		char name[64];

		if (prefix == NULL || c <= 0)
			return;
		if (n > c) {
			n -= c;
			continue;
		}
		snprintf(name, sizeof(name), "%s%lld", prefix, (long long)n);
		json_object_object_add(key, "key_name",
		    json_object_new_string(name));
		type = str_of(key, "type");
		if (blf_as != NULL && type != NULL && strcmp(type, "blf") == 0)
			json_object_object_add(key, "type_code",
			    json_object_new_string(blf_as));
		return;
	}
}

static void
finish_keys(json_object *d, const struct pack *p)
{
	json_object *a, *accts;

	if (!json_object_object_get_ex(d, "line_keys", &a))
		return;
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *o = json_object_array_get_idx(a, i), *v, *line,
		    *acct, *s;
		json_object_object_get_ex(o, "key", &v);
		json_object_object_add(o, "index0",
		    json_object_new_int64(json_object_get_int64(v) - 1));
		set_default(o, "type", json_object_new_string("line"));
		set_default(o, "line", json_object_new_int(1));
		add_code(o, p, "key_type", str_of(o, "type"), "type_code");
		add_code(o, p, "key_type_alt", str_of(o, "type"), "type_alt");
		add_key_name(o, d, json_object_get_int64(v));
		/* Per-key and per-line tables, for vendors whose parameter
		 * names are numbered per key (Grandstream P-values). */
		add_code(o, p, "key", json_object_get_string(v), "key_map");
		json_object_object_get_ex(o, "line", &line);
		add_code(o, p, "line", json_object_get_string(line), "line_map");
		acct = json_object_object_get_ex(d, "accounts", &accts) ?
		    device_list_find(accts, "line",
		    json_object_get_int64(line)) : NULL;
		if (acct != NULL && json_object_object_get_ex(acct, "server",
		    &s) && str_of(s, "host") != NULL)
			json_object_object_add(o, "server_host",
			    json_object_new_string(str_of(s, "host")));
	}
}

/* params: a mapping in the layers, a list of {name, value} for templates
 * (Mustache cannot iterate over a mapping's keys). */
static void
finish_params(json_object *d)
{
	json_object *m, *list = json_object_new_array();

	if (!json_object_object_get_ex(d, "params", &m)) {
		json_object_object_add(d, "params", list);
		return;
	}
	json_object_object_foreach(m, k, v) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(k));
		json_object_object_add(o, "value", json_object_get(v));
		json_object_array_add(list, o);
	}
	json_object_object_add(d, "params", list);
}

static void
finish_ntp(json_object *d)
{
	json_object *a;
	size_t n;

	if (!json_object_object_get_ex(d, "ntp", &a))
		return;
	n = json_object_array_length(a);
	json_object_object_add(d, "ntp_primary", json_object_new_string(n > 0 ?
	    json_object_get_string(json_object_array_get_idx(a, 0)) : ""));
	json_object_object_add(d, "ntp_secondary", json_object_new_string(n > 1 ?
	    json_object_get_string(json_object_array_get_idx(a, 1)) : ""));
}

/* The device says which firmware the phone should run; offer its URL
 * unless the User-Agent shows that version (or a newer one) running:
 * deskprov never steers a phone to a downgrade. */
static void
finish_firmware(json_object *d, const struct useragent *ua)
{
	json_object *fw;
	const char *want;
	int offer;

	if (!json_object_object_get_ex(d, "firmware", &fw))
		return;
	want = str_of(fw, "version");
	offer = str_of(fw, "url") != NULL;
	if (offer && want != NULL && ua != NULL && ua->version[0] != '\0')
		offer = version_compare(ua->version, want) < 0;
	json_object_object_add(fw, "offer", json_object_new_boolean(offer));
}

/* Vendors count the resync interval in minutes or hours; Mustache
 * cannot divide. */
static void
finish_provisioning(json_object *d, const struct pack *pk)
{
	json_object *prov, *v;
	int64_t secs;

	if (json_object_object_get_ex(d, "firmware", &v))
		add_url_noscheme(v, pk);
	if (!json_object_object_get_ex(d, "provisioning", &prov))
		return;
	add_url_noscheme(prov, pk);
	if (!json_object_object_get_ex(prov, "interval", &v))
		return;
	secs = json_object_get_int64(v);
	json_object_object_add(prov, "interval_minutes",
	    json_object_new_int64(secs / 60 > 0 ? secs / 60 : 1));
	json_object_object_add(prov, "interval_hours",
	    json_object_new_int64(secs / 3600 > 0 ? secs / 3600 : 1));
}

/* provisioning.url of a bootstrap file: the link the phone moves to;
 * provisioning.link too, which only a bootstrap file has (the Cisco
 * packs' Profile_Rule, whose provisioning.url is the plain server's). */
static void
set_bootstrap_url(json_object *d, const char *url)
{
	json_object *prov;

	if (!json_object_object_get_ex(d, "provisioning", &prov) ||
	    !json_object_is_type(prov, json_type_object)) {
		prov = json_object_new_object();
		json_object_object_add(d, "provisioning", prov);
	}
	json_object_object_add(prov, "url", json_object_new_string(url));
	json_object_object_add(prov, "link", json_object_new_string(url));
}

static int
finish_timezone(json_object *d, json_object **cache, char *err,
    size_t errsz)
{
	const char *name = str_of(d, "timezone");
	struct tzinfo tz;
	json_object *tj;
	char why[160];

	if (name == NULL)
		return 0;
	if (*cache == NULL)
		*cache = json_object_new_object();
	if (!json_object_object_get_ex(*cache, name, &tj)) {
		if (tz_load(NULL, name, &tz, why, sizeof(why)) < 0) {
			snprintf(err, errsz, "timezone '%s': %s", name, why);
			return -1;
		}
		tj = tz_to_json(&tz);
		json_object_object_add(*cache, name, tj);
	}
	json_object_object_add(d, "timezone", json_object_get(tj));
	return 0;
}

static json_object *
zone_entry(const char *zone, const char *value, const char *match,
    int rules_match)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "zone", json_object_new_string(zone));
	json_object_object_add(o, "value", json_object_new_string(value));
	json_object_object_add(o, "match", json_object_new_string(match));
	json_object_object_add(o, "rules_match",
	    json_object_new_boolean(rules_match));
	return o;
}

/* The entry of maps.zones (the vendor's own zone list: accepted IANA
 * name -> what the phone is told) nearest to the zone `name`, as
 * {"zone", "value", "match", "rules_match"}; a new reference, or NULL when
 * the pack has no list or none of its zones loads.  A listed zone is its
 * own answer ("listed"); any other loads every listed zone to find the
 * nearest: the caller caches the answer. */
static json_object *
zone_choose(const struct pack *p, const char *name)
{
	json_object *zones, *o;
	struct tzinfo want, *cand;
	const char **keys;
	enum tz_match how;
	size_t n = 0, max;
	char why[160];
	int i;

	if (!json_object_object_get_ex(p->maps, "zones", &zones) ||
	    !json_object_is_type(zones, json_type_object))
		return NULL;
	if (json_object_object_get_ex(zones, name, &o))
		return zone_entry(name, json_object_get_string(o), "listed", 1);
	if (tz_load(NULL, name, &want, why, sizeof(why)) < 0)
		return NULL;
	max = (size_t)json_object_object_length(zones);
	cand = xcalloc(max + 1, sizeof(*cand));
	keys = xcalloc(max + 1, sizeof(*keys));
	json_object_object_foreach(zones, k, v) {
		(void)v;
		if (tz_load(NULL, k, &cand[n], why, sizeof(why)) == 0)
			keys[n++] = k;
	}
	o = NULL;
	if ((i = tz_nearest(&want, cand, n, &how)) >= 0) {
		json_object *val;
		json_object_object_get_ex(zones, keys[i], &val);
		o = zone_entry(keys[i], json_object_get_string(val),
		    tz_match_name(how), how == TZ_MATCH_RULES);
	}
	free(cand);
	free(keys);
	return o;
}

/* vendor_zone: the pack's own zone for the device's time zone (see
 * zone_choose), cached per pack and zone with the time zones; prov, when
 * not NULL, records the choice for `deskprov explain`. */
static void
finish_vendor_zone(json_object *d, const struct pack *p,
    json_object **cache, json_object *prov)
{
	json_object *tzo, *z, *note;
	const char *name = json_object_object_get_ex(d, "timezone", &tzo) ?
	    str_of(tzo, "name") : NULL;
	char key[TZ_NAME_MAX + 160];

	if (name == NULL || *cache == NULL)
		return;
	snprintf(key, sizeof(key), "zones|%s|%s", p->name, name);
	if (!json_object_object_get_ex(*cache, key, &z)) {
		z = zone_choose(p, name);
		json_object_object_add(*cache, key, z);
	}
	if (z == NULL)
		return;
	json_object_object_add(d, "vendor_zone", json_object_get(z));
	if (prov == NULL)
		return;
	note = json_object_new_object();
	json_object_object_add(note, "layer", json_object_new_string("pack"));
	snprintf(key, sizeof(key), "%s (%s, from %s in maps.zones)",
	    json_object_get_string(json_object_object_get(z, "value")),
	    json_object_get_string(json_object_object_get(z, "match")),
	    json_object_get_string(json_object_object_get(z, "zone")));
	json_object_object_add(note, "value", json_object_new_string(key));
	json_object_object_add(prov, "vendor_zone", note);
}

/* ---- the directory (docs/packs.md, "Directory") ---- */

/* The first word of a name and the rest, for vendors that store first
 * and last names apart (as wazo-phoned splits a name for Gigaset). */
static void
split_name(const char *name, json_object *o)
{
	const char *sp = strchr(name, ' ');

	if (str_of(o, "first_name") == NULL)
		json_object_object_add(o, "first_name", sp == NULL ?
		    json_object_new_string(name) :
		    json_object_new_string_len(name, (int)(sp - name)));
	if (str_of(o, "last_name") == NULL)
		json_object_object_add(o, "last_name",
		    json_object_new_string(sp == NULL ? "" : sp + 1));
}

/* A group's number (1, 2, ...) in order of first use; groups grows. */
static int64_t
group_id(json_object *groups, const char *name)
{
	size_t n = json_object_array_length(groups);
	json_object *g;

	for (size_t i = 0; i < n; i++)
		if (strcmp(str_of(json_object_array_get_idx(groups, i),
		    "name"), name) == 0)
			return (int64_t)i + 1;
	g = json_object_new_object();
	json_object_object_add(g, "id", json_object_new_int64((int64_t)n + 1));
	json_object_object_add(g, "name", json_object_new_string(name));
	json_object_array_add(groups, g);
	return (int64_t)n + 1;
}

/* One number as templates see it: type defaulted, the pack's code, its
 * place among all numbers of the directory (item0: vendors that list one
 * number per item number them), and the entry's first number of each
 * type as work/home/mobile/other. */
static json_object *
dir_number(const struct pack *p, json_object *src, size_t i,
    json_object *entry, size_t *items)
{
	json_object *o = json_object_new_object();
	const char *num = str_of(src, "number"), *type = str_of(src, "type");

	if (type == NULL)
		type = "work";
	json_object_object_add(o, "number", json_object_new_string(num));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "first", json_object_new_boolean(i == 0));
	json_object_object_add(o, "item0", json_object_new_int64(
	    (int64_t)(*items)++));
	add_code(o, p, "number_type", type, "type_code");
	if (i == 0)
		json_object_object_add(entry, "number",
		    json_object_new_string(num));
	if (str_of(entry, type) == NULL)
		json_object_object_add(entry, type, json_object_new_string(num));
	return o;
}

static json_object *
dir_entry(const struct pack *p, json_object *src, size_t idx,
    json_object *groups, size_t *items)
{
	json_object *o = json_object_new_object(), *nums, *list;
	const char *name = str_of(src, "name"), *group = str_of(src, "group");

	json_object_object_add(o, "index0", json_object_new_int64((int64_t)idx));
	json_object_object_add(o, "name", json_object_new_string(name));
	if (str_of(src, "first_name") != NULL)
		json_object_object_add(o, "first_name",
		    json_object_new_string(str_of(src, "first_name")));
	if (str_of(src, "last_name") != NULL)
		json_object_object_add(o, "last_name",
		    json_object_new_string(str_of(src, "last_name")));
	split_name(name, o);
	if (group != NULL && *group != '\0') {
		json_object_object_add(o, "group", json_object_new_string(group));
		json_object_object_add(o, "group_id",
		    json_object_new_int64(group_id(groups, group)));
	}
	json_object_object_get_ex(src, "numbers", &nums);
	list = json_object_new_array_ext((int)json_object_array_length(nums));
	for (size_t i = 0; i < json_object_array_length(nums); i++)
		json_object_array_add(list, dir_number(p,
		    json_object_array_get_idx(nums, i), i, o, items));
	json_object_object_add(o, "numbers", list);
	return o;
}

/* A directory file sees its entries (new objects: the merged list shares
 * the layers' own), their count and their groups. */
static void
finish_directory(json_object *d, const struct pack *p)
{
	json_object *src, *list, *groups = json_object_new_array();
	size_t n = 0, items = 0;

	if (json_object_object_get_ex(d, "directory", &src))
		n = json_object_array_length(src);
	list = json_object_new_array_ext((int)n);
	for (size_t i = 0; i < n; i++)
		json_object_array_add(list, dir_entry(p,
		    json_object_array_get_idx(src, i), i, groups, &items));
	json_object_object_add(d, "directory", list);
	json_object_object_add(d, "directory_count",
	    json_object_new_int64((int64_t)n));
	json_object_object_add(d, "directory_groups", groups);
}

/* The pack's directory file this request's phone reads: its own when the
 * pack has one per phone, else the shared one.  NULL when none. */
static const struct pack_file *
directory_file(const struct vendor_file_req *rq)
{
	const struct pack_file *shared = NULL;

	for (size_t i = 0; i < rq->pack->n_files; i++) {
		const struct pack_file *f = &rq->pack->files[i];
		if (strcmp(f->tpl, VENDOR_DIRECTORY_TEMPLATE) != 0)
			continue;
		if (f->scope == SCOPE_PHONE && rq->phone != NULL)
			return f;
		if (f->scope == SCOPE_COMMON && shared == NULL)
			shared = f;
	}
	return shared;
}

/* The URL phones are told for a file of theirs: provisioning.url, the
 * server as the phone sees it, then the file name.
 * TODO(links): links_phone_base_url() gives the prefix once the secure
 * links branch is merged. */
static int
file_url(json_object *d, const char *fname, struct buf *out)
{
	json_object *prov;
	const char *base = NULL;

	if (json_object_object_get_ex(d, "provisioning", &prov))
		base = str_of(prov, "url");
	if (base == NULL || *base == '\0')
		return -1;
	buf_adds(out, base);
	if (base[strlen(base) - 1] != '/')
		buf_addc(out, '/');
	buf_adds(out, fname);
	return 0;
}

/* Any other file is told where the directory is, when there is one:
 * directory_url, and for vendors that take a scheme and a path apart
 * (Grandstream P330/P331) directory_https and directory_path (the URL
 * without scheme and file name).  The entries themselves stay out: the
 * file does not need them. */
static void
add_directory_url(json_object *d, const struct vendor_file_req *rq)
{
	const struct pack_file *f = directory_file(rq);
	json_object *src;
	char name[256];
	struct buf url;
	const char *p, *slash;
	size_t n;

	if (!json_object_object_get_ex(d, "directory", &src))
		return;
	n = json_object_array_length(src);
	json_object_object_del(d, "directory");	/* frees src */
	if (f == NULL || n == 0 ||
	    vendor_file_name(f, f->scope == SCOPE_PHONE ? rq->phone : NULL,
	    rq->model, name, sizeof(name)) < 0)
		return;
	buf_init(&url);
	if (file_url(d, name, &url) == 0) {
		json_object_object_add(d, "directory_url",
		    json_object_new_string_len(url.data, (int)url.len));
		p = strstr(url.data, "://") ? strstr(url.data, "://") + 3 :
		    url.data;
		slash = strrchr(p, '/');
		json_object_object_add(d, "directory_path",
		    json_object_new_string_len(p, (int)(slash - p)));
		json_object_object_add(d, "directory_https",
		    json_object_new_boolean(strncmp(url.data, "https:", 6) == 0));
	}
	buf_free(&url);
}

static void
add_phone(json_object *d, const struct phone *ph)
{
	json_object *o = json_object_new_object();
	char upper[MAC_LEN + 1], colons[18];

	for (int i = 0; i <= MAC_LEN; i++)
		upper[i] = (char)(ph->mac[i] >= 'a' && ph->mac[i] <= 'f' ?
		    ph->mac[i] - 'a' + 'A' : ph->mac[i]);
	mac_format_colons(ph->mac, colons);
	json_object_object_add(o, "id", json_object_new_string(ph->id));
	json_object_object_add(o, "mac", json_object_new_string(ph->mac));
	json_object_object_add(o, "MAC", json_object_new_string(upper));
	json_object_object_add(o, "mac_colons", json_object_new_string(colons));
	if (ph->serial != NULL)
		json_object_object_add(o, "serial",
		    json_object_new_string(ph->serial));
	json_object_object_add(d, "phone", o);
}

json_object *
vendor_data(const struct vendor_file_req *rq, json_object *prov, char *err,
    size_t errsz)
{
	json_object *layers[DL_COUNT], *own, *d;
	const char *lang;

	gather_layers(rq, layers, &own);
	d = device_merge(layers, prov);
	json_object_put(own);
	if (!rq->file->secrets || rq->bootstrap_url != NULL)
		device_strip_secrets(d);
	if (rq->bootstrap_url != NULL)
		set_bootstrap_url(d, rq->bootstrap_url);
	/* The cache belongs to the snapshot, which is otherwise read-only:
	 * a process answers one request at a time. */
	if (finish_timezone(d, rq->snap->packs.tz_cache, err, errsz) < 0) {
		json_object_put(d);
		return NULL;
	}
	json_object_object_add(d, "file", json_object_new_string(rq->fname));
	json_object_object_add(d, "vendor", json_object_new_string(
	    rq->pack->name));
	if (rq->model != NULL) {
		json_object_object_add(d, "model",
		    json_object_new_string(rq->model->name));
		json_object_object_add(d, "model_info",
		    json_object_get(rq->model->info));
	}
	if (rq->phone != NULL && rq->file->scope == SCOPE_PHONE)
		add_phone(d, rq->phone);
	finish_ntp(d);
	if ((lang = str_of(d, "language")) != NULL)
	{
		add_code(d, rq->pack, "language", lang, "language_name");
		/* A second spelling some models want (Fanvil X-U: "it"
		 * where the older ones want "7"). */
		add_code(d, rq->pack, "language_text", lang, "language_text");
	}
	finish_accounts(d, rq->pack);
	finish_keys(d, rq->pack);
	finish_params(d);
	finish_provisioning(d, rq->pack);
	finish_firmware(d, rq->ua);
	finish_pin(d);
	finish_vendor_zone(d, rq->pack, rq->snap->packs.tz_cache, prov);
	if (strcmp(rq->file->tpl, VENDOR_DIRECTORY_TEMPLATE) == 0)
		finish_directory(d, rq->pack);
	else
		add_directory_url(d, rq);
	return d;
}

static int
render_checked(const struct vendor_file_req *rq, const struct mustache *t,
    json_object *data, struct buf *out, struct vendor_result *res)
{
	struct template_scope scope;
	struct mustache_opts opts;
	struct diag me, fe;
	size_t start = out->len;

	memset(&scope, 0, sizeof(scope));
	memset(&opts, 0, sizeof(opts));
	scope.set = &rq->snap->packs;
	scope.pack = rq->pack;
	opts.escape = rq->file->syntax == SYNTAX_XML ? MUSTACHE_ESCAPE_XML :
	    MUSTACHE_ESCAPE_NONE_LINE;
	opts.strict = 1;
	opts.loader = pack_template_loader;
	opts.find = pack_template_find;
	opts.loader_ctx = &scope;
	if (mustache_render(t, data, &opts, out, &me) < 0) {
		if (me.file[0] == '\0')
			diag_set_file(&me, res->template_rel);
		snprintf(res->error, sizeof(res->error), "template %s:%u: %s",
		    me.file, me.line, me.msg);
		return -1;
	}
	memcpy(res->used, scope.used, sizeof(res->used));
	res->n_used = scope.n_used;
	/* The rendered file holds secrets: its bytes are named only when
	 * they form a key name (diag_format() has that rule). */
	if (filecheck(rq->file->syntax, out->data + start, out->len - start,
	    &fe) < 0) {
		char what[DIAG_MSG_MAX + 96];	/* no file: "line N: msg (key)" */

		out->len = start;
		diag_format(&fe, what, sizeof(what));
		snprintf(res->error, sizeof(res->error), "template %s rendered "
		    "%s that is not valid %s: %s", res->template_rel,
		    rq->fname, file_syntax_name(rq->file->syntax), what);
		return -1;
	}
	return 0;
}

/* Everything a file's bytes depend on, NUL-separated: the snapshot (its
 * packs, templates and layers), the file, its template, its phone and
 * model, and the firmware the User-Agent reports (which decides whether
 * firmware is offered).  Time zones are read once per snapshot, so they
 * add nothing. */
static void
render_inputs(const struct vendor_file_req *rq, const char *template_rel,
    struct buf *k)
{
	buf_add(k, &rq->snap->source_hash, sizeof(rq->snap->source_hash));
	buf_add(k, rq->fname, strlen(rq->fname) + 1);
	buf_add(k, template_rel, strlen(template_rel) + 1);
	if (rq->phone != NULL && rq->file->scope == SCOPE_PHONE)
		buf_add(k, rq->phone->id, strlen(rq->phone->id));
	buf_addc(k, '\0');
	if (rq->model != NULL)
		buf_add(k, rq->model->name, strlen(rq->model->name));
	buf_addc(k, '\0');
	if (rq->ua != NULL)
		buf_add(k, rq->ua->version, strlen(rq->ua->version));
	buf_addc(k, '\0');
	if (rq->bootstrap_url != NULL)
		buf_adds(k, rq->bootstrap_url);
}

int
vendor_prepare(const struct vendor_file_req *rq, struct vendor_prepared *p,
    struct vendor_result *res)
{
	memset(res, 0, sizeof(*res));
	memset(p, 0, sizeof(*p));
	p->t = packset_template(&rq->snap->packs, rq->pack, rq->fname,
	    rq->file->tpl, rq->model, &res->template_rel);
	if (p->t == NULL) {
		snprintf(res->error, sizeof(res->error), "no template '%s' for "
		    "%s in pack %s", rq->file->tpl, rq->fname, rq->pack->name);
		return -1;
	}
	buf_init(&p->inputs);
	render_inputs(rq, res->template_rel, &p->inputs);
	p->etag = hash_bytes(HASH_SEED, p->inputs.data, p->inputs.len);
	return 0;
}

void
vendor_prepared_free(struct vendor_prepared *p)
{
	buf_free(&p->inputs);
}

/* Rendered files, per process: a phone fetches the same file at every
 * boot and resync, and its bytes depend only on render_inputs().  The
 * key is that whole input, compared byte for byte (a User-Agent is
 * attacker-chosen: a hash alone could be made to collide with another
 * phone's file).  Direct-mapped by tag, bounded in bytes; a process
 * answers one request at a time. */
#define FILE_CACHE_SLOTS	256
#define FILE_CACHE_BYTES	(8u * 1024 * 1024)

struct cached_file {
	char	*key;		/* the inputs, NUL-separated */
	size_t	 key_len;
	char	*body;
	size_t	 len;
};

static struct cached_file file_cache[FILE_CACHE_SLOTS];
static size_t file_cache_bytes;

static void
cache_drop(struct cached_file *c)
{
	file_cache_bytes -= c->key_len + c->len;
	free(c->key);
	free(c->body);
	memset(c, 0, sizeof(*c));
}

static void
cache_store(struct cached_file *c, const struct buf *key, const char *body,
    size_t len)
{
	if (c->key != NULL)
		cache_drop(c);
	if (file_cache_bytes + key->len + len > FILE_CACHE_BYTES)
		return;
	c->key_len = key->len;
	c->key = xmalloc(key->len);
	memcpy(c->key, key->data, key->len);
	c->body = xmalloc(len + 1);
	if (len > 0)
		memcpy(c->body, body, len);
	c->len = len;
	file_cache_bytes += c->key_len + len;
}

int
vendor_render_prepared(const struct vendor_file_req *rq,
    const struct vendor_prepared *p, struct buf *out,
    struct vendor_result *res)
{
	struct cached_file *c = &file_cache[p->etag % FILE_CACHE_SLOTS];
	size_t start = out->len;
	json_object *data;
	int rc;

	if (c->key != NULL && c->key_len == p->inputs.len &&
	    memcmp(c->key, p->inputs.data, p->inputs.len) == 0) {
		if (c->len > 0)
			buf_add(out, c->body, c->len);
		return 0;
	}
	if ((data = vendor_data(rq, NULL, res->error, sizeof(res->error))) ==
	    NULL)
		return -1;
	rc = render_checked(rq, p->t, data, out, res);
	json_object_put(data);
	/* Only a file that passed its syntax check is kept. */
	if (rc == 0)
		cache_store(c, &p->inputs, out->data + start, out->len - start);
	return rc;
}

int
vendor_render(const struct vendor_file_req *rq, struct buf *out,
    struct vendor_result *res)
{
	struct vendor_prepared p;
	int rc;

	if (vendor_prepare(rq, &p, res) < 0)
		return -1;
	rc = vendor_render_prepared(rq, &p, out, res);
	vendor_prepared_free(&p);
	return rc;
}

const struct pack_file *
vendor_main_file(const struct pack *p)
{
	const struct pack_file *first = NULL;

	for (size_t i = 0; i < p->n_files; i++) {
		if (p->files[i].scope != SCOPE_PHONE)
			continue;
		if (p->files[i].secrets)
			return &p->files[i];
		if (first == NULL)
			first = &p->files[i];
	}
	return first;
}

int
vendor_file_name(const struct pack_file *f, const struct phone *ph,
    const struct pack_model *m, char *out, size_t outsz)
{
	struct buf b;
	const char *p = f->pattern;
	int rc = 0;

	buf_init(&b);
	while (*p && rc == 0) {
		if (strncmp(p, "{mac}", 5) == 0 || strncmp(p, "{MAC}", 5) == 0) {
			if (ph == NULL || ph->mac[0] == '\0')
				rc = -1;
			for (int i = 0; rc == 0 && i < MAC_LEN; i++)
				buf_addc(&b, p[1] == 'M' && ph->mac[i] >= 'a' ?
				    (char)(ph->mac[i] - 'a' + 'A') : ph->mac[i]);
			p += 5;
		} else if (strncmp(p, "{model}", 7) == 0) {
			if (m == NULL)
				rc = -1;
			else
				buf_adds(&b, m->name);
			p += 7;
		} else if (strncmp(p, "{model_lc}", 10) == 0) {
			if (m == NULL)
				rc = -1;
			for (const char *c = m ? m->name : ""; *c; c++)
				buf_addc(&b, *c >= 'A' && *c <= 'Z' ?
				    (char)(*c - 'A' + 'a') : *c);
			p += 10;
		} else if (strncmp(p, "{file_id}", 9) == 0) {
			if (m == NULL || m->file_id == NULL)
				rc = -1;
			else
				buf_adds(&b, m->file_id);
			p += 9;
		} else
			buf_addc(&b, *p++);
	}
	if (rc == 0 && b.len < outsz)
		memcpy(out, b.data ? b.data : "", b.len + 1);
	else
		rc = -1;
	buf_free(&b);
	return rc;
}

/* ---- asking for a file by its name ---- */

#define MATCHES_MAX	8

/* Picks what a file name means (see vendor_request).  NULL when the name
 * is only a phone file of a phone that is not a device of that pack. */
static const struct pack_match *
pick_match(const struct snapshot *s, const struct pack_match *m, size_t n,
    const struct phone **phone, enum vendor_owner *owner)
{
	const struct pack_match *shared = NULL;

	*phone = NULL;
	*owner = VENDOR_OWNER_NONE;
	for (size_t i = 0; i < n; i++) {
		char mac[MAC_LEN + 1];
		const struct phone *ph;
		if (m[i].mac[0] == '\0') {
			if (shared == NULL)
				shared = &m[i];
			continue;
		}
		if (mac_parse(m[i].mac, MAC_LEN, mac) == MAC_NOT_PHONE) {
			if (*owner == VENDOR_OWNER_NONE)
				*owner = VENDOR_OWNER_NOT_PHONE;
			continue;
		}
		if ((ph = snapshot_find_mac(s, mac)) == NULL)
			continue;
		if (ph->pack == NULL)
			*owner = VENDOR_OWNER_FLAT;
		else if (ph->pack != m[i].pack)
			*owner = VENDOR_OWNER_OTHER_PACK;
		else {
			*phone = ph;
			return &m[i];
		}
	}
	return shared;
}

/* For the log of an unknown phone: the pack whose MAC prefixes (OUIs)
 * hold the file name's MAC, when several packs share the name (<mac>.cfg
 * is Yealink's, Fanvil's and Polycom's). */
static const struct pack *
likely_pack(const struct pack_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; m[i].mac[0] && j < m[i].pack->n_ouis; j++)
			if (strncmp(m[i].mac, m[i].pack->ouis[j], 6) == 0)
				return m[i].pack;
	return m[0].pack;
}

int
vendor_request(const struct snapshot *s, const char *fname,
    const struct useragent *ua, struct vendor_file_req *rq,
    enum vendor_owner *owner)
{
	struct pack_match all[MATCHES_MAX];
	const struct pack_match *m;
	const struct phone *ph;
	size_t n = packset_match(&s->packs, fname, all, MATCHES_MAX);

	*owner = VENDOR_OWNER_NONE;
	memset(rq, 0, sizeof(*rq));
	if (n == 0)
		return 0;
	if ((m = pick_match(s, all, n, &ph, owner)) == NULL) {
		*rq = (struct vendor_file_req){ .snap = s,
		    .pack = likely_pack(all, n), .ua = ua, .fname = fname };
		return -1;
	}
	*rq = (struct vendor_file_req){
		.snap = s,
		.pack = m->pack,
		.file = m->file,
		/* A phone file renders for its phone's model, a model file
		 * for the model its name carries, a common file for none. */
		.model = ph != NULL ? ph->pmodel : m->model,
		.phone = ph,
		.ua = ua,
		.fname = fname,
	};
	return 1;
}

int
vendor_phone_request(const struct snapshot *s, const struct phone *ph,
    const struct pack_file *pf, char *name, size_t namesz,
    struct vendor_file_req *rq)
{
	enum vendor_owner owner;

	memset(rq, 0, sizeof(*rq));
	if (vendor_file_name(pf, ph, ph->pmodel, name, namesz) < 0)
		return -1;
	return vendor_request(s, name, NULL, rq, &owner) == 1;
}
