/* api_device.c: bodies turned into phone entries (Sonata's JSON mapped,
 * unknown fields listed), secrets masked and kept. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "api_device.h"
#include "links.h"

static json_object *
entry_from(const char *body, struct api_problem *pb)
{
	json_object *b = json_tokener_parse(body), *e = NULL;

	ck_assert_msg(b != NULL, "bad test JSON %s", body);
	api_problem_init(pb);
	api_device_from_body(b, NULL, &e, pb);
	json_object_put(b);
	return e;
}

static const char *
str_at(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, a, &v);
	if (b != NULL)
		json_object_object_get_ex(v, b, &v);
	return v ? json_object_get_string(v) : NULL;
}

/* The example of Sonata's own description, as it is. */
START_TEST(test_sonata_example)
{
	struct api_problem pb;
	json_object *e = entry_from("{\"key\": \"sdgjdeu9443908\", \"token\": "
	    "\"590sfdsf8u984\", \"model\": \"gxp1620\", \"vendor\": "
	    "\"Grandstream\", \"mac\": \"001565113af8\", \"timezone_offset\": "
	    "\"GMT+03\", \"ntp_server\": \"pool.ntp.org\", \"status\": false, "
	    "\"accounts\": [{\"name\": \"Mobilon\", \"line\": 1, "
	    "\"sip_register\": \"sip.mobilonsip.ru\", \"sip_name\": \"sip102\", "
	    "\"sip_user\": \"sip103\", \"sip_password\": \"4321\", "
	    "\"sip_auth\": \"sip104\"}]}", &pb), *a, *acc;

	ck_assert_msg(e != NULL, "%s", pb.msg);
	ck_assert_str_eq(str_at(e, "vendor", NULL), "grandstream");
	ck_assert_str_eq(str_at(e, "model", NULL), "gxp1620");
	ck_assert_str_eq(str_at(e, "timezone", NULL), "Etc/GMT-3");
	ck_assert_str_eq(str_at(e, "ntp", NULL), "pool.ntp.org");
	ck_assert_str_eq(str_at(e, "enabled", NULL), "false");
	/* A key weaker than 128 bits is replaced by a new one. */
	ck_assert(links_key_plausible(str_at(e, "link_key", NULL),
	    strlen(str_at(e, "link_key", NULL))));
	ck_assert(!json_object_object_get_ex(e, "token", NULL));
	json_object_object_get_ex(e, "accounts", &acc);
	a = json_object_array_get_idx(acc, 0);
	ck_assert_str_eq(str_at(a, "label", NULL), "Mobilon");
	ck_assert_str_eq(str_at(a, "server", "host"), "sip.mobilonsip.ru");
	ck_assert_str_eq(str_at(a, "display_name", NULL), "sip102");
	ck_assert_str_eq(str_at(a, "user", NULL), "sip103");
	ck_assert_str_eq(str_at(a, "auth_user", NULL), "sip104");
	ck_assert_str_eq(str_at(a, "password", NULL), "4321");
	ck_assert_str_eq(str_at(a, "line", NULL), "1");
	json_object_put(e);
}
END_TEST

static const struct {
	const char	*offset, *zone;
	int		 line;
} zones[] = {
	{ "GMT+03", "Etc/GMT-3", __LINE__ }, { "UTC-5", "Etc/GMT+5", __LINE__ },
	{ "+03:00", "Etc/GMT-3", __LINE__ }, { "GMT", "Etc/GMT", __LINE__ },
	{ "GMT+0", "Etc/GMT", __LINE__ }, { "UTC+14", "Etc/GMT-14", __LINE__ },
	{ "GMT+05:30", NULL, __LINE__ }, { "GMT+15", NULL, __LINE__ },
	{ "GMT+3x", NULL, __LINE__ }, { "Europe/Rome", NULL, __LINE__ },
	{ "GMT+-3", NULL, __LINE__ },
};

START_TEST(test_sonata_offsets)
{
	char body[128];
	struct api_problem pb;
	json_object *e;

	snprintf(body, sizeof(body), "{\"timezone_offset\": \"%s\"}",
	    zones[_i].offset);
	e = entry_from(body, &pb);
	if (zones[_i].zone == NULL) {
		ck_assert_msg(e == NULL, "line %d: mapped", zones[_i].line);
		ck_assert_int_eq(pb.status, 422);
		return;
	}
	ck_assert_msg(e != NULL, "line %d: %s", zones[_i].line, pb.msg);
	ck_assert_str_eq(str_at(e, "timezone", NULL), zones[_i].zone);
	json_object_put(e);
}
END_TEST

