/* The Mustache engine beyond the specification (tests/mustache_spec.c runs
 * that): escaping per output format, strict partials, errors with their
 * template and line, inheritance loops, limits, and hostile templates. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "mustache.h"

#define HTML	MUSTACHE_ESCAPE_HTML
#define XML	MUSTACHE_ESCAPE_XML
#define LINE	MUSTACHE_ESCAPE_NONE_LINE

/* Partials from a JSON object; counts the calls. */
struct partials {
	json_object	*map;
	unsigned	 calls;
};

static int
map_loader(void *ctx, const char *name, char **out, size_t *len)
{
	struct partials *p = ctx;
	json_object *v;

	p->calls++;
	if (strcmp(name, "unreadable") == 0)
		return MUSTACHE_LOAD_ERROR;
	if (p->map == NULL || !json_object_object_get_ex(p->map, name, &v))
		return MUSTACHE_LOAD_MISSING;
	*len = (size_t)json_object_get_string_len(v);
	*out = xstrndup(json_object_get_string(v), *len);
	return MUSTACHE_LOAD_OK;
}

/* Any name is a partial whose text is its own name. */
static int
echo_loader(void *ctx, const char *name, char **out, size_t *len)
{
	(void)ctx;
	*len = strlen(name);
	*out = xstrdup(name);
	return MUSTACHE_LOAD_OK;
}

