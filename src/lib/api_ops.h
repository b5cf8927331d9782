/* What the management API does, over the process context, for api.fcgi
 * and `deskprov device|import` alike: list, read, write and remove the
 * devices of etc/devices.d (devstore.h), with every write checked by the
 * config loader itself before it reaches the disk: the one entry with the
 * loader's code against the running snapshot (config_check, config.h), so
 * that a write costs about the same at any fleet size.
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
/* The phone or device the id names exactly (not by MAC or serial), as
 * every route of the API takes it; NULL when none. */
const struct phone	*api_ops_device(const struct snapshot *, const char *id);
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

/* Many writes under one hold of the writers' lock (`deskprov import`):
 * each api_ops_batch_put() is checked as api_ops_put() checks one (against
 * the running snapshot, the files written since it was loaded and the
 * batch's earlier entries), and nothing reaches the disk before
 * api_ops_batch_commit() writes them all, so the running processes reload
 * once instead of once per device.  When the files on disk do not load
 * now, each entry is checked by loading everything with it and written at
 * once, as a single PUT would be.  NULL with pb (503, 500). */
struct api_batch;
struct api_batch	*api_ops_batch_new(struct app *, int dry_run,
			    struct api_problem *);
/* Checks and queues one write (w->dry_run is the batch's); 0 with *ch, or
 * -1 with pb, and then nothing of it is queued. */
/* The snapshot the batch checks against: a caller that needs the
 * configuration while the batch is open takes this one, since asking
 * config_state for it may reload and free the batch's. */
const struct snapshot	*api_ops_batch_snapshot(const struct api_batch *);
int	api_ops_batch_put(struct api_batch *, const struct api_write *,
	    enum api_change *, struct api_problem *);
/* Writes every queued file (none in a dry run), each whose write fails
 * reported to failed() with what it would have been; the count of those. */
typedef void	(*api_batch_failed_fn)(void *ctx, const char *id,
		    enum api_change, const struct api_problem *);
size_t	api_ops_batch_commit(struct api_batch *, api_batch_failed_fn failed,
	    void *ctx);
void	api_ops_batch_free(struct api_batch *);

#endif
