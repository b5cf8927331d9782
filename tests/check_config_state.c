/* Reloading: a changed file is picked up, a broken one never replaces the
 * last good snapshot, and the reason is kept for /health.  Each test works
 * on a copy of the good fixture in a temporary directory. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include "config_state.h"
#include "snapfile.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

static const char common_ok[] =
    "common:\n"
    "  Proxy_1_: 'pbx2.example.net'\n"
    "  Time_Zone: 'GMT+02:00'\n";

/* Line 3 is indented one space short. */
static const char common_broken[] =
    "common:\n"
    "  Proxy_1_: 'pbx3.example.net'\n"
    " Time_Zone: 'GMT+03:00'\n";

static const char *
base_value(const struct snapshot *s, const char *name)
{
	const struct param *p = strmap_get(&s->base_slots, name, strlen(name));

	return p ? p->value : NULL;
}

/* Waits long enough for the file system clock to move on, so that a
 * rewrite in place gets a new modification time. */
static void
tick(void)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

START_TEST(test_initial_load)
{
	struct config_state cs;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_ptr_nonnull(cs.snap);
	ck_assert_ptr_eq(config_state_get(&cs), cs.snap);
	ck_assert_str_eq(cs.error, "");
	ck_assert_uint_eq(cs.reloads_ok, 1);
	ck_assert_uint_eq(cs.reloads_failed, 0);
	ck_assert_int_gt(cs.last_good, 0);
	ck_assert_uint_eq(cs.snap->n_phones, 4);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* The sequence an admin goes through: a typo, then the fix. */
START_TEST(test_broken_keeps_last_good)
{
	struct config_state cs;
	const struct snapshot *s, *first;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	ck_assert_str_eq(base_value(first, "Proxy_1_"), "pbx.example.net");

	tu_write(dir, "common.yml", common_broken);
	s = config_state_refresh(&cs);
	ck_assert_ptr_eq(s, first);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx.example.net");
	ck_assert_msg(strncmp(cs.error, "common.yml:3:", 13) == 0,
	    "error is '%s'", cs.error);
	ck_assert_uint_eq(cs.reloads_failed, 1);

	/* Unchanged broken files are not read again and again. */
	s = config_state_refresh(&cs);
	ck_assert_ptr_eq(s, first);
	ck_assert_uint_eq(cs.reloads_failed, 1);

	tu_write(dir, "common.yml", common_ok);
	s = config_state_refresh(&cs);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx2.example.net");
	ck_assert_str_eq(cs.error, "");
	ck_assert_uint_eq(cs.reloads_ok, 2);

	/* Unchanged good files: the same snapshot, no reload. */
	ck_assert_ptr_eq(config_state_refresh(&cs), s);
	ck_assert_uint_eq(cs.reloads_ok, 2);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A file over the YAML budget (an alias bomb) or a FIFO in place of a
 * file is a broken config like any other: refused with file and line,
 * and the last good snapshot keeps serving. */
START_TEST(test_over_budget_keeps_last_good)
{
	static const char bomb[] = "phones:\n"
	    "  a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	    "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n";
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	ck_assert_ptr_nonnull(first);
	tu_write(dir, "phones.yml", bomb);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(strncmp(cs.error, "phones.yml:7: aliases and merge keys "
	    "expand to more than", 52) == 0, "error is '%s'", cs.error);
	ck_assert_uint_eq(cs.reloads_failed, 1);
	tick();
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_str_eq(cs.error, "phones.yml: not a regular file");
	ck_assert_uint_eq(first->n_phones, 4);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* Puts a file of the good fixture back into dir. */
static void
restore(const char *dir, const char *file)
{
	char path[512], data[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), GOOD "/%s", file);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	tu_write_n(dir, file, data, n);
}

/* Each file is watched, not only common.yml. */
START_TEST(test_every_file_watched)
{
	static const struct {
		const char	*file, *broken;
	} files[] = {
		{ "phones.yml", "phones:\n  a:\n    mac: nope\n" },
		{ "serviceconfig.yml", "no_such_key: 1\n" },
		{ "firmware.yml", "firmware:\n  update_enabled: maybe\n" },
		{ "comparison.yml", "comparison: [\n" },
		{ "schema.yml", "schema:\n  xml_structure: {a: b}\n" },
	};
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], name[64];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		tu_write(dir, files[i].file, files[i].broken);
		ck_assert_ptr_eq(config_state_refresh(&cs), first);
		snprintf(name, sizeof(name), "%s:", files[i].file);
		ck_assert_msg(strncmp(cs.error, name, strlen(name)) == 0,
		    "after breaking %s: '%s'", files[i].file, cs.error);
		restore(dir, files[i].file);
		first = config_state_refresh(&cs);
		ck_assert_ptr_nonnull(first);
		ck_assert_str_eq(cs.error, "");
	}
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A rewrite in place that keeps the size is noticed by its time. */
START_TEST(test_same_size_rewrite)
{
	struct config_state cs;
	char dir[TU_DIR_MAX], path[512];
	FILE *f;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "common.yml", common_ok);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_str_eq(base_value(cs.snap, "Time_Zone"), "GMT+02:00");
	tick();
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, (long)(strstr(common_ok, "+02") -
	    common_ok), SEEK_SET), 0);
	ck_assert_int_ge(fputs("+05", f), 0);
	ck_assert_int_eq(fclose(f), 0);
	config_state_refresh(&cs);
	ck_assert_str_eq(base_value(cs.snap, "Time_Zone"), "GMT+05:00");
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* Within RELOAD_CHECK_INTERVAL the files are not looked at; a refresh
 * looks at once. */
