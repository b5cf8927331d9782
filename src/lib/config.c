#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "atomicfile.h"
#include "device.h"
#include "devstore.h"
#include "extrafiles.h"
#include "config.h"
#include "flatprofile.h"
#include "links.h"
#include "snapfile.h"
#include "text.h"
#include "yamltree.h"

static const char *const file_names[CF_COUNT] = {
	"phones.yml", "common.yml", "serviceconfig.yml", "firmware.yml",
	"comparison.yml", "devices.yml", "vendors.yml", "schema.yml"
};

/* Only these two must exist: without them there is nothing to serve, and
 * serving without common.yml would hand phones a blanked profile. */
static const int file_required[CF_COUNT] = { 1, 1, 0, 0, 0, 0, 0, 0 };

/* Keys of a phone entry that describe the phone and are never emitted. */
static const char *const meta_keys[] = {
	"mac", "ip_address", "serial_number", "description", "model",
	"location", "notes", "enabled", "link_key", "links", "sip_contact",
	NULL
};

/* Keys of a phone remembered from the phone before (key_seen()). */
#define KEY_MEMO	32

struct loader {
	struct snapshot		*snap;
	struct ydoc		 docs[CF_COUNT];
	int			 present[CF_COUNT];
	enum config_file	 cur;		/* file being checked */
	struct diag		*err;
	struct strmap		 names;		/* interned parameter names */
	/* Unknown parameter names already looked up: name -> the key it is
	 * one typo away from, or no_suggestion.  A fleet repeats its keys
	 * on every phone; the lookup is an edit distance to every known
	 * key, a fifth of a million phones' load when done per phone. */
	struct strmap		 suggested;
	uint64_t		 hash;		/* of the files' bytes so far */
	struct extra_files	 extra;		/* until the packs own them */
	const struct snapshot_opts *opts;	/* never NULL */
	/* Strings a parameter shares, in the arena: an image must hold
	 * every string its phones point to, never a literal of one
	 * executable. */
	const char		*empty;
	const char		*ua_words[3];	/* "na", "ro", "rw" */
	struct extra_files	 devs;		/* devices.d/<id>.yml */
	const char		*cur_name;	/* a devices.d file, or NULL */
	const struct config_override *ov;	/* or NULL */
	/* phones.yml's bytes, parsed last and as a stream (load_phones());
	 * phones_raw is ours to free (read here), NULL when borrowed. */
	const char		*phones_data;
	size_t			 phones_len;
	char			*phones_raw;
	/* The phones a streamed load has built, before they move into the
	 * arena in one array (their count is known only at the end). */
	struct phone		*vec;
	size_t			 n_vec, cap_vec;
	/* A phone's parameters while it loads (then copied, exactly). */
	struct param		*pbuf;
	size_t			 pbuf_cap;
	struct buf		 tagbuf;	/* flatprofile_hash_with() */
	/* The keys of the phone loaded last, by position (key_seen()). */
	struct key_memo {
		const char	*name;		/* interned, or a meta key */
		uint32_t	 len, slot;
		int		 meta;
	}			 memo[KEY_MEMO];
	/* Phones' strings packed in blocks of the arena (str_copy()), in a
	 * whole load only: a one-entry check would waste a block a call. */
	int			 pack_strings;
	char			*str_at;
	size_t			 str_left;
};

static int	phones_parse(struct loader *);

/* The name diagnostics give the file being checked. */
static const char *
cur_file(const struct loader *l)
{
	return l->cur_name != NULL ? l->cur_name : file_names[l->cur];
}

const char *
config_file_name(enum config_file f)
{
	return file_names[f];
}

void
config_paths(const char *etc, const char *schema_dir,
    char paths[CF_COUNT][4096])
{
	struct stat st;

	for (int i = 0; i < CF_COUNT; i++)
		snprintf(paths[i], 4096, "%s/%s", etc, file_names[i]);
	if (stat(paths[CF_SCHEMA], &st) < 0 && errno == ENOENT)
		snprintf(paths[CF_SCHEMA], 4096, "%s/schema.yml", schema_dir);
}

