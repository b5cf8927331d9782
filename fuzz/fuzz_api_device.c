/* Fuzz driver: a management API request body (deskprov's phone entry or
 * Sonata's JSON) through the bounded JSON parser, the body → device
 * mapping, secret masking and keeping, and the YAML a devices.d file
 * would get, read back by the YAML tree builder. */
#include <stdint.h>
#include <string.h>

#include "api_device.h"
#include "api_json.h"
#include "yamltree.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *body, *entry = NULL, *copy = NULL;
	struct api_problem pb;
	struct ydoc doc;
	struct diag err;
	struct buf y;
	char why[128];

	if (api_json_parse((const char *)data, size, &body, why,
	    sizeof(why)) < 0)
		return 0;
	api_problem_init(&pb);
	if (api_device_from_body(body, NULL, &entry, &pb) == 0) {
		json_object_deep_copy(entry, &copy, NULL);
		api_device_mask(copy);
		api_device_keep_secrets(copy, entry, &pb);
		buf_init(&y);
		api_json_to_yaml("fuzz", entry, &y);
		memset(&doc, 0, sizeof(doc));
		if (ydoc_load_string(&doc, y.data, y.len, &err) == 0 &&
		    doc.root != NULL)
			json_object_put(api_json_from_yaml(doc.root));
		ydoc_free(&doc);
		buf_free(&y);
	}
	api_problem_free(&pb);
	json_object_put(copy);
	json_object_put(entry);
	json_object_put(body);
	return 0;
}
