/* Fuzz driver: a template as a local override could hold it.  The first
 * byte picks the escaping mode and strict partials; the rest is the
 * template, which is also what partials and parents named a… and b… load,
 * so inclusion loops and self-inheritance get explored. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const uint8_t	*g_data;
static size_t		 g_size;
static json_object	*g_json;

static int
copy_out(const uint8_t *p, size_t n, char **out, size_t *len)
{
	*out = malloc(n + 1);
	memcpy(*out, p, n);
	*len = n;
	return MUSTACHE_LOAD_OK;
}

static int
loader(void *ctx, const char *name, char **out, size_t *len)
{
	(void)ctx;
	switch (name[0]) {
	case 'a':
		return copy_out(g_data, g_size, out, len);
	case 'b':
		return copy_out(g_data + g_size / 2, g_size / 2, out, len);
	case 'e':
		return MUSTACHE_LOAD_ERROR;
	default:
		return MUSTACHE_LOAD_MISSING;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct mustache_opts o;
	struct diag err;
	struct buf out;
	int rc;

	if (g_json == NULL)
		g_json = json_tokener_parse("{\"a\":true,\"b\":\"b\",\"l\":[1,"
		    "{\"a\":false,\"x\":\"<&>\\n\"},\"s\",[]],\"n\":\"a\","
		    "\"o\":{\"a\":{\"b\":\"a\"}},\"z\":0,\"d\":1.5}");
	if (n < 1)
		return 0;
	memset(&o, 0, sizeof(o));
	o.escape = (enum mustache_escape)(d[0] % 3);
	o.strict = (d[0] >> 2) & 1;
	o.loader = loader;
	o.max_steps = 100000;
	o.max_output = 1 << 16;
	g_data = d + 1;
	g_size = n - 1;
	buf_init(&out);
	rc = mustache_render_text((const char *)d + 1, n - 1, "f", g_json, &o,
	    &out, &err);
	/* A failed render says why and leaves nothing behind. */
	if (rc == -1 && (err.msg[0] == '\0' || out.len != 0))
		abort();
	buf_free(&out);
	return 0;
}