static const struct {
	int			 line;
	enum mustache_escape	 esc;
	int			 strict;
	const char		*tmpl;
	const char		*data;		/* JSON */
	const char		*partials;	/* JSON object, or NULL */
	const char		*want;		/* NULL: an error */
	const char		*err;		/* part of the message */
	const char		*err_name;	/* template named in the error */
	unsigned		 err_line;
} cases[] = {
	/* Escaping per format. */
	{ __LINE__, HTML, 0, "{{x}}", "{\"x\":\"<a b=\\\"c\\\">&'\"}", NULL,
	    "&lt;a b=&quot;c&quot;&gt;&amp;&#39;", NULL, NULL, 0 },
	{ __LINE__, HTML, 0, "{{{x}}}{{&x}}", "{\"x\":\"<&>\"}", NULL,
	    "<&><&>", NULL, NULL, 0 },
	{ __LINE__, XML, 0, "<v>{{x}}</v>", "{\"x\":\"<a b=\\\"c\\\">&'\"}",
	    NULL, "<v>&lt;a b=&quot;c&quot;&gt;&amp;&#39;</v>", NULL, NULL, 0 },
	{ __LINE__, XML, 0, "{{{x}}}", "{\"x\":\"<b>&</b>\"}", NULL,
	    "<b>&</b>", NULL, NULL, 0 },
	{ __LINE__, XML, 0, "{{x}}", "{\"x\":\"tab\\there\\nnew\\r\\n\"}",
	    NULL, "tab\there\nnew&#13;\n", NULL, NULL, 0 },
	{ __LINE__, XML, 0, "a\n<v>{{x}}</v>", "{\"x\":\"a\\u0001b\"}", NULL,
	    NULL, "value of {{x}} holds control character 0x01, which XML",
	    "main", 2 },
	{ __LINE__, XML, 0, "{{{x}}}", "{\"x\":\"\\u001b[0m\"}", NULL, NULL,
	    "control character 0x1b", "main", 1 },
	{ __LINE__, XML, 0, "{{x}}", "{\"x\":\"caf\\u00e9 \\u263a\"}", NULL,
	    "caf\xc3\xa9 \xe2\x98\xba", NULL, NULL, 0 },
	{ __LINE__, LINE, 0, "key = {{x}}", "{\"x\":\"a&<b>\\\"'\"}", NULL,
	    "key = a&<b>\"'", NULL, NULL, 0 },
	{ __LINE__, LINE, 0, "# head\nkey = {{x}}\n", "{\"x\":\"a\\nb\"}",
	    NULL, NULL, "value of {{x}} holds a newline, which a line-based "
	    "format cannot carry", "main", 2 },
	{ __LINE__, LINE, 0, "{{{acct.pw}}}", "{\"acct\":{\"pw\":\"a\\rb\"}}",
	    NULL, NULL, "value of {{acct.pw}} holds a carriage return",
	    "main", 1 },
	{ __LINE__, LINE, 0, "{{&x}}", "{\"x\":\"a\\tb\"}", NULL, NULL,
	    "control character 0x09", "main", 1 },
	{ __LINE__, LINE, 0, "{{x}}", "{\"x\":\"a\\u007fb\"}", NULL, NULL,
	    "control character 0x7f", "main", 1 },
	{ __LINE__, LINE, 0, "{{#l}}\n{{.}}\n{{/l}}", "{\"l\":[\"ok\",\"b\\nc\"]}",
	    NULL, NULL, "value of {{.}} holds a newline", "main", 2 },
	{ __LINE__, LINE, 0, "{{n}} {{b}} {{d}} {{z}} {{big}}",
	    "{\"n\":5,\"b\":true,\"d\":1.5,\"z\":null,\"big\":1e300}", NULL,
	    "5 true 1.5  1e+300", NULL, NULL, 0 },
	{ __LINE__, LINE, 0, "{{o}}|{{a}}", "{\"o\":{\"k\":\"v/w\"},\"a\":[1,2]}",
	    NULL, "{\"k\":\"v/w\"}|[1,2]", NULL, NULL, 0 },
	/* What is true: numbers (0 too) and {}; not "", [], null, false. */
	{ __LINE__, HTML, 0,
	    "{{#s}}s{{/s}}{{#z}}z{{/z}}{{#e}}e{{/e}}{{#o}}o{{/o}}{{#n}}n{{/n}}"
	    "{{#f}}f{{/f}}{{#m}}m{{/m}}",
	    "{\"s\":\"\",\"z\":0,\"e\":[],\"o\":{},\"n\":null,\"f\":false}",
	    NULL, "zo", NULL, NULL, 0 },
	/* Partials: missing is empty by default, an error when strict. */
	{ __LINE__, HTML, 0, "a{{>nope}}b", "{}", "{}", "ab", NULL, NULL, 0 },
	{ __LINE__, HTML, 1, "a\n{{>nope}}\nb", "{}", "{}", NULL,
	    "partial \"nope\" not found", "main", 2 },
	{ __LINE__, HTML, 1, "\n\n{{<base}}{{$x}}y{{/x}}{{/base}}", "{}", "{}",
	    NULL, "parent \"base\" not found", "main", 3 },
	{ __LINE__, HTML, 1, "{{>*which}}", "{}", "{}", NULL,
	    "{{>*which}} names no template", "main", 1 },
	{ __LINE__, HTML, 0, "[{{>*which}}]", "{\"which\":5}", "{}", "[]",
	    NULL, NULL, 0 },
	{ __LINE__, HTML, 1, "{{>*which}}", "{\"which\":\"gone\"}", "{}", NULL,
	    "partial \"gone\" not found", "main", 1 },
	{ __LINE__, HTML, 1, "{{>p}}", "{\"v\":1}", "{\"p\":\"<{{v}}>\"}",
	    "<1>", NULL, NULL, 0 },
	{ __LINE__, HTML, 1, "{{>p}}", "{}", "{\"p\":\"a{{/x}}\"}", NULL,
	    "{{/x}} closes nothing", "p", 1 },
	{ __LINE__, HTML, 1, "ok\n{{>p}}", "{}", "{\"p\":\"\\n\\n{{#open}}\"}",
	    NULL, "{{#open}} is never closed", "p", 3 },
	{ __LINE__, HTML, 0, "{{>unreadable}}", "{}", "{}", NULL,
	    "template \"unreadable\" could not be loaded", "main", 1 },
	/* Syntax errors, by line. */
	{ __LINE__, HTML, 0, "a\nb\n{{#sec}}\nc\n", "{}", NULL, NULL,
	    "{{#sec}} is never closed", "main", 3 },
	{ __LINE__, HTML, 0, "{{#a}}\n{{^b}}\n{{/a}}", "{}", NULL, NULL,
	    "{{/a}} does not close {{^b}} opened at line 2", "main", 3 },
	{ __LINE__, HTML, 0, "x\n{{/a}}", "{}", NULL, NULL,
	    "{{/a}} closes nothing", "main", 2 },
	{ __LINE__, HTML, 0, "\n\n{{=<%%>=}}", "{}", NULL, NULL,
	    "bad delimiter change \"<%%>\"", "main", 3 },
	{ __LINE__, HTML, 0, "{{= a= b =}}", "{}", NULL, NULL,
	    "bad delimiter change", "main", 1 },
	{ __LINE__, HTML, 0, "{{=<<<<<<<<<<<<<<<<< >>=}}", "{}", NULL, NULL,
	    "bad delimiter change", "main", 1 },
	{ __LINE__, HTML, 0, "one\n  {{ x", "{}", NULL, NULL,
	    "tag {{ is never closed (no \"}}\" follows)", "main", 2 },
	{ __LINE__, HTML, 0, "{{=<% %>=}}\n\n<%{x}}", "{}", NULL, NULL,
	    "tag <%{ is never closed (no \"}%>\" follows)", "main", 3 },
	{ __LINE__, HTML, 0, "{{a b}}", "{}", NULL, NULL,
	    "bad name \"a b\"", "main", 1 },
	{ __LINE__, HTML, 0, "{{#}}{{/}}", "{}", NULL, NULL,
	    "empty name in {{# tag", "main", 1 },
	{ __LINE__, HTML, 0, "{{a..b}}", "{}", NULL, NULL,
	    "empty part between dots", "main", 1 },
	{ __LINE__, HTML, 0, "{{.a}}", "{}", NULL, NULL,
	    "empty part between dots", "main", 1 },
	{ __LINE__, HTML, 0, "{{<p}}\n{{$a}}1{{/a}}\n{{$a}}2{{/a}}\n{{/p}}",
	    "{}", NULL, NULL, "block {{$a}} given twice in {{<p}}", "main", 3 },
	/* Inheritance and partial loops end at the depth limit. */
	{ __LINE__, HTML, 0, "{{<a}}{{/a}}", "{}", "{\"a\":\"{{<a}}{{/a}}\"}",
	    NULL, "nested deeper than 64 at {{<a}}: does a partial or parent "
	    "include itself?", "a", 1 },
	{ __LINE__, HTML, 0, "{{>a}}", "{}",
	    "{\"a\":\"x{{>b}}\",\"b\":\"\\ny{{>a}}\"}", NULL,
	    "nested deeper than 64 at {{>a}}", "b", 2 },
	{ __LINE__, HTML, 0, "{{>*t}}", "{\"t\":\"r\"}",
	    "{\"r\":\"{{#t}}{{>*t}}{{/t}}\"}", NULL, "nested deeper than 64",
	    "r", 1 },
	/* A block argument that reaches back to its own parent. */
	{ __LINE__, HTML, 0, "{{<p}}{{$b}}{{<p}}{{/p}}{{/b}}{{/p}}", "{}",
	    "{\"p\":\"[{{$b}}{{/b}}]\"}", NULL, "nested deeper than 64",
	    "main", 1 },
	/* Inheritance as deskprov uses it: a model extends a vendor base. */
	{ __LINE__, XML, 1,
	    "{{<base}}\n{{$lines}}\n  <line n=\"1\">{{user}}</line>\n"
	    "{{/lines}}\n{{/base}}\n",
	    "{\"user\":\"a&b\"}",
	    "{\"base\":\"<cfg>\\n  {{$lines}}\\n  {{/lines}}\\n</cfg>\\n\"}",
	    "<cfg>\n  <line n=\"1\">a&amp;b</line>\n</cfg>\n", NULL, NULL, 0 },
	/* Indentation of nested standalone partials adds up. */
	{ __LINE__, LINE, 1, "a\n  {{>p}}\nz\n", "{}",
	    "{\"p\":\"b\\n  {{>q}}\\n\",\"q\":\"c\\nd\\n\"}",
	    "a\n  b\n    c\n    d\nz\n", NULL, NULL, 0 },
	/* Dynamic parents, closed by the same dynamic name. */
	{ __LINE__, HTML, 1, "{{<*x}}{{$b}}B{{/b}}{{/*x}}", "{\"x\":\"base\"}",
	    "{\"base\":\"[{{$b}}d{{/b}}]\"}", "[B]", NULL, NULL, 0 },
	{ __LINE__, HTML, 1, "{{<*x}}\n{{/x}}", "{}", NULL, NULL,
	    "{{/x}} does not close {{<*x}} opened at line 1", "main", 2 },
	/* A parent's partials take part: their blocks can be overridden. */
	{ __LINE__, HTML, 1, "{{<base}}{{$t}}T{{/t}}{{/base}}", "{}",
	    "{\"base\":\"<{{>head}}>\",\"head\":\"{{$t}}default{{/t}}\"}",
	    "<T>", NULL, NULL, 0 },
	/* CRLF templates lose their standalone lines whole. */
	{ __LINE__, LINE, 1, "{{#a}}\r\nk={{a}}\r\n{{/a}}\r\n", "{\"a\":1}",
	    NULL, "k=1\r\n", NULL, NULL, 0 },
	/* Blank lines get no indentation. */
	{ __LINE__, LINE, 1, "  {{>p}}\n", "{}", "{\"p\":\"a\\n\\nb\\n\"}",
	    "  a\n\n  b\n", NULL, NULL, 0 },
};

