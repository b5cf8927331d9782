/* DHCP learning: the three servers' calling conventions (dnsmasq(8)
 * --dhcp-script, ISC dhcpd.conf(5) execute() with binary-to-ascii MACs,
 * Kea's run_script environment), what is kept and refused, the model
 * guess, and ip_authorization: learned as profile.fcgi applies it. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app_profile.h"
#include "contact.h"
#include "dhcp.h"
#include "testutil.h"

#define FLEET	"tests/data/vendors/fleet"

/* A fake environment: NAME=value strings, NULL-terminated. */
static const char *const *fake_env;

static const char *
env(const char *name)
{
	size_t n = strlen(name);

	for (const char *const *e = fake_env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static const char *const env_dnsmasq[] = {
	"DNSMASQ_VENDOR_CLASS=Grandstream GXP2170 dslforum.org", NULL };
static const char *const env_kea[] = { "LEASE4_ADDRESS=192.0.2.61",
	"LEASE4_HWADDR=00:15:65:aa:bb:01", "LEASE4_HOSTNAME=T46S-1", NULL };
static const char *const env_kea_committed[] = {
	"LEASES4_SIZE=1", "LEASES4_AT0_ADDRESS=192.0.2.62",
	"LEASES4_AT0_HWADDR=00:15:65:aa:bb:01", NULL };
static const char *const env_bad_class[] = {
	"DNSMASQ_VENDOR_CLASS=bad\x01class", NULL };

static const struct {
	int			 line;
	const char		*args[6];
	const char *const	*env;
	int			 rc;
	enum dhcp_action	 action;
	const char		*server, *mac, *addr, *vclass, *host;
} events[] = {
	{ __LINE__, { "add", "00:0b:82:aa:bb:03", "192.0.2.60", "gxp-1" },
	    env_dnsmasq, 0, DHCP_ADD, "dnsmasq", "000b82aabb03",
	    "192.0.2.60", "Grandstream GXP2170 dslforum.org", "gxp-1" },
	{ __LINE__, { "old", "00:0b:82:aa:bb:03", "192.0.2.60" }, NULL, 0,
	    DHCP_ADD, "dnsmasq", "000b82aabb03", "192.0.2.60", "", "" },
	{ __LINE__, { "del", "00:0b:82:aa:bb:03", "192.0.2.60" }, NULL, 0,
	    DHCP_DEL, "dnsmasq", "000b82aabb03", "192.0.2.60", "", "" },
	{ __LINE__, { "init" }, NULL, 0, DHCP_IGNORE, "dnsmasq", "", "", "",
	    "" },
	/* A control byte in option 60: the lease is kept, the class not. */
	{ __LINE__, { "add", "00:0b:82:aa:bb:03", "192.0.2.60" },
	    env_bad_class, 0, DHCP_ADD, "dnsmasq", "000b82aabb03",
	    "192.0.2.60", "", "" },
	/* ISC: binary-to-ascii drops leading zeros. */
	{ __LINE__, { "commit", "0:4:13:aa:bb:2", "192.0.2.70", "snom",
	    "snom-1" }, NULL, 0, DHCP_ADD, "isc", "000413aabb02",
	    "192.0.2.70", "snom", "snom-1" },
	{ __LINE__, { "expiry", "0:4:13:aa:bb:2", "192.0.2.70" }, NULL, 0,
	    DHCP_DEL, "isc", "000413aabb02", "192.0.2.70", "", "" },
	{ __LINE__, { "lease4_renew" }, env_kea, 0, DHCP_ADD, "kea",
	    "001565aabb01", "192.0.2.61", "", "T46S-1" },
	{ __LINE__, { "leases4_committed" }, env_kea_committed, 0, DHCP_ADD,
	    "kea", "001565aabb01", "192.0.2.62", "", "" },
	{ __LINE__, { "lease4_select" }, NULL, 0, DHCP_IGNORE, "kea", "", "",
	    "", "" },
	/* Refused: no MAC, a multicast MAC, a bad address, no event. */
	{ __LINE__, { "lease4_renew" }, NULL, -1, 0, NULL, NULL, NULL, NULL,
	    NULL },
	{ __LINE__, { "add", "01:00:5e:00:00:01", "192.0.2.60" }, NULL, -1,
	    0, NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, { "add", "00:0b:82:aa:bb:03", "192.0.2.600" }, NULL, -1,
	    0, NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, { "add", "0:b:82:aa:bb" , "192.0.2.60" }, NULL, -1, 0,
	    NULL, NULL, NULL, NULL, NULL },
	{ __LINE__, { "add", "00:0b:82:aa:bb:03" }, NULL, -1, 0, NULL, NULL,
	    NULL, NULL, NULL },
	{ __LINE__, { "rm", "00:0b:82:aa:bb:03", "192.0.2.60" }, NULL, -1,
	    0, NULL, NULL, NULL, NULL, NULL },
};

START_TEST(test_events)
{
	struct dhcp_lease l;
	char err[128];
	int argc = 0, rc;

	while (argc < 6 && events[_i].args[argc] != NULL)
		argc++;
	fake_env = events[_i].env;
	rc = dhcp_event_parse(argc, (char *const *)(uintptr_t)events[_i].args,
	    env, &l, err, sizeof(err));
	ck_assert_msg(rc == events[_i].rc, "line %d: %d %s", events[_i].line,
	    rc, err);
	if (rc < 0)
		return;
	ck_assert_int_eq(l.action, events[_i].action);
	ck_assert_str_eq(l.server, events[_i].server);
	if (l.action == DHCP_IGNORE)
		return;
	ck_assert_str_eq(l.mac, events[_i].mac);
	ck_assert_str_eq(l.addr, events[_i].addr);
	ck_assert_str_eq(l.vendor_class, events[_i].vclass);
	ck_assert_str_eq(l.hostname, events[_i].host);
}
END_TEST

/* add keeps the lease (and a contact on port 5060 that a PnP contact
 * wins over), del forgets it; the guess reads the OUI and option 60. */
START_TEST(test_store)
{
	char dir[TU_DIR_MAX], sub[TU_DIR_MAX + 8], err[64];
	const char *args[] = { "add", "00:0b:82:aa:bb:03", "192.0.2.60", NULL };
	struct dhcp_lease l, got;
	struct contact c;
	struct ipaddr a;
	struct app app;
	const char *pack, *model;

	tu_mkdtemp(dir);
	fake_env = env_dnsmasq;
	ck_assert_int_eq(dhcp_event_parse(3, (char *const *)(uintptr_t)args,
	    env, &l, err, sizeof(err)), 0);
	ck_assert_int_eq(dhcp_store(dir, &l), 0);
	ck_assert_int_eq(dhcp_get(dir, "000b82aabb03", &got), 0);
	ck_assert_str_eq(got.addr, "192.0.2.60");
	ck_assert_str_eq(got.vendor_class, "Grandstream GXP2170 dslforum.org");
	ck_assert_int_eq(contact_get(dir, "000b82aabb03", &c), 0);
	ck_assert_str_eq(c.source, "dhcp");
	ck_assert_uint_eq(c.port, 5060);
	ipaddr_parse("192.0.2.60", 10, &a);
	ck_assert(dhcp_learned_allows(dir, "000b82aabb03", &a));
	ipaddr_parse("192.0.2.61", 10, &a);
	ck_assert(!dhcp_learned_allows(dir, "000b82aabb03", &a));
	ck_assert(!dhcp_learned_allows(dir, "001565aabb01", &a));
	tu_app(&app, FLEET, "schema", NULL);
	ck_assert_ptr_nonnull(app.cs.snap);
	dhcp_guess(app.cs.snap, &got, &pack, &model);
	ck_assert_str_eq(pack, "grandstream");
	ck_assert_str_eq(model, "GXP2170");
	app_free(&app);
	l.action = DHCP_DEL;
	ck_assert_int_eq(dhcp_store(dir, &l), 0);
	ck_assert_int_eq(dhcp_get(dir, "000b82aabb03", &got), -ENOENT);
	ck_assert_int_eq(dhcp_store(dir, &l), 0);	/* twice: fine */
	snprintf(sub, sizeof(sub), "%s/" DHCP_DIR, dir);
	tu_remove_dir(sub);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, dir);
	tu_remove_dir(sub);
	tu_remove_dir(dir);
}
END_TEST

/* ip_authorization: learned.  The Yealink phone of the fleet is
 * configured for 127.0.0.1; from 192.0.2.61 its file goes out only once
 * DHCP gave it that address. */
START_TEST(test_learned_policy)
{
	char etc[TU_DIR_MAX], data[TU_DIR_MAX], sub[TU_DIR_MAX + 8];
	struct request rq = { .method = "GET", .uri = "/001565aabb01.cfg",
	    .remote_addr = "192.0.2.61" };
	struct dhcp_lease l = { .action = DHCP_ADD, .server = "kea",
	    .mac = "001565aabb01", .addr = "192.0.2.61", .seen = 1 };
	struct response rs;
	struct logline log;
	struct app app;

	tu_copy_dir(FLEET, etc);
	tu_write(etc, "serviceconfig.yml", "ip_authorization: learned\n");
	tu_mkdtemp(data);
	tu_app(&app, etc, "schema", data);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	response_init(&rs);
	logline_start(&log, "test");
	app_profile_handle(&app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	ck_assert_str_eq(rs.outcome, "not_learned_ip");
	logline_discard(&log);
	response_free(&rs);
	ck_assert_int_eq(dhcp_store(data, &l), 0);
	response_init(&rs);
	logline_start(&log, "test");
	app_profile_handle(&app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	ck_assert(strstr(log.b.data, " address=learned") != NULL);
	logline_discard(&log);
	response_free(&rs);
	/* Another phone's learned address is no key to this one. */
	rq.remote_addr = "192.0.2.62";
	response_init(&rs);
	logline_start(&log, "test");
	app_profile_handle(&app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 403);
	logline_discard(&log);
	response_free(&rs);
	app_free(&app);
	snprintf(sub, sizeof(sub), "%s/" DHCP_DIR, data);
	tu_remove_dir(sub);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, data);
	tu_remove_dir(sub);
	tu_remove_dir(data);
	tu_remove_dir(etc);
}
END_TEST

Suite *dhcp_suite(void);

Suite *
dhcp_suite(void)
{
	Suite *s = suite_create("dhcp");
	TCase *tc = tcase_create("dhcp");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_events, 0,
	    (int)(sizeof(events) / sizeof(events[0])));
	tcase_add_test(tc, test_store);
	tcase_add_test(tc, test_learned_policy);
	suite_add_tcase(s, tc);
	return s;
}
