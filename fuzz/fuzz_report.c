/* Fuzz driver: a report body as a phone (or anyone who can reach
 * report.fcgi) uploads it, through the parser, then the list operations
 * the store and the comparison use on the result.  The same bytes are
 * also tried as a report id from a /report-detail/<id> URL. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* A valid id names a file under its own phone's directory only. */
static void
try_id(const uint8_t *data, size_t size)
{
	struct store_entry e;
	char *id;

	if (!store_id_valid((const char *)data, size))
		return;
	id = malloc(size + 1);
	memcpy(id, data, size);
	id[size] = '\0';
	if (store_entry_parse(id, &e) != 0 || strcmp(e.id, id) != 0 ||
	    strncmp(e.mac, id, MAC_LEN) != 0 || strchr(id, '/') != NULL ||
	    strstr(id, "..") != NULL)
		__builtin_trap();
	free(id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r, copy;
	struct report_limits lim;
	char msg[REPORT_MSG_MAX];

	try_id(data, size);
	report_limits_default(&lim);
	lim.max_params = 500;
	if (report_parse((const char *)data, size, REPORT_DELTA, &lim, &r,
	    msg) == REPORT_OK) {
		report_init(&copy, REPORT_CONFIG);
		report_merge(&copy, &r);
		for (size_t i = 0; i < r.n; i++)
			if (report_get(&copy, r.params[i].name) == NULL ||
			    strlen(r.params[i].value) != r.params[i].value_len)
				__builtin_trap();
		report_free(&copy);
	} else if (r.n != 0 || strlen(msg) >= REPORT_MSG_MAX)
		__builtin_trap();
	report_free(&r);
	return 0;
}
