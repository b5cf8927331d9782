/* Remote resync: the send rate's token bucket, which phones a selector
 * names, the NOTIFYs and the answers counted (against a responder in a
 * child process), and a fetch afterwards confirming the resync. */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app_profile.h"
#include "notify.h"
#include "sip.h"
#include "testutil.h"

/* The count of markers waiting to be claimed, as the file holds it. */
static long long
pending_count(const char *data)
{
	char path[512];
	unsigned long long n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/" CONTACT_DIR "/notified.count",
	    data);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fread(&n, sizeof(n), 1, f), 1);
	fclose(f);
	return (long long)n;
}

#define FLEET	"tests/data/vendors/fleet"

START_TEST(test_bucket)
{
	struct notify_bucket b;

	notify_bucket_init(&b, 10, 100.0);
	ck_assert(notify_bucket_take(&b, 100.0) == 0);
	/* The next token is a tenth of a second away, never sooner. */
	ck_assert(notify_bucket_take(&b, 100.0) > 0.099);
	ck_assert(notify_bucket_take(&b, 100.05) > 0.049);
	ck_assert(notify_bucket_take(&b, 100.1) == 0);
	/* Idle time saves up one token only: no burst after a pause. */
	ck_assert(notify_bucket_take(&b, 200.0) == 0);
	ck_assert(notify_bucket_take(&b, 200.0) > 0.099);
	/* At 1000/s a late wake-up is made up for, up to 50 sends. */
	notify_bucket_init(&b, 1000, 0.0);
	ck_assert(notify_bucket_take(&b, 0.0) == 0);
	ck_assert(notify_bucket_take(&b, 0.0) > 0);
	for (int i = 0; i < 50; i++)
		ck_assert(notify_bucket_take(&b, 10.0) == 0);
	ck_assert(notify_bucket_take(&b, 10.0) > 0);
}
END_TEST

static const struct {
	int		 line;
	const char	*sel;
	long		 n;
	const char	*first;		/* MAC of the first target */
} sels[] = {
	{ __LINE__, "all", 11, "001565aabb01" },
	{ __LINE__, "vendor:snom", 1, "000413aabb02" },
	{ __LINE__, "vendor:SNOM", 1, "000413aabb02" },
	{ __LINE__, "vendor:cisco", 2, "0002fdaabb07" },
	{ __LINE__, "vendor:cisco-mpp", 1, "00562baabb08" },
	{ __LINE__, "vendor:aastra", 1, "00085daabb0b" },
	{ __LINE__, "vendor:acme", 0, NULL },
	{ __LINE__, "model:T46S", 1, "001565aabb01" },
	{ __LINE__, "00:04:13:AA:BB:02", 1, "000413aabb02" },
	{ __LINE__, "nobody", -1, NULL },
	{ __LINE__, "../../etc", -1, NULL },
};

START_TEST(test_select)
{
	struct notify_target *t;
	struct app app;
	char err[128];
	long n;

	tu_app(&app, FLEET, "schema", "/nonexistent");
	ck_assert_ptr_nonnull(app.cs.snap);
	n = notify_select(app.cs.snap, app.data_dir, sels[_i].sel, &t, err,
	    sizeof(err));
	ck_assert_msg(n == sels[_i].n, "line %d: %ld", sels[_i].line, n);
	if (n > 0) {
		ck_assert_str_eq(t[0].mac, sels[_i].first);
		ck_assert(!t[0].have_contact);
	}
	free(t);
	app_free(&app);
}
END_TEST

/* sip_contact in a phone entry: accepted spellings win over a learned
 * contact; others fail the load with the phone named. */
static const struct {
	int		 line;
	const char	*value;
	const char	*addr;		/* NULL: refused */
	unsigned	 port;
} contacts[] = {
	{ __LINE__, "192.0.2.50", "192.0.2.50", 5060 },
	{ __LINE__, "192.0.2.50:5062", "192.0.2.50", 5062 },
	{ __LINE__, "2001:db8::5", "2001:db8::5", 5060 },
	{ __LINE__, "[2001:db8::5]:5070", "2001:db8::5", 5070 },
	{ __LINE__, "192.0.2.50:0", NULL, 0 },
	{ __LINE__, "192.0.2.50:70000", NULL, 0 },
	{ __LINE__, "192.0.2.50:", NULL, 0 },
	{ __LINE__, "pbx.example.net", NULL, 0 },
	{ __LINE__, "[2001:db8::5]x", NULL, 0 },
};

START_TEST(test_sip_contact)
{
	char dir[TU_DIR_MAX], yml[512], err[64];
	struct notify_target *t;
	struct diag d;
	struct snapshot *s;

	tu_copy_dir(FLEET, dir);
	snprintf(yml, sizeof(yml), "phones:\n  desk:\n    mac: "
	    "\"00:04:13:aa:bb:02\"\n    vendor: snom\n    model: D785\n"
	    "    sip_contact: \"%s\"\n", contacts[_i].value);
	tu_write(dir, "phones.yml", yml);
	s = snapshot_load(dir, "schema", &d);
	tu_remove_dir(dir);
	if (contacts[_i].addr == NULL) {
		ck_assert_msg(s == NULL, "line %d: loaded", contacts[_i].line);
		ck_assert_msg(strstr(d.msg, "sip_contact") != NULL, "%s", d.msg);
		return;
	}
	ck_assert_msg(s != NULL, "line %d: %s", contacts[_i].line, d.msg);
	ck_assert_int_eq(notify_select(s, "/nonexistent", "desk", &t, err,
	    sizeof(err)), 1);
	ck_assert(t[0].have_contact);
	ck_assert_str_eq(t[0].c.addr, contacts[_i].addr);
	ck_assert_uint_eq(t[0].c.port, contacts[_i].port);
	ck_assert_str_eq(t[0].c.source, "config");
	free(t);
	snapshot_free(s);
}
END_TEST