START_TEST(test_throttle)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	/* The throttle is under test, not the machine's speed: the next
	 * look is a minute away whatever this run's pace. */
	cs.next_check += 60;
	tu_write(dir, "common.yml", common_ok);
	ck_assert_ptr_eq(config_state_get(&cs), first);
	ck_assert_str_eq(base_value(config_state_get(&cs), "Proxy_1_"),
	    "pbx.example.net");
	config_state_refresh(&cs);
	ck_assert_str_eq(base_value(config_state_get(&cs), "Proxy_1_"),
	    "pbx2.example.net");
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* A due look sees a changed config file at once, without walking the
 * packs and templates, whose signature is taken again only when its own
 * interval is over, or by an explicit refresh. */
START_TEST(test_look_interval)
{
	struct config_state cs;
	char dir[TU_DIR_MAX], tpl[TU_DIR_MAX + 32];
	uint64_t extra;

	ck_assert(RELOAD_CHECK_INTERVAL <= 0.1);
	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	extra = cs.extra_sig;
	cs.extra_next += 60;
	snprintf(tpl, sizeof(tpl), "%s/templates", dir);
	ck_assert_int_eq(mkdir(tpl, 0700), 0);
	tu_write(tpl, "extra.tpl", "{{Proxy_1_}}\n");
	tu_write(dir, "common.yml", common_ok);
	cs.next_check = 0;	/* the look is due */
	ck_assert_str_eq(base_value(config_state_get(&cs), "Proxy_1_"),
	    "pbx2.example.net");
	ck_assert(cs.extra_sig == extra);
	config_state_refresh(&cs);
	ck_assert(cs.extra_sig != extra);
	config_state_free(&cs);
	tu_remove_dir(tpl);
	tu_remove_dir(dir);
}
END_TEST

