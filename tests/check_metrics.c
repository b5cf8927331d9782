/* The shared metrics store: many processes counting into one file, crashes,
 * damaged files, full tables, and the exposition text. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "metrics.h"

/* The documented layout (metrics.h), for tests that damage a file on
 * purpose. */
#define FILE_SIZE	69378048L
#define OFF_VERSION	8
#define OFF_FINGERPRINT	16
#define OFF_NARROW_CAP	32
#define NARROW_OFF	(2216L * 1024)
#define NARROW_STRIDE	64
#define NARROW_CAP	(1L << 20)
#define NARROW_TEXT	24	/* label text offset inside a narrow slot */
#define WIDE_CAP	4096

struct tmp {
	char	dir[64];
	char	path[128];
};

static void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/check_metrics.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
	snprintf(t->path, sizeof(t->path), "%s/metrics.state", t->dir);
}

/* Removes what the store and the tests may leave behind. */
static void
tmp_remove(struct tmp *t)
{
	static const char *const names[] = { "metrics.state",
	    "metrics.state.lock", "metrics.state.tmp", "victim" };
	char p[192];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", t->dir, names[i]);
		if (unlink(p) == -1 && errno == EISDIR)
			(void)rmdir(p);
	}
	ck_assert_int_eq(rmdir(t->dir), 0);
}

/* Collects what the code under test logs on stderr. */
struct capture {
	int	saved;
	FILE	*f;
};

static void
capture_start(struct capture *c)
{
	c->f = tmpfile();
	ck_assert_ptr_nonnull(c->f);
	fflush(stderr);
	c->saved = dup(STDERR_FILENO);
	dup2(fileno(c->f), STDERR_FILENO);
}

/* Returns the log text; caller frees. */
static char *
capture_end(struct capture *c)
{
	struct buf b;
	char chunk[512];
	size_t n;

	dup2(c->saved, STDERR_FILENO);
	close(c->saved);
	buf_init(&b);
	buf_adds(&b, "");
	rewind(c->f);
	while ((n = fread(chunk, 1, sizeof(chunk), c->f)) > 0)
		buf_add(&b, chunk, n);
	fclose(c->f);
	return buf_detach(&b);
}

/* Opens the store at `path`, keeping the "created" line out of the test
 * output. */
static struct metrics *
store_open(const char *path)
{
	struct capture cap;
	struct metrics *m;

	capture_start(&cap);
	m = metrics_open(path, "check");
	free(capture_end(&cap));
	ck_assert_ptr_nonnull(m);
	return m;
}

static size_t
count_lines(const char *text, const char *prefix)
{
	size_t n = 0, len = strlen(prefix);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, prefix, len) == 0)
			n++;
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return n;
}

/* The exposition lines of one metric, # HELP included; caller frees. */
static char *
exposition_block(struct metrics *m, const char *name)
{
	struct buf out, want;
	const char *start, *end;

	buf_init(&out);
	buf_init(&want);
	metrics_write_exposition(m, &out);
	buf_printf(&want, "# HELP %s ", name);
	start = strstr(out.data, want.data);
	ck_assert_msg(start != NULL, "no %s in the exposition", name);
	end = strstr(start + 1, "# HELP ");
	if (end == NULL)
		end = start + strlen(start);
	buf_reset(&want);
	buf_add(&want, start, (size_t)(end - start));
	buf_free(&out);
	return buf_detach(&want);
}

static void
mac_of(char out[13], long i)
{
	snprintf(out, 13, "%012lx", i);
}

