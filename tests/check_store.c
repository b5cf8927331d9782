/* Reports at rest: the JSON a report becomes, ids, atomic writes that
 * never overwrite, retention, listings and the current state. */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <json-c/json.h>

#include "store.h"
#include "testutil.h"
#include "yamltree.h"

#define MAC		"001122334455"
#define MAC2		"00aabbccddee"
#define T0		1795342073	/* 2026-11-22T10:07:53Z */

static struct secret_key key;

static struct timespec
at(long sec, long usec)
{
	struct timespec t = { T0 + sec, usec * 1000 };

	return t;
}

/* A report from name, value pairs ending with NULL. */
static void
mkreport(struct report *r, enum report_kind kind, ...)
{
	const char *name, *value;
	va_list ap;

	report_init(r, kind);
	va_start(ap, kind);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		report_set(r, name, strlen(name), value, strlen(value));
	}
	va_end(ap);
}

static void
setup(struct store *st, char dir[TU_DIR_MAX], size_t retention)
{
	tu_mkdtemp(dir);
	memset(key.bytes, 0x5a, sizeof(key.bytes));
	st->dir = dir;
	st->key = &key;
	st->cmp = NULL;
	st->retention = retention;
}

/* Removes dir/<mac>/ and dir. */
static void
teardown(const char *dir)
{
	char sub[128];
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d != NULL && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%.31s", dir, e->d_name);
			tu_remove_dir(sub);
		}
	if (d != NULL)
		closedir(d);
	tu_remove_dir(dir);
}

static enum store_status
save(const struct store *st, const char *mac, const struct report *r,
    struct timespec when, char id[STORE_ID_MAX + 1])
{
	struct store_meta meta = { mac, "192.168.1.10",
	    "Cisco-CP-6841-3PCC/12.0.1 (001122334455)", when, NULL };
	char msg[STORE_MSG_MAX];
	enum store_status rc = store_save(st, &meta, r, id, msg);

	ck_assert_msg(rc == STORE_OK || msg[0] != '\0', "no message");
	return rc;
}

static void
save_ok(const struct store *st, const char *mac, enum report_kind kind,
    struct timespec when, const char *name, const char *value,
    char id[STORE_ID_MAX + 1])
{
	struct report r;

	mkreport(&r, kind, name, value, NULL);
	ck_assert_int_eq(save(st, mac, &r, when, id), STORE_OK);
	report_free(&r);
}

/* Files in dir/mac: reports counted, and whether a temporary is left. */
static size_t
count_files(const char *dir, const char *mac, int *tmp_left)
{
	char path[128];
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	snprintf(path, sizeof(path), "%s/%s", dir, mac);
	if ((d = opendir(path)) == NULL)
		return 0;
	*tmp_left = 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, ".tmp-", 5) == 0)
			*tmp_left = 1;
		n += e->d_name[0] != '.';
	}
	closedir(d);
	return n;
}

static char *
read_text(const char *dir, const char *id)
{
	char path[256], *data;
	struct stat st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%.12s/%s.json", dir, id, id);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0640);
	data = calloc(1, (size_t)st.st_size + 1);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(data, 1, (size_t)st.st_size, f),
	    (size_t)st.st_size);
	fclose(f);
	return data;
}

