/* api_json.c: bounded JSON bodies, RFC 7396 merge patches and the round
 * trip JSON entry → devices.d YAML → JSON. */
#include <check.h>
#include <string.h>

#include "api_json.h"
#include "yamltree.h"

static const struct {
	const char	*in;
	int		 ok;
	int		 line;
} bodies[] = {
	{ "{}", 1, __LINE__ }, { " {\"a\": [1, 2]} ", 1, __LINE__ },
	{ "{\"a\": 1} x", 0, __LINE__ }, { "{\"a\": 1}{}", 0, __LINE__ },
	{ "{\"a\":", 0, __LINE__ }, { "", 0, __LINE__ },
	{ "{'a': 1}", 0, __LINE__ },			/* strict */
	{ "{\"a\": \"\xff\"}", 0, __LINE__ },		/* not UTF-8 */
	{ "[[[[[[[1]]]]]]]", 1, __LINE__ },		/* depth 7 */
	{ "[[[[[[[[1]]]]]]]]", 0, __LINE__ },		/* depth 8 */
	{ "{\"a\": NaN}", 0, __LINE__ }, { "[nan]", 0, __LINE__ },
	{ "[Infinity]", 0, __LINE__ }, { "[1e999]", 0, __LINE__ },
	{ "[\"it's\", \"\\\"\"]", 1, __LINE__ },
};

START_TEST(test_parse)
{
	json_object *o;
	char err[128];
	int rc = api_json_parse(bodies[_i].in, strlen(bodies[_i].in), &o, err,
	    sizeof(err));

	ck_assert_msg((rc == 0) == bodies[_i].ok, "line %d: %s",
	    bodies[_i].line, rc ? err : "parsed");
	if (rc < 0) {
		ck_assert_ptr_null(o);
		/* The reason never quotes the body. */
		ck_assert_ptr_null(strstr(err, "\xff"));
	}
	json_object_put(o);
}
END_TEST

/* RFC 7396, appendix A. */
static const struct {
	const char	*target, *patch, *want;
} patches[] = {
	{ "{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}" },
	{ "{\"a\":\"b\"}", "{\"a\":null}", "{}" },
	{ "{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}" },
	{ "{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}" },
	{ "{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}" },
	{ "{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}",
	    "{\"a\":{\"b\":\"d\"}}" },
	{ "{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}" },
	{ "[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]" },
	{ "{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]" },
	{ "{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}" },
	{ "[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}" },
	{ "{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}" },
};

START_TEST(test_merge_patch)
{
	json_object *t = json_tokener_parse(patches[_i].target);
	json_object *p = json_tokener_parse(patches[_i].patch);
	json_object *want = json_tokener_parse(patches[_i].want);
	json_object *got = api_json_merge_patch(t, p);

	ck_assert_msg(json_object_equal(got, want), "%s + %s = %s",
	    patches[_i].target, patches[_i].patch,
	    json_object_to_json_string(got));
	json_object_put(t);
	json_object_put(p);
	json_object_put(want);
	json_object_put(got);
}
END_TEST

/* What the API writes, the loader reads back as the same values. */
START_TEST(test_yaml_round_trip)
{
	const char *in = "{\"vendor\":\"acme\",\"n\":5,\"on\":false,"
	    "\"s\":\"a \\\"q\\\" \\\\ / # : - {x} \\u00e9 \\u260e\","
	    "\"digits\":\"007\",\"tf\":\"true\",\"empty\":\"\","
	    "\"list\":[{\"line\":1,\"server\":{\"host\":\"h\"}},"
	    "{\"line\":2}],\"strs\":[\"a\",\"b\"],\"eo\":{},\"el\":[],"
	    "\"odd key\":\"x\",\"Password_1_\":{\"value\":\"v\",\"ua\":\"rw\"}}";
	json_object *o = json_tokener_parse(in), *back;
	struct ydoc doc;
	struct diag err;
	struct buf y;

	ck_assert_ptr_nonnull(o);
	buf_init(&y);
	api_json_to_yaml("dev-1", o, &y);
	memset(&doc, 0, sizeof(doc));
	ck_assert_msg(ydoc_load_string(&doc, y.data, y.len, &err) == 0,
	    "%s\n%s", err.msg, y.data);
	back = api_json_from_yaml(ymap_get(doc.root, "dev-1"));
	ck_assert_msg(json_object_equal(o, back), "%s\n->\n%s",
	    json_object_to_json_string(o), json_object_to_json_string(back));
	json_object_put(back);
	ydoc_free(&doc);
	buf_free(&y);
	json_object_put(o);
}
END_TEST

START_TEST(test_yaml_null_and_empty)
{
	json_object *o = json_tokener_parse("{}");
	struct buf y;

	buf_init(&y);
	api_json_to_yaml("x", o, &y);
	ck_assert_str_eq(y.data, "x: {}\n");
	buf_free(&y);
	json_object_put(o);
}
END_TEST

Suite *api_json_suite(void);

Suite *
api_json_suite(void)
{
	Suite *s = suite_create("api_json");
	TCase *tc = tcase_create("api_json");

	tcase_add_loop_test(tc, test_parse, 0, sizeof(bodies) /
	    sizeof(bodies[0]));
	tcase_add_loop_test(tc, test_merge_patch, 0, sizeof(patches) /
	    sizeof(patches[0]));
	tcase_add_test(tc, test_yaml_round_trip);
	tcase_add_test(tc, test_yaml_null_and_empty);
	suite_add_tcase(s, tc);
	return s;
}
