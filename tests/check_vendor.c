/* Vendor packs end to end in process: the test packs of
 * tests/data/vendors/schema (acme: XML, acmetext: Yealink-like lines), the
 * devices of tests/data/vendors/etc, and what profile.fcgi answers for
 * their files — matching, layers, template lookup and overrides, secrets,
 * validation before serving, and every kind of bad input. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "config_lastgood.h"
#include "app_profile.h"
#include "vendor.h"
#include "testutil.h"

#define ETC	"tests/data/vendors/etc"
#define SCHEMA	"tests/data/vendors/schema"

#define UA_DESK	"AcmePhone X1/1.0 (00a0b0000001)"
#define UA_YEA	"Yealink SIP-T46G 28.72.0.1 00:a0:b0:00:00:01"

struct fixture {
	struct app		app;
	char			dir[TU_DIR_MAX];
};

/* A copy of the fixture's etc with `name` (under etc/, subdirectories
 * made as needed) set to `text` for each pair; NULL ends the list. */
static void
fixture_with(struct fixture *f, const char *const *files)
{
	char dir[512];

	tu_copy_dir(ETC, f->dir);
	for (; files != NULL && files[0] != NULL; files += 2) {
		const char *slash = strrchr(files[0], '/');
		snprintf(dir, sizeof(dir), "%s", f->dir);
		/* Subdirectories one by one: templates, templates/<pack>. */
		for (const char *c = strchr(files[0], '/'); c != NULL;
		    c = strchr(c + 1, '/')) {
			snprintf(dir, sizeof(dir), "%s/%.*s", f->dir,
			    (int)(c - files[0]), files[0]);
			mkdir(dir, 0700);
		}
		tu_write(dir, slash ? slash + 1 : files[0], files[1]);
	}
	tu_app(&f->app, f->dir, SCHEMA, NULL);
}

