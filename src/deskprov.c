/* deskprov: the command-line tool.  It links the same library as the
 * FastCGI executables, so what it checks and renders is exactly what they
 * would do. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "api_import.h"
#include "api_json.h"
#include "api_ops.h"
#include "app.h"
#include "atomicfile.h"
#include "config.h"
#include "explain.h"
#include "device.h"
#include "phoneview.h"
#include "app_profile.h"
#include "notify.h"
#include "dhcp.h"
#include "config_state.h"
#include "flatprofile.h"
#include "links.h"
#include "links_once.h"
#include "schematool.h"
#include "secret.h"
#include "settings.h"
#include "snapfile.h"
#include "store.h"
#include "tz.h"
#include "summary.h"
#include "vendor.h"
#include "app_rps.h"
#include "instrument.h"
#include "rps_batch.h"

static int	verbose;	/* -v: the library's log lines too */

/* The command being run, for its usage line. */
static const struct command	*current;

static void	usage_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void	cli_error(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2)));

/* Every error of the tool: once, on one line of stderr, "deskprov: ". */
static void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("deskprov: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The process context of a command: its flags, then the environment for
 * what they leave out -- the same struct app the servers build. */
static void
cli_app(struct app *app, const char *prog, struct app_options *o)
{
	app_options_from_env(o);
	app_init(app, prog, o);
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
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	if (got != npos)
		usage_error("%s", npos == 1 ? "which phone?" :
		    "missing arguments");
}

/* Why the configuration does not load, with the directory as the user
 * named it (the message names the file inside it). */
static void
config_error(const struct app *app)
{
	cli_error("%s: %s", app->etc, app->cs.error);
}

/* The context and its configuration, or NULL after a message. */
static const struct snapshot *
load_config(struct app *app, const char *prog, struct app_options *o)
{
	cli_app(app, prog, o);
	if (app->cs.snap == NULL)
		config_error(app);
	return app->cs.snap;
}

/* The phone a command is about (name, MAC in any spelling or serial
 * number), or NULL after a message; need_mac: only one with a MAC. */
static const struct phone *
find_phone(const struct snapshot *s, const char *ident, int need_mac)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph = NULL;

	if (ident_plausible(ident, strlen(ident))) {
		ident_key(ident, strlen(ident), key);
		ph = snapshot_find(s, key);
	}
	if (ph == NULL)
		cli_error("no phone %s in phones.yml", DIAG_Q(ident));
	else if (need_mac && ph->mac[0] == '\0')
		cli_error("phone %s has no MAC address", ph->id);
	return ph != NULL && (!need_mac || ph->mac[0] != '\0') ? ph : NULL;
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
			struct buf out;

			if (vendor_phone_request(s, ph, f, name, sizeof(name),
			    &vr) != 1)
				continue;
			buf_init(&out);
			(*files)++;
			if (vendor_render(&vr, &out, &res) < 0) {
				cli_error("phone %s: %s", ph->id, res.error);
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
	cli_error("check: %s (schema.yml is read from %s, else %s; the "
	    "packs from %s): set DESKPROV_SCHEMA_DIR to the directory that "
	    "holds schema.yml and the packs", missing, app->etc,
	    app->schema_dir, app->schema_dir);
	return -1;
}

/* The warnings of a snapshot, one line each: what --strict refuses. */
static void
print_warnings(const struct snapshot *s)
{
	char msg[DIAG_TEXT_MAX];

	for (size_t i = 0; i < snapshot_warnings_kept(s); i++) {
		diag_format(&s->warnings[i], msg, sizeof(msg));
		cli_error("warning: %s", msg);
	}
	if (s->n_warnings > SNAPSHOT_WARN_MAX)
		cli_error("warning: %zu more warnings not shown",
		    s->n_warnings - SNAPSHOT_WARN_MAX);
}

static int
cmd_check(int argc, char **argv)
{
	struct app_options o = { 0 };
	struct app app;
	const struct snapshot *s;
	size_t failed, files;
	int rc = 1, strict = 0;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--strict") == 0)
			strict = 1;
		else if (argv[i][0] != '-' && o.etc == NULL)
			o.etc = argv[i];
		else
			usage_error("check: unexpected argument '%.64s'",
			    argv[i]);
	cli_app(&app, "check", &o);
	if ((s = app.cs.snap) == NULL) {
		config_error(&app);
		goto out;
	}
	print_warnings(s);
	if ((failed = check_devices(s, &files)) > 0)
		cli_error("%zu of %zu device files do not render", failed,
		    files);
	else if (check_schema_found(&app, s) < 0)
		rc = 1;		/* it said why */
	else if (strict && s->n_warnings > 0)
		cli_error("%zu warning%s, refused by --strict", s->n_warnings,
		    s->n_warnings == 1 ? "" : "s");
	else {
		printf("ok: %s: %zu phones (%zu devices, %zu files rendered), "
		    "%zu common and %zu schema parameters, %zu vendor packs, "
		    "loaded in %.3f s%s\n", app.etc, s->n_phones, s->n_devices,
		    files, s->n_common, s->n_schema, s->packs.n,
		    s->load_seconds, s->n_warnings > 0 ? ", with warnings" : "");
		warn_passwords(s);
		rc = 0;
	}
out:
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
		cli_error("pack %s has no file of its own for phone %s",
		    ph->pack->name, ph->id);
		return -1;
	}
	buf_printf(uri, "/%s", name);
	return 0;
}

/* A log value made readable in place, up to its end: the escapes of a
 * space, '=', '"' and '\\' become the characters again; every other
 * escape (controls, bytes above ASCII) stays as it is. */