START_TEST(test_save_load)
{
	static const char *const fields[] = { "timestamp", "mac_address",
	    "report_type", "client_ip", "user_agent", "data" };
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], msg[STORE_MSG_MAX], *text;
	struct stored_report sr;
	struct store st;
	struct report r;
	json_object *o;
	size_t i = 0;

	setup(&st, dir, 0);
	mkreport(&r, REPORT_CONFIG, "Admin_Password", "admin1234",
	    "Station_Name", " phone-01 ", "Profile_Rule",
	    "http://thisserver.local:8080/$MA.xml", "New_Param_X",
	    "val & <x> \"q\"", "XMPP_Password", "", NULL);
	ck_assert_int_eq(save(&st, MAC, &r, at(0, 100655), id), STORE_OK);
	ck_assert(store_id_valid(id, strlen(id)));
	ck_assert(strncmp(id, MAC "-20261122T100753.100655Z-config-", 44) == 0);

	text = read_text(dir, id);
	ck_assert(strstr(text, "admin1234") == NULL);
	ck_assert(strstr(text, "\"timestamp\": \"2026-11-22T10:07:53.100655Z\"")
	    != NULL);
	ck_assert(strstr(text, "http://thisserver.local:8080/$MA.xml") != NULL);
	o = json_tokener_parse(text);
	ck_assert_ptr_nonnull(o);
	json_object_object_foreach(o, k, v) {
		(void)v;
		ck_assert_str_eq(k, fields[i++]);
	}
	ck_assert_uint_eq(i, 6);
	json_object_put(o);
	free(text);

	ck_assert_int_eq(store_load(&st, id, &sr, msg), STORE_OK);
	ck_assert_str_eq(sr.head.mac, MAC);
	ck_assert_str_eq(sr.head.timestamp, "2026-11-22T10:07:53.100655Z");
	ck_assert_int_eq(sr.head.kind, REPORT_CONFIG);
	ck_assert_str_eq(sr.client_ip, "192.168.1.10");
	ck_assert_str_eq(sr.user_agent,
	    "Cisco-CP-6841-3PCC/12.0.1 (001122334455)");
	ck_assert_uint_eq(sr.data.n, 5);
	ck_assert_str_eq(sr.data.params[1].value, " phone-01 ");
	ck_assert_str_eq(report_get(&sr.data, "New_Param_X")->value,
	    "val & <x> \"q\"");
	ck_assert(secret_is_hash(report_get(&sr.data, "Admin_Password")->value));
	ck_assert(secret_matches(&key, "Admin_Password", "admin1234", 9,
	    report_get(&sr.data, "Admin_Password")->value));
	ck_assert(secret_is_hash(report_get(&sr.data, "XMPP_Password")->value));
	stored_report_free(&sr);
	report_free(&r);
	teardown(dir);
}
END_TEST

static const struct {
	int		 line;
	const char	*id;
	size_t		 len;	/* 0: strlen */
	int		 ok;
} ids[] = {
	{ __LINE__, MAC "-20261122T100753.100655Z-config-00003039-00000007-"
	    "9f86d081", 0, 1 },
	{ __LINE__, MAC "-20261122T100753.100655Z-delta-00003039-00000007-"
	    "9f86d081", 0, 1 },
	{ __LINE__, MAC "-20261122T100753.100655Z-status-00003039-00000007-"
	    "9f86d081", 0, 1 },
	{ __LINE__, MAC "-20261122T100753.100655Z-full-00003039-00000007-"
	    "9f86d081", 0, 0 },
	{ __LINE__, "001122334455-20261122T100753.100655Z-config-00003039-"
	    "00000007-9F86D081", 0, 0 },
	{ __LINE__, "00112233445-20261122T100753.100655Z-config-00003039-"
	    "00000007-9f86d081", 0, 0 },
	{ __LINE__, "00:11:22:33:44:55-20261122T100753.100655Z-config-"
	    "00003039-00000007-9f86d081", 0, 0 },
	{ __LINE__, MAC "-20261122T100753.100655Z-config-00003039-00000007-"
	    "9f86d081.json", 0, 0 },
	{ __LINE__, MAC "-20261122T100753.100655Z-config-00003039-00000007-"
	    "9f86d08", 0, 0 },
	{ __LINE__, MAC "-20261122T100753Z-config-00003039-00000007-9f86d081",
	    0, 0 },
	{ __LINE__, "../" MAC "-20261122T100753.100655Z-config-00003039-"
	    "00000007-9f86d081", 0, 0 },
	{ __LINE__, MAC "/../../etc/passwd", 0, 0 },
	{ __LINE__, "..", 0, 0 },
	{ __LINE__, "", 0, 0 },
	{ __LINE__, MAC "-20261122T100753.100655Z-config-00003039-00000007-"
	    "9f86d081\0/../x", 80, 0 },
	{ __LINE__, MAC "-20261122T100753.100655Z-conf\0g-00003039-00000007-"
	    "9f86d081", 70, 0 },
	{ __LINE__, MAC "-20261122T100753.100655Z-config-00003039-00000007-"
	    "9f86d081 ", 0, 0 },
	{ __LINE__, MAC "_config_20261122_100753", 0, 0 },
};

