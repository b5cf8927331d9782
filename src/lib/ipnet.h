/* IPv4/IPv6 addresses and CIDR ranges, for deciding who may fetch what. */
#ifndef DESKPROV_IPNET_H
#define DESKPROV_IPNET_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 addresses are stored as IPv4 even when they arrive IPv4-mapped
 * (::ffff:192.0.2.1), so that one rule matches both spellings. */
struct ipaddr {
	uint8_t	family;		/* 4 or 6 */
	uint8_t	bytes[16];	/* IPv4 in the first 4 */
};

struct ipnet {
	struct ipaddr	addr;	/* host bits cleared */
	uint8_t		prefix;	/* 0..32 or 0..128 */
};

/* Parses s[0..n) as a bare address (no brackets, port or zone). */
int	ipaddr_parse(const char *s, size_t n, struct ipaddr *);
/* Parses "addr" or "addr/prefix".  Host bits set below the prefix are an
 * error: 10.0.0.1/8 is more likely a typo than a wish. */
int	ipnet_parse(const char *s, struct ipnet *);
int	ipnet_contains(const struct ipnet *, const struct ipaddr *);
int	ipaddr_equal(const struct ipaddr *, const struct ipaddr *);
/* Writes the address in its usual text form into out (46 bytes). */
void	ipaddr_format(const struct ipaddr *, char *out, size_t outsz);

#endif
