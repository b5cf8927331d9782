/* Who may fetch a profile: the client's address (X-Forwarded-For only
 * through trusted proxies) and the phone / fleet / off policies. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "access.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

static const char *const trusted[] = {
	"10.0.0.1", "192.168.100.0/24", "2001:db8::1",
};

/* Settings with the proxies above trusted (or none). */
static void
proxies(struct service_settings *svc, struct ipnet nets[3], int on)
{
	struct firmware_settings fw;
	struct comparison_settings cmp;

	settings_defaults(svc, &fw, &cmp);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(ipnet_parse(trusted[i], &nets[i]), 0);
	svc->trusted_proxies.nets = nets;
	svc->trusted_proxies.n = on ? 3 : 0;
}

static const struct {
	int		 line;
	int		 trust;		/* proxies trusted at all */
	const char	*remote, *xff;
	const char	*want;		/* NULL: unparseable, a 400 */
} clients[] = {
	{ __LINE__, 1, "192.0.2.10", NULL, "192.0.2.10" },
	{ __LINE__, 1, "::ffff:192.0.2.10", NULL, "192.0.2.10" },
	{ __LINE__, 1, "2001:db8::20", NULL, "2001:db8::20" },
	/* Anyone may send the header; only a trusted proxy is believed. */
	{ __LINE__, 1, "192.0.2.10", "203.0.113.5", "192.0.2.10" },
	{ __LINE__, 1, "192.0.2.10", "garbage", "192.0.2.10" },
	{ __LINE__, 0, "10.0.0.1", "203.0.113.5", "10.0.0.1" },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5", "203.0.113.5" },
	{ __LINE__, 1, "::ffff:10.0.0.1", "203.0.113.5", "203.0.113.5" },
	{ __LINE__, 1, "2001:db8::1", "198.51.100.7", "198.51.100.7" },
	{ __LINE__, 1, "10.0.0.1", "2001:db8::5", "2001:db8::5" },
	/* Multi-hop: the right-most address no trusted proxy vouches for;
	 * what the client wrote to the left of it is never read. */
	{ __LINE__, 1, "10.0.0.1", "198.51.100.7, 203.0.113.5", "203.0.113.5" },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5, 192.168.100.3",
	    "203.0.113.5" },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5,192.168.100.3,10.0.0.1",
	    "203.0.113.5" },
	{ __LINE__, 1, "10.0.0.1", "  203.0.113.5  ,\t192.168.100.3 ",
	    "203.0.113.5" },
	{ __LINE__, 1, "10.0.0.1", "garbage, 203.0.113.5", "203.0.113.5" },
	{ __LINE__, 1, "10.0.0.1", "192.168.100.3", "192.168.100.3" },
	/* Garbage where the client's address should be. */
	{ __LINE__, 1, "10.0.0.1", "garbage", NULL },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5, garbage", NULL },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5:1234", NULL },
	{ __LINE__, 1, "10.0.0.1", "[2001:db8::5]", NULL },
	{ __LINE__, 1, "10.0.0.1", "203.0.113.5,", NULL },
	{ __LINE__, 1, "10.0.0.1", ",", NULL },
	{ __LINE__, 1, "10.0.0.1", "unknown", NULL },
	{ __LINE__, 1, "garbage", NULL, NULL },
	{ __LINE__, 1, "", NULL, NULL },
	{ __LINE__, 1, NULL, "203.0.113.5", NULL },
};

START_TEST(test_client_address)
{
	struct service_settings svc;
	struct ipnet nets[3];
	struct ipaddr a;
	char text[64];
	int rc;

	proxies(&svc, nets, clients[_i].trust);
	rc = client_address(&svc, clients[_i].remote, clients[_i].xff, &a);
	if (clients[_i].want == NULL) {
		ck_assert_msg(rc < 0, "line %d: accepted", clients[_i].line);
		return;
	}
	ck_assert_msg(rc == 0, "line %d: refused", clients[_i].line);
	ipaddr_format(&a, text, sizeof(text));
	ck_assert_msg(strcmp(text, clients[_i].want) == 0,
	    "line %d: client is %s", clients[_i].line, text);
}
END_TEST

static const char svc_fleet[] =
    "ip_whitelist: [\"203.0.113.5\", \"2001:db8:ffff::/48\"]\n"
    "ip_authorization: fleet\n";
static const char svc_off[] =
    "ip_whitelist: [\"203.0.113.5\"]\n"
    "ip_authorization: off\n";
static const char svc_false[] = "ip_authorization: false\n";
static const char svc_empty[] = "ip_whitelist: []\n";