START_TEST(test_null_store)
{
	const char *mac[] = { "001122334455" };
	struct buf out;

	metrics_inc(NULL, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	metrics_set(NULL, METRIC_PHONE_ACTIVITY_RECENT, NULL, 1);
	metrics_add(NULL, METRIC_PHONE_ACTIVITY_RECENT, NULL, 1);
	metrics_observe(NULL, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL, 1);
	ck_assert(metrics_value(NULL, METRIC_PHONE_CONFIG_REQUESTS, mac) == 0);
	ck_assert(metrics_total(NULL, METRIC_PHONE_CONFIG_REQUESTS) == 0);
	buf_init(&out);
	metrics_write_exposition(NULL, &out);
	ck_assert_uint_eq(out.len, 0);
	buf_free(&out);
	metrics_close(NULL);
}
END_TEST

/* A data directory that cannot hold the file: no store, one log line. */
START_TEST(test_open_unwritable)
{
	struct capture cap;
	struct metrics *m;
	char *log;

	capture_start(&cap);
	m = metrics_open("/nonexistent-deskprov/metrics.state", "check");
	log = capture_end(&cap);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(count_lines(log, ""), 1);
	ck_assert_msg(strstr(log, "metrics disabled") != NULL, "log: %s", log);
	free(log);
}
END_TEST

START_TEST(test_restart_keeps_counts)
{
	const char *mac[] = { "001122334455" };
	struct capture cap;
	struct metrics *m;
	struct stat st;
	struct tmp t;
	char *log;

	tmp_make(&t);
	capture_start(&cap);
	m = metrics_open(t.path, "check");
	log = capture_end(&cap);
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(strstr(log, "created") != NULL, "log: %s", log);
	free(log);
	ck_assert_int_eq(stat(t.path, &st), 0);
	ck_assert_int_eq(st.st_size, FILE_SIZE);
	ck_assert_int_eq(st.st_mode & 0777 & ~0660, 0);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 41);
	metrics_close(m);

	capture_start(&cap);
	m = metrics_open(t.path, "check");
	log = capture_end(&cap);
	ck_assert_str_eq(log, "");	/* a good file is opened silently */
	free(log);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac) == 42);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

#define PROCS	8
#define ROUNDS	20000
#define SHARED_NEW	500	/* series every process creates at once */

/* One of PROCS processes: waits for the start signal so that all of them
 * race to create the file, then counts. */
static void
concurrent_child(const char *path, int start_fd, int me)
{
	const char *shared[] = { "aabbccddeeff" };
	const char *mine[1], *report[2];
	char mac[13], own[13];
	struct metrics *m;
	char c;
	int i;

	if (read(start_fd, &c, 1) != 0)
		_exit(2);
	if ((m = metrics_open(path, "check-child")) == NULL)
		_exit(3);
	mac_of(own, 0x100000 + me);
	mine[0] = own;
	report[0] = mac;
	report[1] = "config";
	for (i = 0; i < ROUNDS; i++) {
		metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, shared, 1);
		metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mine, 1);
		metrics_add(m, METRIC_PHONE_CONFIG_DIFFERENCES, NULL, 1);
		metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL,
		    0.25);
		if (i < SHARED_NEW) {
			mac_of(mac, 0x200000 + i);
			metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, report, 1);
		}
	}
	metrics_close(m);
	_exit(0);
}

START_TEST(test_concurrent_processes)
{
	const char *shared[] = { "aabbccddeeff" };
	const char *one[1], *report[2];
	char mac[13], p[192];
	struct metrics *m;
	struct buf out;
	struct tmp t;
	pid_t pids[PROCS];
	int fds[2], i, status;
	FILE *log = tmpfile();
	char line[512];

	tmp_make(&t);
	ck_assert_ptr_nonnull(log);
	ck_assert_int_eq(fcntl(fileno(log), F_SETFL, O_APPEND), 0);
	ck_assert_int_eq(pipe(fds), 0);
	fflush(stderr);
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ck_assert_int_ne(pids[i], -1);
		if (pids[i] == 0) {
			close(fds[1]);
			dup2(fileno(log), STDERR_FILENO);
			concurrent_child(t.path, fds[0], i);
		}
	}
	close(fds[0]);
	close(fds[1]);		/* go */
	for (i = 0; i < PROCS; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		    "child %d: status %d", i, status);
	}

	/* Exactly one of the racing processes created the file. */
	rewind(log);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), log));
	ck_assert_msg(strstr(line, "created") != NULL, "log: %s", line);
	ck_assert_ptr_null(fgets(line, sizeof(line), log));
	fclose(log);

	m = store_open(t.path);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, shared) ==
	    PROCS * ROUNDS);
	one[0] = mac;
	for (i = 0; i < PROCS; i++) {
		mac_of(mac, 0x100000 + i);
		ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, one) ==
		    ROUNDS);
	}
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_DIFFERENCES, NULL) ==
	    PROCS * ROUNDS);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUEST_DURATION,
	    NULL) == PROCS * ROUNDS);
	ck_assert(metrics_total(m, METRIC_PHONE_CONFIG_REQUESTS) ==
	    2 * PROCS * ROUNDS);
	ck_assert(metrics_total(m, METRIC_PHONE_REPORTS_RECEIVED) ==
	    PROCS * SHARED_NEW);
	report[0] = mac;
	report[1] = "config";
	for (i = 0; i < SHARED_NEW; i++) {
		mac_of(mac, 0x200000 + i);
		ck_assert(metrics_value(m, METRIC_PHONE_REPORTS_RECEIVED,
		    report) == PROCS);
	}
	/* One line per series: racing inserters never made a duplicate, and
	 * nothing went to "unknown". */
	buf_init(&out);
	metrics_write_exposition(m, &out);
	ck_assert_uint_eq(count_lines(out.data,
	    "phone_reports_received_total{"), SHARED_NEW);
	ck_assert_uint_eq(count_lines(out.data,
	    "phone_config_requests_total{"), PROCS + 1);
	ck_assert(strstr(out.data, "unknown") == NULL);
	ck_assert(strstr(out.data, "phone_config_request_duration_seconds_sum "
	    "40000\n") != NULL);
	buf_free(&out);
	metrics_close(m);
	/* The racing creators left one file and no temporary behind. */
	snprintf(p, sizeof(p), "%s.tmp", t.path);
	ck_assert_int_eq(access(p, F_OK), -1);
	tmp_remove(&t);
}
END_TEST

