/* The check on rendered vendor files (docs/packs.md, "Syntaxes"): good
 * and broken files of each syntax, and hostile ones. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "buf.h"
#include "filecheck.h"

#if LIBXML_VERSION >= 21200
#define XMLERROR	const xmlError
#else
#define XMLERROR	xmlError
#endif

/* A byte string with its length, NULs and all. */
#define B(s)	s, sizeof(s) - 1
#define OK	0, 0, NULL, NULL
#define YL	"#!version:1.0.0.1\n"
#define FV	"<<VOIP CONFIG FILE>>Version:2.0000000000\n"

static const struct {
	int			 line;
	enum file_syntax	 syntax;
	const char		*buf;
	size_t			 len;
	int			 bad;	/* 1 when refused */
	unsigned		 err_line;
	const char		*key;	/* expected key when refused */
	const char		*msg;	/* a part of the message, or NULL */
} rows[] = {
	/* ---- XML ---- */
	{ __LINE__, SYNTAX_XML, B("<flat-profile><A>1</A></flat-profile>"), OK },
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<settings><phone-settings>\n<user_name idx=\"1\" perm=\"R\">2001"
	    "</user_name>\n</phone-settings></settings>\n"), OK },
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
	    "<a/>"), OK },
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\" encoding=\"US-ASCII\"?>"
	    "<a/>"), OK },
	{ __LINE__, SYNTAX_XML, B("<polycomConfig reg.1.address=\"2001\" "
	    "reg.1.displayName=\"Caff\xc3\xa8 &amp; co\"/>"), OK },
	{ __LINE__, SYNTAX_XML, B("<!-- made by deskprov --><?pi x?><a><![CDATA["
	    "<not markup>]]>&lt;&#x41;&#66;</a>"), OK },
	{ __LINE__, SYNTAX_XML, B("\xef\xbb\xbf<a/>"), OK },
	/* Decision: XML keeps XML's own rules on line ends and tabs. */
	{ __LINE__, SYNTAX_XML, B("<a>\r\n\t<b/>\r\n</a>\r\n"), OK },
	{ __LINE__, SYNTAX_XML, B(""), 1, 0, "", "empty" },
	{ __LINE__, SYNTAX_XML, B("<a>\n<b>\n</a>"), 1, 3, "b", "mismatch" },
	{ __LINE__, SYNTAX_XML, B("<a>\n<b></b>\n"), 1, 2, "a", "closed" },
	{ __LINE__, SYNTAX_XML, B("<a/>\n<b/>\n"), 1, 2, "", NULL },
	{ __LINE__, SYNTAX_XML, B("text"), 1, 1, "", NULL },
	{ __LINE__, SYNTAX_XML, B("<a>&x;</a>"), 1, 1, "a", "x" },
	{ __LINE__, SYNTAX_XML, B("<a b=\"1\" b=\"2\"/>"), 1, 1, "", "redefined" },
	{ __LINE__, SYNTAX_XML, B("<r>\n<a b=\"1\" b=\"2\"/></r>"), 1, 2, "r",
	    "redefined" },
	{ __LINE__, SYNTAX_XML, B("<a>\n<x:b/></a>"), 1, 2, "a", "prefix x" },
	{ __LINE__, SYNTAX_XML, B("<a>\x01</a>"), 1, 1, "a", NULL },
	{ __LINE__, SYNTAX_XML, B("<a>\xef\xbf\xbe</a>"), 1, 1, "a", NULL },
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    "\n<a/>"), 1, 1, "", "encoding ISO-8859-1" },
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
	    "\n<a/>"), 1, 1, "", NULL },
	/* Every DOCTYPE, first of all the entity bombs and external
	 * entities: refused before any entity is declared. */
	{ __LINE__, SYNTAX_XML, B("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "]>\n<lolz>&lol3;</lolz>\n"), 1, 2, "", "DOCTYPE" },
	{ __LINE__, SYNTAX_XML, B("<!DOCTYPE a [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]><a>&x;</a>"), 1, 1, "", "DOCTYPE" },
	{ __LINE__, SYNTAX_XML, B("<!DOCTYPE a SYSTEM \"http://127.0.0.1:9/x.dtd"
	    "\"><a/>"), 1, 1, "", "DOCTYPE" },
	{ __LINE__, SYNTAX_XML, B("<!DOCTYPE a PUBLIC \"-//x//y\" \"y.dtd\">"
	    "<a/>"), 1, 1, "", "DOCTYPE" },
	{ __LINE__, SYNTAX_XML, B("<!DOCTYPE a><a/>"), 1, 1, "", "DOCTYPE" },
	{ __LINE__, SYNTAX_XML, B("<a>\n<b>x\0y</b></a>"), 1, 2, "", "NUL" },
	{ __LINE__, SYNTAX_XML, B("<a>\n\n<b>\xff</b></a>"), 1, 3, "", "UTF-8" },
	{ __LINE__, SYNTAX_XML, B("<a>\xc0\xaf</a>"), 1, 1, "", "UTF-8" },
	{ __LINE__, SYNTAX_XML, B("<a>\xed\xa0\x80</a>"), 1, 1, "", "UTF-8" },
	{ __LINE__, SYNTAX_XML, B("\xff\xfe<\0a\0/\0>\0"), 1, 1, "", NULL },

	/* ---- Yealink ---- */
	{ __LINE__, SYNTAX_YEALINK, B(YL), OK },
	{ __LINE__, SYNTAX_YEALINK, B("#!version:1.0.0.1"), OK },
	{ __LINE__, SYNTAX_YEALINK, B(YL
	    "account.1.enable = 1\n"
	    "account.1.user_name = 2001\n"
	    "account.1.sip_server.1.address = pbx.example.net\n"
	    "local_time.time_zone = +1\n"
	    "static.firmware.url = https://prov.example.net/fw/T46-28.81.0.110"
	    ".rom\n"), OK },
	{ __LINE__, SYNTAX_YEALINK, B(YL
	    "\n"
	    "##File header can not be edited##\n"
	    "#!version:1.0.0.1\n"
	    "   \n"
	    "static.network.ipv6_prefix=64\n"
	    "static.openvpn.url =\n"
	    "static.auto_provision.weekly.enable =  1\n"
	    "account.1.label = %NULL%\n"
	    "account.1.display_name = Caff\xc3\xa8 # = not a comment\n"
	    "static.network.802_1x.mode = 0\n"
	    "phone-setting.x_y = a=b\n"
	    "account.1.enable = 0\n"
	    "account.1.enable = 1\n"), OK },
	{ __LINE__, SYNTAX_YEALINK, B(YL
	    "include:config http://prov.example.net/y000000000066.cfg\n"
	    "include:config  001565aabbcc.cfg\n"
	    "include:config \"http://10.0.0.1/HTTP Directory/a.cfg\"\n"
	    "overwrite_mode = 1\n"), OK },
	{ __LINE__, SYNTAX_YEALINK, B(""), 1, 1, "", "#!version:1.0.0.1" },
	{ __LINE__, SYNTAX_YEALINK, B("account.1.enable = 1\n"), 1, 1, "",
	    "first line" },
	{ __LINE__, SYNTAX_YEALINK, B("\n" YL), 1, 1, "", "first line" },
	{ __LINE__, SYNTAX_YEALINK, B("#!version:1.0.0.2\n"), 1, 1, "", NULL },
	{ __LINE__, SYNTAX_YEALINK, B("#!version:1.0.0.1 \n"), 1, 1, "", NULL },
	{ __LINE__, SYNTAX_YEALINK, B("\xef\xbb\xbf" YL), 1, 1, "", NULL },
	{ __LINE__, SYNTAX_YEALINK, B("#!version:1.0.0.1\r\na = 1\r\n"), 1, 1, "",
	    "carriage return" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "a = 1\r\n"), 1, 2, "a",
	    "carriage return" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "a = 1\nb = 2\rc = 3\n"), 1, 3, "b",
	    "carriage return" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "# note\r\n"), 1, 2, "",
	    "carriage return" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "account.1.label = a\tb\n"), 1, 2,
	    "account.1.label", "tab" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "account.1.label = a\x1b[2Jb\n"), 1, 2,
	    "account.1.label", "0x1b" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "account.1.label = a\x7f\n"), 1, 2,
	    "account.1.label", "0x7f" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "a = 1\nb = 2\naccount.1.label = x\0y\n"),
	    1, 4, "", "NUL" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "a = \xe9t\xe9\n"), 1, 2, "", "UTF-8" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "a = 1\naccount.1.enable 1\n"), 1, 3,
	    "account.1.enable", "'='" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "account.1.enable\n"), 1, 2,
	    "account.1.enable", "'='" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "account.1.enable: 1\n"), 1, 2,
	    "account.1.enable", "'='" },
	{ __LINE__, SYNTAX_YEALINK, B(YL " account.1.enable = 1\n"), 1, 2, "",
	    "key = value" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "= 1\n"), 1, 2, "", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "[ account ]\n"), 1, 2, "[", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "\xd0\xba\xd0\xbb = 1\n"), 1, 2,
	    "????", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config\n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config   \n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:configx.cfg\n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config a b.cfg\n"), 1, 2,
	    "include:config", "quotes" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config \"a b.cfg\n"), 1, 2,
	    "include:config", "quotes" },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config \"\"\n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config \"a\"b\"\n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config x.cfg\"\n"), 1, 2,
	    "include:config", NULL },
	{ __LINE__, SYNTAX_YEALINK, B(YL "include:config\tx.cfg\n"), 1, 2,
	    "include", "tab" },

	/* ---- Fanvil (text syntax B) ---- */
	{ __LINE__, SYNTAX_FANVIL, B(FV
	    "<SIP CONFIG MODULE>\n"
	    "SIP1 Phone Number       :2001\n"
	    "SIP1 Register Addr      :pbx.example.net\n"
	    "<AUTOUPDATE CONFIG MODULE>\n"
	    "Auto Image Url     :https://prov.example.net/fw/x4.z\n"), OK },
	{ __LINE__, SYNTAX_FANVIL, B(
	    "<<VOIP CONFIG FILE>>Version:2.0000000000                      \n"
	    "\n"
	    "<NET CONFIG MODULE>\n"
	    "WAN IP             :\n"
	    "DHCP Option 100-101:1\n"
	    "--WIFI Config--    :\n"
	    "<MM CONFIG MODULE>\n"
	    "Dial Tone          :425/200,0/200,425/600,0/1000\n"
	    "Line Display Format:$name@$protocol$instance\n"
	    "<SIP Hotspot MODULE>\n"
	    "Own Name           :SIP Hotspot\n"
	    "<UI_MAINTAIN CONFIG MODULE 2>\n"
	    "LCD Title          :Caff\xc3\xa8 #1 <ok>\n"
	    "Record Start       :Record:on\n"
	    "  \n"
	    "<<END OF FILE>>\n"
	    "\n"), OK },
	{ __LINE__, SYNTAX_FANVIL, B("<<VOIP CONFIG FILE>>Version:"), OK },
	{ __LINE__, SYNTAX_FANVIL, B(""), 1, 1, "", "<<VOIP CONFIG FILE>>" },
	{ __LINE__, SYNTAX_FANVIL, B("<SIP CONFIG MODULE>\n"), 1, 1, "",
	    "first line" },
	{ __LINE__, SYNTAX_FANVIL, B("<<voip config file>>Version:2.0\n"), 1, 1,
	    "", NULL },
	{ __LINE__, SYNTAX_FANVIL, B("<<VOIP CONFIG FILE>>Version:2.0\r\n"), 1, 1,
	    "", "carriage return" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<SIP CONFIG MODULE>\r\n"), 1, 2,
	    "<SIP", "carriage return" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "# a comment\n"), 1, 2, "", "comment" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "#SIP1 Phone Number :2001\n"), 1, 2, "",
	    "comment" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<SIP CONFIG MODULE>\nSIP1 Phone Number "
	    "2001\n"), 1, 3, "SIP1", "':'" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "SIP1 Phone Number = 2001\n"), 1, 2,
	    "SIP1", "':'" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<SIP CONFIG MODULE\n"), 1, 2,
	    "<SIP CONFIG MODULE", "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<SIP CONFIG MODULE> x\n"), 1, 2,
	    "<SIP CONFIG MODULE> x", "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<SIP-CONFIG>\n"), 1, 2, "<SIP-CONFIG>",
	    "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<>\n"), 1, 2, "<>", "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<<SIP>>\n"), 1, 2, "<<SIP>>",
	    "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<name>:value\n"), 1, 2, "<name>:value",
	    "section" },
	{ __LINE__, SYNTAX_FANVIL, B(FV ":2001\n"), 1, 2, "", "name" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "    :2001\n"), 1, 2, "", "name" },
	{ __LINE__, SYNTAX_FANVIL, B(FV " SIP1 Phone Number :2001\n"), 1, 2,
	    " SIP1 Phone Number", "space" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "N\xc3\xa4me :x\n"), 1, 2, "N??me",
	    "ASCII" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "SIP1 Display Name :a\tb\n"), 1, 2,
	    "SIP1 Display Name", "tab" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "SIP1 Display Name :a\x01\n"), 1, 2,
	    "SIP1 Display Name", "0x01" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "SIP1 Display Name :a\0\n"), 1, 2, "",
	    "NUL" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "SIP1 Display Name :\xc3\n"), 1, 2, "",
	    "UTF-8" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<<END OF FILE>>\nPNP Enable :0\n"), 1, 3,
	    "PNP", "END OF FILE" },
	{ __LINE__, SYNTAX_FANVIL, B(FV "<<END OF FILE>>\n<<END OF FILE>>\n"), 1,
	    3, "<<END", NULL },

	/* ---- Aastra: "key: value" (Aastra 6700i/6800i/9000i Administrator
	 * Guide, configuration files; ! locks, ^ resets) ---- */
	{ __LINE__, SYNTAX_AASTRA, B(""), OK },
	{ __LINE__, SYNTAX_AASTRA, B("# c\n\nsip line1 auth name: 2001\n"), OK },
	{ __LINE__, SYNTAX_AASTRA, B("!admin password: 22222\n^sip proxy ip: "
	    "pbx.company.com\n"), OK },
	{ __LINE__, SYNTAX_AASTRA, B("upgrade uri: http://h:80/p\nempty:\n"), OK },
	{ __LINE__, SYNTAX_AASTRA, B("topsoftkey3 label: Caff\xc3\xa8 & <x>\n"),
	    OK },
	{ __LINE__, SYNTAX_AASTRA, B("sip line1 user name 2001\n"), 1, 1,
	    "sip line1 user name 2001", "no ':'" },
	{ __LINE__, SYNTAX_AASTRA, B("a: 1\n: no key\n"), 1, 2, "",
	    "not a 'key: value'" },
	{ __LINE__, SYNTAX_AASTRA, B("sip  line1: x\n"), 1, 1, "sip", "no ':'" },
	{ __LINE__, SYNTAX_AASTRA, B("key : x\n"), 1, 1, "key", "no ':'" },
	{ __LINE__, SYNTAX_AASTRA, B("a: b\r\n"), 1, 1, "a",
	    "carriage return" },
	{ __LINE__, SYNTAX_AASTRA, B("a: b\tc\n"), 1, 1, "a", "tab" },

	/* ---- text ---- */
	{ __LINE__, SYNTAX_TEXT, B(""), OK },
	{ __LINE__, SYNTAX_TEXT, B("hello\n"), OK },
	{ __LINE__, SYNTAX_TEXT, B("a\tb\n\nno final newline"), OK },
	{ __LINE__, SYNTAX_TEXT, B("Caff\xc3\xa8 \xf0\x9f\x93\x9e\n"), OK },
	{ __LINE__, SYNTAX_TEXT, B("a\r\nb\r\n"), 1, 1, "", "carriage return" },
	{ __LINE__, SYNTAX_TEXT, B("a\nb\x01\n"), 1, 2, "", "0x01" },
	{ __LINE__, SYNTAX_TEXT, B("a\nb\nc\x7f"), 1, 3, "", "0x7f" },
	{ __LINE__, SYNTAX_TEXT, B("a\x0c"), 1, 1, "", "0x0c" },
	{ __LINE__, SYNTAX_TEXT, B("a\n\0"), 1, 2, "", "NUL" },
	{ __LINE__, SYNTAX_TEXT, B("\xed\xa0\x80"), 1, 1, "", "UTF-8" },
	{ __LINE__, SYNTAX_TEXT, B("\xc0\x80"), 1, 1, "", "UTF-8" },
	{ __LINE__, SYNTAX_TEXT, B("\xf4\x90\x80\x80"), 1, 1, "", "UTF-8" },
	{ __LINE__, SYNTAX_TEXT, B("ok\n\xe2\x82"), 1, 2, "", "UTF-8" },
};

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