static void
fixture_free(struct fixture *f)
{
	char cmd[128];

	app_free(&f->app);
	/* templates/ has subdirectories tu_remove_dir does not walk. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
request(struct fixture *f, const char *uri, const char *remote,
    const char *ua, struct response *rs, struct buf *log)
{
	struct request rq;
	struct logline l;

	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = uri;
	rq.remote_addr = remote;
	rq.user_agent = ua;
	response_init(rs);
	logline_start(&l, "test");
	app_profile_handle(&f->app, &rq, rs, &l);
	buf_init(log);
	buf_add(log, l.b.data, l.b.len);
	buf_addc(log, '\0');
	logline_discard(&l);
}

static const char *
body(const struct response *rs)
{
	return rs->body.data ? rs->body.data : "";
}

START_TEST(test_loads)
{
	struct fixture f;

	fixture_with(&f, NULL);
	ck_assert_msg(f.app.cs.snap != NULL, "%s", f.app.cs.error);
	ck_assert_uint_eq(f.app.cs.snap->n_devices, 3);
	ck_assert_uint_eq(f.app.cs.snap->packs.n, 2);
	fixture_free(&f);
}
END_TEST

/* What each file name means to the packs. */
static const struct {
	int		 line;
	const char	*name;
	const char	*pack;		/* NULL: no match */
	const char	*pattern;
	const char	*mac, *model;
} matches[] = {
	{ __LINE__, "acme-00a0b0000001.xml", "acme", "acme-{mac}.xml",
	    "00a0b0000001", NULL },
	{ __LINE__, "acme-00A0B0000001.xml", NULL, NULL, NULL, NULL },
	{ __LINE__, "acme-00A0B0000001.idx", "acme", "acme-{MAC}.idx",
	    "00a0b0000001", NULL },
	{ __LINE__, "acme-00a0b0000001.idx", NULL, NULL, NULL, NULL },
	{ __LINE__, "acme-model-X2.xml", "acme", "acme-model-{model}.xml",
	    "", "X2" },
	{ __LINE__, "acme-model-x2-pro.xml", "acme", "acme-model-{model}.xml",
	    "", "X2" },
	{ __LINE__, "acme-model-X9.xml", NULL, NULL, NULL, NULL },
	{ __LINE__, "acme-m01.xml", "acme", "acme-{file_id}.xml", "", "X1" },
	{ __LINE__, "acme-common.xml", "acme", "acme-common.xml", "", NULL },
	{ __LINE__, "00a0b0000003.acfg", "acmetext", "{mac}.acfg",
	    "00a0b0000003", NULL },
	{ __LINE__, "00a0b000000.acfg", NULL, NULL, NULL, NULL },
	{ __LINE__, "00a0b00000033.acfg", NULL, NULL, NULL, NULL },
	{ __LINE__, "acme-00a0b000000g.xml", NULL, NULL, NULL, NULL },
	{ __LINE__, "", NULL, NULL, NULL, NULL },
};

START_TEST(test_match)
{
	struct fixture f;
	struct pack_match m[8];

	fixture_with(&f, NULL);
	for (size_t i = 0; i < sizeof(matches) / sizeof(matches[0]); i++) {
		size_t n = packset_match(&f.app.cs.snap->packs, matches[i].name, m,
		    8);
		if (matches[i].pack == NULL) {
			ck_assert_msg(n == 0, "line %d: matched",
			    matches[i].line);
			continue;
		}
		ck_assert_msg(n == 1, "line %d: %zu matches", matches[i].line,
		    n);
		ck_assert_str_eq(m[0].pack->name, matches[i].pack);
		ck_assert_str_eq(m[0].file->pattern, matches[i].pattern);
		ck_assert_str_eq(m[0].mac, matches[i].mac);
		if (matches[i].model != NULL)
			ck_assert_str_eq(m[0].model->name, matches[i].model);
	}
	fixture_free(&f);
}
END_TEST

/* The phone's own file: every layer, XML escaping, maps, partials. */
START_TEST(test_phone_file)
{
	struct fixture f;
	struct response rs;
	struct buf log;
	const char *b, *want[] = {
		"<acme mac=\"00a0b0000001\" model=\"X1\">",
		"<tz name=\"Europe/Rome\" gmt=\"GMT+01:00\"><dst start=\"3/5/0\"/>",
		"<admin>desk-admin-secret</admin>",
		"<line n=\"1\" p=\"P271\" t=\"1\">",
		"<name>Front &amp; &lt;Desk&gt; &quot;1&quot; &#39;q&#39; \xc3\xa9"
		    "</name>",
		"<auth>2001</auth>",
		"<server>pbx.example.net:5061</server>",
		"<key n=\"2\" type=\"16\" label=\"Bob\">2002@pbx.example.net</key>",
		"<param name=\"Acme.Default\">yes</param>\n"
		"  <param name=\"Acme.Vendor\">v</param>\n"
		"  <param name=\"Acme.Model\">m</param>\n"
		"  <param name=\"Acme.Custom\">x&amp;y</param>",
	};

	fixture_with(&f, NULL);
	request(&f, "/acme-00a0b0000001.xml", "127.0.0.1", UA_DESK, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(rs.content_type, "application/xml; charset=utf-8");
	b = body(&rs);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(b, want[i]) != NULL, "missing %s in\n%s",
		    want[i], b);
	/* The UA runs no firmware question: no <fw> without a firmware. */
	ck_assert_ptr_null(strstr(b, "<fw>"));
	ck_assert_ptr_nonnull(strstr(log.data, "template=acme/base.tpl"));
	ck_assert_ptr_null(strstr(log.data, "secret"));
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* account_defaults.password is a secret like an account's own: a file of
 * more than one phone got it copied into every account it listed (the
 * strip missed it, then the defaults were applied). */
START_TEST(test_shared_files_no_default_password)
{
	static const char *const files[] = { "devices.yml",
	    "common:\n"
	    "  account_defaults:\n"
	    "    password: \"defaults-leak\"\n"
	    "    server: {host: pbx.example.net}\n"
	    "models:\n"
	    "  acme:\n"
	    "    X1:\n"
	    "      accounts:\n"
	    "        - {line: 1, user: \"100\"}\n", NULL };
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, files);
	ck_assert_msg(f.app.cs.snap != NULL, "%s", f.app.cs.error);
	request(&f, "/acme-model-X1.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(body(&rs), "<model name=\"X1\" lines=\"2\"><l>100:"
	    "</l></model>\n");
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* A model template extending base; firmware offered to an older
 * version only; account_defaults; a line without a user dropped. */
START_TEST(test_model_template_and_firmware)
{
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, NULL);
	request(&f, "/acme-00a0b0000002.xml", "127.0.0.2",
	    "AcmePhone X2/1.5 (00a0b0000002)", &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(body(&rs), "<x2keys/>"));
	ck_assert_ptr_nonnull(strstr(body(&rs),
	    "<fw>http://fw.example/x2-2.0.0.bin</fw>"));
	ck_assert_ptr_nonnull(strstr(body(&rs), "<line n=\"2\" p=\"P401\""));
	ck_assert_ptr_null(strstr(body(&rs), "<line n=\"1\""));
	ck_assert_ptr_nonnull(strstr(body(&rs),
	    "<server>pbx.example.net:5061</server>"));
	ck_assert_ptr_nonnull(strstr(log.data, "template=acme/X2.tpl"));
	response_free(&rs);
	buf_free(&log);
	request(&f, "/acme-00a0b0000002.xml", "127.0.0.2",
	    "AcmePhone X2/2.0.0 (00a0b0000002)", &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_null(strstr(body(&rs), "<fw>"));
	response_free(&rs);
	buf_free(&log);
	request(&f, "/acme-00a0b0000002.xml", "127.0.0.2",
	    "AcmePhone X2/2.1 (00a0b0000002)", &rs, &log);
	ck_assert_ptr_null(strstr(body(&rs), "<fw>"));
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* Files of no single phone never carry a password, whatever the
 * template asks for, and go to any phone of the fleet. */
START_TEST(test_shared_files_have_no_secrets)
{
	static const char *const uris[] = { "/acme-common.xml",
	    "/acme-model-X1.xml", "/acme-m02.xml", "/acme-00A0B0000001.idx" };
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, NULL);
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		request(&f, uris[i], "127.0.0.2", NULL, &rs, &log);
		ck_assert_msg(rs.status == 200, "%s: %d %s", uris[i],
		    rs.status, body(&rs));
		ck_assert_msg(strstr(body(&rs), "secret") == NULL &&
		    strstr(body(&rs), "leak") == NULL, "%s leaks:\n%s",
		    uris[i], body(&rs));
		response_free(&rs);
		buf_free(&log);
	}
	request(&f, "/acme-common.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_str_eq(body(&rs), "<common ntp=\"ntp1.example.net\" "
	    "lang=\"Italiano\"><p n=\"Acme.Default\">yes</p><p n=\"Acme.Vendor\""
	    ">v</p></common>\n");
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

static const struct {
	int		 line;
	const char	*uri, *remote, *ua;
	int		 status;
	const char	*outcome;
} routes[] = {
	/* The phone's own file: its address only. */
	{ __LINE__, "/acme-00a0b0000001.xml", "127.0.0.1", UA_DESK, 200,
	    "served" },
	{ __LINE__, "/acme-00a0b0000001.xml", "127.0.0.2", UA_DESK, 403,
	    "not_phone_ip" },
	{ __LINE__, "/acme-00a0b0000001.xml", "127.0.0.1", NULL, 200,
	    "served" },
	/* A User-Agent that contradicts the path. */
	{ __LINE__, "/acme-00a0b0000001.xml", "127.0.0.1", UA_YEA, 403,
	    "ua_mismatch" },
	{ __LINE__, "/acme-00a0b0000001.xml", "127.0.0.1",
	    "AcmePhone X1/1.0 (00a0b0000002)", 403, "ua_mismatch" },
	{ __LINE__, "/acme-common.xml", "127.0.0.1", UA_YEA, 403,
	    "ua_mismatch" },
	/* Shared files: any phone of the fleet, nobody else. */
	{ __LINE__, "/acme-common.xml", "127.0.0.2", NULL, 200, "served" },
	{ __LINE__, "/acme-common.xml", "192.0.2.1", NULL, 403,
	    "not_fleet_ip" },
	{ __LINE__, "/acme-00A0B0000002.idx", "127.0.0.1", NULL, 200,
	    "served" },
	/* Unknown or other-vendor phones. */
	{ __LINE__, "/acme-00a0b0000009.xml", "127.0.0.1", NULL, 404,
	    "unknown_phone" },
	{ __LINE__, "/acme-00a0b0000003.xml", "127.0.0.1", NULL, 404,
	    "not_this_vendor" },
	{ __LINE__, "/00a0b0000001.acfg", "127.0.0.1", NULL, 404,
	    "not_this_vendor" },
	{ __LINE__, "/acme-000000000000.xml", "127.0.0.1", NULL, 400,
	    "bad_identifier" },
	{ __LINE__, "/acme-010000000000.xml", "127.0.0.1", NULL, 400,
	    "bad_identifier" },
	/* The Cisco route: flat phones as before, never a device. */
	{ __LINE__, "/001122334455.xml", "127.0.0.1", NULL, 200, "served" },
	{ __LINE__, "/flat.xml", "127.0.0.1", NULL, 200, "served" },
	{ __LINE__, "/desk.xml", "127.0.0.1", NULL, 404, "not_this_vendor" },
	{ __LINE__, "/00a0b0000001.xml", "127.0.0.1", NULL, 404,
	    "not_this_vendor" },
	/* No pack knows it: the Cisco route looks for a phone of that name. */
	{ __LINE__, "/acme-model-X9.xml", "127.0.0.1", NULL, 404,
	    "unknown_phone" },
	{ __LINE__, "/sub/acme-common.xml", "127.0.0.1", NULL, 400,
	    "bad_identifier" },
	{ __LINE__, "/acme%2Dcommon.xml", "127.0.0.1", NULL, 200, "served" },
	{ __LINE__, "/acme-common.xml%00", "127.0.0.1", NULL, 400, "bad_path" },
};

START_TEST(test_routes)
{
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, NULL);
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		request(&f, routes[i].uri, routes[i].remote, routes[i].ua, &rs,
		    &log);
		ck_assert_msg(rs.status == routes[i].status &&
		    strcmp(rs.outcome, routes[i].outcome) == 0,
		    "line %d: %d %s, want %d %s", routes[i].line, rs.status,
		    rs.outcome, routes[i].status, routes[i].outcome);
		ck_assert_msg(strstr(log.data, "secret") == NULL,
		    "line %d: log holds a secret", routes[i].line);
		response_free(&rs);
		buf_free(&log);
	}
	fixture_free(&f);
}
END_TEST

