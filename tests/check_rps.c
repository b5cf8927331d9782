/* The redirect-service gateway without a network: the vendors' MAC
 * spellings (Gigaset's MAC-ID CRC included), the URL checks and Fanvil's
 * split, its double-MD5 password, the error tables, the XML-RPC answer
 * parser, and each vendor's method sequence run against a scripted
 * transport that decodes every call with xmlrpc-c. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmlrpc-c/base.h>

#include "diag.h"
#include "rps.h"
#include "rps_batch.h"
#include "rps_xmlrpc.h"
#include "testutil.h"

static const struct {
	int		 line;
	enum rps_provider p;
	const char	*mac, *crc, *want;
} macs[] = {
	{ __LINE__, RPS_SNOM, "000413a11fa7", NULL, "000413A11FA7" },
	{ __LINE__, RPS_FANVIL, "0c383e07e16c", "", "0C383E07E16C" },
	{ __LINE__, RPS_YEALINK, "001565aabbcc", NULL, "00-15-65-AA-BB-CC" },
	{ __LINE__, RPS_GIGASET, "7c2f80e0d605", "ABCD", "7C2F80E0D605-ABCD" },
	{ __LINE__, RPS_GIGASET, "7c2f80e0d605", NULL, "7C2F80E0D605" },
};

START_TEST(test_vendor_mac)
{
	char out[RPS_VMAC_MAX];

	rps_vendor_mac(macs[_i].p, macs[_i].mac, macs[_i].crc, out);
	ck_assert_msg(strcmp(out, macs[_i].want) == 0, "line %d: %s",
	    macs[_i].line, out);
}
END_TEST

static const struct {
	int		 line;
	const char	*s;
	int		 ok;
} crcs[] = {
	{ __LINE__, "ABCD", 1 }, { __LINE__, "A1B2", 1 }, { __LINE__, "0000", 1 },
	{ __LINE__, "abcd", 0 }, { __LINE__, "ABC", 0 }, { __LINE__, "ABCDE", 0 },
	{ __LINE__, "AB-D", 0 }, { __LINE__, "", 0 },
};

START_TEST(test_crc)
{
	ck_assert_msg(rps_crc_ok(crcs[_i].s) == crcs[_i].ok, "line %d",
	    crcs[_i].line);
}
END_TEST

static const struct {
	int		 line;
	const char	*url;
	int		 ok;
	const char	*host, *path, *prot;	/* Fanvil's split */
} urls[] = {
	{ __LINE__, "https://prov.example.com/p/abc/", 1, "prov.example.com",
	    "p/abc/", "5" },
	{ __LINE__, "http://10.0.0.1:8080/x/$mac.cfg?k=v", 1, "10.0.0.1:8080",
	    "x/$mac.cfg", "4" },
	{ __LINE__, "tftp://tftp.example.com", 1, "tftp.example.com", "", "2" },
	{ __LINE__, "FTP://h/f", 1, "h", "f", "1" },
	{ __LINE__, "gopher://h/", 0, NULL, NULL, NULL },
	{ __LINE__, "https:///nohost", 0, NULL, NULL, NULL },
	{ __LINE__, "https://h/a b", 0, NULL, NULL, NULL },
	{ __LINE__, "https://h/\n", 0, NULL, NULL, NULL },
	{ __LINE__, "prov.example.com/", 0, NULL, NULL, NULL },
	{ __LINE__, "", 0, NULL, NULL, NULL },
};

START_TEST(test_url)
{
	struct rps_fanvil_url fu;

	ck_assert_msg(rps_url_ok(urls[_i].url) == urls[_i].ok, "line %d",
	    urls[_i].line);
	ck_assert_int_eq(rps_fanvil_url(urls[_i].url, &fu),
	    urls[_i].ok ? 0 : -1);
	if (!urls[_i].ok)
		return;
	ck_assert_str_eq(fu.host, urls[_i].host);
	ck_assert_str_eq(fu.path, urls[_i].path);
	ck_assert_str_eq(fu.prot, urls[_i].prot);
}
END_TEST