static const struct {
	const char	*body;
	int		 status;
	const char	*fields;	/* JSON of pb.fields, or NULL */
	int		 line;
} refused[] = {
	{ "[1]", 400, NULL, __LINE__ },
	{ "{\"vendor\":\"acme\",\"acounts\":[],\"accounts\":[{\"line\":1,"
	    "\"pasword\":\"x\",\"server\":{\"hots\":\"h\"}}]}", 422,
	    "[\"acounts\",\"accounts[0].pasword\",\"accounts[0].server.hots\"]",
	    __LINE__ },
	{ "{\"status\":true,\"colour\":1,\"accounts\":[{\"sip_user\":\"u\","
	    "\"sip_proxy\":\"p\"}]}", 422,
	    "[\"colour\",\"accounts[0].sip_proxy\"]", __LINE__ },
	{ "{\"status\":\"yes\"}", 422, NULL, __LINE__ },
	{ "{\"status\":true,\"accounts\":{}}", 422, NULL, __LINE__ },
	{ "{\"status\":true,\"accounts\":[1]}", 422, NULL, __LINE__ },
	{ "{\"status\":true,\"accounts\":[{\"line\":\"1\"}]}", 422, NULL,
	    __LINE__ },
	{ "{\"status\":true,\"mac\":12}", 422, NULL, __LINE__ },
};

START_TEST(test_refused)
{
	struct api_problem pb;
	json_object *e = entry_from(refused[_i].body, &pb);

	ck_assert_msg(e == NULL, "line %d: accepted", refused[_i].line);
	ck_assert_int_eq(pb.status, refused[_i].status);
	if (refused[_i].fields != NULL)
		ck_assert_str_eq(json_object_to_json_string_ext(pb.fields,
		    JSON_C_TO_STRING_PLAIN), refused[_i].fields);
	api_problem_free(&pb);
}
END_TEST

/* Masked on the way out, kept on the way in. */
START_TEST(test_secrets)
{
	json_object *old = json_tokener_parse("{\"vendor\":\"acme\","
	    "\"admin_password\":\"s3cr3t-adm\",\"link_key\":\"k\",\"accounts\":"
	    "[{\"line\":1,\"password\":\"p1\"},{\"line\":2,\"password\":\"p2\"}],"
	    "\"params\":{\"P.Password\":\"pp\",\"P.Volume\":\"3\"}}");
	json_object *m = NULL, *neu;
	struct api_problem pb;
	const char *text;

	json_object_deep_copy(old, &m, NULL);
	api_device_mask(m);
	text = json_object_to_json_string(m);
	ck_assert_ptr_null(strstr(text, "s3cr3t-adm"));
	ck_assert_ptr_null(strstr(text, "p1"));
	ck_assert_ptr_null(strstr(text, "\"k\""));
	ck_assert_ptr_null(strstr(text, "pp"));
	ck_assert_ptr_nonnull(strstr(text, "\"P.Volume\": \"3\""));
	/* The masked entry written back is the stored one. */
	api_problem_init(&pb);
	ck_assert_int_eq(api_device_keep_secrets(m, old, &pb), 0);
	ck_assert(json_object_equal(m, old));
	/* Lines matched by number, not position; {"set": false} drops. */
	neu = json_tokener_parse("{\"admin_password\":{\"set\":false},"
	    "\"accounts\":[{\"line\":2,\"password\":{\"set\":true}}]}");
	ck_assert_int_eq(api_device_keep_secrets(neu, old, &pb), 0);
	ck_assert_str_eq(json_object_to_json_string_ext(neu,
	    JSON_C_TO_STRING_PLAIN),
	    "{\"accounts\":[{\"line\":2,\"password\":\"p2\"}]}");
	json_object_put(neu);
	/* Nothing stored to keep. */
	neu = json_tokener_parse("{\"accounts\":[{\"line\":3,\"password\":"
	    "{\"set\":true}}]}");
	ck_assert_int_eq(api_device_keep_secrets(neu, old, &pb), -1);
	ck_assert_int_eq(pb.status, 422);
	json_object_put(neu);
	neu = json_tokener_parse("{\"admin_password\":{\"value\":1}}");
	ck_assert_int_eq(api_device_keep_secrets(neu, old, &pb), -1);
	json_object_put(neu);
	json_object_put(m);
	json_object_put(old);
}
END_TEST

START_TEST(test_link_keys)
{
	char a[LINKS_KEY_LEN + 1], b[LINKS_KEY_LEN + 1];

	ck_assert_int_eq(links_key_new(a), 0);
	ck_assert_int_eq(links_key_new(b), 0);
	ck_assert(links_key_plausible(a, strlen(a)) &&
	    links_key_plausible(b, strlen(b)));
	ck_assert_str_ne(a, b);
	ck_assert(!links_key_plausible("short", strlen("short")));
	ck_assert(!links_key_plausible("++++++++++++++++++++++++++++++++++"
	    "+++++++++", 43));
}
END_TEST

Suite *api_device_suite(void);

Suite *
api_device_suite(void)
{
	Suite *s = suite_create("api_device");
	TCase *tc = tcase_create("api_device");

	tcase_add_test(tc, test_sonata_example);
	tcase_add_loop_test(tc, test_sonata_offsets, 0, sizeof(zones) /
	    sizeof(zones[0]));
	tcase_add_loop_test(tc, test_refused, 0, sizeof(refused) /
	    sizeof(refused[0]));
	tcase_add_test(tc, test_secrets);
	tcase_add_test(tc, test_link_keys);
	suite_add_tcase(s, tc);
	return s;
}
