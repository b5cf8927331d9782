/* What deskprov last did with each device at its vendor's redirect
 * service: one small JSON file per (provider, MAC) in the data
 * directory's rps/ (rps/<provider>-<mac>.json), replaced atomically.
 * `deskprov rps` reads it to retry only what failed or changed, the
 * phone page and the fleet table show it. */
#ifndef DESKPROV_RPS_STATE_H
#define DESKPROV_RPS_STATE_H

#include "buf.h"
#include "rps.h"

struct rps_state {
	enum rps_provider	 provider;
	char			 mac[MAC_LEN + 1];
	char			 op[16];	/* register, deregister, check */
	char			 url[RPS_URL_MAX + 1];	/* registered */
	long long		 when;		/* Unix time */
	char			 outcome[48];	/* rps_outcome_word() */
	char			 message[512];	/* the vendor's words */
	int			 failures;	/* in a row */
	long long		 next_try;	/* sync: not before */
};

const char	*rps_op_word(enum rps_op);

/* 1 with *st filled, 0 when there is none, -1 when it cannot be read
 * (a damaged file counts as none by the callers that retry). */
int	rps_state_load(const char *data_dir, enum rps_provider,
	    const char *mac, struct rps_state *st);
/* Writes st (creating data_dir/rps/); 0 or -errno. */
int	rps_state_save(const char *data_dir, const struct rps_state *st);
/* Fills st from one operation's result at time now: failures counted,
 * next_try backed off (1 minute doubling to 6 hours) after a failure. */
void	rps_state_record(struct rps_state *st, const struct rps_request *rq,
	    const struct rps_result *res, long long now);

/* A one-line summary for pages ("snom register: ok, 2026-12-02T07:30:00Z"), or
 * nothing when no provider has a state for mac.  Appends plain text the
 * caller escapes. */
int	rps_state_summary(const char *data_dir, const char *mac,
	    struct buf *out);

#endif
