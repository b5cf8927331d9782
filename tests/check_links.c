/* Personal-link keys, the access rules of a phone entry (enabled,
 * link_key, links:) and serviceconfig.yml links:, as the loader reads
 * them; the URL prefix a phone is given. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "app_profile.h"
#include "device.h"
#include "links.h"
#include "links_once.h"
#include "vendor.h"
#include "secret.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"
#define KEY_A	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
#define KEY_B	"abcdefghijklmnopqrstuvwxyz-_0123456789ABCDE"

static const char phones_yml[] =
    "phones:\n"
    "  plain:\n"
    "    mac: \"00:11:22:33:44:55\"\n"
    "  keyed:\n"
    "    mac: \"00:11:22:33:44:66\"\n"
    "    link_key: " KEY_B "\n"
    "    enabled: false\n"
    "    links:\n"
    "      expires: 2027-01-31T18:00:00+01:00\n"
    "      mac_check: false\n"
    "      allow: [\"192.0.2.0/24\", \"2001:db8::1\"]\n";

/* The good fixture with phones.yml and serviceconfig.yml replaced. */
static struct snapshot *
load_with(char dir[TU_DIR_MAX], const char *phones, const char *svc,
    struct diag *err)
{
	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", phones);
	tu_write(dir, "serviceconfig.yml", svc);
	return snapshot_load(dir, dir, err);
}

static struct snapshot *
load_ok(char dir[TU_DIR_MAX], const char *phones, const char *svc)
{
	struct diag err;
	struct snapshot *s = load_with(dir, phones, svc, &err);
	char msg[DIAG_TEXT_MAX];

	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "refused: %s", msg);
	return s;
}

START_TEST(test_key_new)
{
	char a[LINKS_KEY_LEN + 1], b[LINKS_KEY_LEN + 1];

	ck_assert_int_eq(links_key_new(a), 0);
	ck_assert_int_eq(links_key_new(b), 0);
	ck_assert_uint_eq(strlen(a), LINKS_KEY_LEN);
	ck_assert(links_key_plausible(a, strlen(a)));
	ck_assert_str_ne(a, b);
	ck_assert(!links_key_plausible(KEY_A, 42));
	ck_assert(!links_key_plausible(KEY_A "A", 44));
	ck_assert(!links_key_plausible("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
	    43));
	ck_assert(!links_key_plausible("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
	    43));
}
END_TEST

START_TEST(test_phone_rules_parsed)
{
	char dir[TU_DIR_MAX];
	struct snapshot *s = load_ok(dir, phones_yml, "links:\n"
	    "  base_url: https://prov.example/dp/\n");
	const struct phone *plain = snapshot_find(s, "001122334455");
	const struct phone *keyed = snapshot_find(s, "001122334466");
	struct buf b;

	ck_assert_ptr_nonnull(plain);
	ck_assert_ptr_nonnull(keyed);
	ck_assert_ptr_null(plain->rules.link_key);
	ck_assert(!plain->rules.disabled && !plain->rules.no_mac_check);
	ck_assert_str_eq(keyed->rules.link_key, KEY_B);
	ck_assert(keyed->rules.disabled);
	ck_assert(keyed->rules.no_mac_check);
	ck_assert_int_eq((long long)keyed->rules.expires, 1801414800LL);
	ck_assert_uint_eq(keyed->rules.n_allow, 2);
	/* Not parameters: a Cisco phone is never sent them. */
	ck_assert_uint_eq(keyed->n_params, 0);

	buf_init(&b);
	ck_assert_int_eq(links_phone_base_url(s, keyed, &b), 1);
	ck_assert_str_eq(b.data, "https://prov.example/dp/p/" KEY_B "/");
	buf_reset(&b);
	ck_assert_int_eq(links_phone_base_url(s, plain, &b), 0);
	ck_assert_str_eq(b.data, "https://prov.example/dp/");
	buf_free(&b);

	ck_assert_ptr_eq(links_find_key(s, KEY_B, strlen(KEY_B)), keyed);
	ck_assert_ptr_null(links_find_key(s, KEY_A, strlen(KEY_A)));
	ck_assert_ptr_null(links_find_key(s, KEY_B, 42));
	snapshot_free(s);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_base_url_unset)
{
	char dir[TU_DIR_MAX];
	struct snapshot *s = load_ok(dir, phones_yml, "");
	struct buf b;

	buf_init(&b);
	links_phone_base_url(s, snapshot_find(s, "001122334466"), &b);
	ck_assert_str_eq(b.data, "/p/" KEY_B "/");
	snapshot_free(s);
	buf_free(&b);
	tu_remove_dir(dir);
}
END_TEST

