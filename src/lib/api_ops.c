#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "api_json.h"
#include "atomicfile.h"
#include "api_ops.h"
#include "devstore.h"
#include "ident.h"
#include "links.h"
#include "vendor.h"
#include "yamltree.h"

/* ---- reading ---- */

/* The snapshot the processes serve, or NULL with 503. */
static const struct snapshot *
current(struct app *app, struct api_problem *pb)
{
	const struct snapshot *s = config_state_get(&app->cs);

	if (s == NULL)
		api_fail(pb, 503, "no good configuration is loaded");
	return s;
}

/* The entry of a YAML document `<id>: {...}` as JSON (caller owns): an
 * empty object when the document has none, and then *found (when not
 * NULL) is 0. */
static json_object *
entry_of(const char *data, size_t len, const char *id, int phones_yml,
    int *found)
{
	const struct ynode *root, *v;
	json_object *o = NULL;
	struct ydoc doc;
	struct diag err;

	memset(&doc, 0, sizeof(doc));
	if (ydoc_load_string(&doc, data, len, &err) == 0 &&
	    (root = doc.root) != NULL) {
		if (phones_yml)
			root = ymap_get(root, "phones");
		if ((v = ymap_get(root, id)) != NULL)
			o = api_json_from_yaml(v);
	}
	ydoc_free(&doc);
	if (found != NULL)
		*found = o != NULL;
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		o = json_object_new_object();
	}
	return o;
}

/* The stored file of id: 0 with its bytes, entry and tag, 1 when there
 * is none, -1 with pb. */
static int
stored(struct app *app, const char *id, char **data, size_t *len,
    json_object **entry, char etag[DEVSTORE_ETAG_LEN], struct api_problem *pb)
{
	int rc = devstore_read(app->etc, id, data, len);

	*entry = NULL;
	if (rc < 0)
		return api_fail(pb, 500, "cannot read the device file: %s",
		    strerror(-rc));
	if (rc == 1)
		return 1;
	*entry = entry_of(*data, *len, id, 0, NULL);
	devstore_etag(*data, *len, etag);
	return 0;
}

/* ---- urls ---- */

const struct phone *
api_ops_device(const struct snapshot *s, const char *id)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph;

	ident_key(id, strlen(id), key);
	ph = snapshot_find(s, key);
	return ph != NULL && strcmp(ph->id, id) == 0 ? ph : NULL;
}

