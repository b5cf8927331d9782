/* SIP Plug-and-Play: what deskprov-pnpd does with one datagram.  A phone
 * without a provisioning server multicasts a SUBSCRIBE (Event:
 * ua-profile) to 224.0.1.75:5060; the answer is a 200 OK and a NOTIFY
 * whose body is the URL the phone then fetches its files from (RFC 6080
 * and the vendors' dialect, see sip.h).
 *
 * pnp_handle() decides and builds the replies without touching a socket,
 * so that tests and the benchmark can drive it; src/pnpd.c owns the
 * sockets.  The rules, in order:
 *   - a datagram that does not parse, or is no ua-profile SUBSCRIBE with
 *     a MAC, is ignored (outcome "malformed", reason = sip_status_word());
 *   - more than rate_per_source SUBSCRIBEs a minute from one address:
 *     ignored ("rate_limited");
 *   - a MAC of the deny file: ignored ("denied");
 *   - with an allow file, a MAC not in it: ignored ("not_allowed");
 *   - a MAC that names no configured phone, unless it is in the allow
 *     file or discovery mode is on (and it is not one of
 *     discovery.exclude_macs): ignored ("unknown_phone");
 *   - replies that would exceed PNP_AMPLIFICATION times the request's
 *     bytes, or PNP_REPLY_MAX, are not sent ("too_large");
 *   - otherwise both replies go to the datagram's source address and
 *     port, never to an address the message names ("served", or
 *     "discovery" for a phone that is not configured).
 * A SIP response (a phone's 200 to the NOTIFY) is logged as "answer" and
 * neither counted nor answered.
 * Nothing is ever sent for a refusal: a forged source gets no bytes. */
#ifndef DESKPROV_PNP_H
#define DESKPROV_PNP_H

#include <netinet/in.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "contact.h"
#include "log.h"
#include "metrics.h"
#include "sip.h"

#define PNP_MCAST_GROUP		"224.0.1.75"
/* Replies (200 OK and NOTIFY together) never exceed this many times the
 * request's bytes, nor PNP_REPLY_MAX each: no reflection amplifier. */
#define PNP_AMPLIFICATION	3
#define PNP_REPLY_MAX		1400
#define PNP_RATE_SLOTS		4096

/* Per-source token buckets, a fixed table (a new source takes the slot
 * of whichever address hashed there before). */
struct pnp_rate {
	struct pnp_rate_slot {
		struct in6_addr	addr;
		double		tokens;
		double		last;
	}		 slots[PNP_RATE_SLOTS];
	double		 per_second;
	double		 burst;
};

struct pnp {
	const char	*data_dir;	/* learned contacts; NULL: none */
	struct metrics	*metrics;	/* borrowed; may be NULL */
	struct maclist	 allow, deny;	/* owned (pnp_free) */
	int		 have_allow;
	struct pnp_rate	*rate;		/* owned */
	unsigned long	 seq;		/* tags and branches */
	size_t		 contacts;	/* stored so far (bounded) */
	int		 one_time_links;	/* pnp.one_time_links */
};

/* One datagram as it arrived. */
struct pnp_datagram {
	const char		*data;
	size_t			 len;
	struct sockaddr_storage	 src;	/* AF_INET or AF_INET6 */
	char			 local[64];	/* "host:port" it reached */
	char			 local_host[48];	/* host alone */
	double			 now;	/* monotonic seconds */
	long long		 wall;	/* Unix time */
};

struct pnp_result {
	const char	*outcome;	/* see above */
	const char	*reason;	/* malformed: why; else NULL */
	int		 status;	/* for the log line */
	struct sip_pnp	 phone;		/* valid from "rate_limited" on */
	const char	*vendor;	/* metric label: a known vendor */
	struct buf	 ok, notify;	/* to send, when outcome is served */
	struct buf	 url;
	int		 send;
};

/* Reads the allow and deny files of the settings (MikoServerPnP's
 * mac_white.conf / mac_black.conf: one MAC a line, any spelling
 * mac_parse() takes; blank lines and '#' comments skipped).  0, or -1
 * with the file and line in err. */
int	pnp_init(struct pnp *, const struct pnp_settings *,
	    const char *data_dir, struct metrics *, char *err, size_t errsz);
void	pnp_free(struct pnp *);
/* One MAC list file into out (caller frees out->macs); 0 or -1 + err. */
int	pnp_list_load(const char *path, struct maclist *out, char *err,
	    size_t errsz);

void	pnp_result_init(struct pnp_result *);
void	pnp_result_free(struct pnp_result *);
/* Decides about one datagram (see above), logs into `log` (may be NULL)
 * and counts it; the replies are in r->ok and r->notify when r->send. */
void	pnp_handle(struct pnp *, const struct snapshot *,
	    const struct pnp_datagram *, struct pnp_result *r,
	    struct logline *log);

/* The URL a phone is told, shaped for its vendor: Snom and Panasonic the
 * base URL with ?mac=<mac>; Yealink the directory (it appends its boot
 * and config file names); the others the URL of their main file.  ph may
 * be NULL (an unconfigured phone in discovery mode).  The base is
 * serviceconfig.yml links.base_url when set: a fresh one-time link for a
 * configured phone when pnp.one_time_links says so, else its personal
 * link when it has a key (links.h); without links.base_url, the plain URL
 * on `host`, the address the phone reached this server at. */
void	pnp_url(const struct pnp *, const struct snapshot *,
	    const struct phone *ph, const struct sip_pnp *, const char *host,
	    struct buf *out);

/* 1 when a SUBSCRIBE from addr may be answered now (one token). */
int	pnp_rate_take(struct pnp_rate *, const struct sockaddr_storage *addr,
	    double now);

#endif