static int
fail(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A problem in the file being checked. */
static int
fail(struct loader *l, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(l->err, cur_file(l), line > 0 ? (unsigned)line : 0,
	    0, fmt, ap);
	va_end(ap);
	return -1;
}

static void
warn(struct loader *l, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Something that loads but is most likely a mistake: kept in the
 * snapshot, with the file being checked and the line. */
static void
warn(struct loader *l, int line, const char *fmt, ...)
{
	struct snapshot *s = l->snap;
	va_list ap;

	if (s->n_warnings++ >= SNAPSHOT_WARN_MAX)
		return;
	va_start(ap, fmt);
	diag_vset(&s->warnings[s->n_warnings - 1], cur_file(l),
	    line > 0 ? (unsigned)line : 0, 0, fmt, ap);
	va_end(ap);
}

size_t
snapshot_warnings_kept(const struct snapshot *s)
{
	return s->n_warnings < SNAPSHOT_WARN_MAX ? s->n_warnings :
	    SNAPSHOT_WARN_MAX;
}

/* A phone's strings, packed: an arena allocation is aligned for any
 * type (16 bytes), which a million phones' short strings (names, values,
 * index keys) paid in a tenth of the image.  Blocks of STR_BLOCK bytes
 * from the arena, filled byte by byte; a long string gets its own. */
#define STR_BLOCK	((size_t)64 << 10)

static char *
str_copy(struct loader *l, const char *s, size_t n)
{
	char *p;

	if (!l->pack_strings || n >= STR_BLOCK / 4)
		return arena_strndup(&l->snap->arena, s, n);
	if (l->str_left < n + 1) {
		l->str_at = arena_alloc(&l->snap->arena, STR_BLOCK);
		l->str_left = STR_BLOCK;
	}
	p = l->str_at;
	memcpy(p, s, n);
	p[n] = '\0';
	l->str_at += n + 1;
	l->str_left -= n + 1;
	return p;
}

static const char *
intern_name(struct loader *l, const char *s, size_t n)
{
	char *p = strmap_get(&l->names, s, n);

	if (p == NULL) {
		p = arena_strndup(&l->snap->arena, s, n);
		strmap_put(&l->names, p, n, p);
	}
	return p;
}

/* The value of one parameter: `Name: value` or `Name: {value: v, ua:
 * rw}`; its name is the caller's (load_param()). */
static int
load_param_value(struct loader *l, const struct ynode *key,
    const struct ynode *v, struct param *p)
{
	const struct ynode *val = v, *ua = NULL;
	const char *problem;

	if (v->kind == YN_MAP) {
		val = ymap_get(v, "value");
		ua = ymap_get(v, "ua");
		if (YMAP_N(v) != (size_t)(val != NULL) + (ua != NULL))
			return fail(l, v->line, "parameter '%.80s': only "
			    "'value' and 'ua' may be set", key->str);
		if (val == NULL)
			return fail(l, v->line, "parameter '%.80s' has no "
			    "value", key->str);
	}
	if (val->kind != YN_SCALAR)
		return fail(l, val->line, "parameter '%.80s' must have a "
		    "single value", key->str);
	if (val->len > PARAM_VALUE_MAX)
		return fail(l, val->line, "parameter '%.80s': value longer "
		    "than %d bytes", key->str, PARAM_VALUE_MAX);
	if ((problem = text_xml_value_problem(val->str, val->len)) != NULL)
		return fail(l, val->line, "parameter '%.80s' %s", key->str,
		    problem);
	if (ua != NULL && (ua->kind != YN_SCALAR ||
	    (strcmp(ua->str, "na") && strcmp(ua->str, "ro") &&
	    strcmp(ua->str, "rw"))))
		return fail(l, ua->line, "parameter '%.80s': ua must be na, "
		    "ro or rw", key->str);
	if (val->is_null) {
		p->value = l->empty;
		p->value_len = 0;
	} else {
		p->value = str_copy(l, val->str, val->len);
		p->value_len = (uint32_t)val->len;
	}
	p->ua = ua ? l->ua_words[ua->str[0] == 'n' ? 0 : ua->str[0] == 'r' &&
	    ua->str[1] == 'o' ? 1 : 2] : NULL;
	p->slot = SLOT_NONE;
	return 0;
}

/* Reads one parameter, name and value. */
static int
load_param(struct loader *l, const struct ynode *key, const struct ynode *v,
    struct param *p)
{
	if (!param_name_ok(key->str, key->len))
		return fail(l, key->line, "invalid parameter name %s "
		    "(letters, digits, _ . - only)", DIAG_Q(key->str));
	if (load_param_value(l, key, v, p) < 0)
		return -1;
	p->name = intern_name(l, key->str, key->len);
	p->name_len = (uint32_t)key->len;
	return 0;
}

/* The root of a file must be a mapping holding exactly the given key. */
static const struct ynode *
root_section(struct loader *l, enum config_file f, const char *key,
    int *rc)
{
	const struct ynode *root = l->docs[f].root, *sec;

	*rc = 0;
	l->cur = f;
	if (!l->present[f])
		return NULL;
	if (root == NULL || root->kind != YN_MAP) {
		*rc = fail(l, root ? root->line : 0, "expected a mapping "
		    "with '%s:' at the top", key);
		return NULL;
	}
	for (size_t i = 0; i < YMAP_N(root); i++)
		if (strcmp(YMAP_KEY(root, i)->str, key) != 0) {
			*rc = fail(l, YMAP_KEY(root, i)->line, "unknown key "
			    "%s at the top (expected '%s')",
			    DIAG_Q(YMAP_KEY(root, i)->str), key);
			return NULL;
		}
	sec = ymap_get(root, key);
	if (sec == NULL && file_required[f]) {
		*rc = fail(l, 0, "no '%s:' section", key);
		return NULL;
	}
	if (sec != NULL && !(sec->kind == YN_MAP ||
	    (sec->kind == YN_SCALAR && sec->is_null))) {
		*rc = fail(l, sec->line, "'%s' must be a mapping", key);
		return NULL;
	}
	return sec && sec->kind == YN_MAP ? sec : NULL;
}

static int
add_base(struct loader *l, const struct ynode *params, size_t max)
{
	struct snapshot *s = l->snap;

	for (size_t i = 0; params && i < YMAP_N(params); i++) {
		const struct ynode *k = YMAP_KEY(params, i);
		struct param *p = strmap_get(&s->base_slots, k->str, k->len);
		struct param tmp;

		if (load_param(l, k, YMAP_VAL(params, i), &tmp) < 0)
			return -1;
		if (p != NULL)
			continue;	/* common.yml already set it */
		if (s->n_base == max)
			return fail(l, k->line, "too many parameters");
		p = &s->base[s->n_base];
		*p = tmp;
		p->slot = (uint32_t)s->n_base++;
		strmap_put(&s->base_slots, p->name, p->name_len, p);
	}
	return 0;
}

/* Walks schema.xml_structure: nested element names, exactly one of which
 * holds 'DYNAMIC_PARAMS'.  Writes the document around the parameters. */
static int
walk_structure(struct loader *l, const struct ynode *m, int depth,
    struct buf *out, long *at)
{
	if (depth > 8)
		return fail(l, m->line, "xml_structure nested too deep");
	for (size_t i = 0; i < YMAP_N(m); i++) {
		const struct ynode *k = YMAP_KEY(m, i), *v = YMAP_VAL(m, i);

		if (!param_name_ok(k->str, k->len))
			return fail(l, k->line, "invalid element name %s",
			    DIAG_Q(k->str));
		buf_printf(out, "%*s<%s>", depth * 2, "", k->str);
		if (v->kind == YN_MAP) {
			buf_addc(out, '\n');
			if (walk_structure(l, v, depth + 1, out, at) < 0)
				return -1;
			buf_printf(out, "%*s", depth * 2, "");
		} else if (v->kind == YN_SCALAR &&
		    strcmp(v->str, "DYNAMIC_PARAMS") == 0) {
			if (*at >= 0)
				return fail(l, v->line, "DYNAMIC_PARAMS "
				    "appears twice");
			buf_addc(out, '\n');
			*at = (long)out->len;
			l->snap->param_indent = (depth + 1) * 2;
			buf_printf(out, "%*s", depth * 2, "");
		} else if (v->kind == YN_SCALAR) {
			if (text_xml_value_problem(v->str, v->len))
				return fail(l, v->line, "bad text in "
				    "xml_structure");
			buf_add_xml(out, v->str, v->len);
		} else
			return fail(l, v->line, "xml_structure holds element "
			    "names and DYNAMIC_PARAMS only");
		buf_printf(out, "</%s>\n", k->str);
	}
	return 0;
}

static int
load_structure(struct loader *l, const struct ynode *st)
{
	struct snapshot *s = l->snap;
	struct buf out;
	long at = -1;
	int rc = 0;

	buf_init(&out);
	buf_adds(&out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	if (st == NULL) {
		buf_adds(&out, "<flat-profile>\n");
		at = (long)out.len;
		buf_adds(&out, "</flat-profile>\n");
		s->param_indent = 2;
	} else if (st->kind != YN_MAP || YMAP_N(st) != 1)
		rc = fail(l, st->line, "xml_structure must have one root "
		    "element");
	else if ((rc = walk_structure(l, st, 0, &out, &at)) == 0 && at < 0)
		rc = fail(l, st->line, "xml_structure has no DYNAMIC_PARAMS");
	if (rc == 0) {
		s->head_len = (size_t)at;
		s->tail_len = out.len - (size_t)at;
		s->xml_head = arena_strndup(&s->arena, out.data, s->head_len);
		s->xml_tail = arena_strndup(&s->arena, out.data + at,
		    s->tail_len);
	}
	buf_free(&out);
	return rc;
}

/* common.yml may set parameters the schema lacks, but one a typo away
 * from a schema parameter ("Staton_Name") is most likely a mistake that
 * every phone would get. */
static void
check_common_keys(struct loader *l, const struct ynode *common,
    const struct ynode *params)
{
	l->cur = CF_COMMON;
	for (size_t i = 0; common && params && i < YMAP_N(common); i++) {
		const struct ynode *k = YMAP_KEY(common, i);
		struct text_suggest sg;

		if (ymap_get(params, k->str) != NULL)
			continue;
		text_suggest_init(&sg, k->str, k->len);
		for (size_t j = 0; j < YMAP_N(params); j++)
			text_suggest_offer(&sg, YMAP_KEY(params, j)->str);
		if (sg.best != NULL)
			warn(l, k->line, "parameter %s is not in schema.yml "
			    "(did you mean %s?)", DIAG_Q(k->str),
			    DIAG_Q(sg.best));
	}
	l->cur = CF_SCHEMA;
}

static int
load_common_and_schema(struct loader *l)
{
	struct snapshot *s = l->snap;
	const struct ynode *common, *schema, *params = NULL, *st = NULL;
	size_t max;
	int rc;

	common = root_section(l, CF_COMMON, "common", &rc);
	if (rc < 0)
		return -1;
	schema = root_section(l, CF_SCHEMA, "schema", &rc);
	if (rc < 0)
		return -1;
	if (schema != NULL) {
		for (size_t i = 0; i < YMAP_N(schema); i++) {
			const char *k = YMAP_KEY(schema, i)->str;
			if (strcmp(k, "flat_profile_params") &&
			    strcmp(k, "xml_structure"))
				return fail(l, YMAP_KEY(schema, i)->line,
				    "unknown key %s in schema", DIAG_Q(k));
		}
		params = ymap_get(schema, "flat_profile_params");
		st = ymap_get(schema, "xml_structure");
		if (params && params->kind != YN_MAP && !params->is_null)
			return fail(l, params->line,
			    "flat_profile_params must be a mapping");
		if (params && params->kind != YN_MAP)
			params = NULL;
	}
	max = (common ? YMAP_N(common) : 0) + (params ? YMAP_N(params) : 0);
	s->base = arena_calloc(&s->arena, max ? max : 1, sizeof(*s->base));
	strmap_init(&s->base_slots, max);
	l->cur = CF_COMMON;
	if (add_base(l, common, max) < 0)
		return -1;
	s->n_common = s->n_base;
	l->cur = CF_SCHEMA;
	s->n_schema = params ? YMAP_N(params) : 0;
	if (add_base(l, params, max) < 0)
		return -1;
	check_common_keys(l, common, params);
	return load_structure(l, st);
}

/* Renders the base list once; requests copy ranges of it. */
static void
render_base(struct snapshot *s)
{
	struct buf out;
	uint64_t h = HASH_SEED;

	buf_init(&out);
	s->base_off = arena_alloc(&s->arena, (s->n_base + 1) *
	    sizeof(*s->base_off));
	for (size_t i = 0; i < s->n_base; i++) {
		const struct param *p = &s->base[i];
		s->base_off[i] = (uint32_t)out.len;
		flatprofile_param_xml(&out, s->param_indent, p,
		    p->ua ? p->ua : s->svc.default_ua);
	}
	s->base_off[s->n_base] = (uint32_t)out.len;
	s->base_xml = arena_strndup(&s->arena, out.data ? out.data : "",
	    out.len);
	h = hash_bytes(h, s->xml_head, s->head_len);
	h = hash_bytes(h, s->base_xml, out.len);
	h = hash_bytes(h, s->xml_tail, s->tail_len);
	h = hash_bytes(h, s->svc.default_ua, strlen(s->svc.default_ua));
	s->base_hash = h;
	buf_free(&out);
}

static int
load_settings(struct loader *l)
{
	struct snapshot *s = l->snap;
	int rc;

	settings_defaults(&s->svc, &s->fw, &s->cmp);
	l->cur = CF_SERVICE;
	rc = service_settings_load(&s->svc, l->docs[CF_SERVICE].root,
	    &s->arena, l->err);
	if (rc == 0) {
		l->cur = CF_FIRMWARE;
		rc = firmware_settings_load(&s->fw, l->docs[CF_FIRMWARE].root,
		    &s->arena, l->err);
	}
	if (rc == 0) {
		l->cur = CF_COMPARISON;
		rc = comparison_settings_load(&s->cmp,
		    l->docs[CF_COMPARISON].root, &s->arena, l->err);
	}
	if (rc < 0)
		diag_set_file(l->err, file_names[l->cur]);
	return rc;
}

/* The meta key's own name (a string of meta_keys[]), or NULL. */
static const char *
meta_name(const char *key)
{
	for (int i = 0; meta_keys[i]; i++)
		if (strcmp(meta_keys[i], key) == 0)
			return meta_keys[i];
	return NULL;
}

static int
is_meta(const char *key)
{
	return meta_name(key) != NULL;
}

static int
load_phone_ips(struct loader *l, struct phone *ph, const struct ynode *v)
{
	const struct ynode *const *items = (const struct ynode *const *)&v;
	size_t n = 1;
	struct ipnet *nets;

	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind == YN_SEQ) {
		items = (const struct ynode *const *)v->items;
		n = v->len;
	}
	nets = arena_calloc(&l->snap->arena, n ? n : 1, sizeof(*nets));
	for (size_t i = 0; i < n; i++)
		if (items[i]->kind != YN_SCALAR ||
		    ipnet_parse(items[i]->str, &nets[i]) < 0)
			return fail(l, items[i]->line, "phone '%s': "
			    "ip_address is not an address or CIDR range",
			    ph->id);
	ph->nets = nets;
	ph->n_nets = (uint32_t)n;
	return 0;
}

/* "192.0.2.50", "192.0.2.50:5062", "2001:db8::5", "[2001:db8::5]:5062":
 * the host part and the port (default 5060); -1 when it has no shape. */
static int
split_contact(const char *s, size_t n, const char **host, size_t *hn,
    long *port)
{
	const char *p;
	char *end;

	*port = 5060;
	*host = s;
	*hn = n;
	if (n > 0 && s[0] == '[') {
		if ((p = memchr(s, ']', n)) == NULL)
			return -1;
		*host = s + 1;
		*hn = (size_t)(p - s - 1);
		p++;
	} else if ((p = memchr(s, ':', n)) != NULL &&
	    memchr(p + 1, ':', n - (size_t)(p + 1 - s)) == NULL)
		*hn = (size_t)(p - s);
	else
		return 0;
	if (p == s + n)
		return 0;
	if (*p != ':')
		return -1;
	*port = strtol(p + 1, &end, 10);
	return end == p + 1 || end != s + n ? -1 : 0;
}

/* sip_contact: where the phone takes SIP NOTIFYs (deskprov notify). */
static int
load_sip_contact(struct loader *l, struct phone *ph, const struct ynode *v)
{
	const char *host;
	size_t hn;
	long port;
	struct ipaddr a;

	if (split_contact(v->str, v->len, &host, &hn, &port) < 0 || hn == 0 ||
	    ipaddr_parse(host, hn, &a) < 0 || port < 1 || port > 65535)
		return fail(l, v->line, "phone '%s': sip_contact is not an "
		    "address with an optional :port", ph->id);
	ph->sip_addr = arena_strndup(&l->snap->arena, host, hn);
	ph->sip_port = (unsigned)port;
	return 0;
}

static int
load_phone_meta(struct loader *l, struct phone *ph, const char *key,
    const struct ynode *v)
{
	if (strcmp(key, "ip_address") == 0)
		return load_phone_ips(l, ph, v);
	if (links_is_phone_key(key)) {
		if (links_phone_parse(ph, key, v, &l->snap->arena, l->err) == 0)
			return 0;
		diag_set_file(l->err, file_names[l->cur]);
		return -1;
	}
	if (v->kind != YN_SCALAR)
		return fail(l, v->line, "phone '%s': %s must be a single value",
		    ph->id, key);
	if (strcmp(key, "mac") == 0 && !v->is_null) {
		if (mac_parse(v->str, v->len, ph->mac) != MAC_OK)
			return fail(l, v->line, "phone '%s': %s is not a "
			    "phone MAC address", ph->id, DIAG_Q(v->str));
	} else if (strcmp(key, "model") == 0 && !v->is_null) {
		if (text_line_problem(v->str, v->len) != NULL || v->len > 47)
			return fail(l, v->line, "phone '%s': model must be a "
			    "short line of text", ph->id);
		ph->model = str_copy(l, v->str, v->len);
	} else if (strcmp(key, "sip_contact") == 0 && !v->is_null) {
		if (load_sip_contact(l, ph, v) < 0)
			return -1;
	} else if (strcmp(key, "serial_number") == 0 && !v->is_null) {
		if (!ident_plausible(v->str, v->len))
			return fail(l, v->line, "phone '%s': serial_number may "
			    "hold only letters, digits and . _ - :", ph->id);
		ph->serial = str_copy(l, v->str, v->len);
	}
	return 0;
}

/* A Cisco phone's key that is neither a phone-entry key nor a known
 * parameter is sent to the phone as written, where a phone ignores it:
 * when it is one typo away from a key we know, say so.  Phone-entry keys
 * are offered first, so "ip_adress" is taken for ip_address. */
static const char no_suggestion[] = "";

static const char *
suggest_key(struct loader *l, const char *name, size_t n)
{
	const struct snapshot *s = l->snap;
	struct text_suggest sg;

	text_suggest_init(&sg, name, n);
	for (int i = 0; meta_keys[i] != NULL; i++)
		text_suggest_offer(&sg, meta_keys[i]);
	for (size_t i = 0; i < s->n_base; i++)
		text_suggest_offer(&sg, s->base[i].name);
	return sg.best != NULL ? sg.best : no_suggestion;
}

/* name is the parameter's interned name (intern_name()), which outlives
 * the memo. */
static void
check_phone_key(struct loader *l, const struct phone *ph,
    const struct ynode *k, const char *name)
{
	const char *best = strmap_get(&l->suggested, name, k->len);

	if (best == NULL) {
		best = suggest_key(l, name, k->len);
		strmap_put(&l->suggested, name, k->len, (void *)(uintptr_t)best);
	}
	if (best != no_suggestion)
		warn(l, k->line, "phone '%s': unknown key %s, sent to the "
		    "phone as a parameter (did you mean %s?)", ph->id,
		    DIAG_Q(k->str), DIAG_Q(best));
}

/* Orders a phone's parameters by base slot (extras last, in file order),
 * so that rendering is one pass over the base list. */
static void
sort_by_slot(struct param *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct param t = p[i];
		size_t j = i;
		while (j > 0 && p[j - 1].slot > t.slot) {
			p[j] = p[j - 1];
			j--;
		}
		p[j] = t;
	}
}

/* Appends ", name" to a list of valid names for a message, while it
 * fits; a name that is not a key name is left out (diag.h). */
static void
name_list_add(char *list, size_t size, const char *name)
{
	size_t n = strlen(list);

	if (!diag_key_ok(name, strlen(name)))
		return;
	if (n + strlen(name) + 7 >= size) {
		if (n + 6 < size && strcmp(list + n - 3, "...") != 0)
			snprintf(list + n, size - n, ", ...");
		return;
	}
	snprintf(list + n, size - n, "%s%s", n ? ", " : "", name);
}

/* A vendor with no pack: the closest pack name, and every pack. */
static int
unknown_vendor(struct loader *l, const struct phone *ph,
    const struct ynode *vendor)
{
	const struct packset *ps = &l->snap->packs;
	const char *word = vendor->kind == YN_SCALAR ? vendor->str : "";
	struct text_suggest sg;
	char list[120] = "";

	text_suggest_init(&sg, word, strlen(word));
	for (size_t i = 0; i < ps->n; i++) {
		text_suggest_offer(&sg, ps->packs[i].name);
		name_list_add(list, sizeof(list), ps->packs[i].name);
	}
	return fail(l, vendor->line, "phone '%s': no vendor pack %s%s%s%s; "
	    "the packs: %s", ph->id, DIAG_Q(word), sg.best ? " (did you "
	    "mean '" : "", sg.best ? sg.best : "", sg.best ? "'?)" : "",
	    list[0] ? list : "none (each is a directory of the schema "
	    "directory holding a pack.yml)");
}

/* A model the pack's catalogue does not have: the closest name or
 * alias, and the catalogue's models. */
static int
unknown_model(struct loader *l, const struct phone *ph,
    const struct ynode *model)
{
	const struct pack *p = ph->pack;
	struct text_suggest sg;
	char list[120] = "";

	text_suggest_init(&sg, model->str, model->len);
	for (size_t i = 0; i < p->n_models; i++) {
		text_suggest_offer(&sg, p->models[i].name);
		for (size_t j = 0; j < p->models[i].n_aliases; j++)
			text_suggest_offer(&sg, p->models[i].aliases[j]);
		name_list_add(list, sizeof(list), p->models[i].name);
	}
	return fail(l, model->line, "phone '%s': no model %s in the %s "
	    "catalogue%s%s%s; its models: %s (add others to "
	    "etc/vendors.yml)", ph->id, DIAG_Q(model->str), p->name,
	    sg.best ? " (did you mean '" : "", sg.best ? sg.best : "",
	    sg.best ? "'?)" : "", list[0] ? list : "none");
}

/* A phone described with the device model: its own keys, then every
 * other key checked against the device fields and kept as JSON. */
static int
load_device(struct loader *l, const struct ynode *v, struct phone *ph)
{
	const struct ynode *vendor = ymap_get(v, "vendor");
	const struct ynode *model = ymap_get(v, "model");
	json_object *layer;
	const char *text;

	for (size_t i = 0; i < YMAP_N(v); i++) {
		const char *k = YMAP_KEY(v, i)->str;
		if (is_meta(k) && strcmp(k, "model") != 0 &&
		    load_phone_meta(l, ph, k, YMAP_VAL(v, i)) < 0)
			return -1;
	}
	if (vendor->kind != YN_SCALAR || vendor->is_null ||
	    (ph->pack = packset_find(&l->snap->packs, vendor->str)) == NULL)
		return unknown_vendor(l, ph, vendor);
	if (model == NULL || model->kind != YN_SCALAR || model->is_null)
		return fail(l, v->line, "phone '%s': a device needs a model "
		    "of the %s catalogue", ph->id, ph->pack->name);
	if ((ph->pmodel = pack_find_model(ph->pack, model->str)) == NULL)
		return unknown_model(l, ph, model);
	ph->model = arena_strndup(&l->snap->arena, ph->pmodel->name,
	    strlen(ph->pmodel->name));
	if (ph->mac[0] == '\0')
		return fail(l, v->line, "phone '%s': a device needs its mac",
		    ph->id);
	if (device_layer_parse(v, 1, &layer, l->err) < 0) {
		diag_set_file(l->err, cur_file(l));
		diag_prefix(l->err, "phone '%s'", ph->id);
		return -1;
	}
	text = json_object_to_json_string_ext(layer, JSON_C_TO_STRING_PLAIN);
	ph->device = arena_strndup(&l->snap->arena, text, strlen(text));
	json_object_put(layer);
	l->snap->n_devices++;
	return 0;
}

/* What the i-th key k of a phone is, when the phone before had the same
 * key there (a fleet's phones mostly repeat their keys in one order):
 * a parameter's interned name and base slot, or that it is a meta key.
 * Otherwise a memo with no name, and meta set when k is a meta key. */
static const struct key_memo *
key_seen(struct loader *l, size_t i, const struct ynode *k)
{
	static const struct key_memo meta = { .meta = 1 }, none = { 0 };
	struct key_memo *m = i < KEY_MEMO ? &l->memo[i] : NULL;
	const char *name;

	if (m != NULL && m->name != NULL && m->len == k->len &&
	    memcmp(m->name, k->str, k->len) == 0)
		return m;
	if ((name = meta_name(k->str)) == NULL)
		return &none;
	if (m != NULL)
		*m = (struct key_memo){ .name = name,
		    .len = (uint32_t)strlen(name), .meta = 1 };
	return &meta;
}

/* Looks up the base slot of parameter p, just loaded as the i-th key,
 * and remembers both for the next phone.  Always 0. */
static int
key_learn(struct loader *l, size_t i, struct param *p)
{
	const struct param *base = strmap_get(&l->snap->base_slots, p->name,
	    p->name_len);

	p->slot = base != NULL ? base->slot : SLOT_NONE;
	if (i < KEY_MEMO)
		l->memo[i] = (struct key_memo){ .name = p->name,
		    .len = p->name_len, .slot = p->slot };
	return 0;
}

static int
load_phone(struct loader *l, const struct ynode *key, const struct ynode *v,
    struct phone *ph)
{
	struct snapshot *s = l->snap;
	struct param *params;
	size_t np = 0;

	if (!ident_plausible(key->str, key->len))
		return fail(l, key->line, "phone name %s may hold only "
		    "letters, digits and . _ - : (at most 64)",
		    DIAG_Q(key->str));
	ph->id = str_copy(l, key->str, key->len);
	ph->line = key->line;
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_MAP)
		return fail(l, v->line, "phone '%s' must be a mapping", ph->id);
	if (ymap_get(v, "vendor") != NULL)
		return load_device(l, v, ph);
	if (l->pbuf_cap < YMAP_N(v)) {
		l->pbuf_cap = YMAP_N(v);
		l->pbuf = xrealloc(l->pbuf, l->pbuf_cap * sizeof(*l->pbuf));
	}
	params = l->pbuf;
	for (size_t i = 0; i < YMAP_N(v); i++) {
		const struct ynode *k = YMAP_KEY(v, i);
		const struct key_memo *m = key_seen(l, i, k);

		if (m->meta) {
			if (load_phone_meta(l, ph, k->str, YMAP_VAL(v, i)) < 0)
				return -1;
			continue;
		}
		if (m->name != NULL) {
			if (load_param_value(l, k, YMAP_VAL(v, i),
			    &params[np]) < 0)
				return -1;
			params[np].name = m->name;
			params[np].name_len = m->len;
			params[np].slot = m->slot;
		} else if (load_param(l, k, YMAP_VAL(v, i), &params[np]) < 0 ||
		    key_learn(l, i, &params[np]) < 0)
			return -1;
		if (params[np].slot == SLOT_NONE)
			check_phone_key(l, ph, k, params[np].name);
		np++;
	}
	sort_by_slot(params, np);
	/* As many as it has: the meta keys take none. */
	ph->params = arena_alloc(&s->arena, (np ? np : 1) * sizeof(*params));
	if (np > 0)
		memcpy((struct param *)(uintptr_t)ph->params, params,
		    np * sizeof(*params));
	ph->n_params = (uint32_t)np;
	return 0;
}