/* The names of the files a phone fetches that are its own. */
static json_object *
phone_files(const struct phone *ph)
{
	json_object *a = json_object_new_array();
	char name[256];

	if (ph->pack == NULL) {
		snprintf(name, sizeof(name), "%s.xml", ph->mac[0] ? ph->mac :
		    ph->id);
		json_object_array_add(a, json_object_new_string(name));
		return a;
	}
	for (size_t i = 0; i < ph->pack->n_files; i++) {
		const struct pack_file *pf = &ph->pack->files[i];
		if (pf->scope == SCOPE_PHONE && vendor_file_name(pf, ph,
		    ph->pmodel, name, sizeof(name)) == 0)
			json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

/* The URLs of a phone's own files, under base (app_api.c: links.base_url
 * or the request's server): plain, the token-link template, and the
 * personal link only when its key is given (at creation, on rotation). */
static json_object *
urls(const struct phone *ph, const char *base, const char *key)
{
	json_object *u = json_object_new_object(), *files, *plain, *tok, *p;
	char url[1024];

	plain = json_object_new_array();
	tok = json_object_new_array();
	p = key ? json_object_new_array() : NULL;
	files = ph ? phone_files(ph) : json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(files); i++) {
		const char *f = json_object_get_string(
		    json_object_array_get_idx(files, i));
		snprintf(url, sizeof(url), "%s/%s", base, f);
		json_object_array_add(plain, json_object_new_string(url));
		snprintf(url, sizeof(url), "%s/t/{token}/%s", base, f);
		json_object_array_add(tok, json_object_new_string(url));
		if (p == NULL)
			continue;
		snprintf(url, sizeof(url), "%s/p/%s/%s", base, key, f);
		json_object_array_add(p, json_object_new_string(url));
	}
	json_object_put(files);
	json_object_object_add(u, "plain", plain);
	json_object_object_add(u, "token", tok);
	if (p != NULL)
		json_object_object_add(u, "personal", p);
	return u;
}

/* The envelope of api_ops.h; entry is borrowed (masked in a copy). */
static json_object *
envelope(const char *id, json_object *entry, const char *etag,
    const char *source, const struct phone *ph, const char *base,
    const char *new_key)
{
	json_object *o = json_object_new_object(), *dev = NULL;

	json_object_deep_copy(entry, &dev, NULL);
	api_device_mask(dev);
	json_object_object_add(o, "id", json_object_new_string(id));
	json_object_object_add(o, "etag", etag ? json_object_new_string(etag)
	    : NULL);
	json_object_object_add(o, "source", json_object_new_string(source));
	json_object_object_add(o, "device", dev);
	json_object_object_add(o, "urls", urls(ph, base, new_key));
	if (new_key != NULL)
		json_object_object_add(o, "link_key",
		    json_object_new_string(new_key));
	return o;
}

/* ---- vendors ---- */

int
api_ops_vendors(struct app *app, json_object **out, struct api_problem *pb)
{
	const struct snapshot *s = current(app, pb);
	json_object *a;

	if (s == NULL)
		return -1;
	a = json_object_new_array();
	for (size_t i = 0; i < s->packs.n; i++) {
		const struct pack *p = &s->packs.packs[i];
		json_object *v = json_object_new_object();
		json_object_object_add(v, "name", json_object_new_string(
		    p->name));
		json_object_object_add(v, "description", json_object_new_string(
		    p->description ? p->description : ""));
		json_object_object_add(v, "models", json_object_new_int64(
		    (int64_t)p->n_models));
		json_object_array_add(a, v);
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "items", a);
	return 0;
}

int
api_ops_models(struct app *app, const char *vendor, json_object **out,
    struct api_problem *pb)
{
	const struct snapshot *s = current(app, pb);
	const struct pack *p;
	json_object *a;

	if (s == NULL)
		return -1;
	if ((p = packset_find(&s->packs, vendor)) == NULL)
		return api_fail(pb, 404, "no vendor pack of that name");
	a = json_object_new_array();
	for (size_t i = 0; i < p->n_models; i++) {
		const struct pack_model *m = &p->models[i];
		json_object *v = json_object_new_object(), *al;
		json_object_object_add(v, "name", json_object_new_string(
		    m->name));
		al = json_object_new_array();
		for (size_t j = 0; j < m->n_aliases; j++)
			json_object_array_add(al, json_object_new_string(
			    m->aliases[j]));
		json_object_object_add(v, "aliases", al);
		json_object_array_add(a, v);
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "vendor", json_object_new_string(p->name));
	json_object_object_add(*out, "items", a);
	return 0;
}

/* ---- listing ---- */

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(const struct phone *const *)a)->id,
	    (*(const struct phone *const *)b)->id);
}

static int
has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; hay != NULL && *hay != '\0'; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static int
matches(const struct phone *ph, const struct api_list_query *q,
    const char *mac)
{
	const char *vendor = ph->pack ? ph->pack->name : NULL;

	if (q->vendor && (vendor == NULL || strcmp(vendor, q->vendor) != 0))
		return 0;
	if (q->model && (ph->model == NULL || strcasecmp(ph->model,
	    q->model) != 0))
		return 0;
	if (mac && strcmp(ph->mac, mac) != 0)
		return 0;
	if (q->name && !has_ci(ph->id, q->name))
		return 0;
	if (q->q && !has_ci(ph->id, q->q) && !has_ci(ph->mac, q->q) &&
	    !has_ci(ph->model, q->q) && !has_ci(vendor, q->q))
		return 0;
	return 1;
}

static const char *
source_of(struct app *app, const char *id)
{
	char path[4300];

	snprintf(path, sizeof(path), "%s/" DEVSTORE_DIR "/%s.yml", app->etc,
	    id);
	return devstore_id_ok(id) && access(path, F_OK) == 0 ? "devices.d" :
	    "phones.yml";
}

static json_object *
list_item(struct app *app, const struct phone *ph, const char *base)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(ph->id));
	json_object_object_add(o, "kind", json_object_new_string(ph->pack ?
	    "device" : "flat-profile"));
	json_object_object_add(o, "vendor", ph->pack ?
	    json_object_new_string(ph->pack->name) : NULL);
	json_object_object_add(o, "model", ph->model ?
	    json_object_new_string(ph->model) : NULL);
	json_object_object_add(o, "mac", ph->mac[0] ?
	    json_object_new_string(ph->mac) : NULL);
	json_object_object_add(o, "source", json_object_new_string(
	    source_of(app, ph->id)));
	json_object_object_add(o, "urls", urls(ph, base, NULL));
	return o;
}

