/* deskprov: the command-line tool.  It links the same library as the
 * FastCGI executables, so what it checks and renders is exactly what they
 * would do. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "device.h"
#include "phoneview.h"
#include "app_profile.h"
#include "config_state.h"
#include "flatprofile.h"
#include "schematool.h"
#include "secret.h"
#include "settings.h"
#include "store.h"
#include "vendor.h"

static void
usage(void)
{
	fputs("usage: deskprov check [ETC]\n"
	    "       deskprov render IDENT [FILE] [--ua USER-AGENT] "
	    "[--ip ADDRESS] [--etc ETC]\n"
	    "       deskprov explain IDENT [FILE] [--etc ETC]\n"
	    "       deskprov compare PHONE [--etc ETC] [--data DATA]\n"
	    "       deskprov schema generate --from-report FILE|PHONE "
	    "[--etc ETC] [--data DATA]\n"
	    "       deskprov schema verify [--etc ETC] [--data DATA]\n"
	    "       deskprov version\n"
	    "ETC defaults to $DESKPROV_ETC, else ./etc; schema.yml is read "
	    "from ETC, else $DESKPROV_SCHEMA_DIR.\n"
	    "DATA (the reports) defaults to $DESKPROV_DATA, else ./reports.\n"
	    "PHONE is a MAC in any spelling or a name from phones.yml.\n",
	    stderr);
	exit(2);
}

/* The process context of a command: its flags, then the environment for
 * what they leave out -- the same struct app the servers build. */
static void
cli_app(struct app *app, const char *prog, struct app_options *o)
{
	app_options_from_env(o);
	app_init(app, prog, o);
}

static void
warn_passwords(const struct snapshot *s)
{
	for (size_t i = 0; i < s->svc.n_users; i++)
		if (s->svc.users[i].has_password)
			printf("note: serviceconfig.yml: the password of user "
			    "'%s' is not used; put it in the web server's "
			    "password file (htpasswd)\n", s->svc.users[i].id);
}

/* Renders every file of every device, as phones would ask for them, so
 * that a template error shows before deployment, not on a phone's 500.
 * Returns how many failed, after printing each. */
static size_t
check_devices(const struct snapshot *s, size_t *files)
{
	size_t failed = 0;
	char name[256];

	*files = 0;
	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];
		for (size_t j = 0; ph->pack != NULL && j < ph->pack->n_files;
		    j++) {
			const struct pack_file *f = &ph->pack->files[j];
			struct vendor_file_req vr;
			struct vendor_result res;
			enum vendor_owner owner;
			struct buf out;

			if (vendor_file_name(f, ph, ph->pmodel, name,
			    sizeof(name)) < 0 ||
			    vendor_request(s, name, NULL, &vr, &owner) != 1)
				continue;
			buf_init(&out);
			(*files)++;
			if (vendor_render(&vr, &out, &res) < 0) {
				printf("error: phone %s: %s\n", ph->id,
				    res.error);
				failed++;
			}
			buf_free(&out);
		}
	}
	return failed;
}

/* A snapshot without schema parameters or vendor packs loads, but serves
 * bare profiles and no vendor's files: the sign of a schema directory that
 * is not there (a build for another PREFIX), so check says so and fails. */
static int
check_schema_found(const struct app *app, const struct snapshot *s)
{
	const char *missing = s->n_schema == 0 ? "no schema parameters" :
	    s->packs.n == 0 ? "no vendor packs" : NULL;

	if (missing == NULL)
		return 0;
	fprintf(stderr, "deskprov: check: %s (schema.yml is read from %s, "
	    "else %s; the packs from %s): set DESKPROV_SCHEMA_DIR to the "
	    "directory that holds schema.yml and the packs\n", missing,
	    app->etc, app->schema_dir, app->schema_dir);
	return -1;
}

static int
cmd_check(int argc, char **argv)
{
	struct app_options o = { .etc = argc > 1 ? argv[1] : NULL };
	struct app app;
	const struct snapshot *s;
	size_t failed, files;
	int rc = 1;

	cli_app(&app, "check", &o);
	if ((s = app.cs.snap) == NULL)
		fprintf(stderr, "%s\n", app.cs.error);
	else if ((failed = check_devices(s, &files)) > 0)
		printf("%zu of %zu device files do not render\n", failed, files);
	else if (check_schema_found(&app, s) == 0) {
		printf("ok: %s: %zu phones (%zu devices, %zu files rendered), "
		    "%zu common and %zu schema parameters, %zu vendor packs, "
		    "loaded in %.3f s\n", app.etc, s->n_phones, s->n_devices,
		    files, s->n_common, s->n_schema, s->packs.n,
		    s->load_seconds);
		warn_passwords(s);
		rc = 0;
	}
	app_free(&app);
	return rc;
}