static json_object *
parse_json(const char *s, int line)
{
	json_object *o = json_tokener_parse(s);

	ck_assert_msg(o != NULL, "line %d: bad JSON in the test", line);
	return o;
}

START_TEST(test_cases)
{
	struct partials p = { NULL, 0 };
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = parse_json(cases[_i].data, cases[_i].line);
	struct buf out;
	int rc;

	if (cases[_i].partials != NULL)
		p.map = parse_json(cases[_i].partials, cases[_i].line);
	o.escape = cases[_i].esc;
	o.strict = cases[_i].strict;
	o.loader = map_loader;
	o.loader_ctx = &p;
	memset(&err, 0, sizeof(err));
	buf_init(&out);
	rc = mustache_render_text(cases[_i].tmpl, strlen(cases[_i].tmpl),
	    "main", data, &o, &out, &err);
	if (cases[_i].want != NULL) {
		ck_assert_msg(rc == 0, "line %d: error %s:%u: %s",
		    cases[_i].line, err.file, err.line, err.msg);
		ck_assert_msg(strcmp(out.data ? out.data : "",
		    cases[_i].want) == 0, "line %d: got \"%s\"", cases[_i].line,
		    out.data);
	} else {
		ck_assert_msg(rc == -1, "line %d: no error, got \"%s\"",
		    cases[_i].line, out.data);
		ck_assert_msg(strstr(err.msg, cases[_i].err) != NULL,
		    "line %d: message \"%s\"", cases[_i].line, err.msg);
		ck_assert_msg(strcmp(err.file, cases[_i].err_name) == 0 &&
		    err.line == cases[_i].err_line, "line %d: error at %s:%u",
		    cases[_i].line, err.file, err.line);
		ck_assert_msg(out.len == 0, "line %d: output left behind",
		    cases[_i].line);
	}
	buf_free(&out);
	json_object_put(data);
	json_object_put(p.map);
}
END_TEST

