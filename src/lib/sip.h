/* SIP messages as deskprov meets them: the Plug-and-Play SUBSCRIBE a phone
 * multicasts when it knows no provisioning server, the NOTIFY that tells
 * it one, and the check-sync NOTIFY that makes a phone fetch again.
 *
 * The parser reads one UDP datagram (RFC 3261 section 7 and 18.3) without
 * copying: every field of struct sip_msg points into the caller's buffer,
 * borrowed for as long as that buffer lives.  It is bounded (SIP_MSG_MAX
 * bytes, SIP_LINES_MAX header lines, SIP_VIA_MAX Via lines) and refuses
 * what a phone asking for its profile never sends: folded header lines
 * (RFC 3261 section 7.3.1 allows them, no PnP phone uses them, and
 * refusing keeps every value one line), bytes outside printable ASCII and
 * tab in the head, a Content-Length that disagrees with the datagram.
 *
 * The builders write complete messages into a struct buf; every value
 * they copy from a request came through the parser, so none holds CR or
 * LF.  Sources: RFC 3261 (SIP), RFC 6080 (the ua-profile event package),
 * and the Asterisk sample pjsip_notify.conf for the check-sync variants
 * (https://github.com/asterisk/asterisk/blob/master/configs/samples/pjsip_notify.conf.sample). */
#ifndef DESKPROV_SIP_H
#define DESKPROV_SIP_H

#include <stddef.h>

#include "buf.h"
#include "ident.h"

#define SIP_MSG_MAX	4096	/* largest datagram parsed */
#define SIP_LINES_MAX	64	/* header lines */
#define SIP_VIA_MAX	8	/* Via lines kept (and copied into a reply) */
#define SIP_FIELD_MAX	64	/* vendor, model, version, serial, tags */

struct sip_str {
	const char	*p;	/* NULL when absent */
	size_t		 n;
};

/* The headers deskprov reads, by full name or compact form (RFC 3261
 * section 7.3.3); the first occurrence of each is kept, except Via. */
enum sip_hdr {
	SIP_H_VIA, SIP_H_FROM, SIP_H_TO, SIP_H_CALL_ID, SIP_H_CSEQ,
	SIP_H_CONTACT, SIP_H_EVENT, SIP_H_CONTENT_LENGTH, SIP_H_CONTENT_TYPE,
	SIP_H_ACCEPT, SIP_H_EXPIRES, SIP_H_USER_AGENT, SIP_H__COUNT
};

enum sip_status {
	SIP_OK = 0,
	SIP_E_SIZE,		/* empty or over SIP_MSG_MAX */
	SIP_E_BINARY,		/* a byte no SIP head holds */
	SIP_E_START,		/* not a request or status line */
	SIP_E_HEADER,		/* a line without "name:" */
	SIP_E_FOLDED,		/* a continuation line */
	SIP_E_TOO_MANY,		/* over SIP_LINES_MAX or SIP_VIA_MAX */
	SIP_E_TRUNCATED,	/* no blank line after the head */
	SIP_E_LENGTH,		/* Content-Length bad or not the body's */
	SIP_E_MISSING,		/* Via, From, To, Call-ID or CSeq absent */
	SIP_E_EVENT,		/* not Event: ua-profile (PnP only) */
	SIP_E_MAC,		/* no MAC in the From/To user part (PnP) */
	SIP_E__COUNT
};

struct sip_msg {
	int		 is_request;
	struct sip_str	 method;	/* requests */
	struct sip_str	 uri;
	int		 status;	/* responses: 100..699 */
	struct sip_str	 h[SIP_H__COUNT];	/* values, trimmed */
	struct sip_str	 via[SIP_VIA_MAX];	/* every Via value, in order */
	size_t		 n_via;
	struct sip_str	 body;
	size_t		 head_len;	/* bytes up to and with the blank line */
};

/* What a PnP SUBSCRIBE says about the phone, validated and copied out:
 * printable ASCII without quotes, backslash or spaces, so that any of
 * them may go into a log line, a file name check or a metric label. */
struct sip_pnp {
	char	mac[MAC_LEN + 1];
	char	vendor[SIP_FIELD_MAX];	/* lowercase; "" when not given */
	char	model[SIP_FIELD_MAX];
	char	version[SIP_FIELD_MAX];
	char	profile_type[SIP_FIELD_MAX];
	/* Yealink DECT handsets: the Call-ID's local part (see sip.c). */
	char	serial[SIP_FIELD_MAX];
	int	accepts_url;	/* Accept: names application/url */
};

/* Parses data[0..n).  SIP_OK fills m (pointers into data); any other
 * status leaves m unspecified.  Never reads past data + n. */
enum sip_status	sip_parse(const char *data, size_t n, struct sip_msg *m);

/* A SUBSCRIBE with Event: ua-profile and a MAC in the From or To user
 * part (any of MAC%3a, MAC%3A, MAC:, MAC before 12 hex digits, see
 * mac_parse_any()).  SIP_OK, SIP_E_EVENT, SIP_E_MAC or SIP_E_START (not a
 * SUBSCRIBE). */
enum sip_status	sip_pnp_parse(const struct sip_msg *, struct sip_pnp *);

/* One word per status for log lines ("ok", "folded", ...). */
const char	*sip_status_word(enum sip_status);

/* The header value `name` (full or compact form) holds `param`:
 * `Event: ua-profile;vendor="snom"` has vendor = snom.  The value, quotes
 * removed, goes to out (at most outsz - 1 bytes); 1 when found. */
int	sip_param(struct sip_str value, const char *param, char *out,
	    size_t outsz);

/* The final answer to a SUBSCRIBE: "SIP/2.0 200 OK", every Via, From,
 * To with `;tag=<to_tag>` added when it has none, Call-ID, CSeq,
 * Expires: 0, Contact: <sip:<local>>, Content-Length: 0.  `local` is
 * "host:port" of this server. */
void	sip_build_ok(const struct sip_msg *req, const char *to_tag,
	    const char *local, struct buf *out);

/* The NOTIFY in the SUBSCRIBE's dialog (RFC 6080 and the phones'
 * dialect): From = the request's To with to_tag, To = the request's From,
 * same Call-ID, CSeq `cseq` NOTIFY, Event: ua-profile,
 * Subscription-State: terminated;reason=timeout, Content-Type:
 * application/url and the URL as body.  `target` is the phone's
 * "host:port", `branch` a fresh Via branch without the magic cookie.
 * -1 (out untouched) when url is empty or holds a byte outside printable
 * ASCII. */
int	sip_build_pnp_notify(const struct sip_msg *req, const char *to_tag,
	    const char *local, const char *target, const char *branch,
	    unsigned cseq, const char *url, struct buf *out);

/* An out-of-dialog NOTIFY that makes a phone resync (or reboot). */
struct sip_notify {
	const char	*local;		/* "host:port" of this side */
	const char	*target;	/* the phone's "host:port" */
	const char	*user;		/* Request-URI user part, or NULL */
	const char	*event;		/* sip_resync_event() */
	const char	*branch;	/* fresh, without z9hG4bK */
	const char	*tag;		/* From tag */
	const char	*call_id;
	unsigned	 cseq;
};
void	sip_build_notify(const struct sip_notify *, struct buf *out);

/* The Event header value that makes a phone of `vendor` (a pack name,
 * lowercase; NULL or unknown: the common form) re-fetch its files, or
 * reboot when `reboot` is set. */
const char	*sip_resync_event(const char *vendor, int reboot);

#endif
