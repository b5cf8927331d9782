/* Phone identifiers: MAC spellings and the names a profile URL may carry. */
#ifndef DESKPROV_IDENT_H
#define DESKPROV_IDENT_H

#include <stddef.h>

#define MAC_LEN		12	/* canonical form: 12 lowercase hex digits */
#define IDENT_MAX	64	/* longest identifier a URL or config may use */

enum mac_status {
	MAC_OK = 0,
	MAC_INVALID = -1,	/* not a MAC spelling at all */
	MAC_NOT_PHONE = -2	/* a MAC, but all-zero or multicast: no device */
};

/* Parses one of 001122aabbcc, 00:11:22:AA:BB:CC, 00-11-22-aa-bb-cc,
 * 0011.22aa.bbcc (exactly the whole of s[0..n)) into 12 lowercase hex digits
 * plus NUL.  Mixed separators and short octets are refused. */
enum mac_status	mac_parse(const char *s, size_t n, char out[MAC_LEN + 1]);

/* Like mac_parse, but also accepts the forms phones use in SIP PnP and
 * Gigaset's MAC-ID: a "MAC%3a", "MAC:" or "MAC" prefix (any case) before
 * exactly 12 hex digits (SUBSCRIBE user parts as SARK and MikoServerPnP
 * see them), and "7C2F80E0D605-ABCD" (12 hex digits, '-', 4 letters or
 * digits; Falconieri's Gigaset provider); see docs/sources.md.  The
 * MAC-ID's suffix goes to crc as given, with a NUL (5 bytes; "" for every
 * other form, and on failure); crc may be NULL.  A prefix is never
 * combined with a separated spelling or a MAC-ID suffix.  Same statuses as
 * mac_parse. */
enum mac_status	mac_parse_any(const char *s, size_t n, char out[MAC_LEN + 1],
		    char crc[5]);

/* True when s[0..n) could name a phone in a URL: 1..IDENT_MAX characters of
 * [A-Za-z0-9._:-], not starting with a dot. */
int	ident_plausible(const char *s, size_t n);

/* Writes the lookup key for an identifier into out (IDENT_MAX + 1 bytes):
 * the canonical MAC when it is one, else the identifier in lowercase.
 * Returns the mac_parse() status (MAC_INVALID for a plain name).  An
 * identifier longer than IDENT_MAX gets the empty key, which finds nothing. */
enum mac_status	ident_key(const char *s, size_t n, char out[IDENT_MAX + 1]);

/* Formats a canonical MAC as 00:11:22:aa:bb:cc into out (18 bytes). */
void	mac_format_colons(const char *mac, char out[18]);

#endif
