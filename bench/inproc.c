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
 * and the 304 of the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_profile.h"

#define ROUNDS	20000

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

/* Runs ROUNDS requests; vary: a new User-Agent each time.  Returns the
 * CPU microseconds per request and the last answer's status and ETag. */
static double
run(struct app *app, struct request *rq, const char *ua, int vary,
    int *status, char *etag, size_t etagsz)
{
	char uabuf[600];
	double t0 = cpu_us();

	for (int i = 0; i < ROUNDS; i++) {
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
	return (cpu_us() - t0) / ROUNDS;
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
		fputs("usage: bench_inproc ETC SCHEMA_DIR URI [USER-AGENT]\n",
		    stderr);
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
	same = run(&app, &rq, argc > 4 ? argv[4] : NULL, 0, &status, etag,
	    sizeof(etag));
	printf("%s: status %d, same request: %.2f us\n", argv[3], status, same);
	if (argc > 4) {
		varied = run(&app, &rq, argv[4], 1, &status, NULL, 0);
		printf("%s: status %d, another firmware version each time "
		    "(a new render): %.2f us\n", argv[3], status, varied);
	}
	rq.if_none_match = etag;
	nm = run(&app, &rq, argc > 4 ? argv[4] : NULL, 0, &status, NULL, 0);
	printf("%s: status %d, If-None-Match: %.2f us\n", argv[3], status, nm);
	app_free(&app);
	return 0;
}
