#include <ctype.h>

#include "text.h"

int
param_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > PARAM_NAME_MAX ||
	    !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && c != '_' && c != '.' && c != '-')
			return 0;
	}
	return 1;
}

int
utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, len;
	unsigned long cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2; cp = s[i] & 0x1f; min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3; cp = s[i] & 0x0f; min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4; cp = s[i] & 0x07; min = 0x10000;
		} else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

const char *
xml_text_problem(const char *s, size_t n)
{
	size_t i;

	if (n > PARAM_VALUE_MAX)
		return "value longer than 8192 bytes";
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return "control character in value";
	}
	if (!utf8_ok(s, n))
		return "value is not valid UTF-8";
	/* U+FFFE and U+FFFF are valid UTF-8 but not XML characters. */
	for (i = 0; i + 2 < n; i++)
		if ((unsigned char)s[i] == 0xef && (unsigned char)s[i + 1] == 0xbf &&
		    ((unsigned char)s[i + 2] & 0xfe) == 0xbe)
			return "U+FFFE or U+FFFF in value";
	return NULL;
}

/* The code points Unicode calls line or paragraph breaks beyond C0 are
 * NEL (U+0085, a C1 control), U+2028 and U+2029 (Unicode Standard Annex
 * #14, https://www.unicode.org/reports/tr14/, classes NL and BK): a
 * reader that splits lines on them would see a value end early.  XML 1.1
 * counts NEL and U+2028 as line ends too (https://www.w3.org/TR/xml11/,
 * section 2.11). */
static const char *
value_problem(const char *str, size_t n, int xml_space)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	if (!utf8_ok(str, n))
		return "is not valid UTF-8";
	for (i = 0; i < n; i++) {
		if (xml_space && (s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			continue;
		if (s[i] < 0x20 || s[i] == 0x7f)
			return xml_space ? "holds a control character" :
			    "holds a control character such as a newline or "
			    "a tab";
		/* C1 controls are U+0080..U+009F: C2 80..C2 9F. */
		if (s[i] == 0xc2 && s[i + 1] < 0xa0)
			return "holds a C1 control character (U+0080 to "
			    "U+009F, NEL among them)";
		if (s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			return "holds a line or paragraph separator "
			    "(U+2028, U+2029)";
		if (s[i] == 0xef && s[i + 1] == 0xbf &&
		    (s[i + 2] & 0xfe) == 0xbe)
			return "holds U+FFFE or U+FFFF";
	}
	return NULL;
}

const char *
text_line_problem(const char *s, size_t n)
{
	return value_problem(s, n, 0);
}

const char *
text_xml_value_problem(const char *s, size_t n)
{
	return value_problem(s, n, 1);
}
