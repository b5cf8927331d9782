#include <string.h>

#include "access.h"

static int
trusted(const struct service_settings *svc, const struct ipaddr *a)
{
	return netlist_contains(&svc->trusted_proxies, a);
}

int
client_address(const struct service_settings *svc, const char *remote,
    const char *xff, struct ipaddr *out)
{
	const char *end, *start;

	if (remote == NULL || ipaddr_parse(remote, strlen(remote), out) < 0)
		return -1;
	if (xff == NULL || !trusted(svc, out))
		return 0;
	/* Walk the list right to left: each trusted hop vouches for the
	 * address before it; the first untrusted one is the client. */
	end = xff + strlen(xff);
	while (end > xff) {
		struct ipaddr a;
		while (end > xff && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		start = end;
		while (start > xff && start[-1] != ',')
			start--;
		const char *s = start;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (ipaddr_parse(s, (size_t)(end - s), &a) < 0)
			return -1;
		*out = a;
		if (!trusted(svc, &a))
			return 0;
		end = start > xff ? start - 1 : xff;
	}
	return 0;
}

static int
phone_has_ip(const struct phone *ph, const struct ipaddr *a)
{
	for (uint32_t i = 0; i < ph->n_nets; i++)
		if (ipnet_contains(&ph->nets[i], a))
			return 1;
	return 0;
}

const char *
profile_access(const struct snapshot *s, const struct phone *ph,
    const struct ipaddr *client)
{
	switch (s->svc.ip_policy) {
	case IP_POLICY_OFF:
		return NULL;
	case IP_POLICY_PHONE:
		if (phone_has_ip(ph, client) ||
		    netlist_contains(&s->svc.ip_whitelist, client))
			return NULL;
		return "not_phone_ip";
	case IP_POLICY_FLEET:
		return common_access(s, client);
	case IP_POLICY_LEARNED:
		/* The learned address lives in the data directory: the
		 * caller checks it on this answer (learned_allows()). */
		if (phone_has_ip(ph, client) ||
		    netlist_contains(&s->svc.ip_whitelist, client))
			return NULL;
		return "not_learned_ip";
	}
	return "policy";
}

const char *
common_access(const struct snapshot *s, const struct ipaddr *client)
{
	if (s->svc.ip_policy == IP_POLICY_OFF)
		return NULL;
	if (strmap_get(&s->fleet_hosts, (const char *)client,
	    sizeof(*client)) != NULL ||
	    netlist_contains(&s->fleet_ranges, client) ||
	    netlist_contains(&s->svc.ip_whitelist, client))
		return NULL;
	return "not_fleet_ip";
}