/* Limits given by the caller, one row each. */
static const struct {
	int		 line;
	size_t		 max_template, max_output;
	unsigned	 max_depth;
	unsigned long	 max_steps;
	const char	*tmpl;
	const char	*err;	/* NULL: renders */
	unsigned	 err_line;
} limits[] = {
	{ __LINE__, 10, 0, 0, 0, "0123456789", NULL, 0 },
	{ __LINE__, 10, 0, 0, 0, "0123456789A",
	    "template is 11 bytes, more than the limit of 10", 0 },
	{ __LINE__, 0, 24, 0, 0, "{{#l}}{{.}}{{/l}}", NULL, 0 },
	{ __LINE__, 0, 23, 0, 0, "{{#l}}{{.}}{{/l}}",
	    "output larger than 23 bytes", 0 },
	{ __LINE__, 0, 23, 0, 0, "{{#l}}x{{/l}}{{#l}}x{{/l}}{{#l}}x{{/l}}",
	    "output larger than 23 bytes", 0 },
	{ __LINE__, 0, 0, 3, 0, "{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}", NULL, 0 },
	{ __LINE__, 0, 0, 3, 0, "{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}"
	    "{{/l}}", "sections nested deeper than 3", 1 },
	{ __LINE__, 0, 0, 2, 0, "{{#l}}{{#l}}{{/l}}{{>p}}{{/l}}", NULL, 0 },
	{ __LINE__, 0, 0, 2, 0, "{{#l}}{{#l}}{{>p}}{{/l}}{{/l}}",
	    "templates nested deeper than 2 at {{>p}}", 1 },
	/* 12 items, 12^5 visits, but the output stays empty. */
	{ __LINE__, 0, 0, 0, 100000,
	    "{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}",
	    "rendering takes more than 100000 steps", 0 },
	{ __LINE__, 0, 0, 0, 5, "a\nb\nc\nd\ne\nf\n",
	    "rendering takes more than 5 steps", 6 },
};

