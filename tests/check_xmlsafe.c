/* The hardened libxml2 parse: what it refuses (entities, DTDs, other
 * encodings, attribute bombs), what it hands to the handlers, where it
 * says a problem is, and that libxml2's globals are as they were after. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/globals.h>
#include <libxml/parser.h>

#include "buf.h"
#include "testutil.h"
#include "xmlsafe.h"

#define X(s)	s, sizeof(s) - 1
#define OK	0, 0, 0, NULL

/* What the handlers saw: elements as "<name n>" (n attributes), end tags
 * as "</>", text as is, and the problem. */
struct seen {
	struct buf		 log;
	int			 problems;
	struct xmlsafe_problem	 p;
	char			 msg[200];
	char			 open[64];	/* open element at the problem */
	const char		*stop_at;	/* xmlsafe_stop() at this element */
};

static void
seen_start(struct xmlsafe *x, const char *name, const char *prefix,
    int nb_attrs, const xmlChar **attrs)
{
	struct seen *s = xmlsafe_user(x);

	(void)prefix; (void)attrs;
	buf_printf(&s->log, "<%s %d>", name, nb_attrs);
	if (s->stop_at != NULL && strcmp(name, s->stop_at) == 0)
		xmlsafe_stop(x);
}

static void
seen_end(struct xmlsafe *x, const char *name)
{
	struct seen *s = xmlsafe_user(x);

	(void)name;
	buf_adds(&s->log, "</>");
}

static void
seen_text(struct xmlsafe *x, const char *t, size_t n)
{
	struct seen *s = xmlsafe_user(x);

	buf_add(&s->log, t, n);
}

static void
seen_problem(struct xmlsafe *x, const struct xmlsafe_problem *p)
{
	struct seen *s = xmlsafe_user(x);

	s->problems++;
	s->p = *p;
	snprintf(s->msg, sizeof(s->msg), "%s", p->msg);
	s->p.msg = s->msg;
	snprintf(s->open, sizeof(s->open), "%s", xmlsafe_open_element(x));
}

static const struct xmlsafe_sax handlers = {
	.start = seen_start,
	.end = seen_end,
	.text = seen_text,
	.problem = seen_problem,
};

static int
parse(struct seen *s, const char *doc, size_t len, size_t max_attrs,
    size_t max_total)
{
	const struct xmlsafe_opts opts = {
		.sax = &handlers,
		.user = s,
		.max_attrs = max_attrs,
		.max_attrs_total = max_total,
	};

	buf_init(&s->log);
	buf_addc(&s->log, '\0');
	buf_reset(&s->log);
	s->problems = 0;
	memset(&s->p, 0, sizeof(s->p));
	return xmlsafe_parse(&opts, doc, len);
}

static const struct {
	int			 line;
	const char		*doc;
	size_t			 len;
	size_t			 max_attrs;	/* 0: the default */
	int			 fails;
	enum xmlsafe_why	 why;
	unsigned		 at;		/* the problem's line */
	const char		*msg;		/* part of it, or NULL */
} rows[] = {
	{ __LINE__, X("<a x=\"1\">t<b/><![CDATA[<c>]]></a>"), 0, OK },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>"), 0, OK },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"us-ascii\"?><a/>"), 0,
	    OK },
	/* A UTF-8 byte order mark is read as one, not as text. */
	{ __LINE__, X("\xef\xbb\xbf<?xml version=\"1.0\"?>\n<a/>"), 0, OK },
	{ __LINE__, X("\xef\xbb\xbf<a/>"), 0, OK },
	/* Markup that looks like attributes is not counted. */
	{ __LINE__, X("<a x='1' y=\"2\"><!-- <b c=\"1\" d=\"2\"> --><?p e=\"1\" "
	    "f=\"2\"?><![CDATA[<g h=\"1\" i=\"2\">]]></a>"), 2, OK },
	{ __LINE__, X("<a x=\"<b c='1' d='2'>\"/>"), 1, 1, XMLSAFE_E_SYNTAX, 1,
	    NULL },
	/* Entities: declared, external, and the billion laughs. */
	{ __LINE__, X("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"), 0, 1,
	    XMLSAFE_E_DOCTYPE, 1, "DOCTYPE" },
	{ __LINE__, X("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<a>&x;</a>"), 0, 1, XMLSAFE_E_DOCTYPE, 1, "DOCTYPE" },
	{ __LINE__, X("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    "]>\n<lolz>&lol2;</lolz>"), 0, 1, XMLSAFE_E_DOCTYPE, 2, "DOCTYPE" },
	{ __LINE__, X("<a>&x;</a>"), 0, 1, XMLSAFE_E_SYNTAX, 1, "x" },
	/* Encodings: declared others are refused, never transcoded. */
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a/>"), 0,
	    1, XMLSAFE_E_ENCODING, 1, "ISO-8859-1" },
	{ __LINE__, X("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><a/>"), 0,
	    1, XMLSAFE_E_ENCODING, 1, "Shift_JIS" },
	{ __LINE__, X("\xff\xfe<\0a\0/\0>\0"), 0, 1, XMLSAFE_E_ENCODING, 1,
	    "NUL" },
	{ __LINE__, X("<a>\n\n\0</a>"), 0, 1, XMLSAFE_E_ENCODING, 3, "NUL" },
	/* Attributes: the limit per element, whatever the quotes. */
	{ __LINE__, X("<a><b p='1' q=\"2\" r = '3'/></a>"), 3, OK },
	{ __LINE__, X("<a>\n<b p='1' q=\"2\" r = '3' s='4'/></a>"), 3, 1,
	    XMLSAFE_E_ATTRS, 2, "more than 3 attributes" },
	{ __LINE__, X("<a p='1' p='2'/>"), 0, 1, XMLSAFE_E_SYNTAX, 1,
	    "redefined" },
	/* Errors carry libxml2's line. */
	{ __LINE__, X("<a>\n<b>\n</a>"), 0, 1, XMLSAFE_E_SYNTAX, 3, NULL },
	{ __LINE__, X("<a/>\n<b/>"), 0, 1, XMLSAFE_E_SYNTAX, 2, NULL },
	{ __LINE__, X("<a>\n\n\x01</a>"), 0, 1, XMLSAFE_E_SYNTAX, 3, NULL },
};