/* A vendor device carries the same keys, and they stay out of its device
 * layer (which a file of the device would render). */
START_TEST(test_device_rules)
{
	char dir[TU_DIR_MAX];
	struct snapshot *s;
	const struct phone *ph;
	struct diag err;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", "phones:\n  desk:\n    vendor: yealink\n"
	    "    model: T46S\n    mac: 00:15:65:aa:bb:01\n"
	    "    link_key: " KEY_A "\n    enabled: true\n"
	    "    links: {mac_check: true}\n");
	s = snapshot_load(dir, "schema", &err);
	tu_remove_dir(dir);
	ck_assert_msg(s != NULL, "%s", err.msg);
	ph = snapshot_find(s, "001565aabb01");
	ck_assert_ptr_nonnull(ph);
	ck_assert_str_eq(ph->rules.link_key, KEY_A);
	ck_assert_ptr_null(strstr(ph->device, "link_key"));
	snapshot_free(s);
}
END_TEST

static const struct {
	int		 line;
	const char	*entry;		/* under a phone "p" */
	const char	*want;		/* in the message */
} bad_entries[] = {
	{ __LINE__, "    link_key: short\n", "link_key must be 43" },
	{ __LINE__, "    link_key: " KEY_A "=\n", "link_key must be 43" },
	{ __LINE__, "    link_key: [a]\n", "link_key must be 43" },
	{ __LINE__, "    enabled: maybe\n", "enabled must be true or false" },
	{ __LINE__, "    links: yes\n", "links must be a mapping" },
	{ __LINE__, "    links: {expires: tomorrow}\n", "RFC 3339" },
	{ __LINE__, "    links: {expires: 2027-02-30T00:00:00Z}\n", "RFC 3339" },
	{ __LINE__, "    links: {mac_check: 2}\n", "mac_check must be" },
	{ __LINE__, "    links: {allow: [nowhere]}\n", "links.allow" },
	{ __LINE__, "    links: {alow: []}\n", "unknown key 'alow' in links" },
};

START_TEST(test_bad_entries)
{
	char dir[TU_DIR_MAX], phones[512], msg[DIAG_TEXT_MAX];
	struct diag err;
	struct snapshot *s;

	snprintf(phones, sizeof(phones), "phones:\n  p:\n    mac: "
	    "00:11:22:33:44:55\n%s", bad_entries[_i].entry);
	s = load_with(dir, phones, "", &err);
	tu_remove_dir(dir);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s == NULL, "line %d: accepted", bad_entries[_i].line);
	ck_assert_msg(strstr(msg, bad_entries[_i].want) != NULL &&
	    strstr(msg, "phones.yml:") == msg, "line %d: %s",
	    bad_entries[_i].line, msg);
	/* A key is never quoted back. */
	ck_assert_ptr_null(strstr(msg, KEY_A));
}
END_TEST

START_TEST(test_duplicate_key)
{
	char dir[TU_DIR_MAX], msg[DIAG_TEXT_MAX];
	struct diag err;
	struct snapshot *s = load_with(dir, "phones:\n"
	    "  a: {mac: 00:11:22:33:44:55, link_key: " KEY_A "}\n"
	    "  b: {mac: 00:11:22:33:44:66, link_key: " KEY_A "}\n", "", &err);

	tu_remove_dir(dir);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(msg, "phone 'b': link_key is another phone's") !=
	    NULL, "%s", msg);
	ck_assert_ptr_null(strstr(msg, KEY_A));
}
END_TEST

static const struct {
	int		 line;
	const char	*svc;
	const char	*want;		/* NULL: loads */
} services[] = {
	{ __LINE__, "links: {plain: bootstrap, base_url: http://x/}\n", NULL },
	{ __LINE__, "links: {plain: off}\n", NULL },
	{ __LINE__, "links: {plain: bootstrap}\n", "needs links.base_url" },
	{ __LINE__, "links: {plain: sometimes}\n", "on, bootstrap or off" },
	{ __LINE__, "links: {base_url: ftp://x/}\n", "http:// or https://" },
	{ __LINE__, "links: {base_url: \"http://x/<y>\"}\n", "may not hold" },
	{ __LINE__, "links: {token_sha256: abc}\n", "64 hex digits" },
	{ __LINE__, "links: {token_sha256: " "zz00000000000000000000000000000"
	    "000000000000000000000000000000000}\n", "64 hex digits" },
	{ __LINE__, "links: {tokn: x}\n", "unknown key 'tokn' in links" },
	{ __LINE__, "abuse: {window: 0}\n", "out of range" },
	{ __LINE__, "abuse: {allow: [10.0.0.0/8], max_unknown: 5}\n", NULL },
};