/* A file that disappears is an error too; the last good one serves. */
START_TEST(test_file_removed)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(strncmp(cs.error, "common.yml: missing", 19) == 0,
	    "error is '%s'", cs.error);
	/* An optional file may go away: defaults apply again. */
	tu_write(dir, "common.yml", common_ok);
	snprintf(path, sizeof(path), "%s/firmware.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	ck_assert_str_eq(cs.error, "");
	ck_assert_int_eq(cs.snap->fw.update_enabled, 0);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* An edit undone by putting the very same file back (mv of a backup):
 * the snapshot matches the files again, so the error must go. */
START_TEST(test_edit_undone)
{
	struct config_state cs;
	const struct snapshot *first;
	char dir[TU_DIR_MAX], path[512], bak[512];

	tu_copy_dir(GOOD, dir);
	config_state_init_dirs(&cs, "test", dir, dir);
	first = cs.snap;
	snprintf(path, sizeof(path), "%s/common.yml", dir);
	snprintf(bak, sizeof(bak), "%s/common.yml.bak", dir);
	ck_assert_int_eq(rename(path, bak), 0);
	tu_write(dir, "common.yml", common_broken);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_str_ne(cs.error, "");
	ck_assert_int_eq(rename(bak, path), 0);
	ck_assert_ptr_eq(config_state_refresh(&cs), first);
	ck_assert_msg(cs.error[0] == '\0', "stale error '%s'", cs.error);
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_missing_directory)
{
	struct config_state cs;
	char dir[TU_DIR_MAX], etc[TU_DIR_MAX + 8];

	tu_mkdtemp(dir);
	snprintf(etc, sizeof(etc), "%s/etc", dir);
	config_state_init_dirs(&cs, "test", etc, etc);
	ck_assert_ptr_null(cs.snap);
	ck_assert_ptr_null(config_state_get(&cs));
	ck_assert_msg(strncmp(cs.error, "phones.yml: missing", 19) == 0,
	    "error is '%s'", cs.error);
	ck_assert_int_eq(cs.last_good, 0);

	/* The directory appears: the next look loads it. */
	ck_assert_int_eq(mkdir(etc, 0700), 0);
	tu_write(etc, "phones.yml", "phones:\n  a:\n    Station_Name: A\n");
	tu_write(etc, "common.yml", common_ok);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	ck_assert_str_eq(cs.error, "");
	config_state_free(&cs);
	tu_remove_dir(etc);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_broken_from_the_start)
{
	struct config_state cs;
	char dir[TU_DIR_MAX];

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "common.yml", common_broken);
	config_state_init_dirs(&cs, "test", dir, dir);
	ck_assert_ptr_null(cs.snap);
	ck_assert_msg(strncmp(cs.error, "common.yml:3:", 13) == 0,
	    "error is '%s'", cs.error);
	tu_write(dir, "common.yml", common_ok);
	ck_assert_ptr_nonnull(config_state_refresh(&cs));
	config_state_free(&cs);
	tu_remove_dir(dir);
}
END_TEST

/* ---- shared mode: one compiled image for every process ---- */


struct shared_dirs {
	char	etc[TU_DIR_MAX];
	char	data[TU_DIR_MAX];
	char	snap[TU_DIR_MAX + 16];
};

static void
shared_setup(struct shared_dirs *d)
{
	tu_copy_dir(GOOD, d->etc);
	tu_mkdtemp(d->data);
	snprintf(d->snap, sizeof(d->snap), "%s/snapshot", d->data);
}

/* The data directory holds subdirectories (snapshot/, and the last-good
 * copy of a process that loaded privately): removed depth first. */
static void
remove_tree(const char *dir, int depth)
{
	char path[512];
	struct dirent *e;
	DIR *dp = opendir(dir);

	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (unlink(path) < 0 && depth < 4)
			remove_tree(path, depth + 1);
	}
	closedir(dp);
	ck_assert_msg(rmdir(dir) == 0, "cannot remove %s", dir);
}

static void
shared_teardown(struct shared_dirs *d)
{
	remove_tree(d->data, 0);
	tu_remove_dir(d->etc);
}

/* Refreshes until the snapshot is no longer `old` or the compile ends
 * (a bounded wait on an event, never a timed assertion). */
static const struct snapshot *
await_compile(struct config_state *cs, const struct snapshot *old)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	const struct snapshot *s = cs->snap;

	for (int i = 0; i < 6000 && (s == old || cs->compiler != 0); i++) {
		nanosleep(&ts, NULL);
		s = config_state_refresh(cs);
	}
	return config_state_refresh(cs);
}

/* A small config (its last compile was quick) is compiled before the
 * request that saw the change is answered, as a private reload was. */