START_TEST(test_fanvil_password)
{
	char out[33];

	/* md5(md5("secret")) in lowercase hex, as Falconieri's
	 * fanvilGetPassword() computes it. */
	rps_fanvil_password("secret", out);
	ck_assert_str_eq(out, "7022cd14c42ff272619d6beacdc9ffde");
}
END_TEST

static const struct {
	int		 line;
	enum rps_provider p;
	const char	*msg;
	enum rps_outcome want;
} errs[] = {
	{ __LINE__, RPS_SNOM, "Error:malformed_url", RPS_MALFORMED_URL },
	{ __LINE__, RPS_SNOM, "Error:malformed_mac", RPS_BAD_MAC },
	{ __LINE__, RPS_SNOM, "Error:owned_by_other_user", RPS_OWNED },
	{ __LINE__, RPS_SNOM, "Error:no_such_mac", RPS_NOT_REGISTERED },
	{ __LINE__, RPS_SNOM, "Error:quota", RPS_VENDOR_ERROR },
	{ __LINE__, RPS_YEALINK, "Error:The url can only begin with 'http://' "
	    "or 'https://' or 'ftp://' or 'tftp://'", RPS_MALFORMED_URL },
	{ __LINE__, RPS_YEALINK, "Error:abcde12345", RPS_OWNED },
	{ __LINE__, RPS_YEALINK, "Error:ABCDE12345", RPS_VENDOR_ERROR },
	{ __LINE__, RPS_YEALINK, "Error:abcde1234", RPS_VENDOR_ERROR },
	{ __LINE__, RPS_YEALINK, "error:invalid mac", RPS_BAD_MAC },
	{ __LINE__, RPS_YEALINK, "unregistered", RPS_NOT_REGISTERED },
	{ __LINE__, RPS_YEALINK, "registered elsewhere", RPS_OWNED },
	{ __LINE__, RPS_GIGASET, "url_invalid: bad", RPS_MALFORMED_URL },
	{ __LINE__, RPS_GIGASET, "mac_not_exist: x", RPS_BAD_MAC },
	{ __LINE__, RPS_GIGASET, "mac_already_in_use: x", RPS_OWNED },
	{ __LINE__, RPS_FANVIL, "Error: url_format_error", RPS_MALFORMED_URL },
	{ __LINE__, RPS_FANVIL, "Error: mac_format_error", RPS_BAD_MAC },
	{ __LINE__, RPS_FANVIL, "Error: device_had_existed", RPS_OWNED },
};

START_TEST(test_errors)
{
	ck_assert_msg(rps_map_message(errs[_i].p, errs[_i].msg) ==
	    errs[_i].want, "line %d", errs[_i].line);
}
END_TEST

#define PAIR(b, m) "<?xml version=\"1.0\"?><methodResponse><params><param>" \
	"<value><array><data><value><boolean>" b "</boolean></value>" m \
	"</data></array></value></param></params></methodResponse>"

