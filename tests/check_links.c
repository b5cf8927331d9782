/* Personal-link keys, the access rules of a phone entry (enabled,
 * link_key, links:) and serviceconfig.yml links:, as the loader reads
 * them; the URL prefix a phone is given. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <openssl/sha.h>

#include "device.h"
#include "links.h"
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
	return s;
}