/* A process killed with SIGKILL while counting loses nothing it counted:
 * the counts live in the shared file, not in the process. */
START_TEST(test_sigkill_loses_nothing)
{
	const char *mac[] = { "001122334455" };
	_Atomic uint64_t *done;
	struct metrics *m;
	struct tmp t;
	uint64_t n;
	double v;
	pid_t pid;
	int status;

	tmp_make(&t);
	done = mmap(NULL, sizeof(*done), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert(done != MAP_FAILED);
	atomic_store(done, 0);
	if ((pid = fork()) == 0) {
		if ((m = store_open(t.path)) == NULL)
			_exit(3);
		for (;;) {
			metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
			atomic_fetch_add(done, 1);
		}
	}
	ck_assert_int_ne(pid, -1);
	while (atomic_load(done) < 200000)
		usleep(1000);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	n = atomic_load(done);

	m = store_open(t.path);
	v = metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac);
	/* The child may have died between its increment and its note. */
	ck_assert_msg(v == (double)n || v == (double)n + 1,
	    "counted %.0f, child noted %llu", v, (unsigned long long)n);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac) == v + 1);
	metrics_close(m);
	munmap(done, sizeof(*done));
	tmp_remove(&t);
}
END_TEST

/* The narrow slot holding `text`, found by its bytes (the hash is the
 * store's business). */
static unsigned char *
find_narrow_slot(unsigned char *base, const char *text)
{
	size_t n = strlen(text);
	long i;

	for (i = 0; i < NARROW_CAP; i++) {
		unsigned char *s = base + NARROW_OFF + i * NARROW_STRIDE;

		if ((s[0] & 3) != 0 && memcmp(s + NARROW_TEXT, text, n) == 0 &&
		    s[NARROW_TEXT + n] == '\0')
			return s;
	}
	return NULL;
}

static double
elapsed_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A slot left "claiming" by a process that died between claiming and
 * publishing is taken over by the next process that wants that series; one
 * left by a live but stuck process costs a bounded wait, after which the
 * update counts under "unknown" rather than blocking a request. */
static const struct {
	int	line;
	int	dead;		/* claimer died (else: alive and stuck) */
} claims[] = {
	{ __LINE__, 1 },
	{ __LINE__, 0 },
};