static const struct {
	int		 line;
	const char	*xml;
	int		 rc;
	enum rps_xmlrpc_kind kind;
	int		 ok;
	const char	*msg;
} answers[] = {
	{ __LINE__, PAIR("1", "<value><string>ok</string></value>"), 0,
	    RPS_XMLRPC_PAIR, 1, "ok" },
	/* Yealink's message may come without <string>. */
	{ __LINE__, PAIR("0", "<value>Error:abcde12345</value>"), 0,
	    RPS_XMLRPC_PAIR, 0, "Error:abcde12345" },
	{ __LINE__, PAIR("0", "<value><string>a&amp;b\xc3\xa9</string></value>"),
	    0, RPS_XMLRPC_PAIR, 0, "a&b??" },
	{ __LINE__, "<methodResponse><params><param><value><string>registered"
	    "</string></value></param></params></methodResponse>", 0,
	    RPS_XMLRPC_STRING, 0, "registered" },
	{ __LINE__, "<methodResponse><fault><value><struct><member><name>"
	    "faultCode</name><value><int>4</int></value></member><member>"
	    "<name>faultString</name><value><string>Too many parameters"
	    "</string></value></member></struct></value></fault>"
	    "</methodResponse>", 0, RPS_XMLRPC_FAULT, 0,
	    "Too many parameters" },
	/* Nonsense: not XML, an HTML error page, another shape. */
	{ __LINE__, "", -1, 0, 0, NULL },
	{ __LINE__, "<html><body>502</body></html>", -1, 0, 0, NULL },
	{ __LINE__, "<methodResponse><params><param><value><array><data>"
	    "<value><boolean>1</boolean></value></data></array></value>"
	    "</param></params></methodResponse>", -1, 0, 0, NULL },
	{ __LINE__, PAIR("1", "<value><int>3</int></value>"), -1, 0, 0, NULL },
	{ __LINE__, "<methodResponse><params><param><value><array><data>"
	    "<value><boolean>1</boolean>", -1, 0, 0, NULL },
	/* No DTD, so no entity expansion. */
	{ __LINE__, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaa\">]>"
	    "<methodResponse><params><param><value>&a;</value></param>"
	    "</params></methodResponse>", -1, 0, 0, NULL },
};

START_TEST(test_parse)
{
	struct rps_xmlrpc_reply r;
	char err[256] = "";
	int rc = rps_xmlrpc_parse(answers[_i].xml, strlen(answers[_i].xml), &r,
	    err, sizeof(err));

	ck_assert_msg(rc == answers[_i].rc, "line %d: %d %s", answers[_i].line,
	    rc, err);
	if (rc < 0) {
		ck_assert_msg(err[0] != '\0', "line %d: no reason",
		    answers[_i].line);
		return;
	}
	ck_assert_int_eq(r.kind, answers[_i].kind);
	ck_assert_int_eq(r.ok, answers[_i].ok);
	ck_assert_str_eq(r.msg, answers[_i].msg);
}
END_TEST

/* ---- sequences against a scripted transport ---- */

struct script {
	const char	*answers[6];	/* XML, or "HTTP500" */
	int		 n;
	char		 log[2048];	/* "method(t:arg,...);" */
	char		 auth[128];	/* user:password of the last call */
};

static void
log_value(struct buf *b, xmlrpc_env *env, xmlrpc_value *v)
{
	const char *s;

	if (xmlrpc_value_type(v) == XMLRPC_TYPE_STRING) {
		xmlrpc_read_string(env, v, &s);
		buf_printf(b, "s:%s", s);
		free((char *)(uintptr_t)s);
	} else if (xmlrpc_value_type(v) == XMLRPC_TYPE_ARRAY) {
		buf_adds(b, "[");
		for (int i = 0; i < xmlrpc_array_size(env, v); i++) {
			xmlrpc_value *it;

			xmlrpc_array_read_item(env, v, i, &it);
			buf_adds(b, i ? "," : "");
			log_value(b, env, it);
			xmlrpc_DECREF(it);
		}
		buf_adds(b, "]");
	} else
		buf_adds(b, "?");
}