/* Answers the first NOTIFY 200 and the second 486, then exits. */
static void
responder(int fd)
{
	char buf[SIP_MSG_MAX + 1];
	struct sockaddr_storage from;
	socklen_t len;
	struct sip_msg m;
	struct buf out;

	for (int i = 0; i < 2; i++) {
		ssize_t n;

		len = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &len);
		if (n <= 0 || sip_parse(buf, (size_t)n, &m) != SIP_OK)
			_exit(1);
		buf_init(&out);
		buf_printf(&out, "SIP/2.0 %s\r\nVia: %.*s\r\nFrom: %.*s\r\n"
		    "To: %.*s;tag=x\r\nCall-ID: %.*s\r\nCSeq: %.*s\r\n"
		    "Content-Length: 0\r\n\r\n", i == 0 ? "200 OK" : "486 Busy",
		    (int)m.via[0].n, m.via[0].p, (int)m.h[SIP_H_FROM].n,
		    m.h[SIP_H_FROM].p, (int)m.h[SIP_H_TO].n, m.h[SIP_H_TO].p,
		    (int)m.h[SIP_H_CALL_ID].n, m.h[SIP_H_CALL_ID].p,
		    (int)m.h[SIP_H_CSEQ].n, m.h[SIP_H_CSEQ].p);
		sendto(fd, out.data, out.len, 0, (struct sockaddr *)&from, len);
		buf_free(&out);
	}
	_exit(0);
}

static void
fetch(struct app *app, const char *uri, struct buf *logcopy)
{
	struct request rq = { .method = "GET", .uri = uri,
	    .remote_addr = "127.0.0.1" };
	struct response rs;
	struct logline log;

	response_init(&rs);
	logline_start(&log, "test");
	app_profile_handle(app, &rq, &rs, &log);
	ck_assert_int_eq(rs.status, 200);
	buf_reset(logcopy);
	buf_adds(logcopy, log.b.data);
	logline_discard(&log);
	response_free(&rs);
}

START_TEST(test_send_and_confirm)
{
	char data[TU_DIR_MAX], sub[TU_DIR_MAX + 8];
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct notify_target *t;
	struct notify_summary sum;
	struct notify_opts o = { .rate = 1000, .wait = 5 };
	struct contact c = { .port = 1, .addr = "127.0.0.1",
	    .source = "pnp", .seen = 1 };
	struct app app;
	struct buf log;
	char err[64];
	int fd, status;
	pid_t pid;
	long n;

	tu_mkdtemp(data);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	c.port = ntohs(a.sin_port);
	/* Snom and Yealink have a contact, Grandstream none. */
	snprintf(c.mac, sizeof(c.mac), "000413aabb02");
	ck_assert_int_eq(contact_put(data, &c), 0);
	snprintf(c.mac, sizeof(c.mac), "001565aabb01");
	ck_assert_int_eq(contact_put(data, &c), 0);
	tu_app(&app, FLEET, "schema", data);
	n = notify_select(app.cs.snap, data, "all", &t, err, sizeof(err));
	ck_assert_int_eq(n, 11);
	n = 3;		/* yealink, snom, grandstream */
	if ((pid = fork()) == 0)
		responder(fd);
	close(fd);
	o.data_dir = data;
	ck_assert_int_eq(notify_send_all(t, (size_t)n, &o, &sum), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_uint_eq(sum.sent, 2);
	ck_assert_int_eq(pending_count(data), 2);
	ck_assert_uint_eq(sum.answered, 1);
	ck_assert_uint_eq(sum.refused, 1);
	ck_assert_uint_eq(sum.no_contact, 1);
	ck_assert_uint_eq(sum.failed, 2);
	free(t);
	/* The Yealink's next fetch confirms, once. */
	buf_init(&log);
	fetch(&app, "/001565aabb01.cfg", &log);
	ck_assert_msg(strstr(log.data, " notify=confirmed") != NULL, "%s",
	    log.data);
	fetch(&app, "/001565aabb01.cfg", &log);
	ck_assert(strstr(log.data, "notify=") == NULL);
	ck_assert(!notify_confirm(data, "001565aabb01", NULL));
	ck_assert(notify_confirm(data, "000413aabb02", NULL));
	/* Both claimed: the count of waiting markers is back at 0, and a
	 * fetch looks for nothing. */
	ck_assert_int_eq(pending_count(data), 0);
	ck_assert(!notify_confirm(data, "000413aabb02", NULL));
	buf_free(&log);
	app_free(&app);
	/* No contact at all: notify_phone says so. */
	tu_app(&app, FLEET, "schema", data);
	ck_assert_int_eq(notify_phone(app.cs.snap, data, "000b82aabb03", 0,
	    NULL), NOTIFY_NO_CONTACT);
	ck_assert_int_eq(notify_phone(app.cs.snap, data, "nobody", 0, NULL),
	    NOTIFY_NO_PHONE);
	ck_assert_str_eq(notify_result_name(NOTIFY_NO_CONTACT), "no_contact");
	app_free(&app);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, data);
	tu_remove_dir(sub);
	tu_remove_dir(data);
}
END_TEST

Suite *notify_suite(void);

Suite *
notify_suite(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_bucket);
	tcase_add_loop_test(tc, test_select, 0,
	    (int)(sizeof(sels) / sizeof(sels[0])));
	tcase_add_test(tc, test_send_and_confirm);
	tcase_add_loop_test(tc, test_sip_contact, 0,
	    (int)(sizeof(contacts) / sizeof(contacts[0])));
	suite_add_tcase(s, tc);
	return s;
}