START_TEST(test_limits)
{
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = json_tokener_parse(
	    "{\"l\":[\"ab\",\"cd\",\"ef\",\"gh\",\"ij\",\"kl\",\"mn\",\"op\","
	    "\"qr\",\"st\",\"uv\",\"wx\"]}");
	struct buf out;
	int rc;

	o.max_template = limits[_i].max_template;
	o.max_output = limits[_i].max_output;
	o.max_depth = limits[_i].max_depth;
	o.max_steps = limits[_i].max_steps;
	o.loader = echo_loader;
	buf_init(&out);
	memset(&err, 0, sizeof(err));
	rc = mustache_render_text(limits[_i].tmpl, strlen(limits[_i].tmpl),
	    "main", data, &o, &out, &err);
	if (limits[_i].err == NULL)
		ck_assert_msg(rc == 0, "line %d: %s", limits[_i].line, err.msg);
	else
		ck_assert_msg(rc == -1 && strstr(err.msg, limits[_i].err) &&
		    (limits[_i].err_line == 0 || err.line == limits[_i].err_line),
		    "line %d: rc %d, %u: \"%s\"", limits[_i].line, rc, err.line,
		    err.msg);
	buf_free(&out);
	json_object_put(data);
}
END_TEST

/* A parsed template is reused; output is appended, and on an error the
 * buffer is cut back to what it held before. */
START_TEST(test_reuse_and_append)
{
	struct mustache_opts o = { 0 };
	struct diag err;
	struct mustache *t;
	json_object *a = json_tokener_parse("{\"v\":\"1\"}");
	json_object *b = json_tokener_parse("{\"v\":\"x\\ny\"}");
	struct buf out;

	o.escape = LINE;
	t = mustache_parse("v={{v}};", 8, "reuse", &o, &err);
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(mustache_name(t), "reuse");
	buf_init(&out);
	buf_adds(&out, "keep;");
	ck_assert_int_eq(mustache_render(t, a, &o, &out, &err), 0);
	ck_assert_str_eq(out.data, "keep;v=1;");
	ck_assert_int_eq(mustache_render(t, b, &o, &out, &err), -1);
	ck_assert_str_eq(out.data, "keep;v=1;");
	ck_assert_str_eq(err.file, "reuse");
	ck_assert_int_eq(mustache_render(t, NULL, &o, &out, &err), 0);
	ck_assert_str_eq(out.data, "keep;v=1;v=;");
	ck_assert_int_eq(mustache_render(t, a, NULL, &out, &err), 0);
	mustache_free(t);
	buf_free(&out);
	json_object_put(a);
	json_object_put(b);
}
END_TEST

/* Each partial is loaded once per render, even when used many times. */
START_TEST(test_partial_cache)
{
	struct partials p = { NULL, 0 };
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = json_tokener_parse("{\"l\":[1,2,3,4]}");
	const char *tmpl = "{{#l}}{{>p}}{{>gone}}{{/l}}";
	struct buf out;

	p.map = json_tokener_parse("{\"p\":\"<{{.}}>\"}");
	o.loader = map_loader;
	o.loader_ctx = &p;
	buf_init(&out);
	ck_assert_int_eq(mustache_render_text(tmpl, strlen(tmpl), "main", data,
	    &o, &out, &err), 0);
	ck_assert_str_eq(out.data, "<1><2><3><4>");
	ck_assert_uint_eq(p.calls, 2);
	buf_free(&out);
	json_object_put(data);
	json_object_put(p.map);
}
END_TEST

