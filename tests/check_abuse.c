/* The abuse table: rate limit, MAC-enumeration detection, the allow-list,
 * a fixed size whatever the traffic, and one state for every process. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abuse.h"
#include "app_profile.h"
#include "testutil.h"

static void
settings(struct abuse_settings *a)
{
	struct service_settings svc;
	struct firmware_settings fw;
	struct comparison_settings cmp;

	settings_defaults(&svc, &fw, &cmp);
	*a = svc.abuse;
}

static struct ipaddr
addr(const char *s)
{
	struct ipaddr a;

	ck_assert_int_eq(ipaddr_parse(s, strlen(s), &a), 0);
	return a;
}

static void
rm_dir(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_enumeration_blocks)
{
	char dir[TU_DIR_MAX], mac[16];
	struct abuse_settings cfg;
	struct abuse *a;
	struct ipaddr c = addr("192.0.2.7"), other = addr("192.0.2.8");
	enum abuse_reason why;
	time_t now = 1800000000;
	int blocked = 0;

	tu_mkdtemp(dir);
	settings(&cfg);
	a = abuse_open(dir, "test");
	ck_assert_ptr_nonnull(a);
	/* The same unknown name again and again is one name. */
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(abuse_note_unknown(a, &cfg, &c, "/x.xml", 6,
		    now), 0);
	ck_assert_int_eq(abuse_admit(a, &cfg, &c, now, NULL), 0);
	for (int i = 0; i < 40 && !blocked; i++) {
		snprintf(mac, sizeof(mac), "/0011223344%02x", i);
		blocked = abuse_note_unknown(a, &cfg, &c, mac, strlen(mac),
		    now);
	}
	ck_assert(blocked);
	ck_assert_int_eq(abuse_admit(a, &cfg, &c, now + 1, &why),
	    cfg.block_seconds - 1);
	ck_assert_int_eq(why, ABUSE_ENUMERATION);
	ck_assert_str_eq(abuse_reason_name(why), "enumeration");
	/* Others are not touched; the block ends. */
	ck_assert_int_eq(abuse_admit(a, &cfg, &other, now + 1, NULL), 0);
	ck_assert_int_eq(abuse_admit(a, &cfg, &c, now + cfg.block_seconds,
	    NULL), 0);
	abuse_close(a);
	rm_dir(dir);
}
END_TEST

START_TEST(test_rate_and_allow)
{
	char dir[TU_DIR_MAX];
	struct abuse_settings cfg;
	struct abuse *a;
	struct ipaddr c = addr("2001:db8:1:2::7"), same64 = addr("2001:db8:1:2::8");
	struct ipaddr nat = addr("198.51.100.1"), lo = addr("127.0.0.1");
	struct ipnet allow;
	enum abuse_reason why;
	time_t now = 1800000000;
	long i;

	tu_mkdtemp(dir);
	settings(&cfg);
	cfg.max_requests = 50;
	a = abuse_open(dir, "test");
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(abuse_admit(a, &cfg, &c, now, NULL), 0);
	/* The same /64 is the same client. */
	ck_assert_int_gt(abuse_admit(a, &cfg, &same64, now, &why), 0);
	ck_assert_int_eq(why, ABUSE_RATE);
	/* A new window does not lift a block early. */
	ck_assert_int_gt(abuse_admit(a, &cfg, &c, now + cfg.window, NULL), 0);
	/* The allow-list (loopback by default) is never counted. */
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(abuse_admit(a, &cfg, &lo, now, NULL), 0);
	ck_assert_int_eq(ipnet_parse("198.51.100.0/24", &allow), 0);
	cfg.allow.nets = &allow;
	cfg.allow.n = 1;
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(abuse_admit(a, &cfg, &nat, now, NULL), 0);
		ck_assert_int_eq(abuse_note_unknown(a, &cfg, &nat, (char *)&i,
		    sizeof(i), now), 0);
	}
	/* Off is off. */
	cfg.enabled = 0;
	ck_assert_int_eq(abuse_admit(a, &cfg, &c, now, NULL), 0);
	abuse_close(a);
	rm_dir(dir);
}
END_TEST

/* 100,000 requests for random MACs from 60,000 addresses, among them 20
 * enumerating ones: the file never grows, the table stays within its
 * slots, and every enumerating client ends up refused. */
