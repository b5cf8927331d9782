/* metrics.fcgi: /metrics (Prometheus text format) and /status (JSON) for
 * users with the monitor or admin role. */
#ifndef DESKPROV_APP_METRICS_H
#define DESKPROV_APP_METRICS_H

#include "app.h"
#include "http.h"

void	app_metrics_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

/* Recomputes the fleet gauges from the per-phone series: phones active and
 * phones that reported within the configured windows (from the per-phone
 * timestamps), phones with configuration differences and phones with
 * unexpected parameters (from the drift gauges report.fcgi keeps as
 * reports arrive).  One lookup per configured phone and series, no file
 * read. */
void	app_metrics_update_windows(struct metrics *, const struct snapshot *,
	    time_t now);

#endif