START_TEST(test_claim_left_behind)
{
	const char *mac[] = { "0badc1a1e000" }, *unk[] = { "unknown" };
	struct metrics *m;
	struct timespec t0;
	unsigned char *base, *s;
	struct tmp t;
	uint64_t st;
	pid_t pid;
	int fd;

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 7);
	if ((pid = fork()) == 0)
		_exit(0);
	waitpid(pid, NULL, 0);		/* now a pid nobody has */
	if (!claims[_i].dead)
		pid = getpid();

	fd = open(t.path, O_RDWR);
	base = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	ck_assert(base != MAP_FAILED);
	ck_assert_ptr_nonnull(s = find_narrow_slot(base, mac[0]));
	memcpy(&st, s, sizeof(st));
	ck_assert_int_eq(st & 3, 2);	/* ready */
	/* Same tag, status claiming, claimer `pid`. */
	st = (st & ~UINT64_C(0xffffffff)) | (uint64_t)pid << 2 | 1;
	memcpy(s, &st, sizeof(st));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	if (claims[_i].dead) {
		ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS,
		    mac) == 8);
		ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS,
		    unk) == 0);
		memcpy(&st, s, sizeof(st));
		ck_assert_int_eq(st & 3, 2);
	} else {
		ck_assert_msg(elapsed_since(&t0) >= 1.9, "line %d: no wait",
		    claims[_i].line);
		ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS,
		    unk) == 1);
	}
	munmap(base, FILE_SIZE);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* Damage done to a good store file before it is opened again. */
typedef void	damage_fn(const char *path, const char *dir);

static void
write_at(const char *path, off_t off, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY);

	ck_assert_int_ne(fd, -1);
	ck_assert_int_eq(pwrite(fd, p, n, off), (ssize_t)n);
	close(fd);
}

static void
damage_truncate(const char *path, const char *dir)
{
	(void)dir;
	ck_assert_int_eq(truncate(path, FILE_SIZE / 2), 0);
}

static void
damage_empty(const char *path, const char *dir)
{
	(void)dir;
	ck_assert_int_eq(truncate(path, 0), 0);
}

static void
damage_version(const char *path, const char *dir)
{
	uint32_t v = 99;

	(void)dir;
	write_at(path, OFF_VERSION, &v, sizeof(v));
}

static void
damage_fingerprint(const char *path, const char *dir)
{
	unsigned char c = 0x5a;

	(void)dir;
	write_at(path, OFF_FINGERPRINT + 3, &c, 1);
}

static void
damage_magic(const char *path, const char *dir)
{
	(void)dir;
	write_at(path, 0, "NOTMINE!", 8);
}

static void
damage_capacity(const char *path, const char *dir)
{
	uint32_t cap = 1024;

	(void)dir;
	write_at(path, OFF_NARROW_CAP, &cap, sizeof(cap));
}

/* A small file of random bytes in place of the store. */
static void
damage_random_small(const char *path, const char *dir)
{
	unsigned char junk[3000];
	size_t i;
	int fd;

	(void)dir;
	srand(4);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_eq(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	close(fd);
}

/* The right size, random bytes over the header and the start. */
static void
damage_random_header(const char *path, const char *dir)
{
	unsigned char junk[8192];
	size_t i;

	(void)dir;
	srand(5);
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	write_at(path, 0, junk, sizeof(junk));
}

/* A symbolic link planted where the store lives: it is replaced, and the
 * file it pointed at is left alone. */
static void
damage_symlink(const char *path, const char *dir)
{
	char victim[192];
	int fd;

	snprintf(victim, sizeof(victim), "%s/victim", dir);
	fd = open(victim, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_eq(write(fd, "precious", 8), 8);
	close(fd);
	unlink(path);
	ck_assert_int_eq(symlink(victim, path), 0);
}

static const struct {
	int		 line;
	damage_fn	*damage;
	const char	*reason;	/* in the log line */
} damages[] = {
	{ __LINE__, damage_truncate, "truncated" },
	{ __LINE__, damage_empty, "empty file" },
	{ __LINE__, damage_version, "format version 99, want 1" },
	{ __LINE__, damage_fingerprint, "another metric table" },
	{ __LINE__, damage_magic, "not a deskprov metrics file" },
	{ __LINE__, damage_capacity, "header fields damaged" },
	{ __LINE__, damage_random_small, "not a deskprov metrics file" },
	{ __LINE__, damage_random_header, "not a deskprov metrics file" },
	{ __LINE__, damage_symlink, "symbolic link" },
};

START_TEST(test_damaged_file_replaced)
{
	const char *mac[] = { "001122334455" };
	struct capture cap;
	struct metrics *m;
	struct stat st;
	struct tmp t;
	char *log, victim[192];

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 5);
	metrics_close(m);
	damages[_i].damage(t.path, t.dir);

	capture_start(&cap);
	m = metrics_open(t.path, "check");
	log = capture_end(&cap);
	ck_assert_msg(m != NULL, "line %d: no store", damages[_i].line);
	ck_assert_msg(strstr(log, damages[_i].reason) != NULL &&
	    strstr(log, "replacing it") != NULL && count_lines(log, "") == 1,
	    "line %d: log %s", damages[_i].line, log);
	free(log);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac) == 0);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 2);
	metrics_close(m);
	ck_assert_int_eq(lstat(t.path, &st), 0);
	ck_assert(S_ISREG(st.st_mode) && st.st_size == FILE_SIZE);

	/* The fresh file is good: opened silently, counts kept. */
	capture_start(&cap);
	m = metrics_open(t.path, "check");
	log = capture_end(&cap);
	ck_assert_str_eq(log, "");
	free(log);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac) == 2);
	metrics_close(m);
	snprintf(victim, sizeof(victim), "%s/victim", t.dir);
	if (stat(victim, &st) == 0)
		ck_assert_int_eq(st.st_size, 8);
	tmp_remove(&t);
}
END_TEST

