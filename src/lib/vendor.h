/* Rendering one vendor file: the device layers of its phone (or of its
 * model, or the common ones) merged, turned into the data templates see
 * (docs/packs.md), rendered through the template lookup, and checked
 * against the file's syntax before anyone may send it. */
#ifndef DESKPROV_VENDOR_H
#define DESKPROV_VENDOR_H

#include <json-c/json.h>

#include "buf.h"
#include "config.h"
#include "pack.h"
#include "useragent.h"

/* The template name that marks a pack's phonebook file: it alone sees the
 * directory entries; every other file of the pack sees directory_url
 * (docs/packs.md, "Directory"). */
#define VENDOR_DIRECTORY_TEMPLATE	"directory"

struct vendor_file_req {
	const struct snapshot	*snap;
	const struct pack	*pack;
	const struct pack_file	*file;
	const struct pack_model	*model;	/* NULL for a common file */
	const struct phone	*phone;	/* a phone file's phone, else NULL */
	const struct useragent	*ua;	/* NULL: nothing known */
	const char		*fname;	/* the file name requested */
	/* Set: the phone's bootstrap file (links.plain: bootstrap, see
	 * links.h): every secret stripped and provisioning.url this link,
	 * so the phone learns where to fetch the rest. */
	const char		*bootstrap_url;
};

/* What a file name's MAC names when it is not a device of the file's
 * pack. */
enum vendor_owner {
	VENDOR_OWNER_NONE,		/* no phone has that MAC */
	VENDOR_OWNER_NOT_PHONE,		/* multicast or all-zero */
	VENDOR_OWNER_FLAT,		/* a Cisco flat-profile phone */
	VENDOR_OWNER_OTHER_PACK		/* a device of another pack */
};

/* The one way to ask for a vendor file, so that profile.fcgi, `deskprov
 * render|explain|check` and the compare page all mean the same file by a
 * name.  The name (a decoded last path segment) is matched against every
 * pack: a configured device's own file first (the phone's pack decides
 * between packs sharing a name, as Cisco and Gigaset share <mac>.xml),
 * else a model or common file.  ua (may be NULL) is borrowed into *rq.
 * Returns 1 with *rq filled; 0 when no pack has such a file; -1 when the
 * name is only a phone file of a phone that is no device of that pack:
 * *owner says what the MAC is, and rq->pack is the pack whose MAC
 * prefixes hold it (for the log). */
int	vendor_request(const struct snapshot *, const char *fname,
	    const struct useragent *ua, struct vendor_file_req *rq,
	    enum vendor_owner *owner);

/* A phone's own file pf as the phone asks for it: the name its pattern
 * gives this phone (into name) and what the server answers for that name
 * (vendor_request(), into *rq).  Returns 1 with *rq filled; 0 when the
 * server answers that name with nothing (*rq empty); -1 when the pattern
 * names nothing for this phone (a placeholder without a value).  The one
 * way `deskprov check|files`, the phone and compare pages and explain
 * turn a pack file into a request. */
int	vendor_phone_request(const struct snapshot *, const struct phone *,
	    const struct pack_file *pf, char *name, size_t namesz,
	    struct vendor_file_req *rq);

struct vendor_result {
	const char	*template_rel;	/* the template rendered */
	const char	*used[32];	/* partials and parents it reached */
	size_t		 n_used;
	char		 error[512];	/* why it failed */
};

/* The template data for a request (caller owns it), or NULL with err set
 * (a time zone the system no longer knows).  prov (may be NULL) receives
 * the layer of every device value, as device_merge() gives it. */
json_object	*vendor_data(const struct vendor_file_req *, json_object *prov,
		    char *err, size_t errsz);

/* A file ready to render: its template and its entity tag, known
 * without rendering.  The bytes are a function of the snapshot (every
 * template and the device layers are in it, time zones are read once per
 * snapshot), the file, its template, phone and model, and the firmware
 * version the User-Agent reports; the tag hashes exactly those, so a 304
 * costs neither data nor render. */
struct vendor_prepared {
	const struct mustache	*t;
	struct buf		 inputs;	/* what the bytes depend on */
	uint64_t		 etag;		/* their hash */
};

/* 0 and *p filled (release with vendor_prepared_free), or -1 with
 * res->error set. */
int	vendor_prepare(const struct vendor_file_req *,
	    struct vendor_prepared *p, struct vendor_result *res);
void	vendor_prepared_free(struct vendor_prepared *);
/* Builds the data and renders a prepared file into out.  0, or -1 with
 * res->error naming the template, the line and the value or element at
 * fault; out then holds nothing of the failed file. */
int	vendor_render_prepared(const struct vendor_file_req *,
	    const struct vendor_prepared *, struct buf *out,
	    struct vendor_result *res);
/* vendor_prepare, vendor_render_prepared and vendor_prepared_free. */
int	vendor_render(const struct vendor_file_req *, struct buf *out,
	    struct vendor_result *res);

/* The file a device is mostly about: the first phone file with secrets
 * of its pack (else its first phone file), or NULL. */
const struct pack_file	*vendor_main_file(const struct pack *);
/* A pattern's file name for a phone and model: {mac}, {MAC}, {model}
 * and {file_id} filled in.  -1 when a placeholder has no value. */
int	vendor_file_name(const struct pack_file *, const struct phone *,
	    const struct pack_model *, char *out, size_t outsz);

#endif