/* The file a render or explain is about: FILE when given, else the
 * device's main file, else (a Cisco flat-profile phone) IDENT.xml. */
static int
request_path(const struct snapshot *s, const char *ident, const char *file,
    struct buf *uri)
{
	char key[IDENT_MAX + 1], name[256];
	const struct phone *ph;
	const struct pack_file *f;

	if (file != NULL) {
		buf_printf(uri, "/%s", file);
		return 0;
	}
	ident_key(ident, strlen(ident), key);
	if (s == NULL || (ph = snapshot_find(s, key)) == NULL ||
	    ph->pack == NULL) {
		buf_printf(uri, "/%s.xml", ident);
		return 0;
	}
	if ((f = vendor_main_file(ph->pack)) == NULL ||
	    vendor_file_name(f, ph, ph->pmodel, name, sizeof(name)) < 0) {
		fprintf(stderr, "pack %s has no file of its own for phone "
		    "%s\n", ph->pack->name, ph->id);
		return -1;
	}
	buf_printf(uri, "/%s", name);
	return 0;
}

static int
cmd_render(int argc, char **argv)
{
	struct request rq = { .method = "GET", .remote_addr = "127.0.0.1" };
	struct app_options o = { 0 };
	struct response rs;
	struct logline log;
	struct app app;
	struct buf uri, out;
	const char *file = NULL;
	int rc, i = 2;

	if (argc < 2)
		usage();
	if (argc > 2 && strncmp(argv[2], "--", 2) != 0)
		file = argv[i++];
	for (; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--ua") == 0)
			rq.user_agent = argv[++i];
		else if (strcmp(argv[i], "--ip") == 0)
			rq.remote_addr = argv[++i];
		else if (strcmp(argv[i], "--etc") == 0)
			o.etc = argv[++i];
		else
			usage();
	}
	cli_app(&app, "render", &o);
	buf_init(&uri);
	if (request_path(app.cs.snap, argv[1], file, &uri) < 0) {
		buf_free(&uri);
		app_free(&app);
		return 1;
	}
	rq.uri = uri.data;
	response_init(&rs);
	logline_start(&log, "render");
	app_profile_handle(&app, &rq, &rs, &log);
	if (rs.status >= 500)
		logline_end(&log);	/* the reason, on stderr */
	else
		logline_discard(&log);
	buf_init(&out);
	response_serialize(&rs, &out);
	fwrite(out.data, 1, out.len, stdout);
	rc = rs.status < 400 ? 0 : 1;
	if (rs.status >= 500 && app.cs.error[0])
		fprintf(stderr, "%s\n", app.cs.error);
	buf_free(&out);
	buf_free(&uri);
	response_free(&rs);
	app_free(&app);
	return rc;
}

/* ---- explain ---- */