START_TEST(test_ids)
{
	size_t n = ids[_i].len ? ids[_i].len : strlen(ids[_i].id);
	struct stored_report sr;
	struct store_entry e;
	struct store st = { "/nonexistent", &key, NULL, 0 };

	ck_assert_msg(store_id_valid(ids[_i].id, n) == ids[_i].ok, "line %d",
	    ids[_i].line);
	if (ids[_i].len == 0) {
		ck_assert_int_eq(store_entry_parse(ids[_i].id, &e) == 0,
		    ids[_i].ok);
		if (!ids[_i].ok)
			ck_assert_int_eq(store_load(&st, ids[_i].id, &sr, NULL),
			    STORE_E_INVALID);
		else
			ck_assert_int_eq(store_load(&st, ids[_i].id, &sr, NULL),
			    STORE_E_NOT_FOUND);
		stored_report_free(&sr);
	}
}
END_TEST

/* Many reports in the same microsecond from one process: all kept. */
START_TEST(test_unique_loop)
{
	enum { N = 300 };
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1];
	struct store_page page;
	struct store st;
	int tmp;

	setup(&st, dir, 1000);
	for (int i = 0; i < N; i++)
		save_ok(&st, MAC, REPORT_CONFIG, at(1, 5), "A", "1", id);
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), N);
	ck_assert(!tmp);
	ck_assert_int_eq(store_list(&st, MAC, 0, 1000, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.total, N);
	for (size_t i = 1; i < page.n; i++)
		ck_assert_str_ne(page.entries[i].id, page.entries[i - 1].id);
	store_page_free(&page);
	teardown(dir);
}
END_TEST

/* A spooled report processed twice (the drainer stopped between storing
 * it and marking it done) is stored once, under the same id; another
 * spool record of the same microsecond is a report of its own. */
START_TEST(test_spooled_once)
{
	char dir[TU_DIR_MAX], id1[STORE_ID_MAX + 1], id2[STORE_ID_MAX + 1];
	char id3[STORE_ID_MAX + 1], msg[STORE_MSG_MAX];
	uint64_t seq = 41, other = 42;
	struct store_meta meta = { MAC, "192.0.2.7", NULL, at(1, 5), &seq };
	struct store st;
	struct report r;
	int tmp;

	setup(&st, dir, 1000);
	mkreport(&r, REPORT_CONFIG, "A", "1", NULL);
	ck_assert_int_eq(store_save(&st, &meta, &r, id1, msg), STORE_OK);
	ck_assert_int_eq(store_save(&st, &meta, &r, id2, msg), STORE_OK);
	ck_assert_str_eq(id1, id2);
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), 1);
	meta.spool_seq = &other;
	ck_assert_int_eq(store_save(&st, &meta, &r, id3, msg), STORE_OK);
	ck_assert_str_ne(id1, id3);
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), 2);
	/* A drainer killed while writing left the temporary file of the id
	 * and never linked it: the next one stores the report all the same
	 * (it answered 503 "File exists" and the report was lost). */
	{
		char sub[TU_DIR_MAX + 16], name[STORE_ID_MAX + 16];
		char final[TU_DIR_MAX + STORE_ID_MAX + 32];
		struct stored_report sr;

		snprintf(sub, sizeof(sub), "%s/%s", dir, MAC);
		snprintf(final, sizeof(final), "%s/%s.json", sub, id3);
		ck_assert_int_eq(unlink(final), 0);
		snprintf(name, sizeof(name), ".tmp-%s.json", id3);
		tu_write(sub, name, "{\"torn");
		ck_assert_msg(store_save(&st, &meta, &r, id2, msg) == STORE_OK,
		    "%s", msg);
		ck_assert_str_eq(id2, id3);
		ck_assert_int_eq(store_load(&st, id3, &sr, NULL), STORE_OK);
		stored_report_free(&sr);
		ck_assert_uint_eq(count_files(dir, MAC, &tmp), 2);
		ck_assert(!tmp);
	}
	report_free(&r);
	teardown(dir);
}
END_TEST

