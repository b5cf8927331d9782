/* The last check on a rendered vendor file before it is served: a file
 * that fails here is never sent, so a broken template cannot reach a
 * phone (docs/packs.md, "Syntaxes"). */
#ifndef DESKPROV_FILECHECK_H
#define DESKPROV_FILECHECK_H

#include <stddef.h>

#include "diag.h"

/* Larger files are refused whatever their syntax: no phone configuration
 * comes near it, so one that does is a runaway template. */
#define FILECHECK_MAX	(4u * 1024 * 1024)
/* Attributes on one XML element and in one XML file.  Polycom files carry
 * every raw parameter as an attribute of one element; libxml2's duplicate
 * check costs the square of the per-element count. */
#define FILECHECK_ATTRS_MAX		8192
#define FILECHECK_ATTRS_TOTAL_MAX	262144

enum file_syntax {
	SYNTAX_XML,
	SYNTAX_YEALINK,
	SYNTAX_FANVIL,
	SYNTAX_TEXT,
	SYNTAX_AASTRA
};

/* "xml", "yealink", "fanvil", "text", "aastra" (exactly, lowercase): 0 with *out
 * set; anything else (NULL included): -1, *out untouched. */
int		 file_syntax_parse(const char *name, enum file_syntax *out);
/* The name file_syntax_parse() reads; "unknown" outside the enum. */
const char	*file_syntax_name(enum file_syntax syntax);

/* 0 when buf[0..len) is a valid file of that syntax; else -1 with *e
 * describing the first problem (e may be NULL): its line (0 if none), the
 * parameter or element involved as key ("" if none) and the message; the
 * file name is the caller's.  Every syntax refuses a
 * NUL byte, invalid UTF-8 and more than FILECHECK_MAX bytes.  key and msg
 * hold printable ASCII only (other bytes become '?'), so they are safe in
 * a log line or a page once escaped as usual.  Reentrant: libxml2 errors
 * are caught per call and never printed. */
int		 filecheck(enum file_syntax syntax, const char *buf, size_t len,
		    struct diag *e);

#endif
