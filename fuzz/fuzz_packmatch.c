/* Fuzz driver: a request's file name against the vendor packs, and a
 * User-Agent against their patterns -- what profile.fcgi does with every
 * path before it knows a phone.  The packs are the test packs of
 * tests/data/vendors/schema, loaded once (run from the checkout). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extrafiles.h"
#include "ident.h"
#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct packset set;
static int loaded;

static void
load_once(void)
{
	struct extra_files ef;
	struct diag pe;
	char err[256];

	loaded = 1;
	if (extra_files_read("/nonexistent", "tests/data/vendors/schema", &ef,
	    err, sizeof(err)) < 0 || packset_load(&set, &ef, NULL, NULL,
	    &pe) < 0)
		abort();	/* the driver runs from the checkout */
	extra_files_free(&ef);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), mac[MAC_LEN + 1], crc[5];
	struct pack_match m[8];
	struct useragent ua;
	size_t n;

	if (!loaded)
		load_once();
	memcpy(s, data, size);
	s[size] = '\0';
	n = packset_match(&set, s, m, 8);
	for (size_t i = 0; i < n; i++)
		if (m[i].mac[0] != '\0' && strlen(m[i].mac) != MAC_LEN)
			abort();	/* a match always carries a whole MAC */
	packset_ua_parse(&set, s, &ua);
	mac_parse_any(s, size, mac, crc);
	free(s);
	return 0;
}
