/* The device model's list of secret fields: which provenance paths
 * `deskprov explain` hides, and what a file of more than one phone loses. */
#include <check.h>
#include <json-c/json.h>
#include <string.h>

#include "device.h"

static const struct {
	int		 line;
	const char	*path;
	int		 secret;
} paths[] = {
	{ __LINE__, "admin_password", 1 },
	{ __LINE__, "user_password", 1 },
	{ __LINE__, "accounts[1].password", 1 },
	{ __LINE__, "accounts[32].password", 1 },
	{ __LINE__, "account_defaults.password", 1 },
	{ __LINE__, "params[SIP_Password_1_]", 1 },
	{ __LINE__, "params[Admin_Passwd]", 1 },
	{ __LINE__, "params[Station_Name]", 0 },
	{ __LINE__, "params[]", 0 },
	{ __LINE__, "accounts[1].user", 0 },
	{ __LINE__, "accounts[1].server.host", 0 },
	{ __LINE__, "account_defaults.server.port", 0 },
	{ __LINE__, "accounts[1].passwords", 0 },
	{ __LINE__, "timezone", 0 },
	{ __LINE__, "line_keys[2].value", 0 },
	{ __LINE__, "password", 0 },
	{ __LINE__, "system_pin", 1 },
	{ __LINE__, "accounts[1].outbound_proxy.host", 0 },
};

START_TEST(test_path_secret)
{
	ck_assert_msg(device_path_secret(paths[_i].path) == paths[_i].secret,
	    "line %d: %s", paths[_i].line, paths[_i].path);
}
END_TEST

/* Every field of the table goes, wherever it sits; nothing else does. */
START_TEST(test_strip)
{
	json_object *d = json_tokener_parse("{"
	    "\"admin_password\": \"a\", \"user_password\": \"u\","
	    "\"system_pin\": \"1234\","
	    "\"timezone\": \"Europe/Rome\","
	    "\"account_defaults\": {\"password\": \"d\", \"user\": \"x\"},"
	    "\"accounts\": [{\"line\": 1, \"password\": \"p1\"},"
	    "  {\"line\": 2, \"password\": \"p2\", \"user\": \"2\"}],"
	    "\"params\": {\"SIP_Password_1_\": \"s\", \"Station_Name\": \"n\"}}");

	ck_assert_ptr_nonnull(d);
	device_strip_secrets(d);
	ck_assert_str_eq(json_object_to_json_string_ext(d,
	    JSON_C_TO_STRING_PLAIN), "{\"timezone\":\"Europe\\/Rome\","
	    "\"account_defaults\":{\"user\":\"x\"},\"accounts\":[{\"line\":1},"
	    "{\"line\":2,\"user\":\"2\"}],\"params\":{\"Station_Name\":\"n\"}}");
	json_object_put(d);
}
END_TEST

Suite *device_suite(void);

Suite *
device_suite(void)
{
	Suite *s = suite_create("device");
	TCase *tc = tcase_create("secrets");

	tcase_add_loop_test(tc, test_path_secret, 0,
	    (int)(sizeof(paths) / sizeof(paths[0])));
	tcase_add_test(tc, test_strip);
	suite_add_tcase(s, tc);
	return s;
}