static int
fake_post(void *ctx, const struct rps_http *h, const struct buf *body,
    long *status, struct buf *resp, char *err, size_t errsz)
{
	struct script *sc = ctx;
	xmlrpc_env env;
	const char *method;
	xmlrpc_value *params;
	struct buf b;
	const char *a;

	(void)err; (void)errsz;
	xmlrpc_env_init(&env);
	xmlrpc_parse_call(&env, body->data, body->len, &method, &params);
	ck_assert_msg(!env.fault_occurred, "bad call: %s", body->data);
	buf_init(&b);
	buf_printf(&b, "%s(", method);
	for (int i = 0; i < xmlrpc_array_size(&env, params); i++) {
		xmlrpc_value *v;

		xmlrpc_array_read_item(&env, params, i, &v);
		buf_adds(&b, i ? "," : "");
		log_value(&b, &env, v);
		xmlrpc_DECREF(v);
	}
	buf_adds(&b, ");");
	strncat(sc->log, b.data, sizeof(sc->log) - strlen(sc->log) - 1);
	snprintf(sc->auth, sizeof(sc->auth), "%s:%s", h->user, h->password);
	buf_free(&b);
	free((char *)(uintptr_t)method);
	xmlrpc_DECREF(params);
	xmlrpc_env_clean(&env);
	a = sc->answers[sc->n++];
	ck_assert_ptr_nonnull(a);
	if (strcmp(a, "HTTP500") == 0) {
		*status = 500;
		return RPS_OK;
	}
	*status = 200;
	buf_adds(resp, a);
	return RPS_OK;
}

#define OK	PAIR("1", "<value><string>ok</string></value>")
#define NO(m)	PAIR("0", "<value><string>" m "</string></value>")

static const struct {
	int		 line;
	enum rps_provider p;
	enum rps_op	 op;
	const char	*answers[5];
	enum rps_outcome want;
	const char	*log;
} seqs[] = {
	{ __LINE__, RPS_SNOM, RPS_OP_REGISTER, { OK }, RPS_OK,
	    "redirect.registerPhone(s:000413A11FA7,s:https://p.example/x/"
	    "{mac}.xml);" },
	{ __LINE__, RPS_SNOM, RPS_OP_REGISTER, { NO("Error:owned_by_other_user") },
	    RPS_OWNED, NULL },
	{ __LINE__, RPS_SNOM, RPS_OP_CHECK, { NO("Error:no_such_mac") },
	    RPS_NOT_REGISTERED, "redirect.checkPhone(s:000413A11FA7);" },
	{ __LINE__, RPS_YEALINK, RPS_OP_REGISTER, { OK }, RPS_OK,
	    "redirect.registerDeviceWithUniqueUrl(s:00-04-13-A1-1F-A7,"
	    "s:deskprov,s:https://p.example/x/{mac}.xml,s:1);" },
	{ __LINE__, RPS_GIGASET, RPS_OP_REGISTER, { "junk", OK }, RPS_OK,
	    "autoprov.deregisterDevice(s:000413A11FA7-AB12);autoprov."
	    "registerDevice(s:000413A11FA7-AB12,s:https://p.example/x/{mac}"
	    ".xml,s:deskprov);" },
	{ __LINE__, RPS_FANVIL, RPS_OP_REGISTER, { NO("Error:server_not_exist"),
	    OK, "junk", OK }, RPS_OK,
	    "redirect.deleteServer(s:000413A11FA7);redirect.addMaterialServer("
	    "[s:cfgName=000413A11FA7,s:cfgPfMode=1,s:cfgDhcpOpt=false,"
	    "s:cfgPnpEnable=false,s:cfgPfSrv=p.example,s:cfgPfName=x/{mac}.xml,"
	    "s:cfgPfProt=5]);redirect.deRegisterDevice(s:000413A11FA7);"
	    "redirect.registerDevice(s:000413A11FA7,s:000413A11FA7);" },
	{ __LINE__, RPS_FANVIL, RPS_OP_REGISTER, { NO("Error: mac_format_error") },
	    RPS_BAD_MAC, NULL },
	{ __LINE__, RPS_FANVIL, RPS_OP_REGISTER, { "HTTP500" },
	    RPS_HTTP_STATUS, NULL },
	/* Gigaset's first deregister counts only by its HTTP status. */
	{ __LINE__, RPS_GIGASET, RPS_OP_REGISTER, { "HTTP500" },
	    RPS_HTTP_STATUS, NULL },
	{ __LINE__, RPS_SNOM, RPS_OP_REGISTER, { "<html/>" },
	    RPS_BAD_RESPONSE, NULL },
	{ __LINE__, RPS_FANVIL, RPS_OP_CHECK, { NULL }, RPS_NOT_SUPPORTED, "" },
};