START_TEST(test_service_links)
{
	char dir[TU_DIR_MAX], msg[DIAG_TEXT_MAX];
	struct diag err;
	struct snapshot *s = load_with(dir, phones_yml, services[_i].svc,
	    &err);

	tu_remove_dir(dir);
	diag_format(&err, msg, sizeof(msg));
	if (services[_i].want == NULL) {
		ck_assert_msg(s != NULL, "line %d: %s", services[_i].line, msg);
		snapshot_free(s);
		return;
	}
	ck_assert_msg(s == NULL, "line %d: accepted", services[_i].line);
	ck_assert_msg(strstr(msg, services[_i].want) != NULL, "line %d: %s",
	    services[_i].line, msg);
}
END_TEST

START_TEST(test_token)
{
	char dir[TU_DIR_MAX], svc[256], hex[65];
	unsigned char d[SHA256_DIGEST_LENGTH];
	const char *token = "fleet-token-0123456789";
	struct snapshot *s;

	SHA256((const unsigned char *)token, strlen(token), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	snprintf(svc, sizeof(svc), "links:\n  token_sha256: %s\n", hex);
	s = load_ok(dir, phones_yml, svc);
	ck_assert(links_token_ok(s, token, strlen(token)));
	ck_assert(!links_token_ok(s, token, strlen(token) - 1));
	ck_assert(!links_token_ok(s, hex, 64));
	ck_assert(!links_token_ok(s, "", 0));
	snapshot_free(s);
	s = load_ok(dir, phones_yml, "");
	ck_assert(!links_token_ok(s, token, strlen(token)));
	snapshot_free(s);
	tu_remove_dir(dir);
}
END_TEST

static const struct {
	int		 line;
	const char	*text;
	long long	 want;		/* -1: refused */
} times[] = {
	{ __LINE__, "2027-01-31T18:00:00Z", 1801418400LL },
	{ __LINE__, "2027-01-31t18:00:00z", 1801418400LL },
	{ __LINE__, "2027-01-31T18:00:00.250Z", 1801418400LL },
	{ __LINE__, "2027-01-31T19:30:00+01:30", 1801418400LL },
	{ __LINE__, "2027-01-31T16:00:00-02:00", 1801418400LL },
	{ __LINE__, "2027-01-31T18:00:00", -1 },
	{ __LINE__, "2027-01-31 18:00:00Z", -1 },
	{ __LINE__, "2027-13-01T00:00:00Z", -1 },
	{ __LINE__, "2027-02-29T00:00:00Z", -1 },
	{ __LINE__, "2027-01-31T18:00:00.Z", -1 },
	{ __LINE__, "2027-01-31T18:00:00+1:00", -1 },
	{ __LINE__, "1969-12-31T23:59:59Z", -1 },
	{ __LINE__, "", -1 },
};

START_TEST(test_time_parse)
{
	time_t t = 0;
	int rc = links_time_parse(times[_i].text, strlen(times[_i].text), &t);

	if (times[_i].want < 0)
		ck_assert_msg(rc < 0, "line %d: accepted", times[_i].line);
	else
		ck_assert_msg(rc == 0 && (long long)t == times[_i].want,
		    "line %d: %d %lld", times[_i].line, rc, (long long)t);
}
END_TEST

/* link_key is a secret wherever a name or a path is judged. */
START_TEST(test_secret_lists)
{
	ck_assert(device_path_secret("link_key"));
	ck_assert(secret_name_rule("link_key"));
	ck_assert(secret_name_rule("Link_Key"));
	ck_assert(!secret_name_rule("Line_Key_Label_1_"));
	ck_assert(device_is_phone_key("link_key"));
	ck_assert(device_is_phone_key("links"));
	ck_assert(device_is_phone_key("enabled"));
}
END_TEST

/* ---- requests over links, through profile.fcgi's handler ---- */

#define KEY_C	"CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
#define KEY_D	"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"
#define TOKEN	"fleet-token-0123456789"
/* SHA-256 of TOKEN. */
#define TOKEN_SHA "39a0a4bfa4c5a2c8e1d3ae1bb7be0b4d7cb3e5cd0b6e3a9a10a5a8e8f7c5a1b2"
#define UA_55	"Cisco-CP-6841-3PCC/12.0.1 (001122334455)"
#define UA_66	"Cisco-CP-6841-3PCC/12.0.1 (001122334466)"

static const char link_phones[] =
    "phones:\n"
    "  phone-01:\n"
    "    mac: \"00:11:22:33:44:55\"\n"
    "    ip_address: \"192.0.2.10\"\n"
    "    Password_1_: \"secret-one-1001\"\n"
    "    link_key: " KEY_A "\n"
    "  roamer:\n"
    "    mac: \"00:11:22:33:44:66\"\n"
    "    ip_address: \"192.0.2.20\"\n"
    "    Password_1_: \"secret-two-1002\"\n"
    "    link_key: " KEY_B "\n"
    "    links: {allow: [\"198.51.100.0/24\"], mac_check: false}\n"
    "  old:\n"
    "    mac: 00:11:22:33:44:77\n"
    "    link_key: " KEY_C "\n"
    "    links: {expires: 2020-01-01T00:00:00Z}\n"
    "  off:\n"
    "    mac: 00:11:22:33:44:88\n"
    "    ip_address: \"192.0.2.88\"\n"
    "    link_key: " KEY_D "\n"
    "    enabled: false\n"
    "  nokey:\n"
    "    mac: 00:11:22:33:44:99\n"
    "    ip_address: \"192.0.2.99\"\n"
    "    Password_1_: \"secret-nokey\"\n";

static char link_svc[512];

static const char *
svc_with(const char *plain)
{
	char hex[65];
	unsigned char d[SHA256_DIGEST_LENGTH];

	SHA256((const unsigned char *)TOKEN, strlen(TOKEN), d);
	for (size_t i = 0; i < sizeof(d); i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	snprintf(link_svc, sizeof(link_svc), "ip_whitelist: []\n"
	    "links:\n  base_url: https://prov.example/\n  plain: %s\n"
	    "  token_sha256: %s\n", plain, hex);
	return link_svc;
}

struct lfix {
	struct app	app;
	char		dir[TU_DIR_MAX];
	char		data[TU_DIR_MAX];
};

static void
lfix_init(struct lfix *f, const char *plain)
{
	tu_copy_dir(GOOD, f->dir);
	tu_mkdtemp(f->data);
	tu_write(f->dir, "phones.yml", link_phones);
	tu_write(f->dir, "serviceconfig.yml", svc_with(plain));
	tu_app(&f->app, f->dir, f->dir, f->data);
	ck_assert_msg(f->app.cs.snap != NULL, "%s", f->app.cs.error);
}

static void
lfix_free(struct lfix *f)
{
	char cmd[128];

	app_free(&f->app);
	tu_remove_dir(f->dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->data);
	ck_assert_int_eq(system(cmd), 0);
}

/* Runs one GET; the log line goes into log (caller frees). */
static void
get(struct app *app, const char *uri, const char *remote, const char *ua,
    struct response *rs, struct buf *log)
{
	struct request rq = { .method = "GET", .uri = uri,
	    .remote_addr = remote, .user_agent = ua };
	struct logline l;

	response_init(rs);
	logline_start(&l, "test");
	app_profile_handle(app, &rq, rs, &l);
	buf_init(log);
	buf_add(log, l.b.data, l.b.len);
	logline_discard(&l);
}

static const char *const link_secrets[] = { KEY_A, KEY_B, KEY_C, KEY_D,
	TOKEN };

/* No key or token in the log, ever; none in a body but a bootstrap's. */
static void
assert_no_secret(int line, const struct response *rs, const struct buf *log)
{
	const char *body = rs->body.data ? rs->body.data : "";

	for (size_t i = 0; i < sizeof(link_secrets) / sizeof(link_secrets[0]);
	    i++) {
		ck_assert_msg(strstr(log->data, link_secrets[i]) == NULL,
		    "line %d: log holds a secret: %s", line, log->data);
		ck_assert_msg(strcmp(rs->outcome, "bootstrap") == 0 ||
		    strstr(body, link_secrets[i]) == NULL,
		    "line %d: body holds a secret", line);
	}
	ck_assert_msg(rs->status == 200 || (strstr(body, "secret-") == NULL),
	    "line %d: a refusal holds a password", line);
}

static const struct {
	int		 line;
	const char	*plain;		/* links.plain */
	const char	*uri, *remote, *ua;
	int		 status;
	const char	*outcome;
	const char	*body;		/* a fragment the body holds */
	const char	*not_body;	/* one it does not */
} link_rows[] = {
	/* Personal links work from anywhere: the key is the credential. */
	{ __LINE__, "on", "/p/" KEY_A "/001122334455.xml", "203.0.113.9",
	    UA_55, 200, "served", "secret-one-1001", NULL },
	{ __LINE__, "on", "/p/" KEY_A "/phone-01.xml", "203.0.113.9", NULL,
	    200, "served", "secret-one-1001", NULL },
	{ __LINE__, "on", "/p/" KEY_A "/00:11:22:33:44:55.xml", "203.0.113.9",
	    NULL, 200, "served", NULL, NULL },
	/* The file and the User-Agent must be the link's phone. */
	{ __LINE__, "on", "/p/" KEY_A "/001122334466.xml", "203.0.113.9",
	    NULL, 403, "mac_mismatch", NULL, "secret-two" },
	{ __LINE__, "on", "/p/" KEY_A "/roamer.xml", "203.0.113.9",
	    NULL, 403, "mac_mismatch", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_A "/001122334455.xml", "203.0.113.9",
	    UA_66, 403, "mac_mismatch", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_A "/0011223344aa.xml", "203.0.113.9",
	    NULL, 404, "unknown_phone", NULL, NULL },
	/* mac_check: false, and links.allow. */
	{ __LINE__, "on", "/p/" KEY_B "/001122334466.xml", "198.51.100.7",
	    UA_55, 200, "served", "secret-two-1002", NULL },
	{ __LINE__, "on", "/p/" KEY_B "/001122334466.xml", "203.0.113.9",
	    NULL, 403, "addr_not_allowed", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_C "/001122334477.xml", "203.0.113.9",
	    NULL, 410, "link_expired", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_D "/001122334488.xml", "203.0.113.9",
	    NULL, 403, "disabled", NULL, NULL },
	{ __LINE__, "on", "/001122334488.xml", "192.0.2.88", NULL, 403,
	    "disabled", NULL, NULL },
	/* Keys that are none. */
	{ __LINE__, "on", "/p/" KEY_A "x/001122334455.xml", "203.0.113.9",
	    NULL, 404, "bad_key", NULL, NULL },
	{ __LINE__, "on", "/p/BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"
	    "001122334455.xml", "203.0.113.9", NULL, 404, "bad_key", NULL,
	    NULL },
	{ __LINE__, "on", "/p/short/001122334455.xml", "203.0.113.9", NULL,
	    404, "bad_key", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_A "/", "203.0.113.9", NULL, 404,
	    "bad_link", NULL, NULL },
	{ __LINE__, "on", "/p//001122334455.xml", "203.0.113.9", NULL, 404,
	    "bad_link", NULL, NULL },
	{ __LINE__, "on", "/p/" KEY_A "/a/001122334455.xml", "203.0.113.9",
	    NULL, 404, "bad_link", NULL, NULL },
	{ __LINE__, "on", "/o/AAAAAAAAAAAAAAAAAAAAAA/001122334455.xml",
	    "203.0.113.9", NULL, 404, "bad_link", NULL, NULL },
	/* The fleet token, with the phone's MAC. */
	{ __LINE__, "on", "/t/" TOKEN "/001122334455.xml", "203.0.113.9",
	    NULL, 200, "served", "secret-one-1001", NULL },
	{ __LINE__, "on", "/t/" TOKEN "/001122334499.xml", "203.0.113.9",
	    NULL, 200, "served", "secret-nokey", NULL },
	{ __LINE__, "on", "/t/" TOKEN "/phone-01.xml", "203.0.113.9", NULL,
	    400, "bad_identifier", NULL, NULL },
	{ __LINE__, "on", "/t/" TOKEN "/001122334455.xml", "203.0.113.9",
	    UA_66, 403, "mac_mismatch", NULL, NULL },
	{ __LINE__, "on", "/t/" TOKEN "x/001122334455.xml", "203.0.113.9",
	    NULL, 404, "bad_token", NULL, NULL },
	{ __LINE__, "on", "/t/" TOKEN_SHA "/001122334455.xml", "203.0.113.9",
	    NULL, 404, "bad_token", NULL, NULL },
	/* The plain URL keeps its address rule. */
	{ __LINE__, "on", "/001122334455.xml", "192.0.2.10", NULL, 200,
	    "served", "secret-one-1001", NULL },
	{ __LINE__, "on", "/001122334455.xml", "203.0.113.9", NULL, 403,
	    "not_phone_ip", NULL, NULL },
	/* links.plain: off serves nothing there, links still work. */
	{ __LINE__, "off", "/001122334455.xml", "192.0.2.10", NULL, 404,
	    "plain_off", NULL, NULL },
	{ __LINE__, "off", "/p/" KEY_A "/001122334455.xml", "192.0.2.10",
	    NULL, 200, "served", "secret-one-1001", NULL },
	/* links.plain: bootstrap points the phone at its link. */
	{ __LINE__, "bootstrap", "/001122334455.xml", "192.0.2.10", NULL, 200,
	    "bootstrap", "<Profile_Rule ua=\"na\">https://prov.example/p/"
	    KEY_A "/$MA.xml</Profile_Rule>", "secret-" },
	{ __LINE__, "bootstrap", "/001122334455.xml", "203.0.113.9", NULL,
	    403, "not_phone_ip", NULL, NULL },
	{ __LINE__, "bootstrap", "/001122334499.xml", "192.0.2.99", NULL, 403,
	    "no_link_key", NULL, NULL },
	{ __LINE__, "bootstrap", "/p/" KEY_A "/001122334455.xml",
	    "192.0.2.10", NULL, 200, "served", "secret-one-1001", NULL },
	{ __LINE__, "bootstrap", "/t/" TOKEN "/001122334499.xml",
	    "192.0.2.10", NULL, 200, "served", "secret-nokey", NULL },
};

START_TEST(test_link_rows)
{
	struct lfix f;
	struct response rs;
	struct buf log;
	const char *body;

	lfix_init(&f, link_rows[_i].plain);
	get(&f.app, link_rows[_i].uri, link_rows[_i].remote, link_rows[_i].ua,
	    &rs, &log);
	body = rs.body.data ? rs.body.data : "";
	ck_assert_msg(rs.status == link_rows[_i].status &&
	    strcmp(rs.outcome, link_rows[_i].outcome) == 0,
	    "line %d: %d %s: %s", link_rows[_i].line, rs.status, rs.outcome,
	    body);
	ck_assert_msg(link_rows[_i].body == NULL ||
	    strstr(body, link_rows[_i].body) != NULL, "line %d: body:\n%s",
	    link_rows[_i].line, body);
	ck_assert_msg(link_rows[_i].not_body == NULL ||
	    strstr(body, link_rows[_i].not_body) == NULL,
	    "line %d: body:\n%s", link_rows[_i].line, body);
	assert_no_secret(link_rows[_i].line, &rs, &log);
	/* The link's kind is in the log line, its credential is not. */
	if (link_rows[_i].uri[1] == 'p' && link_rows[_i].uri[2] == '/')
		ck_assert_msg(strstr(log.data, "uri=/p/-/") != NULL, "%s",
		    log.data);
	response_free(&rs);
	buf_free(&log);
	lfix_free(&f);
}
END_TEST

static time_t reported_at;

static time_t
fake_report(void *ctx, const char *mac)
{
	(void)ctx;
	(void)mac;
	return reported_at;
}

/* N fetches, T minutes, until the phone reports: the store directly. */
START_TEST(test_once_store)
{
	struct lfix f;
	const struct phone *ph;
	struct links_once_spec sp = { .uses = 2 };
	char id[LINKS_ONCE_ID_LEN + 1], id2[LINKS_ONCE_ID_LEN + 1];
	char pid[IDENT_MAX + 1], msg[128];
	time_t now = 1800000000;

	lfix_init(&f, "on");
	ph = snapshot_find(f.app.cs.snap, "001122334455");
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 10, now, id, msg,
	    sizeof(msg)), 0);
	ck_assert_uint_eq(strlen(id), LINKS_ONCE_ID_LEN);
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 0, now, NULL,
	    NULL, pid), LINKS_ONCE_OK);
	ck_assert_str_eq(pid, "phone-01");
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 1, now,
		    NULL, NULL, pid), LINKS_ONCE_OK);
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 1, now, NULL,
	    NULL, pid), LINKS_ONCE_USED_UP);
	/* Minutes. */
	sp = (struct links_once_spec){ .minutes = 5 };
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 10, now, id2, msg,
	    sizeof(msg)), 0);
	ck_assert_int_eq(links_once_use(f.data, id2, strlen(id2), 1,
	    now + 299, NULL, NULL, pid), LINKS_ONCE_OK);
	ck_assert_int_eq(links_once_use(f.data, id2, strlen(id2), 1,
	    now + 300, NULL, NULL, pid), LINKS_ONCE_EXPIRED);
	/* Sweeping leaves none of those two. */
	ck_assert_uint_eq(links_once_sweep(f.data, now + 300), 0);
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 0, now, NULL,
	    NULL, pid), LINKS_ONCE_UNKNOWN);
	/* Until the phone's next report. */
	sp = (struct links_once_spec){ .until_report = 1 };
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 10, now, id, msg,
	    sizeof(msg)), 0);
	reported_at = now - 10;
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 1, now + 60,
	    fake_report, NULL, pid), LINKS_ONCE_OK);
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 1, now + 60,
	    fake_report, NULL, pid), LINKS_ONCE_OK);
	reported_at = now + 30;
	ck_assert_int_eq(links_once_use(f.data, id, strlen(id), 1, now + 60,
	    fake_report, NULL, pid), LINKS_ONCE_USED_UP);
	/* ... and even without a report, after a week. */
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 10, now, id2, msg,
	    sizeof(msg)), 0);
	ck_assert_int_eq(links_once_use(f.data, id2, strlen(id2), 0,
	    now + LINKS_ONCE_REPORT_MAX, NULL, NULL, pid), LINKS_ONCE_EXPIRED);
	/* Bounded: at most max links. */
	sp = (struct links_once_spec){ .uses = 1 };
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 2, now, id, msg,
	    sizeof(msg)), -1);
	ck_assert_ptr_nonnull(strstr(msg, "once_max"));
	sp.uses = -1;
	ck_assert_int_eq(links_once_new(f.data, ph, &sp, 100, now, id, msg,
	    sizeof(msg)), -1);
	lfix_free(&f);
}
END_TEST

