/* Mustache templates rendered from json-c data: the official specification
 * (interpolation, sections, inverted sections, comments, partials,
 * set-delimiters) plus template inheritance ({{<parent}} {{$block}}) and
 * dynamic names ({{>*name}} {{<*name}}).  Lambdas are not supported: the
 * data is JSON, which carries no code.
 *
 * A template is parsed once into an immutable tree (mustache_parse) that
 * may be rendered many times, from several threads at once.  Partials and
 * parents come from a loader the caller supplies, so that the caller
 * decides where templates live and which names are allowed.
 *
 * Escaping follows the output format, not HTML alone: HTML for the
 * specification, XML for XML profiles, and none at all for line-based
 * formats, where a value carrying a newline or another control character
 * is refused instead, because such a file cannot hold it.
 *
 * Nothing here prints or exits: every failure is returned with a message,
 * the template's name and the line.  Every size, depth and amount of work
 * is bounded, so a hostile template or data costs an error, not a crash.
 *
 * Choices the specification leaves open:
 * - false for a section: a miss, null, false, "" and []; numbers, even 0,
 *   and {} are true;
 * - numbers print as JSON has them, doubles in the shortest form that
 *   reads back the same (1.21); objects and arrays print as compact JSON;
 * - blocks of a parent's partials can be overridden like the parent's own;
 * - a standalone partial's indentation is not put on its blank lines. */
#ifndef DESKPROV_MUSTACHE_H
#define DESKPROV_MUSTACHE_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"
#include "diag.h"

/* Defaults for the limits of struct mustache_opts that are left at 0. */
#define MUSTACHE_TEMPLATE_MAX	(1024 * 1024)	/* bytes in one template */
#define MUSTACHE_OUTPUT_MAX	(4 * 1024 * 1024) /* bytes rendered */
#define MUSTACHE_DEPTH_MAX	64	/* nested sections, partials, blocks */
#define MUSTACHE_STEPS_MAX	10000000UL /* nodes visited in one render */
/* Fixed limits. */
#define MUSTACHE_DEPTH_LIMIT	1024	/* max_depth is clamped to this */
#define MUSTACHE_NAME_MAX	256	/* bytes in a tag's name */
#define MUSTACHE_INDENT_MAX	256	/* bytes of accumulated indentation */
#define MUSTACHE_PARTIALS_MAX	256	/* distinct partials in one render */

enum mustache_escape {
	/* The specification: & < > " become entities. */
	MUSTACHE_ESCAPE_HTML,
	/* & < > " ' become entities; a value that XML 1.0 cannot carry at
	 * all (a control character other than tab, LF, CR, or bytes that are
	 * not UTF-8) is an error, escaped or not. */
	MUSTACHE_ESCAPE_XML,
	/* No escaping; a value holding \n, \r or any other control
	 * character (tab and DEL included) is an error, escaped or not. */
	MUSTACHE_ESCAPE_NONE_LINE,
};

/* What a loader returns. */
enum {
	MUSTACHE_LOAD_ERROR = -1,	/* could not be read: always an error */
	MUSTACHE_LOAD_OK = 0,
	MUSTACHE_LOAD_MISSING = 1,	/* no such template */
};

/* Finds the partial or parent called `name` (as written in the tag, or the
 * string a dynamic name resolved to: it may come from data, so the loader
 * must refuse names it does not expect, such as paths with "..").  On
 * MUSTACHE_LOAD_OK, *out is a malloc'ed template of *len bytes that the
 * engine frees with free(). */
typedef int (*mustache_loader)(void *ctx, const char *name, char **out,
    size_t *len);

/* A zeroed struct is the specification's behaviour with default limits. */
struct mustache_opts {
	enum mustache_escape	 escape;
	int			 strict;	/* a missing partial is an error */
	mustache_loader		 loader;	/* NULL: no partial exists */
	void			*loader_ctx;
	size_t			 max_template;	/* 0: MUSTACHE_TEMPLATE_MAX */
	size_t			 max_output;	/* 0: MUSTACHE_OUTPUT_MAX */
	unsigned		 max_depth;	/* 0: MUSTACHE_DEPTH_MAX */
	unsigned long		 max_steps;	/* 0: MUSTACHE_STEPS_MAX */
	/* Optional, tried before the loader: a template the caller parsed
	 * already (borrowed; it must outlive the render), or NULL.  Lets a
	 * caller that keeps its templates parse each one once.  Called with
	 * loader_ctx. */
	const struct mustache	*(*find)(void *ctx, const char *name);
};

struct mustache;

/* Errors: err->file is the template or partial the problem is in (""
 * when none), err->line its 1-based line (0 when no line applies). */

/* Parses src[0..len) (a copy is kept, src may be freed).  `name` names the
 * template in errors.  Returns a template the caller frees with
 * mustache_free(), or NULL with *err filled.  Only the size and depth
 * limits of `opts` (may be NULL) apply here. */
struct mustache	*mustache_parse(const char *src, size_t len, const char *name,
		    const struct mustache_opts *opts, struct diag *err);
void		 mustache_free(struct mustache *);
const char	*mustache_name(const struct mustache *);

/* Renders `t` with `data` (borrowed; NULL renders like JSON null) and
 * appends to `out`.  json-c caches the text of the numbers it prints inside
 * the data, so two threads must not render from the same data at once.  Returns 0, or -1 with *err filled and `out` cut back to
 * its length before the call, so no partial output is ever used. */
int		 mustache_render(const struct mustache *t, json_object *data,
		    const struct mustache_opts *opts, struct buf *out,
		    struct diag *err);
/* mustache_parse, mustache_render and mustache_free in one call. */
int		 mustache_render_text(const char *src, size_t len,
		    const char *name, json_object *data,
		    const struct mustache_opts *opts, struct buf *out,
		    struct diag *err);

#endif
