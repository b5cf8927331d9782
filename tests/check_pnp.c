/* What deskprov-pnpd answers to one SUBSCRIBE (pnp.h): the URL per
 * vendor, the refusals in their order, the size bound, the per-source
 * rate limit, the MAC list files and the learned contacts. */
#include <check.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app_profile.h"
#include "pnp.h"
#include "testutil.h"

#define FLEET	"tests/data/vendors/fleet"
#define SCHEMA	"schema"
#define LOCAL	"192.0.2.10"

static const char svc_discovery[] =
    "discovery:\n  enabled: true\n  exclude_macs: [\"0c:38:3e:00:00:09\"]\n";

/* A SUBSCRIBE as the phones send it; `via` lets a test name an address
 * other than the datagram's source. */
static size_t
subscribe(char *out, size_t outsz, const char *mac, const char *vendor,
    const char *via)
{
	return (size_t)snprintf(out, outsz,
	    "SUBSCRIBE sip:MAC%%3a%s@224.0.1.75 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK7d1e;rport\r\n"
	    "From: <sip:MAC%%3a%s@224.0.1.75>;tag=a11fa7\r\n"
	    "To: <sip:MAC%%3a%s@224.0.1.75>\r\n"
	    "Call-ID: 8812@192.0.2.50\r\nCSeq: 1 SUBSCRIBE\r\n"
	    "Contact: <sip:%s:5060>\r\n"
	    "Event: ua-profile;profile-type=\"device\";vendor=\"%s\";"
	    "model=\"M1\";version=\"1.2.3\"\r\n"
	    "Expires: 0\r\nAccept: application/url\r\n"
	    "Content-Length: 0\r\n\r\n", mac, via, mac, mac, via, vendor);
}

static struct snapshot *
load(const char *service)
{
	char dir[TU_DIR_MAX];
	struct diag err;
	struct snapshot *s;

	tu_copy_dir(FLEET, dir);
	if (service != NULL)
		tu_write(dir, "serviceconfig.yml", service);
	s = snapshot_load(dir, SCHEMA, &err);
	tu_remove_dir(dir);
	ck_assert_msg(s != NULL, "%s", err.msg);
	return s;
}

static void
datagram(struct pnp_datagram *d, const char *data, size_t n, double now)
{
	struct sockaddr_in *sa = (struct sockaddr_in *)(void *)&d->src;

	memset(d, 0, sizeof(*d));
	d->data = data;
	d->len = n;
	sa->sin_family = AF_INET;
	sa->sin_port = htons(5062);
	inet_pton(AF_INET, "192.0.2.50", &sa->sin_addr);
	snprintf(d->local, sizeof(d->local), LOCAL ":5060");
	snprintf(d->local_host, sizeof(d->local_host), LOCAL);
	d->now = now;
	d->wall = 1796000000;
}

static const struct {
	int		 line;
	const char	*service;	/* serviceconfig.yml, NULL: none */
	const char	*mac, *vendor;
	const char	*outcome;
	const char	*url;		/* NULL: nothing sent */
} cases[] = {
	/* Configured phones: the URL each vendor's PnP fetches. */
	{ __LINE__, NULL, "001565aabb01", "Yealink", "served",
	    "http://" LOCAL "/" },
	{ __LINE__, NULL, "000413AABB02", "snom", "served",
	    "http://" LOCAL "/?mac=000413aabb02" },
	{ __LINE__, NULL, "000b82aabb03", "Grandstream", "served",
	    "http://" LOCAL "/cfg000b82aabb03.xml" },
	/* The configured pack decides, not what the phone claims. */
	{ __LINE__, NULL, "000413aabb02", "yealink", "served",
	    "http://" LOCAL "/?mac=000413aabb02" },
	/* Unknown MACs follow discovery mode. */
	{ __LINE__, NULL, "0c383e000001", "Fanvil", "unknown_phone", NULL },
	{ __LINE__, svc_discovery, "0c383e000001", "Fanvil", "discovery",
	    "http://" LOCAL "/0c383e000001.cfg" },
	{ __LINE__, svc_discovery, "000b82000001", "Grandstream", "discovery",
	    "http://" LOCAL "/cfg000b82000001.xml" },
	{ __LINE__, svc_discovery, "000413000001", "Panasonic", "discovery",
	    "http://" LOCAL "/?mac=000413000001" },
	{ __LINE__, svc_discovery, "0c383e000009", "Fanvil", "unknown_phone",
	    NULL },
};

