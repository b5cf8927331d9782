/* Fuzz driver: time zones.  The bytes are tried as a TZif file (what
 * tz_load() reads from zoneinfo), as a POSIX TZ string and as a zone
 * name.  Whatever parses must survive tz_to_json() and be written back
 * by tz_format_posix() as a string that parses to the same facts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tz.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_parsed(const struct tzinfo *tz)
{
	struct tzinfo again;
	json_object *o;
	char text[sizeof(tz->posix)], err[128];

	if (tz_format_posix(tz, text, sizeof(text)) != 0 ||
	    tz_parse_posix(text, &again, err, sizeof(err)) != 0)
		__builtin_trap();
	memcpy(again.name, tz->name, sizeof(again.name));
	memcpy(again.posix, tz->posix, sizeof(again.posix));
	if (memcmp(&again, tz, sizeof(again)) != 0)
		__builtin_trap();
	o = tz_to_json(tz);
	if (o == NULL || json_object_to_json_string(o) == NULL)
		__builtin_trap();
	json_object_put(o);
}

/* A name tz_load() would open stays inside the zoneinfo directory. */
static void
check_name(const char *s)
{
	if (!tz_name_ok(s))
		return;
	if (s[0] == '/' || strlen(s) > TZ_NAME_MAX || strstr(s, "..") ||
	    strstr(s, "//") || strchr(s, '.'))
		__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tzinfo tz;
	char err[256], *s;

	if (tz_from_tzif(data, size, &tz, err, sizeof(err)) == 0)
		check_parsed(&tz);
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (tz_parse_posix(s, &tz, err, sizeof(err)) == 0)
		check_parsed(&tz);
	check_name(s);
	free(s);
	return 0;
}