START_TEST(test_too_many_partials)
{
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = json_object_new_object(), *l = json_object_new_array();
	const char *tmpl = "{{#l}}{{>*.}}{{/l}}";
	char name[16];
	struct buf out;
	int i;

	for (i = 0; i < MUSTACHE_PARTIALS_MAX + 1; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		json_object_array_add(l, json_object_new_string(name));
	}
	json_object_object_add(data, "l", l);
	o.loader = echo_loader;
	buf_init(&out);
	ck_assert_int_eq(mustache_render_text(tmpl, strlen(tmpl), "main", data,
	    &o, &out, &err), -1);
	ck_assert_msg(strstr(err.msg, "more than 256 different partials"),
	    "%s", err.msg);
	buf_free(&out);
	json_object_put(data);
}
END_TEST

/* Data the JSON parser would refuse: bytes that are not UTF-8, a NUL in a
 * dynamic name, an unknown escaping mode. */
START_TEST(test_odd_values)
{
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = json_object_new_object();
	struct buf out;

	json_object_object_add(data, "bad",
	    json_object_new_string_len("a\xff" "b", 3));
	json_object_object_add(data, "nul",
	    json_object_new_string_len("p\0q", 3));
	buf_init(&out);
	o.escape = XML;
	ck_assert_int_eq(mustache_render_text("{{bad}}", 7, "x", data, &o,
	    &out, &err), -1);
	ck_assert_str_eq(err.msg, "value of {{bad}} is not valid UTF-8");
	o.escape = LINE;
	ck_assert_int_eq(mustache_render_text("{{bad}}", 7, "x", data, &o,
	    &out, &err), 0);
	buf_reset(&out);
	o.loader = echo_loader;
	o.strict = 1;
	ck_assert_int_eq(mustache_render_text("{{>*nul}}", 9, "x", data, &o,
	    &out, &err), -1);
	ck_assert_msg(strstr(err.msg, "names no template"), "%s", err.msg);
	o.escape = (enum mustache_escape)7;
	ck_assert_int_eq(mustache_render_text("a", 1, "x", data, &o, &out,
	    &err), -1);
	ck_assert_str_eq(err.msg, "unknown escaping 7");
	buf_free(&out);
	json_object_put(data);
}
END_TEST

/* Indentation grows with every level of a standalone partial that
 * includes itself; past MUSTACHE_INDENT_MAX it is an error, not memory. */
START_TEST(test_indent_limit)
{
	struct partials p = { NULL, 0 };
	struct mustache_opts o = { 0 };
	struct diag err;
	struct buf out;

	p.map = json_tokener_parse("{\"p\":\"x\\n        {{>p}}\\n\"}");
	o.loader = map_loader;
	o.loader_ctx = &p;
	o.max_depth = 1000;
	buf_init(&out);
	ck_assert_int_eq(mustache_render_text("{{>p}}", 6, "main", NULL, &o,
	    &out, &err), -1);
	ck_assert_msg(strstr(err.msg, "indentation deeper than 256"), "%s",
	    err.msg);
	ck_assert_str_eq(err.file, "p");
	ck_assert_uint_eq(err.line, 2);
	buf_free(&out);
	json_object_put(p.map);
}
END_TEST