/* Adds one lookup key; the same key on two phones is an error. */
static int
index_key(struct loader *l, struct phone *ph, const char *what,
    const char *ident)
{
	struct snapshot *s = l->snap;
	char key[IDENT_MAX + 1];
	const struct phone *other;
	char *k;

	ident_key(ident, strlen(ident), key);
	k = str_copy(l, key, strlen(key));
	other = strmap_put(&s->by_ident, k, strlen(k), ph);
	if (other != NULL && other != ph)
		return fail(l, ph->line, "phone '%s': %s '%s' also identifies "
		    "phone '%s' (line %d)", ph->id, what, ident, other->id,
		    other->line);
	return 0;
}

static void
index_fleet_ips(struct snapshot *s)
{
	size_t ranges = 0, hosts = 0;

	/* Sized for its hosts, so the table never grows in the arena. */
	for (size_t i = 0; i < s->n_phones; i++) {
		ranges += s->phones[i].n_nets;
		for (uint32_t j = 0; j < s->phones[i].n_nets; j++)
			hosts += s->phones[i].nets[j].prefix ==
			    (s->phones[i].nets[j].addr.family == 4 ? 32 : 128);
	}
	strmap_init_arena(&s->fleet_hosts, hosts, &s->arena);
	s->fleet_ranges.nets = arena_calloc(&s->arena, ranges ? ranges : 1,
	    sizeof(struct ipnet));
	for (size_t i = 0; i < s->n_phones; i++)
		for (uint32_t j = 0; j < s->phones[i].n_nets; j++) {
			const struct ipnet *n = &s->phones[i].nets[j];
			if (n->prefix == (n->addr.family == 4 ? 32 : 128))
				strmap_put(&s->fleet_hosts,
				    (const char *)&n->addr, sizeof(n->addr),
				    (void *)(uintptr_t)1);
			else
				s->fleet_ranges.nets[s->fleet_ranges.n++] = *n;
		}
}