START_TEST(test_etag)
{
	struct fixture f;
	struct response rs;
	struct request rq;
	struct logline l;
	char etag[64];
	const char *h;

	fixture_with(&f, NULL);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = "/acme-00a0b0000001.xml";
	rq.remote_addr = "127.0.0.1";
	response_init(&rs);
	logline_start(&l, "test");
	app_profile_handle(&f.app, &rq, &rs, &l);
	h = strstr(rs.headers.data, "ETag: ");
	ck_assert_ptr_nonnull(h);
	snprintf(etag, sizeof(etag), "%.18s", h + 6);
	response_free(&rs);
	response_init(&rs);
	rq.if_none_match = etag;
	app_profile_handle(&f.app, &rq, &rs, &l);
	logline_discard(&l);
	ck_assert_int_eq(rs.status, 304);
	ck_assert_uint_eq(rs.body.len, 0);
	response_free(&rs);
	fixture_free(&f);
}
END_TEST

/* The line-based pack: hostile values pass as text, never as lines. */
START_TEST(test_line_format)
{
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, NULL);
	request(&f, "/00a0b0000003.acfg", "127.0.0.1", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_str_eq(body(&rs), "#!version:1.0.0.1\n"
	    "account.1.display_name = 100% %NULL% \xc3\xbc" "n\xc3\xaf" "code\n"
	    "account.1.user = 100\n"
	    "account.1.password = t-secret\n");
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* Which template renders acme-<mac>.xml, as files appear: the lookup
 * order of docs/packs.md. */
START_TEST(test_override_lookup)
{
	static const struct {
		int		 line;
		const char	*file, *text, *want;
	} steps[] = {
		{ __LINE__, NULL, NULL, "<acme mac=" },
		{ __LINE__, "templates/acme/base.tpl", "<vendor-base/>\n",
		    "<vendor-base/>" },
		{ __LINE__, "templates/acme/X1.tpl", "<local-model/>\n",
		    "<local-model/>" },
		{ __LINE__, "templates/acme-00a0b0000001.xml.tpl",
		    "<exact id=\"{{phone.id}}\"/>\n", "<exact id=\"desk\"/>" },
	};
	const char *files[2 * 4 + 1];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct fixture f;
		struct response rs;
		struct buf log;

		if (steps[i].file != NULL) {
			files[n++] = steps[i].file;
			files[n++] = steps[i].text;
		}
		files[n] = NULL;
		fixture_with(&f, files);
		ck_assert_msg(f.app.cs.snap != NULL, "%s", f.app.cs.error);
		request(&f, "/acme-00a0b0000001.xml", "127.0.0.1", NULL, &rs,
		    &log);
		ck_assert_msg(rs.status == 200 && strstr(body(&rs),
		    steps[i].want) != NULL, "line %d: %d\n%s", steps[i].line,
		    rs.status, body(&rs));
		response_free(&rs);
		buf_free(&log);
		fixture_free(&f);
	}
}
END_TEST

