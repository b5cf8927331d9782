/* The SIP parser and builders: the PnP SUBSCRIBEs of each vendor's
 * dialect (protocols: RFC 3261, RFC 6080; MAC spellings from the phones'
 * captures as SARK and MikoServerPnP read them), every kind of malformed
 * datagram, and the messages deskprov sends, parsed back. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sip.h"

#define CRLF	"\r\n"

static const char snom_sub[] =
    "SUBSCRIBE sip:MAC%3a000413A11FA7@224.0.1.75 SIP/2.0" CRLF
    "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK7d1e;rport" CRLF
    "From: <sip:MAC%3a000413A11FA7@224.0.1.75>;tag=a11fa7" CRLF
    "To: <sip:MAC%3a000413A11FA7@224.0.1.75>" CRLF
    "Call-ID: 8812@192.0.2.50" CRLF
    "CSeq: 1 SUBSCRIBE" CRLF
    "Contact: <sip:192.0.2.50:5060>" CRLF
    "Event: ua-profile;profile-type=\"device\";vendor=\"snom\";"
    "model=\"snomD345\";version=\"10.1.54.13\"" CRLF
    "Expires: 0" CRLF
    "Accept: application/url" CRLF
    "Content-Length: 0" CRLF CRLF;

/* Yealink: MAC right after "MAC", compact header names, unquoted. */
static const char yealink_sub[] =
    "SUBSCRIBE sip:MAC001565aabbcc@224.0.1.75 SIP/2.0" CRLF
    "v: SIP/2.0/UDP 192.0.2.51:5060;branch=z9hG4bK1" CRLF
    "f: <sip:MAC001565aabbcc@224.0.1.75>;tag=1" CRLF
    "t: <sip:MAC001565aabbcc@224.0.1.75>" CRLF
    "i: 0_1234@192.0.2.51" CRLF
    "CSeq: 1 SUBSCRIBE" CRLF
    "m: <sip:192.0.2.51:5060>" CRLF
    "o: ua-profile;profile-type=device;vendor=Yealink;model=T46S;"
    "version=66.86.0.15" CRLF
    "Accept: application/url" CRLF
    "l: 0" CRLF CRLF;

static const char gs_sub[] =
    "SUBSCRIBE sip:MAC%3A000B82462D97@224.0.1.75 SIP/2.0" CRLF
    "Via: SIP/2.0/UDP 192.0.2.52:5060;branch=z9hG4bK2" CRLF
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK3" CRLF
    "From: <sip:MAC%3A000B82462D97@224.0.1.75>;tag=9" CRLF
    "To: <sip:MAC%3A000B82462D97@224.0.1.75>" CRLF
    "Call-ID: 77@192.0.2.52" CRLF
    "CSeq: 20 SUBSCRIBE" CRLF
    "Event: ua-profile;profile-type=\"device\";vender=\"Panasonic\";"
    "model=\"KX-HDV130\"" CRLF
    "User-Agent: Grandstream GRP2612W 1.0.5.67" CRLF
    "Content-Length: 0" CRLF CRLF;

static const char dect_sub[] =
    "SUBSCRIBE sip:MAC805ec0aabbcc@224.0.1.75 SIP/2.0" CRLF
    "Via: SIP/2.0/UDP 192.0.2.53:5060;branch=z9hG4bK4" CRLF
    "From: <sip:MAC805ec0aabbcc@224.0.1.75>;tag=4" CRLF
    "To: <sip:MAC805ec0aabbcc@224.0.1.75>" CRLF
    "Call-ID: 3627A0012345@192.0.2.53" CRLF
    "CSeq: 1 SUBSCRIBE" CRLF
    "Event: ua-profile;vendor=Yealink;model=W60B;version=77.85.0.20" CRLF
    "Content-Length: 0" CRLF CRLF;

static const struct {
	int		 line;
	const char	*msg;
	const char	*mac, *vendor, *model, *version, *serial;
	int		 accepts_url;
} pnp_ok[] = {
	{ __LINE__, snom_sub, "000413a11fa7", "snom", "snomD345",
	    "10.1.54.13", "", 1 },
	{ __LINE__, yealink_sub, "001565aabbcc", "yealink", "T46S",
	    "66.86.0.15", "", 1 },
	{ __LINE__, gs_sub, "000b82462d97", "panasonic", "KX-HDV130", "",
	    "", 0 },
	{ __LINE__, dect_sub, "805ec0aabbcc", "yealink", "W60B",
	    "77.85.0.20", "3627A0012345", 0 },
};