START_TEST(test_answers)
{
	struct snapshot *s = load(cases[_i].service);
	struct pnp p;
	struct pnp_settings set = { .rate_per_source = 60 };
	struct pnp_datagram d;
	struct pnp_result r;
	struct sip_msg ok, notify;
	char msg[2048], err[256];
	size_t n;

	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), 0);
	n = subscribe(msg, sizeof(msg), cases[_i].mac, cases[_i].vendor,
	    "198.51.100.7");
	datagram(&d, msg, n, 100.0);
	pnp_result_init(&r);
	pnp_handle(&p, s, &d, &r, NULL);
	ck_assert_msg(strcmp(r.outcome, cases[_i].outcome) == 0,
	    "line %d: %s", cases[_i].line, r.outcome);
	ck_assert_int_eq(r.send, cases[_i].url != NULL);
	if (cases[_i].url == NULL) {
		ck_assert_int_eq((int)(r.ok.len + r.notify.len), 0);
		goto out;
	}
	ck_assert_msg(strcmp(r.url.data, cases[_i].url) == 0, "line %d: %s",
	    cases[_i].line, r.url.data);
	ck_assert_int_eq(sip_parse(r.ok.data, r.ok.len, &ok), SIP_OK);
	ck_assert_int_eq(ok.status, 200);
	ck_assert_int_eq(sip_parse(r.notify.data, r.notify.len, &notify),
	    SIP_OK);
	ck_assert(notify.body.n == strlen(cases[_i].url) &&
	    memcmp(notify.body.p, cases[_i].url, notify.body.n) == 0);
	/* The NOTIFY goes to the datagram's source, not to the address the
	 * Via and Contact name (no reflection to a third party). */
	ck_assert(strncmp(notify.uri.p, "sip:192.0.2.50:5062",
	    notify.uri.n) == 0);
	ck_assert(r.ok.len + r.notify.len <= PNP_AMPLIFICATION * d.len);
out:
	pnp_result_free(&r);
	pnp_free(&p);
	snapshot_free(s);
}
END_TEST

/* Allow and deny files in MikoServerPnP's format, against a known and an
 * unknown phone. */
START_TEST(test_lists)
{
	char dir[TU_DIR_MAX], allow[128], deny[128], err[256], msg[2048];
	struct snapshot *s = load(NULL);
	struct pnp_settings set = { .rate_per_source = 60 };
	struct pnp p;
	struct pnp_datagram d;
	struct pnp_result r;
	static const struct {
		const char	*mac, *outcome;
	} want[] = {
		{ "001565aabb01", "served" },		/* known, allowed */
		{ "0c383e000001", "discovery" },	/* unknown, allowed */
		{ "000413aabb02", "denied" },		/* known, denied */
		{ "000b82aabb03", "not_allowed" },	/* known, not listed */
	};

	tu_mkdtemp(dir);
	tu_write(dir, "mac_white.conf", "# phones\r\n00:15:65:AA:BB:01\r\n\n"
	    "  0c383e000001  \n000413aabb02\n");
	tu_write(dir, "mac_black.conf", "000413AABB02\n");
	snprintf(allow, sizeof(allow), "%s/mac_white.conf", dir);
	snprintf(deny, sizeof(deny), "%s/mac_black.conf", dir);
	set.allow_file = allow;
	set.deny_file = deny;
	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), 0);
	ck_assert_int_eq((int)p.allow.n, 3);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t n = subscribe(msg, sizeof(msg), want[i].mac, "x",
		    "192.0.2.50");

		datagram(&d, msg, n, 100.0 + (double)i);
		pnp_result_init(&r);
		pnp_handle(&p, s, &d, &r, NULL);
		ck_assert_msg(strcmp(r.outcome, want[i].outcome) == 0,
		    "%s: %s", want[i].mac, r.outcome);
		pnp_result_free(&r);
	}
	pnp_free(&p);
	/* A line that is no MAC: refused with its line number. */
	tu_write(dir, "mac_black.conf", "000413AABB02\nnot-a-mac\n");
	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "mac_black.conf:2:") != NULL, "%s", err);
	pnp_free(&p);
	set.deny_file = "/nonexistent/mac_black.conf";
	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), -1);
	pnp_free(&p);
	tu_remove_dir(dir);
	snapshot_free(s);
}
END_TEST