/* A local base that extends the shipped one through pack/base; it also
 * wins over the shipped model template (lookup step 3 before 4). */
START_TEST(test_override_extends_shipped)
{
	static const char *const files[] = {
		"templates/acme/base.tpl",
		"{{<pack/base}}{{$keys}}  <local-keys/>\n{{/keys}}{{/pack/base}}",
		NULL
	};
	static const char *const uris[][2] = {
		{ "/acme-00a0b0000001.xml", "127.0.0.1" },
		{ "/acme-00a0b0000002.xml", "127.0.0.2" },
	};
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, files);
	for (size_t i = 0; i < 2; i++) {
		request(&f, uris[i][0], uris[i][1], NULL, &rs, &log);
		ck_assert_int_eq(rs.status, 200);
		ck_assert_ptr_nonnull(strstr(body(&rs), "<local-keys/>"));
		ck_assert_ptr_null(strstr(body(&rs), "<x2keys/>"));
		ck_assert_ptr_nonnull(strstr(body(&rs), "<admin>"));
		response_free(&rs);
		buf_free(&log);
	}
	fixture_free(&f);
}
END_TEST

/* A local partial replaces the shipped one wherever it is included. */
START_TEST(test_override_partial)
{
	static const char *const files[] = {
		"templates/acme/keys.tpl", "  <local-partial/>\n", NULL
	};
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, files);
	request(&f, "/acme-00a0b0000002.xml", "127.0.0.2", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(body(&rs), "<x2keys/>\n  <local-partial/>"));
	ck_assert_ptr_nonnull(strstr(log.data, "template=acme/X2.tpl"));
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* Templates that would produce a broken file, or cannot render at all:
 * a 500 whose log line names the template, never a body. */