int
api_ops_list(struct app *app, const struct api_list_query *q,
    const char *base, json_object **out, struct api_problem *pb)
{
	const struct snapshot *s = current(app, pb);
	const struct phone **v;
	char mac[MAC_LEN + 1];
	size_t n = 0, total = 0, skip;
	long limit = q->limit > 0 ? q->limit : API_LIST_DEFAULT;
	json_object *items;
	const char *last = NULL;
	int more = 0;

	if (s == NULL)
		return -1;
	if (q->mac && mac_parse(q->mac, strlen(q->mac), mac) != MAC_OK)
		return api_fail(pb, 400, "mac is not a MAC address");
	if (limit > API_LIST_MAX)
		return api_fail(pb, 400, "limit is at most %d", API_LIST_MAX);
	v = xcalloc(s->n_phones ? s->n_phones : 1, sizeof(*v));
	for (size_t i = 0; i < s->n_phones; i++)
		if (matches(&s->phones[i], q, q->mac ? mac : NULL))
			v[n++] = &s->phones[i];
	qsort(v, n, sizeof(*v), by_id);
	total = n;
	skip = q->page > 0 ? (size_t)(q->page - 1) * (size_t)limit : 0;
	items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		if (q->page == 0 && q->cursor &&
		    strcmp(v[i]->id, q->cursor) <= 0)
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		if ((long)json_object_array_length(items) == limit) {
			more = 1;
			break;
		}
		json_object_array_add(items, list_item(app, v[i], base));
		last = v[i]->id;
	}
	*out = json_object_new_object();
	json_object_object_add(*out, "items", items);
	json_object_object_add(*out, "total", json_object_new_int64(
	    (int64_t)total));
	json_object_object_add(*out, "next_cursor", more && last ?
	    json_object_new_string(last) : NULL);
	free(v);
	return 0;
}

/* ---- one device ---- */

static int
bad_id(const char *id, struct api_problem *pb)
{
	if (devstore_id_ok(id))
		return 0;
	return api_fail(pb, 400, "a device id is 1 to %d of letters, digits, "
	    "_ . - starting with a letter or digit", DEVSTORE_ID_MAX);
}

/* A phones.yml phone, read-only here. */
static int
get_phones_yml(struct app *app, const struct phone *ph, const char *base,
    json_object **out, struct api_problem *pb)
{
	char path[4300], *data;
	size_t len;
	json_object *e;
	int found;

	snprintf(path, sizeof(path), "%s/phones.yml", app->etc);
	if (af_read_path(path, CONFIG_FILE_MAX, &data, &len) < 0)
		return api_fail(pb, 500, "cannot read phones.yml");
	e = entry_of(data, len, ph->id, 1, &found);
	free(data);
	/* A device whose devices.d file is gone while the running snapshot
	 * still has it (the reload comes within a second) is gone. */
	if (!found) {
		json_object_put(e);
		return api_fail(pb, 404, "no such device");
	}
	*out = envelope(ph->id, e, NULL, "phones.yml", ph, base, NULL);
	json_object_put(e);
	return 0;
}

int
api_ops_get(struct app *app, const char *id, const char *base,
    json_object **out, struct api_problem *pb)
{
	const struct snapshot *s = current(app, pb);
	char etag[DEVSTORE_ETAG_LEN], *data = NULL;
	const struct phone *ph;
	json_object *e;
	size_t len;
	int rc;

	if (s == NULL || bad_id(id, pb) < 0)
		return -1;
	ph = api_ops_device(s, id);
	rc = stored(app, id, &data, &len, &e, etag, pb);
	free(data);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return ph != NULL ? get_phones_yml(app, ph, base, out, pb) :
		    api_fail(pb, 404, "no such device");
	*out = envelope(id, e, etag, "devices.d", ph, base, NULL);
	json_object_put(e);
	return 0;
}

/* ---- the writers' session ---- */

/* A write not made yet (a batch writes after checking all). */
struct pending {
	char		*id;
	char		*yaml;
	size_t		 len;
	enum api_change	 ch;		/* the last write of id queued */
};