static void
check_row(int i)
{
	struct seen s = { 0 };
	int rc = parse(&s, rows[i].doc, rows[i].len, rows[i].max_attrs, 0);

	ck_assert_msg(rc == (rows[i].fails ? -1 : 0), "line %d: rc %d (%s)",
	    rows[i].line, rc, s.msg);
	ck_assert_msg(s.problems == rows[i].fails, "line %d: %d problems",
	    rows[i].line, s.problems);
	if (rows[i].fails) {
		ck_assert_msg(s.p.why == rows[i].why && s.p.line == rows[i].at,
		    "line %d: why %d at line %u (%s)", rows[i].line,
		    (int)s.p.why, s.p.line, s.msg);
		ck_assert_msg(rows[i].msg == NULL ||
		    strstr(s.msg, rows[i].msg) != NULL, "line %d: %s",
		    rows[i].line, s.msg);
	}
	buf_free(&s.log);
}

START_TEST(test_rows)
{
	check_row(_i);
}
END_TEST

/* A parse that ended well leaves its context for the next one: every row
 * gives the same answer, lines included, on a context that has parsed a
 * good document (several lines, other names, attributes) just before, and
 * on one whose parse was stopped or failed. */
START_TEST(test_rows_reused)
{
	static const char good[] = "<?xml version=\"1.0\"?>\n<r>\n<p x=\"1\">"
	    "v</p>\n<q/>\n</r>\n";
	struct seen s = { 0 };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		ck_assert_int_eq(parse(&s, good, sizeof(good) - 1, 0, 0), 0);
		ck_assert_str_eq(s.log.data, "<r 0>\n<p 1>v</>\n<q 0></>\n</>");
		ck_assert_uint_gt(xmlsafe_kept_names(), 0);
		buf_free(&s.log);
		check_row((int)i);
		check_row((int)i);
	}
	s.stop_at = "p";
	ck_assert_int_eq(parse(&s, good, sizeof(good) - 1, 0, 0), -1);
	ck_assert_uint_eq(xmlsafe_kept_names(), 0);
	buf_free(&s.log);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row((int)i);
}
END_TEST

/* The names a kept context remembers are bounded: a document of 2 MB of
 * distinct element names is parsed, and its context is not kept. */
START_TEST(test_kept_names_bounded)
{
	struct seen s = { 0 };
	struct buf doc;

	buf_init(&doc);
	buf_adds(&doc, "<r>");
	for (int i = 0; doc.len < 2 * XMLSAFE_DICT_KEEP; i++)
		buf_printf(&doc, "<n%040d/>", i);
	buf_adds(&doc, "</r>");
	ck_assert_int_eq(parse(&s, doc.data, doc.len, 0, 0), 0);
	ck_assert_uint_eq(xmlsafe_kept_names(), 0);
	buf_free(&s.log);
	ck_assert_int_eq(parse(&s, X("<r><n/></r>"), 0, 0), 0);
	ck_assert_uint_gt(xmlsafe_kept_names(), 0);
	ck_assert_uint_lt(xmlsafe_kept_names(), XMLSAFE_DICT_KEEP);
	buf_free(&s.log);
	buf_free(&doc);
}
END_TEST

/* What the handlers get: elements with their attribute counts, text with
 * CDATA merged, end tags. */
START_TEST(test_handlers)
{
	struct seen s = { 0 };

	ck_assert_int_eq(parse(&s, X("<a x=\"1\">t<b y='2' z='3'/><![CDATA["
	    "<c>]]></a>"), 0, 0), 0);
	ck_assert_str_eq(s.log.data, "<a 1>t<b 2></><c></>");
	buf_free(&s.log);
}
END_TEST