static const struct {
	int		 line;
	const char	*file, *text, *uri, *log;
} broken[] = {
	{ __LINE__, "templates/acme/base.tpl", "<a>{{>nothere}}</a>\n",
	    "/acme-00a0b0000001.xml", "nothere" },
	{ __LINE__, "templates/acme/base.tpl", "{{<base}}{{/base}}",
	    "/acme-00a0b0000001.xml", "include\\x20itself" },
	{ __LINE__, "templates/acme/base.tpl", "<a><b></a>\n",
	    "/acme-00a0b0000001.xml", "not\\x20valid\\x20xml" },
	{ __LINE__, "templates/acme/base.tpl", "<a>{{{phone.id}}}</b>\n",
	    "/acme-00a0b0000001.xml", "templates/acme/base.tpl" },
	{ __LINE__, "templates/acmetext/base.tpl",
	    "#!version:1.0.0.1\nnot a setting\n", "/00a0b0000003.acfg",
	    "not\\x20valid\\x20yealink:\\x20line\\x202" },
	{ __LINE__, "templates/acmetext/base.tpl", "a = b\n",
	    "/00a0b0000003.acfg", "line\\x201" },
};

START_TEST(test_broken_templates)
{
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const char *files[] = { broken[i].file, broken[i].text, NULL };
		struct fixture f;
		struct response rs;
		struct buf log;

		fixture_with(&f, files);
		ck_assert_msg(f.app.cs.snap != NULL, "line %d: %s", broken[i].line,
		    f.app.cs.error);
		request(&f, broken[i].uri, "127.0.0.1", NULL, &rs, &log);
		ck_assert_msg(rs.status == 500, "line %d: %d\n%s",
		    broken[i].line, rs.status, body(&rs));
		ck_assert_msg(strstr(log.data, broken[i].log) != NULL,
		    "line %d: log %s", broken[i].line, log.data);
		ck_assert_ptr_null(strstr(body(&rs), "<a>"));
		response_free(&rs);
		buf_free(&log);
		fixture_free(&f);
	}
}
END_TEST

/* What is wrong at load time is an error at load, with file and line,
 * and the last good configuration keeps serving. */