/* Something the store must not replace (here a directory) disables
 * metrics with a log line instead of crashing. */
START_TEST(test_directory_in_the_way)
{
	struct capture cap;
	struct metrics *m;
	struct tmp t;
	char *log;

	tmp_make(&t);
	ck_assert_int_eq(mkdir(t.path, 0700), 0);
	capture_start(&cap);
	m = metrics_open(t.path, "check");
	log = capture_end(&cap);
	ck_assert_ptr_null(m);
	ck_assert_msg(strstr(log, "metrics disabled") != NULL, "log: %s", log);
	free(log);
	tmp_remove(&t);
}
END_TEST

/* A full narrow table: new series count under "unknown", the series
 * already there keep counting in their own slots. */
START_TEST(test_full_narrow_table)
{
	const char *one[1], *unk[] = { "unknown" }, *first[] = { "aa0000000001" };
	char mac[13], *block;
	struct metrics *m;
	struct tmp t;
	long i, overflow = 0;

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, first, 5);
	one[0] = mac;
	for (i = 0; i < NARROW_CAP; i++) {
		mac_of(mac, i);
		metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, one, 1);
		if (metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, one) == 0)
			overflow++;
	}
	/* Three quarters of the slots take series; "first" took one. */
	ck_assert_int_eq(overflow, NARROW_CAP - NARROW_CAP / 4 * 3 + 1);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, unk) ==
	    overflow);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, first, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, first) == 6);
	mac_of(mac, 17);
	metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, one, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, one) == 2);
	/* Other tables and label-less metrics are unaffected. */
	metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL, 0.01);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUEST_DURATION,
	    NULL) == 1);

	block = exposition_block(m, "phone_config_requests_total");
	ck_assert_uint_eq(count_lines(block, "phone_config_requests_total{"),
	    NARROW_CAP / 4 * 3 + 1);
	ck_assert(strstr(block, "\nphone_config_requests_total{phone_mac="
	    "\"unknown\"} 262145\n") != NULL);
	free(block);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* The wide table (long label text, histograms) fills the same way. */
START_TEST(test_full_wide_table)
{
	const char *fw[3], *longest[3];
	char cur[64];
	struct metrics *m;
	struct tmp t;
	long i, overflow = 0;
	double unk;

	tmp_make(&t);
	m = store_open(t.path);
	fw[0] = cur;
	fw[1] = "sip68xx.12-0-1MPP0001-245";
	fw[2] = "CP-6841-3PCC";
	for (i = 0; i < WIDE_CAP; i++) {
		snprintf(cur, sizeof(cur), "sip68xx.11-3-7MPP%08ld", i);
		metrics_inc(m, METRIC_PHONE_FIRMWARE_UPDATES, fw, 1);
		if (metrics_value(m, METRIC_PHONE_FIRMWARE_UPDATES, fw) == 0)
			overflow++;
	}
	ck_assert_int_eq(overflow, WIDE_CAP / 4);
	longest[0] = longest[1] = longest[2] = METRICS_UNKNOWN;
	unk = metrics_value(m, METRIC_PHONE_FIRMWARE_UPDATES, longest);
	ck_assert(unk == overflow);
	snprintf(cur, sizeof(cur), "sip68xx.11-3-7MPP%08d", 3);
	metrics_inc(m, METRIC_PHONE_FIRMWARE_UPDATES, fw, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_FIRMWARE_UPDATES, fw) == 2);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* Label values as stored and written: kept when printable ASCII of 1 to
 * METRICS_LABEL_MAX bytes, else "unknown"; quote and backslash escaped. */