static int
index_phone(struct loader *l, struct phone *ph)
{
	if (index_key(l, ph, "name", ph->id) < 0 ||
	    (ph->mac[0] && index_key(l, ph, "MAC", ph->mac) < 0) ||
	    (ph->serial && index_key(l, ph, "serial_number", ph->serial) < 0))
		return -1;
	return 0;
}

/* The entry of one devices.d/<id>.yml (rel, its relative name):
 * `<id>: {...}`, the key being the file's id.  Not indexed. */
static int
load_device_bytes(struct loader *l, const char *rel, const char *data,
    size_t len, struct phone *ph)
{
	const char *id = rel + sizeof(DEVSTORE_DIR);
	size_t idlen = strlen(id) - 4;
	const struct ynode *root;
	struct ydoc doc;
	int rc;

	l->cur_name = rel;
	memset(&doc, 0, sizeof(doc));
	if (ydoc_load_string(&doc, data, len, l->err) < 0) {
		diag_set_file(l->err, rel);
		ydoc_free(&doc);
		return -1;
	}
	root = doc.root;
	if (root == NULL || root->kind != YN_MAP || YMAP_N(root) != 1 ||
	    YMAP_KEY(root, 0)->len != idlen ||
	    strncmp(YMAP_KEY(root, 0)->str, id, idlen) != 0)
		rc = fail(l, root ? root->line : 0, "expected one phone entry "
		    "named like the file, '%.*s:'", (int)idlen, id);
	else
		rc = load_phone(l, YMAP_KEY(root, 0), YMAP_VAL(root, 0), ph);
	ydoc_free(&doc);
	return rc;
}