START_TEST(test_pnp_dialects)
{
	struct sip_msg m;
	struct sip_pnp p;
	const char *s = pnp_ok[_i].msg;

	ck_assert_int_eq(sip_parse(s, strlen(s), &m), SIP_OK);
	ck_assert_int_eq(sip_pnp_parse(&m, &p), SIP_OK);
	ck_assert_msg(strcmp(p.mac, pnp_ok[_i].mac) == 0, "line %d: mac %s",
	    pnp_ok[_i].line, p.mac);
	ck_assert_str_eq(p.vendor, pnp_ok[_i].vendor);
	ck_assert_str_eq(p.model, pnp_ok[_i].model);
	ck_assert_str_eq(p.version, pnp_ok[_i].version);
	ck_assert_str_eq(p.serial, pnp_ok[_i].serial);
	ck_assert_int_eq(p.accepts_url, pnp_ok[_i].accepts_url);
}
END_TEST

START_TEST(test_parse_fields)
{
	struct sip_msg m;

	ck_assert_int_eq(sip_parse(gs_sub, strlen(gs_sub), &m), SIP_OK);
	ck_assert(m.is_request);
	ck_assert_int_eq((int)m.method.n, 9);
	ck_assert_int_eq((int)m.n_via, 2);
	ck_assert(strncmp(m.via[1].p, "SIP/2.0/UDP 192.0.2.1:5060", 26) == 0);
	ck_assert(strncmp(m.h[SIP_H_CSEQ].p, "20 SUBSCRIBE",
	    m.h[SIP_H_CSEQ].n) == 0);
	ck_assert(strncmp(m.h[SIP_H_USER_AGENT].p, "Grandstream GRP2612W",
	    20) == 0);
	ck_assert_int_eq((int)m.body.n, 0);
}
END_TEST

/* Over UDP the body is Content-Length bytes; more is cut, fewer drop the
 * message (RFC 3261 section 18.3); no header: the rest. */
START_TEST(test_body_length)
{
	static const char head[] = "NOTIFY sip:a@b SIP/2.0" CRLF
	    "Via: SIP/2.0/UDP h" CRLF "From: <sip:a@b>" CRLF
	    "To: <sip:a@b>" CRLF "Call-ID: x" CRLF "CSeq: 1 NOTIFY" CRLF;
	char msg[512];
	struct sip_msg m;

	snprintf(msg, sizeof(msg), "%sContent-Length: 4" CRLF CRLF
	    "abcdefgh", head);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_OK);
	ck_assert_int_eq((int)m.body.n, 4);
	snprintf(msg, sizeof(msg), "%sContent-Length: 9" CRLF CRLF
	    "abcdefgh", head);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_E_LENGTH);
	snprintf(msg, sizeof(msg), "%s" CRLF "abcdefgh", head);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_OK);
	ck_assert_int_eq((int)m.body.n, 8);
}
END_TEST

static const char base_head[] =
    "SUBSCRIBE sip:MAC%3a000413A11FA7@224.0.1.75 SIP/2.0" CRLF
    "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK7d1e" CRLF
    "From: <sip:MAC%3a000413A11FA7@224.0.1.75>;tag=a" CRLF
    "To: <sip:MAC%3a000413A11FA7@224.0.1.75>" CRLF;

