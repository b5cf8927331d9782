/* Fuzz driver: a rendered vendor file as the last check before serving
 * sees it, tried in every syntax.  A template can put anything into a
 * file, so the check must survive any bytes and say why in printable
 * text; and whatever it passes must hold the promises of its syntax. */
#include <stdint.h>
#include <string.h>

#include "filecheck.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_text_field(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		__builtin_trap();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			__builtin_trap();
}

static unsigned
count_lines(const char *s, size_t size)
{
	unsigned n = 1;

	for (size_t i = 0; i < size; i++)
		n += s[i] == '\n';
	return n;
}

/* What a passing file of each syntax is known to be. */
static int
passed_ok(enum file_syntax syntax, const char *s, size_t size)
{
	if (memchr(s, '\0', size) != NULL || !utf8_ok(s, size) ||
	    size > FILECHECK_MAX)
		return 0;
	switch (syntax) {
	case SYNTAX_YEALINK:
		return size >= 17 && memcmp(s, "#!version:1.0.0.1", 17) == 0 &&
		    memchr(s, '\r', size) == NULL &&
		    memchr(s, '\t', size) == NULL;
	case SYNTAX_FANVIL:
		return size >= 28 &&
		    memcmp(s, "<<VOIP CONFIG FILE>>Version:", 28) == 0 &&
		    memchr(s, '\r', size) == NULL;
	case SYNTAX_TEXT:
		return memchr(s, '\r', size) == NULL;
	case SYNTAX_XML:
		return size > 0;
	case SYNTAX_AASTRA:
		return memchr(s, '\r', size) == NULL &&
		    memchr(s, '\t', size) == NULL;
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct diag e;

	for (int i = SYNTAX_XML; i <= SYNTAX_AASTRA; i++) {
		enum file_syntax syntax = (enum file_syntax)i;
		int rc = filecheck(syntax, s, size, &e);

		if (rc == 0) {
			if (e.line != 0 || e.key[0] != '\0' || e.msg[0] != '\0' ||
			    !passed_ok(syntax, s, size))
				__builtin_trap();
			continue;
		}
		if (rc != -1 || e.msg[0] == '\0' ||
		    e.line > count_lines(s, size))
			__builtin_trap();
		check_text_field(e.key, sizeof(e.key));
		check_text_field(e.msg, sizeof(e.msg));
		if (filecheck(syntax, s, size, NULL) != -1)
			__builtin_trap();
	}
	return 0;
}