/* Six a minute from one source: the seventh at once is refused, one
 * more is allowed ten seconds later; another source is not affected. */
START_TEST(test_rate_limit)
{
	struct pnp_settings set = { .rate_per_source = 6 };
	struct sockaddr_storage a = { .ss_family = AF_INET }, b = a;
	char err[64];
	struct pnp p;

	((struct sockaddr_in *)(void *)&a)->sin_addr.s_addr = htonl(1);
	((struct sockaddr_in *)(void *)&b)->sin_addr.s_addr = htonl(2);
	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), 0);
	for (int i = 0; i < 6; i++)
		ck_assert(pnp_rate_take(p.rate, &a, 50.0));
	ck_assert(!pnp_rate_take(p.rate, &a, 50.0));
	ck_assert(pnp_rate_take(p.rate, &b, 50.0));
	ck_assert(!pnp_rate_take(p.rate, &a, 59.0));
	ck_assert(pnp_rate_take(p.rate, &a, 60.5));
	ck_assert(!pnp_rate_take(p.rate, &a, 60.5));
	pnp_free(&p);
}
END_TEST

/* Malformed datagrams, the smallest valid SUBSCRIBE (whose answers would
 * be more than PNP_AMPLIFICATION times its size), and the rate limit:
 * each a logged refusal with nothing to send. */
START_TEST(test_refusals)
{
	static const char tiny[] = "SUBSCRIBE sip:MAC001565aabb01@a SIP/2.0\r\n"
	    "v:x\r\nf:<sip:MAC001565aabb01@a>\r\nt:<sip:MAC001565aabb01@a>\r\n"
	    "i:1\r\nCSeq:1 SUBSCRIBE\r\no:ua-profile\r\n\r\n";
	static const char folded[] = "SUBSCRIBE sip:a@b SIP/2.0\r\nVia: x\r\n"
	    " y\r\n\r\n";
	struct snapshot *s = load(NULL);
	struct pnp_settings set = { .rate_per_source = 2 };
	struct pnp p;
	struct pnp_datagram d;
	struct pnp_result r;
	struct logline log;
	char err[64], msg[2048];
	size_t n;

	ck_assert_int_eq(pnp_init(&p, &set, NULL, NULL, err, sizeof(err)), 0);
	datagram(&d, folded, sizeof(folded) - 1, 1.0);
	pnp_result_init(&r);
	logline_start(&log, "test");
	pnp_handle(&p, s, &d, &r, &log);
	ck_assert_str_eq(r.outcome, "malformed");
	ck_assert_str_eq(r.reason, "folded");
	ck_assert(strstr(log.b.data, " outcome=malformed status=400 "
	    "reason=folded bytes=0") != NULL);
	logline_discard(&log);
	pnp_result_free(&r);

	datagram(&d, tiny, sizeof(tiny) - 1, 1.0);
	pnp_result_init(&r);
	pnp_handle(&p, s, &d, &r, NULL);
	ck_assert_str_eq(r.outcome, "too_large");
	ck_assert_int_eq(r.send, 0);
	pnp_result_free(&r);

	/* Two a minute: the tiny one took the first, this the second. */
	n = subscribe(msg, sizeof(msg), "001565aabb01", "yealink", "x");
	datagram(&d, msg, n, 1.0);
	pnp_result_init(&r);
	pnp_handle(&p, s, &d, &r, NULL);
	ck_assert_str_eq(r.outcome, "served");
	pnp_result_free(&r);
	pnp_result_init(&r);
	pnp_handle(&p, s, &d, &r, NULL);
	ck_assert_str_eq(r.outcome, "rate_limited");
	ck_assert_int_eq(r.send, 0);
	pnp_result_free(&r);
	pnp_free(&p);
	snapshot_free(s);
}
END_TEST