static int
load_device_file(struct loader *l, const struct extra_file *f,
    struct phone *ph)
{
	if (load_device_bytes(l, f->rel, f->data, f->len, ph) < 0)
		return -1;
	return index_phone(l, ph);
}

/* ---- the fleet page's orders ---- */

const char *
snapshot_vendor_name(const struct phone *ph)
{
	return ph->pack != NULL ? ph->pack->name : "cisco (flat)";
}

static const char *
order_text(const struct phone *ph, enum snapshot_order k)
{
	switch (k) {
	case SNAPSHOT_BY_MAC:
		return ph->mac;
	case SNAPSHOT_BY_VENDOR:
		return snapshot_vendor_name(ph);
	default:
		return ph->id;
	}
}

struct ranked {
	const char	*text;
	uint32_t	 i;
};

static int
ranked_cmp(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	int c = strcmp(a->text, b->text);

	return c != 0 ? c : (a->i > b->i) - (a->i < b->i);
}

/* pos[i] (n_phones of them): phone i's place in order k. */
static void
rank_by(const struct snapshot *s, enum snapshot_order k, uint32_t *pos)
{
	struct ranked *r = xcalloc(s->n_phones ? s->n_phones : 1, sizeof(*r));

	for (size_t i = 0; i < s->n_phones; i++) {
		r[i].text = order_text(&s->phones[i], k);
		r[i].i = (uint32_t)i;
	}
	qsort(r, s->n_phones, sizeof(*r), ranked_cmp);
	for (size_t j = 0; j < s->n_phones; j++)
		pos[r[j].i] = (uint32_t)j;
	free(r);
}

/* Sorting 100,000 names took a fleet page view 30 ms or more, in every
 * process after every change; done here, it is done once, by the
 * compile, and mapped by all. */
static void
rank_all(struct snapshot *s)
{
	for (int k = 0; k < SNAPSHOT_ORDERS; k++) {
		s->rank[k] = arena_calloc(&s->arena, s->n_phones ?
		    s->n_phones : 1, sizeof(*s->rank[k]));
		rank_by(s, (enum snapshot_order)k, s->rank[k]);
	}
}

static int
phones_tail(struct loader *l)
{
	struct snapshot *s = l->snap;

	l->cur_name = NULL;
	if (links_index(s, l->err) < 0)
		return -1;
	rank_all(s);
	/* Vendor files without secrets go to any phone of the fleet. */
	if (s->svc.ip_policy == IP_POLICY_FLEET || s->n_devices > 0)
		index_fleet_ips(s);
	return 0;
}

/* phones.yml from its whole tree, each phone indexed as it is loaded:
 * the problem it reports is the first in the file. */
static int
load_phones_tree(struct loader *l)
{
	struct snapshot *s = l->snap;
	const struct ynode *phones;
	size_t n_yml;
	int rc;

	phones = root_section(l, CF_PHONES, "phones", &rc);
	if (rc < 0)
		return -1;
	n_yml = phones ? YMAP_N(phones) : 0;
	s->n_phones = n_yml + l->devs.n;
	s->phones = arena_calloc(&s->arena, s->n_phones ? s->n_phones : 1,
	    sizeof(*s->phones));
	strmap_init_arena(&s->by_ident, s->n_phones * 3, &s->arena);
	l->cur = CF_PHONES;
	for (size_t i = 0; i < n_yml; i++) {
		struct phone *ph = &s->phones[i];
		if (load_phone(l, YMAP_KEY(phones, i), YMAP_VAL(phones, i),
		    ph) < 0 || index_phone(l, ph) < 0)
			return -1;
		if (ph->pack == NULL)
			ph->tag = flatprofile_hash(s, ph);
	}
	/* The API's devices, after phones.yml (devstore.h). */
	s->n_phones_yml = n_yml;
	for (size_t i = 0; i < l->devs.n; i++) {
		struct phone *ph = &s->phones[n_yml + i];
		if (load_device_file(l, &l->devs.v[i], ph) < 0)
			return -1;
		if (ph->pack == NULL)
			ph->tag = flatprofile_hash(s, ph);
	}
	return phones_tail(l);
}

/* The next phone of a streamed load, zeroed. */
static struct phone *
vec_next(struct loader *l)
{
	if (l->n_vec == l->cap_vec) {
		/* First sized from the file, at 200 bytes an entry (a phone
		 * of bench/gen-fleet takes 280): doubling from small copied
		 * the vector over and over, a tenth of a load's CPU. */
		l->cap_vec = l->cap_vec ? l->cap_vec * 2 :
		    1024 + l->phones_len / 200;
		l->vec = xrealloc(l->vec, l->cap_vec * sizeof(*l->vec));
		buf_advise_huge(l->vec, l->cap_vec * sizeof(*l->vec));
	}
	memset(&l->vec[l->n_vec], 0, sizeof(*l->vec));
	return &l->vec[l->n_vec];
}

