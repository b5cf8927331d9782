/* Fuzz driver: a YAML file as the admin (or an attacker with write access
 * to one file) wrote it, through the tree builder and the typed settings
 * loaders. */
#include <stdint.h>
#include <string.h>

#include "settings.h"
#include "yamltree.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

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

	if (ydoc_load_string(&doc, (const char *)data, size, &yerr) == 0) {
		arena_init(&a);
		settings_defaults(&svc, &fw, &cmp);
		service_settings_load(&svc, doc.root, &a, &err);
		firmware_settings_load(&fw, doc.root, &a, &err);
		comparison_settings_load(&cmp, doc.root, &a, &err);
		arena_free(&a);
	}
	ydoc_free(&doc);
	return 0;
}
