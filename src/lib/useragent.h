/* What a phone's User-Agent says about it. */
#ifndef DESKPROV_USERAGENT_H
#define DESKPROV_USERAGENT_H

#include "ident.h"

#define UA_MAX	512	/* longer User-Agents are not parsed (and logged cut) */

struct useragent {
	char	vendor[16];	/* "cisco", ... ; empty when not recognised */
	char	product[48];	/* as the phone names itself: CP-6841-3PCC */
	char	model[32];	/* normalised model: 6841, SPA508G */
	char	version[64];	/* firmware version: 12.0.1 */
	char	mac[MAC_LEN + 1];	/* canonical MAC, empty when absent */
	int	mac_bad;	/* 1: the header has a MAC field, but it holds
				 * no phone's MAC (garbled, multicast, zero, or
				 * two different MACs); mac is then empty */
};

/* Fills `out` from a User-Agent header value.  Returns 1 when a known
 * phone format matched, 0 otherwise (out is then all empty).  Never reads
 * more than UA_MAX bytes; a control byte anywhere makes the answer 0.
 * A recognised header whose MAC field cannot be read comes back with
 * mac_bad set: callers that compare MACs must treat that as a mismatch,
 * never as "no MAC sent". */
int	ua_parse(const char *ua, struct useragent *out);

/* Normalises a Cisco model name for comparisons: CP-6841-3PCC, 6841-3PCC
 * and 6841 all become "6841" (out: at least 32 bytes). */
void	model_key(const char *model, char *out, size_t outsz);

#endif