/* A served phone's contact is learned: source address and port, vendor,
 * model; a repeat within the hour writes nothing. */
/* With links.base_url, a phone is told its personal link (the key of its
 * phone entry) or, with pnp.one_time_links, a fresh one-time link; a
 * phone without a key gets the plain URL under links.base_url. */
#define PNP_KEY	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAk"
#define KEY_LINE	"    link_key: " PNP_KEY "\n"

static const char *
handled_url(struct snapshot *s, int once, const char *data,
    const char *mac, const char *vendor, struct pnp_result *r)
{
	struct pnp_settings set = { .rate_per_source = 60,
	    .one_time_links = once };
	struct pnp_datagram d;
	struct pnp p;
	char msg[2048], err[64];
	size_t n;

	ck_assert_int_eq(pnp_init(&p, &set, data, NULL, err, sizeof(err)), 0);
	n = subscribe(msg, sizeof(msg), mac, vendor, "x");
	datagram(&d, msg, n, 1.0);
	pnp_result_init(r);
	pnp_handle(&p, s, &d, r, NULL);
	pnp_free(&p);
	ck_assert_str_eq(r->outcome, "served");
	return r->url.data;
}

START_TEST(test_link_urls)
{
	char dir[TU_DIR_MAX], data[TU_DIR_MAX], path[TU_DIR_MAX + 32];
	struct pnp_result r;
	struct snapshot *s;
	struct diag err;
	struct stat st;
	char *yml, *at;
	FILE *fp;
	long len;

	tu_copy_dir(FLEET, dir);
	tu_mkdtemp(data);
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	ck_assert_ptr_nonnull(fp = fopen(path, "rb"));
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	rewind(fp);
	yml = calloc(1, (size_t)len + 128);
	ck_assert_uint_eq(fread(yml, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	at = strstr(yml, "    mac: \"00:15:65:aa:bb:01\"\n");
	ck_assert_ptr_nonnull(at);
	at += strlen("    mac: \"00:15:65:aa:bb:01\"\n");
	memmove(at + sizeof(KEY_LINE) - 1, at, strlen(at) + 1);
	memcpy(at, KEY_LINE, sizeof(KEY_LINE) - 1);
	tu_write(dir, "phones.yml", yml);
	free(yml);
	tu_write(dir, "serviceconfig.yml", "ip_authorization: off\n"
	    "links: {base_url: \"https://prov.example/\"}\n");
	s = snapshot_load(dir, SCHEMA, &err);
	ck_assert_msg(s != NULL, "%s", err.msg);
	ck_assert_str_eq(handled_url(s, 0, NULL, "001565aabb01", "yealink",
	    &r), "https://prov.example/p/" PNP_KEY "/");
	pnp_result_free(&r);
	ck_assert_str_eq(handled_url(s, 0, NULL, "000413aabb02", "snom", &r),
	    "https://prov.example/?mac=000413aabb02");
	pnp_result_free(&r);
	/* One-time: a link per answer, kept in DATA/links/. */
	ck_assert(strncmp(handled_url(s, 1, data, "000b82aabb03",
	    "Grandstream", &r), "https://prov.example/o/", 23) == 0);
	ck_assert_msg(strstr(r.url.data, "/cfg000b82aabb03.xml") != NULL, "%s",
	    r.url.data);
	pnp_result_free(&r);
	snprintf(path, sizeof(path), "%s/links", data);
	ck_assert_int_eq(stat(path, &st), 0);
	snapshot_free(s);
	tu_remove_dir(dir);
	tu_remove_dir(path);	/* DATA/links and DATA/pnp: files only */
	snprintf(path, sizeof(path), "%s/pnp", data);
	tu_remove_dir(path);
	tu_remove_dir(data);
}
END_TEST

START_TEST(test_learn)
{
	struct snapshot *s = load(NULL);
	struct pnp_settings set = { .rate_per_source = 60 };
	struct pnp p;
	struct pnp_datagram d;
	struct pnp_result r;
	struct contact c;
	char dir[TU_DIR_MAX], sub[TU_DIR_MAX + 8], err[64], msg[2048];
	size_t n;

	tu_mkdtemp(dir);
	ck_assert_int_eq(pnp_init(&p, &set, dir, NULL, err, sizeof(err)), 0);
	n = subscribe(msg, sizeof(msg), "000413aabb02", "snom", "x");
	datagram(&d, msg, n, 1.0);
	pnp_result_init(&r);
	pnp_handle(&p, s, &d, &r, NULL);
	ck_assert_str_eq(r.outcome, "served");
	pnp_result_free(&r);
	ck_assert_int_eq(contact_get(dir, "000413aabb02", &c), 0);
	ck_assert_str_eq(c.addr, "192.0.2.50");
	ck_assert_uint_eq(c.port, 5062);
	ck_assert_str_eq(c.vendor, "snom");
	ck_assert_str_eq(c.model, "M1");
	ck_assert_str_eq(c.source, "pnp");
	c.seen += 60;
	ck_assert_int_eq(contact_put(dir, &c), 1);
	c.seen += 7200;
	ck_assert_int_eq(contact_put(dir, &c), 0);
	/* Values that do not validate are never written. */
	snprintf(c.addr, sizeof(c.addr), "192.0.2.500");
	ck_assert_int_eq(contact_put(dir, &c), -EINVAL);
	ck_assert_int_eq(contact_get(dir, "0c383e000001", &c), -ENOENT);
	/* A full directory takes no new phone, but still updates one. */
	{
		size_t stored = CONTACT_MAX;

		ck_assert_int_eq(contact_get(dir, "000413aabb02", &c), 0);
		c.port = 5070;
		ck_assert_int_eq(contact_put_counted(dir, &c, &stored), 0);
		snprintf(c.mac, sizeof(c.mac), "0c383e000001");
		ck_assert_int_eq(contact_put_counted(dir, &c, &stored),
		    -ENOSPC);
		stored = SIZE_MAX;
		ck_assert_int_eq(contact_put_counted(dir, &c, &stored), 0);
		ck_assert_uint_eq(stored, 2);
	}
	pnp_free(&p);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, dir);
	tu_remove_dir(sub);
	tu_remove_dir(dir);
	snapshot_free(s);
}
END_TEST

static const struct {
	int		 line;
	const char	*text;
	int		 rc;
} contact_texts[] = {
	{ __LINE__, "addr=192.0.2.1\nport=5060\nvendor=snom\nmodel=D\n"
	    "source=pnp\nseen=1\n", 0 },
	{ __LINE__, "addr=2001:db8::1\nport=5060\nsource=dhcp\nfuture=x\n", 0 },
	{ __LINE__, "addr=192.0.2.1\nport=0\nsource=pnp\n", -EINVAL },
	{ __LINE__, "addr=192.0.2.1\nport=70000\nsource=pnp\n", -EINVAL },
	{ __LINE__, "addr=192.0.2.1\nport=5060\n", -EINVAL },
	{ __LINE__, "addr=x\nport=5060\nsource=pnp\n", -EINVAL },
	{ __LINE__, "addr=192.0.2.1\nport=5060\nsource=pnp\nvendor=a b\n",
	    -EINVAL },
	{ __LINE__, "garbage", -EINVAL },
	{ __LINE__, "", -EINVAL },
};

START_TEST(test_contact_parse)
{
	struct contact c = { .mac = "000413aabb02" };

	ck_assert_msg(contact_parse(contact_texts[_i].text,
	    strlen(contact_texts[_i].text), &c) == contact_texts[_i].rc,
	    "line %d", contact_texts[_i].line);
}
END_TEST

/* The URLs the NOTIFYs name, as the phones then fetch them from
 * profile.fcgi: Snom's base URL with ?mac=, the names a Yealink appends
 * to its directory URL, Grandstream's per-file URL. */
static const struct {
	int		 line;
	const char	*uri;
	int		 status;
	const char	*outcome, *log;
} fetches[] = {
	{ __LINE__, "/?mac=000413aabb02", 200, "served",
	    " pnp_file=000413AABB02.xml pack=snom " },
	{ __LINE__, "/?mac=00:04:13:AA:BB:02", 200, "served",
	    " pnp_file=000413AABB02.xml " },
	{ __LINE__, "/?mac=001565aabb01", 200, "served",
	    " pnp_file=001565aabb01.cfg " },
	{ __LINE__, "/001565aabb01.boot", 200, "served", " pack=yealink " },
	{ __LINE__, "/y000000000000.boot", 200, "served", " pack=yealink " },
	{ __LINE__, "/001565aabb01.cfg", 200, "served", " pack=yealink " },
	{ __LINE__, "/cfg000b82aabb03.xml", 200, "served",
	    " pack=grandstream " },
	{ __LINE__, "/?mac=0c383e000001", 404, "unknown_phone", NULL },
	{ __LINE__, "/?mac=zz", 404, "no_route", NULL },
	{ __LINE__, "/?mac=000413aabb02&x=1", 404, "no_route", NULL },
	{ __LINE__, "/?mac=000413aabb02&mac=000413aabb02", 404, "no_route",
	    NULL },
};

START_TEST(test_fetch_forms)
{
	struct request rq = { .method = "GET", .uri = fetches[_i].uri,
	    .remote_addr = "127.0.0.1" };
	struct response rs;
	struct logline log;
	struct app app;

	tu_app(&app, FLEET, SCHEMA, "/nonexistent");
	ck_assert_ptr_nonnull(app.cs.snap);
	response_init(&rs);
	logline_start(&log, "test");
	app_profile_handle(&app, &rq, &rs, &log);
	ck_assert_msg(rs.status == fetches[_i].status &&
	    strcmp(rs.outcome, fetches[_i].outcome) == 0, "line %d: %d %s",
	    fetches[_i].line, rs.status, rs.outcome);
	if (fetches[_i].log != NULL)
		ck_assert_msg(strstr(log.b.data, fetches[_i].log) != NULL,
		    "line %d: %s", fetches[_i].line, log.b.data);
	logline_discard(&log);
	response_free(&rs);
	app_free(&app);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *pnp_suite(void);

Suite *
pnp_suite(void)
{
	Suite *s = suite_create("pnp");
	TCase *tc = tcase_create("pnp");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_answers, 0, N(cases));
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_rate_limit);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_learn);
	tcase_add_test(tc, test_link_urls);
	tcase_add_loop_test(tc, test_contact_parse, 0, N(contact_texts));
	tcase_add_loop_test(tc, test_fetch_forms, 0, N(fetches));
	suite_add_tcase(s, tc);
	return s;
}