/* One entry of phones.yml as the parser hands it over (yamltree.h). */
static int
phone_entry(void *ctx, const struct ynode *key, const struct ynode *v)
{
	struct loader *l = ctx;
	struct phone *ph = vec_next(l);

	if (load_phone(l, key, v, ph) < 0)
		return -1;
	if (ph->pack == NULL)
		ph->tag = flatprofile_hash_with(l->snap, ph, &l->tagbuf);
	l->n_vec++;
	return 0;
}

/* Indexes the phones of a streamed load, in file order: the keys a
 * phone has are compared with those before it only, as when each is
 * indexed after it is loaded.  Sized for the keys there are. */
static int
index_all(struct loader *l)
{
	struct snapshot *s = l->snap;
	size_t keys = 0;

	for (size_t i = 0; i < s->n_phones; i++)
		keys += 1 + (s->phones[i].mac[0] != '\0') +
		    (s->phones[i].serial != NULL);
	strmap_init_arena(&s->by_ident, keys, &s->arena);
	l->cur = CF_PHONES;
	for (size_t i = 0; i < s->n_phones; i++) {
		l->cur_name = i < s->n_phones_yml ? NULL :
		    l->devs.v[i - s->n_phones_yml].rel;
		if (index_phone(l, &s->phones[i]) < 0)
			return -1;
	}
	l->cur_name = NULL;
	return 0;
}

/* phones.yml as a stream of entries, each loaded as it ends and its tree
 * let go, then devices.d; the phones move into the arena in one array
 * and are indexed there.  1 for any problem: the caller then loads the
 * whole tree, which finds the first problem of the file in file order
 * (a duplicate name is a duplicate key there).  When nothing was
 * streamed (phones: is no mapping), the parse was the whole tree's: its
 * error is final (-1), or the tree loads as it is. */
static int
load_phones_stream(struct loader *l)
{
	struct snapshot *s = l->snap;
	int rc;

	l->cur = CF_PHONES;
	rc = ydoc_stream_string(&l->docs[CF_PHONES], l->phones_data,
	    l->phones_len, "phones", phone_entry, l, l->err);
	if (!l->docs[CF_PHONES].hollow && rc == 0)
		return load_phones_tree(l);
	if (!l->docs[CF_PHONES].hollow && rc == -1) {
		diag_set_file(l->err, file_names[CF_PHONES]);
		return -1;
	}
	if (rc != 0)
		return 1;
	(void)root_section(l, CF_PHONES, "phones", &rc);
	if (rc < 0)
		return 1;
	s->n_phones_yml = l->n_vec;
	for (size_t i = 0; i < l->devs.n; i++) {
		struct phone *ph = vec_next(l);
		if (load_device_bytes(l, l->devs.v[i].rel, l->devs.v[i].data,
		    l->devs.v[i].len, ph) < 0)
			return 1;
		if (ph->pack == NULL)
			ph->tag = flatprofile_hash(s, ph);
		l->n_vec++;
	}
	l->cur_name = NULL;
	s->n_phones = l->n_vec;
	s->phones = arena_calloc(&s->arena, s->n_phones ? s->n_phones : 1,
	    sizeof(*s->phones));
	if (s->n_phones > 0)
		memcpy(s->phones, l->vec, s->n_phones * sizeof(*s->phones));
	free(l->vec);
	l->vec = NULL;
	l->n_vec = l->cap_vec = 0;
	if (index_all(l) < 0 || phones_tail(l) < 0)
		return 1;
	return 0;
}

/* The phones: streamed, and from the whole tree when that fails (the
 * first problem, or a file the stream cannot take).  What a failed
 * stream left in the arena stays unused; its warnings and counts go. */
static int
load_phones(struct loader *l)
{
	struct snapshot *s = l->snap;
	size_t warnings = s->n_warnings, devices = s->n_devices;
	int rc;

	if (!l->present[CF_PHONES])
		return load_phones_tree(l);
	if ((rc = load_phones_stream(l)) <= 0)
		return rc;
	free(l->vec);
	l->vec = NULL;
	l->n_vec = l->cap_vec = 0;
	s->n_warnings = warnings;
	s->n_devices = devices;
	s->phones = NULL;
	s->n_phones = s->n_phones_yml = 0;
	strmap_free(&s->by_ident);
	strmap_free(&s->by_link_key);
	strmap_free(&s->fleet_hosts);
	memset(&s->fleet_ranges, 0, sizeof(s->fleet_ranges));
	l->cur_name = NULL;
	diag_clear(l->err);
	if (phones_parse(l) < 0)
		return -1;
	return load_phones_tree(l);
}

/* phones.yml's whole tree, as every other file's is read. */
static int
phones_parse(struct loader *l)
{
	ydoc_free(&l->docs[CF_PHONES]);
	if (ydoc_load_string(&l->docs[CF_PHONES], l->phones_data,
	    l->phones_len, l->err) < 0) {
		diag_set_file(l->err, file_names[CF_PHONES]);
		return -1;
	}
	return 0;
}

/* One file's part of a configuration's identity; NULL for an absent file. */
static uint64_t
hash_file(uint64_t h, const char *data, size_t len)
{
	uint64_t n = data ? (uint64_t)len : UINT64_MAX;

	h = hash_bytes(h, &n, sizeof(n));
	/* Word by word: phones.yml of a million phones is 280 MB, which
	 * FNV-1a byte by byte took a second of the compile to hash. */
	return data ? hash_words(h, data, len) : h;
}

static void	apply_override(struct extra_files *,
		    const struct config_override *);

/* The same from bytes already read (an image's embedded files, or what
 * the compiler read in one go). */
static int
read_src(struct loader *l, const struct config_files *src)
{
	l->hash = HASH_SEED;
	for (int f = 0; f < CF_COUNT; f++) {
		l->cur = (enum config_file)f;
		if (f == CF_PHONES && l->opts->no_phones)
			continue;
		if (src->data[f] == NULL) {
			if (file_required[f])
				return fail(l, 0, "missing from the config "
				    "directory");
			l->hash = hash_file(l->hash, NULL, 0);
			continue;
		}
		l->hash = hash_file(l->hash, src->data[f], src->len[f]);
		l->present[f] = 1;
		if (f == CF_PHONES) {
			l->phones_data = src->data[f];
			l->phones_len = src->len[f];
			continue;
		}
		if (ydoc_load_string(&l->docs[f], src->data[f], src->len[f],
		    l->err) < 0) {
			diag_set_file(l->err, file_names[f]);
			return -1;
		}
	}
	l->cur = CF_SCHEMA;
	if (extra_files_copy(&l->extra, &src->extra) < 0)
		return fail(l, 0, "out of memory");
	if (l->ov != NULL)
		apply_override(&l->extra, l->ov);
	l->hash = extra_files_hash(l->hash, &l->extra);
	extra_files_take_prefix(&l->extra, DEVSTORE_DIR "/", &l->devs);
	return 0;
}

static int
by_rel(const void *a, const void *b)
{
	return strcmp(((const struct extra_file *)a)->rel,
	    ((const struct extra_file *)b)->rel);
}

/* The candidate of a write: the file replaced, added or removed in the
 * list read from disk, so that the very loader checks it. */
static void
apply_override(struct extra_files *ef, const struct config_override *ov)
{
	struct extra_file *f = NULL;

	for (size_t i = 0; i < ef->n && f == NULL; i++)
		if (strcmp(ef->v[i].rel, ov->rel) == 0)
			f = &ef->v[i];
	if (f != NULL) {
		free(f->data);
		if (ov->data == NULL) {
			free(f->rel);
			*f = ef->v[--ef->n];
			qsort(ef->v, ef->n, sizeof(*ef->v), by_rel);
			return;
		}
	} else if (ov->data != NULL) {
		ef->v = xrealloc(ef->v, (ef->n + 1) * sizeof(*ef->v));
		f = &ef->v[ef->n++];
		f->rel = xstrdup(ov->rel);
	} else
		return;
	f->data = xstrndup(ov->data, ov->len);
	f->len = ov->len;
	qsort(ef->v, ef->n, sizeof(*ef->v), by_rel);
}

