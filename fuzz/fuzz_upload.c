/* Fuzz driver: what a phone PUTs (upload.h).  The bytes as an upload's
 * file name (upload_match: a name is an upload only with a MAC and a
 * suffix of the table, and names no path), then as an override file of
 * each syntax through upload_params, whose every parameter must be a
 * NUL-terminated string of the length it claims. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "upload.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
try_name(const uint8_t *data, size_t size)
{
	char *name = malloc(size + 1), mac[MAC_LEN + 1];
	const struct upload_file *f;

	memcpy(name, data, size);
	name[size] = '\0';
	if ((f = upload_match(name, mac)) != NULL &&
	    (strlen(mac) != MAC_LEN || strchr(name, '/') != NULL ||
	    strlen(name) != MAC_LEN + strlen(f->suffix)))
		__builtin_trap();
	free(name);
}

static void
try_params(const char *name, const uint8_t *data, size_t size)
{
	char mac[MAC_LEN + 1];
	const struct upload_file *f = upload_match(name, mac);
	struct report r;

	upload_params(f, (const char *)data, size, &r);
	for (size_t i = 0; i < r.n; i++)
		if (strlen(r.params[i].name) != r.params[i].name_len ||
		    strlen(r.params[i].value) != r.params[i].value_len)
			__builtin_trap();
	report_free(&r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	try_name(data, size);
	try_params("001565aabb01-local.cfg", data, size);
	try_params("0004f2aabb05-phone.cfg", data, size);
	return 0;
}
