/* Phone identifiers: the MAC spellings phones and tools use, the names a
 * URL may carry, and the lookup key built from either. */
#include <check.h>
#include <string.h>

#include "ident.h"

/* The spellings of a MAC: with colons (admin input, Yealink User-Agents,
 * Cisco $MAC), dashes (Aastra User-Agents, Falconieri), none (file names,
 * Cisco $MA/$MAU), Cisco's dotted form (which wazo-provd's norm_mac does
 * not take), and the wrong lengths, separators and digits; see
 * docs/sources.md. */
static const struct {
	int		 line;
	const char	*in;
	enum mac_status	 want;
	const char	*mac;	/* canonical form when MAC_OK */
} macs[] = {
	{ __LINE__, "00:11:22:AA:BB:CC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "00:11:22:aa:bb:cc", MAC_OK, "001122aabbcc" },
	{ __LINE__, "00:11:22:Aa:bB:cc", MAC_OK, "001122aabbcc" },
	{ __LINE__, "00-11-22-AA-BB-CC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "00-11-22-aa-bb-cc", MAC_OK, "001122aabbcc" },
	{ __LINE__, "001122AABBCC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "001122aabbcc", MAC_OK, "001122aabbcc" },
	{ __LINE__, "0011.22aa.bbcc", MAC_OK, "001122aabbcc" },
	{ __LINE__, "0011.22AA.BBCC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "00562b043615", MAC_OK, "00562b043615" },
	/* Unicast, locally administered: still a device. */
	{ __LINE__, "02:00:00:00:00:01", MAC_OK, "020000000001" },
	/* Decision: octets of one digit are refused (wazo-provd's to_mac would
	 * take them). */
	{ __LINE__, "0:11:22:a:bb:cc", MAC_INVALID, NULL },
	{ __LINE__, "00:11-22:aa:bb:cc", MAC_INVALID, NULL },
	{ __LINE__, "00-11:22-aa:bb-cc", MAC_INVALID, NULL },
	{ __LINE__, "0011.22aa-bbcc", MAC_INVALID, NULL },
	{ __LINE__, "00:11:22:aa:bb", MAC_INVALID, NULL },
	{ __LINE__, "001122aabbc", MAC_INVALID, NULL },
	{ __LINE__, "00112233aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "00:11:22:aa:bb:cg", MAC_INVALID, NULL },
	{ __LINE__, "00:11:22:AA:BB:CG", MAC_INVALID, NULL },
	{ __LINE__, "00112233445g", MAC_INVALID, NULL },
	{ __LINE__, "0011:22aa:bbcc", MAC_INVALID, NULL },
	{ __LINE__, "00:11:22:aa:bb:cc:", MAC_INVALID, NULL },
	{ __LINE__, " 001122aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "001122aabbc ", MAC_INVALID, NULL },
	{ __LINE__, "00 11 22 aa bb cc", MAC_INVALID, NULL },
	{ __LINE__, "0x1122aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "+01122aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "", MAC_INVALID, NULL },
	/* The PnP and Gigaset forms carry a prefix or suffix that only
	 * mac_parse_any() strips (see table52[]); to mac_parse, which reads
	 * admin input and file names, they are no MAC. */
	{ __LINE__, "MAC%3a001122AABBCC", MAC_INVALID, NULL },
	{ __LINE__, "MAC%3A001122aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "MAC001122aabbcc", MAC_INVALID, NULL },
	{ __LINE__, "7C2F80E0D605-ABCD", MAC_INVALID, NULL },
	/* All-zero is a placeholder, the group bit marks multicast. */
	{ __LINE__, "000000000000", MAC_NOT_PHONE, NULL },
	{ __LINE__, "00:00:00:00:00:00", MAC_NOT_PHONE, NULL },
	{ __LINE__, "01:11:22:aa:bb:cc", MAC_NOT_PHONE, NULL },
	{ __LINE__, "0111.22aa.bbcc", MAC_NOT_PHONE, NULL },
	{ __LINE__, "ff:ff:ff:ff:ff:ff", MAC_NOT_PHONE, NULL },
	{ __LINE__, "33-33-00-00-00-01", MAC_NOT_PHONE, NULL },
	{ __LINE__, "01005e000001", MAC_NOT_PHONE, NULL },
};

START_TEST(test_mac_parse)
{
	char out[MAC_LEN + 1];
	const char *in = macs[_i].in;
	enum mac_status got = mac_parse(in, strlen(in), out);

	ck_assert_msg(got == macs[_i].want, "line %d: '%s' gave %d, want %d",
	    macs[_i].line, in, got, macs[_i].want);
	if (macs[_i].mac != NULL)
		ck_assert_msg(strcmp(out, macs[_i].mac) == 0,
		    "line %d: '%s' became '%s'", macs[_i].line, in, out);
}
END_TEST

/* Only s[0..n) is read: a valid MAC followed by more text still parses
 * when n stops at its end, and a longer n makes it invalid. */
START_TEST(test_mac_parse_bounds)
{
	char out[MAC_LEN + 1];
	const char *s = "00:11:22:aa:bb:ccXYZ";

	ck_assert_int_eq(mac_parse(s, 17, out), MAC_OK);
	ck_assert_str_eq(out, "001122aabbcc");
	ck_assert_int_eq(mac_parse(s, 18, out), MAC_INVALID);
	ck_assert_int_eq(mac_parse("001122aabbcc", 11, out), MAC_INVALID);
	/* An embedded NUL is not a hex digit. */
	ck_assert_int_eq(mac_parse("001122aa\0bcc", 12, out), MAC_INVALID);
	ck_assert_int_eq(mac_parse("00:11:22:aa:bb:c\0", 17, out),
	    MAC_INVALID);
}
END_TEST

/* The prefixed spellings (SIP PnP, Gigaset MAC-ID) parse once the prefix
 * is stripped. */
START_TEST(test_mac_prefixed)
{
	char out[MAC_LEN + 1];

	ck_assert_int_eq(mac_parse("MAC%3a001122AABBCC" + 6, 12, out), MAC_OK);
	ck_assert_str_eq(out, "001122aabbcc");
	ck_assert_int_eq(mac_parse("MAC001122aabbcc" + 3, 12, out), MAC_OK);
	ck_assert_str_eq(out, "001122aabbcc");
	ck_assert_int_eq(mac_parse("7C2F80E0D605-ABCD", 12, out), MAC_OK);
	ck_assert_str_eq(out, "7c2f80e0d605");
}
END_TEST

/* Every spelling phones and tools use, and the refused ones, in one list:
 * the plain spellings through mac_parse, the SIP PnP prefixes (SARK,
 * MikoServerPnP) and Gigaset's MAC-ID (Falconieri) through mac_parse_any
 * (which gives the same answer for the plain ones, see
 * test_mac_any_agrees); see docs/sources.md. */
enum mac_fn { PLAIN, ANY };

static const struct {
	int		 line;
	enum mac_fn	 fn;
	const char	*in;
	enum mac_status	 want;
	const char	*mac;	/* canonical form when not MAC_INVALID */
	const char	*crc;	/* mac_parse_any only */
} table52[] = {
	{ __LINE__, PLAIN, "00:11:22:AA:BB:CC", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "00:11:22:aa:bb:cc", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "00:11:22:Aa:bB:cc", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "00-11-22-AA-BB-CC", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "00-11-22-aa-bb-cc", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "001122AABBCC", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "001122aabbcc", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, PLAIN, "0011.22aa.bbcc", MAC_OK, "001122aabbcc", NULL },
	{ __LINE__, ANY, "MAC%3a001122AABBCC", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "MAC%3A001122aabbcc", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "MAC001122aabbcc", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "7C2F80E0D605-ABCD", MAC_OK, "7c2f80e0d605", "ABCD" },
	/* Decision: octets of one digit are refused, by both parsers
	 * (wazo-provd's to_mac would take them; no phone or vendor file
	 * spells a MAC so). */
	{ __LINE__, PLAIN, "0:11:22:a:bb:cc", MAC_INVALID, NULL, NULL },
	{ __LINE__, ANY, "0:11:22:a:bb:cc", MAC_INVALID, NULL, "" },
	{ __LINE__, PLAIN, "00:11-22:aa:bb:cc", MAC_INVALID, NULL, NULL },
	{ __LINE__, PLAIN, "00:11:22:aa:bb", MAC_INVALID, NULL, NULL },
	{ __LINE__, PLAIN, "001122aabbc", MAC_INVALID, NULL, NULL },
	{ __LINE__, PLAIN, "00112233aabbcc", MAC_INVALID, NULL, NULL },
	{ __LINE__, PLAIN, "00:11:22:aa:bb:cg", MAC_INVALID, NULL, NULL },
	{ __LINE__, PLAIN, "000000000000", MAC_NOT_PHONE, "000000000000", NULL },
	{ __LINE__, PLAIN, "01:11:22:aa:bb:cc", MAC_NOT_PHONE, "011122aabbcc",
	    NULL },

	/* Beyond the list: the other SIP PnP prefixes, any case; and what
	 * neither form allows. */
	{ __LINE__, ANY, "MAC:001122aabbcc", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "mac%3a001122aabbcc", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "Mac:001122AABBCC", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "mac000413a11fa7", MAC_OK, "000413a11fa7", "" },
	{ __LINE__, ANY, "MAC%3a000000000000", MAC_NOT_PHONE, "000000000000",
	    "" },
	{ __LINE__, ANY, "MAC011122aabbcc", MAC_NOT_PHONE, "011122aabbcc", "" },
	{ __LINE__, ANY, "7c2f80e0d605-abcd", MAC_OK, "7c2f80e0d605", "abcd" },
	{ __LINE__, ANY, "7C2F80E0D605-0000", MAC_OK, "7c2f80e0d605", "0000" },
	{ __LINE__, ANY, "017C2F80E0D6-ABCD", MAC_NOT_PHONE, "017c2f80e0d6",
	    "ABCD" },
	/* Plain spellings still parse, with no check code. */
	{ __LINE__, ANY, "00:11:22:AA:BB:CC", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "0011.22aa.bbcc", MAC_OK, "001122aabbcc", "" },
	{ __LINE__, ANY, "00-11-22-aa-bb-cc", MAC_OK, "001122aabbcc", "" },
	/* A prefix before 12 bare hex digits only. */
	{ __LINE__, ANY, "MAC:00:11:22:aa:bb:cc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC:00-08-5D-23-74-29", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC7C2F80E0D605-ABCD", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%3a001122aabbc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%3a001122aabbccd", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%3b001122aabbcc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%001122aabbcc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC::001122aabbcc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MA001122aabbcc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC 001122aabbcc", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%3a00112233445g", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "MAC%3a", MAC_INVALID, NULL, "" },
	/* A MAC-ID suffix is exactly 4 letters or digits. */
	{ __LINE__, ANY, "7C2F80E0D605-ABC", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D605-ABCDE", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D605-AB_D", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D605-AB D", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D605-", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D605_ABCD", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C2F80E0D6G5-ABCD", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "7C:2F:80:E0:D6:05-ABCD", MAC_INVALID, NULL, "" },
	{ __LINE__, ANY, "", MAC_INVALID, NULL, "" },
};

START_TEST(test_mac_spellings)
{
	char out[MAC_LEN + 1], crc[5] = "junk";
	const char *in = table52[_i].in;
	int line = table52[_i].line;
	enum mac_status got = table52[_i].fn == ANY ?
	    mac_parse_any(in, strlen(in), out, crc) :
	    mac_parse(in, strlen(in), out);

	ck_assert_msg(got == table52[_i].want, "line %d: '%s' gave %d, "
	    "want %d", line, in, got, table52[_i].want);
	if (table52[_i].mac != NULL)
		ck_assert_msg(strcmp(out, table52[_i].mac) == 0,
		    "line %d: '%s' became '%s'", line, in, out);
	if (table52[_i].crc != NULL)
		ck_assert_msg(strcmp(crc, table52[_i].crc) == 0,
		    "line %d: '%s' gave check code '%s'", line, in, crc);
}
END_TEST

/* mac_parse_any() answers as mac_parse() for every spelling mac_parse()
 * accepts, and crc may be NULL. */
START_TEST(test_mac_any_agrees)
{
	char a[MAC_LEN + 1], b[MAC_LEN + 1];
	const char *in = macs[_i].in;
	enum mac_status plain = mac_parse(in, strlen(in), a);

	if (plain == MAC_INVALID)
		return;
	ck_assert_msg(mac_parse_any(in, strlen(in), b, NULL) == plain,
	    "line %d: '%s'", macs[_i].line, in);
	ck_assert_str_eq(a, b);
}
END_TEST

/* Only s[0..n) is read, for the longer forms too. */
START_TEST(test_mac_any_bounds)
{
	char out[MAC_LEN + 1], crc[5];

	ck_assert_int_eq(mac_parse_any("MAC%3a001122aabbccXX", 18, out, crc),
	    MAC_OK);
	ck_assert_str_eq(out, "001122aabbcc");
	ck_assert_int_eq(mac_parse_any("7C2F80E0D605-ABCDE", 17, out, crc),
	    MAC_OK);
	ck_assert_str_eq(crc, "ABCD");
	ck_assert_int_eq(mac_parse_any("MAC%3a001122aabbcc", 17, out, crc),
	    MAC_INVALID);
	ck_assert_int_eq(mac_parse_any("MA\0" "001122aabbcc", 15, out, crc),
	    MAC_INVALID);
	ck_assert_int_eq(mac_parse_any("7C2F80E0D605-AB\0D", 17, out, crc),
	    MAC_INVALID);
	ck_assert_str_eq(crc, "");
	ck_assert_int_eq(mac_parse_any("M", 1, out, NULL), MAC_INVALID);
}
END_TEST

START_TEST(test_mac_format_colons)
{
	char out[18];

	mac_format_colons("001122aabbcc", out);
	ck_assert_str_eq(out, "00:11:22:aa:bb:cc");
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	int		 want;
} idents[] = {
	{ __LINE__, "001122aabbcc", 1 },
	{ __LINE__, "00:11:22:AA:BB:CC", 1 },
	{ __LINE__, "00-11-22-aa-bb-cc", 1 },
	{ __LINE__, "0011.22aa.bbcc", 1 },
	{ __LINE__, "phone-01", 1 },
	{ __LINE__, "Reception_Desk.2", 1 },
	{ __LINE__, "FCH2201A0AA", 1 },
	{ __LINE__, "a", 1 },
	{ __LINE__, "a..b", 1 },
	{ __LINE__, "0123456789012345678901234567890123456789012345678901234567890123",
	    1 },
	{ __LINE__, "01234567890123456789012345678901234567890123456789012345678901234",
	    0 },
	{ __LINE__, "", 0 },
	{ __LINE__, ".", 0 },
	{ __LINE__, "..", 0 },
	{ __LINE__, ".hidden", 0 },
	{ __LINE__, "../x", 0 },
	{ __LINE__, "a/b", 0 },
	{ __LINE__, "a\\b", 0 },
	{ __LINE__, "a b", 0 },
	{ __LINE__, "a%2e", 0 },
	{ __LINE__, "a\nb", 0 },
	{ __LINE__, "a\tb", 0 },
	{ __LINE__, "caf\xc3\xa9", 0 },
	{ __LINE__, "a;b", 0 },
	{ __LINE__, "<x>", 0 },
	{ __LINE__, "a\"b", 0 },
	{ __LINE__, "a?b", 0 },
};

START_TEST(test_ident_plausible)
{
	const char *in = idents[_i].in;

	ck_assert_msg(ident_plausible(in, strlen(in)) == idents[_i].want,
	    "line %d: '%s' should be %s", idents[_i].line, in,
	    idents[_i].want ? "plausible" : "refused");
}
END_TEST

START_TEST(test_ident_plausible_nul)
{
	/* The length is what counts: a NUL inside is refused. */
	ck_assert(!ident_plausible("ab\0cd", 5));
	ck_assert(ident_plausible("ab\0cd", 2));
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	enum mac_status	 want;
	const char	*key;
} keys[] = {
	{ __LINE__, "00:11:22:AA:BB:CC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "0011.22AA.BBCC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "001122AABBCC", MAC_OK, "001122aabbcc" },
	{ __LINE__, "Phone-01", MAC_INVALID, "phone-01" },
	{ __LINE__, "phone-01", MAC_INVALID, "phone-01" },
	{ __LINE__, "FCH2201A0AA", MAC_INVALID, "fch2201a0aa" },
	/* Not a phone, but still a key: the caller decides what to do. */
	{ __LINE__, "01:11:22:AA:BB:CC", MAC_NOT_PHONE, "01:11:22:aa:bb:cc" },
	{ __LINE__, "000000000000", MAC_NOT_PHONE, "000000000000" },
	/* Looks nearly like a MAC: a name, lowercased, not normalised. */
	{ __LINE__, "0:11:22:A:BB:CC", MAC_INVALID, "0:11:22:a:bb:cc" },
	{ __LINE__, "0123456789012345678901234567890123456789012345678901234567890123",
	    MAC_INVALID,
	    "0123456789012345678901234567890123456789012345678901234567890123" },
};

START_TEST(test_ident_key)
{
	char out[IDENT_MAX + 1];
	const char *in = keys[_i].in;
	enum mac_status got = ident_key(in, strlen(in), out);

	ck_assert_msg(got == keys[_i].want, "line %d: '%s' gave %d",
	    keys[_i].line, in, got);
	ck_assert_msg(strcmp(out, keys[_i].key) == 0,
	    "line %d: '%s' keyed as '%s', want '%s'", keys[_i].line, in, out,
	    keys[_i].key);
}
END_TEST

/* Every spelling of one MAC gives the same key, so any of them finds the
 * phone; and a name never shares a key with a different name. */
START_TEST(test_ident_key_spellings_agree)
{
	static const char *const spellings[] = {
		"00:11:22:AA:BB:CC", "00-11-22-aa-bb-cc", "001122AABBCC",
		"0011.22aa.bbcc", "00:11:22:Aa:bB:cc",
	};
	char first[IDENT_MAX + 1], out[IDENT_MAX + 1];

	ident_key(spellings[0], strlen(spellings[0]), first);
	for (size_t i = 1; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		ident_key(spellings[i], strlen(spellings[i]), out);
		ck_assert_str_eq(out, first);
	}
}
END_TEST

/* An identifier longer than IDENT_MAX must not be cut down to the name of
 * some other phone: its key matches no 64-character name. */
START_TEST(test_ident_key_overlong)
{
	char in[IDENT_MAX + 2], out[IDENT_MAX + 1], prefix[IDENT_MAX + 1];

	memset(in, 'a', IDENT_MAX + 1);
	in[IDENT_MAX + 1] = '\0';
	ident_key(in, IDENT_MAX, prefix);
	ck_assert_uint_eq(strlen(prefix), IDENT_MAX);
	ident_key(in, IDENT_MAX + 1, out);
	ck_assert_msg(strcmp(out, prefix) != 0,
	    "a 65-character identifier keyed as its 64-character prefix");
}
END_TEST

Suite *ident_suite(void);

Suite *
ident_suite(void)
{
	Suite *s = suite_create("ident");
	TCase *tc = tcase_create("mac");

	tcase_add_loop_test(tc, test_mac_parse, 0,
	    (int)(sizeof(macs) / sizeof(macs[0])));
	tcase_add_test(tc, test_mac_parse_bounds);
	tcase_add_test(tc, test_mac_prefixed);
	tcase_add_loop_test(tc, test_mac_spellings, 0,
	    (int)(sizeof(table52) / sizeof(table52[0])));
	tcase_add_loop_test(tc, test_mac_any_agrees, 0,
	    (int)(sizeof(macs) / sizeof(macs[0])));
	tcase_add_test(tc, test_mac_any_bounds);
	tcase_add_test(tc, test_mac_format_colons);
	suite_add_tcase(s, tc);

	tc = tcase_create("identifier");
	tcase_add_loop_test(tc, test_ident_plausible, 0,
	    (int)(sizeof(idents) / sizeof(idents[0])));
	tcase_add_test(tc, test_ident_plausible_nul);
	tcase_add_loop_test(tc, test_ident_key, 0,
	    (int)(sizeof(keys) / sizeof(keys[0])));
	tcase_add_test(tc, test_ident_key_spellings_agree);
	tcase_add_test(tc, test_ident_key_overlong);
	suite_add_tcase(s, tc);
	return s;
}