START_TEST(test_sequence)
{
	struct rps_conf c;
	struct diag d;
	struct script sc;
	struct rps_result res;
	struct rps_request rq = {
		.provider = seqs[_i].p, .op = seqs[_i].op,
		.mac = "000413a11fa7", .crc = "AB12",
		.url = "https://p.example/x/{mac}.xml",
	};
	char dir[TU_DIR_MAX];

	tu_mkdtemp(dir);
	ck_assert_int_eq(rps_conf_load(&c, dir, NULL, &d), 0);
	c.p[RPS_FANVIL].user = strdup("u");
	c.p[RPS_FANVIL].password = strdup("secret");
	memset(&sc, 0, sizeof(sc));
	for (int i = 0; i < 5; i++)
		sc.answers[i] = seqs[_i].answers[i];
	rps_run(&c, &rq, fake_post, &sc, &res);
	ck_assert_msg(res.outcome == seqs[_i].want, "line %d: %s (%s)",
	    seqs[_i].line, rps_outcome_word(res.outcome), res.message);
	if (seqs[_i].log != NULL)
		ck_assert_msg(strcmp(sc.log, seqs[_i].log) == 0, "line %d: %s",
		    seqs[_i].line, sc.log);
	if (seqs[_i].p == RPS_FANVIL && sc.n > 0)
		ck_assert_str_eq(sc.auth, "u:7022cd14c42ff272619d6beacdc9ffde");
	rps_conf_free(&c);
	tu_remove_dir(dir);
}
END_TEST

/* ---- rps.yml and the environment ---- */

static const struct {
	int		 line;
	const char	*yml;
	int		 rc;
	const char	*msg;	/* part of the error */
} confs[] = {
	{ __LINE__, "timeout: 3\nproviders:\n  snom:\n    enabled: true\n"
	    "    user: u\n    password: p\n", 0, NULL },
	{ __LINE__, "providers:\n  acme:\n    enabled: true\n", -1,
	    "unknown provider" },
	{ __LINE__, "providers:\n  snom:\n    pasword: x\n", -1, "unknown key" },
	{ __LINE__, "timeout: 0\n", -1, "seconds" },
	{ __LINE__, "providers:\n  snom:\n    enabled: true\n"
	    "    endpoint: https://u:p@h/\n", -1, "without credentials" },
	{ __LINE__, "base_url: example.com\n", -1, "base_url" },
};

START_TEST(test_conf)
{
	char dir[TU_DIR_MAX];
	struct rps_conf c;
	struct diag d;
	int rc;

	tu_mkdtemp(dir);
	tu_write_n(dir, "rps.yml", confs[_i].yml, strlen(confs[_i].yml));
	diag_clear(&d);
	rc = rps_conf_load(&c, dir, NULL, &d);
	ck_assert_msg(rc == confs[_i].rc, "line %d: %s", confs[_i].line, d.msg);
	if (confs[_i].msg != NULL)
		ck_assert_msg(strstr(d.msg, confs[_i].msg) != NULL, "line %d: %s",
		    confs[_i].line, d.msg);
	if (rc == 0) {
		ck_assert_int_eq(c.timeout_ms, 3000);
		ck_assert_int_eq(c.p[RPS_SNOM].enabled, 1);
		ck_assert_int_eq(c.p[RPS_YEALINK].enabled, 0);
	}
	rps_conf_free(&c);
	tu_remove_dir(dir);
}
END_TEST

