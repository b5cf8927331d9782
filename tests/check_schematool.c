/* The schema tools: a generated schema.yml reads back exactly and holds no
 * secret, installing it keeps the old one, reports come from JSON and XML
 * files. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "schematool.h"
#include "testutil.h"

static const struct {
	const char	*name;
	const char	*value;
	const char	*want;	/* in the schema: the value, or "" */
} params[] = {
	{ "Station_Name", "Desk", "Desk" },
	{ "Enable_Web", "Yes", "Yes" },
	{ "Quote", "it's \"x\"", "it's \"x\"" },
	{ "Colon", "a: b # c", "a: b # c" },
	{ "Lines", "one\ntwo\r\n\tthree", "one\ntwo\r\n\tthree" },
	{ "Empty", "", "" },
	{ "Spaces", "  padded  ", "  padded  " },
	{ "Unicode", "Gr\xc3\xbc\xc3\x9f\xe2\x82\xac", "Gr\xc3\xbc\xc3\x9f\xe2\x82\xac" },
	{ "Number", "0005", "0005" },
	{ "Admin_Password", "clear-admin-pw", "" },
	{ "SIP_Secret_1_", "clear-secret", "" },
	{ "Line_Key_Label_1_", "key label", "key label" },
	{ "Hashed_Thing", "hmac-sha256:0123456789abcdef0123456789abcdef"
	    "0123456789abcdef0123456789abcdef", "" },
	{ "yes", "odd key", "odd key" },
};
#define N_PARAMS	(sizeof(params) / sizeof(params[0]))

static void
make_report(struct report *r)
{
	report_init(r, REPORT_CONFIG);
	for (size_t i = 0; i < N_PARAMS; i++)
		report_set(r, params[i].name, strlen(params[i].name),
		    params[i].value, strlen(params[i].value));
}

/* Generates, parses back with the config's YAML reader, compares. */
START_TEST(test_generate_roundtrip)
{
	struct comparison_settings cmp;
	struct service_settings svc;
	struct firmware_settings fw;
	const struct ynode *p, *s;
	struct report r;
	struct ydoc doc;
	struct diag err;
	struct buf out;

	settings_defaults(&svc, &fw, &cmp);
	make_report(&r);
	buf_init(&out);
	ck_assert_int_eq(schema_generate(&r, &cmp, NULL, "file\nname\x1b",
	    0, &out), 3);
	ck_assert_ptr_null(strstr(out.data, "clear-"));
	ck_assert_ptr_null(strstr(out.data, "hmac-sha256"));
	ck_assert_ptr_nonnull(strstr(out.data, "on 1970-01-01T00:00:00Z from "
	    "file\\x0aname\\x1b.\n"));
	ck_assert_int_eq(ydoc_load_string(&doc, out.data, out.len, &err), 0);
	s = ymap_get(doc.root, "schema");
	p = ymap_get(s, "flat_profile_params");
	ck_assert_uint_eq(YMAP_N(p), N_PARAMS);
	for (size_t i = 0; i < N_PARAMS; i++) {
		ck_assert_str_eq(YMAP_KEY(p, i)->str, params[i].name);
		ck_assert_msg(strcmp(YMAP_VAL(p, i)->str, params[i].want) == 0,
		    "%s: got '%s'", params[i].name, YMAP_VAL(p, i)->str);
		ck_assert(!YMAP_VAL(p, i)->plain);	/* always quoted */
	}
	p = ymap_get(ymap_get(s, "xml_structure"), "device");
	ck_assert_str_eq(ymap_get(p, "flat-profile")->str, "DYNAMIC_PARAMS");
	ydoc_free(&doc);
	buf_free(&out);
	report_free(&r);
}
END_TEST

