#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "app_rps.h"
#include "diag.h"
#include "ident.h"
#include "links.h"
#include "rps_batch.h"
#include "rps_state.h"

int
rps_batch_selector_ok(const char *sel)
{
	size_t n = sel != NULL ? strlen(sel) : 0;

	if (n == 0)
		return 0;
	if (strncmp(sel, "vendor:", 7) == 0 || strncmp(sel, "model:", 6) == 0)
		return strchr(sel, ':')[1] != '\0';
	return strcmp(sel, "all") == 0 || ident_plausible(sel, n);
}

/* The prefix a device is registered with: its personal link (or the
 * plain URL) under serviceconfig.yml links.base_url when that is set
 * (links.h), else the base_url of rps.yml, shared by every device. */
static int
device_base_url(const struct rps_conf *c, const struct snapshot *s,
    const struct phone *ph, struct buf *out)
{
	size_t n;

	if (s->svc.links.base_url != NULL && *s->svc.links.base_url != '\0') {
		links_phone_base_url(s, ph, out);
		return 0;
	}
	if (c->base_url == NULL) {
		buf_adds(out, "no base_url in rps.yml");
		return -1;
	}
	n = strlen(c->base_url);
	buf_adds(out, c->base_url);
	if (n == 0 || c->base_url[n - 1] != '/')
		buf_addc(out, '/');
	return 0;
}

int
rps_batch_device_url(const struct rps_conf *c, const struct snapshot *s,
    const struct phone *ph, enum rps_provider p, struct buf *out)
{
	if (device_base_url(c, s, ph, out) < 0)
		return -1;
	buf_adds(out, rps_provider_url_file(p));
	if (!rps_url_ok(out->data)) {
		buf_reset(out);
		buf_adds(out, "the device's URL is no valid URL");
		return -1;
	}
	return 0;
}

static int
selected(const struct phone *ph, const char *sel, const struct phone *one)
{
	if (one != NULL)
		return ph == one;
	if (strcmp(sel, "all") == 0)
		return 1;
	if (strncmp(sel, "vendor:", 7) == 0)
		return ph->pack != NULL && strcasecmp(ph->pack->name, sel + 7) == 0;
	return ph->model != NULL && strcasecmp(ph->model, sel + 6) == 0;
}

struct job {
	struct app			*app;
	const struct snapshot		*snap;
	const struct rps_conf		*conf;
	const struct rps_batch_opts	*o;
	struct rps_batch_sum		*sum;
	FILE				*out;
};

static void
line(const struct job *j, const char *what, const struct phone *ph,
    enum rps_provider p, const char *detail)
{
	fprintf(j->out, "%-10s %-20s %-8s %s  %s\n", what, ph->id,
	    rps_provider_name(p), ph->mac, detail);
}

/* Whether a device's last state makes this run's operation unnecessary. */
static int
up_to_date(const struct job *j, const struct rps_state *st, const char *url)
{
	if (j->o->op == RPS_OP_CHECK || strcmp(st->outcome, "ok") != 0)
		return 0;
	if (j->o->op == RPS_OP_DEREGISTER)
		return strcmp(st->op, "deregister") == 0;
	return strcmp(st->op, "register") == 0 && strcmp(st->url, url) == 0;
}

/* The reason a device is left out of this run, or NULL. */
static const char *
skip_reason(const struct job *j, const struct phone *ph, int p,
    const struct rps_state *st)
{
	if (p < 0)
		return "its vendor has no redirect service";
	if (ph->mac[0] == '\0')
		return "no MAC address";
	if (!j->conf->p[p].enabled)
		return "provider disabled in rps.yml";
	if (!rps_provider_has_op(p, j->o->op))
		return "its vendor's service has no such call";
	if (p == RPS_GIGASET && !j->conf->p[p].disable_crc)
		return "Gigaset needs the MAC-ID's CRC: use rps.fcgi ?crc= or "
		    "disable_crc";
	if (j->o->sync && st->failures > 0 && st->next_try > j->o->now)
		return "backing off after a failure";
	return NULL;
}

