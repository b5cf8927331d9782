#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_lastgood.h"
#include "config_state.h"
#include "extrafiles.h"
#include "log.h"

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

const struct snapshot *
config_state_refresh(struct config_state *cs)
{
	struct file_sig now[SIG_COUNT];

	cs->next_check = monotonic() + RELOAD_CHECK_INTERVAL;
	/* Signatures are taken before reading, so a file that changes while
	 * it is read is read again on the next check. */
	take_sigs(cs, now);
	if (cs->snap != NULL && sigs_equal(now, cs->good)) {
		/* The very files behind the snapshot are back (an edit
		 * undone with mv): the failure in between is over. */
		cs->have_bad = 0;
		diag_clear(&cs->failure);
		cs->error[0] = '\0';
		return cs->snap;
	}
	if (cs->have_bad && sigs_equal(now, cs->bad))
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

void
config_state_free(struct config_state *cs)
{
	snapshot_free(cs->snap);
	cs->snap = NULL;
}
