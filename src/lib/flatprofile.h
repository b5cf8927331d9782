/* A phone's effective parameters written as flat-profile XML. */
#ifndef DESKPROV_FLATPROFILE_H
#define DESKPROV_FLATPROFILE_H

#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "useragent.h"

/* Appends `<Name ua="..">value</Name>` with the value escaped. */
void	flatprofile_param_xml(struct buf *, int indent, const struct param *,
	    const char *ua);

/* Appends the whole profile of `ph`: schema defaults < common < phone.
 * Returns the profile's entity tag hash: equal hashes mean equal bytes. */
uint64_t	flatprofile_render(const struct snapshot *, const struct phone *,
		    struct buf *);
/* The same hash without building the body (for If-None-Match). */
uint64_t	flatprofile_hash(const struct snapshot *, const struct phone *);
/* The same with the caller's scratch buffer (emptied first), so that a
 * load of a million phones does not allocate one per phone. */
uint64_t	flatprofile_hash_with(const struct snapshot *,
		    const struct phone *, struct buf *scratch);

/* Where a parameter's value came from, lowest layer first. */
enum param_layer { LAYER_SCHEMA, LAYER_COMMON, LAYER_PHONE };

struct effective_param {
	const struct param	*param;	/* name, value, ua as written */
	const char		*ua;	/* the ua attribute actually sent */
	enum param_layer	 layer;
};

typedef void	(*effective_fn)(void *ctx, const struct effective_param *);

/* Calls fn for every parameter the phone's profile carries, in the order
 * the profile lists them — exactly what flatprofile_render() writes.  The
 * pointers are borrowed from the snapshot. */
void	flatprofile_params(const struct snapshot *, const struct phone *,
	    effective_fn fn, void *ctx);

/* What a phone should be told to install, when anything. */
struct fw_decision {
	const char	*version;	/* expected version */
	const char	*url;		/* Upgrade_Rule */
	int		 downgrade;
};

/* Decides whether the phone that sent `ua` must change firmware.  Returns
 * 1 and fills `d` when it must, 0 otherwise. */
int	flatprofile_firmware(const struct snapshot *, const struct useragent *,
	    struct fw_decision *);
/* The configured spelling of a version or model (expected_version,
 * model_specific keys and versions) equal to the one given, or NULL: metric
 * labels take only values the admin wrote. */
const char	*flatprofile_fw_version(const struct snapshot *, const char *);
const char	*flatprofile_fw_model(const struct snapshot *, const char *);

/* Appends the upgrade document; returns its hash as above. */
uint64_t	flatprofile_upgrade(const struct snapshot *, const struct fw_decision *,
		    struct buf *);

#endif
