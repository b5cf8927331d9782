/* A YAML file as an immutable tree with line numbers, built with libyaml's
 * event parser.  Aliases share the anchored node (no copies), `<<` merge
 * keys are applied, duplicate keys are errors.
 *
 * A load has one budget, proportional to the file's size, so that no file
 * of n bytes costs more than a small constant times n:
 *   - expanded nodes: the nodes a walk that follows every alias visits
 *     (what a consumer that copies the tree, into JSON or a snapshot,
 *     handles), at most YDOC_NODES_PER_BYTE * n + YDOC_NODES_BASE;
 *   - memory: the tree's arena and the vectors of the collections being
 *     built, at most YDOC_BYTES_PER_BYTE * n + YDOC_BYTES_BASE.
 * A file over budget is refused with the line where the budget ran out,
 * before any consumer sees it: an alias bomb costs nothing to refuse. */
#ifndef DESKPROV_YAMLTREE_H
#define DESKPROV_YAMLTREE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

enum ynode_kind { YN_SCALAR, YN_MAP, YN_SEQ };

/* Kept small on purpose: a 100,000-phone phones.yml has millions. */
struct ynode {
	const char	*str;		/* scalar text, NUL-terminated */
	struct ynode	**items;	/* map: key,value pairs; seq: items */
	uint32_t	 len;		/* scalar length, or entries */
	int32_t		 line;		/* 1-based line in the file */
	uint8_t		 kind;		/* enum ynode_kind */
	uint8_t		 is_null;	/* plain "", ~, null: no value */
	uint8_t		 plain;		/* scalar written without quotes */
	uint32_t	 expanded;	/* nodes here with aliases expanded */
};

/* A streamed section's entries (ydoc_stream_string), while they are
 * handed out, and after it when an anchor was set in one. */
struct ypool_block;
struct ypool {
	struct ypool_block	*head, *spare;
	size_t			 used;
};

struct ydoc {
	struct arena	 arena;		/* owns every node */
	struct ynode	*root;		/* NULL for an empty file */
	struct ypool	 entries;
	/* ydoc_stream_string() streamed a section: root has it empty.
	 * Otherwise the document is the whole tree, or its error the whole
	 * tree's. */
	int		 hollow;
};

#define YAML_MAX_DEPTH	64

/* The budget of a load of n bytes (see above; docs/limits.md has the
 * figures).  Sixteen expanded nodes per byte let every phone of a
 * phones.yml merge a mapping of a hundred keys or more; a tree written an
 * entry per line takes 3 to 5 bytes per byte of the file, so 8 leave room
 * and refuse only degenerate files (a list of "-" lines took 34). */
#define YDOC_NODES_PER_BYTE	16
#define YDOC_NODES_BASE		(256 * 1024)
#define YDOC_BYTES_PER_BYTE	8
#define YDOC_BYTES_BASE		(16 * 1024 * 1024)

/* Parses a whole file (at most max_bytes) into doc; the caller frees it with
 * ydoc_free() in every case.  On failure returns -1 with err's line,
 * column and message filled in; naming the file is the caller's (err->file
 * is left as it was). */
int	ydoc_load_file(struct ydoc *, const char *path, size_t max_bytes,
	    struct diag *);
/* The same, also handing the file's bytes to the caller (who frees *raw,
 * NULL after an error). */
int	ydoc_load_file_raw(struct ydoc *, const char *path, size_t max_bytes,
	    struct diag *, char **raw, size_t *rawlen);
int	ydoc_load_string(struct ydoc *, const char *s, size_t n,
	    struct diag *);
void	ydoc_free(struct ydoc *);
/* Reads a file of at most max_bytes as ydoc_load_file() does, with its
 * messages: 0 with *data (caller frees) and *len, or -1 with err. */
int	ydoc_read_file(const char *path, size_t max_bytes, struct diag *,
	    char **data, size_t *len);

/* Streaming one section of a large file (phones.yml's phones: a million
 * entries need not be a tree of a gigabyte at once).  The entries of the
 * mapping under the top-level key `section` are handed to fn one at a
 * time, key and value as ydoc_load_string() would build them, and let go
 * after it returns; doc keeps the rest of the tree, the section's mapping
 * with no entries (its line kept).  The budget is ydoc_load_string()'s,
 * counted over the entries as if they were kept, but the memory it
 * measures is what is held, so a section that would not fit as a tree
 * may load streamed.  Duplicate keys of the section itself are the
 * consumer's to find.  Returns 0; -1 with err as ydoc_load_string()
 * would; YDOC_STREAM_STOPPED when fn returned < 0 (err is what fn left);
 * YDOC_STREAM_CANNOT when the section cannot be streamed (a merge key or
 * a key that is no scalar at its level, an anchor on it): load the
 * whole tree instead.  The caller frees doc with ydoc_free() in every
 * case.  The nodes fn gets are borrowed until it returns, and those
 * an alias names later for as long as doc. */
typedef int	(*ydoc_entry_fn)(void *ctx, const struct ynode *key,
		    const struct ynode *value);
#define YDOC_STREAM_STOPPED	(-2)
#define YDOC_STREAM_CANNOT	(-3)
int	ydoc_stream_string(struct ydoc *, const char *s, size_t n,
	    const char *section, ydoc_entry_fn fn, void *ctx, struct diag *);

/* Looks up a key in a mapping (NULL when absent or not a mapping). */
const struct ynode	*ymap_get(const struct ynode *, const char *key);
#define YMAP_N(m)		((m)->len)
#define YMAP_KEY(m, i)		((m)->items[2 * (i)])
#define YMAP_VAL(m, i)		((m)->items[2 * (i) + 1])

#endif
