/* bench/inproc: deskprov's own cost per request, without a web server or
 * FastCGI: app_profile_handle() called in a loop in one process, CPU time from
 * CLOCK_PROCESS_CPUTIME_ID.
 *
 *   build/bench_inproc ETC SCHEMA_DIR URI [USER-AGENT]
 *
 * A "#" in the User-Agent stands for a number.  Three figures: the same
 * request again and again (# is 0: for a vendor file, the render cache
 * answers), then with # counting up, so that the firmware version changes
 * on every request and every vendor file is rendered and checked anew
 * (keep the version older than the configured one, or nothing changes),
 * and the 304 of the first.
 *
 *   build/bench_inproc ETC SCHEMA_DIR URI USER-AGENT URI2
 *
 * compares two routes to one file instead (bench/links: the plain URL and
 * the personal link): PAIRS pairs of BATCH requests each, URI then URI2,
 * the order swapped every pair, so that both see the same moments of a
 * busy machine.  Printed: each route's median and lowest CPU time per
 * request, and the median and spread of the per-pair difference and
 * ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_profile.h"

#define ROUNDS	20000
#define PAIRS	40
#define BATCH	1000

static double
cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

/* ua with its "#" replaced by n. */
static void
with_number(const char *ua, int n, char *out, size_t outsz)
{
	const char *hash = strchr(ua, '#');

	if (hash == NULL)
		snprintf(out, outsz, "%s", ua);
	else
		snprintf(out, outsz, "%.*s%d%s", (int)(hash - ua), ua, n,
		    hash + 1);
}

/* Runs n requests; vary: a new User-Agent each time.  Returns the CPU
 * microseconds per request and the last answer's status and ETag. */
static double
run(struct app *app, struct request *rq, const char *ua, int vary,
    int *status, char *etag, size_t etagsz, int n)
{
	char uabuf[600];
	double t0 = cpu_us();

	for (int i = 0; i < n; i++) {
		struct response rs;
		struct logline l;
		const char *h;

		if (ua != NULL) {
			with_number(ua, vary ? i : 0, uabuf, sizeof(uabuf));
			rq->user_agent = uabuf;
		}
		response_init(&rs);
		logline_start(&l, "bench");
		app_profile_handle(app, rq, &rs, &l);
		logline_discard(&l);
		*status = rs.status;
		if (etag != NULL && rs.headers.data != NULL &&
		    (h = strstr(rs.headers.data, "ETag: ")) != NULL)
			snprintf(etag, etagsz, "%.18s", h + 6);
		response_free(&rs);
	}
	return (cpu_us() - t0) / n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Sorts v in place; its median. */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The two-route comparison of the head comment.  0, or 1 when a route
 * does not answer 200. */
static int
compare(struct app *app, struct request *rq, const char *ua,
    const char *const uri[2])
{
	double t[2][PAIRS], d[PAIRS], r[PAIRS], low[2], dm, rm;
	int status[2];

	for (int i = 0; i < PAIRS; i++)
		for (int k = 0; k < 2; k++) {
			int which = i % 2 ? 1 - k : k;

			rq->uri = uri[which];
			t[which][i] = run(app, rq, ua, 0, &status[which], NULL,
			    0, BATCH);
		}
	for (int k = 0; k < 2; k++)
		if (status[k] != 200) {
			fprintf(stderr, "%s: status %d\n", uri[k], status[k]);
			return 1;
		}
	for (int i = 0; i < PAIRS; i++) {
		d[i] = t[1][i] - t[0][i];
		r[i] = t[0][i] / t[1][i];
	}
	for (int k = 0; k < 2; k++) {
		low[k] = t[k][0];
		for (int i = 1; i < PAIRS; i++)
			low[k] = t[k][i] < low[k] ? t[k][i] : low[k];
		printf("%s: median %.2f us, lowest %.2f us\n", uri[k],
		    median(t[k], PAIRS), low[k]);
	}
	dm = median(d, PAIRS);	/* sorts d: the spread is its ends */
	rm = median(r, PAIRS);
	printf("second - first, per pair: median %.2f us, spread %.2f to "
	    "%.2f us\n", dm, d[0], d[PAIRS - 1]);
	printf("first / second, per pair: median %.3f, spread %.3f to %.3f "
	    "(%d pairs of %d requests)\n", rm, r[0], r[PAIRS - 1], PAIRS,
	    BATCH);
	return 0;
}

int
main(int argc, char **argv)
{
	struct app_options o = { .etc = argv[1], .schema_dir = argv[2] };
	struct app app;
	struct request rq;
	char etag[32] = "";
	int status;
	double same, varied, nm;

	if (argc < 4) {
		fputs("usage: bench_inproc ETC SCHEMA_DIR URI [USER-AGENT "
		    "[URI2]]\n", stderr);
		return 2;
	}
	app_init(&app, "bench", &o);
	if (app.cs.snap == NULL) {
		fprintf(stderr, "%s\n", app.cs.error);
		return 1;
	}
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = argv[3];
	rq.remote_addr = "127.0.0.1";
	if (argc > 5) {
		const char *const uri[2] = { argv[3], argv[5] };
		int rc = compare(&app, &rq, argv[4], uri);

		app_free(&app);
		return rc;
	}
	same = run(&app, &rq, argc > 4 ? argv[4] : NULL, 0, &status, etag,
	    sizeof(etag), ROUNDS);
	printf("%s: status %d, same request: %.2f us\n", argv[3], status, same);
	if (argc > 4) {
		varied = run(&app, &rq, argv[4], 1, &status, NULL, 0, ROUNDS);
		printf("%s: status %d, another firmware version each time "
		    "(a new render): %.2f us\n", argv[3], status, varied);
	}
	rq.if_none_match = etag;
	nm = run(&app, &rq, argc > 4 ? argv[4] : NULL, 0, &status, NULL, 0,
	    ROUNDS);
	printf("%s: status %d, If-None-Match: %.2f us\n", argv[3], status, nm);
	app_free(&app);
	return 0;
}