/* ... and from several processes at once, same microsecond again. */
START_TEST(test_unique_fork)
{
	enum { PROCS = 6, EACH = 40 };
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1];
	struct store_page page;
	pid_t pids[PROCS];
	struct store st;
	int tmp;

	setup(&st, dir, 1000);
	for (int p = 0; p < PROCS; p++) {
		if ((pids[p] = fork()) == 0) {
			struct report r;
			int bad = 0;

			mkreport(&r, REPORT_CONFIG, "A", "1", NULL);
			for (int i = 0; i < EACH; i++)
				bad += save(&st, MAC, &r, at(2, 7), id) !=
				    STORE_OK;
			report_free(&r);
			_exit(bad);
		}
		ck_assert_int_gt(pids[p], 0);
	}
	for (int p = 0; p < PROCS; p++) {
		int status;

		ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), PROCS * EACH);
	ck_assert(!tmp);
	ck_assert_int_eq(store_list(&st, NULL, 0, 10000, &page, NULL),
	    STORE_OK);
	ck_assert_uint_eq(page.n, PROCS * EACH);
	for (size_t i = 0; i < page.n; i++) {
		struct stored_report sr;

		ck_assert_int_eq(store_load(&st, page.entries[i].id, &sr, NULL),
		    STORE_OK);
		ck_assert_str_eq(report_get(&sr.data, "A")->value, "1");
		stored_report_free(&sr);
	}
	store_page_free(&page);
	teardown(dir);
}
END_TEST

/* A writer killed with SIGKILL at whatever point it has reached: every
 * report it acknowledged (store_save returned, as before report.fcgi's
 * 200) is on disk and reads back whole, and every report file in the
 * directory reads back whole: no torn file under a report name. */
START_TEST(test_kill_mid_write)
{
	enum { ACKED = 12, PARAMS = 2000 };
	char dir[TU_DIR_MAX], acked[ACKED][STORE_ID_MAX + 1];
	struct store_page page;
	struct store st;
	int fds[2], status;
	pid_t pid;

	setup(&st, dir, 1000);
	ck_assert_int_eq(pipe(fds), 0);
	if ((pid = fork()) == 0) {
		char id[STORE_ID_MAX + 1], name[32], value[64];
		struct report r;

		close(fds[0]);
		report_init(&r, REPORT_CONFIG);
		for (int i = 0; i < PARAMS; i++) {
			snprintf(name, sizeof(name), "Param_%d_", i);
			snprintf(value, sizeof(value), "value-%d-%0*d", i,
			    40, i);
			report_set(&r, name, strlen(name), value,
			    strlen(value));
		}
		for (;;) {	/* until killed */
			if (save(&st, MAC, &r, at(0, 0), id) != STORE_OK)
				_exit(1);
			if (write(fds[1], id, sizeof(id)) != (ssize_t)sizeof(id))
				_exit(1);
		}
	}
	ck_assert_int_gt(pid, 0);
	close(fds[1]);
	for (int i = 0; i < ACKED; i++)
		ck_assert_int_eq(read(fds[0], acked[i], sizeof(acked[i])),
		    (ssize_t)sizeof(acked[i]));
	/* The writer is somewhere in its next save: kill it there. */
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	close(fds[0]);
	for (int i = 0; i < ACKED; i++) {
		struct stored_report sr;

		ck_assert_int_eq(store_load(&st, acked[i], &sr, NULL), STORE_OK);
		ck_assert_uint_eq(sr.data.n, PARAMS);
		stored_report_free(&sr);
	}
	ck_assert_int_eq(store_list(&st, MAC, 0, 100000, &page, NULL),
	    STORE_OK);
	ck_assert_uint_ge(page.n, ACKED);
	for (size_t i = 0; i < page.n; i++) {
		struct stored_report sr;

		ck_assert_int_eq(store_load(&st, page.entries[i].id, &sr,
		    NULL), STORE_OK);
		ck_assert_uint_eq(sr.data.n, PARAMS);
		stored_report_free(&sr);
	}
	store_page_free(&page);
	teardown(dir);
}
END_TEST

/* A write that fails half-way (here: the file size limit, as a full disk
 * would) leaves no file and the earlier reports intact. */
START_TEST(test_failed_write)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], big[4000];
	struct stored_report sr;
	struct store st;
	int status, tmp;
	pid_t pid;

	setup(&st, dir, 0);
	save_ok(&st, MAC, REPORT_CONFIG, at(0, 0), "A", "before", id);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	if ((pid = fork()) == 0) {
		struct rlimit rl = { 1000, 1000 };
		char msg[STORE_MSG_MAX], id2[STORE_ID_MAX + 1];
		struct report r;
		enum store_status rc;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		mkreport(&r, REPORT_CONFIG, "A", big, NULL);
		rc = store_save(&st, &(struct store_meta){ MAC, NULL, NULL,
		    at(1, 0), NULL }, &r, id2, msg);
		report_free(&r);
		_exit(rc == STORE_E_IO && id2[0] == '\0' &&
		    strstr(msg, "too large") != NULL ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_int_eq(store_status_http(STORE_E_IO), 503);
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), 1);
	ck_assert(!tmp);
	ck_assert_int_eq(store_load(&st, id, &sr, NULL), STORE_OK);
	ck_assert_str_eq(report_get(&sr.data, "A")->value, "before");
	stored_report_free(&sr);
	teardown(dir);
}
END_TEST