/* The old schema's structure is kept; the result loads as a config. */
START_TEST(test_generate_keeps_structure)
{
	static const char old[] = "schema:\n  flat_profile_params:\n"
	    "    A: ''\n  xml_structure:\n    device:\n"
	    "      flat-profile: DYNAMIC_PARAMS\n      extra: {inner: x}\n";
	char dir[TU_DIR_MAX], path[128], err[256], backup[128];
	const struct ynode *structure;
	struct comparison_settings cmp;
	struct service_settings svc;
	struct firmware_settings fw;
	struct diag cerr;
	struct snapshot *snap;
	struct strmap names;
	struct report r;
	struct ydoc doc;
	struct buf out;

	settings_defaults(&svc, &fw, &cmp);
	tu_copy_dir("tests/data/config/minimal", dir);
	tu_write(dir, "schema.yml", old);
	snprintf(path, sizeof(path), "%s/schema.yml", dir);
	ck_assert_int_eq(schema_names(path, &doc, &names, &structure, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(names.n, 1);
	ck_assert_ptr_nonnull(structure);
	make_report(&r);
	buf_init(&out);
	ck_assert_int_ge(schema_generate(&r, &cmp, structure, "t", 0, &out),
	    0);
	ck_assert_ptr_nonnull(strstr(out.data, "      extra:\n        inner: "));
	ck_assert_int_eq(schema_install(dir, out.data, out.len, 1795000000,
	    backup, sizeof(backup), err, sizeof(err)), 0);
	ck_assert_str_eq(backup, "schema.yml.bak-20261118T110640Z");
	snap = snapshot_load(dir, dir, &cerr);
	ck_assert_msg(snap != NULL, "%s", cerr.msg);
	ck_assert_uint_eq(snap->n_schema, N_PARAMS);
	snapshot_free(snap);
	strmap_free(&names);
	ydoc_free(&doc);
	buf_free(&out);
	report_free(&r);
	tu_remove_dir(dir);
}
END_TEST

static char *
slurp(const char *dir, const char *name)
{
	char path[256], *data;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(stat(path, &st), 0);
	data = calloc(1, (size_t)st.st_size + 1);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(data, 1, (size_t)st.st_size, f),
	    (size_t)st.st_size);
	fclose(f);
	return data;
}

/* Backups never replace each other; no temporary file stays. */
START_TEST(test_install_backups)
{
	char dir[TU_DIR_MAX], backup[128], err[256], *s;
	struct dirent *e;
	DIR *d;
	int n = 0;

	tu_mkdtemp(dir);
	ck_assert_int_eq(schema_install(dir, "first\n", 6, 0, backup,
	    sizeof(backup), err, sizeof(err)), 0);
	ck_assert_str_eq(backup, "");
	ck_assert_int_eq(schema_install(dir, "second\n", 7, 0, backup,
	    sizeof(backup), err, sizeof(err)), 0);
	ck_assert_str_eq(backup, "schema.yml.bak-19700101T000000Z");
	ck_assert_int_eq(schema_install(dir, "third\n", 6, 0, backup,
	    sizeof(backup), err, sizeof(err)), 0);
	ck_assert_str_eq(backup, "schema.yml.bak-19700101T000000Z-2");
	s = slurp(dir, "schema.yml");
	ck_assert_str_eq(s, "third\n");
	free(s);
	s = slurp(dir, "schema.yml.bak-19700101T000000Z");
	ck_assert_str_eq(s, "first\n");
	free(s);
	s = slurp(dir, "schema.yml.bak-19700101T000000Z-2");
	ck_assert_str_eq(s, "second\n");
	free(s);
	d = opendir(dir);
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';	/* no .schema.yml.tmp-* left */
	closedir(d);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(schema_install("/nonexistent/dir", "x", 1, 0, backup,
	    sizeof(backup), err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/dir"));
	tu_remove_dir(dir);
}
END_TEST

static const struct {
	int		 line;
	const char	*body;
	int		 ok;
	size_t		 n;
} files[] = {
	{ __LINE__, "{\"timestamp\": \"x\", \"data\": {\"A\": \"1\", "
	    "\"B_\": \"two\"}}", 1, 2 },
	{ __LINE__, "  \n{\"data\": {}}", 1, 0 },
	{ __LINE__, "{\"data\": {\"A\": 1}}", 0, 0 },
	{ __LINE__, "{\"data\": {\"<x>\": \"1\"}}", 0, 0 },
	{ __LINE__, "{\"data\": []}", 0, 0 },
	{ __LINE__, "{not json", 0, 0 },
	{ __LINE__, "<flat-profile><A>1</A><B>2</B><C/></flat-profile>", 1, 3 },
	{ __LINE__, "<env><flat-profile><A>1</A></flat-profile></env>", 1, 1 },
	{ __LINE__, "<status><Software_Version>1</Software_Version></status>",
	    0, 0 },
	{ __LINE__, "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
	    "<flat-profile><A>&e;</A></flat-profile>", 0, 0 },
	{ __LINE__, "", 0, 0 },
};

START_TEST(test_report_from_file)
{
	char dir[TU_DIR_MAX], path[128], err[256];
	struct report r;

	tu_mkdtemp(dir);
	tu_write(dir, "report", files[_i].body);
	snprintf(path, sizeof(path), "%s/report", dir);
	ck_assert_msg(schema_report_from_file(path, &r, err, sizeof(err)) ==
	    (files[_i].ok ? 0 : -1), "line %d: %s", files[_i].line, err);
	if (files[_i].ok)
		ck_assert_uint_eq(r.n, files[_i].n);
	report_free(&r);
	ck_assert_int_eq(schema_report_from_file(dir, &r, err, sizeof(err)),
	    -1);
	report_free(&r);
	tu_remove_dir(dir);
}
END_TEST

Suite *schematool_suite(void);

Suite *
schematool_suite(void)
{
	Suite *s = suite_create("schematool");
	TCase *tc = tcase_create("schematool");

	tcase_add_test(tc, test_generate_roundtrip);
	tcase_add_test(tc, test_generate_keeps_structure);
	tcase_add_test(tc, test_install_backups);
	tcase_add_loop_test(tc, test_report_from_file, 0,
	    (int)(sizeof(files) / sizeof(files[0])));
	suite_add_tcase(s, tc);
	return s;
}
