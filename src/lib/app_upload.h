/* PUT of what a phone uploads to profile.fcgi (upload.h): the file its
 * vendor writes (<mac>-app.log, <mac>-phone.cfg, <mac>-local.cfg, ...),
 * admitted by the rules of a fetch of that phone's own file (User-Agent,
 * discovery mode, the phone's address), capped by Content-Length before a
 * byte is read, and stored under the data directory. */
#ifndef DESKPROV_APP_UPLOAD_H
#define DESKPROV_APP_UPLOAD_H

#include "app.h"
#include "http.h"

/* 1 when the request path names a file phones upload (a PUT anywhere
 * else is no upload: 405 as before). */
int	app_upload_names_file(const struct request *);

/* Answers one PUT into rs and adds its details to the log line.  Outcome
 * words: stored; refusals bad_path, no_route, unknown_phone,
 * not_this_vendor, ua_mismatch, discovery, the address rules' words
 * (not_phone_ip, ...), length_required, bad_length, too_large,
 * empty_body, bad_body; store_error, no_config. */
void	app_upload_handle(struct app *, const struct request *,
	    struct response *, struct logline *);

#endif
