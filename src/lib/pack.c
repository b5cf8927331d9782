#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "device.h"
#include "pack.h"
#include "text.h"

#define PACK_FILES_MAX	64
#define PACK_MODELS_MAX	1024
#define PACK_UAS_MAX	32

/* A problem at a node of one of the pack files. */
static int
fail(struct diag *e, const char *file, const struct ynode *n,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct diag *e, const char *file, const struct ynode *n,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(e, file, n && n->line > 0 ? (unsigned)n->line : 0, 0, fmt,
	    ap);
	va_end(ap);
	return -1;
}

/* The text of a scalar, or NULL for anything else (null included). */
static const char *
scalar(const struct ynode *n)
{
	return n && n->kind == YN_SCALAR && !n->is_null ? n->str : NULL;
}

/* Scalars become strings, mappings objects, lists arrays: catalogue data
 * and lookup tables as templates will see them.  Every scalar must be one
 * line of text, as device values are, since templates copy these into
 * files too; the first that is not is left in *bad.  Aliases are copied
 * in full here: ydoc_load_string() has bounded what that can cost. */
static json_object *
tree_json(const struct ynode *n, const struct ynode **bad)
{
	json_object *o;

	if (n == NULL || (n->kind == YN_SCALAR && n->is_null) || *bad)
		return NULL;
	if (n->kind == YN_SCALAR) {
		if (text_line_problem(n->str, n->len) != NULL) {
			*bad = n;
			return NULL;
		}
		return json_object_new_string_len(n->str, (int)n->len);
	}
	if (n->kind == YN_SEQ) {
		o = json_object_new_array();
		for (size_t i = 0; i < n->len; i++)
			json_object_array_add(o, tree_json(n->items[i], bad));
		return o;
	}
	o = json_object_new_object();
	for (size_t i = 0; i < YMAP_N(n); i++)
		json_object_object_add(o, YMAP_KEY(n, i)->str,
		    tree_json(YMAP_VAL(n, i), bad));
	return o;
}

/* tree_json() for a file's data, with the error of a value that is not
 * one line of text. */
static int
tree_json_checked(const struct ynode *n, const char *file, json_object **out,
    struct diag *e)
{
	const struct ynode *bad = NULL;
	const char *problem;

	*out = tree_json(n, &bad);
	if (bad == NULL)
		return 0;
	problem = text_line_problem(bad->str, bad->len);
	json_object_put(*out);
	*out = NULL;
	return fail(e, file, bad, "a value %s; values are one line of text",
	    problem);
}

static int
template_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 100 && s[0] != '.' && strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.-") == n;
}

/* Placeholders a pattern may hold; anything else in braces is an error. */
static const char *const placeholders[] = {
	"{mac}", "{MAC}", "{model}", "{model_lc}", "{file_id}", NULL
};

static int
pattern_ok(const char *p, int *has_mac, int *has_model)
{
	size_t n = strlen(p);

	*has_mac = *has_model = 0;
	if (n == 0 || n > 128 || strchr(p, '/') != NULL || p[0] == '.')
		return 0;
	for (const char *c = p; *c; c++) {
		int i;
		if ((unsigned char)*c <= ' ' || *c == '}' || *c == '%' ||
		    *c == '?' || *c == '#' || *c == '\\')
			return 0;
		if (*c != '{')
			continue;
		for (i = 0; placeholders[i] != NULL; i++)
			if (strncmp(c, placeholders[i],
			    strlen(placeholders[i])) == 0)
				break;
		if (placeholders[i] == NULL)
			return 0;
		if (i < 2)
			(*has_mac)++;
		else
			(*has_model)++;
		c += strlen(placeholders[i]) - 1;
	}
	return *has_mac <= 1 && *has_model <= 1;
}

static int
parse_scope(const char *s, enum file_scope *out)
{
	static const char *const names[] = { "phone", "model", "common" };

	for (int i = 0; i < 3; i++)
		if (s != NULL && strcmp(s, names[i]) == 0) {
			*out = (enum file_scope)i;
			return 0;
		}
	return -1;
}