/* Writes under one hold of the writers' lock: one device for a PUT, a
 * whole file of them for `deskprov import`. */
struct api_batch {
	struct app		*app;
	const struct snapshot	*s;		/* borrowed from app->cs */
	int			 lock;
	/* Checks one entry against s and the files written since s was
	 * loaded; NULL when the files on disk do not load now, and then
	 * every entry is checked by loading everything with it
	 * (snapshot_load_override), so a write gets the loader's message
	 * about what is broken. */
	struct config_check	*chk;
	struct snapshot		*cand;		/* that whole load's, or NULL */
	int			 dry_run;
	int			 defer;		/* batch: write at the end */
	struct pending		*pend;
	size_t			 n_pend;
	json_object		*pend_ix;	/* id → index into pend */
};

/* Counts in b->chk the device files written since b->s was loaded (by
 * this process or another), which s may not have: those whose mtime or
 * ctime is not before the load began to read, less the kernel's timestamp
 * granularity (a clock tick; 20 ms is more than one at any HZ).  A file
 * that does not pass leaves b->chk NULL. */
static void
batch_recent(struct api_batch *b)
{
	struct timespec since = b->s->read_from;
	struct diag err;
	char rel[128], **ids, *data;
	size_t n, len;

	since.tv_nsec -= 20 * 1000 * 1000;
	if (since.tv_nsec < 0) {
		since.tv_nsec += 1000 * 1000 * 1000;
		since.tv_sec--;
	}
	n = devstore_changed_since(b->app->etc, &since, &ids);
	for (size_t i = 0; i < n; i++) {
		int rc = devstore_read(b->app->etc, ids[i], &data, &len);
		snprintf(rel, sizeof(rel), DEVSTORE_DIR "/%s.yml", ids[i]);
		if (rc == 0 && b->chk != NULL && config_check_device(b->chk,
		    rel, data, len, &err) == NULL) {
			config_check_free(b->chk);
			b->chk = NULL;
		}
		free(data);
		free(ids[i]);
	}
	free(ids);
}

const struct snapshot *
api_ops_batch_snapshot(const struct api_batch *b)
{
	return b->s;
}

static int
batch_begin(struct app *app, struct api_batch *b, int dry_run, int defer,
    struct api_problem *pb)
{
	memset(b, 0, sizeof(*b));
	b->app = app;
	b->lock = -1;
	b->dry_run = dry_run;
	b->defer = defer;
	if ((b->s = current(app, pb)) == NULL)
		return -1;
	if ((b->lock = devstore_lock(app->etc)) < 0)
		return api_fail(pb, 500, "cannot lock " DEVSTORE_DIR ": %s",
		    strerror(-b->lock));
	if (!app->cs.have_bad) {
		b->chk = config_check_new(b->s, app->etc);
		batch_recent(b);
	}
	b->pend_ix = json_object_new_object();
	return 0;
}

static void
batch_end(struct api_batch *b)
{
	if (!b->dry_run)
		config_state_extra_changed(&b->app->cs);
	for (size_t i = 0; i < b->n_pend; i++) {
		free(b->pend[i].id);
		free(b->pend[i].yaml);
	}
	free(b->pend);
	json_object_put(b->pend_ix);
	config_check_free(b->chk);
	snapshot_free(b->cand);
	devstore_unlock(b->lock);
}

/* The queued bytes of id, or NULL. */
static const struct pending *
batch_pending(const struct api_batch *b, const char *id)
{
	json_object *ix;

	if (!json_object_object_get_ex(b->pend_ix, id, &ix))
		return NULL;
	return &b->pend[json_object_get_int(ix)];
}

static void
batch_queue(struct api_batch *b, const char *id, struct buf *y,
    enum api_change ch)
{
	json_object *ix;
	struct pending *p;

	if (json_object_object_get_ex(b->pend_ix, id, &ix))
		p = &b->pend[json_object_get_int(ix)];
	else {
		b->pend = xrealloc(b->pend, (b->n_pend + 1) * sizeof(*b->pend));
		p = &b->pend[b->n_pend];
		p->id = xstrdup(id);
		json_object_object_add(b->pend_ix, id, json_object_new_int(
		    (int)b->n_pend++));
		p->yaml = NULL;
	}
	free(p->yaml);
	p->len = y->len;
	p->yaml = buf_detach(y);
	p->ch = ch;
}