static const struct {
	int		 line;
	const char	*file, *text, *error;
} bad_config[] = {
	{ __LINE__, "templates/acme/base.tpl", "<a>\n{{#x}}\n</a>\n",
	    "templates/acme/base.tpl:2" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: nokia\n    model: X1\n", "phones.yml:4: phone 'p': "
	    "no vendor pack 'nokia'" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X9\n", "phones.yml:5: phone 'p': "
	    "no model 'X9'" },
	/* A slip gets a did-you-mean and the names there are (issue 10). */
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acmee\n    model: X1\n", "phones.yml:4: phone 'p': "
	    "no vendor pack 'acmee' (did you mean 'acme'?); the packs: acme, "
	    "acmetext" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: nokia\n    model: X1\n", "phones.yml:4: phone 'p': "
	    "no vendor pack 'nokia'; the packs: acme, acmetext" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1-pro\n", "phones.yml:5: phone 'p': "
	    "no model 'X1-pro' in the acme catalogue (did you mean 'X2-Pro'?); "
	    "its models: X1, X2" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    acounts: []\n",
	    "phones.yml:6: phone 'p': device: unknown key 'acounts' (did you "
	    "mean 'accounts'?)" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    colour: red\n",
	    "phones.yml:6: phone 'p': device: unknown key 'colour'" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    accounts:\n"
	    "      - {line: 1, display_name: \"a\\nb\"}\n",
	    "phones.yml:7: phone 'p': display_name holds a control character" },
	/* Unicode's other line breaks, NEL, LINE SEPARATOR and PARAGRAPH
	 * SEPARATOR: a line-based file would split on them too. */
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    accounts:\n"
	    "      - {line: 1, display_name: \"a\\u0085b\"}\n",
	    "phones.yml:7: phone 'p': display_name holds a C1 control" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    params:\n"
	    "      X.y: \"a\\u2028b\"\n",
	    "phones.yml:7: phone 'p': X.y holds a line or paragraph separator" },
	{ __LINE__, "devices.yml", "common:\n  accounts:\n"
	    "    - {line: 1, label: \"a\u2029b\"}\n",
	    "devices.yml:3: label holds a line or paragraph separator" },
	{ __LINE__, "vendors.yml", "acme:\n  models:\n"
	    "    X5: {description: \"a\\u2028b\"}\n",
	    "vendors.yml:3: a value holds a line or paragraph separator" },
	/* B6: an alias bomb under a model: 341 bytes that expanded into
	 * 13 GB of JSON, refused where the expansion passes the budget. */
	{ __LINE__, "vendors.yml", "acme:\n models:\n  B:\n"
	    "   a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	    "   b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "   c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "   d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "   e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "   f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "   g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "   h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
	    "vendors.yml:9: aliases and merge keys expand to more than" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    timezone: Mars/Olympus\n",
	    "phones.yml:6: phone 'p': timezone 'Mars/Olympus'" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    timezone: ../../etc/passwd\n",
	    "phones.yml:6: phone 'p': timezone must be an IANA zone name" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    accounts:\n"
	    "      - {line: 1}\n      - {line: 1}\n",
	    "phone 'p': accounts: two entries with line 1" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    mac: \"00a0b0000001\"\n"
	    "    vendor: acme\n    model: X1\n    accounts:\n"
	    "      - {line: 1, server: {transport: sctp}}\n",
	    "transport: 'sctp' is not one of the allowed values" },
	{ __LINE__, "phones.yml", "phones:\n  p:\n    vendor: acme\n"
	    "    model: X1\n", "phone 'p': a device needs its mac" },
	/* Issue 15: the DECT system PIN is 4 digits (Gigaset N510, two BCD
	 * bytes); the outbound proxy has a host and a port only. */
	{ __LINE__, "devices.yml", "common:\n  system_pin: \"123\"\n",
	    "devices.yml:2: system_pin must be 4 digits" },
	{ __LINE__, "devices.yml", "common:\n  system_pin: \"12a4\"\n",
	    "devices.yml:2: system_pin must be 4 digits" },
	{ __LINE__, "devices.yml", "common:\n  account_defaults:\n"
	    "    outbound_proxy: {host: sbc, port: 70000}\n",
	    "port must be a number from 1 to 65535" },
	{ __LINE__, "devices.yml", "common:\n  account_defaults:\n"
	    "    outbound_proxy: {host: sbc, transport: tls}\n",
	    "outbound_proxy: unknown key 'transport'" },
	{ __LINE__, "devices.yml", "vendors:\n  nokia: {}\n",
	    "devices.yml:2: vendors: no vendor pack 'nokia'" },
	{ __LINE__, "devices.yml", "models:\n  acme:\n    X7: {}\n",
	    "devices.yml:3: models.acme: no model 'X7'" },
	{ __LINE__, "vendors.yml", "acme:\n  files:\n    - {name: \"../{mac}\","
	    " template: base, scope: phone}\n",
	    "vendors.yml:3: file name pattern missing or invalid" },
	{ __LINE__, "vendors.yml", "acme:\n  files:\n    - {name: \"x.cfg\","
	    " template: nothing, scope: common}\n", "no template 'nothing'" },
	{ __LINE__, "vendors.yml", "acme:\n  files:\n    - {name: \"x.cfg\","
	    " template: base, scope: common, secrets: true}\n",
	    "only a phone's own file may carry secrets" },
	{ __LINE__, "vendors.yml", "acme:\n  user_agents:\n"
	    "    - {pattern: \"(\", model: 1}\n", "not a POSIX extended" },
};