START_TEST(test_rows)
{
	struct diag e;
	int line = rows[_i].line;
	int got = filecheck(rows[_i].syntax, rows[_i].buf, rows[_i].len, &e);

	ck_assert_msg(got == (rows[_i].bad ? -1 : 0), "line %d: gave %d "
	    "(line %u key '%s': %s)", line, got, e.line, e.key, e.msg);
	ck_assert_msg(printable(e.key) && printable(e.msg),
	    "line %d: unprintable error text", line);
	if (!rows[_i].bad) {
		ck_assert_msg(e.line == 0 && e.key[0] == '\0' &&
		    e.msg[0] == '\0', "line %d: error left set", line);
		return;
	}
	ck_assert_msg(e.msg[0] != '\0', "line %d: no message", line);
	ck_assert_msg(e.line == rows[_i].err_line, "line %d: error on line "
	    "%u, want %u (%s)", line, e.line, rows[_i].err_line, e.msg);
	ck_assert_msg(strcmp(e.key, rows[_i].key) == 0, "line %d: key '%s', "
	    "want '%s' (%s)", line, e.key, rows[_i].key, e.msg);
	if (rows[_i].msg != NULL)
		ck_assert_msg(strstr(e.msg, rows[_i].msg) != NULL,
		    "line %d: message '%s' lacks '%s'", line, e.msg,
		    rows[_i].msg);
	/* The error record is optional. */
	ck_assert_int_eq(filecheck(rows[_i].syntax, rows[_i].buf,
	    rows[_i].len, NULL), -1);
}
END_TEST

