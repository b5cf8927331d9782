/* Addresses and CIDR ranges: IPv4, IPv6, IPv4-mapped IPv6, and the
 * ranges an admin writes in ip_address, ip_whitelist and trusted_proxies. */
#include <check.h>
#include <string.h>

#include "ipnet.h"

static const struct {
	int		 line;
	const char	*in;
	int		 family;	/* 0: refused */
	const char	*text;		/* ipaddr_format() of the result */
} addrs[] = {
	{ __LINE__, "192.0.2.1", 4, "192.0.2.1" },
	{ __LINE__, "0.0.0.0", 4, "0.0.0.0" },
	{ __LINE__, "255.255.255.255", 4, "255.255.255.255" },
	{ __LINE__, "::1", 6, "::1" },
	{ __LINE__, "::", 6, "::" },
	{ __LINE__, "2001:db8::1", 6, "2001:db8::1" },
	{ __LINE__, "2001:DB8:0:0:0:0:0:1", 6, "2001:db8::1" },
	{ __LINE__, "fe80::1", 6, "fe80::1" },
	/* Mapped addresses are IPv4: one rule matches both spellings. */
	{ __LINE__, "::ffff:192.0.2.1", 4, "192.0.2.1" },
	{ __LINE__, "::FFFF:c000:0201", 4, "192.0.2.1" },
	{ __LINE__, "0:0:0:0:0:ffff:127.0.0.1", 4, "127.0.0.1" },
	/* The deprecated "compatible" form is not mapped. */
	{ __LINE__, "::192.0.2.1", 6, "::192.0.2.1" },
	{ __LINE__, "", 0, NULL },
	{ __LINE__, "256.0.0.1", 0, NULL },
	{ __LINE__, "192.0.2", 0, NULL },
	{ __LINE__, "192.0.2.1.5", 0, NULL },
	{ __LINE__, "192.0.2.1 ", 0, NULL },
	{ __LINE__, " 192.0.2.1", 0, NULL },
	{ __LINE__, "192.0.2.-1", 0, NULL },
	{ __LINE__, "0x7f.0.0.1", 0, NULL },
	{ __LINE__, "2130706433", 0, NULL },
	{ __LINE__, "192.0.2.1:8080", 0, NULL },
	{ __LINE__, "[::1]", 0, NULL },
	{ __LINE__, "[::1]:80", 0, NULL },
	{ __LINE__, "fe80::1%eth0", 0, NULL },
	{ __LINE__, "1:2:3:4:5:6:7:8:9", 0, NULL },
	{ __LINE__, "2001:db8:::1", 0, NULL },
	{ __LINE__, "gggg::1", 0, NULL },
	{ __LINE__, "localhost", 0, NULL },
	{ __LINE__, "unknown", 0, NULL },
	{ __LINE__, "10.0.0.0/8", 0, NULL },
	{ __LINE__, "0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0001",
	    0, NULL },
	{ __LINE__, "000000000000000000000000000000000000000000000000000000000000"
	    "0192.0.2.1", 0, NULL },
};

