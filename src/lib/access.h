/* Who may fetch a phone's profile. */
#ifndef DESKPROV_ACCESS_H
#define DESKPROV_ACCESS_H

#include "config.h"
#include "ipnet.h"

/* Finds the client's address: REMOTE_ADDR, or — only when REMOTE_ADDR is
 * one of trusted_proxies — the right-most X-Forwarded-For entry that is not
 * itself a trusted proxy.  -1 when an address cannot be parsed. */
int	client_address(const struct service_settings *, const char *remote,
	    const char *forwarded_for, struct ipaddr *out);

/* NULL when `client` may fetch the profile of `ph` under the configured
 * policy; otherwise the reason for the log ("not_phone_ip", ...). */
const char	*profile_access(const struct snapshot *, const struct phone *,
		    const struct ipaddr *client);

/* The same for a file that carries no secrets (a vendor's common, model
 * or index file): any address of the fleet (or the whitelist) may have
 * it, or anyone when the policy is off. */
const char	*common_access(const struct snapshot *,
		    const struct ipaddr *client);

#endif