/* Falconieri's variables win over the file. */
START_TEST(test_env)
{
	char dir[TU_DIR_MAX];
	const char *env[RPS_ENV_COUNT] = { NULL };
	struct rps_conf c;
	struct diag d;

	ck_assert_str_eq(rps_env_names[0], "SNOM_USER");
	ck_assert_str_eq(rps_env_names[16], "GIGASET_DISABLE_CRC");
	env[0] = "envuser";
	env[2] = "https://fake.example/xmlrpc";
	env[3] = "false";		/* SNOM_DISABLE=false: on */
	env[11] = "true";		/* FANVIL_DISABLE */
	env[16] = "1";
	tu_mkdtemp(dir);
	tu_write(dir, "rps.yml", "providers:\n  fanvil:\n    enabled: true\n");
	ck_assert_int_eq(rps_conf_load(&c, dir, env, &d), 0);
	ck_assert_str_eq(c.p[RPS_SNOM].user, "envuser");
	ck_assert_str_eq(c.p[RPS_SNOM].endpoint, "https://fake.example/xmlrpc");
	ck_assert_int_eq(c.p[RPS_SNOM].enabled, 1);
	ck_assert_int_eq(c.p[RPS_FANVIL].enabled, 0);
	ck_assert_int_eq(c.p[RPS_GIGASET].disable_crc, 1);
	rps_conf_free(&c);
	tu_remove_dir(dir);
}
END_TEST

/* The URL a device is registered with: its own personal link under
 * serviceconfig.yml links.base_url (links.h), else rps.yml base_url. */
#define RPS_KEY	"BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBk"

static const char *
device_url(const char *service, const char *key, struct buf *url)
{
	static const char phones[] = "phones:\n  snom-desk:\n"
	    "    mac: \"00:04:13:aa:bb:02\"\n    vendor: snom\n"
	    "    model: D785\n";
	struct rps_conf c = { .base_url = (char *)"http://rps.example/" };
	char dir[TU_DIR_MAX], text[512];
	struct snapshot *s;
	struct diag err;

	tu_copy_dir("tests/data/vendors/fleet", dir);
	snprintf(text, sizeof(text), "%s%s%s%s", phones, key ?
	    "    link_key: " : "", key ? key : "", key ? "\n" : "");
	tu_write(dir, "phones.yml", text);
	tu_write(dir, "serviceconfig.yml", service);
	s = snapshot_load(dir, "schema", &err);
	tu_remove_dir(dir);
	ck_assert_msg(s != NULL, "%s", err.msg);
	buf_reset(url);
	ck_assert_int_eq(rps_batch_device_url(&c, s, snapshot_find_mac(s,
	    "000413aabb02"), RPS_SNOM, url), 0);
	snapshot_free(s);
	return url->data;
}

START_TEST(test_device_url)
{
	struct buf url;

	buf_init(&url);
	ck_assert_str_eq(device_url("links: {base_url: "
	    "\"https://prov.example/\"}\n", RPS_KEY, &url),
	    "https://prov.example/p/" RPS_KEY "/{mac}.xml");
	ck_assert_str_eq(device_url("links: {base_url: "
	    "\"https://prov.example\"}\n", NULL, &url),
	    "https://prov.example/{mac}.xml");
	ck_assert_str_eq(device_url("ip_authorization: phone\n", RPS_KEY,
	    &url), "http://rps.example/{mac}.xml");
	buf_free(&url);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *rps_suite(void);

Suite *
rps_suite(void)
{
	Suite *s = suite_create("rps");
	TCase *tc = tcase_create("values");

	tcase_add_loop_test(tc, test_vendor_mac, 0, N(macs));
	tcase_add_loop_test(tc, test_crc, 0, N(crcs));
	tcase_add_loop_test(tc, test_url, 0, N(urls));
	tcase_add_test(tc, test_fanvil_password);
	tcase_add_loop_test(tc, test_errors, 0, N(errs));
	tcase_add_loop_test(tc, test_parse, 0, N(answers));
	suite_add_tcase(s, tc);
	tc = tcase_create("run");
	tcase_add_loop_test(tc, test_sequence, 0, N(seqs));
	tcase_add_loop_test(tc, test_conf, 0, N(confs));
	tcase_add_test(tc, test_env);
	tcase_add_test(tc, test_device_url);
	suite_add_tcase(s, tc);
	return s;
}