START_TEST(test_unwritable)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], path[128], target[128];
	struct store st, missing;
	struct report r;
	int tmp;

	setup(&st, dir, 0);
	mkreport(&r, REPORT_CONFIG, "A", "1", NULL);
	missing = st;
	missing.dir = "/nonexistent/deskprov";
	ck_assert_int_eq(save(&missing, MAC, &r, at(0, 0), id), STORE_E_IO);
	/* Where the phone's directory should be, a file... */
	tu_write(dir, MAC, "not a directory");
	ck_assert_int_eq(save(&st, MAC, &r, at(0, 0), id), STORE_E_IO);
	ck_assert_str_eq(id, "");
	snprintf(path, sizeof(path), "%s/%s", dir, MAC);
	unlink(path);
	/* ... or a symbolic link, which is never followed. */
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	ck_assert_int_eq(mkdir(target, 0700), 0);
	ck_assert_int_eq(symlink(target, path), 0);
	ck_assert_int_eq(save(&st, MAC, &r, at(0, 0), id), STORE_E_IO);
	ck_assert_uint_eq(count_files(dir, "elsewhere", &tmp), 0);
	unlink(path);
	/* Not a canonical MAC: refused before any path is built. */
	ck_assert_int_eq(save(&st, "../x", &r, at(0, 0), id), STORE_E_INVALID);
	ck_assert_int_eq(save(&st, "001122AABBCC", &r, at(0, 0), id),
	    STORE_E_INVALID);
	ck_assert_int_eq(save(&st, "00112233445g", &r, at(0, 0), id),
	    STORE_E_INVALID);
	report_free(&r);
	teardown(dir);
}
END_TEST

static void
expect_kinds(const struct store *st, const char *want)
{
	struct store_page page;
	size_t n = strlen(want);

	ck_assert_int_eq(store_list(st, MAC, 0, 1000, &page, NULL), STORE_OK);
	ck_assert_msg(page.n == n, "%zu reports, want %zu", page.n, n);
	/* want is oldest first: c config, d delta, s status. */
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq("cds"[page.entries[n - 1 - i].kind], want[i]);
	store_page_free(&page);
}

START_TEST(test_retention)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], first_kept[STORE_ID_MAX + 1];
	struct store_page page;
	struct store st;
	int tmp;

	setup(&st, dir, 5);
	for (int i = 0; i < 12; i++) {
		save_ok(&st, MAC, REPORT_CONFIG, at(i, 0), "A", "1", id);
		if (i == 7)
			memcpy(first_kept, id, sizeof(id));
	}
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), 5);
	ck_assert_int_eq(store_list(&st, MAC, 0, 100, &page, NULL), STORE_OK);
	ck_assert_str_eq(page.entries[0].id, id);
	ck_assert_str_eq(page.entries[4].id, first_kept);
	store_page_free(&page);
	teardown(dir);
}
END_TEST

/* The newest full report and the deltas after it outlive the count, up
 * to twice the retention, so the current state stays exact. */
START_TEST(test_retention_deltas)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1];
	struct store st;
	int t = 0;

	setup(&st, dir, 3);
	save_ok(&st, MAC, REPORT_STATUS, at(t++, 0), "U", "1", id);
	save_ok(&st, MAC, REPORT_CONFIG, at(t++, 0), "A", "1", id);
	for (int i = 0; i < 4; i++)
		save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "A", "2", id);
	expect_kinds(&st, "cdddd");
	save_ok(&st, MAC, REPORT_STATUS, at(t++, 0), "U", "2", id);
	expect_kinds(&st, "cdddds");
	save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "A", "3", id);
	/* Seven would be more than 2 * 3: the oldest delta goes. */
	expect_kinds(&st, "cdddsd");
	save_ok(&st, MAC, REPORT_CONFIG, at(t++, 0), "A", "4", id);
	expect_kinds(&st, "sdc");
	teardown(dir);
}
END_TEST