/* A handler's xmlsafe_stop() ends the parse with -1 and no problem: the
 * caller has its own reason. */
START_TEST(test_stop)
{
	struct seen s = { 0 };

	s.stop_at = "b";
	ck_assert_int_eq(parse(&s, X("<a><b/><c/></a>"), 0, 0), -1);
	ck_assert_int_eq(s.problems, 0);
	ck_assert_str_eq(s.log.data, "<a 0><b 0>");
	buf_free(&s.log);
}
END_TEST

/* head, then n distinct attributes (attrs) or n copies of piece, then
 * tail. */
static char *
bomb(const char *head, int attrs, const char *piece, size_t n,
    const char *tail, size_t *len)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, head);
	for (size_t i = 0; i < n; i++)
		if (attrs)
			buf_printf(&b, " a%zx=\"\"", i);
		else
			buf_adds(&b, piece);
	buf_adds(&b, tail);
	*len = b.len;
	return buf_detach(&b);
}

/* B8: 100,000 distinct attributes on one element are refused by the
 * count before libxml2 parses a single start tag (it would compare each
 * attribute with every one before it); no handler runs. */
START_TEST(test_attribute_bomb)
{
	struct seen s = { 0 };
	size_t len;
	char *doc = bomb("<a>\n<b", 1, NULL, 100000, "/></a>", &len);

	ck_assert_int_eq(parse(&s, doc, len, 0, 0), -1);
	ck_assert_int_eq(s.problems, 1);
	ck_assert_int_eq(s.p.why, XMLSAFE_E_ATTRS);
	ck_assert_uint_eq(s.p.line, 2);
	ck_assert_str_eq(s.open, "");
	ck_assert_str_eq(s.log.data, "");
	buf_free(&s.log);
	free(doc);
}
END_TEST

/* Many elements with a few attributes each: the total is capped too. */
START_TEST(test_attribute_total)
{
	struct seen s = { 0 };
	size_t len;
	char *doc = bomb("<a>", 0, "<b x='1' y='1'/>", 1000, "</a>", &len);

	ck_assert_int_eq(parse(&s, doc, len, 0, 2000), 0);
	buf_free(&s.log);
	ck_assert_int_eq(parse(&s, doc, len, 0, 1999), -1);
	ck_assert_int_eq(s.p.why, XMLSAFE_E_ATTRS);
	ck_assert_ptr_nonnull(strstr(s.msg, "in the document"));
	buf_free(&s.log);
	free(doc);
}
END_TEST

static int loader_calls;

static xmlParserInputPtr
counting_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url; (void)id; (void)ctxt;
	loader_calls++;
	return NULL;
}

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

/* An external DTD or entity is never fetched, and the caller's error
 * handler and entity loader are in place again afterwards, after a
 * failed parse as after a good one. */
START_TEST(test_globals)
{
	static const char *const docs[] = {
		"<!DOCTYPE a SYSTEM \"file:///etc/passwd\"><a/>",
		"<!DOCTYPE a PUBLIC \"-//x//y\" \"http://127.0.0.1:9/x.dtd\"><a/>",
		"<a/>",
		"<a>",
	};
	struct seen s = { 0 };
	int tag;

	xmlSetExternalEntityLoader(counting_loader);
	xmlSetStructuredErrorFunc(&tag, dummy_error);
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		parse(&s, docs[i], strlen(docs[i]), 0, 0);
		buf_free(&s.log);
		ck_assert_ptr_eq(xmlStructuredErrorContext, &tag);
		ck_assert(xmlStructuredError == dummy_error);
		ck_assert(xmlGetExternalEntityLoader() == counting_loader);
	}
	ck_assert_int_eq(loader_calls, 0);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetExternalEntityLoader(NULL);
}
END_TEST

/* libxml2 prints nothing: every error goes to the problem handler. */
START_TEST(test_silent)
{
	char path[] = "/tmp/deskprov-check-stderr-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	struct seen s = { 0 };
	struct stat st;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_ge(saved, 0);
	dup2(fd, 2);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		parse(&s, rows[i].doc, rows[i].len, rows[i].max_attrs, 0);
		buf_free(&s.log);
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

Suite *xmlsafe_suite(void);

Suite *
xmlsafe_suite(void)
{
	Suite *s = suite_create("xmlsafe");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_rows, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, test_rows_reused);
	tcase_add_test(tc, test_kept_names_bounded);
	tcase_add_test(tc, test_handlers);
	tcase_add_test(tc, test_stop);
	tcase_add_test(tc, test_attribute_bomb);
	tcase_add_test(tc, test_attribute_total);
	tcase_add_test(tc, test_globals);
	tcase_add_test(tc, test_silent);
	suite_add_tcase(s, tc);
	return s;
}