static int
parse_bool(const char *s, int *out)
{
	if (s == NULL)
		return -1;
	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		*out = 1;
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Keys allowed in each kind of entry. */
static int
only_keys(const struct ynode *map, const char *const *keys,
    struct diag *e, const char *file, const char *what)
{
	for (size_t i = 0; i < YMAP_N(map); i++) {
		const char *k = YMAP_KEY(map, i)->str;
		size_t j;
		for (j = 0; keys[j] != NULL; j++)
			if (strcmp(keys[j], k) == 0)
				break;
		if (keys[j] == NULL)
			return fail(e, file, YMAP_KEY(map, i), "%s: unknown "
			    "key %s", what, DIAG_Q(k));
	}
	return 0;
}

static int
parse_file(struct pack *p, const struct ynode *n, const char *file,
    struct pack_file *f, struct diag *e)
{
	static const char *const keys[] = { "name", "template", "scope",
	    "secrets", "syntax", "content_type", NULL };
	const char *name, *tpl, *v;
	int has_mac, has_model;

	memset(f, 0, sizeof(*f));
	if (n->kind != YN_MAP)
		return fail(e, file, n, "a file entry must be a mapping");
	if (only_keys(n, keys, e, file, "file entry") < 0)
		return -1;
	name = scalar(ymap_get(n, "name"));
	tpl = scalar(ymap_get(n, "template"));
	if (name == NULL || !pattern_ok(name, &has_mac, &has_model))
		return fail(e, file, n, "file name pattern missing or invalid "
		    "(one path segment; placeholders {mac} {MAC} {model} "
		    "{model_lc} {file_id})");
	if (tpl == NULL || !template_name_ok(tpl))
		return fail(e, file, n, "file '%s': template missing or not a "
		    "name", name);
	if (parse_scope(scalar(ymap_get(n, "scope")), &f->scope) < 0)
		return fail(e, file, n, "file '%s': scope must be phone, model "
		    "or common", name);
	if ((f->scope == SCOPE_PHONE) != (has_mac == 1) ||
	    (f->scope == SCOPE_MODEL && has_model != 1) ||
	    (f->scope == SCOPE_COMMON && has_model))
		return fail(e, file, n, "file '%s': a phone file names {mac} "
		    "or {MAC}, a model file {model} or {file_id}, a common "
		    "file neither", name);
	f->secrets = f->scope == SCOPE_PHONE;
	if ((v = scalar(ymap_get(n, "secrets"))) != NULL &&
	    parse_bool(v, &f->secrets) < 0)
		return fail(e, file, n, "file '%s': secrets must be true or "
		    "false", name);
	if (f->secrets && f->scope != SCOPE_PHONE)
		return fail(e, file, n, "file '%s': only a phone's own file "
		    "may carry secrets", name);
	f->syntax = p->syntax;
	if ((v = scalar(ymap_get(n, "syntax"))) != NULL &&
	    file_syntax_parse(v, &f->syntax) < 0)
		return fail(e, file, n, "file '%s': unknown syntax %s",
		    name, DIAG_Q(v));
	v = scalar(ymap_get(n, "content_type"));
	f->content_type = xstrdup(v ? v : p->content_type);
	f->pattern = xstrdup(name);
	f->tpl = xstrdup(tpl);
	f->head_len = strcspn(f->pattern, "{");
	f->tail = strrchr(f->pattern, '}');
	f->tail = f->tail != NULL ? f->tail + 1 : f->pattern + strlen(f->pattern);
	return 0;
}

static int
add_files(struct pack *p, const struct ynode *seq, const char *file,
    struct diag *e)
{
	if (seq == NULL)
		return 0;
	if (seq->kind != YN_SEQ)
		return fail(e, file, seq, "files must be a list");
	if (p->n_files + seq->len > PACK_FILES_MAX)
		return fail(e, file, seq, "more than %d files", PACK_FILES_MAX);
	p->files = xrealloc(p->files, (p->n_files + seq->len + 1) *
	    sizeof(*p->files));
	for (size_t i = 0; i < seq->len; i++) {
		if (parse_file(p, seq->items[i], file, &p->files[p->n_files],
		    e) < 0)
			return -1;
		p->n_files++;
	}
	return 0;
}

static void
free_model(struct pack_model *m)
{
	free(m->name);
	free(m->file_id);
	for (size_t i = 0; i < m->n_aliases; i++)
		free(m->aliases[i]);
	free(m->aliases);
	json_object_put(m->info);
	memset(m, 0, sizeof(*m));
}

static int
model_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 47)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && strchr(" _.-+()", s[i]) ==
		    NULL)
			return 0;
	return 1;
}

static int
parse_model(const struct ynode *k, const struct ynode *v, const char *file,
    struct pack_model *m, struct diag *e)
{
	const struct ynode *al = v ? ymap_get(v, "aliases") : NULL;
	const char *fid;

