#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ident.h"
#include "text.h"

/* Copies `count` hex digits from s into out, lowercased. */
static int
take_hex(const char *s, size_t count, char *out)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (hex_value((unsigned char)s[i]) < 0)
			return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	return 0;
}

/* Checks a separated spelling: groups of `width` hex digits split by one
 * separator character, the same one throughout. */
static int
take_grouped(const char *s, size_t n, size_t width, char sep, char *out)
{
	size_t groups = MAC_LEN / width, g;

	if (n != groups * width + groups - 1)
		return -1;
	for (g = 0; g < groups; g++) {
		const char *p = s + g * (width + 1);
		if (take_hex(p, width, out + g * width) < 0)
			return -1;
		if (g + 1 < groups && p[width] != sep)
			return -1;
	}
	return 0;
}

/* The group bit of the first octet marks multicast and broadcast
 * addresses; all-zero is the placeholder some vendors use for "every
 * phone".  Neither is a device. */
static enum mac_status
mac_status_of(const char *mac)
{
	if ((hex_value((unsigned char)mac[1]) & 1) ||
	    strcmp(mac, "000000000000") == 0)
		return MAC_NOT_PHONE;
	return MAC_OK;
}

enum mac_status
mac_parse(const char *s, size_t n, char out[MAC_LEN + 1])
{
	int rc;

	if (n == MAC_LEN)
		rc = take_hex(s, MAC_LEN, out);
	else if (n == 17 && (s[2] == ':' || s[2] == '-'))
		rc = take_grouped(s, n, 2, s[2], out);
	else if (n == 14 && s[4] == '.')
		rc = take_grouped(s, n, 4, '.', out);
	else
		rc = -1;
	if (rc < 0)
		return MAC_INVALID;
	out[MAC_LEN] = '\0';
	return mac_status_of(out);
}

/* The user part of a SIP PnP SUBSCRIBE: "MAC%3a", "MAC:" or "MAC" before
 * the 12 hex digits (as SARK and MikoServerPnP see them; docs/sources.md).
 * Each prefix has its own length, so the length of s alone picks the one
 * to compare. */
static const char *const pnp_prefixes[] = { "mac%3a", "mac:", "mac" };

static int
take_pnp(const char *s, size_t n, char *out)
{
	for (size_t i = 0; i < sizeof(pnp_prefixes) / sizeof(pnp_prefixes[0]);
	    i++) {
		size_t p = strlen(pnp_prefixes[i]);
		if (n == p + MAC_LEN && strncasecmp(s, pnp_prefixes[i], p) == 0)
			return take_hex(s + p, MAC_LEN, out);
	}
	return -1;
}

/* A Gigaset MAC-ID: 12 hex digits, '-', 4 letters or digits (a check
 * code printed on the device), which goes to crc as given. */
static int
take_gigaset(const char *s, size_t n, char *out, char crc[5])
{
	if (n != MAC_LEN + 5 || s[MAC_LEN] != '-' ||
	    take_hex(s, MAC_LEN, out) < 0)
		return -1;
	for (size_t i = MAC_LEN + 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return -1;
	if (crc != NULL) {
		memcpy(crc, s + MAC_LEN + 1, 4);
		crc[4] = '\0';
	}
	return 0;
}

enum mac_status
mac_parse_any(const char *s, size_t n, char out[MAC_LEN + 1], char crc[5])
{
	if (crc != NULL)
		crc[0] = '\0';
	if (take_pnp(s, n, out) < 0 && take_gigaset(s, n, out, crc) < 0)
		return mac_parse(s, n, out);
	out[MAC_LEN] = '\0';
	return mac_status_of(out);
}

int
ident_plausible(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > IDENT_MAX || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '.' && c != '_' && c != '-' &&
		    c != ':')
			return 0;
	}
	return 1;
}

enum mac_status
ident_key(const char *s, size_t n, char out[IDENT_MAX + 1])
{
	enum mac_status st;
	size_t i;

	/* Cutting a longer identifier down could make it another phone's
	 * name: it gets the empty key, which names no phone. */
	if (n > IDENT_MAX) {
		out[0] = '\0';
		return MAC_INVALID;
	}
	st = mac_parse(s, n, out);
	if (st == MAC_OK)
		return st;
	for (i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[n] = '\0';
	return st;
}

void
mac_format_colons(const char *mac, char out[18])
{
	size_t i, o = 0;

	for (i = 0; i < MAC_LEN; i += 2) {
		out[o++] = mac[i];
		out[o++] = mac[i + 1];
		out[o++] = i + 2 < MAC_LEN ? ':' : '\0';
	}
}