/* Datagrams the daemon must ignore, with the word its log line gives. */
static const struct {
	int		 line;
	const char	*tail;		/* after base_head */
	enum sip_status	 want;
} bad[] = {
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: ua-profile" CRLF "Content-Length: 0" CRLF,
	    SIP_E_TRUNCATED },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: ua-profile;" CRLF " vendor=snom" CRLF CRLF, SIP_E_FOLDED },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: ua-profile" CRLF "\tmodel=x" CRLF CRLF, SIP_E_FOLDED },
	{ __LINE__, "CSeq: 1 SUBSCRIBE" CRLF "Event: ua-profile" CRLF CRLF,
	    SIP_E_MISSING },
	{ __LINE__, "Call-ID: 1" CRLF "Event: ua-profile" CRLF CRLF,
	    SIP_E_MISSING },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: presence" CRLF CRLF, SIP_E_EVENT },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: ua-profiles" CRLF CRLF, SIP_E_EVENT },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF CRLF,
	    SIP_E_EVENT },
	{ __LINE__, "Call-ID: 1\x01" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Event: ua-profile" CRLF CRLF, SIP_E_BINARY },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Content-Length: x" CRLF CRLF, SIP_E_LENGTH },
	{ __LINE__, "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF
	    "Content-Length: 123456" CRLF CRLF, SIP_E_LENGTH },
	{ __LINE__, "Call-ID: 1" CRLF "no colon here" CRLF CRLF,
	    SIP_E_HEADER },
	{ __LINE__, "Call-ID: 1" CRLF ": empty name" CRLF CRLF,
	    SIP_E_HEADER },
	{ __LINE__, "Call-ID: 1" CRLF "Bad Name: x" CRLF CRLF, SIP_E_HEADER },
};

START_TEST(test_malformed)
{
	char msg[1024];
	struct sip_msg m;
	struct sip_pnp p;
	enum sip_status st;

	snprintf(msg, sizeof(msg), "%s%s", base_head, bad[_i].tail);
	st = sip_parse(msg, strlen(msg), &m);
	if (st == SIP_OK)
		st = sip_pnp_parse(&m, &p);
	ck_assert_msg(st == bad[_i].want, "line %d: got %s", bad[_i].line,
	    sip_status_word(st));
}
END_TEST

/* Start lines, sizes, binary and counts, each alone. */
START_TEST(test_malformed_shapes)
{
	static char big[SIP_MSG_MAX + 2];
	char msg[4096];
	struct sip_msg m;
	struct sip_pnp p;
	const char nul[] = "SUBSCRIBE sip:a@b SIP/2.0\r\nVia: x\0y\r\n\r\n";
	size_t n = 0;

	ck_assert_int_eq(sip_parse("", 0, &m), SIP_E_SIZE);
	memset(big, 'A', sizeof(big));
	ck_assert_int_eq(sip_parse(big, sizeof(big), &m), SIP_E_SIZE);
	ck_assert_int_eq(sip_parse(big, 100, &m), SIP_E_TRUNCATED);
	ck_assert_int_eq(sip_parse(nul, sizeof(nul) - 1, &m), SIP_E_BINARY);
	ck_assert_int_eq(sip_parse("\x16\x03\x01\x02\n", 5, &m), SIP_E_BINARY);
	ck_assert_int_eq(sip_parse("GET / HTTP/1.1\r\n\r\n", 18, &m),
	    SIP_E_START);
	ck_assert_int_eq(sip_parse("subscribe sip:a SIP/2.0\r\n\r\n", 27, &m),
	    SIP_E_START);
	ck_assert_int_eq(sip_parse("SIP/2.0 9999 OK\r\n\r\n", 19, &m),
	    SIP_E_START);
	/* Nine Via lines: one more than a reply would copy. */
	n = (size_t)snprintf(msg, sizeof(msg), "%s", base_head);
	for (int i = 0; i < SIP_VIA_MAX; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n,
		    "Via: SIP/2.0/UDP h%d" CRLF, i);
	snprintf(msg + n, sizeof(msg) - n, CRLF);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_E_TOO_MANY);
	/* Header lines beyond SIP_LINES_MAX. */
	n = (size_t)snprintf(msg, sizeof(msg), "%s", base_head);
	for (int i = 0; i < SIP_LINES_MAX; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "X-%d: y" CRLF,
		    i);
	snprintf(msg + n, sizeof(msg) - n, CRLF);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_E_TOO_MANY);
	/* A response is no SUBSCRIBE; a MAC-less user part no PnP. */
	snprintf(msg, sizeof(msg), "SIP/2.0 200 OK" CRLF "Via: x" CRLF
	    "From: <sip:a@b>" CRLF "To: <sip:a@b>" CRLF "Call-ID: 1" CRLF
	    "CSeq: 1 NOTIFY" CRLF CRLF);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_OK);
	ck_assert_int_eq(m.status, 200);
	ck_assert_int_eq(sip_pnp_parse(&m, &p), SIP_E_START);
	snprintf(msg, sizeof(msg), "SUBSCRIBE sip:bob@224.0.1.75 SIP/2.0" CRLF
	    "Via: x" CRLF "From: <sip:bob@b>" CRLF "To: <sip:bob@b>" CRLF
	    "Call-ID: 1" CRLF "CSeq: 1 SUBSCRIBE" CRLF "Event: ua-profile"
	    CRLF CRLF);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_OK);
	ck_assert_int_eq(sip_pnp_parse(&m, &p), SIP_E_MAC);
}
END_TEST