	memset(m, 0, sizeof(*m));
	if (!model_name_ok(k->str))
		return fail(e, file, k, "model name %s: letters, digits, "
		    "spaces and _ . - + ( ) only", DIAG_Q(k->str));
	if (v != NULL && v->kind != YN_MAP && !(v->kind == YN_SCALAR &&
	    v->is_null))
		return fail(e, file, v, "model '%s' must be a mapping", k->str);
	m->name = xstrdup(k->str);
	if (v == NULL || v->kind != YN_MAP)
		m->info = json_object_new_object();
	else if (tree_json_checked(v, file, &m->info, e) < 0)
		return -1;
	json_object_object_del(m->info, "aliases");
	if (v && (fid = scalar(ymap_get(v, "file_id"))) != NULL) {
		if (strlen(fid) > 32 || strpbrk(fid, "/{}%") != NULL)
			return fail(e, file, v, "model '%s': file_id is not a "
			    "file name part", k->str);
		m->file_id = xstrdup(fid);
	}
	if (al == NULL)
		return 0;
	if (al->kind != YN_SEQ)
		return fail(e, file, al, "model '%s': aliases must be a list",
		    k->str);
	m->aliases = xcalloc(al->len + 1, sizeof(*m->aliases));
	for (size_t i = 0; i < al->len; i++) {
		const char *a = scalar(al->items[i]);
		if (a == NULL || !model_name_ok(a))
			return fail(e, file, al->items[i], "model '%s': alias "
			    "is not a model name", k->str);
		m->aliases[m->n_aliases++] = xstrdup(a);
	}
	return 0;
}

static int
add_models(struct pack *p, const struct ynode *map, const char *file,
    struct diag *e)
{
	if (map == NULL)
		return 0;
	if (map->kind != YN_MAP)
		return fail(e, file, map, "models must be a mapping");
	for (size_t i = 0; i < YMAP_N(map); i++) {
		struct pack_model m;
		const struct pack_model *old;
		if (parse_model(YMAP_KEY(map, i), YMAP_VAL(map, i), file, &m,
		    e) < 0) {
			free_model(&m);
			return -1;
		}
		/* A catalogue entry of etc/vendors.yml replaces the shipped
		 * one of the same name. */
		if ((old = pack_find_model(p, m.name)) != NULL &&
		    strcasecmp(old->name, m.name) == 0) {
			struct pack_model *w = &p->models[old - p->models];
			free_model(w);
			*w = m;
			continue;
		}
		if (p->n_models >= PACK_MODELS_MAX) {
			free_model(&m);
			return fail(e, file, map, "more than %d models",
			    PACK_MODELS_MAX);
		}
		p->models = xrealloc(p->models, (p->n_models + 1) *
		    sizeof(*p->models));
		p->models[p->n_models++] = m;
	}
	return 0;
}

static int
add_ouis(struct pack *p, const struct ynode *seq, const char *file,
    struct diag *e)
{
	if (seq == NULL)
		return 0;
	if (seq->kind != YN_SEQ)
		return fail(e, file, seq, "ouis must be a list");
	p->ouis = xrealloc(p->ouis, (p->n_ouis + seq->len + 1) *
	    sizeof(*p->ouis));
	for (size_t i = 0; i < seq->len; i++) {
		const char *s = scalar(seq->items[i]);
		char *o = p->ouis[p->n_ouis];
		if (s == NULL || strlen(s) != 6 ||
		    strspn(s, "0123456789abcdefABCDEF") != 6)
			return fail(e, file, seq->items[i], "an OUI is 6 hex "
			    "digits, quoted: \"001565\"");
		for (int j = 0; j < 7; j++)
			o[j] = (char)tolower((unsigned char)s[j]);
		p->n_ouis++;
	}
	return 0;
}

static int
group_no(const struct ynode *map, const char *key, int *out)
{
	const char *s = scalar(ymap_get(map, key));
	char *end;
	long v;

	*out = 0;
	if (s == NULL)
		return 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v < 0 || v > 9)
		return -1;
	*out = (int)v;
	return 0;
}

static int
add_uas(struct pack *p, const struct ynode *seq, const char *file,
    struct diag *e)
{
	static const char *const keys[] = { "pattern", "model", "version",
	    "mac", NULL };

	if (seq == NULL)
		return 0;
	if (seq->kind != YN_SEQ)
		return fail(e, file, seq, "user_agents must be a list");
	for (size_t i = 0; i < seq->len; i++) {
		const struct ynode *n = seq->items[i];
		struct pack_ua u;
		const char *re;

		if (n->kind != YN_MAP || only_keys(n, keys, e, file,
		    "user_agents entry") < 0)
			return e->msg[0] ? -1 : fail(e, file, n, "a "
			    "user_agents entry must be a mapping");
		if ((re = scalar(ymap_get(n, "pattern"))) == NULL ||
		    strlen(re) > 512)
			return fail(e, file, n, "user_agents: pattern missing");
		if (group_no(n, "model", &u.model) < 0 ||
		    group_no(n, "version", &u.version) < 0 ||
		    group_no(n, "mac", &u.mac) < 0)
			return fail(e, file, n, "user_agents: group numbers "
			    "are 0..9");
		if (regcomp(&u.re, re, REG_EXTENDED) != 0)
			return fail(e, file, n, "user_agents: not a POSIX "
			    "extended regular expression");
		if (u.re.re_nsub < (size_t)u.model ||
		    u.re.re_nsub < (size_t)u.version ||
		    u.re.re_nsub < (size_t)u.mac || p->n_uas >= PACK_UAS_MAX) {
			regfree(&u.re);
			return fail(e, file, n, "user_agents: a group number "
			    "exceeds the pattern's groups (or more than %d "
			    "patterns)", PACK_UAS_MAX);
		}
		p->uas = xrealloc(p->uas, (p->n_uas + 1) * sizeof(*p->uas));
		p->uas[p->n_uas++] = u;
	}
	return 0;
}