static const struct {
	int		 line;
	const char	*value;
	const char	*written;	/* inside the quotes */
} label_values[] = {
	{ __LINE__, "ip", "ip" },
	{ __LINE__, "ua_mismatch", "ua_mismatch" },
	{ __LINE__, "a\"b\\c", "a\\\"b\\\\c" },
	{ __LINE__, "", "unknown" },
	{ __LINE__, NULL, "unknown" },
	{ __LINE__, "two\nlines", "unknown" },
	{ __LINE__, "tab\there", "unknown" },
	{ __LINE__, "del\x7f", "unknown" },
	{ __LINE__, "caf\xc3\xa9", "unknown" },
	{ __LINE__, "with space", "with space" },
	{ __LINE__, "x123456789012345678901234567890123456789012345678901234567890123",
	    "x123456789012345678901234567890123456789012345678901234567890123" },
	{ __LINE__, "x1234567890123456789012345678901234567890123456789012345678901234",
	    "unknown" },
};

START_TEST(test_label_values)
{
	const char *labels[] = { label_values[_i].value };
	struct metrics *m;
	struct buf want;
	struct tmp t;
	char *block;

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_REJECTIONS, labels, 3);
	block = exposition_block(m, "deskprov_rejections_total");
	buf_init(&want);
	buf_printf(&want, "\ndeskprov_rejections_total{reason=\"%s\"} 3\n",
	    label_values[_i].written);
	ck_assert_msg(strstr(block, want.data) != NULL, "line %d: %s",
	    label_values[_i].line, block);
	ck_assert_uint_eq(count_lines(block, "deskprov_rejections_total{"), 1);
	buf_free(&want);
	free(block);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

START_TEST(test_escape_label)
{
	struct buf b;

	buf_init(&b);
	metrics_escape_label(&b, "a\\b\"c\nd", 7);
	ck_assert_str_eq(b.data, "a\\\\b\\\"c\\nd");
	buf_free(&b);
}
END_TEST

/* Cumulative buckets (a value on a bound falls in that bucket), +Inf equal
 * to _count, the sum exact; le spelt as the Python client did. */
START_TEST(test_exposition_histogram)
{
	static const double obs[] = { 0.000244140625, 0.001, 0.5, 1, 8 };
	static const char want[] =
	    "# HELP phone_config_request_duration_seconds Time spent processing "
	    "config requests\n"
	    "# TYPE phone_config_request_duration_seconds histogram\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.001\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.0025\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.005\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.01\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.025\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.05\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.1\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.25\"} 2\n"
	    "phone_config_request_duration_seconds_bucket{le=\"0.5\"} 3\n"
	    "phone_config_request_duration_seconds_bucket{le=\"1.0\"} 4\n"
	    "phone_config_request_duration_seconds_bucket{le=\"2.5\"} 4\n"
	    "phone_config_request_duration_seconds_bucket{le=\"5.0\"} 4\n"
	    "phone_config_request_duration_seconds_bucket{le=\"+Inf\"} 5\n"
	    "phone_config_request_duration_seconds_sum 9.501244140625\n"
	    "phone_config_request_duration_seconds_count 5\n";
	struct metrics *m;
	struct tmp t;
	char *block;
	size_t i;

	tmp_make(&t);
	m = store_open(t.path);
	for (i = 0; i < sizeof(obs) / sizeof(obs[0]); i++)
		metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL,
		    obs[i]);
	metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL, NAN);
	block = exposition_block(m, "phone_config_request_duration_seconds");
	ck_assert_str_eq(block, want);
	free(block);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* Series sorted by label values whatever the order they were made in;
 * gauges keep doubles exactly and spell them briefly. */
