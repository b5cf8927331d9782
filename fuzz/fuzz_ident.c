/* Fuzz driver: everything a request line and its headers reach before a
 * phone is looked up — identifiers, MAC spellings, User-Agents, versions,
 * addresses, paths and entity tags. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "ident.h"
#include "ipnet.h"
#include "useragent.h"
#include "version.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *half;
	char key[IDENT_MAX + 1], mac[MAC_LEN + 1], path[257];
	struct useragent ua;
	struct ipnet net;
	struct ipaddr addr;

	memcpy(s, data, size);
	s[size] = '\0';
	mac_parse(s, size, mac);
	if (ident_plausible(s, size))
		ident_key(s, size, key);
	ua_parse(s, &ua);
	ipnet_parse(s, &net);
	ipaddr_parse(s, strlen(s), &addr);
	uri_path_decode(s, path, sizeof(path));
	etag_matches(s, "\"0123456789abcdef\"");
	version_plausible(s);
	half = s + strlen(s) / 2;
	version_compare(s, half);
	free(s);
	return 0;
}