static void
one(const struct job *j, const struct phone *ph)
{
	int p = ph->pack != NULL ? rps_provider_of_pack(ph->pack->name) : -1;
	struct rps_request rq = { .provider = p, .op = j->o->op };
	struct rps_state st;
	struct rps_result res;
	struct buf url;
	const char *why;

	buf_init(&url);
	if (p >= 0 && ph->mac[0] != '\0' &&
	    rps_state_load(j->app->data_dir, p, ph->mac, &st) < 0)
		memset(&st, 0, sizeof(st));
	if (p < 0 || ph->mac[0] == '\0')
		memset(&st, 0, sizeof(st));
	if ((why = skip_reason(j, ph, p, &st)) != NULL) {
		j->sum->skipped++;
		if (strcmp(j->o->selector, "all") != 0 || p >= 0)
			line(j, "skipped", ph, p, why);
		goto out;
	}
	if (rps_batch_device_url(j->conf, j->snap, ph, p, &url) < 0) {
		j->sum->failed++;
		line(j, "failed", ph, p, url.data);
		goto out;
	}
	if (up_to_date(j, &st, url.data)) {
		j->sum->unchanged++;
		goto out;
	}
	if (j->o->dry_run) {
		j->sum->planned++;
		line(j, "would", ph, p, j->o->op == RPS_OP_REGISTER ? url.data :
		    rps_op_word(j->o->op));
		goto out;
	}
	memcpy(rq.mac, ph->mac, sizeof(rq.mac));
	rq.url = url.data;
	rps_run(j->conf, &rq, j->o->post, j->o->post_ctx, &res);
	app_rps_count(j->app->metrics, p, &res);
	rps_state_record(&st, &rq, &res, j->o->now);
	if (rps_state_save(j->app->data_dir, &st) < 0)
		line(j, "unsaved", ph, p, "cannot write its state in DATA/rps");
	if (res.outcome == RPS_OK || (rq.op == RPS_OP_CHECK &&
	    res.outcome == RPS_NOT_REGISTERED)) {
		j->sum->ok++;
		if (rq.op == RPS_OP_CHECK)
			line(j, rps_outcome_word(res.outcome), ph, p, res.message);
	} else {
		char d[700];

		j->sum->failed++;
		snprintf(d, sizeof(d), "%s: %s", rps_outcome_word(res.outcome),
		    res.message);
		line(j, "failed", ph, p, d);
	}
out:
	buf_free(&url);
}

static void
progress(FILE *f, size_t done, size_t total)
{
	int w = 40, n = total ? (int)(done * (size_t)w / total) : w;

	if (f == NULL)
		return;
	fprintf(f, "\r[%.*s%*s] %zu/%zu", n,
	    "########################################", w - n, "", done, total);
	if (done == total)
		fputc('\n', f);
	fflush(f);
}

/* The one phone a selector names, NULL for a group; *none when the
 * selector is a phone identifier that names nothing. */
static const struct phone *
single(const struct snapshot *s, const char *sel, int *none)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph;

	*none = 0;
	if (strcmp(sel, "all") == 0 || strncmp(sel, "vendor:", 7) == 0 ||
	    strncmp(sel, "model:", 6) == 0)
		return NULL;
	ident_key(sel, strlen(sel), key);
	ph = snapshot_find(s, key);
	*none = ph == NULL;
	return ph;
}

int
rps_batch_run(struct app *app, const struct snapshot *s,
    const struct rps_conf *c, const struct rps_batch_opts *o,
    struct rps_batch_sum *sum, FILE *out)
{
	struct job j = { app, s, c, o, sum, out };
	const struct phone *only;
	size_t total = 0, done = 0;
	int none;

	memset(sum, 0, sizeof(*sum));
	only = single(s, o->selector, &none);
	if (none) {
		fprintf(out, "no phone %s\n", DIAG_Q(o->selector));
		return -1;
	}
	for (size_t i = 0; i < s->n_phones; i++)
		total += selected(&s->phones[i], o->selector, only) != 0;
	for (size_t i = 0; i < s->n_phones; i++) {
		if (!selected(&s->phones[i], o->selector, only))
			continue;
		sum->selected++;
		one(&j, &s->phones[i]);
		progress(o->progress, ++done, total);
	}
	fprintf(out, "%s: %u selected, %u ok, %u failed, %u unchanged, "
	    "%u skipped%s\n", rps_op_word(o->op), sum->selected, sum->ok,
	    sum->failed, sum->unchanged, sum->skipped, o->dry_run ?
	    " (dry run)" : "");
	if (o->dry_run)
		fprintf(out, "%u would be sent\n", sum->planned);
	return sum->failed > 0;
}
