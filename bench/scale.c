/* bench/scale: the fleet page, /metrics and /status at fleet scale, in one
 * process (app_pages_handle() and app_metrics_handle() as compare.fcgi and
 * metrics.fcgi call them), wall time per answer.
 *
 *   build/bench_scale ETC SCHEMA_DIR DATA_DIR [URI ...]
 *
 * With URIs, only those are measured (ROUNDS=N in the environment sets
 * the answers per URI, 7 by default: more for a profiler); a URI
 * starting with /metrics or /status goes to app_metrics_handle().  With
 * DUMP=DIR in the environment, each answer's body is also written to
 * DIR/<n>.html (n: the URI's place on the command line or in the list
 * below), so that two builds can be compared byte for byte.
 *
 * ETC is a fleet written by bench/gen-fleet (its serviceconfig.yml has the
 * user "admin").  When the summary index in DATA_DIR knows fewer phones
 * than the fleet has, every configured phone first gets a generated record
 * (a report a minute to a day old, one of a few models and firmware
 * versions, one phone in ten with differences), so that no report has to
 * be stored to measure the pages: they read the index only (so do
 * /reports and /status).  Every sort key of the fleet page is measured,
 * deep pages and combined filters too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_metrics.h"
#include "app_pages.h"
#include "summary.h"

#define ROUNDS_MAX	10000

static int rounds = 7;

static const char *const models[] = { "CP-6841-3PCC", "CP-7841-3PCC",
	"CP-8851-3PCC", "CP-6871-3PCC" };
static const char *const firmwares[] = { "sip68xx.12-0-1MPP",
	"sip68xx.11-3-7MPP", "sip78xx.12-0-1MPP", "sip88xx.12-0-1MPP" };

static void
fake(struct summary_rec *r, void *ctx)
{
	unsigned i = *(const unsigned *)ctx;
	time_t now = time(NULL);

	r->last_fetch = (int64_t)(now - (time_t)(i % 3600));
	r->last_report = (int64_t)(now - 60 - (time_t)(i * 7 % 86400));
	snprintf(r->latest_id, sizeof(r->latest_id), "%s-20261201T100000."
	    "000000Z-config-00000001-00000001-00000001", r->mac);
	r->have_state = 1;
	r->compared = 1;
	r->differences = i % 10 == 0 ? i % 7 + 1 : 0;
	r->unexpected = i % 13 == 0;
	r->reports = 1;
	snprintf(r->model, sizeof(r->model), "%s", models[i % 4]);
	snprintf(r->firmware, sizeof(r->firmware), "%s", firmwares[i / 4 % 4]);
}

static double
clock_ms(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double
now_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The body of the last answer to DUMP/<n>.html, when DUMP is set. */
static void
dump(int n, const struct buf *body)
{
	const char *dir = getenv("DUMP");
	char path[4096];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%02d.html", dir, n);
	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(body->data, 1, body->len, f) != body->len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

/* Median wall and CPU time of `rounds` answers to GET uri. */
static void
measure(struct app *app, const char *uri, int metrics, int n)
{
	double *t = calloc((size_t)rounds, sizeof(*t));
	double *cpu = calloc((size_t)rounds, sizeof(*cpu));
	size_t len = 0;
	int status = 0;

	if (t == NULL || cpu == NULL)
		abort();
	for (int i = 0; i < rounds; i++) {
		struct request rq = { .method = "GET", .uri = uri,
		    .remote_addr = "127.0.0.1", .remote_user = "admin" };
		struct response rs;
		struct logline l;
		double t0 = now_ms();
		double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);

		response_init(&rs);
		logline_start(&l, "bench");
		if (metrics)
			app_metrics_handle(app, &rq, &rs, &l);
		else
			app_pages_handle(app, &rq, &rs, &l);
		t[i] = now_ms() - t0;
		cpu[i] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		logline_discard(&l);
		status = rs.status;
		len = rs.body.len;
		if (i == rounds - 1)
			dump(n, &rs.body);
		response_free(&rs);
	}
	qsort(t, (size_t)rounds, sizeof(t[0]), dcmp);
	qsort(cpu, (size_t)rounds, sizeof(cpu[0]), dcmp);
	printf("  %-50s %3d %7zu B  wall %7.2f ms (min %6.2f)  CPU %7.2f ms "
	    "(min %6.2f)\n", uri, status, len, t[rounds / 2], t[0],
	    cpu[rounds / 2], cpu[0]);
	free(t);
	free(cpu);
}