static int
read_files(struct loader *l, const char *etc, const char *schema_dir)
{
	char paths[CF_COUNT][4096];
	struct stat st;
	char *raw;
	size_t len;

	config_paths(etc, schema_dir, paths);
	l->hash = HASH_SEED;
	for (int f = 0; f < CF_COUNT; f++) {
		l->cur = (enum config_file)f;
		if (stat(paths[f], &st) < 0 && errno == ENOENT) {
			if (file_required[f])
				return fail(l, 0, "missing from the config "
				    "directory");
			l->hash = hash_file(l->hash, NULL, 0);
			continue;
		}
		if (f == CF_PHONES) {
			if (ydoc_read_file(paths[f], CONFIG_PHONES_MAX, l->err,
			    &l->phones_raw, &l->phones_len) < 0) {
				diag_set_file(l->err, file_names[f]);
				return -1;
			}
			l->phones_data = l->phones_raw;
			l->hash = hash_file(l->hash, l->phones_raw,
			    l->phones_len);
			l->present[f] = 1;
			continue;
		}
		if (ydoc_load_file_raw(&l->docs[f], paths[f], CONFIG_FILE_MAX,
		    l->err, &raw, &len) < 0) {
			diag_set_file(l->err, file_names[f]);
			return -1;
		}
		l->hash = hash_file(l->hash, raw, len);
		free(raw);
		l->present[f] = 1;
	}
	l->cur = CF_SCHEMA;
	if (extra_files_read(etc, schema_dir, &l->extra, l->err->msg,
	    sizeof(l->err->msg)) < 0) {
		diag_set_file(l->err, "packs");
		return -1;
	}
	if (l->ov != NULL)
		apply_override(&l->extra, l->ov);
	l->hash = extra_files_hash(l->hash, &l->extra);
	extra_files_take_prefix(&l->extra, DEVSTORE_DIR "/", &l->devs);
	return 0;
}

/* The vendor packs and templates, with etc/vendors.yml and
 * etc/devices.yml: before the phones, which name packs and models. */
static int
load_packs(struct loader *l)
{
	return packset_load(&l->snap->packs, &l->extra,
	    l->docs[CF_VENDORS].root, l->docs[CF_DEVICES].root, l->err);
}

/* Copies the pack tables (the packs, and each pack's models) to the
 * fixed address opts->pin, in pack order, so that a phone's pack and
 * pmodel pointers are the same in every process that loads the same
 * files there (snapfile.c); what the tables point to stays private. */
static int
pin_packs(struct loader *l)
{
	struct snapshot *s = l->snap;
	struct packset *ps = &s->packs;
	size_t need = ps->n * sizeof(*ps->packs), at;

	for (size_t i = 0; i < ps->n; i++)
		need += ps->packs[i].n_models * sizeof(struct pack_model);
	if (need > l->opts->pin_cap)
		return fail(l, 0, "the vendor packs' tables take %zu bytes, "
		    "more than the %zu a snapshot image has for them", need,
		    l->opts->pin_cap);
	s->pin = l->opts->pin;
	s->pin_cap = l->opts->pin_cap;
	if (ps->n > 0)
		memcpy(s->pin, ps->packs, ps->n * sizeof(*ps->packs));
	free(ps->packs);
	ps->packs = (struct pack *)(void *)s->pin;
	at = ps->n * sizeof(*ps->packs);
	for (size_t i = 0; i < ps->n; i++) {
		struct pack *p = &ps->packs[i];
		size_t n = p->n_models * sizeof(*p->models);
		if (n == 0)
			continue;
		memcpy(s->pin + at, p->models, n);
		free(p->models);
		p->models = (struct pack_model *)(void *)(s->pin + at);
		at += n;
	}
	s->pin_used = at;
	return 0;
}

