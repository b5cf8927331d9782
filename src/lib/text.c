#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "text.h"

/* What a parameter name may hold: 1 for its first byte (a letter or
 * '_'), 2 for the rest too (letters, digits, '_', '.', '-'); ASCII as in
 * the C locale.  A table: every name of every report passes here. */
static const unsigned char name_bytes[256] = {
	['_'] = 3, ['.'] = 2, ['-'] = 2,
	['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2,
	['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
	['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3,
	['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3,
	['m'] = 3, ['n'] = 3, ['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3,
	['s'] = 3, ['t'] = 3, ['u'] = 3, ['v'] = 3, ['w'] = 3, ['x'] = 3,
	['y'] = 3, ['z'] = 3,
	['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3,
	['G'] = 3, ['H'] = 3, ['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3,
	['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3, ['Q'] = 3, ['R'] = 3,
	['S'] = 3, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3,
	['Y'] = 3, ['Z'] = 3,
};

int
param_name_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0 || n > PARAM_NAME_MAX || !(name_bytes[u[0]] & 1))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (name_bytes[u[i]] == 0)
			return 0;
	return 1;
}

size_t
utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len;
	uint32_t c;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	if (cp != NULL)
		*cp = c;
	return len;
}

/* 32 or eight bytes at a time while they are ASCII: a 73 KB report body is
 * checked before it is parsed, and is all ASCII but for a few values. */
int
utf8_ok(const char *s, size_t n)
{
	size_t i = 0, len;
	uint64_t w;

	while (i < n) {
		if (n - i >= 32) {
			uint64_t v[4];

			memcpy(v, s + i, 32);
			if (((v[0] | v[1] | v[2] | v[3]) &
			    UINT64_C(0x8080808080808080)) == 0) {
				i += 32;
				continue;
			}
		}
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if ((w & UINT64_C(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((len = utf8_decode(s + i, n - i, NULL)) == 0)
			return 0;
		i += len;
	}
	return 1;
}

const char *
text_find(const char *hay, size_t n, const char *needle, size_t m)
{
	const char *s = hay, *end = hay + n;

	while ((size_t)(end - s) >= m &&
	    (s = memchr(s, needle[0], (size_t)(end - s) - m + 1)) != NULL) {
		if (memcmp(s, needle, m) == 0)
			return s;
		s++;
	}
	return NULL;
}

int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
hex_encode(const void *p, size_t n, int upper, char *out)
{
	static const char lower_digits[] = "0123456789abcdef";
	static const char upper_digits[] = "0123456789ABCDEF";
	const char *digits = upper ? upper_digits : lower_digits;
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		*out++ = digits[b[i] >> 4];
		*out++ = digits[b[i] & 15];
	}
}

const char *
xml_text_problem(const char *s, size_t n)
{
	size_t i, len;
	int ascii = 1;

	if (n > PARAM_VALUE_MAX)
		return "value longer than 8192 bytes";
	/* A control character is the answer wherever it is; only a value
	 * with bytes beyond ASCII is decoded (few are). */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return "control character in value";
		ascii &= c < 0x80;
	}
	for (i = 0; !ascii && i < n; i += len) {
		uint32_t cp;

		if ((len = utf8_decode(s + i, n - i, &cp)) == 0)
			return "value is not valid UTF-8";
		/* Valid UTF-8, but not XML characters. */
		if (cp == 0xfffe || cp == 0xffff)
			return "U+FFFE or U+FFFF in value";
	}
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

/* Optimal string alignment distance (Damerau-Levenshtein without
 * re-editing a swapped pair), by rows: three rows of at most
 * TEXT_DISTANCE_LEN_MAX + 1 cells on the stack. */
size_t
text_distance(const char *a, size_t an, const char *b, size_t bn,
    size_t max)
{
	size_t rows[3][TEXT_DISTANCE_LEN_MAX + 1];
	size_t *two = rows[0], *prev = rows[1], *cur = rows[2], *t;

	if (an > TEXT_DISTANCE_LEN_MAX || bn > TEXT_DISTANCE_LEN_MAX ||
	    (an > bn ? an - bn : bn - an) > max)
		return max + 1;
	for (size_t j = 0; j <= bn; j++)
		prev[j] = j;
	for (size_t i = 1; i <= an; i++) {
		size_t low = cur[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t d = prev[j - 1] + (ca != cb);
			if (prev[j] + 1 < d)
				d = prev[j] + 1;
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)
			    b[j - 2]) && tolower((unsigned char)a[i - 2]) ==
			    cb && two[j - 2] + 1 < d)
				d = two[j - 2] + 1;
			cur[j] = d;
			if (d < low)
				low = d;
		}
		if (low > max)
			return max + 1;	/* every later row is worse */
		t = two, two = prev, prev = cur, cur = t;
	}
	return prev[bn] <= max ? prev[bn] : max + 1;
}

void
text_suggest_init(struct text_suggest *s, const char *word, size_t n)
{
	s->word = word;
	s->len = n;
	s->best = NULL;
	/* One typo in a short word, two up to ten letters, three beyond:
	 * "ip_adress" and "Staton_Name" find their key, while a short
	 * word is not taken for every other short word. */
	s->dist = (n <= 4 ? 1 : n <= 10 ? 2 : 3) + 1;
}

void
text_suggest_offer(struct text_suggest *s, const char *cand)
{
	size_t d;

	if (cand == NULL || s->dist == 0)
		return;
	d = text_distance(s->word, s->len, cand, strlen(cand), s->dist - 1);
	if (d < s->dist) {
		s->best = cand;
		s->dist = d;
	}
}