/* Big hostile templates fail fast or render in linear time. */
START_TEST(test_hostile_sizes)
{
	struct mustache_opts o = { 0 };
	struct diag err;
	struct buf tmpl, out;
	int i;

	buf_init(&tmpl);
	buf_init(&out);
	/* 100,000 opening tags: refused at depth 64, no deep recursion. */
	for (i = 0; i < 100000; i++)
		buf_adds(&tmpl, "{{#a}}");
	ck_assert_ptr_null(mustache_parse(tmpl.data, tmpl.len, "deep", &o,
	    &err));
	ck_assert_msg(strstr(err.msg, "sections nested deeper than 64"),
	    "%s", err.msg);
	/* 20,000 groups of tags on one line (660 kB). */
	buf_reset(&tmpl);
	for (i = 0; i < 20000; i++)
		buf_adds(&tmpl, "{{#a}}{{/a}}{{^a}}x{{/a}}{{! c }}");
	buf_addc(&tmpl, '\n');
	ck_assert_int_eq(mustache_render_text(tmpl.data, tmpl.len, "wide",
	    NULL, &o, &out, &err), 0);
	ck_assert_uint_eq(out.len, 20001);
	/* Openers with no closer: one scan, then an error. */
	buf_reset(&tmpl);
	for (i = 0; i < 100000; i++)
		buf_adds(&tmpl, "{{{");
	ck_assert_ptr_null(mustache_parse(tmpl.data, tmpl.len, "open", &o,
	    &err));
	ck_assert_msg(strstr(err.msg, "never closed"), "%s", err.msg);
	/* A block with many lines: indentation is measured once. */
	buf_reset(&tmpl);
	buf_adds(&tmpl, "{{$b}}\n");
	for (i = 0; i < 100000; i++)
		buf_adds(&tmpl, "  line\n");
	buf_adds(&tmpl, "{{/b}}\n");
	buf_reset(&out);
	ck_assert_int_eq(mustache_render_text(tmpl.data, tmpl.len, "lines",
	    NULL, &o, &out, &err), 0);
	ck_assert_uint_eq(out.len, 100000 * 7);
	buf_free(&tmpl);
	buf_free(&out);
}
END_TEST

/* Random templates from Mustache fragments: each one renders or fails
 * with a message; under ASan, neither leaks nor touches bad memory. */
static const char *const fragments[] = {
	"{{", "}}", "{{{", "}}}", "#a", "^a", "/a", "#l", "/l", "!", "=",
	"{{=<% %>=}}", "<%", "%>", "<p", "/p", "$b", "/b", ">p", ">*n", "<*n",
	"/*n", "&", ".", "a.b", "\n", "\r\n", "  ", "\t", "x", "{{#a}}",
	"{{/a}}", "{{<p}}", "{{/p}}", "{{$b}}", "{{/b}}", "{{>p}}", "{{.}}",
};

START_TEST(test_random_templates)
{
	struct partials p = { NULL, 0 };
	struct mustache_opts o = { 0 };
	struct diag err;
	json_object *data = json_tokener_parse(
	    "{\"a\":true,\"l\":[1,{\"a\":false},\"s\"],\"n\":\"p\","
	    "\"b\":\"x\"}");
	unsigned long seed = 12345;
	struct buf tmpl, out;
	int i, k, n;

	p.map = json_tokener_parse("{\"p\":\"[{{$b}}d{{/b}}{{>p}}]\"}");
	o.loader = map_loader;
	o.loader_ctx = &p;
	o.max_steps = 20000;
	buf_init(&tmpl);
	buf_init(&out);
	for (i = 0; i < 20000; i++) {
		buf_reset(&tmpl);
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = (int)(seed >> 59) + 1;
		for (k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL +
			    1442695040888963407UL;
			buf_adds(&tmpl, fragments[(seed >> 33) %
			    (sizeof(fragments) / sizeof(fragments[0]))]);
		}
		buf_reset(&out);
		memset(&err, 0, sizeof(err));
		if (mustache_render_text(tmpl.data, tmpl.len, "r", data, &o,
		    &out, &err) == -1)
			ck_assert_msg(err.msg[0] != '\0' && out.len == 0,
			    "template \"%s\"", tmpl.data);
	}
	buf_free(&tmpl);
	buf_free(&out);
	json_object_put(data);
	json_object_put(p.map);
}
END_TEST

Suite *mustache_suite(void);

Suite *
mustache_suite(void)
{
	Suite *s = suite_create("mustache");
	TCase *tc = tcase_create("render");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cases, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, test_limits, 0,
	    (int)(sizeof(limits) / sizeof(limits[0])));
	tcase_add_test(tc, test_reuse_and_append);
	tcase_add_test(tc, test_partial_cache);
	tcase_add_test(tc, test_too_many_partials);
	tcase_add_test(tc, test_odd_values);
	tcase_add_test(tc, test_indent_limit);
	tcase_add_test(tc, test_hostile_sizes);
	tcase_add_test(tc, test_random_templates);
	suite_add_tcase(s, tc);
	return s;
}