static int
write_failed(int rc, struct api_problem *pb)
{
	return api_fail(pb, rc == -ENOSPC ? 507 : 500, "cannot write the "
	    "device file: %s", strerror(-rc));
}

/* ---- writes ---- */

/* 1 when an If-Match list names etag (strong comparison, RFC 9110
 * 13.1.1); "*" names any stored file. */
static int
if_match_has(const char *h, const char *etag)
{
	size_t n = strlen(etag);

	while (*h != '\0') {
		size_t len;
		h += strspn(h, " \t,");
		len = strcspn(h, ",");
		while (len > 0 && (h[len - 1] == ' ' || h[len - 1] == '\t'))
			len--;
		if ((len == 1 && *h == '*') || (len == n &&
		    memcmp(h, etag, n) == 0))
			return 1;
		h += len;
		h += strcspn(h, ",");
	}
	return 0;
}

/* The preconditions of a write; etag NULL when nothing is stored. */
static int
precondition(const char *if_match, int require, const char *etag,
    struct api_problem *pb)
{
	if (if_match != NULL && *if_match == '\0')
		if_match = NULL;
	if (if_match == NULL)
		return require && etag != NULL ? api_fail(pb, 428, "If-Match "
		    "is required: GET the device and send its ETag") : 0;
	if (etag == NULL || !if_match_has(if_match, etag))
		return api_fail(pb, 412, "the device has changed (or does "
		    "not exist): GET it again");
	return 0;
}

/* What is stored of one device during a write. */
struct wstate {
	char		*data;
	size_t		 len;
	json_object	*old;
	char		 etag[DEVSTORE_ETAG_LEN];
	int		 exists;
};

/* The loader's verdict on the file an entry would become (y): 0 with
 * *ph (the phone as loaded, borrowed from b), or -1 with pb: 409 for a
 * name, MAC or serial another phone has, else 422. */
static int
validate(struct api_batch *b, const char *id, const struct buf *y,
    const struct phone **ph, struct api_problem *pb)
{
	char rel[128], msg[DIAG_TEXT_MAX];
	struct config_override ov;
	struct diag err;

	snprintf(rel, sizeof(rel), DEVSTORE_DIR "/%s.yml", id);
	if (b->chk != NULL)
		*ph = config_check_device(b->chk, rel, y->data, y->len, &err);
	else {
		ov = (struct config_override){ .rel = rel, .data = y->data,
		    .len = y->len };
		snapshot_free(b->cand);
		b->cand = snapshot_load_override(b->app->etc,
		    b->app->schema_dir, &ov, &err);
		*ph = b->cand ? api_ops_device(b->cand, id) : NULL;
	}
	if (*ph != NULL)
		return 0;
	diag_format(&err, msg, sizeof(msg));
	return api_fail(pb, strstr(err.msg, "also identifies") ? 409 : 422,
	    "%s", msg);
}

/* Checks the entry with the loader, as the file it would become, and
 * writes it (or queues it, in a deferred batch); 1 (and nothing done)
 * when the file would not change.  0 with *ph (NULL when unchanged) and
 * the new tag, or -1 with pb. */
static int
commit(struct api_batch *b, const char *id, json_object *entry,
    const struct wstate *ws, const struct phone **ph,
    char etag[DEVSTORE_ETAG_LEN], struct api_problem *pb)
{
	struct buf y;
	int rc = 0;

	*ph = NULL;
	buf_init(&y);
	api_json_to_yaml(id, entry, &y);
	if (ws->exists && y.len == ws->len && memcmp(y.data, ws->data,
	    y.len) == 0) {
		/* Nothing changes: the running snapshot has it already. */
		memcpy(etag, ws->etag, DEVSTORE_ETAG_LEN);
		buf_free(&y);
		return 1;
	}
	if (y.len > DEVSTORE_FILE_MAX)
		rc = api_fail(pb, 413, "the device is larger than %d bytes "
		    "as YAML", DEVSTORE_FILE_MAX);
	else if ((rc = validate(b, id, &y, ph, pb)) == 0) {
		devstore_etag(y.data, y.len, etag);
		if (b->defer && b->chk != NULL)
			batch_queue(b, id, &y, ws->exists ? API_UPDATED :
			    API_CREATED);
		else if (!b->dry_run && (rc = devstore_write(b->app->etc, id,
		    y.data, y.len)) < 0)
			rc = write_failed(rc, pb);
	}
	buf_free(&y);
	return rc;
}

