#include <stdio.h>
#include <string.h>

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
	json_object *a, *srv, *defs;

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
		add_code(o, p, "line", json_object_get_string(v), "line_map");
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
finish_provisioning(json_object *d)
{
	json_object *prov, *v;
	int64_t secs;

	if (!json_object_object_get_ex(d, "provisioning", &prov) ||
	    !json_object_object_get_ex(prov, "interval", &v))
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
		add_code(d, rq->pack, "language", lang, "language_name");
	finish_accounts(d, rq->pack);
	finish_keys(d, rq->pack);
	finish_params(d);
	finish_provisioning(d);
	finish_firmware(d, rq->ua);
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
