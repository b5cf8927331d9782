/* The device model's list of secret fields: which provenance paths
 * `deskprov explain` hides, and what a file of more than one phone loses. */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "device.h"
#include "yamltree.h"

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

/* ---- directory entries (issue 15) ---- */

/* Parses one layer from YAML text: 0 and *out, or -1 with err. */
static int
layer(const char *yaml, json_object **out, struct diag *err)
{
	struct ydoc doc;
	int rc;

	ck_assert_int_eq(ydoc_load_string(&doc, yaml, strlen(yaml), err), 0);
	rc = device_layer_parse(doc.root, 0, out, err);
	ydoc_free(&doc);
	return rc;
}

/* What a layer with a directory may and may not say; `why` is a piece of
 * the message an admin reads. */
static const struct {
	int		 line;
	const char	*yaml;
	const char	*why;	/* NULL: accepted */
} dir_cases[] = {
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \"2002\"}]}]",
	    NULL },
	{ __LINE__, "directory: [{name: \"O'Brien & <Co>\", group: Sales, "
	    "first_name: Sean, last_name: O'Brien, numbers: [{number: "
	    "\"+353 1 555 (0199)\", type: mobile}, {number: alice@pbx, "
	    "type: other}]}]", NULL },
	{ __LINE__, "directory: []", NULL },
	{ __LINE__, "directory: [{numbers: [{number: \"1\"}]}]",
	    "needs 'name'" },
	{ __LINE__, "directory: [{name: Bob}]", "needs 'numbers'" },
	{ __LINE__, "directory: [{name: Bob, numbers: []}]",
	    "at least 1 entry" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{type: work}]}]",
	    "needs 'number'" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \"1\", "
	    "type: fax}]}]", "not one of the allowed values" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \"1;2\"}]}]",
	    "phone number" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \" 12\"}]}]",
	    "phone number" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \"\"}]}]",
	    "phone number" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: "
	    "\"12345678901234567890123456789012345678901234567890123456789012345\"}]}]",
	    "phone number" },
	{ __LINE__, "directory: [{name: \"a\\nb\", numbers: [{number: \"1\"}]}]",
	    "one line of text" },
	{ __LINE__, "directory: [{name: Bob, phone: \"1\", numbers: [{number: "
	    "\"1\"}]}]", "unknown key" },
	{ __LINE__, "directory: {name: Bob}", "must be a list" },
	{ __LINE__, "directory: [{name: Bob, numbers: [{number: \"1\"}, "
	    "{number: \"2\"}, {number: \"3\"}, {number: \"4\"}, "
	    "{number: \"5\"}, {number: \"6\"}, {number: \"7\"}, "
	    "{number: \"8\"}, {number: \"9\"}]}]", "more than 8 entries" },
};

START_TEST(test_directory_fields)
{
	json_object *o = NULL;
	struct diag err;
	int rc = layer(dir_cases[_i].yaml, &o, &err);

	if (dir_cases[_i].why == NULL)
		ck_assert_msg(rc == 0, "line %d: refused: %s", dir_cases[_i].line,
		    err.msg);
	else
		ck_assert_msg(rc < 0 && strstr(err.msg, dir_cases[_i].why),
		    "line %d: %s", dir_cases[_i].line, rc < 0 ? err.msg :
		    "accepted");
	json_object_put(o);
}
END_TEST

/* More entries than a layer may hold is refused at load, before anything
 * is copied. */
START_TEST(test_directory_bounded)
{
	size_t n = DEVICE_DIRECTORY_MAX + 1, len = 0;
	const char *row = "- {name: A, numbers: [{number: \"1\"}]}\n";
	char *yaml = malloc(16 + n * strlen(row));
	json_object *o = NULL;
	struct diag err;

	ck_assert_ptr_nonnull(yaml);
	len += (size_t)sprintf(yaml, "directory:\n");
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(yaml + len, "%s", row);
	ck_assert_int_lt(layer(yaml, &o, &err), 0);
	ck_assert_msg(strstr(err.msg, "more than 20000 entries") != NULL, "%s",
	    err.msg);
	free(yaml);
}
END_TEST

/* Every layer's entries add up, lowest first (the fleet's, then the
 * phone's own), and explain learns how many each layer gave. */
START_TEST(test_directory_layers_add_up)
{
	json_object *layers[DL_COUNT] = { NULL }, *d, *dir, *prov, *v;
	struct diag err;

	ck_assert_int_eq(layer("directory: [{name: Fleet, numbers: [{number: "
	    "\"1\"}]}, {name: Desk, numbers: [{number: \"2\"}]}]",
	    &layers[DL_COMMON], &err), 0);
	ck_assert_int_eq(layer("directory: [{name: Mine, numbers: [{number: "
	    "\"3\"}]}]", &layers[DL_PHONE], &err), 0);
	prov = json_object_new_object();
	d = device_merge(layers, prov);
	ck_assert(json_object_object_get_ex(d, "directory", &dir));
	ck_assert_uint_eq(json_object_array_length(dir), 3);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(dir, 0), "name")), "Fleet");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(dir, 2), "name")), "Mine");
	ck_assert(json_object_object_get_ex(prov, "directory[common]", &v));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(v,
	    "value")), 2);
	/* The merged list shares the layers' entries: freeing the layers
	 * first leaves it whole. */
	json_object_put(layers[DL_COMMON]);
	json_object_put(layers[DL_PHONE]);
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(dir, 1), "name")), "Desk");
	json_object_put(d);
	json_object_put(prov);
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
	tc = tcase_create("directory");
	tcase_add_loop_test(tc, test_directory_fields, 0,
	    (int)(sizeof(dir_cases) / sizeof(dir_cases[0])));
	tcase_add_test(tc, test_directory_bounded);
	tcase_add_test(tc, test_directory_layers_add_up);
	suite_add_tcase(s, tc);
	return s;
}