/* Whatever the syntax: a NUL or a bad UTF-8 sequence right after a valid
 * start is refused, on its line. */
START_TEST(test_all_syntaxes)
{
	static const char *const starts[] = {
		[SYNTAX_XML] = "<a>\n", [SYNTAX_YEALINK] = YL,
		[SYNTAX_FANVIL] = FV, [SYNTAX_TEXT] = "text\n",
	};
	struct diag e;
	char buf[128];
	size_t n = strlen(starts[_i]);

	memcpy(buf, starts[_i], n);
	memcpy(buf + n, "a\0b\n", 4);
	ck_assert_int_eq(filecheck((enum file_syntax)_i, buf, n + 4, &e), -1);
	ck_assert_uint_eq(e.line, 2);
	ck_assert_ptr_nonnull(strstr(e.msg, "NUL"));
	memcpy(buf + n, "a\x80z\n", 4);
	ck_assert_int_eq(filecheck((enum file_syntax)_i, buf, n + 4, &e), -1);
	ck_assert_uint_eq(e.line, 2);
	ck_assert_ptr_nonnull(strstr(e.msg, "UTF-8"));
}
END_TEST

/* FILECHECK_MAX bytes are checked, one more is refused before any
 * parsing, for every syntax. */
START_TEST(test_size_cap)
{
	struct diag e;
	char *buf = malloc(FILECHECK_MAX + 1);

	ck_assert_ptr_nonnull(buf);
	memset(buf, 'a', FILECHECK_MAX + 1);
	ck_assert_int_eq(filecheck(SYNTAX_TEXT, buf, FILECHECK_MAX, &e), 0);
	for (int s = SYNTAX_XML; s <= SYNTAX_TEXT; s++) {
		ck_assert_int_eq(filecheck((enum file_syntax)s, buf,
		    FILECHECK_MAX + 1, &e), -1);
		ck_assert_uint_eq(e.line, 0);
		ck_assert_ptr_nonnull(strstr(e.msg, "bytes"));
	}
	free(buf);
}
END_TEST

