/* metrics.fcgi: /metrics (Prometheus text format) and /status (JSON) for
 * users with the monitor or admin role. */
#ifndef DESKPROV_APP_METRICS_H
#define DESKPROV_APP_METRICS_H

#include "app.h"
#include "http.h"

void	app_metrics_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

/* Recomputes the fleet gauges: phones active and phones that reported
 * within the configured windows, phones with configuration differences and
 * phones with unexpected parameters.  From the summary index (summary.h)
 * when sum is not NULL: one lookup per configured phone; else from the
 * per-phone series, which exist only for a fleet up to
 * monitoring.per_phone_series_max.  No stored report is read. */
struct summary;
void	app_metrics_update_windows(struct metrics *, struct summary *sum,
	    const struct snapshot *, time_t now);

#endif