START_TEST(test_shared_small_waits)
{
	struct config_state a;
	const struct snapshot *s;
	struct shared_dirs d;

	shared_setup(&d);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	a.compile_wait = 1000000;
	tick();
	tu_write(d.etc, "common.yml", common_ok);
	s = config_state_refresh(&a);
	ck_assert_int_eq(a.compiler, 0);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx2.example.net");
	ck_assert_uint_eq(a.compiles, 2);
	config_state_free(&a);
	shared_teardown(&d);
}
END_TEST

/* The first process compiles; a second one of the same files compiles
 * nothing: it takes the image (here, in one test process where the
 * image's address is the first one's, it loads privately instead). */
START_TEST(test_shared_one_compile)
{
	struct config_state a, b;
	struct shared_dirs d;
	struct snapfile_info info;
	char path[200];

	shared_setup(&d);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	ck_assert_ptr_nonnull(a.snap);
	ck_assert_ptr_nonnull(a.snap->image);
	ck_assert_uint_eq(a.compiles, 1);
	ck_assert_uint_eq(a.snap->n_phones, 4);
	snprintf(path, sizeof(path), "%s/current", d.snap);
	ck_assert_int_eq(snapfile_peek(path, &info), 0);
	ck_assert_uint_eq(info.source_sig, config_state_sig(d.etc, d.etc));
	config_state_init_shared(&b, "b", d.etc, d.etc, d.data, NULL);
	ck_assert_ptr_nonnull(b.snap);
	ck_assert_uint_eq(b.compiles, 0);
	ck_assert_ptr_null(b.snap->image);
	ck_assert_uint_eq(b.snap->source_hash, a.snap->source_hash);
	config_state_free(&b);
	/* With the address free, the same image is simply mapped. */
	config_state_free(&a);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	ck_assert_uint_eq(a.compiles, 0);
	ck_assert_ptr_nonnull(a.snap->image);
	config_state_free(&a);
	shared_teardown(&d);
}
END_TEST

/* An edit: compiled once in a child while the old snapshot serves, then
 * swapped in; a broken edit is compiled once, reported by every process
 * from the note the compiler left, and the good snapshot keeps serving. */
START_TEST(test_shared_swap_and_broken)
{
	struct config_state a, b;
	const struct snapshot *first, *s;
	struct shared_dirs d;

	shared_setup(&d);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	a.compile_wait = 0;	/* as if the fleet were large */
	first = a.snap;
	ck_assert_str_eq(base_value(first, "Proxy_1_"), "pbx.example.net");

	tick();
	tu_write(d.etc, "common.yml", common_ok);
	s = config_state_refresh(&a);
	ck_assert_ptr_eq(s, first);		/* still serving */
	/* The compile starts after the answer, not in the request. */
	ck_assert_int_eq(a.compiler, 0);
	ck_assert_int_eq(a.compile_due, 1);
	config_state_after_request(&a);
	ck_assert_int_gt(a.compiler, 0);	/* a child compiles */
	s = await_compile(&a, first);
	ck_assert_ptr_ne(s, first);
	ck_assert_ptr_nonnull(s->image);
	ck_assert_str_eq(base_value(s, "Proxy_1_"), "pbx2.example.net");
	ck_assert_uint_eq(a.compiles, 2);
	ck_assert_str_eq(a.error, "");

	tick();
	tu_write(d.etc, "common.yml", common_broken);
	first = config_state_refresh(&a);
	config_state_after_request(&a);
	s = await_compile(&a, NULL);
	ck_assert_ptr_eq(s, first);
	ck_assert_msg(strncmp(a.error, "common.yml:3:", 13) == 0, "error is "
	    "'%s'", a.error);
	ck_assert_uint_eq(a.compiles, 3);
	/* Another process (once a has let go of the image's address): the
	 * note, not a compile of its own; it serves the last compiled
	 * snapshot. */
	config_state_free(&a);
	config_state_init_shared(&b, "b", d.etc, d.etc, d.data, NULL);
	ck_assert_uint_eq(b.compiles, 0);
	ck_assert_msg(strncmp(b.error, "common.yml:3:", 13) == 0, "error is "
	    "'%s'", b.error);
	ck_assert_ptr_nonnull(b.snap);
	ck_assert_str_eq(base_value(b.snap, "Proxy_1_"), "pbx2.example.net");
	config_state_free(&b);
	shared_teardown(&d);
}
END_TEST

