#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipnet.h"

static const uint8_t v4mapped[12] = { 0,0,0,0, 0,0,0,0, 0,0,0xff,0xff };

int
ipaddr_parse(const char *s, size_t n, struct ipaddr *out)
{
	char tmp[64];

	if (n == 0 || n >= sizeof(tmp) || memchr(s, '\0', n) != NULL)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	memset(out, 0, sizeof(*out));
	if (strchr(tmp, ':') == NULL) {
		if (inet_pton(AF_INET, tmp, out->bytes) != 1)
			return -1;
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, tmp, out->bytes) != 1)
		return -1;
	out->family = 6;
	if (memcmp(out->bytes, v4mapped, 12) == 0) {
		memmove(out->bytes, out->bytes + 12, 4);
		memset(out->bytes + 4, 0, 12);
		out->family = 4;
	}
	return 0;
}

static int
host_bits_clear(const struct ipaddr *a, unsigned prefix)
{
	unsigned bits = a->family == 4 ? 32 : 128, i;

	for (i = prefix; i < bits; i++)
		if (a->bytes[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

int
ipnet_parse(const char *s, struct ipnet *out)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long prefix;
	unsigned max;
	char *end;

	if (ipaddr_parse(s, n, &out->addr) < 0)
		return -1;
	max = out->addr.family == 4 ? 32 : 128;
	if (slash == NULL) {
		out->prefix = (uint8_t)max;
		return 0;
	}
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	errno = 0;
	prefix = strtoul(slash + 1, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	/* A mapped IPv4 network keeps its IPv4 meaning: its prefix counts
	 * the 96 bits of the mapping prefix too. */
	if (max == 32 && memchr(s, ':', n) != NULL) {
		if (prefix < 96 || prefix > 128)
			return -1;
		prefix -= 96;
	}
	if (prefix > max)
		return -1;
	if (!host_bits_clear(&out->addr, (unsigned)prefix))
		return -1;
	out->prefix = (uint8_t)prefix;
	return 0;
}

int
ipnet_contains(const struct ipnet *net, const struct ipaddr *a)
{
	unsigned full = net->prefix / 8, rest = net->prefix % 8;
	uint8_t mask;

	if (net->addr.family != a->family)
		return 0;
	if (memcmp(net->addr.bytes, a->bytes, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (net->addr.bytes[full] & mask) == (a->bytes[full] & mask);
}

int
ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family &&
	    memcmp(a->bytes, b->bytes, a->family == 4 ? 4 : 16) == 0;
}

void
ipaddr_format(const struct ipaddr *a, char *out, size_t outsz)
{
	if (inet_ntop(a->family == 4 ? AF_INET : AF_INET6, a->bytes, out,
	    (socklen_t)outsz) == NULL && outsz > 0)
		out[0] = '\0';
}