/* The reverse, before packset_free(), which frees the tables. */
static void
unpin_packs(struct snapshot *s)
{
	struct packset *ps = &s->packs;
	struct pack *packs;

	if (s->pin == NULL || ps->packs != (struct pack *)(void *)s->pin)
		return;
	for (size_t i = 0; i < ps->n; i++) {
		struct pack *p = &ps->packs[i];
		struct pack_model *m;
		if (p->n_models == 0)
			continue;
		m = xcalloc(p->n_models, sizeof(*m));
		memcpy(m, p->models, p->n_models * sizeof(*m));
		p->models = m;
	}
	packs = xcalloc(ps->n + 1, sizeof(*packs));
	if (ps->n > 0)
		memcpy(packs, ps->packs, ps->n * sizeof(*packs));
	ps->packs = packs;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
config_files_free(struct config_files *files)
{
	for (int f = 0; f < CF_COUNT; f++) {
		free(files->data[f]);
		files->data[f] = NULL;
		files->len[f] = 0;
	}
	extra_files_free(&files->extra);
}

/* 1 when the file is absent, 0 with its bytes, -1 otherwise. */
static int
read_whole(const char *path, size_t max, char **out, size_t *len)
{
	int rc = af_read_path(path, max, out, len);

	return rc == -ENOENT ? 1 : rc < 0 ? -1 : 0;
}

int
config_files_read(const char *etc, const char *schema_dir,
    struct config_files *files, uint64_t *hash)
{
	char paths[CF_COUNT][4096], err[256];
	uint64_t h = HASH_SEED;

	memset(files, 0, sizeof(*files));
	config_paths(etc, schema_dir, paths);
	for (int f = 0; f < CF_COUNT; f++) {
		int rc = read_whole(paths[f], f == CF_PHONES ?
		    CONFIG_PHONES_MAX : CONFIG_FILE_MAX, &files->data[f],
		    &files->len[f]);
		if (rc < 0) {
			config_files_free(files);
			return -1;
		}
		if (hash != NULL)
			h = hash_file(h, files->data[f], files->len[f]);
	}
	if (extra_files_read(etc, schema_dir, &files->extra, err,
	    sizeof(err)) < 0) {
		config_files_free(files);
		return -1;
	}
	if (hash != NULL)
		*hash = extra_files_hash(h, &files->extra);
	return 0;
}

struct snapshot *
snapshot_load(const char *etc, const char *schema_dir,
    struct diag *err)
{
	static const struct snapshot_opts defaults;

	return snapshot_load_with(etc, schema_dir, &defaults, err);
}

struct snapshot *
snapshot_load_override(const char *etc, const char *schema_dir,
    const struct config_override *ov, struct diag *err)
{
	const struct snapshot_opts o = { .ov = ov };

	return snapshot_load_with(etc, schema_dir, &o, err);
}

struct snapshot *
snapshot_load_with(const char *etc, const char *schema_dir,
    const struct snapshot_opts *o, struct diag *err)
{
	struct loader l;
	struct snapshot *s = xcalloc(1, sizeof(*s));
	double t0 = now_seconds();
	int rc;

	memset(&l, 0, sizeof(l));
	diag_clear(err);
	l.snap = s;
	l.err = err;
	l.opts = o;
	l.ov = o->ov;
	l.pack_strings = 1;
	if (o->region != NULL)
		arena_init_region(&s->arena, o->region, o->region_cap);
	else
		arena_init(&s->arena);
	l.empty = arena_strndup(&s->arena, "", 0);
	l.ua_words[0] = arena_strndup(&s->arena, "na", 2);
	l.ua_words[1] = arena_strndup(&s->arena, "ro", 2);
	l.ua_words[2] = arena_strndup(&s->arena, "rw", 2);
	strmap_init(&l.names, 1024);
	clock_gettime(CLOCK_REALTIME, &s->read_from);
	strmap_init(&l.suggested, 64);
	rc = o->src ? read_src(&l, o->src) : read_files(&l, etc, schema_dir);
	if (rc == 0)
		rc = load_settings(&l);
	if (rc == 0)
		rc = load_common_and_schema(&l);
	if (rc == 0)
		rc = load_packs(&l);
	if (rc == 0 && o->pin != NULL)
		rc = pin_packs(&l);
	if (rc == 0) {
		render_base(s);
		rc = o->no_phones ? 0 : load_phones(&l);
	} else if (l.phones_data != NULL) {
		/* phones.yml is read first: a syntax error in it is the first
		 * problem, before any of a later stage. */
		struct diag first;
		l.err = &first;
		if (phones_parse(&l) < 0)
			*err = first;
		l.err = err;
	}
	for (int f = 0; f < CF_COUNT; f++)
		ydoc_free(&l.docs[f]);
	free(l.phones_raw);
	free(l.vec);
	free(l.pbuf);
	buf_free(&l.tagbuf);
	extra_files_free(&l.extra);
	extra_files_free(&l.devs);
	strmap_free(&l.names);
	strmap_free(&l.suggested);
	if (rc == 0)
		s->source_hash = l.hash;
	if (rc < 0) {
		snapshot_free(s);
		return NULL;
	}
	s->loaded_at = time(NULL);
	s->load_seconds = now_seconds() - t0;
	return s;
}

void
snapshot_free(struct snapshot *s)
{
	if (s == NULL)
		return;
	/* An image's indexes live in the image. */
	if (s->image == NULL) {
		strmap_free(&s->by_ident);
		strmap_free(&s->by_link_key);
		strmap_free(&s->fleet_hosts);
	}
	strmap_free(&s->base_slots);
	unpin_packs(s);
	packset_free(&s->packs);
	arena_free(&s->arena);
	snapfile_unmap(s->image);
	free(s);
}

const struct phone *
snapshot_find(const struct snapshot *s, const char *key)
{
	return strmap_get(&s->by_ident, key, strlen(key));
}

const struct phone *
snapshot_find_mac(const struct snapshot *s, const char *mac)
{
	const struct phone *p = snapshot_find(s, mac);

	/* The key space is shared with names: make sure it is the MAC. */
	return p != NULL && strcmp(p->mac, mac) == 0 ? p : NULL;
}

/* ---- one entry at a time (config.h: config_check) ---- */

struct config_check {
	const struct snapshot	*base;
	char			*etc;
	/* Where the entries checked so far live: its own arena, and the
	 * base's packs and base list, borrowed (never freed from here). */
	struct snapshot		 scratch;
	struct strmap		 names;
	struct strmap		 keys;		/* lookup key → struct phone ** */
	struct strmap		 latest;	/* id → struct phone ** (newest) */
};

struct config_check *
config_check_new(const struct snapshot *base, const char *etc)
{
	struct config_check *c = xcalloc(1, sizeof(*c));

	c->base = base;
	c->etc = xstrdup(etc);
	arena_init(&c->scratch.arena);
	c->scratch.packs = base->packs;
	c->scratch.base = base->base;
	c->scratch.n_base = base->n_base;
	c->scratch.base_slots = base->base_slots;
	c->scratch.svc = base->svc;
	strmap_init(&c->names, 64);
	strmap_init(&c->keys, 64);
	strmap_init(&c->latest, 16);
	return c;
}

void
config_check_free(struct config_check *c)
{
	if (c == NULL)
		return;
	strmap_free(&c->names);
	strmap_free(&c->keys);
	strmap_free(&c->latest);
	arena_free(&c->scratch.arena);
	free(c->etc);
	free(c);
}

/* 1 when a phone of the base still counts: no entry checked here replaces
 * it, and a devices.d phone's file is still there (a removal since the
 * base was loaded is not in it). */
static int
base_phone_counts(const struct config_check *c, const struct phone *ph)
{
	char path[4400];

	if (strmap_get(&c->latest, ph->id, strlen(ph->id)) != NULL)
		return 0;
	if ((size_t)(ph - c->base->phones) < c->base->n_phones_yml)
		return 1;
	snprintf(path, sizeof(path), "%s/" DEVSTORE_DIR "/%s.yml", c->etc,
	    ph->id);
	return access(path, F_OK) == 0;
}

/* The phone other than ph that key identifies now, or NULL: an entry
 * checked here (while it is the newest of its id), else the base's. */
static const struct phone *
key_owner(const struct config_check *c, const struct phone *ph,
    const char *key, size_t len, const struct phone *in_base)
{
	const struct phone **cell = strmap_get(&c->keys, key, len), **newest;
	const struct phone *o = cell ? *cell : NULL;

	if (o != NULL && strcmp(o->id, ph->id) != 0 &&
	    (newest = strmap_get(&c->latest, o->id, strlen(o->id))) != NULL &&
	    *newest == o)
		return o;
	if (in_base != NULL && strcmp(in_base->id, ph->id) != 0 &&
	    base_phone_counts(c, in_base))
		return in_base;
	return NULL;
}

/* The lookup keys of ph (name, MAC, serial; then its link key's digest
 * behind a byte no name has), as index_phone() and links_index() make
 * them, into out[] (arena strings); returns how many. */
static size_t
phone_keys(struct config_check *c, const struct phone *ph,
    const char *out[4], size_t len[4], const char *what[4])
{
	const char *idents[3] = { ph->id, ph->mac[0] ? ph->mac : NULL,
	    ph->serial };
	static const char *const names[3] = { "name", "MAC", "serial_number" };
	char key[IDENT_MAX + 1];
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		if (idents[i] == NULL)
			continue;
		ident_key(idents[i], strlen(idents[i]), key);
		len[n] = strlen(key);
		what[n] = names[i];
		out[n] = arena_strndup(&c->scratch.arena, key, len[n]);
		n++;
	}
	if (ph->rules.link_key != NULL) {
		unsigned char *d = arena_alloc(&c->scratch.arena, 33);
		d[0] = 1;
		links_sha256(ph->rules.link_key, LINKS_KEY_LEN, d + 1);
		out[n] = (const char *)d;
		len[n] = 33;
		what[n++] = "link_key";
	}
	return n;
}

/* The base's phone for the i-th key of phone_keys(). */
static const struct phone *
base_lookup(const struct config_check *c, const struct phone *ph,
    const char *what, const char *key)
{
	if (strcmp(what, "link_key") == 0)
		return links_find_key(c->base, ph->rules.link_key,
		    LINKS_KEY_LEN);
	return snapshot_find(c->base, key);
}

/* The checks of index_phone() and links_index(), with their messages. */
static int
check_keys(struct config_check *c, struct loader *l, const struct phone *ph,
    const char *keys[4], const size_t len[4], const char *what[4], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct phone *o = key_owner(c, ph, keys[i], len[i],
		    base_lookup(c, ph, what[i], keys[i]));
		const char *ident = i == 0 ? ph->id : strcmp(what[i], "MAC") ==
		    0 ? ph->mac : ph->serial;

		if (o == NULL)
			continue;
		if (strcmp(what[i], "link_key") == 0)
			return fail(l, ph->line, "phone '%s': link_key is "
			    "another phone's too", ph->id);
		return fail(l, ph->line, "phone '%s': %s '%s' also identifies "
		    "phone '%s' (line %d)", ph->id, what[i], ident, o->id,
		    o->line);
	}
	return 0;
}

/* Counts ph's keys for the entries checked after it. */
static void
add_keys(struct config_check *c, struct phone *ph, const char *keys[4],
    const size_t len[4], size_t n)
{
	struct phone **prev = strmap_get(&c->latest, ph->id, strlen(ph->id));

	if (prev != NULL)
		*prev = ph;
	else {
		prev = arena_alloc(&c->scratch.arena, sizeof(*prev));
		*prev = ph;
		strmap_put(&c->latest, ph->id, strlen(ph->id), prev);
	}
	for (size_t i = 0; i < n; i++) {
		const struct phone **cell = strmap_get(&c->keys, keys[i],
		    len[i]);
		if (cell == NULL) {
			cell = arena_alloc(&c->scratch.arena, sizeof(*cell));
			strmap_put(&c->keys, keys[i], len[i], cell);
		}
		*cell = ph;
	}
}

const struct phone *
config_check_device(struct config_check *c, const char *rel,
    const char *data, size_t len, struct diag *err)
{
	struct loader l;
	struct phone *ph = arena_calloc(&c->scratch.arena, 1, sizeof(*ph));
	const char *keys[4], *what[4];
	size_t klen[4], n;
	int rc;

	memset(&l, 0, sizeof(l));
	diag_clear(err);
	l.snap = &c->scratch;
	l.err = err;
	l.names = c->names;
	rc = load_device_bytes(&l, rel, data, len, ph);
	c->names = l.names;
	free(l.pbuf);
	buf_free(&l.tagbuf);
	if (rc < 0)
		return NULL;
	n = phone_keys(c, ph, keys, klen, what);
	if (check_keys(c, &l, ph, keys, klen, what, n) < 0)
		return NULL;
	add_keys(c, ph, keys, klen, n);
	return ph;
}
