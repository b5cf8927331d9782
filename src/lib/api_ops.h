/* What the management API does, over the process context, for api.fcgi
 * and `deskprov device|import` alike: list, read, write and remove the
 * devices of etc/devices.d (devstore.h), with every write checked by the
 * config loader itself before it reaches the disk.
 *
 * A device comes back as an envelope:
 *   {"id", "etag", "source": "devices.d"|"phones.yml", "device": {the
 *    entry, secrets as {"set": true}}, "urls": {"plain": [...],
 *    "token": [...], "personal": [...] (only when the key is new)},
 *    "link_key": "<key>" (only when new)}
 * The personal link key is shown once, when it is made (at creation or
 * by api_ops_rotate_key); it is a secret at rest like a SIP password. */
#ifndef DESKPROV_API_OPS_H
#define DESKPROV_API_OPS_H

#include <json-c/json.h>

#include "api_device.h"
#include "app.h"

/* The filters and page of a listing; NULL fields are not set. */
struct api_list_query {
	const char	*vendor, *model, *mac, *name, *q;
	const char	*cursor;	/* the last id of the previous page */
	long		 limit;		/* 1..1000 */
	long		 page;		/* 1-based; 0: use the cursor */
};

#define API_LIST_DEFAULT	100
#define API_LIST_MAX		1000

/* How a write is made. */
struct api_write {
	const char	*id;
	json_object	*body;		/* borrowed */
	int		 patch;		/* RFC 7396 merge patch over the stored */
	const char	*if_match;	/* NULL: none given */
	int		 require_match;	/* 428 without If-Match on an update */
	const char	*base;		/* URL prefix for urls, "" for paths */
	int		 dry_run;	/* check only */
};

/* Every operation returns 0 with *out (the caller owns it) or -1 with pb;
 * the HTTP status is pb->status on failure, 200 or 201 on success. */
int	api_ops_vendors(struct app *, json_object **out, struct api_problem *);
int	api_ops_models(struct app *, const char *vendor, json_object **out,
	    struct api_problem *);
int	api_ops_list(struct app *, const struct api_list_query *,
	    const char *base, json_object **out, struct api_problem *);
int	api_ops_get(struct app *, const char *id, const char *base,
	    json_object **out, struct api_problem *);
/* What a write did. */
enum api_change { API_UNCHANGED, API_CREATED, API_UPDATED };
/* A write whose file would be byte for byte the stored one is
 * API_UNCHANGED and touches nothing. */
int	api_ops_put(struct app *, const struct api_write *, json_object **out,
	    enum api_change *, struct api_problem *);
int	api_ops_delete(struct app *, const char *id, const char *if_match,
	    int require_match, struct api_problem *);
/* A new personal link key for a devices.d device; the envelope shows it. */
int	api_ops_rotate_key(struct app *, const char *id, const char *if_match,
	    int require_match, const char *base, json_object **out,
	    struct api_problem *);

#endif