/* Keeps the stored key when the entry has none; a device without one
 * gets one.  Returns the key to show once (borrowed from entry), or
 * NULL; "" when no key could be made. */
static const char *
link_key(json_object *entry, json_object *old)
{
	json_object *k = NULL, *ok = NULL;
	char fresh[LINKS_KEY_LEN + 1];

	json_object_object_get_ex(entry, "link_key", &k);
	if (old != NULL)
		json_object_object_get_ex(old, "link_key", &ok);
	if (k == NULL && ok != NULL) {
		json_object_object_add(entry, "link_key", json_object_get(ok));
		return NULL;
	}
	if (k == NULL) {
		if (links_key_new(fresh) < 0)
			return "";
		k = json_object_new_string(fresh);
		json_object_object_add(entry, "link_key", k);
	}
	if (ok != NULL && json_object_equal(k, ok))
		return NULL;
	return json_object_get_string(k);
}

/* The entry a write asks for: the body, or the stored entry patched. */
static int
new_entry(const struct snapshot *s, const struct api_write *w,
    json_object *old, json_object **entry, struct api_problem *pb)
{
	json_object *src = w->body, *merged = NULL;
	int rc;

	if (w->patch) {
		if (old == NULL)
			return api_fail(pb, 404, "no such device to patch");
		if (!json_object_is_type(w->body, json_type_object))
			return api_fail(pb, 400, "a merge patch is a JSON "
			    "object");
		src = merged = api_json_merge_patch(old, w->body);
	}
	rc = api_device_from_body(src, s, entry, pb);
	json_object_put(merged);
	if (rc == 0 && api_device_keep_secrets(*entry, old, pb) < 0) {
		json_object_put(*entry);
		*entry = NULL;
		return -1;
	}
	return rc;
}

/* Reads what is stored of id (a batch's queued bytes first); -1 with pb,
 * also for an id of phones.yml. */
static int
wread(const struct api_batch *b, const char *id, struct wstate *ws,
    struct api_problem *pb)
{
	const struct pending *p;
	int rc;

	memset(ws, 0, sizeof(*ws));
	if (bad_id(id, pb) < 0)
		return -1;
	if ((p = batch_pending(b, id)) != NULL) {
		ws->data = xstrndup(p->yaml, p->len);
		ws->len = p->len;
		ws->old = entry_of(ws->data, ws->len, id, 0, NULL);
		devstore_etag(ws->data, ws->len, ws->etag);
		rc = 0;
	} else if ((rc = stored(b->app, id, &ws->data, &ws->len, &ws->old,
	    ws->etag, pb)) < 0)
		return -1;
	ws->exists = rc == 0;
	if (!ws->exists && api_ops_device(b->s, id) != NULL)
		return api_fail(pb, 409, "'%s' is defined in phones.yml, "
		    "which the API does not edit", id);
	return 0;
}

static void
wend(struct wstate *ws)
{
	free(ws->data);
	json_object_put(ws->old);
}

/* One PUT or PATCH inside a batch: 0 with *out (when out is not NULL)
 * and *ch, or -1 with pb. */
static int
batch_put(struct api_batch *b, const struct api_write *w, json_object **out,
    enum api_change *ch, struct api_problem *pb)
{
	const struct phone *ph;
	json_object *entry = NULL;
	char etag[DEVSTORE_ETAG_LEN];
	const char *key;
	struct wstate ws;
	int rc = -1;

	if (wread(b, w->id, &ws, pb) < 0 ||
	    precondition(w->if_match, w->require_match, ws.exists ? ws.etag :
	    NULL, pb) < 0 ||
	    new_entry(b->s, w, ws.old, &entry, pb) < 0)
		goto out;
	if ((key = link_key(entry, ws.old)) != NULL && *key == '\0') {
		api_fail(pb, 500, "no randomness for a link key");
		goto out;
	}
	if ((rc = commit(b, w->id, entry, &ws, &ph, etag, pb)) < 0)
		goto out;
	*ch = rc == 1 ? API_UNCHANGED : ws.exists ? API_UPDATED : API_CREATED;
	if (out != NULL)
		*out = envelope(w->id, entry, etag, "devices.d", ph ? ph :
		    api_ops_device(b->s, w->id), w->base, key);
	rc = 0;
out:
	json_object_put(entry);
	wend(&ws);
	return rc;
}