/* Through the handler: a one-time link with two fetches gives two
 * profiles, then link_used_up. */
START_TEST(test_once_fetch)
{
	struct lfix f;
	struct links_once_spec sp = { .uses = 2 };
	char id[LINKS_ONCE_ID_LEN + 1], msg[128], uri[128];
	static const int want[] = { 200, 200, 410 };
	struct response rs;
	struct buf log;

	lfix_init(&f, "off");
	ck_assert_int_eq(links_once_new(f.data, snapshot_find(f.app.cs.snap,
	    "001122334455"), &sp, 10, time(NULL), id, msg, sizeof(msg)), 0);
	/* Another phone's file spends nothing. */
	snprintf(uri, sizeof(uri), "/o/%s/001122334466.xml", id);
	get(&f.app, uri, "203.0.113.9", NULL, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_str_eq(rs.outcome, "mac_mismatch");
	response_free(&rs);
	buf_free(&log);
	snprintf(uri, sizeof(uri), "/o/%s/001122334455.xml", id);
	for (size_t i = 0; i < 3; i++) {
		get(&f.app, uri, "203.0.113.9", NULL, &rs, &log);
		ck_assert_msg(rs.status == want[i], "fetch %zu: %d %s", i,
		    rs.status, rs.outcome);
		ck_assert_ptr_null(strstr(log.data, id));
		if (i == 2)
			ck_assert_str_eq(rs.outcome, "link_used_up");
		response_free(&rs);
		buf_free(&log);
	}
	lfix_free(&f);
}
END_TEST

/* Every vendor pack's bootstrap file: no password, and the personal
 * link where the pack has a provisioning-URL setting. */
START_TEST(test_vendor_bootstrap)
{
	char dir[TU_DIR_MAX], data[TU_DIR_MAX], *yml, *p, line[160];
	struct app app;
	const struct snapshot *s;
	struct buf out, log;
	size_t len, k = 0;
	struct response rs;
	FILE *fp;

	tu_copy_dir("tests/data/vendors/fleet", dir);
	tu_mkdtemp(data);
	/* Each device gets a key: KEY_A with its last letter its index. */
	snprintf(line, sizeof(line), "%s/phones.yml", dir);
	fp = fopen(line, "rb");
	ck_assert_ptr_nonnull(fp);
	yml = calloc(1, 1 << 20);
	len = fread(yml, 1, (1 << 20) - 1, fp);
	fclose(fp);
	buf_init(&out);
	for (p = yml; p < yml + len; ) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		buf_add(&out, p, n);
		if (strncmp(p, "    mac: ", 9) == 0)
			buf_printf(&out, "    link_key: %.42s%c\n", KEY_A,
			    (char)('a' + k++));
		p += n;
	}
	free(yml);
	tu_write(dir, "phones.yml", out.data);
	tu_write(dir, "serviceconfig.yml", "links: {plain: bootstrap, "
	    "base_url: \"https://prov.example/\"}\n");
	buf_free(&out);
	tu_app(&app, dir, "schema", data);
	s = app.cs.snap;
	ck_assert_msg(s != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];
		const struct pack_file *pf = vendor_main_file(ph->pack);
		struct vendor_file_req vr;
		char name[128], uri[256];

		ck_assert_int_eq(vendor_phone_request(s, ph, pf, name,
		    sizeof(name), &vr), 1);
		snprintf(uri, sizeof(uri), "/%s", name);
		get(&app, uri, "127.0.0.1", NULL, &rs, &log);
		ck_assert_msg(rs.status == 200 && strcmp(rs.outcome,
		    "bootstrap") == 0, "%s %s: %d %s", ph->id, name, rs.status,
		    rs.outcome);
		ck_assert_msg(strstr(rs.body.data, "pw-") == NULL, "%s: %s",
		    ph->id, rs.body.data);
		/* Grandstream takes the scheme apart (P212) and the URL
		 * without it (P237), so the link is matched from the host. */
		/* Polycom, Aastra and Grandstream GRP (config version 2)
		 * have no per-phone provisioning-URL setting yet
		 * (docs/links.md). */
		if (strcmp(ph->pack->name, "polycom") != 0 &&
		    strcmp(ph->pack->name, "aastra") != 0 &&
		    strstr(rs.body.data, "<config version=\"2\">") == NULL)
			ck_assert_msg(strstr(rs.body.data, "prov.example/"
			    "p/" KEY_A) != NULL || strstr(rs.body.data,
			    "prov.example/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			    "AAAAAAAAAAAA") != NULL, "%s: no link:\n%s", ph->id,
			    rs.body.data);
		response_free(&rs);
		buf_free(&log);
		/* Over the link: the whole file, passwords included. */
		buf_init(&out);
		links_phone_base_url(s, ph, &out);
		snprintf(uri, sizeof(uri), "%s%s", out.data +
		    strlen("https://prov.example"), name);
		buf_free(&out);
		get(&app, uri, "198.51.100.1", NULL, &rs, &log);
		ck_assert_msg(rs.status == 200 && strstr(rs.body.data, "pw-") !=
		    NULL, "%s %s: %d %s", ph->id, uri, rs.status, rs.outcome);
		response_free(&rs);
		buf_free(&log);
	}
	app_free(&app);
	tu_remove_dir(dir);
	snprintf(line, sizeof(line), "rm -rf '%s'", data);
	ck_assert_int_eq(system(line), 0);
}
END_TEST

