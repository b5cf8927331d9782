/* Remote resync and reboot: a SIP NOTIFY (Event: check-sync or the
 * vendor's variant, sip_resync_event()) to each chosen phone's last known
 * contact (learned by deskprov-pnpd, from a report, or the phone entry's
 * sip_contact), sent at a steady rate so that a fleet-wide resync never
 * becomes a storm of phones fetching at once.
 *
 * A phone that fetches its profile after a NOTIFY confirms it: the
 * sender leaves <data>/pnp/<mac>.notified, and profile.fcgi claims that
 * marker on the phone's next fetch (notify_confirm()), logs it and counts
 * notify_confirmed_total.  <data>/pnp/notified.count counts the markers
 * waiting, so that a fetch with none waiting looks for none. */
#ifndef DESKPROV_NOTIFY_H
#define DESKPROV_NOTIFY_H

#include <stddef.h>

#include "config.h"
#include "contact.h"
#include "metrics.h"

/* A token bucket on the monotonic clock: `rate` tokens a second, sends
 * spaced 1/rate apart.  It holds at most a twentieth of a second's worth
 * (at least one token), so that a late wake-up is made up for (the rate
 * holds over a run) but a pause never turns into a burst. */
struct notify_bucket {
	double	rate;
	double	cap;
	double	tokens;
	double	last;
};

void	notify_bucket_init(struct notify_bucket *, double rate, double now);
/* Seconds to wait from `now` until a token is there (0: take it now;
 * the token is then taken). */
double	notify_bucket_take(struct notify_bucket *, double now);

struct notify_target {
	char		 mac[MAC_LEN + 1];
	const char	*id;		/* phone name (borrowed from snapshot) */
	const char	*vendor;	/* pack name or "cisco"; "" unknown */
	struct contact	 c;
	int		 have_contact;
};

/* The phones a selector names: "all", "vendor:<pack>", "model:<model>"
 * (any case) or one phone (MAC, name or serial); only phones with a MAC.
 * Their contacts are looked up in data_dir.  Returns the number (caller
 * frees *out), or -1 with err for a selector that names nothing. */
long	notify_select(const struct snapshot *, const char *data_dir,
	    const char *selector, struct notify_target **out, char *err,
	    size_t errsz);

struct notify_summary {
	size_t	sent, answered, failed;
	size_t	no_contact, no_answer, refused;
};

/* Called after each send with the count so far (progress bars). */
typedef void	(*notify_progress_fn)(void *ctx, size_t done, size_t total);

struct notify_opts {
	double			 rate;		/* per second */
	int			 reboot;
	double			 wait;		/* s for answers after the last */
	const char		*data_dir;	/* confirmation markers */
	notify_progress_fn	 progress;	/* may be NULL */
	void			*ctx;
};

/* Sends to every target with a contact, at opts->rate, and collects the
 * answers; fills *sum.  0, or -1 when no socket can be had. */
int	notify_send_all(const struct notify_target *, size_t n,
	    const struct notify_opts *, struct notify_summary *sum);

/* What notify_phone() did; notify_result_name() gives each its word. */
enum notify_result {
	NOTIFY_ANSWERED,	/* the phone answered 2xx */
	NOTIFY_SENT,		/* sent, no final answer within a second */
	NOTIFY_REFUSED,		/* the phone answered with an error */
	NOTIFY_NO_PHONE,	/* no configured phone with a MAC */
	NOTIFY_NO_CONTACT,	/* no sip_contact and nothing learned */
	NOTIFY_NO_SOCKET,	/* no UDP socket could be had */
};

/* One phone (MAC, name or serial), for the API's POST
 * /api/v1/devices/{id}/resync and the phone page's buttons: the same
 * sender `deskprov notify` uses, for one target.  *t (may be NULL) gets
 * the target with the contact used. */
enum notify_result	notify_phone(const struct snapshot *,
	    const char *data_dir, const char *ident, int reboot,
	    struct notify_target *t);
/* "answered", "sent", "refused", "no_phone", "no_contact", "no_socket". */
const char	*notify_result_name(enum notify_result);

/* Claims the confirmation marker of `mac` (a profile fetch after a
 * NOTIFY): 1 when there was one (and counts notify_confirmed_total in m),
 * else 0. */
int	notify_confirm(const char *data_dir, const char *mac,
	    struct metrics *m);

#endif
