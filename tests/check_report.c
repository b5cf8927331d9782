/* Report bodies: every shape phones send, deltas and status reports, and
 * hostile XML that must end as a clean error with nothing parsed. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libxml/globals.h>
#include <libxml/parser.h>

#include "buf.h"
#include "report.h"
#include "testutil.h"
#include "text.h"

#define X(s)	s, sizeof(s) - 1

static const struct {
	int			 line;
	const char		*body;
	size_t			 len;
	enum report_kind	 hint;
	enum report_error	 want;
	enum report_kind	 kind;
	size_t			 n;
	const char		*name;	/* when set: its expected value */
	const char		*value;
} shapes[] = {
	{ __LINE__, X("<flat-profile><Station_Name ua=\"na\">phone-01"
	    "</Station_Name><User_ID_1_>1001</User_ID_1_></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 2, "User_ID_1_", "1001" },
	{ __LINE__, X("<env><flat-profile>\n  <A>1</A>\n</flat-profile></env>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1, "A", "1" },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<device>"
	    "<flat-profile><A>1</A><B/></flat-profile></device>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 2, "B", "" },
	{ __LINE__, X("<flat-profile><Time_Zone>GMT+02:00</Time_Zone>"
	    "</flat-profile>"), REPORT_DELTA, REPORT_OK, REPORT_DELTA, 1,
	    "Time_Zone", "GMT+02:00" },
	{ __LINE__, X("<status><Product_Name>CP-6841-3PCC</Product_Name>"
	    "</status>"), REPORT_CONFIG, REPORT_OK, REPORT_STATUS, 1,
	    "Product_Name", "CP-6841-3PCC" },
	{ __LINE__, X("<env><status><Uptime>42</Uptime></status></env>"),
	    REPORT_DELTA, REPORT_OK, REPORT_STATUS, 1, "Uptime", "42" },
	{ __LINE__, X("<flat-profile><A>1</A></flat-profile>"), REPORT_STATUS,
	    REPORT_OK, REPORT_STATUS, 1, "A", "1" },
	/* Whitespace inside a value is the phone's: kept. */
	{ __LINE__, X("<flat-profile><S> phone-01 </S></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1, "S", " phone-01 " },
	{ __LINE__, X("<flat-profile><A>val &amp; &lt;x&gt; \"q\" &#65;&#x20AC;"
	    "</A></flat-profile>"), REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1,
	    "A", "val & <x> \"q\" A\xe2\x82\xac" },
	{ __LINE__, X("<flat-profile><A><![CDATA[a<b]]>c</A></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1, "A", "a<bc" },
	/* Duplicates: the last value wins, the first position stays. */
	{ __LINE__, X("<flat-profile><A>1</A><B>2</B><A>3</A></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 2, "A", "3" },
	{ __LINE__, X("\xef\xbb\xbf<flat-profile><A>1</A></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1, "A", "1" },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"us-ascii\"?>"
	    "<flat-profile><!-- c --><?pi x?><A>1</A></flat-profile>"),
	    REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1, "A", "1" },
	{ __LINE__, X("<flat-profile/>"), REPORT_DELTA, REPORT_OK,
	    REPORT_DELTA, 0, NULL, NULL },
	{ __LINE__, X("<flat-profile><ACD_Logged-off_LED/><CWMP_V1.2_Support>"
	    "Yes</CWMP_V1.2_Support></flat-profile>"), REPORT_CONFIG,
	    REPORT_OK, REPORT_CONFIG, 2, "CWMP_V1.2_Support", "Yes" },
	{ __LINE__, X("<flat-profile><A>caf\xc3\xa9 \xe2\x98\x8e</A>"
	    "</flat-profile>"), REPORT_CONFIG, REPORT_OK, REPORT_CONFIG, 1,
	    "A", "caf\xc3\xa9 \xe2\x98\x8e" },
};

START_TEST(test_shapes)
{
	struct report r;
	char msg[REPORT_MSG_MAX];
	enum report_error e;

	e = report_parse(shapes[_i].body, shapes[_i].len, shapes[_i].hint,
	    NULL, &r, msg);
	ck_assert_msg(e == shapes[_i].want, "line %d: error %d (%s)",
	    shapes[_i].line, e, msg);
	ck_assert_msg(r.kind == shapes[_i].kind, "line %d: kind %s",
	    shapes[_i].line, report_kind_name(r.kind));
	ck_assert_msg(r.n == shapes[_i].n, "line %d: %zu parameters",
	    shapes[_i].line, r.n);
	if (shapes[_i].name != NULL) {
		const struct report_param *p = report_get(&r, shapes[_i].name);

		ck_assert_msg(p != NULL, "line %d: no %s", shapes[_i].line,
		    shapes[_i].name);
		ck_assert_msg(strcmp(p->value, shapes[_i].value) == 0 &&
		    p->value_len == strlen(shapes[_i].value),
		    "line %d: %s = [%s]", shapes[_i].line, p->name, p->value);
	}
	report_free(&r);
}
END_TEST

START_TEST(test_duplicate_keeps_position)
{
	struct report r;

	ck_assert_int_eq(report_parse(X("<flat-profile><A>1</A><B>2</B><A>3"
	    "</A></flat-profile>"), REPORT_CONFIG, NULL, &r, NULL), REPORT_OK);
	ck_assert_str_eq(r.params[0].name, "A");
	ck_assert_str_eq(r.params[0].value, "3");
	ck_assert_str_eq(r.params[1].name, "B");
	report_free(&r);
}
END_TEST

/* Bodies that must be refused with nothing parsed. */
static const struct {
	int			 line;
	const char		*body;
	size_t			 len;
	enum report_error	 want;
} bad[] = {
	{ __LINE__, "", 0, REPORT_E_EMPTY },
	{ __LINE__, X("  \n  "), REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>1</A>"), REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>1</A></flat-prof"), REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>1</B></flat-profile>"),
	    REPORT_E_NOT_XML },
	{ __LINE__, X("Station_Name=phone-01"), REPORT_E_NOT_XML },
	{ __LINE__, X("{\"Station_Name\": \"x\"}"), REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>1</A></flat-profile><B/>"),
	    REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>&nbsp;</A></flat-profile>"),
	    REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>&#1;</A></flat-profile>"),
	    REPORT_E_NOT_XML },
	{ __LINE__, X("<flat-profile><A>\x01</A></flat-profile>"),
	    REPORT_E_NOT_XML },
	{ __LINE__, X("<html><body/></html>"), REPORT_E_SHAPE },
	{ __LINE__, X("<env></env>"), REPORT_E_SHAPE },
	{ __LINE__, X("<env><flat-profile/><flat-profile/></env>"),
	    REPORT_E_SHAPE },
	{ __LINE__, X("<env><flat-profile/><other/></env>"), REPORT_E_SHAPE },
	{ __LINE__, X("<env><env><flat-profile/></env></env>"),
	    REPORT_E_SHAPE },
	{ __LINE__, X("<flat-profile>text<A>1</A></flat-profile>"),
	    REPORT_E_SHAPE },
	{ __LINE__, X("<flat-profile><A><B>1</B></A></flat-profile>"),
	    REPORT_E_SHAPE },
	{ __LINE__, X("<env><flat-profile><A><B>1</B></A></flat-profile>"
	    "</env>"), REPORT_E_TOO_DEEP },
	{ __LINE__, X("<flat-profile xmlns:x=\"urn:x\"><x:A>1</x:A>"
	    "</flat-profile>"), REPORT_E_NAME },
	{ __LINE__, X("<flat-profile><A\xc3\xa9>1</A\xc3\xa9></flat-profile>"),
	    REPORT_E_NAME },
	{ __LINE__, X("<flat-profile xmlns:xi=\"http://www.w3.org/2001/"
	    "XInclude\"><A><xi:include href=\"file:///etc/passwd\" parse=\""
	    "text\"/></A></flat-profile>"), REPORT_E_NAME },
	{ __LINE__, X("<flat-profile><A a1=\"1\" a2=\"1\" a3=\"1\" a4=\"1\" "
	    "a5=\"1\" a6=\"1\" a7=\"1\" a8=\"1\" a9=\"1\">1</A></flat-profile>"),
	    REPORT_E_VALUE },
	/* Wrappers and containers take no attributes (B8: they went
	 * unchecked); namespace declarations are not attributes. */
	{ __LINE__, X("<flat-profile a=\"1\"><A>1</A></flat-profile>"),
	    REPORT_E_SHAPE },
	{ __LINE__, X("<env ua=\"na\"><flat-profile/></env>"), REPORT_E_SHAPE },
	{ __LINE__, X("<device><status x=\"\"><A>1</A></status></device>"),
	    REPORT_E_SHAPE },
	/* Encodings: only UTF-8 is stored, nothing is transcoded. */
	{ __LINE__, X("<flat-profile><A>caf\xe9</A></flat-profile>"),
	    REPORT_E_ENCODING },
	{ __LINE__, X("<flat-profile><A>\xc3\x28</A></flat-profile>"),
	    REPORT_E_ENCODING },
	{ __LINE__, X("<flat-profile><A>\xed\xa0\x80</A></flat-profile>"),
	    REPORT_E_ENCODING },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    "<flat-profile><A>x</A></flat-profile>"), REPORT_E_ENCODING },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
	    "<flat-profile><A>x</A></flat-profile>"), REPORT_E_NOT_XML },
	{ __LINE__, X("\xff\xfe<\0f\0l\0a\0t\0-\0p\0r\0o\0f\0i\0l\0e\0/\0>\0"),
	    REPORT_E_ENCODING },
	{ __LINE__, X("<flat-profile><A>1\0</A></flat-profile>"),
	    REPORT_E_ENCODING },
	/* No DOCTYPE at all: entities are never declared. */
	{ __LINE__, X("<!DOCTYPE flat-profile><flat-profile/>"),
	    REPORT_E_DOCTYPE },
	{ __LINE__, X("<?xml version=\"1.0\"?>\n<!DOCTYPE f [\n<!ENTITY x "
	    "SYSTEM \"file:///etc/passwd\">\n]>\n<flat-profile><A>&x;</A>"
	    "</flat-profile>"), REPORT_E_DOCTYPE },
	{ __LINE__, X("<!DOCTYPE f [<!ENTITY % p SYSTEM \"file:///etc/passwd\">"
	    "%p;]><flat-profile><A>1</A></flat-profile>"), REPORT_E_DOCTYPE },
	{ __LINE__, X("<!DOCTYPE f SYSTEM \"http://127.0.0.1:9/x.dtd\">"
	    "<flat-profile><A>1</A></flat-profile>"), REPORT_E_DOCTYPE },
	{ __LINE__, X("<!DOCTYPE f [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;"
	    "&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;"
	    "&b;&b;&b;\">]><flat-profile><A>&c;</A></flat-profile>"),
	    REPORT_E_DOCTYPE },
	{ __LINE__, X("<flat-profile><A>&x;</A></flat-profile>"),
	    REPORT_E_NOT_XML },
};

START_TEST(test_bad)
{
	struct report r;
	char msg[REPORT_MSG_MAX];
	enum report_error e;

	e = report_parse(bad[_i].body, bad[_i].len, REPORT_CONFIG, NULL, &r,
	    msg);
	ck_assert_msg(e == bad[_i].want, "line %d: error %d (%s)",
	    bad[_i].line, e, msg);
	ck_assert_msg(r.n == 0, "line %d: parameters kept", bad[_i].line);
	ck_assert_msg(msg[0] != '\0', "line %d: no message", bad[_i].line);
	ck_assert_msg(strstr(msg, "root:") == NULL, "line %d", bad[_i].line);
	ck_assert_int_eq(report_error_status(e), 400);
	for (const char *p = msg; *p; p++)
		ck_assert_msg(*p >= 0x20 && *p < 0x7f, "line %d: byte in "
		    "message", bad[_i].line);
	report_free(&r);
}
END_TEST

/* A body made of `n` copies of a piece between head and tail. */
static char *
repeat(const char *head, const char *piece, size_t n, const char *tail,
    size_t *len)
{
	size_t hl = strlen(head), pl = strlen(piece), tl = strlen(tail);
	char *s = malloc(hl + pl * n + tl + 1), *p = s;

	ck_assert_ptr_nonnull(s);
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += pl)
		memcpy(p, piece, pl);
	memcpy(p, tail, tl + 1);
	*len = hl + pl * n + tl;
	return s;
}

static enum report_error
parse_repeat(const char *head, const char *piece, size_t n, const char *tail,
    const struct report_limits *lim)
{
	struct report r;
	enum report_error e;
	size_t len;
	char *body = repeat(head, piece, n, tail, &len);

	e = report_parse(body, len, REPORT_CONFIG, lim, &r, NULL);
	ck_assert_uint_eq(r.n, 0);
	report_free(&r);
	free(body);
	return e;
}

START_TEST(test_caps)
{
	struct report_limits lim;

	report_limits_default(&lim);
	/* 100,000 nested elements: refused at the fourth. */
	ck_assert_int_eq(parse_repeat("<env><flat-profile><A>", "<b>", 100000,
	    "", &lim), REPORT_E_TOO_DEEP);
	ck_assert_int_eq(parse_repeat("", "<a>", 100000, "", &lim),
	    REPORT_E_SHAPE);
	/* An attribute of 900 kB. */
	ck_assert_int_eq(parse_repeat("<flat-profile><A ua=\"", "x", 900000,
	    "\">1</A></flat-profile>", &lim), REPORT_E_VALUE);
	/* A value of 8 kB + 1. */
	ck_assert_int_eq(parse_repeat("<flat-profile><A>", "v",
	    PARAM_VALUE_MAX + 1, "</A></flat-profile>", &lim), REPORT_E_VALUE);
	ck_assert_int_eq(parse_repeat("<flat-profile><A", "b",
	    PARAM_NAME_MAX, "/></flat-profile>", &lim), REPORT_E_NAME);
	/* More parameter elements than the cap, even under one name. */
	lim.max_params = 10;
	ck_assert_int_eq(parse_repeat("<flat-profile>", "<P/>", 11,
	    "</flat-profile>", &lim), REPORT_E_TOO_MANY);
	/* The body cap comes first, before any parsing. */
	report_limits_default(&lim);
	lim.max_body = 1000;
	ck_assert_int_eq(parse_repeat("<flat-profile>", " ", 1000,
	    "</flat-profile>", &lim), REPORT_E_TOO_LARGE);
	ck_assert_int_eq(report_error_status(REPORT_E_TOO_LARGE), 413);
}
END_TEST

/* B8: 100,000 attributes on one element, a parameter or the container,
 * are refused as a 400 (libxml2 never compares them pairwise: about 4 s
 * of CPU before). */
START_TEST(test_attribute_bomb)
{
	static const char *const heads[] = { "<flat-profile><A", "<env>\n"
	    "<flat-profile" };
	static const char *const tails[] = { ">1</A></flat-profile>",
	    "><A>1</A></flat-profile></env>" };
	char msg[REPORT_MSG_MAX];
	struct report_limits lim;
	struct report r;
	enum report_error e;
	struct buf b;

	report_limits_default(&lim);
	lim.max_body = REPORT_BODY_MAX_LIMIT;
	for (int k = 0; k < 2; k++) {
		buf_init(&b);
		buf_adds(&b, heads[k]);
		for (unsigned i = 0; i < 100000; i++)
			buf_printf(&b, " a%x=\"\"", i);
		buf_adds(&b, tails[k]);
		e = report_parse(b.data, b.len, REPORT_CONFIG, &lim, &r, msg);
		ck_assert_msg(e == REPORT_E_VALUE, "%d: %s", k, msg);
		ck_assert_int_eq(report_error_status(e), 400);
		ck_assert_str_eq(msg, k == 0 ? "line 1: an element has more "
		    "than 8 attributes" : "line 2: an element has more than 8 "
		    "attributes");
		ck_assert_uint_eq(r.n, 0);
		report_free(&r);
		buf_free(&b);
	}
}
END_TEST

START_TEST(test_too_many)
{
	struct report_limits lim;
	struct report r;
	size_t len;
	char *body;

	report_limits_default(&lim);
	lim.max_params = 10;
	body = repeat("<flat-profile>", "<P/>", 10, "</flat-profile>", &len);
	/* Ten elements are allowed; under one name they are one parameter. */
	ck_assert_int_eq(report_parse(body, len, REPORT_CONFIG, &lim, &r, NULL),
	    REPORT_OK);
	ck_assert_uint_eq(r.n, 1);
	report_free(&r);
	free(body);
}
END_TEST

/* libxml2 must not print anything: errors go to our handler only. */
START_TEST(test_silent)
{
	char path[] = "/tmp/deskprov-check-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	struct report r;
	struct stat st;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		report_parse(bad[i].body, bad[i].len, REPORT_CONFIG, NULL, &r,
		    NULL);
		report_free(&r);
	}
	dup2(saved, 2);
	close(saved);
	ck_assert_int_eq(fstat(fd, &st), 0);
	close(fd);
	unlink(path);
	ck_assert_msg(st.st_size == 0, "%lld bytes on stderr",
	    (long long)st.st_size);
}
END_TEST

#if LIBXML_VERSION >= 21200
#define XMLERROR	const xmlError
#else
#define XMLERROR	xmlError
#endif

static void
dummy_error(void *ctx, XMLERROR *e)
{
	(void)ctx; (void)e;
}

/* The parse swaps libxml2's global handlers only while it runs. */
START_TEST(test_globals_restored)
{
	xmlExternalEntityLoader loader = xmlGetExternalEntityLoader();
	struct report r;
	int tag;

	xmlSetStructuredErrorFunc(&tag, dummy_error);
	report_parse(X("<flat-profile><A>1</A>"), REPORT_CONFIG, NULL, &r,
	    NULL);
	report_free(&r);
	ck_assert_ptr_eq(xmlStructuredErrorContext, &tag);
	ck_assert(xmlStructuredError == dummy_error);
	ck_assert(xmlGetExternalEntityLoader() == loader);
	xmlSetStructuredErrorFunc(NULL, NULL);
}
END_TEST

START_TEST(test_kind_names)
{
	static const struct {
		int			 line;
		const char		*s;
		int			 ok;
		enum report_kind	 kind;
	} t[] = {
		{ __LINE__, "config", 0, REPORT_CONFIG },
		{ __LINE__, "full", 0, REPORT_CONFIG },
		{ __LINE__, "delta", 0, REPORT_DELTA },
		{ __LINE__, "status", 0, REPORT_STATUS },
		{ __LINE__, "Delta", -1, REPORT_CONFIG },
		{ __LINE__, "delta ", -1, REPORT_CONFIG },
		{ __LINE__, "", -1, REPORT_CONFIG },
		{ __LINE__, "--delta", -1, REPORT_CONFIG },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		enum report_kind k = REPORT_CONFIG;
		int rc = report_kind_parse(t[i].s, strlen(t[i].s), &k);

		ck_assert_msg(rc == t[i].ok && k == t[i].kind, "line %d",
		    t[i].line);
	}
	ck_assert_str_eq(report_kind_name(REPORT_CONFIG), "config");
	ck_assert_str_eq(report_kind_name(REPORT_DELTA), "delta");
	ck_assert_str_eq(report_kind_name(REPORT_STATUS), "status");
}
END_TEST

START_TEST(test_merge)
{
	struct report base, delta;

	report_init(&base, REPORT_CONFIG);
	report_init(&delta, REPORT_DELTA);
	report_set(&base, X("A"), X("1"));
	report_set(&base, X("B"), X("1"));
	report_set(&delta, X("B"), X("2"));
	report_set(&delta, X("C"), X(""));
	report_merge(&base, &delta);
	ck_assert_uint_eq(base.n, 3);
	ck_assert_str_eq(report_get(&base, "A")->value, "1");
	ck_assert_str_eq(report_get(&base, "B")->value, "2");
	ck_assert_str_eq(report_get(&base, "C")->value, "");
	ck_assert_str_eq(base.params[2].name, "C");
	ck_assert_ptr_null(report_get(&base, "D"));
	report_free(&base);
	report_free(&delta);
}
END_TEST

/* ---- the peer's golden files ---- */

/* The peer's golden file `name` (caller frees), or NULL when the peer
 * data is not beside the checkout; a file missing from the peer data that
 * is there fails the test. */
static char *
golden(const char *name, size_t *len)
{
	char dir[512], path[1024];
	struct stat st;
	char *data;
	int fd;

	if (!tu_shared_dir(dir, sizeof(dir), "peer-data/cisco-mpp/golden"))
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	ck_assert_msg(fd >= 0, "%s: %s", path, strerror(errno));
	ck_assert_int_eq(fstat(fd, &st), 0);
	data = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(read(fd, data, (size_t)st.st_size), st.st_size);
	data[st.st_size] = '\0';
	close(fd);
	*len = (size_t)st.st_size;
	return data;
}

/* The reason golden() found nothing, for TU_SKIP. */
static const char *
golden_missing(void)
{
	static char why[512];

	tu_shared_dir(why, sizeof(why), "peer-data/cisco-mpp/golden");
	return why;
}

/* What the Flask service parsed from the <env> body (report_stored.json,
 * raw_xml aside) is exactly what we parse, in the same order. */
START_TEST(test_golden_env)
{
	size_t len, jlen, i = 0;
	char *body = golden("report_body_env_wrapped.xml", &len);
	char *json = golden("report_stored.json", &jlen);
	json_object *o, *data;
	struct report r;

	if (body == NULL || json == NULL) {
		free(body);
		free(json);
		TU_SKIP("the peer's golden report: %s", golden_missing());
	}
	ck_assert_int_eq(report_parse(body, len, REPORT_CONFIG, NULL, &r,
	    NULL), REPORT_OK);
	o = json_tokener_parse(json);
	ck_assert_ptr_nonnull(o);
	ck_assert(json_object_object_get_ex(o, "data", &data));
	json_object_object_foreach(data, k, v) {
		if (strcmp(k, "raw_xml") == 0)
			continue;
		ck_assert_msg(i < r.n, "fewer parameters than the peer");
		ck_assert_str_eq(r.params[i].name, k);
		ck_assert_str_eq(r.params[i].value, json_object_get_string(v));
		i++;
	}
	ck_assert_uint_eq(i, r.n);
	ck_assert_str_eq(report_get(&r, "Station_Name")->value, " phone-01 ");
	ck_assert_str_eq(report_get(&r, "New_Param_X")->value,
	    "val & <x> \"q\"");
	ck_assert_ptr_null(report_get(&r, "Host_Name"));
	json_object_put(o);
	report_free(&r);
	free(body);
	free(json);
}
END_TEST

/* The peer stored this one with no parameters; it has two. */
START_TEST(test_golden_bare)
{
	size_t len;
	char *body = golden("report_body_bare_flat_profile.xml", &len);
	struct report r;

	if (body == NULL)
		TU_SKIP("the peer's golden report: %s", golden_missing());
	ck_assert_int_eq(report_parse(body, len, REPORT_CONFIG, NULL, &r,
	    NULL), REPORT_OK);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(report_get(&r, "Station_Name")->value, "phone-01");
	ck_assert_str_eq(report_get(&r, "User_ID_1_")->value, "1001");
	report_free(&r);
	free(body);
}
END_TEST

Suite *report_suite(void);

Suite *
report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_shapes, 0,
	    (int)(sizeof(shapes) / sizeof(shapes[0])));
	tcase_add_loop_test(tc, test_bad, 0,
	    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_duplicate_keeps_position);
	tcase_add_test(tc, test_caps);
	tcase_add_test(tc, test_too_many);
	tcase_add_test(tc, test_attribute_bomb);
	tcase_add_test(tc, test_silent);
	tcase_add_test(tc, test_globals_restored);
	tcase_add_test(tc, test_kind_names);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_golden_env);
	tcase_add_test(tc, test_golden_bare);
	suite_add_tcase(s, tc);
	return s;
}