static const struct {
	int		 line;
	const char	*service;	/* NULL: the good fixture's (phone) */
	const char	*phone, *client;
	const char	*why;		/* NULL: allowed */
} rules[] = {
	/* phone: the phone's own address, or the whitelist. */
	{ __LINE__, NULL, "phone-01", "192.0.2.10", NULL },
	{ __LINE__, NULL, "phone-01", "::ffff:192.0.2.10", NULL },
	{ __LINE__, NULL, "phone-01", "192.0.2.11", "not_phone_ip" },
	{ __LINE__, NULL, "phone-01", "192.0.2.20", "not_phone_ip" },
	{ __LINE__, NULL, "phone-01", "2001:db8::20", "not_phone_ip" },
	{ __LINE__, NULL, "phone-01", "203.0.113.5", NULL },
	{ __LINE__, NULL, "phone-01", "2001:db8:ffff:1::9", NULL },
	{ __LINE__, NULL, "phone-01", "2001:db8:fffe::9", "not_phone_ip" },
	{ __LINE__, NULL, "Reception", "192.0.2.20", NULL },
	{ __LINE__, NULL, "Reception", "2001:db8::20", NULL },
	{ __LINE__, NULL, "Reception", "2001:db8::21", "not_phone_ip" },
	{ __LINE__, NULL, "Reception", "192.0.2.10", "not_phone_ip" },
	{ __LINE__, NULL, "warehouse", "198.51.100.77", NULL },
	{ __LINE__, NULL, "warehouse", "198.51.101.1", "not_phone_ip" },
	{ __LINE__, NULL, "spare", "192.0.2.40", "not_phone_ip" },
	{ __LINE__, NULL, "spare", "203.0.113.5", NULL },
	{ __LINE__, svc_empty, "phone-01", "203.0.113.5", "not_phone_ip" },
	{ __LINE__, svc_empty, "phone-01", "192.0.2.10", NULL },
	/* fleet: any configured phone's address, or the whitelist. */
	{ __LINE__, svc_fleet, "phone-01", "192.0.2.10", NULL },
	{ __LINE__, svc_fleet, "phone-01", "192.0.2.20", NULL },
	{ __LINE__, svc_fleet, "phone-01", "::ffff:192.0.2.20", NULL },
	{ __LINE__, svc_fleet, "phone-01", "2001:db8::20", NULL },
	{ __LINE__, svc_fleet, "phone-01", "198.51.100.77", NULL },
	{ __LINE__, svc_fleet, "spare", "192.0.2.10", NULL },
	{ __LINE__, svc_fleet, "phone-01", "203.0.113.5", NULL },
	{ __LINE__, svc_fleet, "phone-01", "2001:db8:ffff::1", NULL },
	{ __LINE__, svc_fleet, "phone-01", "192.0.2.99", "not_fleet_ip" },
	{ __LINE__, svc_fleet, "phone-01", "2001:db8::21", "not_fleet_ip" },
	{ __LINE__, svc_fleet, "phone-01", "198.51.101.1", "not_fleet_ip" },
	/* off: anyone. */
	{ __LINE__, svc_off, "phone-01", "192.0.2.99", NULL },
	{ __LINE__, svc_off, "spare", "2001:db8:dead::1", NULL },
	{ __LINE__, svc_false, "phone-01", "192.0.2.99", NULL },
};

START_TEST(test_profile_access)
{
	struct diag err;
	char dir[TU_DIR_MAX], key[IDENT_MAX + 1];
	struct snapshot *s;
	const struct phone *ph;
	struct ipaddr client;
	const char *why;

	tu_copy_dir(GOOD, dir);
	if (rules[_i].service != NULL)
		tu_write(dir, "serviceconfig.yml", rules[_i].service);
	s = snapshot_load(dir, dir, &err);
	tu_remove_dir(dir);
	ck_assert_msg(s != NULL, "line %d: %s", rules[_i].line, err.msg);
	ident_key(rules[_i].phone, strlen(rules[_i].phone), key);
	ph = snapshot_find(s, key);
	ck_assert_ptr_nonnull(ph);
	ck_assert_int_eq(ipaddr_parse(rules[_i].client,
	    strlen(rules[_i].client), &client), 0);
	why = profile_access(s, ph, &client);
	if (rules[_i].why == NULL)
		ck_assert_msg(why == NULL, "line %d: %s refused (%s)",
		    rules[_i].line, rules[_i].client, why);
	else
		ck_assert_msg(why != NULL && strcmp(why, rules[_i].why) == 0,
		    "line %d: %s gave %s", rules[_i].line, rules[_i].client,
		    why ? why : "allowed");
	snapshot_free(s);
}
END_TEST

Suite *access_suite(void);

Suite *
access_suite(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("client");

	tcase_add_loop_test(tc, test_client_address, 0,
	    (int)(sizeof(clients) / sizeof(clients[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("policy");
	tcase_add_loop_test(tc, test_profile_access, 0,
	    (int)(sizeof(rules) / sizeof(rules[0])));
	suite_add_tcase(s, tc);
	return s;
}