START_TEST(test_sweep_tmp)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], path[256];
	struct timespec old[2] = { { 1000, 0 }, { 1000, 0 } };
	struct store st;
	int tmp;

	setup(&st, dir, 0);
	save_ok(&st, MAC, REPORT_CONFIG, at(0, 0), "A", "1", id);
	snprintf(path, sizeof(path), "%s/%s", dir, MAC);
	tu_write(path, ".tmp-crashed.json", "{\"half");
	tu_write(path, ".tmp-inflight.json", "{\"half");
	snprintf(path, sizeof(path), "%s/%s/.tmp-crashed.json", dir, MAC);
	ck_assert_int_eq(utimensat(AT_FDCWD, path, old, 0), 0);
	ck_assert_int_eq(store_prune(&st, MAC, NULL), STORE_OK);
	ck_assert_int_eq(access(path, F_OK), -1);
	snprintf(path, sizeof(path), "%s/%s/.tmp-inflight.json", dir, MAC);
	ck_assert_int_eq(access(path, F_OK), 0);
	unlink(path);
	ck_assert_uint_eq(count_files(dir, MAC, &tmp), 1);
	ck_assert_int_eq(store_prune(&st, "..", NULL), STORE_E_INVALID);
	teardown(dir);
}
END_TEST

START_TEST(test_list)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], mac_dir[128];
	struct store_page page;
	struct store st;

	setup(&st, dir, 0);
	ck_assert_int_eq(store_list(&st, NULL, 0, 10, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.total, 0);
	store_page_free(&page);
	/* Times interleave between the phones: t = 0..9. */
	for (int i = 0; i < 10; i++)
		save_ok(&st, i % 2 ? MAC2 : MAC, i % 3 ? REPORT_DELTA :
		    REPORT_CONFIG, at(i, 0), "A", "1", id);
	/* Things that are not phones or reports are ignored. */
	snprintf(mac_dir, sizeof(mac_dir), "%s/%s", dir, MAC);
	tu_write(mac_dir, "notes.txt", "x");
	snprintf(mac_dir, sizeof(mac_dir), "%s/%s", dir, MAC2);
	tu_write(mac_dir, "x.json", "{}");
	tu_write(dir, "README", "x");

	ck_assert_int_eq(store_list(&st, NULL, 0, 4, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.total, 10);
	ck_assert_uint_eq(page.n, 4);
	ck_assert_str_eq(page.entries[0].mac, MAC2);	/* t = 9 */
	ck_assert(strstr(page.entries[0].timestamp, ":08:02.000000Z") != NULL);
	ck_assert_str_eq(page.entries[1].mac, MAC);	/* t = 8 */
	ck_assert_int_eq(page.entries[1].kind, REPORT_DELTA);
	store_page_free(&page);
	ck_assert_int_eq(store_list(&st, NULL, 8, 4, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.n, 2);
	ck_assert(strstr(page.entries[1].timestamp, ":07:53.000000Z") != NULL);
	store_page_free(&page);
	ck_assert_int_eq(store_list(&st, NULL, 50, 4, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.n, 0);
	ck_assert_uint_eq(page.total, 10);
	store_page_free(&page);
	ck_assert_int_eq(store_list(&st, NULL, SIZE_MAX, SIZE_MAX, &page, NULL),
	    STORE_OK);
	ck_assert_uint_eq(page.n, 0);
	store_page_free(&page);

	ck_assert_int_eq(store_list(&st, MAC2, 1, 100, &page, NULL), STORE_OK);
	ck_assert_uint_eq(page.total, 5);
	ck_assert_uint_eq(page.n, 4);
	ck_assert(strstr(page.entries[0].timestamp, ":08:00.000000Z") != NULL);
	store_page_free(&page);
	ck_assert_int_eq(store_list(&st, "0011223344ff", 0, 10, &page, NULL),
	    STORE_OK);
	ck_assert_uint_eq(page.total, 0);
	store_page_free(&page);
	ck_assert_int_eq(store_list(&st, "../etc", 0, 10, &page, NULL),
	    STORE_E_INVALID);
	store_page_free(&page);
	snprintf(mac_dir, sizeof(mac_dir), "%s/%s/notes.txt", dir, MAC);
	unlink(mac_dir);
	snprintf(mac_dir, sizeof(mac_dir), "%s/%s/x.json", dir, MAC2);
	unlink(mac_dir);
	teardown(dir);
}
END_TEST

START_TEST(test_current)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], base[STORE_ID_MAX + 1];
	char path[256];
	struct store_state cs;
	struct store st;
	struct report r;
	int t = 0;

	setup(&st, dir, 0);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_E_NOT_FOUND);
	store_state_free(&cs);
	save_ok(&st, MAC, REPORT_STATUS, at(t++, 0), "Z", "9", id);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_E_NOT_FOUND);
	store_state_free(&cs);
	/* Deltas alone: a partial state. */
	save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "Y", "0", id);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_OK);
	ck_assert(cs.partial);
	ck_assert_str_eq(cs.base_id, "");
	store_state_free(&cs);

	mkreport(&r, REPORT_CONFIG, "X", "1", "Y", "1", NULL);
	ck_assert_int_eq(save(&st, MAC, &r, at(t++, 0), base), STORE_OK);
	report_free(&r);
	save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "Y", "2", id);
	save_ok(&st, MAC, REPORT_STATUS, at(t++, 0), "Z", "9", id);
	save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "W", "3", id);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_OK);
	ck_assert(!cs.partial);
	ck_assert_str_eq(cs.base_id, base);
	ck_assert_str_eq(cs.latest_id, id);
	ck_assert_uint_eq(cs.n_deltas, 2);
	ck_assert_uint_eq(cs.params.n, 3);
	ck_assert_str_eq(report_get(&cs.params, "X")->value, "1");
	ck_assert_str_eq(report_get(&cs.params, "Y")->value, "2");
	ck_assert_str_eq(report_get(&cs.params, "W")->value, "3");
	ck_assert_ptr_null(report_get(&cs.params, "Z"));
	store_state_free(&cs);

	/* A damaged delta is left out and counted. */
	snprintf(path, sizeof(path), "%s/%s", dir, MAC);
	save_ok(&st, MAC, REPORT_DELTA, at(t++, 0), "V", "4", id);
	snprintf(path, sizeof(path), "%s/%s/%s.json", dir, MAC, id);
	ck_assert_int_eq(truncate(path, 10), 0);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_OK);
	ck_assert_uint_eq(cs.n_skipped, 1);
	ck_assert_ptr_null(report_get(&cs.params, "V"));
	store_state_free(&cs);

	/* A newer full report starts over. */
	save_ok(&st, MAC, REPORT_CONFIG, at(t++, 0), "X", "5", base);
	ck_assert_int_eq(store_current(&st, MAC, &cs, NULL), STORE_OK);
	ck_assert_uint_eq(cs.params.n, 1);
	ck_assert_uint_eq(cs.n_deltas, 0);
	ck_assert_str_eq(cs.base_id, base);
	store_state_free(&cs);
	ck_assert_int_eq(store_current(&st, "nope", &cs, NULL), STORE_E_INVALID);
	store_state_free(&cs);
	teardown(dir);
}
END_TEST