/* Overlong inputs the parsers must survive: a 4 MiB value, elements
 * nested far deeper than libxml2 allows, a very long key. */
START_TEST(test_overlong)
{
	struct diag e;
	size_t n = FILECHECK_MAX - 64, i;
	char *buf = malloc(FILECHECK_MAX);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, YL "a = ", strlen(YL "a = "));
	memset(buf + strlen(YL "a = "), 'x', n - strlen(YL "a = "));
	ck_assert_int_eq(filecheck(SYNTAX_YEALINK, buf, n, &e), 0);
	memset(buf + strlen(YL), 'k', n - strlen(YL));
	ck_assert_int_eq(filecheck(SYNTAX_YEALINK, buf, n, &e), -1);
	ck_assert_uint_eq(e.line, 2);
	ck_assert_uint_eq(strlen(e.key), sizeof(e.key) - 1);

	for (i = 0; i + 3 <= n; i += 3)
		memcpy(buf + i, "<a>", 3);
	ck_assert_int_eq(filecheck(SYNTAX_XML, buf, i, &e), -1);
	ck_assert_str_eq(e.key, "a");

	memcpy(buf, "<a>", 3);
	memset(buf + 3, 'x', n - 7);
	memcpy(buf + n - 4, "</a>", 4);
	ck_assert_int_eq(filecheck(SYNTAX_XML, buf, n, &e), 0);
	free(buf);
}
END_TEST

