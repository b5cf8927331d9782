#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_lastgood.h"
#include "config_state.h"
#include "extrafiles.h"
#include "log.h"
#include "snapfile.h"

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
take_sigs(const struct config_state *cs, struct file_sig sig[SIG_COUNT])
{
	char paths[CF_COUNT][4096];
	struct stat st;

	config_paths(cs->etc, cs->schema_dir, paths);
	memset(sig, 0, sizeof(struct file_sig) * SIG_COUNT);
	/* Packs and templates: one hash over their stat(2) data. */
	sig[CF_COUNT].exists = 1;
	sig[CF_COUNT].size = (off_t)extra_files_sig(cs->etc, cs->schema_dir);
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

static void
install(struct config_state *cs, struct snapshot *s)
{
	snapshot_free(cs->snap);
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

const struct snapshot *
config_state_refresh(struct config_state *cs)
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

const struct snapshot *
config_state_get(struct config_state *cs)
{
	if (monotonic() < cs->next_check)
		return cs->snap;
	return config_state_refresh(cs);
}

void
config_state_init(struct config_state *cs, const char *prog, const char *etc,
    const char *schema_dir, const char *data_dir)
{
	memset(cs, 0, sizeof(*cs));
	cs->prog = prog;
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
	log_msg(cs->prog, "info", "config loaded: %zu phones from the "
	    "snapshot %s (compiled in %.3f s)", s->n_phones, cs->snap_path,
	    info.compile_seconds);
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

/* Compiles here and now; the caller holds the lock. */
static void
compile_here(struct config_state *cs, const struct file_sig *now,
    uint64_t sig)
{
	struct snapfile_info info;
	struct diag err;

	cs->compiles++;
	if (snapfile_compile(cs->etc, cs->schema_dir, cs->snap_path, sig,
	    &info, &err) == 0) {
		log_compiled(cs, &info);
		take_image(cs, now);
		return;
	}
	note_failure(cs, sig, &err);
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
		int rc = snapfile_compile(cs->etc, cs->schema_dir,
		    cs->snap_path, sig, &info, &err);
		if (rc < 0)
			note_failure(cs, sig, &err);
		else
			log_compiled(cs, &info);
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
	/* A small config is compiled while the request waits, so that the
	 * next answer has it; a large one must not hold up the requests. */
	wait = cs->snap == NULL || cs->snap->n_phones < cs->compile_wait;
	if (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
		cs->next_check = monotonic() + RELOAD_PENDING_INTERVAL;
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
			cs->next_check = monotonic() + RELOAD_PENDING_INTERVAL;
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
	uint64_t sig;

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
	if (cs->compiler == 0)
		compile_or_wait(cs, now, sig);
	else
		cs->next_check = monotonic() + RELOAD_PENDING_INTERVAL;
	return cs->snap;
}

void
config_state_init_shared(struct config_state *cs, const char *prog,
    const char *etc, const char *schema_dir, const char *data_dir,
    const char *shipped)
{
	memset(cs, 0, sizeof(*cs));
	cs->prog = prog;
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
	config_state_refresh(cs);
}

void
config_state_free(struct config_state *cs)
{
	snapshot_free(cs->snap);
	cs->snap = NULL;
}
