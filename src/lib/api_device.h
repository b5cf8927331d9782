/* A device as the management API takes and gives it: a request body
 * (deskprov's own phone entry, or Sonata's JSON as Sonata sends it)
 * turned into a phone entry, secrets masked on the way out and kept on
 * the way in.  Pure functions over json-c objects; the checks that need
 * the configuration are the loader's (api_ops.h).
 *
 * Sonata's format ("SIP provisioning server Sonata", described at
 * https://prohoster.info/en/blog/novosti-interneta/sonata-sip-provisioning-server):
 *   key, token, model, vendor, mac, timezone_offset ("GMT+03"),
 *   ntp_server, status, accounts[{line, name, sip_register, sip_name,
 *   sip_user, sip_password, sip_auth}]
 * maps onto vendor, model, mac, timezone (Etc/GMT-3), ntp, enabled and
 * accounts[{line, label, server.host, display_name, user, password,
 * auth_user}]; `key` becomes the personal link key when it is one (43
 * characters of base64url), `token` is the fleet's (serviceconfig.yml),
 * accepted and not stored per device. */
#ifndef DESKPROV_API_DEVICE_H
#define DESKPROV_API_DEVICE_H

#include <json-c/json.h>

#include "config.h"

#define API_MSG_MAX	512

/* Why a request is refused: an HTTP status, one sentence, and for 422
 * the unknown fields by path (owned; NULL when none). */
struct api_problem {
	int		 status;
	char		 msg[API_MSG_MAX];
	json_object	*fields;
};

void	api_problem_init(struct api_problem *);
void	api_problem_free(struct api_problem *);
/* Sets status and message; returns -1 for `return api_fail(...)`. */
int	api_fail(struct api_problem *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* 1 when body uses Sonata's field names. */
int	api_device_is_sonata(json_object *body);

/* Turns a body into a phone entry (a new object the caller owns).  A
 * Cisco flat-profile phone (no vendor) may carry the parameters of s's
 * base list (s may be NULL: then any parameter name).  0, or -1 with pb
 * (400 for a body that is not an object, 422 for unknown fields, listed,
 * or a Sonata value that does not map). */
int	api_device_from_body(json_object *body, const struct snapshot *s,
	    json_object **entry, struct api_problem *pb);

/* Replaces every secret of an entry by {"set": true}. */
void	api_device_mask(json_object *entry);

/* Resolves the {"set": true} placeholders of a new entry from the stored
 * one (old may be NULL) and drops {"set": false}.  0, or -1 with pb (422
 * for a placeholder with nothing stored). */
int	api_device_keep_secrets(json_object *entry, json_object *old,
	    struct api_problem *pb);


#endif
