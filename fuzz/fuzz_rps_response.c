/* Fuzz driver: any bytes as a redirect service's answer, through the
 * XML-RPC response parser (xmlrpc-c) and each vendor's error table.
 * Whatever the input: 0 or -1, a reason on -1, and on 0 a message that
 * is NUL-terminated printable ASCII within its buffer. */
#include <stdint.h>
#include <string.h>

#include "rps.h"
#include "rps_xmlrpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	struct rps_xmlrpc_reply r;
	char err[256] = "";
	size_t len;

	if (rps_xmlrpc_parse((const char *)data, n, &r, err, sizeof(err)) < 0) {
		if (err[0] == '\0')
			__builtin_trap();
		return 0;
	}
	len = strnlen(r.msg, sizeof(r.msg));
	if (len == sizeof(r.msg))
		__builtin_trap();
	for (size_t i = 0; i < len; i++)
		if (r.msg[i] < 0x20 || r.msg[i] > 0x7e)
			__builtin_trap();
	for (int p = 0; p < RPS__COUNT; p++)
		if ((unsigned)rps_map_message(p, r.msg) >= RPS_OUTCOME__COUNT)
			__builtin_trap();
	return 0;
}