static void
print_values(json_object *prov)
{
	json_object_object_foreach(prov, path, o) {
		json_object *layer, *value;
		json_object_object_get_ex(o, "layer", &layer);
		json_object_object_get_ex(o, "value", &value);
		printf("  %-40s %-8s %s\n", path, json_object_get_string(layer),
		    device_path_secret(path) ? "(secret, not shown)" :
		    json_object_to_json_string_ext(value,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

static void
print_lookup(const struct snapshot *s, const struct vendor_file_req *vr,
    const struct vendor_result *res)
{
	char cand[TEMPLATE_CANDIDATES][256];
	int n = packset_template_candidates(&s->packs, vr->pack, vr->fname,
	    vr->file->tpl, vr->model, cand);

	printf("template lookup (first that exists wins):\n");
	for (int i = 0; i < n; i++)
		printf("  %s %s\n", res->template_rel != NULL &&
		    strcmp(cand[i], res->template_rel) == 0 ? "*" : " ",
		    cand[i]);
	for (size_t i = 0; i < res->n_used; i++)
		printf("  partial or parent: %s\n", res->used[i]);
}

static void
flat_layer(void *ctx, const struct effective_param *e)
{
	static const char *const names[] = { "schema", "common", "phone" };

	(void)ctx;
	printf("  %-40s %-8s %s\n", e->param->name, names[e->layer],
	    secret_name_rule(e->param->name) ? "(secret, not shown)" :
	    e->param->value);
}

static int
explain_device(const struct snapshot *s, const struct phone *ph,
    const char *fname)
{
	struct vendor_file_req vr;
	struct vendor_result res;
	enum vendor_owner owner;
	struct buf out;
	json_object *prov, *data;
	char err[256];

	/* The file the server would send for that name, nothing else. */
	if (vendor_request(s, fname, NULL, &vr, &owner) != 1 ||
	    vr.pack != ph->pack || (vr.phone != NULL && vr.phone != ph)) {
		fprintf(stderr, "%s is not a file of phone %s (pack %s)\n",
		    fname, ph->id, ph->pack->name);
		return 1;
	}
	printf("phone: %s (%s)  pack: %s  model: %s\n", ph->id, ph->mac,
	    ph->pack->name, ph->pmodel->name);
	printf("file: %s  scope: %s  syntax: %s  secrets: %s\n", fname,
	    vr.file->scope == SCOPE_PHONE ? "phone" :
	    vr.file->scope == SCOPE_MODEL ? "model" : "common",
	    file_syntax_name(vr.file->syntax),
	    vr.file->secrets ? "yes" : "no (stripped)");
	buf_init(&out);
	vendor_render(&vr, &out, &res);
	buf_free(&out);
	print_lookup(s, &vr, &res);
	if (res.error[0])
		printf("render error: %s\n", res.error);
	prov = json_object_new_object();
	data = vendor_data(&vr, prov, err, sizeof(err));
	printf("values (path, layer, value):\n");
	print_values(prov);
	json_object_put(data);
	json_object_put(prov);
	return res.error[0] ? 1 : 0;
}

static int
cmd_explain(int argc, char **argv)
{
	struct app_options o = { 0 };
	struct app app;
	const struct snapshot *s;
	const struct phone *ph;
	const char *file = NULL;
	char key[IDENT_MAX + 1];
	struct buf uri;
	int rc = 1, i = 2;

	if (argc < 2)
		usage();
	if (argc > 2 && strncmp(argv[2], "--", 2) != 0)
		file = argv[i++];
	for (; i < argc; i++) {
		if (i + 1 >= argc || strcmp(argv[i], "--etc") != 0)
			usage();
		o.etc = argv[++i];
	}
	cli_app(&app, "explain", &o);
	if ((s = app.cs.snap) == NULL) {
		fprintf(stderr, "%s\n", app.cs.error);
		goto out;
	}
	ident_key(argv[1], strlen(argv[1]), key);
	if ((ph = snapshot_find(s, key)) == NULL) {
		fprintf(stderr, "no phone '%s'\n", argv[1]);
		goto out;
	}
	if (ph->pack == NULL) {
		printf("phone: %s  Cisco flat profile (no vendor pack)\n"
		    "values (parameter, layer, value):\n", ph->id);
		flatprofile_params(s, ph, flat_layer, NULL);
		rc = 0;
		goto out;
	}
	buf_init(&uri);
	if (request_path(s, argv[1], file, &uri) == 0)
		rc = explain_device(s, ph, uri.data + 1);
	buf_free(&uri);
out:
	app_free(&app);
	return rc;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("deskprov %s\n", DESKPROV_VERSION);
	return 0;
}

/* ---- options shared by compare and schema ---- */

struct options {
	const char		*from;		/* --from-report */
	struct app_options	 app;		/* --etc, --data */
};

/* Reads --etc, --data and (when `from` is allowed) --from-report from
 * argv[first..].  Positional arguments go to pos (at most npos). */
static void
parse_options(int argc, char **argv, int first, struct options *o,
    int allow_from, const char **pos, int npos)
{
	int got = 0;

	memset(o, 0, sizeof(*o));
	for (int i = first; i < argc; i++) {
		if (strcmp(argv[i], "--etc") == 0 && i + 1 < argc)
			o->app.etc = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o->app.data_dir = argv[++i];
		else if (allow_from && strcmp(argv[i], "--from-report") == 0 &&
		    i + 1 < argc)
			o->from = argv[++i];
		else if (argv[i][0] != '-' && got < npos)
			pos[got++] = argv[i];
		else
			usage();
	}
	if (got != npos)
		usage();
}

/* The context and its configuration, or NULL after a message. */
static const struct snapshot *
load_config(struct app *app, const char *prog, struct app_options *o)
{
	cli_app(app, prog, o);
	if (app->cs.snap == NULL)
		fprintf(stderr, "deskprov: %s\n", app->cs.error);
	return app->cs.snap;
}

/* ---- deskprov compare ---- */

static const struct phone *
find_phone(const struct snapshot *s, const char *ident)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph = NULL;

	if (ident_plausible(ident, strlen(ident))) {
		ident_key(ident, strlen(ident), key);
		ph = snapshot_find(s, key);
	}
	if (ph == NULL)
		fprintf(stderr, "deskprov: no phone '%.64s' in phones.yml\n",
		    ident);
	else if (ph->mac[0] == '\0')
		fprintf(stderr, "deskprov: phone %s has no MAC address\n",
		    ph->id);
	return ph != NULL && ph->mac[0] != '\0' ? ph : NULL;
}

/* Exit status as diff(1): 0 in sync, 1 differences, 2 trouble. */
static int
cmd_compare(int argc, char **argv)
{
	struct app app;
	const struct snapshot *s;
	const struct phone *ph;
	const char *ident;
	struct options o;
	struct store st;
	struct view_source src;
	struct phone_view v;
	struct buf out;
	char msg[STORE_MSG_MAX];
	int rc = 2;

	parse_options(argc, argv, 1, &o, 0, &ident, 1);
	if ((s = load_config(&app, "compare", &o.app)) == NULL ||
	    (ph = find_phone(s, ident)) == NULL)
		goto out_cs;
	st = (struct store){ app.data_dir, app_key(&app, NULL), &s->cmp, 0 };
	src = (struct view_source){ &st, s, st.key, NULL, time(NULL) };
	buf_init(&out);
	if (phone_view_load(&v, &src, ph, NULL, msg) != STORE_OK) {
		fprintf(stderr, "deskprov: %s\n", msg);
	} else {
		phone_view_text(&v, &out);
		fwrite(out.data, 1, out.len, stdout);
		rc = !v.compared ? 2 : cmp_differences(&v.result) > 0;
	}
	phone_view_free(&v);
	buf_free(&out);
out_cs:
	app_free(&app);
	return rc;
}

/* ---- deskprov schema generate ---- */

/* The report named by `from`: a file, else a phone's current state in
 * the store (MAC or name), else a stored report's id. */
static int
source_report(const char *from, const struct snapshot *s, const char *data,
    struct report *r)
{
	struct store st = { data, NULL, s ? &s->cmp : NULL, 0 };
	struct store_state state;
	struct stored_report sr;
	char mac[MAC_LEN + 1], msg[STORE_MSG_MAX], err[300];
	const struct phone *ph = NULL;
	struct stat sb;

	if (stat(from, &sb) == 0) {
		if (schema_report_from_file(from, r, err, sizeof(err)) == 0)
			return 0;
		report_free(r);
		fprintf(stderr, "deskprov: %s\n", err);
		return -1;
	}
	if (store_id_valid(from, strlen(from))) {
		report_init(r, REPORT_CONFIG);
		if (store_load(&st, from, &sr, msg) != STORE_OK)
			fprintf(stderr, "deskprov: %s\n", msg);
		else if (sr.head.kind == REPORT_STATUS)
			fprintf(stderr, "deskprov: %s is a status report, not a "
			    "configuration\n", from);
		else
			report_merge(r, &sr.data);
		stored_report_free(&sr);
		return r->n > 0 ? 0 : -1;
	}
	if (mac_parse(from, strlen(from), mac) != MAC_OK) {
		if (s == NULL || (ph = find_phone(s, from)) == NULL)
			return -1;
		memcpy(mac, ph->mac, sizeof(mac));
	}
	if (store_current(&st, mac, &state, msg) != STORE_OK) {
		store_state_free(&state);
		fprintf(stderr, "deskprov: %s\n", msg);
		return -1;
	}
	*r = state.params;	/* the state's report changes hands */
	return 0;
}

/* The old schema's xml_structure is kept; a schema that does not load
 * gives the default structure. */
static int
write_schema(struct config_state *cs, const struct report *r,
    const struct comparison_settings *cmp, const char *from)
{
	char paths[CF_COUNT][4096], err[512], backup[128];
	const struct ynode *structure = NULL;
	struct ydoc doc;
	struct strmap names;
	struct buf out;
	time_t now = time(NULL);
	int secrets, rc = -1;

	config_paths(cs->etc, cs->schema_dir, paths);
	if (schema_names(paths[CF_SCHEMA], &doc, &names, &structure, err,
	    sizeof(err)) < 0)
		structure = NULL;
	buf_init(&out);
	if ((secrets = schema_generate(r, cmp, structure, from, now,
	    &out)) < 0)
		fprintf(stderr, "deskprov: the YAML emitter failed\n");
	else if (schema_install(cs->etc, out.data, out.len, now, backup,
	    sizeof(backup), err, sizeof(err)) < 0)
		fprintf(stderr, "deskprov: %s\n", err);
	else {
		printf("wrote %s/%s: %zu parameters, %d secret%s left empty\n",
		    cs->etc, SCHEMA_FILE, r->n, secrets, secrets == 1 ? "" : "s");
		if (backup[0] != '\0')
			printf("the previous schema is %s/%s\n", cs->etc, backup);
		rc = 0;
	}
	buf_free(&out);
	strmap_free(&names);
	ydoc_free(&doc);
	return rc;
}

static int
cmd_schema_generate(int argc, char **argv)
{
	struct config_state check;
	struct app app;
	struct comparison_settings cmp;
	struct service_settings svc;
	struct firmware_settings fw;
	struct options o;
	struct report r;
	int rc = 1;

	parse_options(argc, argv, 2, &o, 1, NULL, 0);
	if (o.from == NULL)
		usage();
	/* A broken config must not stop the workflow that repairs it. */
	cli_app(&app, "schema", &o.app);
	settings_defaults(&svc, &fw, &cmp);
	if (app.cs.snap == NULL)
		fprintf(stderr, "deskprov: note: %s\n", app.cs.error);
	if (source_report(o.from, app.cs.snap, app.data_dir, &r) < 0)
		goto out;
	if (r.n == 0)
		fprintf(stderr, "deskprov: the report has no parameters\n");
	else if (write_schema(&app.cs, &r, app.cs.snap ? &app.cs.snap->cmp :
	    &cmp, o.from) == 0) {
		config_state_init_dirs(&check, "schema", app.etc,
		    app.schema_dir);
		if (check.snap == NULL)
			fprintf(stderr, "deskprov: the configuration does not "
			    "load with the new schema: %s\n", check.error);
		rc = check.snap == NULL;
		config_state_free(&check);
	}
	report_free(&r);
out:
	app_free(&app);
	return rc;
}
/* ---- deskprov schema verify ---- */

/* Every name reported (current state of every phone in the store, in or
 * out of phones.yml), with the number of phones reporting it. */
struct reported {
	struct store_state	*states;
	size_t			 n_states;
	struct strmap		 names;		/* name → count */
	const char		**list;		/* distinct names */
	size_t			 n;
};

static int
collect_phone(struct reported *rp, const struct store *st, const char *mac)
{
	struct store_state *state = &rp->states[rp->n_states];
	char msg[STORE_MSG_MAX];
	enum store_status rc = store_current(st, mac, state, msg);

	if (rc != STORE_OK) {
		store_state_free(state);
		if (rc != STORE_E_NOT_FOUND)
			fprintf(stderr, "deskprov: %s\n", msg);
		return rc == STORE_E_NOT_FOUND ? 0 : -1;
	}
	rp->n_states++;
	for (size_t i = 0; i < state->params.n; i++) {
		const struct report_param *p = &state->params.params[i];
		uintptr_t *c = strmap_get(&rp->names, p->name, p->name_len);
		if (c != NULL) {
			(*c)++;
			continue;
		}
		c = xmalloc(sizeof(*c));
		*c = 1;
		strmap_put(&rp->names, p->name, p->name_len, c);
		rp->list = xrealloc(rp->list, (rp->n + 1) * sizeof(*rp->list));
		rp->list[rp->n++] = p->name;
	}
	return 0;
}

static int
collect(struct reported *rp, const struct snapshot *s, const char *data)
{
	struct store st = { data, NULL, &s->cmp, 0 };
	char (*macs)[MAC_LEN + 1];
	size_t n = 0;
	int rc = 0;

	memset(rp, 0, sizeof(*rp));
	strmap_init(&rp->names, 4096);
	if (unconfigured_macs(data, s, &macs, &n) < 0) {
		fprintf(stderr, "deskprov: %s: cannot read\n", data);
		return -1;
	}
	rp->states = xcalloc(s->n_phones + n + 1, sizeof(*rp->states));
	for (size_t i = 0; i < s->n_phones && rc == 0; i++)
		if (s->phones[i].mac[0] != '\0')
			rc = collect_phone(rp, &st, s->phones[i].mac);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = collect_phone(rp, &st, macs[i]);
	free(macs);
	return rc;
}

static void
reported_free(struct reported *rp)
{
	for (size_t i = 0; i < rp->n; i++)
		free(strmap_get(&rp->names, rp->list[i], strlen(rp->list[i])));
	strmap_free(&rp->names);
	free(rp->list);
	for (size_t i = 0; i < rp->n_states; i++)
		store_state_free(&rp->states[i]);
	free(rp->states);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static size_t
print_missing(const struct reported *rp, const struct strmap *schema)
{
	const char **names = xcalloc(rp->n + 1, sizeof(*names));
	size_t k = 0;

	for (size_t i = 0; i < rp->n; i++)
		if (strmap_get(schema, rp->list[i], strlen(rp->list[i])) == NULL)
			names[k++] = rp->list[i];
	qsort(names, k, sizeof(*names), str_cmp);
	printf("\nreported but not in schema.yml (%zu):\n", k);
	for (size_t i = 0; i < k; i++) {
		uintptr_t *c = strmap_get(&rp->names, names[i], strlen(names[i]));
		printf("  %-48s reported by %zu of %zu phone%s\n", names[i],
		    (size_t)*c, rp->n_states, rp->n_states == 1 ? "" : "s");
	}
	free(names);
	return k;
}

static size_t
print_unreported(const struct reported *rp, const struct ydoc *doc)
{
	const struct ynode *params = ymap_get(ymap_get(doc->root, "schema"),
	    "flat_profile_params");
	const char **names = xcalloc(YMAP_N(params) + 1, sizeof(*names));
	size_t k = 0;

	for (uint32_t i = 0; i < YMAP_N(params); i++) {
		const struct ynode *key = YMAP_KEY(params, i);
		if (strmap_get(&rp->names, key->str, key->len) == NULL)
			names[k++] = key->str;
	}
	qsort(names, k, sizeof(*names), str_cmp);
	printf("\nin schema.yml but not reported (%zu):\n", k);
	for (size_t i = 0; i < k; i++)
		printf("  %s\n", names[i]);
	free(names);
	return k;
}

/* Exit status as diff(1): 0 when both lists are empty, 1 when not, 2
 * when there is nothing to compare or an error. */
static int
cmd_schema_verify(int argc, char **argv)
{
	char paths[CF_COUNT][4096], err[512];
	const struct ynode *structure;
	struct app app;
	const struct snapshot *s;
	struct reported rp;
	struct strmap schema;
	struct ydoc doc;
	struct options o;
	size_t missing, unreported;
	int rc = 2;

	parse_options(argc, argv, 2, &o, 0, NULL, 0);
	if ((s = load_config(&app, "schema", &o.app)) == NULL)
		goto out_cs;
	config_paths(app.etc, app.schema_dir, paths);
	if (schema_names(paths[CF_SCHEMA], &doc, &schema, &structure, err,
	    sizeof(err)) < 0) {
		fprintf(stderr, "deskprov: %s\n", err);
		goto out_schema;
	}
	if (collect(&rp, s, app.data_dir) == 0 && rp.n_states == 0)
		fprintf(stderr, "deskprov: no phone in %s has reported its "
		    "configuration\n", app.data_dir);
	else if (rp.n_states > 0) {
		printf("schema: %s (%zu parameters)\nreported: %zu phone%s, "
		    "%zu distinct parameters\n", paths[CF_SCHEMA], schema.n,
		    rp.n_states, rp.n_states == 1 ? "" : "s", rp.n);
		missing = print_missing(&rp, &schema);
		unreported = print_unreported(&rp, &doc);
		printf("\n%zu reported but missing from schema.yml, %zu in "
		    "schema.yml but not reported\n", missing, unreported);
		rc = missing + unreported > 0;
	}
	reported_free(&rp);
out_schema:
	strmap_free(&schema);
	ydoc_free(&doc);
out_cs:
	app_free(&app);
	return rc;
}

/* ---- the command table ---- */

static const struct command {
	const char	*name;
	const char	*sub;		/* second word, or NULL */
	int		(*fn)(int argc, char **argv);
} commands[] = {
	{ "check", NULL, cmd_check },
	{ "render", NULL, cmd_render },
	{ "explain", NULL, cmd_explain },
	{ "compare", NULL, cmd_compare },
	{ "schema", "generate", cmd_schema_generate },
	{ "schema", "verify", cmd_schema_verify },
	{ "version", NULL, cmd_version },
};

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[1], c->name) != 0 || (c->sub != NULL &&
		    (argc < 3 || strcmp(argv[2], c->sub) != 0)))
			continue;
		return c->fn(argc - 1, argv + 1);
	}
	usage();
	return 2;
}
