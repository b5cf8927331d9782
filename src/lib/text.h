/* Checks on text that will end up inside XML or on a phone, and the one
 * hex and UTF-8 coder every module uses. */
#ifndef DESKPROV_TEXT_H
#define DESKPROV_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define PARAM_NAME_MAX	128
#define PARAM_VALUE_MAX	8192

/* True for a parameter (element) name: [A-Za-z_][A-Za-z0-9_.-]*, at most
 * PARAM_NAME_MAX characters.  Every such name is a well-formed XML name. */
int		 param_name_ok(const char *s, size_t n);
/* NULL when s[0..n) may be XML character data; otherwise why not. */
const char	*xml_text_problem(const char *s, size_t n);
/* NULL when s[0..n) is one line of text, safe in every format a value
 * reaches (XML, line-based .cfg files, JSON): well-formed UTF-8 with no C0
 * control (tab and newline included), no DEL, no C1 control (U+0080 to
 * U+009F, NEL among them), no U+2028 LINE SEPARATOR or U+2029 PARAGRAPH
 * SEPARATOR, no U+FFFE or U+FFFF; otherwise why not.  No length limit:
 * each caller has its own. */
const char	*text_line_problem(const char *s, size_t n);
/* The same rule for a value that only ever reaches XML character data,
 * where tab, newline and carriage return are text (Cisco flat-profile
 * parameters, kept as phones report them): those three are allowed;
 * Unicode's other line breaks and every other control are not. */
const char	*text_xml_value_problem(const char *s, size_t n);
/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int		 utf8_ok(const char *s, size_t n);
/* Length (1 to 4) of the UTF-8 sequence that starts s[0..n), with its code
 * point in *cp (cp may be NULL); 0 when n is 0 or the bytes are no
 * well-formed sequence: an overlong, a surrogate, above U+10FFFF, cut
 * short. */
size_t		 utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The value of the hex digit c (either case), or -1. */
int		 hex_value(int c);

/* The first needle[0..m) in hay[0..n) (m > 0), or NULL: memmem(), which
 * is a GNU extension.  A first-byte scan, then a compare. */
const char	*text_find(const char *hay, size_t n, const char *needle,
		    size_t m);
/* Writes the 2n hex digits of p[0..n) to out (no NUL), in lowercase or,
 * when upper is set, uppercase. */
void		 hex_encode(const void *p, size_t n, int upper, char *out);

/* Longest word text_distance() measures. */
#define TEXT_DISTANCE_LEN_MAX	128

/* The edit distance between a[0..an) and b[0..bn): insertions,
 * deletions, substitutions and swaps of two neighbours count one each;
 * letters match in any case (Cisco's "station_name" is one slip from
 * "Station_Name", so it counts nothing).  max + 1 when the distance is
 * larger than max or a word is longer than TEXT_DISTANCE_LEN_MAX: the
 * work stops as soon as no alignment can come within max. */
size_t		 text_distance(const char *a, size_t an, const char *b,
		    size_t bn, size_t max);

/* "Did you mean": offer every valid name in turn; `best` is then the
 * closest one within a few typos (1 for a word of up to 4 letters, 2 up
 * to 10, else 3),
 * the first offered on a tie, or NULL.  The word and the candidates are
 * borrowed until the caller has used `best`.  Every did-you-mean in
 * deskprov goes through here. */
struct text_suggest {
	const char	*word;
	size_t		 len;
	const char	*best;
	size_t		 dist;	/* a candidate must come closer than this */
};
void		 text_suggest_init(struct text_suggest *, const char *word,
		    size_t n);
void		 text_suggest_offer(struct text_suggest *, const char *cand);

#endif