static const char *
unescape_spaces(char *v)
{
	static const struct { const char *esc; char c; } plain[] = {
		{ "\\x20", ' ' }, { "\\x3d", '=' }, { "\\x22", '"' },
		{ "\\x5c", '\\' },
	};
	char *w = v;

	for (char *r = v; *r != '\0' && *r != ' '; ) {
		size_t i = 0;
		while (i < sizeof(plain) / sizeof(plain[0]) &&
		    strncmp(r, plain[i].esc, 4) != 0)
			i++;
		if (i < sizeof(plain) / sizeof(plain[0])) {
			*w++ = plain[i].c;
			r += 4;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return v;
}

/* Why a render failed, once: the configuration's error, else the
 * request's log line (the template and line at fault) without its time
 * stamp; with -v the whole log line as a server would write it. */
static void
render_failure(const struct app *app, const struct response *rs,
    struct logline *log)
{
	char *fields;

	if (rs->status < 500) {
		logline_discard(log);
		return;
	}
	if (verbose) {
		logline_end(log);
		return;
	}
	buf_addc(&log->b, '\0');
	if (app->cs.error[0] != '\0')
		config_error(app);
	else if ((fields = strstr(log->b.data, " error=")) != NULL)
		cli_error("render failed: %s", unescape_spaces(fields + 7));
	else if ((fields = strstr(log->b.data, "] ")) != NULL)
		cli_error("render failed:%s", fields + 1);
	logline_discard(log);
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

	if (argc < 2 || argv[1][0] == '-')
		usage_error("render: which phone?");
	if (argc > 2 && strncmp(argv[2], "--", 2) != 0)
		file = argv[i++];
	for (; i < argc; i++) {
		if (i + 1 >= argc)
			usage_error("render: %.64s needs a value", argv[i]);
		if (strcmp(argv[i], "--ua") == 0)
			rq.user_agent = argv[++i];
		else if (strcmp(argv[i], "--ip") == 0)
			rq.remote_addr = argv[++i];
		else if (strcmp(argv[i], "--etc") == 0)
			o.etc = argv[++i];
		else
			usage_error("render: unknown option '%.64s'", argv[i]);
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
	buf_init(&out);
	response_serialize(&rs, &out);
	fwrite(out.data, 1, out.len, stdout);
	rc = rs.status < 400 ? 0 : 1;
	render_failure(&app, &rs, &log);
	buf_free(&out);
	buf_free(&uri);
	response_free(&rs);
	app_free(&app);
	return rc;
}

/* ---- explain ---- */

/* One line of explain's values table; secrets come without a value. */
static void
print_value(void *ctx, const struct explain_value *v)
{
	(void)ctx;
	printf("  %-40s %-8s %s\n", v->name, v->layer,
	    v->value != NULL ? v->value : "(secret, not shown)");
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

static int
explain_device(const struct snapshot *s, const struct phone *ph,
    const char *fname)
{
	struct vendor_file_req vr;
	struct vendor_result res;
	enum vendor_owner owner;
	struct buf out;
	char err[256];

	/* The file the server would send for that name, nothing else. */
	if (vendor_request(s, fname, NULL, &vr, &owner) != 1 ||
	    vr.pack != ph->pack || (vr.phone != NULL && vr.phone != ph)) {
		cli_error("%s is not a file of phone %s (pack %s)", fname,
		    ph->id, ph->pack->name);
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
	printf("values (path, layer, value):\n");
	if (explain_values(s, ph, &vr, print_value, NULL, err,
	    sizeof(err)) < 0)
		cli_error("%s", err);
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
	struct buf uri;
	int rc = 1, i = 2;

	if (argc < 2 || argv[1][0] == '-')
		usage_error("explain: which phone?");
	if (argc > 2 && strncmp(argv[2], "--", 2) != 0)
		file = argv[i++];
	for (; i < argc; i++) {
		if (i + 1 >= argc || strcmp(argv[i], "--etc") != 0)
			usage_error("explain: unexpected argument '%.64s'",
			    argv[i]);
		o.etc = argv[++i];
	}
	if (load_config(&app, "explain", &o) == NULL ||
	    (ph = find_phone(s = app.cs.snap, argv[1], 0)) == NULL)
		goto out;
	if (ph->pack == NULL) {
		printf("phone: %s  Cisco flat profile (no vendor pack)\n"
		    "values (parameter, layer, value):\n", ph->id);
		rc = explain_values(s, ph, NULL, print_value, NULL, NULL, 0);
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

/* Where compile writes without -o: the image the servers of DATA map,
 * under their lock, so that a server never starts a compile of its own
 * beside this one.  The lock's descriptor, or -1 after a message. */
static int
compile_target(const struct app *app, char *path, size_t n)
{
	char dir[APP_PATH_MAX + 16], lock[APP_PATH_MAX + 32];
	int fd;

	snprintf(dir, sizeof(dir), "%s/snapshot", app->data_dir);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		cli_error("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	snprintf(lock, sizeof(lock), "%s/lock", dir);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0 || flock(fd, LOCK_EX) < 0) {
		cli_error("cannot lock %s: %s", lock, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snapfile_clean(dir, "current");
	snprintf(path, n, "%s/current", dir);
	return fd;
}

static int
cmd_compile(int argc, char **argv)
{
	struct app_options o = { 0 };
	struct snapfile_info info;
	const char *out = NULL;
	char path[APP_PATH_MAX + 32], msg[DIAG_TEXT_MAX];
	struct diag err;
	struct app app;
	int lockfd = -1, rc;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--etc") == 0 && i + 1 < argc)
			o.etc = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o.data_dir = argv[++i];
		else
			usage_error("compile: unexpected argument '%.64s'",
			    argv[i]);
	app_options_from_env(&o);
	app_init_dirs(&app, "compile", &o);
	tz_set_zoneinfo_dir(o.zoneinfo);
	if (out != NULL)
		snprintf(path, sizeof(path), "%s", out);
	else if ((lockfd = compile_target(&app, path, sizeof(path))) < 0)
		return 1;
	rc = snapfile_compile(app.etc, app.schema_dir, path,
	    config_state_sig(app.etc, app.schema_dir), &info, &err);
	if (rc < 0) {
		diag_format(&err, msg, sizeof(msg));
		cli_error("%s: %s", app.etc, msg);
	} else if ((rc = snapfile_settle(path)) < 0)
		cli_error("cannot put %s on disk: %s", path, strerror(-rc));
	if (lockfd >= 0)
		close(lockfd);
	if (rc < 0)
		return 1;
	printf("%s: %" PRIu64 " phones, %" PRIu64 " bytes, compiled in %.3f "
	    "s\n", path, info.n_phones, info.length, info.compile_seconds);
	return 0;
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("deskprov %s\n", DESKPROV_VERSION);
	return 0;
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
	    (ph = find_phone(s, ident, 1)) == NULL)
		goto out_cs;
	st = (struct store){ app.data_dir, app_key(&app, NULL), &s->cmp, 0 };
	src = (struct view_source){ &st, s, st.key, NULL, time(NULL) };
	buf_init(&out);
	if (phone_view_load(&v, &src, ph, NULL, msg) != STORE_OK) {
		cli_error("%s", msg);
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

/* ---- deskprov notify ---- */

/* "[#####.....] 12/40" on a terminal, redrawn in place; nothing when
 * stderr is a file or a pipe. */
static void
progress_bar(void *ctx, size_t done, size_t total)
{
	char bar[41];
	size_t k = total ? done * 40 / total : 40;

	(void)ctx;
	memset(bar, '#', k);
	memset(bar + k, '.', 40 - k);
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %zu/%zu%s", bar, done, total,
	    done == total ? "\n" : "");
}

/* "50", "50/s" or "2.5/s": NOTIFYs a second; -1 when it is none. */
static double
parse_rate(const char *v)
{
	char *end;
	double r = strtod(v, &end);

	if (end == v || (strcmp(end, "") != 0 && strcmp(end, "/s") != 0) ||
	    !(r > 0 && r <= 100000))
		return -1;
	return r;
}

static int
cmd_notify(int argc, char **argv)
{
	struct app app;
	struct app_options ao = { 0 };
	const struct snapshot *s;
	struct notify_target *t = NULL;
	struct notify_summary sum;
	struct notify_opts o = { .wait = 2.0 };
	const char *sel = NULL;
	char err[256];
	double rate = 0;
	long n;
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--reboot") == 0)
			o.reboot = 1;
		else if (strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
			if ((rate = parse_rate(argv[++i])) < 0)
				usage_error("--rate: a number of NOTIFYs a "
				    "second, such as 20/s");
		} else if (strcmp(argv[i], "--wait") == 0 && i + 1 < argc)
			o.wait = atof(argv[++i]);
		else if (strcmp(argv[i], "--etc") == 0 && i + 1 < argc)
			ao.etc = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			ao.data_dir = argv[++i];
		else if (argv[i][0] != '-' && sel == NULL)
			sel = argv[i];
		else
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	if (sel == NULL)
		usage_error("which phones? (a phone, all, vendor:X, model:Y)");
	if ((s = load_config(&app, "notify", &ao)) == NULL)
		goto out;
	if ((n = notify_select(s, app.data_dir, sel, &t, err,
	    sizeof(err))) < 0) {
		cli_error("%s", err);
		goto out;
	}
	if (n == 0) {
		cli_error("no phone with a MAC matches %s", DIAG_Q(sel));
		goto out;
	}
	o.rate = rate > 0 ? rate : (double)s->svc.pnp.notify_rate;
	o.data_dir = app.data_dir;
	o.progress = isatty(STDERR_FILENO) ? progress_bar : NULL;
	if (notify_send_all(t, (size_t)n, &o, &sum) < 0) {
		cli_error("no UDP socket");
		goto out;
	}
	printf("sent %zu, answered %zu, failed %zu (no contact %zu, no "
	    "answer %zu, refused %zu)\n", sum.sent, sum.answered, sum.failed,
	    sum.no_contact, sum.no_answer, sum.refused);
	rc = sum.failed > 0;
out:
	free(t);
	app_free(&app);
	return rc;
}

/* ---- deskprov dhcp-event ---- */

static const char *
env_get(const char *name)
{
	return getenv(name);
}

/* Called by the DHCP server, whose log is where a refusal goes: exit
 * status 0 for a lease kept (or an event without one), 1 for an event
 * that does not validate, 2 when it cannot be stored. */
static int
cmd_dhcp_event(int argc, char **argv)
{
	struct app app;
	struct app_options ao = { 0 };
	struct dhcp_lease l;
	const char *pack = NULL, *model = NULL;
	char err[256];
	int first = 1, rc;

	if (argc > 2 && strcmp(argv[1], "--data") == 0) {
		ao.data_dir = argv[2];
		first = 3;
	}
	if (dhcp_event_parse(argc - first, argv + first, env_get, &l, err,
	    sizeof(err)) < 0) {
		cli_error("dhcp-event: %s", err);
		return 1;
	}
	cli_app(&app, "dhcp", &ao);
	if ((rc = dhcp_store(app.data_dir, &l)) < 0) {
		cli_error("dhcp-event: %s/" DHCP_DIR ": %s", app.data_dir,
		    strerror(-rc));
		app_free(&app);
		return 2;
	}
	if (app.cs.snap != NULL && l.action == DHCP_ADD)
		dhcp_guess(app.cs.snap, &l, &pack, &model);
	if (l.action != DHCP_IGNORE)
		printf("%s %s %s vendor=%s model=%s\n", l.action == DHCP_ADD ?
		    "learned" : "forgot", l.mac, l.addr, pack ? pack : "-",
		    model ? model : "-");
	app_free(&app);
	return 0;
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
		cli_error("%s", err);
		return -1;
	}
	if (store_id_valid(from, strlen(from))) {
		report_init(r, REPORT_CONFIG);
		if (store_load(&st, from, &sr, msg) != STORE_OK)
			cli_error("%s", msg);
		else if (sr.head.kind == REPORT_STATUS)
			cli_error("%s is a status report, not a "
			    "configuration", from);
		else
			report_merge(r, &sr.data);
		stored_report_free(&sr);
		return r->n > 0 ? 0 : -1;
	}
	if (mac_parse(from, strlen(from), mac) != MAC_OK) {
		if (s == NULL || (ph = find_phone(s, from, 1)) == NULL)
			return -1;
		memcpy(mac, ph->mac, sizeof(mac));
	}
	if (store_current(&st, mac, &state, msg) != STORE_OK) {
		store_state_free(&state);
		cli_error("%s", msg);
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
		cli_error("the YAML emitter failed");
	else if (schema_install(cs->etc, out.data, out.len, now, backup,
	    sizeof(backup), err, sizeof(err)) < 0)
		cli_error("%s", err);
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
		usage_error("schema generate: --from-report is needed");
	/* A broken config must not stop the workflow that repairs it. */
	cli_app(&app, "schema", &o.app);
	settings_defaults(&svc, &fw, &cmp);
	if (app.cs.snap == NULL)
		cli_error("note: %s", app.cs.error);
	if (source_report(o.from, app.cs.snap, app.data_dir, &r) < 0)
		goto out;
	if (r.n == 0)
		cli_error("the report has no parameters");
	else if (write_schema(&app.cs, &r, app.cs.snap ? &app.cs.snap->cmp :
	    &cmp, o.from) == 0) {
		config_state_init_dirs(&check, "schema", app.etc,
		    app.schema_dir);
		if (check.snap == NULL)
			cli_error("the configuration does not "
			    "load with the new schema: %s", check.error);
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
			cli_error("%s", msg);
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
	/* Every phone with anything stored, configured or not. */
	if (stored_macs(data, &macs, &n) < 0) {
		cli_error("%s: cannot read", data);
		return -1;
	}
	rp->states = xcalloc(n + 1, sizeof(*rp->states));
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
		cli_error("%s", err);
		goto out_schema;
	}
	if (collect(&rp, s, app.data_dir) == 0 && rp.n_states == 0)
		cli_error("no phone in %s has reported its "
		    "configuration", app.data_dir);
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

/* ---- deskprov files ---- */

static const char *const scope_names[] = { "phone", "model", "common" };

/* One file of a device's pack, as the server would answer it: the name
 * goes through vendor_request(), the one lookup profile.fcgi uses, and
 * is rendered when it comes back to this phone.  Returns the request in
 * *vr when the file is the phone's, for the firmware line. */
static int
files_device_file(const struct snapshot *s, const struct phone *ph,
    const struct pack_file *f, struct vendor_file_req *vr)
{
	struct vendor_result res;
	struct buf out;
	char name[256];
	int ok, r = vendor_phone_request(s, ph, f, name, sizeof(name), vr);

	if (r < 0) {
		printf("  %-16s %s  (%s: the model has no value for it)\n",
		    "not configured", f->pattern, scope_names[f->scope]);
		return 0;
	}
	if (r == 0 || vr->pack != ph->pack ||
	    (vr->phone != NULL && vr->phone != ph)) {
		printf("  %-16s /%s  (another pack or phone answers it)\n",
		    "not configured", name);
		return 0;
	}
	buf_init(&out);
	ok = vendor_render(vr, &out, &res) == 0;
	printf("  %-16s /%s  (%s%s, %zu bytes)\n", ok ? "rendered" :
	    "render error", name, scope_names[f->scope], f->secrets ?
	    ", secrets" : "", out.len);
	if (!ok)
		cli_error("phone %s: %s", ph->id, res.error);
	buf_free(&out);
	return ok ? 1 : -1;
}

/* The firmware a device is offered: firmware.url of its merged layers,
 * from the same template data its files get. */
static void
files_device_firmware(const struct vendor_file_req *vr)
{
	json_object *d, *fw, *url = NULL, *ver = NULL;
	char err[256];

	d = vr != NULL ? vendor_data(vr, NULL, err, sizeof(err)) : NULL;
	if (d != NULL && json_object_object_get_ex(d, "firmware", &fw)) {
		json_object_object_get_ex(fw, "url", &url);
		json_object_object_get_ex(fw, "version", &ver);
	}
	if (url != NULL && json_object_get_string_len(url) > 0)
		printf("  %-16s %s  (version %s)\n", "firmware",
		    json_object_get_string(url), ver != NULL ?
		    json_object_get_string(ver) : "not set");
	else
		printf("  %-16s firmware  (no firmware.url in the device "
		    "layers)\n", "not configured");
	json_object_put(d);
}

static int
files_device(const struct snapshot *s, const struct phone *ph)
{
	struct vendor_file_req vr, first;
	int have = 0, rc = 0, r;

	printf("phone %s (%s): %s %s, files in boot order:\n", ph->id,
	    ph->mac, ph->pack->name, ph->pmodel->name);
	for (size_t i = 0; i < ph->pack->n_files; i++) {
		if ((r = files_device_file(s, ph, &ph->pack->files[i],
		    &vr)) < 0)
			rc = 1;
		if (r > 0 && !have) {
			first = vr;
			have = 1;
		}
	}
	files_device_firmware(have ? &first : NULL);
	return rc;
}

/* A Cisco flat-profile phone fetches one profile, by MAC or by name
 * (its Profile_Rule decides), and is offered firmware through it: the
 * decision is flatprofile_firmware()'s, for a phone of its model that
 * runs an older version. */
static int
files_flat(const struct snapshot *s, const struct phone *ph)
{
	struct useragent ua = { .vendor = "cisco", .version = "0" };
	struct fw_decision fw;
	struct buf out;

	buf_init(&out);
	flatprofile_render(s, ph, &out);
	printf("phone %s (%s): Cisco flat profile, files in boot order:\n",
	    ph->id, ph->mac[0] ? ph->mac : "no MAC");
	if (ph->mac[0])
		printf("  %-16s /%s.xml  (%zu bytes)\n", "rendered", ph->mac,
		    out.len);
	printf("  %-16s /%s.xml  (the same profile, by name)\n", "rendered",
	    ph->id);
	buf_free(&out);
	if (ph->model == NULL) {
		printf("  %-16s firmware  (%s)\n", s->fw.update_enabled ?
		    "depends" : "not configured", s->fw.update_enabled ?
		    "on the model the phone reports; set model: in phones.yml"
		    : "firmware.yml: updates are off");
		return 0;
	}
	snprintf(ua.product, sizeof(ua.product), "%s", ph->model);
	if (flatprofile_firmware(s, &ua, &fw))
		printf("  %-16s %s  (version %s, offered while the phone runs "
		    "another)\n", "firmware", fw.url ? fw.url : "(no URL)",
		    fw.version ? fw.version : "not set");
	else
		printf("  %-16s firmware  (none for a %s in firmware.yml)\n",
		    "not configured", ph->model);
	return 0;
}

static int
cmd_files(int argc, char **argv)
{
	struct app app;
	const struct snapshot *s;
	const struct phone *ph;
	const char *ident;
	struct options o;
	int rc = 1;

	parse_options(argc, argv, 1, &o, 0, &ident, 1);
	if ((s = load_config(&app, "files", &o.app)) != NULL &&
	    (ph = find_phone(s, ident, 0)) != NULL)
		rc = ph->pack != NULL ? files_device(s, ph) :
		    files_flat(s, ph);
	app_free(&app);
	return rc;
}

/* ---- link: personal keys, the fleet token, one-time links ---- */

/* A number argument within [1, max]. */
static long
number_arg(const char *opt, const char *v, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < 1 || n > max)
		usage_error("%s wants a number from 1 to %ld", opt, max);
	return n;
}

static int
cmd_link_create(int argc, char **argv)
{
	struct links_once_spec sp = { 0 };
	struct app_options o = { 0 };
	char id[LINKS_ONCE_ID_LEN + 1], msg[160];
	const struct snapshot *s;
	const struct phone *ph;
	const char *ident = NULL;
	struct buf url;
	struct app app;
	int rc = 1;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--uses") == 0 && i + 1 < argc)
			sp.uses = number_arg("--uses", argv[++i],
			    LINKS_ONCE_USES_MAX);
		else if (strcmp(argv[i], "--minutes") == 0 && i + 1 < argc)
			sp.minutes = number_arg("--minutes", argv[++i],
			    LINKS_ONCE_MINUTES_MAX);
		else if (strcmp(argv[i], "--until-report") == 0)
			sp.until_report = 1;
		else if (strcmp(argv[i], "--etc") == 0 && i + 1 < argc)
			o.etc = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o.data_dir = argv[++i];
		else if (argv[i][0] != '-' && ident == NULL)
			ident = argv[i];
		else
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	if (ident == NULL)
		usage_error("which phone?");
	if ((s = load_config(&app, "link", &o)) == NULL ||
	    (ph = find_phone(s, ident, 0)) == NULL)
		goto out;
	if (links_once_new(app.data_dir, ph, &sp, s->svc.links.once_max,
	    time(NULL), id, msg, sizeof(msg)) < 0) {
		cli_error("%s: %s", app.data_dir, msg);
		goto out;
	}
	/* Printed once: only its hash is kept. */
	buf_init(&url);
	links_phone_base_url(s, NULL, &url);
	printf("%so/%s/\n", url.data, id);
	buf_free(&url);
	rc = 0;
out:
	app_free(&app);
	return rc;
}

/* ---- deskprov summary rebuild ---- */

/* The summary index (summary.h) built afresh from the stored reports:
 * after restoring a backup, after reports were copied in by hand, or to
 * compare every phone against the current configuration again.  Running
 * servers switch to the new file within a second. */
static int
cmd_summary_rebuild(int argc, char **argv)
{
	char path[sizeof(((struct app *)0)->data_dir) + 32];
	char msg[SUMMARY_MSG_MAX];
	const struct snapshot *s;
	struct options o;
	struct app app;
	long n;
	int rc = 1;

	parse_options(argc, argv, 2, &o, 0, NULL, 0);
	if ((s = load_config(&app, "summary", &o.app)) == NULL)
		goto out;
	snprintf(path, sizeof(path), "%s/%s/index", app.data_dir,
	    SUMMARY_DIR);
	if (unlink(path) < 0 && errno != ENOENT) {
		cli_error("cannot remove %s: %s", path, strerror(errno));
		goto out;
	}
	if ((app.summary = summary_open(app.data_dir, s->n_phones,
	    msg)) == NULL) {
		cli_error("%s", msg);
		goto out;
	}
	if ((n = summary_rebuild(app.summary, &app, s, msg)) < 0) {
		cli_error("%s", msg);
		goto out;
	}
	printf("summary index rebuilt: %zu phones with reports or fetches "
	    "(%zu configured)\n", summary_count(app.summary), s->n_phones);
	rc = 0;
out:
	app_free(&app);
	return rc;
}

/* ---- rps: the vendors' redirect services (src/lib/rps_batch.c) ---- */

/* The shared metrics store, only when a server made it already: a file
 * the tool created (often as root) could shut the web server's user out
 * of its own counters. */
static struct metrics *
rps_metrics(const struct app *app)
{
	char path[APP_PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/metrics.state", app->data_dir);
	return access(path, W_OK) == 0 ? instrument_open(app->data_dir, "rps") :
	    NULL;
}

/* deskprov rps OP SELECTOR [--dry-run] [--etc ETC] [--data DATA]; sync
 * takes no selector (every device, when rps.yml says auto: true). */
static int
cmd_rps_op(int argc, char **argv, enum rps_op op, int sync)
{
	struct rps_batch_opts bo = { .op = op, .sync = sync,
	    .now = (long long)time(NULL), .selector = sync ? "all" : NULL };
	struct app_options ao = { 0 };
	struct rps_batch_sum sum;
	const struct snapshot *s;
	const struct rps_conf *c;
	struct app app;
	struct diag d;
	int rc = 2;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0)
			bo.dry_run = 1;
		else if (strcmp(argv[i], "--etc") == 0 && i + 1 < argc)
			ao.etc = argv[++i];
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			ao.data_dir = argv[++i];
		else if (!sync && bo.selector == NULL &&
		    rps_batch_selector_ok(argv[i]))
			bo.selector = argv[i];
		else
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	if (bo.selector == NULL)
		usage_error("which devices? PHONE, all, vendor:X or model:Y");
	if ((s = load_config(&app, "rps", &ao)) == NULL)
		goto out;
	if ((c = app_rps_conf(&app, &d)) == NULL) {
		cli_error("%s: rps.yml: %s", app.etc, d.msg);
		goto out;
	}
	if (sync && !c->auto_register) {
		printf("sync: automatic registration is off (rps.yml auto)\n");
		rc = 0;
		goto out;
	}
	app.metrics = bo.dry_run ? NULL : rps_metrics(&app);
	bo.progress = isatty(STDERR_FILENO) ? stderr : NULL;
	rc = rps_batch_run(&app, s, c, &bo, &sum, stdout);
	rc = rc < 0 ? 2 : rc;
out:
	app_free(&app);
	return rc;
}

/* ---- device and import: the management API's operations (api_ops.h) ---- */

/* Options of the device commands. */
struct dev_options {
	struct app_options	 app;		/* --etc */
	struct api_list_query	 q;		/* list filters */
	const char		*if_match;	/* --if-match */
	int			 dry_run;	/* --dry-run */
	const char		*pos[2];
	int			 npos;
};

static void
dev_options(int argc, char **argv, int first, struct dev_options *o,
    int npos)
{
	static const struct { const char *flag; size_t off; } vals[] = {
		{ "--etc", offsetof(struct dev_options, app.etc) },
		{ "--vendor", offsetof(struct dev_options, q.vendor) },
		{ "--model", offsetof(struct dev_options, q.model) },
		{ "--mac", offsetof(struct dev_options, q.mac) },
		{ "--name", offsetof(struct dev_options, q.name) },
		{ "--q", offsetof(struct dev_options, q.q) },
		{ "--if-match", offsetof(struct dev_options, if_match) },
	};

	memset(o, 0, sizeof(*o));
	o->q.limit = API_LIST_MAX;
	for (int i = first; i < argc; i++) {
		size_t k = 0;
		while (k < sizeof(vals) / sizeof(vals[0]) &&
		    strcmp(argv[i], vals[k].flag) != 0)
			k++;
		if (k < sizeof(vals) / sizeof(vals[0]) && i + 1 < argc)
			*(const char **)(void *)((char *)o + vals[k].off) =
			    argv[++i];
		else if (strcmp(argv[i], "--dry-run") == 0)
			o->dry_run = 1;
		else if ((argv[i][0] != '-' || strcmp(argv[i], "-") == 0) &&
		    o->npos < npos)
			o->pos[o->npos++] = argv[i];
		else
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	if (o->npos != npos)
		usage_error("missing arguments");
}

static void
print_json(json_object *o)
{
	printf("%s\n", json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The result of an operation: the JSON on stdout, or the refusal as
 * "deskprov: <status> <message>" (and the unknown fields); 0 or 1. */
static int
dev_result(int rc, json_object *out, struct api_problem *pb)
{
	if (rc < 0) {
		cli_error("%d %s", pb->status, pb->msg);
		if (pb->fields != NULL)
			cli_error("unknown fields: %s",
			    json_object_to_json_string(pb->fields));
		api_problem_free(pb);
		return 1;
	}
	print_json(out);
	json_object_put(out);
	return 0;
}

static int
cmd_device_list(int argc, char **argv)
{
	struct dev_options o;
	struct api_problem pb;
	json_object *out = NULL, *items;
	struct app app;
	int rc = 1;

	dev_options(argc, argv, 2, &o, 0);
	api_problem_init(&pb);
	if (load_config(&app, "device", &o.app) != NULL &&
	    (rc = api_ops_list(&app, &o.q, "", &out, &pb)) == 0) {
		json_object_object_get_ex(out, "items", &items);
		for (size_t i = 0; i < json_object_array_length(items); i++) {
			json_object *it = json_object_array_get_idx(items, i);
			json_object *f[5];
			static const char *const k[5] = { "id", "vendor",
			    "model", "mac", "source" };
			for (int j = 0; j < 5; j++)
				json_object_object_get_ex(it, k[j], &f[j]);
			printf("%-24s %-12s %-16s %-12s %s\n",
			    json_object_get_string(f[0]), f[1] ?
			    json_object_get_string(f[1]) : "-", f[2] ?
			    json_object_get_string(f[2]) : "-", f[3] ?
			    json_object_get_string(f[3]) : "-",
			    json_object_get_string(f[4]));
		}
		json_object_put(out);
	} else if (rc != 1)
		rc = dev_result(rc, NULL, &pb);
	app_free(&app);
	return rc != 0;
}

static int
cmd_device_get(int argc, char **argv)
{
	struct dev_options o;
	struct api_problem pb;
	json_object *out = NULL;
	struct app app;
	int rc = 1;

	dev_options(argc, argv, 2, &o, 1);
	api_problem_init(&pb);
	if (load_config(&app, "device", &o.app) != NULL) {
		rc = api_ops_get(&app, o.pos[0], "", &out, &pb);
		rc = dev_result(rc, out, &pb);
	}
	app_free(&app);
	return rc;
}

/* All of stdin, a pipe or a file, at most max bytes (caller frees). */
static int
read_stdin(size_t max, char **out, size_t *len)
{
	struct buf b;
	char chunk[4096];
	ssize_t r;

	buf_init(&b);
	while ((r = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0) {
		if (b.len + (size_t)r > max) {
			buf_free(&b);
			return -EFBIG;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	*len = b.len;
	*out = b.data ? buf_detach(&b) : xstrdup("");
	return r < 0 ? -EIO : 0;
}

/* The body of `device put`: a file, or stdin for "-". */
static json_object *
read_body_file(const char *path)
{
	char *data, err[128];
	json_object *o = NULL;
	size_t len;
	int rc;

	rc = strcmp(path, "-") == 0 ? read_stdin(65536, &data, &len) :
	    af_read_path(path, 65536, &data, &len);
	if (rc < 0) {
		cli_error("%s: %s", path, rc == -EFBIG ? "larger than 64 KiB" :
		    strerror(-rc));
		return NULL;
	}
	if (api_json_parse(data, len, &o, err, sizeof(err)) < 0)
		cli_error("%s: %s", path, err);
	free(data);
	return o;
}

static int
cmd_device_put(int argc, char **argv)
{
	struct dev_options o;
	struct api_problem pb;
	json_object *out = NULL, *body;
	enum api_change ch;
	struct app app;
	int rc = 1;

	dev_options(argc, argv, 2, &o, 2);
	api_problem_init(&pb);
	if ((body = read_body_file(o.pos[1])) == NULL)
		return 1;
	if (load_config(&app, "device", &o.app) != NULL) {
		rc = api_ops_put(&app, &(struct api_write){ .id = o.pos[0],
		    .body = body, .if_match = o.if_match, .base = "",
		    .dry_run = o.dry_run }, &out, &ch, &pb);
		rc = dev_result(rc, out, &pb);
	}
	json_object_put(body);
	app_free(&app);
	return rc;
}

static int
cmd_link_key(int argc, char **argv)
{
	char key[LINKS_KEY_LEN + 1];

	(void)argv;
	if (argc > 2)
		usage_error("link key takes no argument");
	if (links_key_new(key) < 0) {
		cli_error("no random bytes");
		return 1;
	}
	printf("%s\n", key);
	return 0;
}

/* A new fleet token, and the line serviceconfig.yml keeps instead. */
static int
cmd_link_token(int argc, char **argv)
{
	char token[LINKS_KEY_LEN + 1], hex[65];

	(void)argv;
	if (argc > 2)
		usage_error("link token takes no argument");
	if (links_key_new(token) < 0) {
		cli_error("no random bytes");
		return 1;
	}
	links_token_hash(token, strlen(token), hex);
	printf("token: %s\nserviceconfig.yml links: token_sha256: %s\n",
	    token, hex);
	return 0;
}

static int
cmd_link_sweep(int argc, char **argv)
{
	struct app_options o = { 0 };
	struct app app;
	size_t left;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			o.data_dir = argv[++i];
		else
			usage_error("unexpected argument '%.64s'", argv[i]);
	}
	cli_app(&app, "link", &o);
	left = links_once_sweep(app.data_dir, time(NULL));
	printf("%zu one-time link%s left\n", left, left == 1 ? "" : "s");
	app_free(&app);
	return 0;
}

static int
cmd_device_rm(int argc, char **argv)
{
	struct dev_options o;
	struct api_problem pb;
	struct app app;
	int rc = 1;

	dev_options(argc, argv, 2, &o, 1);
	api_problem_init(&pb);
	if (load_config(&app, "device", &o.app) != NULL) {
		rc = api_ops_delete(&app, o.pos[0], o.if_match, 0, &pb);
		rc = rc < 0 ? dev_result(rc, NULL, &pb) : 0;
	}
	app_free(&app);
	return rc;
}

static int
cmd_import(int argc, char **argv)
{
	struct import_summary sum;
	struct dev_options o;
	struct app app;
	int rc = 2;

	dev_options(argc, argv, 1, &o, 1);
	if (load_config(&app, "import", &o.app) != NULL) {
		rc = api_import_path(&app, o.pos[0], o.dry_run, stdout, &sum);
		printf("%s%zu created, %zu updated, %zu unchanged, %zu failed\n",
		    o.dry_run ? "dry run: " : "", sum.created, sum.updated,
		    sum.unchanged, sum.failed);
		rc = rc < 0 ? 2 : sum.failed > 0;
	}
	app_free(&app);
	return rc;
}

static int
cmd_rps_register(int argc, char **argv)
{
	return cmd_rps_op(argc, argv, RPS_OP_REGISTER, 0);
}

static int
cmd_rps_deregister(int argc, char **argv)
{
	return cmd_rps_op(argc, argv, RPS_OP_DEREGISTER, 0);
}

static int
cmd_rps_check(int argc, char **argv)
{
	return cmd_rps_op(argc, argv, RPS_OP_CHECK, 0);
}

static int
cmd_rps_sync(int argc, char **argv)
{
	return cmd_rps_op(argc, argv, RPS_OP_REGISTER, 1);
}

/* ---- the command table: the one source of the usage text ---- */

static const struct command {
	const char	*name;
	const char	*sub;		/* second word, or NULL */
	int		(*fn)(int argc, char **argv);
	const char	*args;		/* the synopsis after the name */
	const char	*summary;	/* one line */
	const char	*details;	/* more lines, or NULL */
} commands[] = {
	{ "check", NULL, cmd_check, "[ETC] [--strict]",
	    "load the configuration and render every file of every device",
	    "Exit status 0 when it loads and every file renders, 1 otherwise.\n"
	    "Warnings (a key of a Cisco phone one typo away from a known key,\n"
	    "sent to the phone as written) are printed; --strict makes them\n"
	    "errors." },
	{ "files", NULL, cmd_files, "PHONE [--etc ETC]",
	    "list every file PHONE fetches, in boot order, with its status",
	    "Status: rendered, render error, not configured (a file name\n"
	    "needs a value the model lacks, or no firmware is set), firmware." },
	{ "render", NULL, cmd_render,
	    "IDENT [FILE] [--ua USER-AGENT] [--ip ADDRESS] [--etc ETC]",
	    "print the answer a phone gets for FILE (default: its main file)",
	    "The headers and body, as profile.fcgi would send them; exit\n"
	    "status 0 for a 2xx or 3xx answer, 1 otherwise." },
	{ "explain", NULL, cmd_explain, "IDENT [FILE] [--etc ETC]",
	    "show the template and the layer behind every value of a file",
	    NULL },
	{ "compare", NULL, cmd_compare, "PHONE [--etc ETC] [--data DATA]",
	    "compare PHONE's last report with its configuration",
	    "Exit status as diff(1): 0 in sync, 1 differences, 2 trouble." },
	{ "schema", "generate", cmd_schema_generate,
	    "--from-report FILE|PHONE|ID [--etc ETC] [--data DATA]",
	    "write ETC/schema.yml from a report, keeping the old one",
	    NULL },
	{ "schema", "verify", cmd_schema_verify, "[--etc ETC] [--data DATA]",
	    "list parameters reported but not in schema.yml, and the reverse",
	    "Exit status 0 when both lists are empty, 1 when not, 2 on "
	    "trouble." },
	{ "compile", NULL, cmd_compile, "[-o FILE] [--etc ETC] [--data DATA]",
	    "compile the configuration into the snapshot the servers map",
	    "Without -o, into DATA/snapshot/current, under the servers' lock:\n"
	    "every FastCGI process of DATA takes it at its next look at the\n"
	    "files.  With -o, into FILE, to ship: a server started with\n"
	    "DESKPROV_SNAPSHOT=FILE serves it as it is (docs/snapshot.md).\n"
	    "Exit status 0 when it compiles, 1 otherwise." },
	{ "link", "create", cmd_link_create, "PHONE [--uses N] [--minutes T] "
	    "[--until-report] [--etc ETC] [--data DATA]",
	    "make a one-time link for PHONE and print its URL, once",
	    "Valid for N fetches of the phone's own files, for T minutes, or\n"
	    "until the phone's next report, whichever ends first (no option:\n"
	    "one fetch).  Run it as the user the FastCGI programs run as:\n"
	    "the link is a file in DATA/links/." },
	{ "link", "key", cmd_link_key, "",
	    "print a new personal-link key for a phone entry's link_key",
	    NULL },
	{ "link", "token", cmd_link_token, "",
	    "print a new fleet token and the SHA-256 serviceconfig.yml keeps",
	    NULL },
	{ "link", "sweep", cmd_link_sweep, "[--data DATA]",
	    "remove expired and used-up one-time links", NULL },
	{ "device", "list", cmd_device_list, "[--vendor V] [--model M] "
	    "[--mac MAC] [--name TEXT] [--q TEXT] [--etc ETC]",
	    "list the phones and devices (those of phones.yml too)", NULL },
	{ "device", "get", cmd_device_get, "ID [--etc ETC]",
	    "print a device as the API gives it, secrets masked", NULL },
	{ "device", "put", cmd_device_put,
	    "ID FILE|- [--if-match ETAG] [--dry-run] [--etc ETC]",
	    "write ETC/devices.d/ID.yml from a JSON body (deskprov's or Sonata's)",
	    "The body is checked by the config loader first, as the API does;\n"
	    "exit status 0 when written (or, with --dry-run, when it would be)." },
	{ "device", "rm", cmd_device_rm, "ID [--if-match ETAG] [--etc ETC]",
	    "remove ETC/devices.d/ID.yml", NULL },
	{ "import", NULL, cmd_import, "FILE.csv|FILE.json|DIR [--dry-run] [--etc ETC]",
	    "write many devices from a vendor CSV, Sonata JSON or a directory",
	    "Prints one line per device that failed and a summary (created,\n"
	    "updated, unchanged, failed); exit status 0 when none failed, 1\n"
	    "when some did, 2 when the input could not be read." },
	{ "rps", "register", cmd_rps_register,
	    "PHONE|all|vendor:X|model:Y [--dry-run] [--etc ETC] [--data DATA]",
	    "register devices with their vendor's redirect service",
	    "Each device is pointed at its own URL (rps.yml base_url and the\n"
	    "vendor's file placeholder).  Devices registered before with the\n"
	    "same URL are left alone, so a re-run retries only failures and\n"
	    "changes.  Exit status 0 when nothing failed, 1 otherwise." },
	{ "rps", "deregister", cmd_rps_deregister,
	    "PHONE|all|vendor:X|model:Y [--dry-run] [--etc ETC] [--data DATA]",
	    "remove devices from their vendor's redirect service", NULL },
	{ "rps", "check", cmd_rps_check,
	    "PHONE|all|vendor:X|model:Y [--etc ETC] [--data DATA]",
	    "ask the redirect services what they know of devices",
	    "Fanvil's service has no such call." },
	{ "rps", "sync", cmd_rps_sync, "[--dry-run] [--etc ETC] [--data DATA]",
	    "register new and changed devices when rps.yml says auto: true",
	    "Failures are retried with a backoff from one minute to six\n"
	    "hours; run by deskprov-rps-sync.timer." },
	{ "notify", NULL, cmd_notify,
	    "PHONE|all|vendor:X|model:Y [--reboot] [--rate N/s] [--wait S] "
	    "[--etc ETC] [--data DATA]",
	    "make phones fetch their files again (SIP NOTIFY check-sync)",
	    "Sent to each phone's last known SIP contact, at --rate NOTIFYs a\n"
	    "second (default pnp.notify_rate); --reboot sends the vendor's\n"
	    "reboot event.  Prints sent, answered and failed; exit status 0\n"
	    "when every phone answered, 1 when one did not, 2 on trouble." },
	{ "dhcp-event", NULL, cmd_dhcp_event,
	    "[--data DATA] add|old|del|commit|release|expiry|HOOK [MAC IP ...]",
	    "record a DHCP lease (hook for dnsmasq, ISC dhcpd and Kea)",
	    "dnsmasq: --dhcp-script=deskprov-dhcp (a wrapper running deskprov\n"
	    "dhcp-event \"$@\"); ISC dhcpd: on commit { execute(\"deskprov\",\n"
	    "\"dhcp-event\", \"commit\", MAC, IP, option 60, host name); };\n"
	    "Kea: libdhcp_run_script.so with a script that runs deskprov\n"
	    "dhcp-event \"$1\".  Keeps MAC, address, vendor class and host\n"
	    "name in DATA/dhcp/." },
	{ "summary", "rebuild", cmd_summary_rebuild,
	    "[--etc ETC] [--data DATA]",
	    "rebuild the per-phone summary index from the stored reports",
	    "The fleet page, /status and /metrics read the index, which\n"
	    "report.fcgi and profile.fcgi keep up to date; a missing or\n"
	    "damaged index is rebuilt by the first program that needs it." },
	{ "version", NULL, cmd_version, "", "print the version", NULL },
};

#define N_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

static const char *const help_tail =
    "Options (before or after the command):\n"
    "  -v, --verbose  also print log lines (configuration loaded, ...)\n"
    "  -h, --help     print this help, or a command's, and exit\n"
    "  --version      print the version and exit\n"
    "\n"
    "ETC defaults to $DESKPROV_ETC, else ./etc; schema.yml is read from\n"
    "ETC, else $DESKPROV_SCHEMA_DIR.  DATA (the reports) defaults to\n"
    "$DESKPROV_DATA, else ./reports.  PHONE and IDENT are a MAC in any\n"
    "spelling, a name from phones.yml or a serial number.\n";

static void
synopsis(FILE *f, const char *lead, const struct command *c)
{
	fprintf(f, "%sdeskprov %s%s%s%s%s\n", lead, c->name, c->sub ? " " :
	    "", c->sub ? c->sub : "", c->args[0] ? " " : "", c->args);
}

/* deskprov --help: every command from the table, on stdout. */
static void
help_all(void)
{
	printf("usage: deskprov [-v] COMMAND [ARGUMENTS]\n"
	    "       deskprov COMMAND --help | --help | --version\n\n"
	    "Commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++) {
		synopsis(stdout, "  ", &commands[i]);
		printf("      %s\n", commands[i].summary);
	}
	printf("\n%s", help_tail);
}

/* deskprov COMMAND --help, on stdout. */
static void
help_one(const struct command *c)
{
	synopsis(stdout, "usage: ", c);
	printf("%s.\n", c->summary);
	if (c->details != NULL)
		printf("\n%s\n", c->details);
	printf("\n%s", help_tail);
}

/* A usage error: what is wrong, then the synopsis of the command (or
 * where to look), on stderr; exit status 2. */
static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("deskprov: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (current != NULL)
		synopsis(stderr, "usage: ", current);
	else
		fputs("usage: deskprov [-v] COMMAND [ARGUMENTS]; "
		    "deskprov --help lists the commands\n", stderr);
	exit(2);
}

/* Takes the global options out of argv, wherever they are (up to a
 * "--"); returns the new argc.  *help: -h or --help was given. */
static int
global_options(int argc, char **argv, int *help, int *version)
{
	int n = 1, i = 1;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0)
			*help = 1;
		else if (strcmp(argv[i], "--version") == 0)
			*version = 1;
		else
			argv[n++] = argv[i];
	}
	for (; i < argc; i++)
		argv[n++] = argv[i];
	argv[n] = NULL;
	return n;
}

static const struct command *
find_command(int argc, char **argv)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[1], c->name) != 0 || (c->sub != NULL &&
		    (argc < 3 || strcmp(argv[2], c->sub) != 0)))
			continue;
		return c;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	int help = 0, version = 0;

	argc = global_options(argc, argv, &help, &version);
	/* The tool prints its own result and errors; the library's log
	 * lines (config loaded, ...) are for -v. */
	log_set_threshold(verbose ? LOG_INFO : LOG_SILENT);
	if (version)
		return cmd_version(0, NULL);
	if (argc < 2 && help) {
		help_all();
		return 0;
	}
	if (argc < 2)
		usage_error("which command?");
	if ((current = find_command(argc, argv)) != NULL) {
		if (help) {
			help_one(current);
			return 0;
		}
		return current->fn(argc - 1, argv + 1);
	}
	if (strcmp(argv[1], "schema") == 0 || strcmp(argv[1], "device") == 0 ||
	    strcmp(argv[1], "rps") == 0) {
		if (help) {
			help_all();
			return 0;
		}
		usage_error("%s", argv[1][0] == 's' ? "schema: generate or "
		    "verify?" : argv[1][0] == 'd' ? "device: list, get, put or "
		    "rm?" : "rps: register, deregister, check or sync?");
	}
	if (strcmp(argv[1], "link") == 0) {
		if (help) {
			help_all();
			return 0;
		}
		usage_error("link: create, key, token or sweep?");
	}
	usage_error("unknown command '%.64s'", argv[1]);
}
