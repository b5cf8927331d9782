/* Learned SIP contacts: where each phone was last heard on SIP, so that
 * `deskprov notify` can reach it.  One small text file per MAC in
 * <data>/pnp/<mac>, one `key=value` a line:
 *
 *   addr=192.0.2.50
 *   port=5060
 *   vendor=snom
 *   model=snomD345
 *   source=pnp          (pnp, report or dhcp)
 *   seen=1796391123     (Unix time)
 *
 * Written atomically (temporary file, fsync, rename), so a reader sees
 * the old contact or the new one.  Every value is validated before it is
 * written and again when read: an address is an IPv4 or IPv6 address, a
 * port 1..65535, vendor and model the safe bytes of sip_pnp. */
#ifndef DESKPROV_CONTACT_H
#define DESKPROV_CONTACT_H

#include <time.h>

#include "ident.h"
#include "sip.h"

#define CONTACT_DIR	"pnp"
/* A data directory never holds more contacts than this: a flood of
 * forged MACs fills it up to here and no further. */
#define CONTACT_MAX	200000
#define CONTACT_FILE_MAX	512

struct contact {
	char	mac[MAC_LEN + 1];
	char	addr[46];		/* INET6_ADDRSTRLEN */
	unsigned port;
	char	vendor[SIP_FIELD_MAX];
	char	model[SIP_FIELD_MAX];
	char	source[16];
	long long seen;
};

/* Stores c (c->mac names the file).  A contact that only differs in
 * `seen` by less than an hour is not rewritten (a phone that repeats its
 * SUBSCRIBE costs no disk write).  0, 1 (unchanged, nothing written), or
 * -errno; -EINVAL for a value that does not validate, -ENOSPC when the
 * directory already holds CONTACT_MAX contacts and c would be new. */
int	contact_put(const char *data_dir, const struct contact *c);
/* contact_put() for a long-running writer: *stored is the number of
 * contacts in the directory, counted once (when it is SIZE_MAX) and then
 * kept up to date, so that a new phone does not cost a directory scan. */
int	contact_put_counted(const char *data_dir, const struct contact *c,
	    size_t *stored);

/* Reads the contact of `mac` (canonical).  0, -ENOENT, or -EINVAL for a
 * file that does not parse (it is then ignored, never trusted). */
int	contact_get(const char *data_dir, const char *mac, struct contact *c);

/* Parses the text of a contact file; 0 or -EINVAL. */
int	contact_parse(const char *text, size_t n, struct contact *c);

#endif