/* Parameter values: quoted or not, a quoted ';', too long, bad bytes. */
START_TEST(test_params)
{
	const char *v = "ua-profile;a=1; b = \"x;y\" ;vendor=\"Sn om\";c";
	struct sip_str s = { v, strlen(v) };
	char out[8];
	struct sip_msg m;
	struct sip_pnp p;
	char msg[1024];

	ck_assert(sip_param(s, "a", out, sizeof(out)));
	ck_assert_str_eq(out, "1");
	ck_assert(sip_param(s, "B", out, sizeof(out)));
	ck_assert_str_eq(out, "x;y");
	ck_assert(sip_param(s, "c", out, sizeof(out)));
	ck_assert_str_eq(out, "");
	ck_assert(!sip_param(s, "d", out, sizeof(out)));
	ck_assert(!sip_param(s, "ua-profile", out, sizeof(out)));
	ck_assert(!sip_param(s, "vendor", out, 4));
	/* A vendor with a space is no vendor: unknown, not refused. */
	snprintf(msg, sizeof(msg), "%sCall-ID: 1" CRLF "CSeq: 1 SUBSCRIBE"
	    CRLF "Event: %s" CRLF CRLF, base_head, v);
	ck_assert_int_eq(sip_parse(msg, strlen(msg), &m), SIP_OK);
	ck_assert_int_eq(sip_pnp_parse(&m, &p), SIP_OK);
	ck_assert_str_eq(p.vendor, "");
}
END_TEST

/* The 200 OK copies every Via in order and tags the To; parsed back it
 * is a response to the same transaction. */
START_TEST(test_build_ok)
{
	struct sip_msg req, resp;
	struct buf b;

	buf_init(&b);
	ck_assert_int_eq(sip_parse(gs_sub, strlen(gs_sub), &req), SIP_OK);
	sip_build_ok(&req, "srv1", "192.0.2.10:5060", &b);
	ck_assert_int_eq(sip_parse(b.data, b.len, &resp), SIP_OK);
	ck_assert(!resp.is_request);
	ck_assert_int_eq(resp.status, 200);
	ck_assert_int_eq((int)resp.n_via, 2);
	ck_assert(strstr(b.data, "To: <sip:MAC%3A000B82462D97@224.0.1.75>"
	    ";tag=srv1\r\n") != NULL);
	ck_assert(strstr(b.data, "CSeq: 20 SUBSCRIBE\r\n") != NULL);
	ck_assert(strstr(b.data, "Contact: <sip:192.0.2.10:5060>\r\n") != NULL);
	ck_assert(strstr(b.data, "Via: SIP/2.0/UDP 192.0.2.52:5060;"
	    "branch=z9hG4bK2\r\nVia: SIP/2.0/UDP 192.0.2.1") != NULL);
	buf_free(&b);
}
END_TEST