START_TEST(test_exposition_series)
{
	static const char want_reports[] =
	    "# HELP phone_reports_received_total Total phone reports received\n"
	    "# TYPE phone_reports_received_total counter\n"
	    "phone_reports_received_total{phone_mac=\"001122334455\","
	    "report_type=\"config\"} 2\n"
	    "phone_reports_received_total{phone_mac=\"001122334455\","
	    "report_type=\"status\"} 1\n"
	    "phone_reports_received_total{phone_mac=\"0011223344ff\","
	    "report_type=\"config\"} 1\n"
	    "phone_reports_received_total{phone_mac=\"unknown\","
	    "report_type=\"config\"} 4\n"
	    "phone_reports_received_total{phone_mac=\"unknown\","
	    "report_type=\"unknown\"} 1\n";
	static const char want_fetch[] =
	    "# HELP deskprov_phone_last_profile_fetch_timestamp_seconds Unix "
	    "time of the phone's last profile fetch\n"
	    "# TYPE deskprov_phone_last_profile_fetch_timestamp_seconds gauge\n"
	    "deskprov_phone_last_profile_fetch_timestamp_seconds{phone_mac="
	    "\"001122334455\"} 1795341733.25\n"
	    "deskprov_phone_last_profile_fetch_timestamp_seconds{phone_mac="
	    "\"001122334466\"} 0.1\n"
	    "deskprov_phone_last_profile_fetch_timestamp_seconds{phone_mac="
	    "\"001122334477\"} +Inf\n"
	    "deskprov_phone_last_profile_fetch_timestamp_seconds{phone_mac="
	    "\"001122334488\"} NaN\n";
	const char *r1[] = { "0011223344ff", "config" };
	const char *r2[] = { "001122334455", "status" };
	const char *r3[] = { "001122334455", "config" };
	const char *r4[] = { "unknown", "config" };
	const char *r5[] = { "no\nway", NULL };
	const char *f[][1] = { { "001122334488" }, { "001122334477" },
	    { "001122334466" }, { "001122334455" } };
	const double fv[] = { NAN, INFINITY, 0.1, 1795341733.25 };
	struct metrics *m;
	struct tmp t;
	char *block;
	size_t i;

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, r5, 1);
	metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, r4, 4);
	metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, r1, 1);
	metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, r2, 1);
	metrics_inc(m, METRIC_PHONE_REPORTS_RECEIVED, r3, 2);
	for (i = 0; i < 4; i++)
		metrics_set(m, METRIC_PHONE_LAST_PROFILE_FETCH, f[i], fv[i]);
	/* Totals sum every series of one metric, "unknown" included. */
	ck_assert(metrics_total(m, METRIC_PHONE_REPORTS_RECEIVED) == 9);
	ck_assert(metrics_total(m, METRIC_PHONE_CONFIG_REQUESTS) == 0);
	ck_assert(metrics_total(m, METRIC__COUNT) == 0);
	block = exposition_block(m, "phone_reports_received_total");
	ck_assert_str_eq(block, want_reports);
	free(block);
	block = exposition_block(m,
	    "deskprov_phone_last_profile_fetch_timestamp_seconds");
	ck_assert_str_eq(block, want_fetch);
	free(block);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* A fresh store: every metric announced once, label-less ones at 0, no
 * labelled series yet; HELP texts need no escaping. */
