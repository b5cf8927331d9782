/* What every executable records in the shared metrics store after each
 * request.  Label values come only from the code (outcomes, statuses) or
 * from the configuration (MACs, models, versions); anything else is
 * counted as "unknown", so hostile requests cannot grow the label set. */
#ifndef DESKPROV_INSTRUMENT_H
#define DESKPROV_INSTRUMENT_H

#include "http.h"
#include "metrics.h"

/* Opens data_dir/metrics.state and records the build.  NULL (metrics
 * off, one log line) when it cannot. */
struct metrics	*instrument_open(const char *data_dir, const char *prog);

/* The counters every program keeps: requests by program and status,
 * refusals by outcome.  What only one program knows (a phone's fetch, a
 * report's arrival) its handler records itself.  m may be NULL. */
void	instrument_request(struct metrics *, const char *prog,
	    const struct response *);

/* Seconds since an arbitrary point, for request durations. */
double	instrument_clock(void);

#endif