Suite *links_suite(void);

Suite *
links_suite(void)
{
	Suite *s = suite_create("links");
	TCase *tc = tcase_create("links");

	tcase_add_test(tc, test_key_new);
	tcase_add_test(tc, test_phone_rules_parsed);
	tcase_add_test(tc, test_base_url_unset);
	tcase_add_test(tc, test_device_rules);
	tcase_add_loop_test(tc, test_bad_entries, 0,
	    sizeof(bad_entries) / sizeof(bad_entries[0]));
	tcase_add_test(tc, test_duplicate_key);
	tcase_add_loop_test(tc, test_service_links, 0,
	    sizeof(services) / sizeof(services[0]));
	tcase_add_test(tc, test_token);
	tcase_add_loop_test(tc, test_time_parse, 0,
	    sizeof(times) / sizeof(times[0]));
	tcase_add_test(tc, test_secret_lists);
	suite_add_tcase(s, tc);
	tc = tcase_create("requests");
	tcase_add_loop_test(tc, test_link_rows, 0,
	    sizeof(link_rows) / sizeof(link_rows[0]));
	tcase_add_test(tc, test_once_store);
	tcase_add_test(tc, test_once_fetch);
	tcase_add_test(tc, test_vendor_bootstrap);
	suite_add_tcase(s, tc);
	return s;
}
