/* Checks on text that will end up inside XML or on a phone. */
#ifndef DESKPROV_TEXT_H
#define DESKPROV_TEXT_H

#include <stddef.h>

#define PARAM_NAME_MAX	128
#define PARAM_VALUE_MAX	8192

/* True for a parameter (element) name: [A-Za-z_][A-Za-z0-9_.-]*, at most
 * PARAM_NAME_MAX characters.  Every such name is a well-formed XML name. */
int		 param_name_ok(const char *s, size_t n);
/* NULL when s[0..n) may be XML character data; otherwise why not. */
const char	*xml_text_problem(const char *s, size_t n);
/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int		 utf8_ok(const char *s, size_t n);

#endif
