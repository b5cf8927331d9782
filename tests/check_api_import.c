/* api_import.c: vendor CSV sheets and JSON files turned into devices. */
#include <check.h>
#include <string.h>

#include "api_import.h"

static json_object *
csv(const char *text, char *err, size_t errsz)
{
	json_object *out = NULL;

	err[0] = '\0';
	if (api_import_csv(text, strlen(text), NULL, &out, err, errsz) < 0)
		return NULL;
	return out;
}

static const char *
plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* Yealink-style sheet: rows of one MAC are its lines. */
START_TEST(test_csv_groups_lines)
{
	char err[256];
	json_object *l = csv("MAC,Model,Vendor,Account,Password,Display Name,"
	    "Line\r\n00:15:65:11:22:33,T46S,yealink,3001,pw1,Alice,1\r\n"
	    "00:15:65:11:22:33,T46S,yealink,3002,\"p,w\"\"2\",\"Alice, 2\",2\r\n"
	    "\r\n", err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(plain(l), "[{\"id\":\"001565112233\",\"device\":"
	    "{\"vendor\":\"yealink\",\"model\":\"T46S\",\"mac\":\"001565112233\","
	    "\"accounts\":[{\"line\":1,\"user\":\"3001\",\"password\":\"pw1\","
	    "\"display_name\":\"Alice\"},{\"line\":2,\"user\":\"3002\","
	    "\"password\":\"p,w\\\"2\",\"display_name\":\"Alice, 2\"}]}}]");
	json_object_put(l);
}
END_TEST

/* ';' between fields, other spellings of the columns, an id column. */
START_TEST(test_csv_semicolons_and_aliases)
{
	char err[256];
	json_object *l = csv("device_id;mac_address;Brand;EXTENSION;secret;"
	    "sip-server;Auth Name\nlobby;0004f2aabb01;polycom;100;s;pbx.example;"
	    "a100\n", err, sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_str_eq(plain(l), "[{\"id\":\"lobby\",\"device\":{\"vendor\":"
	    "\"polycom\",\"mac\":\"0004f2aabb01\",\"accounts\":[{\"line\":1,"
	    "\"user\":\"100\",\"password\":\"s\",\"auth_user\":\"a100\","
	    "\"server\":{\"host\":\"pbx.example\"}}]}}]");
	json_object_put(l);
}
END_TEST

/* A bad row fails alone; the rest go on. */
START_TEST(test_csv_bad_row)
{
	char err[256];
	json_object *l = csv("mac,model\nzz,T46S\n001565000001,T46S\n", err,
	    sizeof(err));

	ck_assert_msg(l != NULL, "%s", err);
	ck_assert_uint_eq(json_object_array_length(l), 2);
	ck_assert_str_eq(plain(json_object_array_get_idx(l, 0)),
	    "{\"id\":\"line 2\",\"error\":\"line 2: not a MAC address\"}");
	json_object_put(l);
}
END_TEST

static const struct {
	const char	*text, *err;
	int		 line;
} bad_files[] = {
	{ "", "no header row", __LINE__ },
	{ "mac,colour\n", "line 1: unknown column 2", __LINE__ },
	{ "mac\n\"0015\n", "line 2: a broken quote", __LINE__ },
	{ "mac\n001565000001,x\n", "line 2: more fields than columns",
	    __LINE__ },
};

START_TEST(test_csv_bad_files)
{
	char err[256];
	json_object *l = csv(bad_files[_i].text, err, sizeof(err));

	ck_assert_msg(l == NULL, "line %d: parsed", bad_files[_i].line);
	ck_assert_msg(strstr(err, bad_files[_i].err) != NULL, "line %d: %s",
	    bad_files[_i].line, err);
}
END_TEST

START_TEST(test_json_items)
{
	const char *t = "[{\"mac\":\"00:15:65:11:30:8f\",\"status\":true},"
	    "{\"id\":\"d2\",\"device\":{\"mac\":\"1\"}}]";
	json_object *l = NULL;
	char err[128];

	ck_assert_int_eq(api_import_json(t, strlen(t), &l, err, sizeof(err)),
	    0);
	ck_assert_str_eq(plain(l), "[{\"id\":\"00156511308f\",\"device\":"
	    "{\"mac\":\"00:15:65:11:30:8f\",\"status\":true}},{\"id\":\"d2\","
	    "\"device\":{\"mac\":\"1\"}}]");
	json_object_put(l);
	ck_assert_int_eq(api_import_json("[{\"x\":1}]", 9, &l, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(l);
}
END_TEST

Suite *api_import_suite(void);

Suite *
api_import_suite(void)
{
	Suite *s = suite_create("api_import");
	TCase *tc = tcase_create("api_import");

	tcase_add_test(tc, test_csv_groups_lines);
	tcase_add_test(tc, test_csv_semicolons_and_aliases);
	tcase_add_test(tc, test_csv_bad_row);
	tcase_add_loop_test(tc, test_csv_bad_files, 0, sizeof(bad_files) /
	    sizeof(bad_files[0]));
	tcase_add_test(tc, test_json_items);
	suite_add_tcase(s, tc);
	return s;
}