static const char *const page_uris[] = {
	"/", "/?page=500", "/?page=1000", "/?sort=firmware&order=desc",
	"/?sort=report&order=desc&page=300", "/?status=drift",
	"/?status=drift&sort=differences&order=desc",
	"/?model=CP-7841-3PCC&firmware=sip68xx.11-3-7MPP",
	"/?q=fleet-09999", "/?q=02:00:00:01:86", "/?sort=name&order=desc",
	"/?sort=mac&page=1000", "/?sort=vendor", "/?sort=model&order=desc",
	"/?sort=fetch&page=700", "/?sort=status&order=desc&page=999",
	"/?status=stale&sort=firmware&page=50",
	"/reports", "/reports?page=1000", "/reports?page=2000", NULL
};

int
main(int argc, char **argv)
{
	struct app_options o;
	struct app app;
	const struct snapshot *s;
	struct summary *sum;
	double t0;
	int rounds_saved;

	if (argc < 4) {
		fputs("usage: bench_scale ETC SCHEMA_DIR DATA_DIR [URI ...]\n",
		    stderr);
		return 2;
	}
	if (getenv("ROUNDS") != NULL)
		rounds = (int)strtol(getenv("ROUNDS"), NULL, 10);
	if (rounds < 1 || rounds > ROUNDS_MAX) {
		fprintf(stderr, "bench_scale: ROUNDS is 1 to %d\n", ROUNDS_MAX);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.etc = argv[1];
	o.schema_dir = argv[2];
	o.data_dir = argv[3];
	o.server = 1;
	app_init(&app, "bench", &o);
	if ((s = app.cs.snap) == NULL) {
		fprintf(stderr, "%s\n", app.cs.error);
		return 1;
	}
	if ((sum = summary_of_app(&app, s)) == NULL)
		return 1;
	if (summary_count(sum) < s->n_phones) {
		t0 = now_ms();
		for (unsigned i = 0; i < s->n_phones; i++)
			summary_update(sum, s->phones[i].mac, fake, &i);
		printf("generated %zu index records in %.0f ms\n",
		    summary_count(sum), now_ms() - t0);
	}
	printf("%zu phones, %zu in the index; medians of %d answers\n",
	    s->n_phones, summary_count(sum), rounds);
	/* The first view of a configuration numbers its vendors and models
	 * and plans the walk over the index (page_fleet.c; the orders come
	 * with the snapshot): shown apart.  The process's first touch of
	 * the index's pages is shown apart too, by a /metrics before it (a
	 * running process has them mapped when the configuration
	 * changes). */
	t0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	rounds_saved = rounds;
	rounds = 1;
	measure(&app, "/metrics", 1, 98);
	printf("  (the process's first walk of the index, above: %.0f ms "
	    "CPU)\n", clock_ms(CLOCK_PROCESS_CPUTIME_ID) - t0);
	t0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
	measure(&app, "/?sort=mac", 0, 99);
	rounds = rounds_saved;
	printf("  (the first view of this configuration, above: %.0f ms "
	    "CPU)\n", clock_ms(CLOCK_PROCESS_CPUTIME_ID) - t0);
	for (int i = 4; i < argc; i++)
		measure(&app, argv[i], strncmp(argv[i], "/metrics", 8) == 0 ||
		    strncmp(argv[i], "/status", 7) == 0, i - 4);
	if (argc > 4)
		goto out;
	for (int i = 0; page_uris[i] != NULL; i++)
		measure(&app, page_uris[i], 0, i);
	measure(&app, "/metrics", 1, 90);
	measure(&app, "/status", 1, 91);
out:
	app_free(&app);
	return 0;
}
