/* Fuzz driver: a YAML file as the admin (or an attacker with write access
 * to one file) wrote it, through the tree builder and the typed settings
 * loaders, and streamed as phones.yml is (every node of every entry
 * read while it is handed out: the entries' pool is reused between
 * them, and AddressSanitizer sees a node read after it went). */
#include <stdint.h>
#include <string.h>

#include "settings.h"
#include "yamltree.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile size_t sink;	/* keeps the walks */

/* Reads every byte a node holds, aliases followed (the budget bounds
 * what that visits). */
static size_t
walk(const struct ynode *n)
{
	size_t sum = n->line;

	if (n->kind == YN_SCALAR)
		return sum + (n->len > 0 ? (unsigned char)n->str[n->len - 1] :
		    0);
	for (uint32_t i = 0; i < (n->kind == YN_MAP ? 2 * n->len : n->len);
	    i++)
		sum += walk(n->items[i]);
	return sum;
}

static int
entry(void *ctx, const struct ynode *key, const struct ynode *value)
{
	size_t *sum = ctx;

	*sum += walk(key) + walk(value);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct service_settings svc;
	struct firmware_settings fw;
	struct comparison_settings cmp;
	struct diag err;
	struct diag yerr;
	struct ydoc doc;
	struct arena a;
	size_t sum = 0;

	if (ydoc_load_string(&doc, (const char *)data, size, &yerr) == 0) {
		arena_init(&a);
		settings_defaults(&svc, &fw, &cmp);
		service_settings_load(&svc, doc.root, &a, &err);
		firmware_settings_load(&fw, doc.root, &a, &err);
		comparison_settings_load(&cmp, doc.root, &a, &err);
		arena_free(&a);
	}
	ydoc_free(&doc);
	if (ydoc_stream_string(&doc, (const char *)data, size, "phones", entry,
	    &sum, &yerr) == 0 && doc.root != NULL)
		sum += walk(doc.root);
	ydoc_free(&doc);
	sink = sum;
	return 0;
}