static const struct {
	int		 line;
	const char	*json;
} corrupt[] = {
	{ __LINE__, "" },
	{ __LINE__, "{\"timestamp\": \"x\", \"client_ip\": \"1\"" },
	{ __LINE__, "[]" },
	{ __LINE__, "{\"client_ip\": \"1\", \"user_agent\": \"u\"}" },
	{ __LINE__, "{\"client_ip\": \"1\", \"user_agent\": \"u\", \"data\": []}" },
	{ __LINE__, "{\"client_ip\": \"1\", \"user_agent\": \"u\", \"data\": "
	    "{\"A\": 1}}" },
	{ __LINE__, "{\"client_ip\": \"1\", \"user_agent\": \"u\", \"data\": "
	    "{\"../x\": \"1\"}}" },
	{ __LINE__, "{\"client_ip\": 5, \"user_agent\": \"u\", \"data\": {}}" },
};

START_TEST(test_load_corrupt)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], name[STORE_ID_MAX + 8];
	char mac_dir[128], msg[STORE_MSG_MAX];
	struct stored_report sr;
	struct store st;

	setup(&st, dir, 0);
	save_ok(&st, MAC, REPORT_CONFIG, at(0, 0), "A", "1", id);
	snprintf(mac_dir, sizeof(mac_dir), "%s/%s", dir, MAC);
	snprintf(name, sizeof(name), "%s.json", id);
	tu_write(mac_dir, name, corrupt[_i].json);
	ck_assert_msg(store_load(&st, id, &sr, msg) == STORE_E_CORRUPT,
	    "line %d", corrupt[_i].line);
	ck_assert_int_eq(store_status_http(STORE_E_CORRUPT), 500);
	stored_report_free(&sr);
	teardown(dir);
}
END_TEST