/* Waits for a child of this test to end (an event, not a time). */
static void
await_child(pid_t pid)
{
	int status;

	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
}

/* The second process of the next_request_sees tests: maps the image,
 * says so on `ready`, waits for `go`, then looks once with its next look
 * at the files, and at packs and templates, far away.  Exit status 0 when
 * that look served the edit: the config file's (Proxy_1_), or for a
 * template (`extra`), the image compiled from it. */
static void
second_process(const struct shared_dirs *d, int extra, int ready, int go)
{
	struct config_state b;
	const struct snapshot *s;
	char c = 'r', cur[TU_DIR_MAX + 32];
	struct stat st;
	int ok;

	config_state_init_shared(&b, "b", d->etc, d->etc, d->data, NULL);
	ok = b.snap != NULL && b.snap->image != NULL && b.gen != NULL;
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 1)
		_exit(2);
	b.next_check = 1e300;	/* the files would not be looked at */
	b.extra_next = 1e300;	/* nor packs and templates walked */
	s = config_state_get(&b);
	if (extra) {
		snprintf(cur, sizeof(cur), "%s/current", d->snap);
		ok = ok && s != NULL && stat(cur, &st) == 0 &&
		    st.st_ino == b.image_ino;
	} else
		ok = ok && s != NULL && base_value(s, "Proxy_1_") != NULL &&
		    strcmp(base_value(s, "Proxy_1_"), "pbx2.example.net") == 0;
	_exit(ok ? 0 : 1);
}

/* Another process, which looked at the files a moment ago, serves a
 * compile that ended on its very next request, not up to a second later:
 * the compile counter (snapshot/gen) moved.  `extra`: the edit is a new
 * template, whose signature that process would otherwise take only at
 * its next walk of packs and templates. */
static void
next_request_sees(int extra)
{
	struct config_state a;
	struct shared_dirs d;
	int ready[2], go[2], status;
	char c, tpl[TU_DIR_MAX + 32];
	pid_t pid;

	shared_setup(&d);
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	/* Forked before this process maps anything, so that it maps the
	 * image at its own address, as another server process would. */
	if ((pid = fork()) == 0)
		second_process(&d, extra, ready[1], go[0]);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	a.compile_wait = 0;
	tick();
	snprintf(tpl, sizeof(tpl), "%s/templates", d.etc);
	if (extra) {
		ck_assert_int_eq(mkdir(tpl, 0700), 0);
		tu_write(tpl, "extra.tpl", "{{Proxy_1_}}\n");
	} else
		tu_write(d.etc, "common.yml", common_ok);
	config_state_refresh(&a);
	config_state_after_request(&a);
	await_child(a.compiler);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the second process did not serve the compile on its next "
	    "request (status %d)", status);
	config_state_free(&a);
	for (int i = 0; i < 2; i++) {
		close(ready[i]);
		close(go[i]);
	}
	if (extra)
		tu_remove_dir(tpl);
	shared_teardown(&d);
}

START_TEST(test_shared_next_request_sees_compile)
{
	next_request_sees(0);
}
END_TEST

/* The same for a template: a moved counter means files changed, so the
 * look it starts walks packs and templates too, whenever the last walk
 * was.  Before, that process kept its old snapshot up to a second longer
 * (test_links_servers: a device the API had just written was a 404 on
 * another process). */
START_TEST(test_shared_next_request_sees_extra)
{
	next_request_sees(1);
}
END_TEST

static int
retired_count(const char *snap_dir)
{
	struct dirent *e;
	DIR *dp = opendir(snap_dir);
	int n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((e = readdir(dp)) != NULL)
		n += strncmp(e->d_name, "retired.", 8) == 0;
	closedir(dp);
	return n;
}