START_TEST(test_flood_bounded)
{
	char dir[TU_DIR_MAX], path[TU_DIR_MAX + 16], mac[16], ip[32];
	struct abuse_settings cfg;
	struct abuse *a;
	struct stat st;
	struct ipaddr c;
	time_t now = 1800000000;
	unsigned seed = 42;

	tu_mkdtemp(dir);
	settings(&cfg);
	cfg.allow.n = 0;
	a = abuse_open(dir, "test");
	snprintf(path, sizeof(path), "%s/%s", dir, ABUSE_FILE);
	for (long i = 0; i < 100000; i++) {
		unsigned r = (unsigned)rand_r(&seed);
		/* Every fifth request is one of the 20 enumerators. */
		if (i % 5 == 0)
			snprintf(ip, sizeof(ip), "203.0.113.%ld", i / 5 % 20);
		else
			snprintf(ip, sizeof(ip), "10.%u.%u.%u", r % 4,
			    (r >> 8) % 125, (r >> 16) % 120);
		c = addr(ip);
		snprintf(mac, sizeof(mac), "/%012x", (unsigned)rand_r(&seed));
		if (abuse_admit(a, &cfg, &c, now + i / 2000, NULL) == 0)
			abuse_note_unknown(a, &cfg, &c, mac, strlen(mac),
			    now + i / 2000);
	}
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq((size_t)st.st_size, abuse_file_size());
	/* Far more clients than slots: the table filled and slots were
	 * reused instead of anything growing. */
	ck_assert_uint_gt(abuse_slots_used(a), ABUSE_SLOTS * 9 / 10);
	for (int e = 0; e < 20; e++) {
		snprintf(ip, sizeof(ip), "203.0.113.%d", e);
		c = addr(ip);
		ck_assert_msg(abuse_admit(a, &cfg, &c, now + 50, NULL) > 0,
		    "%s is not refused", ip);
	}
	abuse_close(a);
	rm_dir(dir);
}
END_TEST

/* What one process counts, another sees: a child enumerates, the
 * parent refuses it. */
START_TEST(test_shared)
{
	char dir[TU_DIR_MAX];
	struct abuse_settings cfg;
	struct ipaddr c = addr("192.0.2.9");
	struct abuse *a;
	time_t now = 1800000000;
	int status;
	pid_t pid;

	tu_mkdtemp(dir);
	settings(&cfg);
	a = abuse_open(dir, "test");
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct abuse *b = abuse_open(dir, "child");
		for (int i = 0; i < 100; i++)
			abuse_note_unknown(b, &cfg, &c, (char *)&i, sizeof(i),
			    now);
		abuse_close(b);
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_gt(abuse_admit(a, &cfg, &c, now, NULL), 0);
	abuse_close(a);
	/* A file of another size is replaced, not trusted. */
	tu_write(dir, ABUSE_FILE, "garbage");
	a = abuse_open(dir, "test");
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(abuse_slots_used(a), 0);
	abuse_close(a);
	rm_dir(dir);
}
END_TEST

/* Through profile.fcgi's handler: guessed MACs get 404 until the
 * client is refused with 429 and Retry-After. */
START_TEST(test_handler)
{
	char dir[TU_DIR_MAX], data[TU_DIR_MAX], uri[64];
	struct request rq = { .method = "GET", .remote_addr = "192.0.2.50" };
	struct response rs;
	struct logline l;
	struct app app;
	const char *ra;
	int i;

	tu_copy_dir("tests/data/config/good", dir);
	tu_mkdtemp(data);
	tu_write(dir, "serviceconfig.yml", "abuse: {max_unknown: 5}\n");
	tu_app(&app, dir, dir, data);
	app.abuse = abuse_open(data, "test");
	for (i = 0; i < 10; i++) {
		snprintf(uri, sizeof(uri), "/0011223399%02x.xml", i);
		rq.uri = uri;
		response_init(&rs);
		logline_start(&l, "test");
		app_profile_handle(&app, &rq, &rs, &l);
		if (i < 6)
			ck_assert_msg(rs.status == 404, "%d: %d", i, rs.status);
		if (i == 5)
			ck_assert_ptr_nonnull(strstr(l.b.data,
			    "abuse=enumeration"));
		if (i > 5) {
			ck_assert_int_eq(rs.status, 429);
			ck_assert_str_eq(rs.outcome, "abuse_blocked");
			/* What is left of the 600 s block: a slow run
			 * (ASan, a busy machine) may cross a second. */
			ra = strstr(rs.headers.data, "Retry-After: ");
			ck_assert_ptr_nonnull(ra);
			ck_assert_int_ge(atoi(ra + 13), 590);
			ck_assert_int_le(atoi(ra + 13), 600);
		}
		logline_discard(&l);
		response_free(&rs);
	}
	app_free(&app);
	tu_remove_dir(dir);
	rm_dir(data);
}
END_TEST

Suite *abuse_suite(void);

Suite *
abuse_suite(void)
{
	Suite *s = suite_create("abuse");
	TCase *tc = tcase_create("abuse");

	tcase_add_test(tc, test_enumeration_blocks);
	tcase_add_test(tc, test_rate_and_allow);
	tcase_add_test(tc, test_flood_bounded);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_handler);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