static int
add_maps(struct pack *p, const struct ynode *map, const char *file,
    struct diag *e)
{
	if (map == NULL)
		return 0;
	if (map->kind != YN_MAP)
		return fail(e, file, map, "maps must be a mapping");
	for (size_t i = 0; i < YMAP_N(map); i++) {
		json_object *o;

		if (YMAP_VAL(map, i)->kind != YN_MAP)
			return fail(e, file, YMAP_VAL(map, i), "maps.%s must "
			    "be a mapping", YMAP_KEY(map, i)->str);
		if (tree_json_checked(YMAP_VAL(map, i), file, &o, e) < 0)
			return -1;
		json_object_object_add(p->maps, YMAP_KEY(map, i)->str, o);
	}
	return 0;
}

static int
device_layer(const struct ynode *n, const char *file, json_object **out,
    struct diag *e)
{
	if (device_layer_parse(n, 0, out, e) == 0)
		return 0;
	diag_set_file(e, file);
	return -1;
}

static int
parse_pack(struct pack *p, const char *dir, const struct ynode *root,
    const char *file, struct diag *e)
{
	static const char *const keys[] = { "vendor", "description",
	    "ua_vendor", "syntax", "content_type", "ouis", "user_agents",
	    "files", "models", "maps", "defaults", NULL };
	const char *v;

	p->maps = json_object_new_object();
	if (root == NULL || root->kind != YN_MAP)
		return fail(e, file, root, "a pack is a mapping");
	if (only_keys(root, keys, e, file, "pack") < 0)
		return -1;
	if ((v = scalar(ymap_get(root, "vendor"))) == NULL ||
	    strcmp(v, dir) != 0)
		return fail(e, file, root, "vendor: must be '%s', the "
		    "directory's name", dir);
	p->name = xstrdup(dir);
	v = scalar(ymap_get(root, "description"));
	p->description = xstrdup(v ? v : "");
	v = scalar(ymap_get(root, "ua_vendor"));
	p->ua_vendor = xstrdup(v ? v : dir);
	v = scalar(ymap_get(root, "syntax"));
	if (v == NULL || file_syntax_parse(v, &p->syntax) < 0)
		return fail(e, file, root, "syntax: must be xml, yealink, "
		    "fanvil or text");
	v = scalar(ymap_get(root, "content_type"));
	p->content_type = xstrdup(v ? v : p->syntax == SYNTAX_XML ?
	    "application/xml; charset=utf-8" : "text/plain; charset=utf-8");
	if (add_ouis(p, ymap_get(root, "ouis"), file, e) < 0 ||
	    add_uas(p, ymap_get(root, "user_agents"), file, e) < 0 ||
	    add_files(p, ymap_get(root, "files"), file, e) < 0 ||
	    add_models(p, ymap_get(root, "models"), file, e) < 0 ||
	    add_maps(p, ymap_get(root, "maps"), file, e) < 0)
		return -1;
	return device_layer(ymap_get(root, "defaults"), file, &p->defaults, e);
}

static void
free_pack(struct pack *p)
{
	free(p->name);
	free(p->description);
	free(p->ua_vendor);
	free(p->content_type);
	free(p->ouis);
	for (size_t i = 0; i < p->n_files; i++) {
		free(p->files[i].pattern);
		free(p->files[i].tpl);
		free(p->files[i].content_type);
	}
	free(p->files);
	for (size_t i = 0; i < p->n_models; i++)
		free_model(&p->models[i]);
	free(p->models);
	for (size_t i = 0; i < p->n_uas; i++)
		regfree(&p->uas[i].re);
	free(p->uas);
	json_object_put(p->maps);
	json_object_put(p->defaults);
	json_object_put(p->vendor_layer);
}

void
packset_free(struct packset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free_pack(&s->packs[i]);
	free(s->packs);
	for (size_t i = 0; i < s->n_tpls; i++)
		mustache_free(s->tpls[i].t);
	free(s->tpls);
	extra_files_free(&s->files);
	json_object_put(s->common_layer);
	json_object_put(s->model_layers);
	if (s->tz_cache != NULL)
		json_object_put(*s->tz_cache);
	free(s->tz_cache);
	memset(s, 0, sizeof(*s));
}