/* The image a compile replaces keeps a name (retired.<inode>) while a
 * process maps it, so that no request pays for freeing it; once the
 * last process let go of it, a child of that process removes it. */
START_TEST(test_shared_retired_image_swept)
{
	struct config_state a;
	const struct snapshot *first, *s;
	struct shared_dirs d;

	shared_setup(&d);
	config_state_init_shared(&a, "a", d.etc, d.etc, d.data, NULL);
	a.compile_wait = 0;
	first = a.snap;
	ck_assert_int_ge(a.image_fd, 0);
	tick();
	tu_write(d.etc, "common.yml", common_ok);
	config_state_refresh(&a);
	config_state_after_request(&a);
	await_child(a.compiler);
	s = config_state_get(&a);
	ck_assert_ptr_ne(s, first);
	/* Swapped; the old one is still this request's, and named. */
	ck_assert_ptr_eq(a.old, first);
	ck_assert_int_eq(retired_count(d.snap), 1);
	config_state_after_request(&a);
	ck_assert_ptr_null(a.old);
	await_child(a.sweeper);
	ck_assert_int_eq(retired_count(d.snap), 0);
	ck_assert_str_eq(base_value(a.snap, "Proxy_1_"), "pbx2.example.net");
	config_state_free(&a);
	shared_teardown(&d);
}
END_TEST

/* A shipped image is served without the files; replaced by a damaged
 * one, it is refused and the one before keeps serving. */
START_TEST(test_shipped_refused_keeps)
{
	struct config_state a;
	const struct snapshot *first;
	struct shared_dirs d;
	char ship[200], tmp[220];
	struct diag err;
	FILE *f;

	shared_setup(&d);
	snprintf(ship, sizeof(ship), "%s/fleet.snap", d.data);
	ck_assert_int_eq(snapfile_compile(d.etc, d.etc, ship, 0, NULL, &err),
	    0);
	config_state_init_shared(&a, "a", "/nonexistent", "/nonexistent",
	    d.data, ship);
	first = a.snap;
	ck_assert_ptr_nonnull(first);
	ck_assert_uint_eq(first->n_phones, 4);
	ck_assert_uint_eq(a.compiles, 0);
	snprintf(tmp, sizeof(tmp), "%s.new", ship);
	f = fopen(tmp, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("DPSNAP\r\n", f);	/* a header cut short */
	fclose(f);
	ck_assert_int_eq(rename(tmp, ship), 0);
	ck_assert_ptr_eq(config_state_refresh(&a), first);
	ck_assert_uint_eq(first->n_phones, 4);
	config_state_free(&a);
	unlink(ship);
	shared_teardown(&d);
}
END_TEST

Suite *config_state_suite(void);

Suite *
config_state_suite(void)
{
	Suite *s = suite_create("config_state");
	TCase *tc = tcase_create("reload");

	tcase_add_test(tc, test_initial_load);
	tcase_add_test(tc, test_broken_keeps_last_good);
	tcase_add_test(tc, test_over_budget_keeps_last_good);
	tcase_add_test(tc, test_every_file_watched);
	tcase_add_test(tc, test_same_size_rewrite);
	tcase_add_test(tc, test_throttle);
	tcase_add_test(tc, test_look_interval);
	tcase_add_test(tc, test_file_removed);
	tcase_add_test(tc, test_edit_undone);
	tcase_add_test(tc, test_missing_directory);
	tcase_add_test(tc, test_broken_from_the_start);
	suite_add_tcase(s, tc);
	tc = tcase_create("shared");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_shared_one_compile);
	tcase_add_test(tc, test_shared_small_waits);
	tcase_add_test(tc, test_shared_swap_and_broken);
	tcase_add_test(tc, test_shared_next_request_sees_compile);
	tcase_add_test(tc, test_shared_next_request_sees_extra);
	tcase_add_test(tc, test_shared_retired_image_swept);
	tcase_add_test(tc, test_shipped_refused_keeps);
	suite_add_tcase(s, tc);
	return s;
}
