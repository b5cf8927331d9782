/* The parsed form of a Mustache template, shared by the parser
 * (mustache_parse.c) and the renderer (mustache_render.c).  Not for other
 * modules: they use mustache.h. */
#ifndef DESKPROV_MUSTACHE_IMPL_H
#define DESKPROV_MUSTACHE_IMPL_H

#include <stdarg.h>
#include <stddef.h>

#include "mustache.h"

enum node_type {
	NODE_TEXT,	/* literal text, at most one line */
	NODE_VAR,	/* {{name}}, escaped */
	NODE_RAW,	/* {{{name}}} and {{&name}} */
	NODE_SECTION,	/* {{#name}} */
	NODE_INVERTED,	/* {{^name}} */
	NODE_PARTIAL,	/* {{>name}} */
	NODE_PARENT,	/* {{<name}}: a partial with block arguments */
	NODE_BLOCK,	/* {{$name}}: a parameter, or an argument in a parent */
	NODE_TYPES
};

/* A tag's name.  Data names are split at dots; nseg == 0 is ".", the top
 * of the context stack.  A dynamic partial or parent name (`*name`) is a
 * data name whose value names the template. */
struct mname {
	const char	 *text;		/* as written, NUL-terminated */
	size_t		  len;
	const char	**seg;
	unsigned	  nseg;
	unsigned char	  dynamic;
};

/* One node of the tree; all of them live in the template's pool.
 *
 * Indentation: `bol` marks a node that starts a line of its template, where
 * the indentation of an enclosing standalone partial goes.  For a partial
 * or parent, `indent` is the whitespace before a standalone tag (NULL when
 * the tag is inline).  For a block whose opening tag is standalone, it is
 * the indentation of its content lines: removed from them where the block
 * is defined and replaced by the indentation where it is expanded. */
struct node {
	struct node	 *next;
	struct node	 *kids;
	enum node_type	  type;
	unsigned	  line;
	unsigned char	  bol;
	const char	 *text;		/* NODE_TEXT */
	size_t		  len;
	struct mname	  name;
	const char	 *indent;
	size_t		  indent_len;
	struct node	**blocks;	/* NODE_PARENT: arguments sorted by name */
	size_t		  nblocks;
};

struct pool_chunk;

/* A bump allocator per template.  The shared arena (arena.h) maps and
 * populates a megabyte at a time, which suits one configuration snapshot
 * but not the many small partials of a render. */
struct pool {
	struct pool_chunk	*head;
	size_t			 next_size;
};

struct mustache {
	struct pool	 pool;
	const char	*name;
	const char	*src;	/* copy of the source, in the pool */
	size_t		 len;
	struct node	*root;
};

/* Limits with the defaults filled in. */
struct mustache_limits {
	size_t		 max_template;
	size_t		 max_output;
	unsigned	 max_depth;
	unsigned long	 max_steps;
};

void	 mustache_limits(const struct mustache_opts *, struct mustache_limits *);
/* Copies at most `max` bytes of s[0..n) into dst (NUL-terminated, of size
 * max + 4), control bytes shown as '?', "..." when cut: for messages. */
void	 mustache_quote(char *dst, size_t max, const char *s, size_t n);

void	 pool_init(struct pool *, size_t hint);
void	 pool_free(struct pool *);
/* Memory borrowed until pool_free(); zeroed, aligned for any type. */
void	*pool_alloc(struct pool *, size_t);
char	*pool_strndup(struct pool *, const char *, size_t);

#endif
