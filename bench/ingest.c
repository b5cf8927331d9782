/* bench/ingest: report.fcgi's own cost per report, without a web server or
 * FastCGI: app_report_handle() called in a loop in one process, CPU and
 * wall time per report.
 *
 *   build/bench_ingest ETC SCHEMA_DIR DATA_DIR BODY COUNT PHONES
 *
 * BODY is a report body (the peer's 73 KB Cisco report); the reports go
 * to the PHONES phones of a fleet written by bench/gen-fleet (MAC
 * 02:00:00:00:00:01 + i), round robin, so that each phone holds
 * COUNT / PHONES reports at the end.  Run it under
 * `valgrind --tool=callgrind --toggle-collect=app_report_handle` to see
 * where the instructions go. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_report.h"

struct body {
	const char	*data;
	size_t		 len, at;
};

static ssize_t
read_body(void *ctx, char *out, size_t n)
{
	struct body *b = ctx;

	if (n > b->len - b->at)
		n = b->len - b->at;
	memcpy(out, b->data + b->at, n);
	b->at += n;
	return (ssize_t)n;
}

static double
now_us(clockid_t c)
{
	struct timespec t;

	clock_gettime(c, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
		perror(path);
		exit(1);
	}
	rewind(f);
	d = malloc((size_t)n + 1);
	if (d == NULL || fread(d, 1, (size_t)n, f) != (size_t)n) {
		perror(path);
		exit(1);
	}
	fclose(f);
	*len = (size_t)n;
	return d;
}

int
main(int argc, char **argv)
{
	struct app_options o;
	struct app app;
	char *data, uri[64], cl[24];
	size_t len;
	long count, phones, ok = 0;
	double cpu0, wall0;

	if (argc != 7) {
		fputs("usage: bench_ingest ETC SCHEMA_DIR DATA_DIR BODY COUNT "
		    "PHONES\n", stderr);
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.etc = argv[1];
	o.schema_dir = argv[2];
	o.data_dir = argv[3];
	o.server = 1;
	data = slurp(argv[4], &len);
	count = strtol(argv[5], NULL, 10);
	phones = strtol(argv[6], NULL, 10);
	if (count < 1 || phones < 1)
		return 2;
	app_init(&app, "report", &o);
	if (app.cs.snap == NULL) {
		fprintf(stderr, "%s\n", app.cs.error);
		return 1;
	}
	snprintf(cl, sizeof(cl), "%zu", len);
	cpu0 = now_us(CLOCK_PROCESS_CPUTIME_ID);
	wall0 = now_us(CLOCK_MONOTONIC);
	for (long i = 0; i < count; i++) {
		struct body b = { data, len, 0 };
		struct request rq = { .method = "POST", .uri = uri,
		    .remote_addr = "127.0.0.1", .content_length = cl,
		    .user_agent = "Cisco/CP-6841-3PCC-12.0.1 (x)",
		    .read_body = read_body, .body_ctx = &b };
		struct response rs;
		struct logline l;

		snprintf(uri, sizeof(uri), "/report/%012llx",
		    0x020000000001ULL + (unsigned long long)(i % phones));
		response_init(&rs);
		logline_start(&l, "bench");
		app_report_handle(&app, &rq, &rs, &l);
		logline_discard(&l);
		ok += rs.status == 200;
		if (rs.status != 200 && i == 0)
			fprintf(stderr, "status %d: %s\n", rs.status,
			    rs.body.data ? rs.body.data : "");
		response_free(&rs);
	}
	printf("%ld reports, %ld stored: %.1f us CPU, %.1f us wall per "
	    "report\n", count, ok,
	    (now_us(CLOCK_PROCESS_CPUTIME_ID) - cpu0) / (double)count,
	    (now_us(CLOCK_MONOTONIC) - wall0) / (double)count);
	app_free(&app);
	free(data);
	return ok == count ? 0 : 1;
}
