/* Fuzz driver: a report body as a phone (or anyone who can reach
 * report.fcgi) uploads it, through the parser, then the list operations
 * the store and the comparison use on the result. */
#include <stdint.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct report r, copy;
	struct report_limits lim;
	char msg[REPORT_MSG_MAX];

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
