/* Vendor packs: for each vendor, the files its phones request, how to
 * recognise its User-Agents, its model catalogue, lookup tables and the
 * lowest layer of the device model (schema/<pack>/pack.yml, extended by
 * etc/vendors.yml), plus every template a pack or the admin provides,
 * parsed once.  docs/packs.md describes the format. */
#ifndef DESKPROV_PACK_H
#define DESKPROV_PACK_H

#include <regex.h>
#include <stddef.h>

#include <json-c/json.h>

#include "extrafiles.h"
#include "filecheck.h"
#include "ident.h"
#include "mustache.h"
#include "useragent.h"
#include "yamltree.h"

enum file_scope { SCOPE_PHONE, SCOPE_MODEL, SCOPE_COMMON };

struct pack_file {
	char			*pattern;	/* "{mac}.boot" */
	char			*tpl;		/* template name: "boot" */
	enum file_scope		 scope;
	int			 secrets;
	enum file_syntax	 syntax;
	char			*content_type;
	/* The pattern's literal head and tail, for a quick refusal:
	 * "y0000000000" and ".cfg" of "y0000000000{file_id}.cfg". */
	size_t			 head_len;
	const char		*tail;
};

struct pack_model {
	char		*name;		/* as the catalogue writes it */
	char		*file_id;	/* NULL when none */
	char		**aliases;
	size_t		 n_aliases;
	json_object	*info;		/* catalogue data for templates */
};

struct pack_ua {
	regex_t	re;
	int	model, version, mac;	/* capture groups; 0: none */
};

struct pack {
	char			*name;
	char			*description;
	char			*ua_vendor;
	enum file_syntax	 syntax;
	char			*content_type;
	char			(*ouis)[7];
	size_t			 n_ouis;
	struct pack_file	*files;
	size_t			 n_files;
	struct pack_model	*models;
	size_t			 n_models;
	struct pack_ua		*uas;
	size_t			 n_uas;
	json_object		*maps;		/* never NULL */
	json_object		*defaults;	/* device layer, never NULL */
	json_object		*vendor_layer;	/* etc/devices.yml, or NULL */
};

struct template_entry {
	const char	*rel;		/* extra file name */
	struct mustache	*t;
};

struct packset {
	struct pack		*packs;
	size_t			 n;
	struct extra_files	 files;		/* template sources */
	struct template_entry	*tpls;		/* parsed, sorted by rel */
	size_t			 n_tpls;
	json_object		*common_layer;	/* etc/devices.yml common: */
	json_object		*model_layers;	/* pack → model → layer */
	/* Time zones as templates see them, read from zoneinfo once per
	 * snapshot: the only part of a snapshot filled in after loading
	 * (one request at a time per process). */
	json_object		**tz_cache;	/* one slot, allocated */
};

/* Builds the packs from the extra files (ownership moves into the set,
 * which the caller frees with packset_free) and the parsed etc/vendors.yml
 * and etc/devices.yml roots (either may be NULL).  Every template is
 * parsed, so a syntax error is an error here.  0, or -1 with err. */
int	packset_load(struct packset *, struct extra_files *files,
	    const struct ynode *vendors_root, const struct ynode *devices_root,
	    struct diag *err);
void	packset_free(struct packset *);

const struct pack	*packset_find(const struct packset *, const char *name);
/* The catalogue model called `name` (or with that alias), any case. */
const struct pack_model	*pack_find_model(const struct pack *, const char *name);
/* The device layer of etc/devices.yml for a model, or NULL. */
json_object	*packset_model_layer(const struct packset *, const struct pack *,
		    const struct pack_model *);

/* What a request path names in one pack. */
struct pack_match {
	const struct pack	*pack;
	const struct pack_file	*file;
	const struct pack_model	*model;		/* {model}/{file_id}, or NULL */
	char			 mac[MAC_LEN + 1];	/* {mac}/{MAC}, or "" */
};

/* Matches the file name (a last path segment, already decoded) against
 * every pack's patterns.  Returns how many matches were written (at most
 * max), in pack order then file order. */
size_t	packset_match(const struct packset *, const char *name,
	    struct pack_match *out, size_t max);

/* Reads a User-Agent with the pack's own patterns, when the built-in
 * parser did not recognise it.  1 and `ua` filled, else 0. */
int	packset_ua_parse(const struct packset *, const char *ua_header,
	    struct useragent *ua);

/* The template for file `fname` of a pack with template name `tpl` and
 * model (may be NULL), following the lookup order of docs/packs.md.  NULL
 * when none exists; *rel (may be NULL) says which file it came from. */
const struct mustache	*packset_template(const struct packset *,
			    const struct pack *, const char *fname,
			    const char *tpl, const struct pack_model *,
			    const char **rel);

/* The names packset_template() tries, in order (at most
 * TEMPLATE_CANDIDATES); returns how many. */
#define TEMPLATE_CANDIDATES	5
int	packset_template_candidates(const struct packset *,
	    const struct pack *, const char *fname, const char *tpl,
	    const struct pack_model *, char out[TEMPLATE_CANDIDATES][256]);

/* The loader partials and parents of pack `p` resolve through: set
 * opts->loader and opts->loader_ctx (a struct template_scope the caller
 * keeps alive during the render). */
struct template_scope {
	const struct packset	*set;
	const struct pack	*pack;
	const char		*used[32];	/* files the render reached */
	size_t			 n_used;
};
int	pack_template_loader(void *ctx, const char *name, char **out,
	    size_t *len);
/* The same lookup for mustache_opts.find: the template as parsed when the
 * snapshot loaded (every .tpl is parsed then), so a render parses
 * nothing. */
const struct mustache	*pack_template_find(void *ctx, const char *name);

#endif