int
api_ops_put(struct app *app, const struct api_write *w, json_object **out,
    enum api_change *ch, struct api_problem *pb)
{
	struct api_batch b;
	int rc = -1;

	*out = NULL;
	if (batch_begin(app, &b, w->dry_run, 0, pb) == 0)
		rc = batch_put(&b, w, out, ch, pb);
	batch_end(&b);
	return rc;
}

/* The device a DELETE or key rotation needs: stored, matching if_match;
 * 0, or -1 with pb (404, 412, 428). */
static int
wexisting(const struct api_batch *b, const char *id, const char *if_match,
    int require_match, struct wstate *ws, struct api_problem *pb)
{
	if (wread(b, id, ws, pb) < 0)
		return -1;
	if (!ws->exists)
		return api_fail(pb, 404, "no such device");
	return precondition(if_match, require_match, ws->etag, pb);
}

int
api_ops_delete(struct app *app, const char *id, const char *if_match,
    int require_match, struct api_problem *pb)
{
	struct api_batch b;
	struct wstate ws;
	int rc = -1;

	memset(&ws, 0, sizeof(ws));
	if (batch_begin(app, &b, 0, 0, pb) < 0 ||
	    wexisting(&b, id, if_match, require_match, &ws, pb) < 0)
		goto out;
	if ((rc = devstore_remove(app->etc, id)) < 0)
		rc = api_fail(pb, 500, "cannot remove the device file: %s",
		    strerror(-rc));
out:
	wend(&ws);
	batch_end(&b);
	return rc;
}

int
api_ops_rotate_key(struct app *app, const char *id, const char *if_match,
    int require_match, const char *base, json_object **out,
    struct api_problem *pb)
{
	const struct phone *ph;
	char key[LINKS_KEY_LEN + 1], etag[DEVSTORE_ETAG_LEN];
	struct api_batch b;
	struct wstate ws;
	int rc = -1;

	*out = NULL;
	memset(&ws, 0, sizeof(ws));
	if (batch_begin(app, &b, 0, 0, pb) < 0 ||
	    wexisting(&b, id, if_match, require_match, &ws, pb) < 0)
		goto out;
	if (links_key_new(key) < 0) {
		api_fail(pb, 500, "no randomness for a link key");
		goto out;
	}
	json_object_object_add(ws.old, "link_key", json_object_new_string(key));
	if (commit(&b, id, ws.old, &ws, &ph, etag, pb) < 0)
		goto out;
	*out = envelope(id, ws.old, etag, "devices.d", ph, base, key);
	rc = 0;
out:
	wend(&ws);
	batch_end(&b);
	return rc;
}

/* ---- many at once ---- */

struct api_batch *
api_ops_batch_new(struct app *app, int dry_run, struct api_problem *pb)
{
	struct api_batch *b = xcalloc(1, sizeof(*b));

	if (batch_begin(app, b, dry_run, 1, pb) < 0) {
		batch_end(b);
		free(b);
		return NULL;
	}
	return b;
}

int
api_ops_batch_put(struct api_batch *b, const struct api_write *w,
    enum api_change *ch, struct api_problem *pb)
{
	return batch_put(b, w, NULL, ch, pb);
}

size_t
api_ops_batch_commit(struct api_batch *b, api_batch_failed_fn failed,
    void *ctx)
{
	struct devstore_file *f;
	struct api_problem pb;
	size_t n = 0;
	int *rc;

	if (b->dry_run || b->n_pend == 0)
		return 0;
	f = xcalloc(b->n_pend, sizeof(*f));
	rc = xcalloc(b->n_pend, sizeof(*rc));
	for (size_t i = 0; i < b->n_pend; i++)
		f[i] = (struct devstore_file){ b->pend[i].id, b->pend[i].yaml,
		    b->pend[i].len };
	if (devstore_write_many(b->app->etc, f, b->n_pend, rc) > 0)
		for (size_t i = 0; i < b->n_pend; i++) {
			if (rc[i] == 0)
				continue;
			api_problem_init(&pb);
			write_failed(rc[i], &pb);
			failed(ctx, b->pend[i].id, b->pend[i].ch, &pb);
			api_problem_free(&pb);
			n++;
		}
	free(f);
	free(rc);
	return n;
}

void
api_ops_batch_free(struct api_batch *b)
{
	if (b == NULL)
		return;
	batch_end(b);
	free(b);
}
