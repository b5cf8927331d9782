/* Fuzz driver: what a link URL and a phone entry's rules reach before a
 * phone is looked up -- the /p/ /t/ /o/ path split, the key shape and the
 * RFC 3339 time of links.expires. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "links.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), path[257], hex[65];
	const char *cred = NULL, *file = NULL;
	enum links_kind kind;
	size_t n = 0;
	time_t t;

	memcpy(s, data, size);
	s[size] = '\0';
	if (uri_path_decode(s, path, sizeof(path)) == 0 &&
	    links_route(path, &kind, &cred, &n, &file) == 0 &&
	    kind != LINKS_PLAIN_URL) {
		links_key_plausible(cred, n);
		links_token_hash(cred, n, hex);
		(void)links_bad_word(kind);
	}
	links_time_parse(s, strlen(s), &t);
	free(s);
	return 0;
}
