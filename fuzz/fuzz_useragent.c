/* Fuzz driver: the User-Agent parser alone, with what its answer promises
 * checked on every input: a refusal leaves every field empty; a match
 * names a vendor; every field is terminated inside its array; a MAC is
 * 12 lowercase hex digits of a unicast address, and never set together
 * with mac_bad.  Seeds are real phones' headers (fuzz/corpus/useragent). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "useragent.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_field(const char *f, size_t size)
{
	if (memchr(f, '\0', size) == NULL)
		abort();
}

static void
check(int ok, const struct useragent *u)
{
	char mac[MAC_LEN + 1];

	check_field(u->vendor, sizeof(u->vendor));
	check_field(u->product, sizeof(u->product));
	check_field(u->model, sizeof(u->model));
	check_field(u->version, sizeof(u->version));
	check_field(u->mac, sizeof(u->mac));
	if (!ok && (u->vendor[0] || u->product[0] || u->model[0] ||
	    u->version[0] || u->mac[0] || u->mac_bad))
		abort();
	if (ok && u->vendor[0] == '\0')
		abort();
	if (u->mac[0] != '\0' && (u->mac_bad ||
	    mac_parse(u->mac, strlen(u->mac), mac) != MAC_OK ||
	    strcmp(mac, u->mac) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct useragent u;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check(ua_parse(s, &u), &u);
	free(s);
	return 0;
}
