/* The process context: one struct app from the environment or from flags,
 * the same for every program. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "testutil.h"
#include "tz.h"

#define GOOD	"tests/data/config/good"

static const char *const env_names[] = { "DESKPROV_ETC",
    "DESKPROV_SCHEMA_DIR", "DESKPROV_DATA", "DESKPROV_ZONEINFO" };

/* The suites may share one process (CK_FORK=no): leave nothing set. */
static void
clear_env(void)
{
	for (size_t i = 0; i < sizeof(env_names) / sizeof(env_names[0]); i++)
		unsetenv(env_names[i]);
	tz_set_zoneinfo_dir(NULL);
}

/* The data directory with what a server leaves in it. */
static void
rm_tree(const char *dir)
{
	char cmd[TU_DIR_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The executables find their directories in the environment. */
START_TEST(test_init_from_environment)
{
	struct app app;
	char etc[TU_DIR_MAX], data[TU_DIR_MAX], path[TU_DIR_MAX + 32];


	tu_copy_dir(GOOD, etc);
	tu_mkdtemp(data);
	setenv("DESKPROV_ETC", etc, 1);
	setenv("DESKPROV_SCHEMA_DIR", "/nonexistent", 1);
	setenv("DESKPROV_DATA", data, 1);
	app_init_server(&app, "test");
	ck_assert_str_eq(app.prog, "test");
	ck_assert_str_eq(app.etc, etc);
	ck_assert_str_eq(app.data_dir, data);
	ck_assert_str_eq(app.schema_dir, "/nonexistent");
	ck_assert_ptr_nonnull(app.cs.snap);
	/* schema.yml beside the other files wins. */
	ck_assert_uint_eq(app.cs.snap->n_schema, 9);
	/* A server opens the shared metrics in the data directory. */
	ck_assert_ptr_nonnull(app.metrics);
	snprintf(path, sizeof(path), "%s/metrics.state", data);
	ck_assert_int_eq(access(path, F_OK), 0);
	app_free(&app);
	clear_env();
	tu_remove_dir(etc);
	rm_tree(data);
}
END_TEST

/* A flag (a field already set) wins over the environment; an empty
 * variable counts as unset. */
START_TEST(test_flags_win_over_environment)
{
	struct app_options o = { .etc = "flag-etc" };

	setenv("DESKPROV_ETC", "env-etc", 1);
	setenv("DESKPROV_DATA", "", 1);
	setenv("DESKPROV_ZONEINFO", "/zones", 1);
	app_options_from_env(&o);
	ck_assert_str_eq(o.etc, "flag-etc");
	ck_assert_ptr_null(o.data_dir);
	ck_assert_ptr_null(o.schema_dir);
	ck_assert_str_eq(o.zoneinfo, "/zones");
	ck_assert_int_eq(o.server, 0);
	clear_env();
}
END_TEST

/* What nothing names: ./etc and ./reports, as the README's layout. */
START_TEST(test_defaults)
{
	struct app_options o = { 0 };
	struct app app;

	clear_env();
	app_options_from_env(&o);
	app_init(&app, "tool", &o);
	ck_assert_str_eq(app.etc, "./etc");
	ck_assert_str_eq(app.data_dir, "./reports");
	/* The tool neither shares a last good copy nor opens metrics. */
	ck_assert_ptr_null(app.metrics);
	ck_assert_str_eq(app.cs.data_dir, "");
	app_free(&app);
}
END_TEST

/* The zone directory of the context is the one time zones load from. */
START_TEST(test_zoneinfo_from_context)
{
	struct app_options o = { .etc = "/nonexistent",
	    .zoneinfo = "/nonexistent/zones" };
	struct app app;
	struct tzinfo tz;
	char err[200];

	app_init(&app, "tool", &o);
	ck_assert_int_eq(tz_load(NULL, "Europe/Rome", &tz, err, sizeof(err)),
	    -1);
	app_free(&app);
	o.zoneinfo = NULL;
	app_init(&app, "tool", &o);
	ck_assert_int_eq(tz_load(NULL, "Europe/Rome", &tz, err, sizeof(err)),
	    0);
	app_free(&app);
}
END_TEST

/* A server makes the report key on first need; the tool never does (a
 * key made by root could not be read by the web server) but reads one
 * that exists. */
START_TEST(test_key_created_by_servers_only)
{
	struct app tool, server;
	struct app_options o = { .etc = "/nonexistent" };
	char data[TU_DIR_MAX], path[TU_DIR_MAX + 32];

	tu_mkdtemp(data);
	o.data_dir = data;
	app_init(&tool, "tool", &o);
	ck_assert_ptr_null(app_key(&tool, NULL));
	snprintf(path, sizeof(path), "%s/%s", data, SECRET_KEY_FILE);
	ck_assert_int_ne(access(path, F_OK), 0);

	o.server = 1;
	app_init(&server, "server", &o);
	ck_assert_ptr_nonnull(app_key(&server, NULL));
	ck_assert_int_eq(access(path, F_OK), 0);
	/* Now the tool reads the same key. */
	ck_assert_ptr_nonnull(app_key(&tool, NULL));
	ck_assert_mem_eq(tool.key.bytes, server.key.bytes, SECRET_KEY_LEN);
	app_free(&tool);
	app_free(&server);
	rm_tree(data);
}
END_TEST

Suite *app_suite(void);

Suite *
app_suite(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("app");

	tcase_add_test(tc, test_init_from_environment);
	tcase_add_test(tc, test_flags_win_over_environment);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_zoneinfo_from_context);
	tcase_add_test(tc, test_key_created_by_servers_only);
	suite_add_tcase(s, tc);
	return s;
}
