#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "instrument.h"

struct metrics *
instrument_open(const char *prog)
{
	const char *data = getenv("DESKPROV_DATA");
	const char *version[] = { DESKPROV_VERSION };
	char path[4096];
	struct metrics *m;

	snprintf(path, sizeof(path), "%s/metrics.state",
	    data && *data ? data : "./reports");
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

/* profile.fcgi's own metrics: who fetched, how fast, who was upgraded. */
static void
profile_metrics(struct metrics *m, const struct response *rs,
    double seconds)
{
	const char *mac[1] = { rs->phone_mac };
	const char *fw[3] = { rs->fw_current, rs->fw_expected, rs->fw_model };

	/* Health polls are not config requests: they would pull the
	 * percentiles down. */
	if (strcmp(rs->outcome, "health") != 0)
		metrics_observe(m, METRIC_PHONE_CONFIG_REQUEST_DURATION, NULL,
		    seconds);
	/* Every request that named a phone counts, whatever the answer:
	 * under the phone's MAC, or "unknown" for a phone the config does
	 * not have or configures without a MAC. */
	if (rs->phone_found || strcmp(rs->outcome, "unknown_phone") == 0)
		metrics_inc(m, METRIC_PHONE_CONFIG_REQUESTS, mac, 1);
	if (rs->phone_mac != NULL && rs->status < 400)
		metrics_set(m, METRIC_PHONE_LAST_PROFILE_FETCH, mac,
		    (double)time(NULL));
	if (rs->fw_expected != NULL && rs->status == 200)
		metrics_inc(m, METRIC_PHONE_FIRMWARE_UPDATES, fw, 1);
}

void
instrument_request(struct metrics *m, const char *prog,
    const struct response *rs, double seconds)
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
	if (strcmp(prog, "profile") == 0)
		profile_metrics(m, rs, seconds);
}
