#include <stdio.h>
#include <string.h>
#include <time.h>

#include "instrument.h"

struct metrics *
instrument_open(const char *data_dir, const char *prog)
{
	const char *version[] = { DESKPROV_VERSION };
	char path[4096];
	struct metrics *m;

	snprintf(path, sizeof(path), "%s/metrics.state", data_dir);
	m = metrics_open(path, prog);
	metrics_set(m, METRIC_BUILD_INFO, version, 1);
	return m;
}

double
instrument_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
instrument_request(struct metrics *m, const char *prog,
    const struct response *rs)
{
	char status[8];
	const char *req[2] = { prog, status };
	const char *reason[1] = { rs->outcome };

	if (m == NULL)
		return;
	snprintf(status, sizeof(status), "%d", rs->status);
	metrics_inc(m, METRIC_REQUESTS, req, 1);
	if (rs->status >= 400)
		metrics_inc(m, METRIC_REJECTIONS, reason, 1);
}