START_TEST(test_ipaddr_parse)
{
	struct ipaddr a;
	char text[64];
	int rc = ipaddr_parse(addrs[_i].in, strlen(addrs[_i].in), &a);

	if (addrs[_i].family == 0) {
		ck_assert_msg(rc < 0, "line %d: '%s' accepted", addrs[_i].line,
		    addrs[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "line %d: '%s' refused", addrs[_i].line,
	    addrs[_i].in);
	ck_assert_int_eq(a.family, addrs[_i].family);
	ipaddr_format(&a, text, sizeof(text));
	ck_assert_msg(strcmp(text, addrs[_i].text) == 0,
	    "line %d: '%s' formatted as '%s'", addrs[_i].line, addrs[_i].in,
	    text);
}
END_TEST

/* Only s[0..n) is read. */
START_TEST(test_ipaddr_parse_bounds)
{
	struct ipaddr a, b;

	ck_assert_int_eq(ipaddr_parse("192.0.2.1, 10.0.0.1", 9, &a), 0);
	ck_assert_int_eq(ipaddr_parse("192.0.2.1", 9, &b), 0);
	ck_assert(ipaddr_equal(&a, &b));
	ck_assert_int_lt(ipaddr_parse("192.0.2.1", 8, &a), 0);
	ck_assert_int_lt(ipaddr_parse("192.0.2.1\0junk", 14, &a), 0);
}
END_TEST

START_TEST(test_ipaddr_equal)
{
	struct ipaddr a, b;

	ck_assert_int_eq(ipaddr_parse("192.0.2.1", 9, &a), 0);
	ck_assert_int_eq(ipaddr_parse("::ffff:192.0.2.1", 16, &b), 0);
	ck_assert(ipaddr_equal(&a, &b));
	ck_assert_int_eq(ipaddr_parse("192.0.2.2", 9, &b), 0);
	ck_assert(!ipaddr_equal(&a, &b));
	ck_assert_int_eq(ipaddr_parse("::1", 3, &a), 0);
	ck_assert_int_eq(ipaddr_parse("0:0:0:0:0:0:0:1", 15, &b), 0);
	ck_assert(ipaddr_equal(&a, &b));
	/* ::1 and 127.0.0.1 are different machines' views of "me". */
	ck_assert_int_eq(ipaddr_parse("127.0.0.1", 9, &b), 0);
	ck_assert(!ipaddr_equal(&a, &b));
	/* An IPv4 address never equals the IPv6 address with the same
	 * leading bytes. */
	ck_assert_int_eq(ipaddr_parse("c000:201::", 10, &a), 0);
	ck_assert_int_eq(ipaddr_parse("192.0.2.1", 9, &b), 0);
	ck_assert(!ipaddr_equal(&a, &b));
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	int		 ok;
	int		 family;
	int		 prefix;
} nets[] = {
	{ __LINE__, "10.0.0.0/8", 1, 4, 8 },
	{ __LINE__, "10.0.0.1", 1, 4, 32 },
	{ __LINE__, "10.0.0.1/32", 1, 4, 32 },
	{ __LINE__, "0.0.0.0/0", 1, 4, 0 },
	{ __LINE__, "192.168.1.128/25", 1, 4, 25 },
	{ __LINE__, "10.0.0.0/08", 1, 4, 8 },
	{ __LINE__, "2001:db8::/32", 1, 6, 32 },
	{ __LINE__, "2001:db8::1", 1, 6, 128 },
	{ __LINE__, "::/0", 1, 6, 0 },
	{ __LINE__, "::1/128", 1, 6, 128 },
	{ __LINE__, "2001:db8:0:0:8000::/65", 1, 6, 65 },
	/* A mapped network is an IPv4 network: /104 is 10.0.0.0/8. */
	{ __LINE__, "::ffff:10.0.0.0/104", 1, 4, 8 },
	{ __LINE__, "::ffff:192.0.2.1/128", 1, 4, 32 },
	{ __LINE__, "::ffff:0.0.0.0/96", 1, 4, 0 },
	{ __LINE__, "::ffff:192.0.2.1", 1, 4, 32 },
	/* Host bits below the prefix: a typo, not a wish. */
	{ __LINE__, "10.0.0.1/8", 0, 0, 0 },
	{ __LINE__, "192.168.1.1/24", 0, 0, 0 },
	{ __LINE__, "1.0.0.0/0", 0, 0, 0 },
	{ __LINE__, "2001:db8::1/32", 0, 0, 0 },
	{ __LINE__, "2001:db8:0:0:8000::/64", 0, 0, 0 },
	{ __LINE__, "::ffff:10.0.0.1/104", 0, 0, 0 },
	/* Prefixes out of range or misspelt. */
	{ __LINE__, "10.0.0.0/33", 0, 0, 0 },
	{ __LINE__, "2001:db8::/129", 0, 0, 0 },
	{ __LINE__, "::ffff:10.0.0.0/8", 0, 0, 0 },
	{ __LINE__, "::ffff:10.0.0.0/95", 0, 0, 0 },
	{ __LINE__, "::ffff:10.0.0.0/129", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/-8", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/+8", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/ 8", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/8 ", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/8x", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/8/8", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/0x8", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/99999999999999999999999", 0, 0, 0 },
	{ __LINE__, "10.0.0.0/4294967304", 0, 0, 0 },
	{ __LINE__, "/8", 0, 0, 0 },
	{ __LINE__, "", 0, 0, 0 },
	{ __LINE__, "10.0.0/8", 0, 0, 0 },
	{ __LINE__, "example.net/24", 0, 0, 0 },
};

START_TEST(test_ipnet_parse)
{
	struct ipnet n;
	int rc = ipnet_parse(nets[_i].in, &n);

	if (!nets[_i].ok) {
		ck_assert_msg(rc < 0, "line %d: '%s' accepted", nets[_i].line,
		    nets[_i].in);
		return;
	}
	ck_assert_msg(rc == 0, "line %d: '%s' refused", nets[_i].line,
	    nets[_i].in);
	ck_assert_msg(n.addr.family == nets[_i].family &&
	    n.prefix == nets[_i].prefix, "line %d: '%s' gave family %d /%d",
	    nets[_i].line, nets[_i].in, n.addr.family, n.prefix);
}
END_TEST

static const struct {
	int		 line;
	const char	*net, *addr;
	int		 want;
} contains[] = {
	{ __LINE__, "10.0.0.0/8", "10.0.0.0", 1 },
	{ __LINE__, "10.0.0.0/8", "10.255.255.255", 1 },
	{ __LINE__, "10.0.0.0/8", "11.0.0.0", 0 },
	{ __LINE__, "10.0.0.0/8", "9.255.255.255", 0 },
	{ __LINE__, "192.168.1.0/24", "192.168.1.77", 1 },
	{ __LINE__, "192.168.1.0/24", "192.168.2.1", 0 },
	{ __LINE__, "192.168.1.128/25", "192.168.1.200", 1 },
	{ __LINE__, "192.168.1.128/25", "192.168.1.127", 0 },
	{ __LINE__, "172.16.0.0/12", "172.31.255.255", 1 },
	{ __LINE__, "172.16.0.0/12", "172.32.0.0", 0 },
	{ __LINE__, "0.0.0.0/0", "203.0.113.9", 1 },
	{ __LINE__, "127.0.0.1", "127.0.0.1", 1 },
	{ __LINE__, "127.0.0.1", "127.0.0.2", 0 },
	{ __LINE__, "127.0.0.1", "::ffff:127.0.0.1", 1 },
	{ __LINE__, "192.0.2.2/31", "192.0.2.1", 0 },
	{ __LINE__, "192.0.2.0/31", "192.0.2.1", 1 },
	{ __LINE__, "2001:db8::/32", "2001:db8:ffff::1", 1 },
	{ __LINE__, "2001:db8::/32", "2001:db9::1", 0 },
	{ __LINE__, "2001:db8::/33", "2001:db8:7fff::1", 1 },
	{ __LINE__, "2001:db8::/33", "2001:db8:8000::1", 0 },
	{ __LINE__, "2001:db8::10", "2001:db8::10", 1 },
	{ __LINE__, "2001:db8::10", "2001:db8::11", 0 },
	{ __LINE__, "::1", "::1", 1 },
	{ __LINE__, "::/0", "2001:db8::1", 1 },
	{ __LINE__, "::ffff:10.0.0.0/104", "10.9.9.9", 1 },
	{ __LINE__, "::ffff:10.0.0.0/104", "::ffff:10.9.9.9", 1 },
	{ __LINE__, "::ffff:10.0.0.0/104", "11.0.0.1", 0 },
	/* The families never mix: an IPv6 rule never admits IPv4. */
	{ __LINE__, "0.0.0.0/0", "::1", 0 },
	{ __LINE__, "::/0", "10.0.0.1", 0 },
	{ __LINE__, "::1", "127.0.0.1", 0 },
	{ __LINE__, "10.0.0.0/8", "a00::1", 0 },
};

START_TEST(test_ipnet_contains)
{
	struct ipnet n;
	struct ipaddr a;

	ck_assert_msg(ipnet_parse(contains[_i].net, &n) == 0,
	    "line %d: net refused", contains[_i].line);
	ck_assert_msg(ipaddr_parse(contains[_i].addr,
	    strlen(contains[_i].addr), &a) == 0, "line %d: address refused",
	    contains[_i].line);
	ck_assert_msg(ipnet_contains(&n, &a) == contains[_i].want,
	    "line %d: %s in %s should be %d", contains[_i].line,
	    contains[_i].addr, contains[_i].net, contains[_i].want);
}
END_TEST

START_TEST(test_ipaddr_format_small)
{
	struct ipaddr a;
	char out[4];

	ck_assert_int_eq(ipaddr_parse("192.0.2.1", 9, &a), 0);
	memset(out, 'x', sizeof(out));
	ipaddr_format(&a, out, sizeof(out));
	ck_assert_str_eq(out, "");
}
END_TEST

Suite *ipnet_suite(void);

Suite *
ipnet_suite(void)
{
	Suite *s = suite_create("ipnet");
	TCase *tc = tcase_create("addr");

	tcase_add_loop_test(tc, test_ipaddr_parse, 0,
	    (int)(sizeof(addrs) / sizeof(addrs[0])));
	tcase_add_test(tc, test_ipaddr_parse_bounds);
	tcase_add_test(tc, test_ipaddr_equal);
	tcase_add_test(tc, test_ipaddr_format_small);
	suite_add_tcase(s, tc);

	tc = tcase_create("net");
	tcase_add_loop_test(tc, test_ipnet_parse, 0,
	    (int)(sizeof(nets) / sizeof(nets[0])));
	tcase_add_loop_test(tc, test_ipnet_contains, 0,
	    (int)(sizeof(contains) / sizeof(contains[0])));
	suite_add_tcase(s, tc);
	return s;
}