/* The position of pack `name`, or s->n. */
static size_t
pack_index(const struct packset *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n && strcmp(s->packs[i].name, name) != 0; i++)
		;
	return i;
}

/* The same, writable: while the set is being built. */
static struct pack *
find_pack(struct packset *s, const char *name)
{
	size_t i = pack_index(s, name);

	return i < s->n ? &s->packs[i] : NULL;
}

const struct pack *
packset_find(const struct packset *s, const char *name)
{
	size_t i = pack_index(s, name);

	return i < s->n ? &s->packs[i] : NULL;
}

const struct pack_model *
pack_find_model(const struct pack *p, const char *name)
{
	for (size_t i = 0; i < p->n_models; i++) {
		const struct pack_model *m = &p->models[i];
		if (strcasecmp(m->name, name) == 0)
			return m;
		for (size_t j = 0; j < m->n_aliases; j++)
			if (strcasecmp(m->aliases[j], name) == 0)
				return m;
	}
	return NULL;
}

/* Every "<pack>/pack.yml" of the extra files. */
static int
load_packs(struct packset *s, struct diag *e)
{
	for (size_t i = 0; i < s->files.n; i++) {
		const struct extra_file *f = &s->files.v[i];
		const char *slash = strchr(f->rel, '/');
		char dir[PACK_NAME_MAX + 1];
		struct ydoc doc;
		int rc;

		if (strncmp(f->rel, "templates/", 10) == 0 || slash == NULL ||
		    strcmp(slash, "/pack.yml") != 0 ||
		    (size_t)(slash - f->rel) > PACK_NAME_MAX)
			continue;
		memcpy(dir, f->rel, (size_t)(slash - f->rel));
		dir[slash - f->rel] = '\0';
		s->packs = xrealloc(s->packs, (s->n + 1) * sizeof(*s->packs));
		memset(&s->packs[s->n], 0, sizeof(*s->packs));
		s->n++;
		memset(&doc, 0, sizeof(doc));
		if (ydoc_load_string(&doc, f->data, f->len, e) < 0) {
			ydoc_free(&doc);
			diag_set_file(e, f->rel);
			return -1;
		}
		rc = parse_pack(&s->packs[s->n - 1], dir, doc.root, f->rel, e);
		ydoc_free(&doc);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int
by_rel(const void *a, const void *b)
{
	return strcmp(((const struct template_entry *)a)->rel,
	    ((const struct template_entry *)b)->rel);
}

/* Parses every .tpl once: a template with a syntax error stops the load,
 * with its file and line. */
static int
parse_templates(struct packset *s, struct diag *e)
{
	s->tpls = xcalloc(s->files.n + 1, sizeof(*s->tpls));
	for (size_t i = 0; i < s->files.n; i++) {
		const struct extra_file *f = &s->files.v[i];
		size_t n = strlen(f->rel);
		struct mustache *t;

		if (n < 4 || strcmp(f->rel + n - 4, ".tpl") != 0)
			continue;
		if ((t = mustache_parse(f->data, f->len, f->rel, NULL,
		    e)) == NULL) {
			diag_prefix(e, "template");
			return -1;
		}
		s->tpls[s->n_tpls].rel = f->rel;
		s->tpls[s->n_tpls++].t = t;
	}
	qsort(s->tpls, s->n_tpls, sizeof(*s->tpls), by_rel);
	return 0;
}

static const struct template_entry *
find_tpl(const struct packset *s, const char *rel)
{
	struct template_entry key = { rel, NULL };

	if (s->n_tpls == 0)
		return NULL;
	return bsearch(&key, s->tpls, s->n_tpls, sizeof(*s->tpls), by_rel);
}

/* etc/vendors.yml: more models, OUIs, files and User-Agent patterns for
 * the shipped packs. */
static int
extend_packs(struct packset *s, const struct ynode *root,
    struct diag *e)
{
	static const char *const keys[] = { "ouis", "user_agents", "files",
	    "models", NULL };
	const char *file = "vendors.yml";

	if (root == NULL || (root->kind == YN_SCALAR && root->is_null))
		return 0;
	if (root->kind != YN_MAP)
		return fail(e, file, root, "vendors.yml maps pack names to "
		    "additions");
	for (size_t i = 0; i < YMAP_N(root); i++) {
		const struct ynode *k = YMAP_KEY(root, i), *v = YMAP_VAL(root, i);
		struct pack *p = find_pack(s, k->str);
		if (p == NULL)
			return fail(e, file, k, "no vendor pack %s",
			    DIAG_Q(k->str));
		if (v->kind != YN_MAP)
			return fail(e, file, v, "%s: must be a mapping", k->str);
		if (only_keys(v, keys, e, file, k->str) < 0 ||
		    add_ouis(p, ymap_get(v, "ouis"), file, e) < 0 ||
		    add_uas(p, ymap_get(v, "user_agents"), file, e) < 0 ||
		    add_files(p, ymap_get(v, "files"), file, e) < 0 ||
		    add_models(p, ymap_get(v, "models"), file, e) < 0)
			return -1;
	}
	return 0;
}

/* Every file of every pack must have a template to start from. */
static int
check_templates(const struct packset *s, struct diag *e)
{
	char rel[256];

	for (size_t i = 0; i < s->n; i++) {
		const struct pack *p = &s->packs[i];
		for (size_t j = 0; j < p->n_files; j++) {
			const char *t = p->files[j].tpl;
			snprintf(rel, sizeof(rel), "%s/%s.tpl", p->name, t);
			if (find_tpl(s, rel) != NULL)
				continue;
			snprintf(rel, sizeof(rel), "templates/%s/%s.tpl",
			    p->name, t);
			if (find_tpl(s, rel) != NULL)
				continue;
			snprintf(rel, sizeof(rel), "%s/pack.yml", p->name);
			return diag_set(e, rel, 0, 0, "file '%s': no "
			    "template '%s' (looked for %s/%s.tpl and "
			    "templates/%s/%s.tpl)", p->files[j].pattern, t,
			    p->name, t, p->name, t);
		}
	}
	return 0;
}

static int
load_model_layers(struct packset *s, const struct ynode *models,
    struct diag *e)
{
	const char *file = "devices.yml";

	s->model_layers = json_object_new_object();
	if (models == NULL)
		return 0;
	if (models->kind != YN_MAP)
		return fail(e, file, models, "models: maps pack names to "
		    "models");
	for (size_t i = 0; i < YMAP_N(models); i++) {
		const struct ynode *k = YMAP_KEY(models, i);
		const struct ynode *v = YMAP_VAL(models, i);
		const struct pack *p = packset_find(s, k->str);
		json_object *per = json_object_new_object(), *layer;

		json_object_object_add(s->model_layers, k->str, per);
		if (p == NULL)
			return fail(e, file, k, "models: no vendor pack %s",
			    DIAG_Q(k->str));
		if (v->kind != YN_MAP)
			return fail(e, file, v, "models.%s: maps model names "
			    "to device fields", k->str);
		for (size_t j = 0; j < YMAP_N(v); j++) {
			const struct pack_model *m = pack_find_model(p,
			    YMAP_KEY(v, j)->str);
			if (m == NULL)
				return fail(e, file, YMAP_KEY(v, j), "models."
				    "%s: no model %s in the catalogue",
				    k->str, DIAG_Q(YMAP_KEY(v, j)->str));
			if (device_layer(YMAP_VAL(v, j), file, &layer, e) < 0)
				return -1;
			json_object_object_add(per, m->name, layer);
		}
	}
	return 0;
}

/* etc/devices.yml: the common, vendor and model layers. */
static int
load_layers(struct packset *s, const struct ynode *root,
    struct diag *e)
{
	static const char *const keys[] = { "common", "vendors", "models",
	    NULL };
	const char *file = "devices.yml";
	const struct ynode *vendors;

	if (root == NULL || (root->kind == YN_SCALAR && root->is_null))
		return load_model_layers(s, NULL, e);
	if (root->kind != YN_MAP)
		return fail(e, file, root, "devices.yml is a mapping");
	if (only_keys(root, keys, e, file, "devices.yml") < 0 ||
	    device_layer(ymap_get(root, "common"), file, &s->common_layer,
	    e) < 0)
		return -1;
	if ((vendors = ymap_get(root, "vendors")) != NULL) {
		if (vendors->kind != YN_MAP)
			return fail(e, file, vendors, "vendors: maps pack "
			    "names to device fields");
		for (size_t i = 0; i < YMAP_N(vendors); i++) {
			const struct ynode *k = YMAP_KEY(vendors, i);
			struct pack *p = find_pack(s, k->str);
			if (p == NULL)
				return fail(e, file, k, "vendors: no vendor "
				    "pack %s", DIAG_Q(k->str));
			if (device_layer(YMAP_VAL(vendors, i), file,
			    &p->vendor_layer, e) < 0)
				return -1;
		}
	}
	return load_model_layers(s, ymap_get(root, "models"), e);
}

int
packset_load(struct packset *s, struct extra_files *files,
    const struct ynode *vendors_root, const struct ynode *devices_root,
    struct diag *e)
{
	memset(s, 0, sizeof(*s));
	diag_clear(e);
	s->files = *files;
	memset(files, 0, sizeof(*files));
	s->tz_cache = xcalloc(1, sizeof(*s->tz_cache));
	if (load_packs(s, e) < 0 || parse_templates(s, e) < 0 ||
	    extend_packs(s, vendors_root, e) < 0 ||
	    check_templates(s, e) < 0 || load_layers(s, devices_root, e) < 0)
		return -1;
	return 0;
}

json_object *
packset_model_layer(const struct packset *s, const struct pack *p,
    const struct pack_model *m)
{
	json_object *per, *layer;

	if (m == NULL || s->model_layers == NULL ||
	    !json_object_object_get_ex(s->model_layers, p->name, &per) ||
	    !json_object_object_get_ex(per, m->name, &layer))
		return NULL;
	return layer;
}

/* Matching a request's file name against a pattern. */

/* MAC_LEN hex digits whose letters are all in the case asked for. */
static int
hex_case(const char *s, int upper)
{
	for (int i = 0; i < MAC_LEN; i++) {
		int c = (unsigned char)s[i];
		if (hex_value(c) < 0 || (c > '9' && (c >= 'a') == upper))
			return 0;
	}
	return 1;
}

static int match_at(const struct pack *, const char *, const char *,
    struct pack_match *);

/* {model} or {file_id} at s: tries every catalogue entry. */
static int
match_model(const struct pack *p, const char *rest, const char *s,
    int by_file_id, struct pack_match *m)
{
	for (size_t i = 0; i < p->n_models; i++) {
		const struct pack_model *pm = &p->models[i];
		size_t n;
		if (by_file_id) {
			if (pm->file_id == NULL ||
			    strncmp(s, pm->file_id, n = strlen(pm->file_id)))
				continue;
			if (match_at(p, rest, s + n, m)) {
				m->model = pm;
				return 1;
			}
			continue;
		}
		for (size_t j = 0; j <= pm->n_aliases; j++) {
			const char *name = j == 0 ? pm->name : pm->aliases[j - 1];
			n = strlen(name);
			if (strncasecmp(s, name, n) == 0 &&
			    match_at(p, rest, s + n, m)) {
				m->model = pm;
				return 1;
			}
		}
	}
	return 0;
}

static int
match_at(const struct pack *p, const char *pat, const char *s,
    struct pack_match *m)
{
	for (;;) {
		if (*pat == '\0')
			return *s == '\0';
		if (strncmp(pat, "{mac}", 5) == 0 || strncmp(pat, "{MAC}", 5) ==
		    0) {
			if (strnlen(s, MAC_LEN) < MAC_LEN ||
			    !hex_case(s, pat[1] == 'M'))
				return 0;
			for (int i = 0; i < MAC_LEN; i++)
				m->mac[i] = (char)tolower((unsigned char)s[i]);
			m->mac[MAC_LEN] = '\0';
			pat += 5;
			s += MAC_LEN;
			continue;
		}
		if (strncmp(pat, "{model}", 7) == 0)
			return match_model(p, pat + 7, s, 0, m);
		if (strncmp(pat, "{model_lc}", 10) == 0)
			return match_model(p, pat + 10, s, 0, m);
		if (strncmp(pat, "{file_id}", 9) == 0)
			return match_model(p, pat + 9, s, 1, m);
		if (*pat != *s)
			return 0;
		pat++;
		s++;
	}
}

size_t
packset_match(const struct packset *s, const char *name,
    struct pack_match *out, size_t max)
{
	size_t n = 0, len = strlen(name);

	for (size_t i = 0; i < s->n && n < max; i++)
		for (size_t j = 0; j < s->packs[i].n_files && n < max; j++) {
			const struct pack_file *f = &s->packs[i].files[j];
			size_t tl = strlen(f->tail);
			struct pack_match m;

			/* Most names fail on the literal head or tail, before
			 * any catalogue is searched. */
			if (strncmp(name, f->pattern, f->head_len) != 0 ||
			    len < f->head_len + tl ||
			    strcmp(name + len - tl, f->tail) != 0)
				continue;
			memset(&m, 0, sizeof(m));
			if (!match_at(&s->packs[i], f->pattern, name, &m))
				continue;
			m.pack = &s->packs[i];
			m.file = &s->packs[i].files[j];
			out[n++] = m;
		}
	return n;
}

static void
copy_group(const char *ua, const regmatch_t *g, char *out, size_t outsz)
{
	size_t n = 0;

	if (g->rm_so >= 0 && g->rm_eo >= g->rm_so) {
		n = (size_t)(g->rm_eo - g->rm_so);
		if (n >= outsz)
			n = outsz - 1;
		memcpy(out, ua + g->rm_so, n);
	}
	out[n] = '\0';
}

int
packset_ua_parse(const struct packset *s, const char *ua,
    struct useragent *out)
{
	regmatch_t g[10];
	char mac[32];

	if (ua == NULL || strnlen(ua, UA_MAX + 1) > UA_MAX)
		return 0;
	for (const char *c = ua; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;
	for (size_t i = 0; i < s->n; i++)
		for (size_t j = 0; j < s->packs[i].n_uas; j++) {
			const struct pack_ua *u = &s->packs[i].uas[j];
			if (regexec(&u->re, ua, 10, g, 0) != 0)
				continue;
			memset(out, 0, sizeof(*out));
			snprintf(out->vendor, sizeof(out->vendor), "%s",
			    s->packs[i].ua_vendor);
			if (u->model)
				copy_group(ua, &g[u->model], out->model,
				    sizeof(out->model));
			snprintf(out->product, sizeof(out->product), "%s",
			    out->model);
			if (u->version)
				copy_group(ua, &g[u->version], out->version,
				    sizeof(out->version));
			if (u->mac) {
				copy_group(ua, &g[u->mac], mac, sizeof(mac));
				if (mac_parse(mac, strlen(mac), out->mac) !=
				    MAC_OK)
					out->mac[0] = '\0';
			}
			return 1;
		}
	return 0;
}

/* Template lookup. */

/* A model's name as part of a template file name: spaces become '_'. */
static void
model_file_part(const struct pack_model *m, char *out, size_t n)
{
	snprintf(out, n, "%s", m->name);
	for (char *c = out; *c; c++)
		if (*c == ' ')
			*c = '_';
}

int
packset_template_candidates(const struct packset *s, const struct pack *p,
    const char *fname, const char *tpl, const struct pack_model *m,
    char out[TEMPLATE_CANDIDATES][256])
{
	char model[64] = "";
	int base = strcmp(tpl, "base") == 0 && m != NULL, n = 0;

	(void)s;
	if (base)
		model_file_part(m, model, sizeof(model));
	snprintf(out[n++], 256, "templates/%s.tpl", fname);
	if (base)
		snprintf(out[n++], 256, "templates/%s/%s.tpl", p->name, model);
	snprintf(out[n++], 256, "templates/%s/%s.tpl", p->name, tpl);
	if (base)
		snprintf(out[n++], 256, "%s/%s.tpl", p->name, model);
	snprintf(out[n++], 256, "%s/%s.tpl", p->name, tpl);
	return n;
}

const struct mustache *
packset_template(const struct packset *s, const struct pack *p,
    const char *fname, const char *tpl, const struct pack_model *m,
    const char **rel)
{
	char cand[TEMPLATE_CANDIDATES][256];
	const struct template_entry *t;
	int n = packset_template_candidates(s, p, fname, tpl, m, cand);

	for (int i = 0; i < n; i++)
		if ((t = find_tpl(s, cand[i])) != NULL) {
			if (rel != NULL)
				*rel = t->rel;
			return t->t;
		}
	return NULL;
}

static void
note_used(struct template_scope *sc, const char *rel)
{
	for (size_t i = 0; i < sc->n_used; i++)
		if (sc->used[i] == rel)
			return;
	if (sc->n_used < sizeof(sc->used) / sizeof(sc->used[0]))
		sc->used[sc->n_used++] = rel;
}

/* The file a partial or parent name leads to, or NULL. */
static const struct extra_file *
resolve(struct template_scope *sc, const char *name)
{
	const struct extra_file *f = NULL;
	char rel[256];
	int shipped = strncmp(name, "pack/", 5) == 0;

	if (shipped)
		name += 5;
	if (!template_name_ok(name))
		return NULL;
	if (!shipped) {
		snprintf(rel, sizeof(rel), "templates/%s/%s.tpl",
		    sc->pack->name, name);
		f = extra_files_find(&sc->set->files, rel);
	}
	if (f == NULL) {
		snprintf(rel, sizeof(rel), "%s/%s.tpl", sc->pack->name, name);
		f = extra_files_find(&sc->set->files, rel);
	}
	if (f != NULL)
		note_used(sc, f->rel);
	return f;
}

int
pack_template_loader(void *ctx, const char *name, char **out, size_t *len)
{
	const struct extra_file *f = resolve(ctx, name);

	if (f == NULL)
		return MUSTACHE_LOAD_MISSING;
	*out = xstrndup(f->data, f->len);
	*len = f->len;
	return MUSTACHE_LOAD_OK;
}

const struct mustache *
pack_template_find(void *ctx, const char *name)
{
	struct template_scope *sc = ctx;
	const struct extra_file *f = resolve(sc, name);
	const struct template_entry *t;

	if (f == NULL || (t = find_tpl(sc->set, f->rel)) == NULL)
		return NULL;
	return t->t;
}
