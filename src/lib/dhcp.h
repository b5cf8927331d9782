/* DHCP learning: `deskprov dhcp-event` is called by the DHCP server for
 * every lease and keeps, per MAC, the address, the vendor class (option
 * 60) and the host name in <data>/dhcp/<mac>, one `key=value` a line.
 * The learned address feeds `ip_authorization: learned`, the contact
 * `deskprov notify` falls back to (port 5060) and the model guess.
 *
 * The calling conventions, as each server documents them:
 *   dnsmasq --dhcp-script   add|old|del MAC IP [HOSTNAME], the vendor
 *                           class in DNSMASQ_VENDOR_CLASS (dnsmasq(8));
 *   ISC dhcpd               on commit / release / expiry { execute(...,
 *                           "commit", MAC, IP, VENDOR-CLASS, HOSTNAME); }
 *                           with the MAC from binary-to-ascii(16, 8, ":",
 *                           ...), octets without leading zeros
 *                           (dhcpd.conf(5), dhcp-eval(5));
 *   Kea run_script          the hook point as the only argument
 *                           (lease4_renew, leases4_committed,
 *                           lease4_release, lease4_expire, ...) and
 *                           LEASE4_ADDRESS, LEASE4_HWADDR, LEASE4_HOSTNAME
 *                           or LEASES4_AT0_* in the environment (Kea ARM,
 *                           "libdhcp_run_script.so: Run Script Support",
 *                           https://kea.readthedocs.io/en/latest/arm/hooks.html);
 *                           Kea passes no vendor class.
 * Everything is validated before it is stored; the files are written
 * atomically (temporary file, fsync, rename) and there are at most
 * DHCP_MAX of them. */
#ifndef DESKPROV_DHCP_H
#define DESKPROV_DHCP_H

#include <stddef.h>

#include "config.h"
#include "ident.h"
#include "ipnet.h"

#define DHCP_DIR	"dhcp"
#define DHCP_MAX	200000
#define DHCP_TEXT_MAX	64

enum dhcp_action { DHCP_IGNORE, DHCP_ADD, DHCP_DEL };

struct dhcp_lease {
	enum dhcp_action action;
	const char	*server;	/* "dnsmasq", "isc", "kea" */
	char		 mac[MAC_LEN + 1];
	char		 addr[46];
	char		 vendor_class[DHCP_TEXT_MAX];	/* "" when none */
	char		 hostname[DHCP_TEXT_MAX];
	long long	 seen;
};

/* Reads one event: args are what follows `dhcp-event` on the command
 * line, env() the environment (getenv, or a table in tests).  0 with *l
 * filled (DHCP_IGNORE for events that carry no lease: dnsmasq's init and
 * tftp, Kea's other hook points), or -1 with err. */
int	dhcp_event_parse(int argc, char *const argv[],
	    const char *(*env)(const char *), struct dhcp_lease *l,
	    char *err, size_t errsz);

/* Stores (DHCP_ADD) or forgets (DHCP_DEL) the lease; 0 or -errno. */
int	dhcp_store(const char *data_dir, const struct dhcp_lease *);

/* The learned lease of `mac`; 0, -ENOENT or -EINVAL. */
int	dhcp_get(const char *data_dir, const char *mac, struct dhcp_lease *);

/* 1 when `client` is the address DHCP last gave the phone `mac`. */
int	dhcp_learned_allows(const char *data_dir, const char *mac,
	    const struct ipaddr *client);

/* A guess at the vendor pack and model of a lease: the pack whose OUI
 * list has the MAC's, else whose User-Agent vendor word the vendor class
 * names; the model a catalogue model of that pack named in the vendor
 * class or host name.  Pointers into the snapshot, NULL when unknown. */
void	dhcp_guess(const struct snapshot *, const struct dhcp_lease *,
	    const char **pack, const char **model);

#endif