START_TEST(test_exposition_fresh)
{
	struct metrics *m;
	struct buf out, line;
	struct tmp t;
	const char *p, *nl;
	int i;

	tmp_make(&t);
	m = store_open(t.path);
	buf_init(&out);
	buf_init(&line);
	metrics_write_exposition(m, &out);
	ck_assert_uint_eq(count_lines(out.data, "# HELP "), METRIC__COUNT);
	ck_assert_uint_eq(count_lines(out.data, "# TYPE "), METRIC__COUNT);
	ck_assert(strstr(out.data, "\nphone_config_differences 0\n") != NULL);
	ck_assert(strstr(out.data, "\nreports_recent 0\n") != NULL);
	/* The only braces are the histogram's le labels. */
	ck_assert_uint_eq(count_lines(out.data, "phone_config_request_"
	    "duration_seconds_bucket{le="), 14);
	for (p = out.data, i = 0; (p = strchr(p, '{')) != NULL; p++)
		i++;
	ck_assert_int_eq(i, 14);
	ck_assert(strstr(out.data, "phone_mac") == NULL);
	ck_assert(strchr(out.data, '\\') == NULL);
	for (i = 0; i < METRIC__COUNT; i++) {
		buf_reset(&line);
		buf_printf(&line, "# TYPE %s %s\n", metrics_name(i),
		    (const char *[]){ "counter", "gauge", "histogram" }
		    [metrics_type(i)]);
		ck_assert_msg(strstr(out.data, line.data) != NULL, "%s",
		    line.data);
		if (metrics_type(i) == METRIC_COUNTER)
			ck_assert(strstr(metrics_name(i), "_total") != NULL);
	}
	for (p = out.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		ck_assert(nl > p);	/* no empty line */
	ck_assert(metrics_name(METRIC__COUNT) == NULL);
	ck_assert_int_eq(metrics_type((enum metric_id)-1), -1);
	buf_free(&line);
	buf_free(&out);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

/* Calls that do not fit the metric are ignored, not fatal. */
START_TEST(test_wrong_calls)
{
	const char *mac[] = { "001122334455" };
	struct metrics *m;
	struct tmp t;

	tmp_make(&t);
	m = store_open(t.path);
	metrics_inc(m, METRIC_PHONE_ACTIVITY_RECENT, NULL, 5);
	metrics_set(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 5);
	metrics_observe(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 5);
	metrics_inc(m, METRIC__COUNT, mac, 1);
	metrics_inc(m, (enum metric_id)-3, mac, 1);
	ck_assert(metrics_value(m, METRIC_PHONE_ACTIVITY_RECENT, NULL) == 0);
	ck_assert(metrics_value(m, METRIC_PHONE_CONFIG_REQUESTS, mac) == 0);
	ck_assert(metrics_value(m, METRIC__COUNT, mac) == 0);
	/* Gauges go up and down. */
	metrics_add(m, METRIC_PHONE_ACTIVITY_RECENT, NULL, 3);
	metrics_add(m, METRIC_PHONE_ACTIVITY_RECENT, NULL, -1);
	ck_assert(metrics_value(m, METRIC_PHONE_ACTIVITY_RECENT, NULL) == 2);
	metrics_set(m, METRIC_PHONE_ACTIVITY_RECENT, NULL, 9);
	ck_assert(metrics_value(m, METRIC_PHONE_ACTIVITY_RECENT, NULL) == 9);
	metrics_close(m);
	tmp_remove(&t);
}
END_TEST

Suite *metrics_suite(void);

Suite *
metrics_suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("store");
	TCase *big = tcase_create("processes");

	tcase_add_test(tc, test_null_store);
	tcase_add_test(tc, test_open_unwritable);
	tcase_add_test(tc, test_restart_keeps_counts);
	tcase_add_loop_test(tc, test_damaged_file_replaced, 0,
	    (int)(sizeof(damages) / sizeof(damages[0])));
	tcase_add_test(tc, test_directory_in_the_way);
	tcase_add_loop_test(tc, test_label_values, 0,
	    (int)(sizeof(label_values) / sizeof(label_values[0])));
	tcase_add_test(tc, test_escape_label);
	tcase_add_test(tc, test_exposition_histogram);
	tcase_add_test(tc, test_exposition_series);
	tcase_add_test(tc, test_exposition_fresh);
	tcase_add_test(tc, test_wrong_calls);
	suite_add_tcase(s, tc);

	/* Forked processes and full tables take seconds under ASan. */
	tcase_set_timeout(big, 120);
	tcase_add_test(big, test_concurrent_processes);
	tcase_add_test(big, test_sigkill_loses_nothing);
	tcase_add_loop_test(big, test_claim_left_behind, 0,
	    (int)(sizeof(claims) / sizeof(claims[0])));
	tcase_add_test(big, test_full_wide_table);
	tcase_add_test(big, test_full_narrow_table);
	suite_add_tcase(s, big);
	return s;
}