START_TEST(test_bad_config)
{
	for (size_t i = 0; i < sizeof(bad_config) / sizeof(bad_config[0]);
	    i++) {
		const char *files[] = { bad_config[i].file, bad_config[i].text,
		    NULL };
		struct fixture f;

		fixture_with(&f, files);
		ck_assert_msg(f.app.cs.snap == NULL, "line %d: loaded",
		    bad_config[i].line);
		ck_assert_msg(strstr(f.app.cs.error, bad_config[i].error) != NULL,
		    "line %d: error '%s'", bad_config[i].line, f.app.cs.error);
		fixture_free(&f);
	}
}
END_TEST

/* The catalogue grows from etc/vendors.yml: a new model, a new file and
 * a new User-Agent pattern, without recompiling. */
START_TEST(test_catalogue_extension)
{
	static const char *const files[] = {
		"vendors.yml",
		"acme:\n"
		"  models:\n"
		"    X3: {file_id: \"m03\", lines: \"8\"}\n"
		"  files:\n"
		"    - {name: \"extra-{mac}.txt\", template: index, scope: phone,"
		" syntax: text}\n"
		"  user_agents:\n"
		"    - {pattern: '^NewAcme ([A-Z0-9]+)$', model: 1}\n",
		NULL
	};
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, files);
	ck_assert_msg(f.app.cs.snap != NULL, "%s", f.app.cs.error);
	request(&f, "/acme-m03.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert_ptr_nonnull(strstr(body(&rs), "lines=\"8\""));
	response_free(&rs);
	buf_free(&log);
	request(&f, "/extra-00a0b0000001.txt", "127.0.0.1", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	response_free(&rs);
	buf_free(&log);
	/* The new pattern says "acme": a Yealink-file request with it is
	 * refused, an acme one served. */
	request(&f, "/acme-common.xml", "127.0.0.1", "NewAcme X3", &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	response_free(&rs);
	buf_free(&log);
	request(&f, "/00a0b0000003.acfg", "127.0.0.1", "NewAcme X3", &rs,
	    &log);
	ck_assert_int_eq(rs.status, 403);
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* Where each value came from, as deskprov explain prints it. */
START_TEST(test_provenance)
{
	static const struct {
		const char	*path, *layer;
	} want[] = {
		{ "provisioning.interval", "default" },
		{ "ntp", "common" },
		{ "account_defaults.server.host", "common" },
		{ "params[Acme.Vendor]", "vendor" },
		{ "params[Acme.Model]", "model" },
		{ "timezone", "phone" },
		{ "accounts[1].display_name", "phone" },
		{ "admin_password", "phone" },
	};
	struct fixture f;
	const struct phone *ph;
	struct pack_match m[4];
	json_object *prov = json_object_new_object(), *d, *o, *l;
	char err[128];

	fixture_with(&f, NULL);
	ph = snapshot_find(f.app.cs.snap, "desk");
	ck_assert_ptr_nonnull(ph);
	ck_assert_uint_eq(packset_match(&f.app.cs.snap->packs,
	    "acme-00a0b0000001.xml", m, 4), 1);
	struct vendor_file_req vr = { .snap = f.app.cs.snap, .pack = m[0].pack,
	    .file = m[0].file, .model = ph->pmodel, .phone = ph,
	    .fname = "acme-00a0b0000001.xml" };
	d = vendor_data(&vr, prov, err, sizeof(err));
	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		ck_assert_msg(json_object_object_get_ex(prov, want[i].path, &o),
		    "no %s", want[i].path);
		json_object_object_get_ex(o, "layer", &l);
		ck_assert_str_eq(json_object_get_string(l), want[i].layer);
	}
	json_object_put(d);
	json_object_put(prov);
	fixture_free(&f);
}
END_TEST

/* Editing a template is a reload, like editing a YAML file; a broken
 * edit keeps the last good templates serving. */
START_TEST(test_template_reload)
{
	static const char *const files[] = {
		"templates/acme/common.tpl", "<one/>\n", NULL
	};
	struct fixture f;
	struct response rs;
	struct buf log;
	char path[256];

	fixture_with(&f, files);
	request(&f, "/acme-common.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_str_eq(body(&rs), "<one/>\n");
	response_free(&rs);
	buf_free(&log);
	snprintf(path, sizeof(path), "%s/templates/acme", f.dir);
	tu_write(path, "common.tpl", "<two/>\n");
	config_state_refresh(&f.app.cs);
	request(&f, "/acme-common.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_str_eq(body(&rs), "<two/>\n");
	response_free(&rs);
	buf_free(&log);
	tu_write(path, "common.tpl", "<three>{{#x}}</three>\n");
	config_state_refresh(&f.app.cs);
	ck_assert_ptr_nonnull(strstr(f.app.cs.error, "templates/acme/common.tpl"));
	request(&f, "/acme-common.xml", "127.0.0.1", NULL, &rs, &log);
	ck_assert_str_eq(body(&rs), "<two/>\n");
	response_free(&rs);
	buf_free(&log);
	fixture_free(&f);
}
END_TEST

/* The last-good copy holds the packs and the local templates: a process
 * that falls back to it renders exactly what the others render. */
START_TEST(test_last_good_copy)
{
	static const char *const files[] = {
		"templates/acme/common.tpl", "<kept>{{ntp_primary}}</kept>\n",
		NULL
	};
	struct fixture f;
	struct diag err;
	struct snapshot *copy;
	char data[TU_DIR_MAX], cmd[128];
	struct pack_match m[4];
	struct buf out;
	struct vendor_result res;

	fixture_with(&f, files);
	tu_mkdtemp(data);
	ck_assert_int_eq(config_lastgood_save(data, f.dir, SCHEMA, f.app.cs.snap, "test"),
	    0);
	copy = config_lastgood_load(data, f.dir, NULL, &err);
	ck_assert_msg(copy != NULL, "%s", err.msg);
	ck_assert_uint_eq(copy->packs.n, 2);
	ck_assert_uint_eq(copy->source_hash, f.app.cs.snap->source_hash);
	ck_assert_uint_eq(packset_match(&copy->packs, "acme-common.xml", m, 4),
	    1);
	struct vendor_file_req vr = { .snap = copy, .pack = m[0].pack,
	    .file = m[0].file, .fname = "acme-common.xml" };
	buf_init(&out);
	ck_assert_int_eq(vendor_render(&vr, &out, &res), 0);
	ck_assert_str_eq(res.template_rel, "templates/acme/common.tpl");
	ck_assert_str_eq(out.data, "<kept>ntp1.example.net</kept>\n");
	buf_free(&out);
	snapshot_free(copy);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", data);
	ck_assert_int_eq(system(cmd), 0);
	fixture_free(&f);
}
END_TEST

/* Discovery mode withholds vendor files too, but for excluded phones. */
START_TEST(test_discovery)
{
	static const char *const files[] = {
		"serviceconfig.yml", "discovery:\n  enabled: true\n"
		"  exclude_macs: [\"00:a0:b0:00:00:01\"]\n", NULL
	};
	static const struct {
		const char	*uri;
		int		 status;
	} rows[] = {
		{ "/acme-00a0b0000001.xml", 200 },
		{ "/00a0b0000003.acfg", 404 },
		{ "/acme-common.xml", 404 },
	};
	struct fixture f;
	struct response rs;
	struct buf log;

	fixture_with(&f, files);
	ck_assert_msg(f.app.cs.snap != NULL, "%s", f.app.cs.error);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		request(&f, rows[i].uri, "127.0.0.1", NULL, &rs, &log);
		ck_assert_msg(rs.status == rows[i].status, "%s: %d",
		    rows[i].uri, rs.status);
		if (rs.status == 404)
			ck_assert_str_eq(rs.outcome, "discovery");
		response_free(&rs);
		buf_free(&log);
	}
	fixture_free(&f);
}
END_TEST

Suite	*vendor_suite(void);

Suite *
vendor_suite(void)
{
	Suite *s = suite_create("vendor");
	TCase *tc = tcase_create("packs");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_loads);
	tcase_add_test(tc, test_match);
	tcase_add_test(tc, test_phone_file);
	tcase_add_test(tc, test_model_template_and_firmware);
	tcase_add_test(tc, test_shared_files_have_no_secrets);
	tcase_add_test(tc, test_shared_files_no_default_password);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_etag);
	tcase_add_test(tc, test_line_format);
	tcase_add_test(tc, test_override_lookup);
	tcase_add_test(tc, test_override_extends_shipped);
	tcase_add_test(tc, test_override_partial);
	tcase_add_test(tc, test_broken_templates);
	tcase_add_test(tc, test_bad_config);
	tcase_add_test(tc, test_catalogue_extension);
	tcase_add_test(tc, test_provenance);
	tcase_add_test(tc, test_template_reload);
	tcase_add_test(tc, test_last_good_copy);
	tcase_add_test(tc, test_discovery);
	suite_add_tcase(s, tc);
	return s;
}
