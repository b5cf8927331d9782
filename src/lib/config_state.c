#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_lastgood.h"
#include "config_state.h"
#include "extrafiles.h"
#include "log.h"
#include "snapfile.h"

/* For durations that are logged (CLOCK_MONOTONIC_COARSE ticks in
 * milliseconds): wall time, and this thread's CPU time, which says how
 * much of the wall time was waiting for the cores. */
static double
clock_seconds(clockid_t which)
{
	struct timespec ts;

	clock_gettime(which, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
monotonic(void)
{
	struct timespec ts;

#ifdef CLOCK_MONOTONIC_COARSE
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
#else
	clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
take_sigs(struct config_state *cs, struct file_sig sig[SIG_COUNT])
{
	char paths[CF_COUNT][4096];
	struct stat st;
	double now = monotonic();

	config_paths(cs->etc, cs->schema_dir, paths);
	memset(sig, 0, sizeof(struct file_sig) * SIG_COUNT);
	/* Packs and templates: one hash over their stat(2) data. */
	if (now >= cs->extra_next) {
		cs->extra_sig = extra_files_sig(cs->etc, cs->schema_dir);
		cs->extra_next = now + RELOAD_EXTRA_INTERVAL;
	}
	sig[CF_COUNT].exists = 1;
	sig[CF_COUNT].size = (off_t)cs->extra_sig;
	for (int i = 0; i < CF_COUNT; i++) {
		if (stat(paths[i], &st) < 0)
			continue;
		sig[i].exists = 1;
		sig[i].dev = st.st_dev;
		sig[i].ino = st.st_ino;
		sig[i].size = st.st_size;
		sig[i].mtime = st.st_mtim;
	}
}

uint64_t
config_state_sig(const char *etc, const char *schema_dir)
{
	struct config_state cs;
	struct file_sig sig[SIG_COUNT];

	memset(&cs, 0, sizeof(cs));
	snprintf(cs.etc, sizeof(cs.etc), "%s", etc);
	snprintf(cs.schema_dir, sizeof(cs.schema_dir), "%s", schema_dir);
	take_sigs(&cs, sig);
	/* take_sigs() zeroes the array first: no padding byte is random. */
	return hash_bytes(HASH_SEED, sig, sizeof(sig));
}

static int
sigs_equal(const struct file_sig *a, const struct file_sig *b)
{
	for (int i = 0; i < SIG_COUNT; i++)
		if (a[i].exists != b[i].exists || a[i].dev != b[i].dev ||
		    a[i].ino != b[i].ino || a[i].size != b[i].size ||
		    a[i].mtime.tv_sec != b[i].mtime.tv_sec ||
		    a[i].mtime.tv_nsec != b[i].mtime.tv_nsec)
			return 0;
	return 1;
}

static void
count_load(struct config_state *cs, int ok)
{
	const char *result[1] = { ok ? "ok" : "error" };

	metrics_inc(cs->metrics, METRIC_CONFIG_RELOADS, result, 1);
	if (ok)
		metrics_set(cs->metrics, METRIC_CONFIG_LAST_RELOAD, NULL,
		    (double)cs->last_good);
}

void
config_state_attach_metrics(struct config_state *cs, struct metrics *m)
{
	cs->metrics = m;
	if (cs->snap != NULL || cs->have_bad)
		count_load(cs, cs->have_bad == 0);
}

/* Frees the snapshot a swap replaced, then lets go of its image's file.
 * With the file still named (a retired link, see retire_current()), the
 * unmap costs this process little; freeing an unlinked 700 MB image's
 * pages and blocks took 0.2 to 0.3 s in the last process to drop it. */
static void
release_old(struct config_state *cs)
{
	snapshot_free(cs->old);
	cs->old = NULL;
	if (cs->old_fd >= 0)
		close(cs->old_fd);
	cs->old_fd = -1;
}

/* The replaced snapshot is kept until after the answer: the request
 * being served may hold it (config_state_get() hands it out borrowed
 * until config_state_after_request()). */
static void
install(struct config_state *cs, struct snapshot *s)
{
	release_old(cs);
	cs->old = cs->snap;
	cs->old_fd = cs->image_fd;
	cs->image_fd = -1;
	cs->snap = s;
	cs->last_good = s->loaded_at;
}

/* After a failed load: another process may have loaded (and kept) a
 * newer good configuration than ours; serve that one, as they do. */
static void
fall_back(struct config_state *cs)
{
	struct diag err;
	struct snapshot *s;
	char msg[DIAG_TEXT_MAX];

	if (cs->data_dir[0] == '\0')
		return;
	s = config_lastgood_load(cs->data_dir, cs->etc, cs->snap, &err);
	if (s == NULL) {
		if (err.msg[0] != '\0') {
			diag_format(&err, msg, sizeof(msg));
			log_msg(cs->prog, "error", "the kept last good config "
			    "does not load either: %s", msg);
		}
		return;
	}
	install(cs, s);
	log_msg(cs->prog, "warning", "serving the last good config kept in "
	    "%s: %zu phones", cs->data_dir, s->n_phones);
}

static void
try_load(struct config_state *cs, const struct file_sig *sig)
{
	struct snapshot *s;

	cs->last_attempt = time(NULL);
	s = snapshot_load(cs->etc, cs->schema_dir, &cs->failure);
	if (s == NULL) {
		diag_format(&cs->failure, cs->error, sizeof(cs->error));
		memcpy(cs->bad, sig, sizeof(cs->bad));
		cs->have_bad = 1;
		cs->reloads_failed++;
		log_msg(cs->prog, "error", "config not loaded, %s: %s",
		    cs->snap ? "still serving the last good one" :
		    "nothing to serve", cs->error);
		count_load(cs, 0);
		fall_back(cs);
		return;
	}
	if (cs->data_dir[0] != '\0')
		config_lastgood_save(cs->data_dir, cs->etc, cs->schema_dir, s,
		    cs->prog);
	install(cs, s);
	memcpy(cs->good, sig, sizeof(cs->good));
	cs->have_bad = 0;
	diag_clear(&cs->failure);
	cs->error[0] = '\0';
	cs->reloads_ok++;
	log_msg(cs->prog, "info", "config loaded: %zu phones, %zu parameters "
	    "in %.3f s", s->n_phones, s->n_base, s->load_seconds);
	count_load(cs, 1);
}

static const struct snapshot	*shared_refresh(struct config_state *);

/* Whether the files are ones already seen: those behind the snapshot
 * (back after an edit undone with mv: the failure in between is over) or
 * those that failed last time.  Either way there is nothing to load. */
static int
files_known(struct config_state *cs, const struct file_sig *now)
{
	if (cs->snap != NULL && sigs_equal(now, cs->good)) {
		cs->have_bad = 0;
		diag_clear(&cs->failure);
		cs->error[0] = '\0';
		return 1;
	}
	return cs->have_bad && sigs_equal(now, cs->bad);
}

/* A look at the files, due or asked for. */
static const struct snapshot *
refresh(struct config_state *cs)
{
	struct file_sig now[SIG_COUNT];

	cs->next_check = monotonic() + RELOAD_CHECK_INTERVAL;
	if (cs->shared)
		return shared_refresh(cs);
	/* Signatures are taken before reading, so a file that changes while
	 * it is read is read again on the next check. */
	take_sigs(cs, now);
	if (files_known(cs, now))
		return cs->snap;
	try_load(cs, now);
	return cs->snap;
}

/* The compile counter, when mapped (see struct config_state.gen). */
static uint64_t
gen_now(const struct config_state *cs)
{
	return cs->gen != NULL ? __atomic_load_n(cs->gen, __ATOMIC_ACQUIRE) :
	    0;
}

const struct snapshot *
config_state_get(struct config_state *cs)
{
	/* One load from a shared page: a compile that ended since the last
	 * look is taken now, not at the next look at the files. */
	if (monotonic() < cs->next_check && gen_now(cs) == cs->gen_seen)
		return cs->snap;
	return refresh(cs);
}

void
config_state_extra_changed(struct config_state *cs)
{
	cs->extra_next = 0;
}

const struct snapshot *
config_state_refresh(struct config_state *cs)
{
	config_state_extra_changed(cs);
	return refresh(cs);
}

void
config_state_init(struct config_state *cs, const char *prog, const char *etc,
    const char *schema_dir, const char *data_dir)
{
	memset(cs, 0, sizeof(*cs));
	cs->prog = prog;
	cs->image_fd = cs->old_fd = -1;
	snprintf(cs->etc, sizeof(cs->etc), "%s", etc);
	snprintf(cs->schema_dir, sizeof(cs->schema_dir), "%s", schema_dir);
	if (data_dir != NULL)
		snprintf(cs->data_dir, sizeof(cs->data_dir), "%s", data_dir);
	config_state_refresh(cs);
}

void
config_state_init_dirs(struct config_state *cs, const char *prog,
    const char *etc, const char *schema_dir)
{
	config_state_init(cs, prog, etc, schema_dir, NULL);
}

/* ---- shared mode ---- */

/* A compile that failed leaves data_dir/snapshot/failed: the signature of
 * the files and the problem, so that the other processes report it
 * instead of each compiling the same broken files again. */
struct failed_note {
	char		magic[8];
	uint64_t	sig;
	struct diag	why;
};

static const char failed_magic[8] = { 'D', 'P', 'F', 'A', 'I', 'L', '1',
    '\n' };

static void
failed_path(const struct config_state *cs, char *out, size_t n)
{
	snprintf(out, n, "%s/failed", cs->snap_dir);
}

static void
note_failure(const struct config_state *cs, uint64_t sig,
    const struct diag *why)
{
	struct failed_note f;
	char path[2200], tmp[2300];
	FILE *fp;

	memset(&f, 0, sizeof(f));
	memcpy(f.magic, failed_magic, sizeof(f.magic));
	f.sig = sig;
	f.why = *why;
	failed_path(cs, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if ((fp = fopen(tmp, "wb")) == NULL)
		return;
	if (fwrite(&f, sizeof(f), 1, fp) != 1 || fclose(fp) != 0 ||
	    rename(tmp, path) < 0)
		unlink(tmp);
}

/* 1 with why when the last compile of these very files failed. */
static int
read_failure(const struct config_state *cs, uint64_t sig, struct diag *why)
{
	struct failed_note f;
	char path[2200];
	FILE *fp;
	int ok;

	failed_path(cs, path, sizeof(path));
	if ((fp = fopen(path, "rb")) == NULL)
		return 0;
	ok = fread(&f, sizeof(f), 1, fp) == 1 &&
	    memcmp(f.magic, failed_magic, sizeof(f.magic)) == 0 &&
	    f.sig == sig;
	fclose(fp);
	if (ok) {
		*why = f.why;
		why->msg[sizeof(why->msg) - 1] = '\0';
		why->file[sizeof(why->file) - 1] = '\0';
		why->key[sizeof(why->key) - 1] = '\0';
	}
	return ok;
}

static void
record_bad(struct config_state *cs, const struct file_sig *sig,
    const struct diag *why, int log_it)
{
	cs->failure = *why;
	diag_format(&cs->failure, cs->error, sizeof(cs->error));
	memcpy(cs->bad, sig, sizeof(cs->bad));
	cs->have_bad = 1;
	cs->reloads_failed++;
	count_load(cs, 0);
	if (log_it)
		log_msg(cs->prog, "error", "config not loaded, %s: %s",
		    cs->snap ? "still serving the last good one" :
		    "serving the last compiled snapshot if there is one",
		    cs->error);
}

/* The image file just mapped, open with a shared lock for as long as it
 * is mapped: sweep_retired() removes a retired image only when no
 * process holds one.  -1 when the file was replaced in between (then a
 * sweep may remove it early, which only costs time at the unmap). */
static int
hold_image(const struct config_state *cs, const struct snapfile_info *info)
{
	struct stat st;
	int fd = open(cs->snap_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_dev != info->dev ||
	    st.st_ino != info->ino || flock(fd, LOCK_SH | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Maps the current image and swaps it in.  sig is NULL when it is taken
 * whatever files it was compiled from (at start-up with broken files: it
 * is the last good configuration).  0, or -1 with the reason logged. */
static int
take_image(struct config_state *cs, const struct file_sig *sig)
{
	struct snapfile_info info;
	enum snapfile_error why;
	struct snapshot *s;
	struct diag err;
	char msg[DIAG_TEXT_MAX];
	double t0 = clock_seconds(CLOCK_MONOTONIC);
	double c0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);

	/* The last good one only when it was compiled from this directory
	 * (a shipped image is what it is). */
	if (sig == NULL && !cs->shipped && (snapfile_peek(cs->snap_path,
	    &info) < 0 || info.etc_hash != hash_bytes(HASH_SEED, cs->etc,
	    strlen(cs->etc))))
		return -1;
	s = snapfile_open(cs->snap_path, cs->shipped ? SNAPFILE_CHECK_ALL :
	    SNAPFILE_CHECK_TAIL, &info, &why, &err);
	if (s == NULL) {
		diag_format(&err, msg, sizeof(msg));
		if (why != SNAPFILE_IO || sig == NULL)
			log_msg(cs->prog, "error", "%s; %s", msg, cs->snap ?
			    "still serving the one before" : "nothing mapped");
		if (why == SNAPFILE_ADDRESS && sig != NULL) {
			try_load(cs, sig);	/* a private load */
			return cs->have_bad ? -1 : 0;
		}
		return -1;
	}
	install(cs, s);
	cs->image_fd = hold_image(cs, &info);
	s->loaded_at = time(NULL);
	cs->last_good = s->loaded_at;
	cs->image_dev = info.dev;
	cs->image_ino = info.ino;
	if (sig != NULL) {
		memcpy(cs->good, sig, sizeof(cs->good));
		cs->have_bad = 0;
		diag_clear(&cs->failure);
		cs->error[0] = '\0';
	}
	if (sig == NULL && !cs->shipped) {
		log_msg(cs->prog, "warning", "serving the last good config, "
		    "compiled into %s: %zu phones", cs->snap_path, s->n_phones);
		return 0;
	}
	cs->reloads_ok++;
	count_load(cs, 1);
	/* The mapping's cost is what the request that swaps pays
	 * (bench/snapshot prints it). */
	log_msg(cs->prog, "info", "config loaded: %zu phones from the "
	    "snapshot %s (compiled in %.3f s, mapped in %.1f ms, %.1f ms "
	    "CPU)", s->n_phones, cs->snap_path, info.compile_seconds,
	    (clock_seconds(CLOCK_MONOTONIC) - t0) * 1e3,
	    (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - c0) * 1e3);
	return 0;
}

/* One line per compile, whichever process ran it: the count of these
 * lines is the count of compiles (bench/snapshot reads them). */
static void
log_compiled(const struct config_state *cs, const struct snapfile_info *i)
{
	log_msg(cs->prog, "info", "config compiled: %" PRIu64 " phones, %"
	    PRIu64 " bytes, in %.3f s", i->n_phones, i->length,
	    i->compile_seconds);
}

static void
gen_path(const struct config_state *cs, char *out, size_t n)
{
	snprintf(out, n, "%s/gen", cs->snap_dir);
}

/* Maps the compile counter read-only (creating it); cs->gen stays NULL
 * when it cannot be, and the processes look every
 * RELOAD_PENDING_INTERVAL while a compile is under way instead. */
static void
gen_map(struct config_state *cs)
{
	char path[2200];
	struct stat st;
	void *p;
	int fd;

	gen_path(cs, path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0)
		return;
	if (fstat(fd, &st) == 0 && (st.st_size >= (off_t)sizeof(uint64_t) ||
	    ftruncate(fd, sizeof(uint64_t)) == 0) && (p = mmap(NULL,
	    sizeof(uint64_t), PROT_READ, MAP_SHARED, fd, 0)) != MAP_FAILED)
		cs->gen = p;
	close(fd);
}

/* A compile ended (its image renamed into place, or its failure noted):
 * every process sees the counter move on its next request.  The
 * compiler holds the lock, so the counter has one writer at a time. */
static void
gen_bump(const struct config_state *cs)
{
	char path[2200];
	uint64_t *p;
	int fd;

	gen_path(cs, path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return;
	p = mmap(NULL, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (p != MAP_FAILED) {
		__atomic_add_fetch(p, 1, __ATOMIC_RELEASE);
		munmap(p, sizeof(uint64_t));
	}
	close(fd);
}

/* Before a compile renames its image over `current`: the image being
 * replaced gets a second name, snapshot/retired.<inode>, so that the
 * processes still mapping it never drop its last name.  Otherwise the
 * last of them to unmap it frees its pages and disk blocks, 0.2 to 0.3 s
 * at a million phones, inside the request that swaps. */
static void
retire_current(const struct config_state *cs)
{
	char path[2300];
	struct stat st;

	if (stat(cs->snap_path, &st) < 0)
		return;
	snprintf(path, sizeof(path), "%s/retired.%ju", cs->snap_dir,
	    (uintmax_t)st.st_ino);
	if (link(cs->snap_path, path) < 0 && errno != EEXIST)
		log_msg(cs->prog, "warning", "cannot link %s: %s",
		    path, strerror(errno));
}

/* Removes the retired images no process holds (hold_image()).  The
 * removal of the last name frees the file, so it runs where no request
 * waits: in a compiling child, or in a child of its own. */
static void
sweep_retired(const char *snap_dir)
{
	char path[2300];
	struct dirent *e;
	DIR *d = opendir(snap_dir);
	int fd;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "retired.", 8) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", snap_dir, e->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(path);
		close(fd);
	}
	closedir(d);
}

/* Puts the image just announced on disk, after the others had it from
 * the page cache: its fsync is no longer on the way to them.  Until it is
 * done a power loss may cost the image (snapfile_open() checks an image
 * from another boot whole, and the files are compiled again). */
static void
settle(const struct config_state *cs)
{
	int rc = snapfile_settle(cs->snap_path);

	if (rc < 0)
		log_msg(cs->prog, "warning", "cannot put the snapshot %s on "
		    "disk: %s; it serves from memory until the next compile",
		    cs->snap_path, strerror(-rc));
}

/* Compiles here and now; the caller holds the lock. */
static void
compile_here(struct config_state *cs, const struct file_sig *now,
    uint64_t sig)
{
	struct snapfile_info info;
	struct diag err;

	cs->compiles++;
	retire_current(cs);
	if (snapfile_compile(cs->etc, cs->schema_dir, cs->snap_path, sig,
	    &info, &err) == 0) {
		gen_bump(cs);
		log_compiled(cs, &info);
		take_image(cs, now);
		settle(cs);
		return;
	}
	note_failure(cs, sig, &err);
	gen_bump(cs);
	record_bad(cs, now, &err, 1);
	if (cs->snap == NULL)
		take_image(cs, NULL);
}

/* A compile in a child, while this process serves the old snapshot; the
 * child inherits the lock and it is released when the child exits, also
 * when it is killed. */
static void
compile_child(struct config_state *cs, int lockfd, uint64_t sig)
{
	struct diag err;
	pid_t pid = fork();

	if (pid < 0) {
		log_msg(cs->prog, "error", "cannot fork to compile the "
		    "config: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		struct snapfile_info info;
		int rc;

		/* The parent's holds are the parent's: a copy here would
		 * keep its images looking mapped until this child ends. */
		if (cs->image_fd >= 0)
			close(cs->image_fd);
		if (cs->old_fd >= 0)
			close(cs->old_fd);
		sweep_retired(cs->snap_dir);
		retire_current(cs);
		rc = snapfile_compile(cs->etc, cs->schema_dir, cs->snap_path,
		    sig, &info, &err);
		if (rc < 0)
			note_failure(cs, sig, &err);
		gen_bump(cs);
		if (rc == 0) {
			log_compiled(cs, &info);
			settle(cs);
		}
		(void)lockfd;
		_exit(rc == 0 ? 0 : 1);
	}
	cs->compiler = pid;
	cs->compiles++;
}

static int
image_is(const struct config_state *cs, uint64_t sig,
    struct snapfile_info *info)
{
	return snapfile_peek(cs->snap_path, info) == 0 &&
	    info->source_sig == sig;
}

/* While a compile is under way elsewhere: the next look at the files.
 * With the counter mapped, its move says when; without, look soon. */
static double
pending_check(const struct config_state *cs)
{
	return monotonic() + (cs->gen != NULL ? RELOAD_CHECK_INTERVAL :
	    RELOAD_PENDING_INTERVAL);
}

/* A small config is compiled while the request waits, so that the next
 * answer has it; a large one must not hold up the requests. */
static int
compile_waits(const struct config_state *cs)
{
	return cs->snap == NULL || cs->snap->n_phones < cs->compile_wait;
}

/* The files changed and no image or failure note is theirs: one process
 * compiles, the others keep serving and look again soon. */
static void
compile_or_wait(struct config_state *cs, const struct file_sig *now,
    uint64_t sig)
{
	struct snapfile_info info;
	char lock[2200];
	int fd, wait;

	snprintf(lock, sizeof(lock), "%s/lock", cs->snap_dir);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) < 0) {
		log_msg(cs->prog, "error", "cannot open %s: %s; loading the "
		    "config in this process", lock, strerror(errno));
		try_load(cs, now);
		return;
	}
	wait = compile_waits(cs);
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		cs->next_check = pending_check(cs);
		close(fd);
		return;
	}
	/* Someone may have compiled these files while we waited. */
	if (image_is(cs, sig, &info))
		take_image(cs, now);
	else {
		snapfile_clean(cs->snap_dir, "current");
		if (wait)
			compile_here(cs, now, sig);
		else {
			compile_child(cs, fd, sig);
			cs->next_check = pending_check(cs);
		}
	}
	close(fd);
}

static void
reap(struct config_state *cs)
{
	int status;

	if (cs->compiler > 0 && waitpid(cs->compiler, &status, WNOHANG) != 0)
		cs->compiler = 0;
	if (cs->sweeper > 0 && waitpid(cs->sweeper, &status, WNOHANG) != 0)
		cs->sweeper = 0;
}

/* A shipped image: taken again when the file is replaced. */
static const struct snapshot *
shipped_refresh(struct config_state *cs)
{
	struct stat st;

	if (stat(cs->snap_path, &st) == 0 && cs->snap != NULL &&
	    st.st_dev == cs->image_dev && st.st_ino == cs->image_ino)
		return cs->snap;
	if (take_image(cs, NULL) < 0 && cs->snap == NULL) {
		cs->have_bad = 1;
		snprintf(cs->error, sizeof(cs->error), "the shipped snapshot "
		    "%.300s cannot be served (see the log)", cs->snap_path);
	}
	return cs->snap;
}

static const struct snapshot *
shared_refresh(struct config_state *cs)
{
	struct file_sig now[SIG_COUNT];
	struct snapfile_info info;
	struct diag why;
	uint64_t sig, gen = gen_now(cs);

	/* A compile ended: files changed, maybe packs, templates or
	 * devices.d, so this look walks them too, whenever the last walk
	 * was; else the image's signature is not this look's, and the old
	 * snapshot would serve until the next walk. */
	if (gen != cs->gen_seen)
		config_state_extra_changed(cs);
	cs->gen_seen = gen;
	reap(cs);
	if (cs->shipped)
		return shipped_refresh(cs);
	take_sigs(cs, now);
	if (files_known(cs, now))
		return cs->snap;
	sig = hash_bytes(HASH_SEED, now, sizeof(now));
	if (image_is(cs, sig, &info)) {
		if (cs->snap == NULL || cs->snap->image == NULL ||
		    info.dev != cs->image_dev || info.ino != cs->image_ino)
			take_image(cs, now);
		else
			memcpy(cs->good, now, sizeof(cs->good));
		return cs->snap;
	}
	if (read_failure(cs, sig, &why)) {
		record_bad(cs, now, &why, cs->compiler == 0);
		if (cs->snap == NULL)
			take_image(cs, NULL);
		return cs->snap;
	}
	if (cs->compiler != 0)
		cs->next_check = pending_check(cs);
	else if (compile_waits(cs) || cs->compile_due) {
		/* Due since the last refresh: after_request is not called
		 * here, so the compile starts now. */
		cs->compile_due = 0;
		compile_or_wait(cs, now, sig);
	} else {
		/* Started after the answer: the fork, and the compiling
		 * child's first moments on a busy machine, are no
		 * request's wait. */
		cs->compile_due = 1;
		cs->due_sig = sig;
		memcpy(cs->due, now, sizeof(cs->due));
	}
	return cs->snap;
}

/* A child that removes the retired images nobody maps, after this
 * process let go of one: freeing a large file takes a while, which the
 * next request must not wait for. */
static void
sweep_in_child(struct config_state *cs)
{
	pid_t pid;

	if (!cs->shared || cs->shipped || cs->sweeper != 0)
		return;
	if ((pid = fork()) == 0) {
		/* Named for ps(1), and so that it is not counted as one of
		 * the program's serving processes. */
		prctl(PR_SET_NAME, "deskprov-sweep", 0, 0, 0);
		sweep_retired(cs->snap_dir);
		_exit(0);
	}
	if (pid > 0)
		cs->sweeper = pid;
}

void
config_state_after_request(struct config_state *cs)
{
	int had_image = cs->old_fd >= 0;

	if (cs->compiler != 0 || cs->sweeper != 0)
		reap(cs);

	if (cs->old != NULL) {
		release_old(cs);
		if (had_image)
			sweep_in_child(cs);
	}
	if (cs->compile_due) {
		cs->compile_due = 0;
		if (cs->compiler == 0)
			compile_or_wait(cs, cs->due, cs->due_sig);
	}
}

void
config_state_init_shared(struct config_state *cs, const char *prog,
    const char *etc, const char *schema_dir, const char *data_dir,
    const char *shipped)
{
	memset(cs, 0, sizeof(*cs));
	cs->prog = prog;
	cs->image_fd = cs->old_fd = -1;
	cs->compile_wait = RELOAD_COMPILE_WAIT;
	snprintf(cs->etc, sizeof(cs->etc), "%s", etc);
	snprintf(cs->schema_dir, sizeof(cs->schema_dir), "%s", schema_dir);
	snprintf(cs->data_dir, sizeof(cs->data_dir), "%s", data_dir);
	snprintf(cs->snap_dir, sizeof(cs->snap_dir), "%s/snapshot", data_dir);
	snprintf(cs->snap_path, sizeof(cs->snap_path), "%s/current",
	    cs->snap_dir);
	if (shipped != NULL) {
		snprintf(cs->snap_path, sizeof(cs->snap_path), "%s", shipped);
		cs->shipped = 1;
	}
	cs->shared = cs->shipped || ((mkdir(cs->snap_dir, 0700) == 0 ||
	    errno == EEXIST) && access(cs->snap_dir, W_OK) == 0);
	if (!cs->shared)
		log_msg(prog, "warning", "cannot use %s for the shared "
		    "snapshot: %s; each process loads the config itself",
		    cs->snap_dir, strerror(errno));
	else if (!cs->shipped)
		gen_map(cs);
	config_state_refresh(cs);
}

void
config_state_free(struct config_state *cs)
{
	release_old(cs);
	snapshot_free(cs->snap);
	cs->snap = NULL;
	if (cs->image_fd >= 0)
		close(cs->image_fd);
	cs->image_fd = -1;
	if (cs->gen != NULL)
		munmap((void *)(uintptr_t)cs->gen, sizeof(uint64_t));
	cs->gen = NULL;
}