START_TEST(test_meta_cleaned)
{
	char dir[TU_DIR_MAX], id[STORE_ID_MAX + 1], ua[2000];
	struct store_meta meta = { MAC, NULL, NULL, { 0, 0 }, NULL };
	struct stored_report sr;
	struct timespec now;
	struct store st;
	struct report r;

	setup(&st, dir, 0);
	memset(ua, 'u', sizeof(ua) - 1);
	ua[sizeof(ua) - 1] = '\0';
	ua[3] = '\xff';
	meta.user_agent = ua;
	mkreport(&r, REPORT_DELTA, NULL);
	clock_gettime(CLOCK_REALTIME, &now);
	ck_assert_int_eq(store_save(&st, &meta, &r, id, NULL), STORE_OK);
	ck_assert_int_eq(store_load(&st, id, &sr, NULL), STORE_OK);
	ck_assert_uint_eq(strlen(sr.user_agent), STORE_UA_MAX);
	ck_assert_int_eq(sr.user_agent[3], '?');
	ck_assert_str_eq(sr.client_ip, "");
	ck_assert_uint_eq(sr.data.n, 0);
	ck_assert_int_eq(sr.head.kind, REPORT_DELTA);
	/* No time given: now. */
	ck_assert(strncmp(sr.head.timestamp, "20", 2) == 0);
	stored_report_free(&sr);
	report_free(&r);
	teardown(dir);
}
END_TEST

/* serviceconfig.yml `reports:` as the report handler reads it. */
START_TEST(test_service_keys)
{
	static const struct {
		int		 line;
		const char	*yaml;
		int		 ok;
		long		 body, keep;
	} t[] = {
		{ __LINE__, "monitoring: {}\n", 1, 1048576, 50 },
		{ __LINE__, "reports:\n  max_body_bytes: 65536\n  retention: 7\n",
		    1, 65536, 7 },
		{ __LINE__, "reports:\n  retention: 0\n", 0, 0, 0 },
		{ __LINE__, "reports:\n  max_body_bytes: 100\n", 0, 0, 0 },
		{ __LINE__, "reports:\n  max_body_bytes: 1GB\n", 0, 0, 0 },
		{ __LINE__, "reports:\n  keep: 5\n", 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct service_settings svc;
		struct firmware_settings fw;
		struct comparison_settings cmp;
		struct diag err;
		struct diag yerr;
		struct ydoc doc;
		struct arena a;
		int rc;

		ck_assert_int_eq(ydoc_load_string(&doc, t[i].yaml,
		    strlen(t[i].yaml), &yerr), 0);
		arena_init(&a);
		settings_defaults(&svc, &fw, &cmp);
		rc = service_settings_load(&svc, doc.root, &a, &err);
		ck_assert_msg((rc == 0) == t[i].ok, "line %d: %s", t[i].line,
		    err.msg);
		if (t[i].ok)
			ck_assert_msg(svc.report_max_body == t[i].body &&
			    svc.report_retention == t[i].keep, "line %d",
			    t[i].line);
		arena_free(&a);
		ydoc_free(&doc);
	}
}
END_TEST

Suite *store_suite(void);

Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_save_load);
	tcase_add_loop_test(tc, test_ids, 0,
	    (int)(sizeof(ids) / sizeof(ids[0])));
	tcase_add_test(tc, test_unique_loop);
	tcase_add_test(tc, test_spooled_once);
	tcase_add_test(tc, test_unique_fork);
	tcase_add_test(tc, test_failed_write);
	tcase_add_test(tc, test_kill_mid_write);
	tcase_add_test(tc, test_unwritable);
	tcase_add_test(tc, test_retention);
	tcase_add_test(tc, test_retention_deltas);
	tcase_add_test(tc, test_sweep_tmp);
	tcase_add_test(tc, test_list);
	tcase_add_test(tc, test_current);
	tcase_add_loop_test(tc, test_load_corrupt, 0,
	    (int)(sizeof(corrupt) / sizeof(corrupt[0])));
	tcase_add_test(tc, test_meta_cleaned);
	tcase_add_test(tc, test_service_keys);
	suite_add_tcase(s, tc);
	return s;
}
