/* `deskprov rps register|deregister|check|sync`: an operation on every
 * device of a selection at its vendor's redirect service, each pointed at
 * its own URL, with the state of each kept in DATA/rps/ (rps_state.h) so
 * that a re-run redoes only what failed or changed. */
#ifndef DESKPROV_RPS_BATCH_H
#define DESKPROV_RPS_BATCH_H

#include <stdio.h>

#include "app.h"
#include "config.h"
#include "rps.h"

struct rps_batch_opts {
	enum rps_op	 op;
	const char	*selector;	/* PHONE, all, vendor:X, model:Y */
	int		 dry_run;
	/* Automatic registration (rps.yml auto: true): register what is new
	 * or changed, failures only once their backoff has passed. */
	int		 sync;
	FILE		*progress;	/* a terminal for the bar, or NULL */
	rps_post_fn	 post;		/* NULL: libcurl */
	void		*post_ctx;
	long long	 now;		/* Unix time of the run */
};

struct rps_batch_sum {
	unsigned	 selected;	/* devices the selector named */
	unsigned	 ok;
	unsigned	 failed;
	unsigned	 unchanged;	/* already done with the same URL */
	unsigned	 skipped;	/* no service, disabled, backing off */
	unsigned	 planned;	/* --dry-run */
};

/* True when the selector names anything a batch can take: all,
 * vendor:X, model:Y, or a phone identifier. */
int	rps_batch_selector_ok(const char *sel);

/* The URL a device is registered with: its own base URL and the vendor's
 * file placeholder.  -1 (with why in out) when none can be had. */
int	rps_batch_device_url(const struct rps_conf *, const struct snapshot *,
	    const struct phone *, enum rps_provider, struct buf *out);

/* Runs o->op over the selection, writing one line per device that failed
 * or was planned, and the summary, to out.  Returns 0 when nothing
 * failed, 1 when something did, -1 when the selector names nothing (with
 * the message on out). */
int	rps_batch_run(struct app *, const struct snapshot *,
	    const struct rps_conf *, const struct rps_batch_opts *,
	    struct rps_batch_sum *, FILE *out);

#endif