START_TEST(test_build_pnp_notify)
{
	static const char url[] = "https://prov.example.net/000413a11fa7.xml";
	struct sip_msg req, n;
	struct buf b;

	buf_init(&b);
	ck_assert_int_eq(sip_parse(snom_sub, strlen(snom_sub), &req), SIP_OK);
	ck_assert_int_eq(sip_build_pnp_notify(&req, "srv1", "192.0.2.10:5060",
	    "192.0.2.50:5060", "b1", 2, url, &b), 0);
	ck_assert_int_eq(sip_parse(b.data, b.len, &n), SIP_OK);
	ck_assert(n.is_request);
	ck_assert(strncmp(n.uri.p, "sip:192.0.2.50:5060", n.uri.n) == 0);
	ck_assert_int_eq((int)n.body.n, (int)strlen(url));
	ck_assert(memcmp(n.body.p, url, n.body.n) == 0);
	/* From is the SUBSCRIBE's To with our tag, To its From. */
	ck_assert(strncmp(n.h[SIP_H_FROM].p, "<sip:MAC%3a000413A11FA7@224.0."
	    "1.75>;tag=srv1", n.h[SIP_H_FROM].n) == 0);
	ck_assert(strncmp(n.h[SIP_H_TO].p, req.h[SIP_H_FROM].p,
	    n.h[SIP_H_TO].n) == 0);
	ck_assert(strncmp(n.h[SIP_H_CONTENT_TYPE].p, "application/url",
	    n.h[SIP_H_CONTENT_TYPE].n) == 0);
	ck_assert(strstr(b.data, "Subscription-State: terminated;"
	    "reason=timeout\r\n") != NULL);
	/* A URL that could end the header block is refused. */
	buf_reset(&b);
	ck_assert_int_eq(sip_build_pnp_notify(&req, "t", "l", "t", "b", 2,
	    "http://x/\r\n\r\nINVITE", &b), -1);
	ck_assert_int_eq(sip_build_pnp_notify(&req, "t", "l", "t", "b", 2, "",
	    &b), -1);
	ck_assert_int_eq((int)b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_build_notify)
{
	struct sip_notify n = {
		.local = "192.0.2.10:5060", .target = "192.0.2.50:5062",
		.user = "000413a11fa7", .event = sip_resync_event("snom", 1),
		.branch = "x1", .tag = "t1", .call_id = "c1@deskprov",
		.cseq = 7,
	};
	struct sip_msg m;
	struct buf b;

	buf_init(&b);
	sip_build_notify(&n, &b);
	ck_assert_int_eq(sip_parse(b.data, b.len, &m), SIP_OK);
	ck_assert(strncmp(m.uri.p, "sip:000413a11fa7@192.0.2.50:5062",
	    m.uri.n) == 0);
	ck_assert(strncmp(m.h[SIP_H_EVENT].p, "check-sync;reboot=true",
	    m.h[SIP_H_EVENT].n) == 0);
	ck_assert(strstr(b.data, "CSeq: 7 NOTIFY\r\n") != NULL);
	buf_free(&b);
}
END_TEST

static const struct {
	const char	*vendor;
	int		 reboot;
	const char	*want;
} events[] = {
	{ "snom", 0, "check-sync;reboot=false" },
	{ "snom", 1, "check-sync;reboot=true" },
	{ "yealink", 1, "check-sync;reboot=true" },
	{ "cisco", 0, "resync" },
	{ "cisco", 1, "reboot_now" },
	{ "polycom", 1, "check-sync" },
	{ "fanvil", 0, "check-sync" },
	{ NULL, 1, "check-sync;reboot=true" },
};

START_TEST(test_resync_events)
{
	ck_assert_str_eq(sip_resync_event(events[_i].vendor,
	    events[_i].reboot), events[_i].want);
}
END_TEST

START_TEST(test_status_words)
{
	for (int i = 0; i < SIP_E__COUNT; i++)
		ck_assert_ptr_nonnull(sip_status_word((enum sip_status)i));
	ck_assert_str_eq(sip_status_word(SIP_E_FOLDED), "folded");
	ck_assert_str_eq(sip_status_word(SIP_E__COUNT), "error");
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

Suite *sip_suite(void);

Suite *
sip_suite(void)
{
	Suite *s = suite_create("sip");
	TCase *tc = tcase_create("sip");

	tcase_add_loop_test(tc, test_pnp_dialects, 0, N(pnp_ok));
	tcase_add_test(tc, test_parse_fields);
	tcase_add_test(tc, test_body_length);
	tcase_add_loop_test(tc, test_malformed, 0, N(bad));
	tcase_add_test(tc, test_malformed_shapes);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_build_ok);
	tcase_add_test(tc, test_build_pnp_notify);
	tcase_add_test(tc, test_build_notify);
	tcase_add_loop_test(tc, test_resync_events, 0, N(events));
	tcase_add_test(tc, test_status_words);
	suite_add_tcase(s, tc);
	return s;
}