static int global_errors;

static void
count_error(void *ctx, XMLERROR *err)
{
	(void)ctx; (void)err;
	global_errors++;
}

/* libxml2 errors are caught per call: nothing reaches stderr, and the
 * caller's own structured handler is back in place, never called. */
START_TEST(test_xml_quiet)
{
	static const char *const bad[] = {
		"<a><b></a>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
		"<a>&undefined;</a>", "<?xml version=\"1.0\" encoding=\"KOI8-R\"?>"
		"<a/>", "<x:a/>", "",
	};
	struct diag e;
	char path[] = "/tmp/deskprov-check-XXXXXX";
	int fd = mkstemp(path), saved, refused = 0, kept;

	ck_assert_int_ge(fd, 0);
	fflush(stderr);
	saved = dup(2);
	ck_assert_int_eq(dup2(fd, 2), 2);
	/* Nothing may fail between here and the restore: the suite may run
	 * without fork, and its own stderr must come back. */
	xmlSetStructuredErrorFunc(NULL, count_error);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused += filecheck(SYNTAX_XML, bad[i], strlen(bad[i]),
		    &e) == -1;
	kept = xmlStructuredError == count_error;
	xmlSetStructuredErrorFunc(NULL, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(refused, (int)(sizeof(bad) / sizeof(bad[0])));
	ck_assert_msg(kept, "the caller's error handler was not put back");
	ck_assert_int_eq(global_errors, 0);
	ck_assert_int_eq((int)lseek(fd, 0, SEEK_END), 0);
	close(fd);
	unlink(path);
}
END_TEST

static const struct {
	int			 line;
	const char		*name;
	int			 ok;
	enum file_syntax	 syntax;
} names[] = {
	{ __LINE__, "xml", 1, SYNTAX_XML },
	{ __LINE__, "yealink", 1, SYNTAX_YEALINK },
	{ __LINE__, "fanvil", 1, SYNTAX_FANVIL },
	{ __LINE__, "text", 1, SYNTAX_TEXT },
	{ __LINE__, "XML", 0, SYNTAX_XML },
	{ __LINE__, "Yealink", 0, SYNTAX_XML },
	{ __LINE__, "xml ", 0, SYNTAX_XML },
	{ __LINE__, "", 0, SYNTAX_XML },
	{ __LINE__, "cisco", 0, SYNTAX_XML },
	{ __LINE__, "unknown", 0, SYNTAX_XML },
	{ __LINE__, NULL, 0, SYNTAX_XML },
};

START_TEST(test_syntax_names)
{
	enum file_syntax got = (enum file_syntax)99;
	int rc = file_syntax_parse(names[_i].name, &got);

	if (!names[_i].ok) {
		ck_assert_msg(rc == -1 && got == (enum file_syntax)99,
		    "line %d: accepted", names[_i].line);
		return;
	}
	ck_assert_msg(rc == 0 && got == names[_i].syntax, "line %d: refused",
	    names[_i].line);
	ck_assert_str_eq(file_syntax_name(got), names[_i].name);
}
END_TEST

/* B8: a rendered XML file with more attributes on one element than
 * FILECHECK_ATTRS_MAX is refused before libxml2 compares them pairwise;
 * a Polycom-sized element (every raw parameter an attribute) passes. */
START_TEST(test_attribute_bomb)
{
	static const size_t counts[] = { FILECHECK_ATTRS_MAX, 100000 };
	struct diag e;
	struct buf b;

	for (size_t k = 0; k < 2; k++) {
		buf_init(&b);
		buf_adds(&b, "<polycomConfig>\n<params");
		for (size_t i = 0; i < counts[k]; i++)
			buf_printf(&b, " p.%zx=\"1\"", i);
		buf_adds(&b, "/></polycomConfig>\n");
		ck_assert_int_eq(filecheck(SYNTAX_XML, b.data, b.len, &e),
		    k == 0 ? 0 : -1);
		if (k == 1) {
			ck_assert_uint_eq(e.line, 2);
			ck_assert_ptr_nonnull(strstr(e.msg, "more than 8192 "
			    "attributes"));
		}
		buf_free(&b);
	}
}
END_TEST

START_TEST(test_syntax_unknown)
{
	struct diag e;

	ck_assert_str_eq(file_syntax_name((enum file_syntax)99), "unknown");
	ck_assert_int_eq(filecheck((enum file_syntax)99, "x", 1, &e), -1);
	ck_assert_int_eq(filecheck(SYNTAX_TEXT, NULL, 0, &e), 0);
	ck_assert_int_eq(filecheck(SYNTAX_TEXT, NULL, 1, &e), -1);
}
END_TEST

Suite *filecheck_suite(void);

Suite *
filecheck_suite(void)
{
	Suite *s = suite_create("filecheck");
	TCase *tc = tcase_create("files");

	tcase_add_loop_test(tc, test_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_loop_test(tc, test_all_syntaxes, SYNTAX_XML, SYNTAX_TEXT + 1);
	tcase_add_test(tc, test_size_cap);
	tcase_add_test(tc, test_overlong);
	tcase_add_test(tc, test_xml_quiet);
	tcase_add_test(tc, test_attribute_bomb);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_syntax_names, 0,
	    (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_test(tc, test_syntax_unknown);
	suite_add_tcase(s, tc);
	return s;
}
