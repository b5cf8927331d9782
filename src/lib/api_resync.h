/* POST /api/v1/devices/{id}/resync: the check-sync NOTIFY (or, with
 * {"reboot": true}, the vendor's reboot variant) to the device's last
 * known SIP contact, through notify_phone(), the sender `deskprov notify`
 * uses.
 *
 * The answer is 202 Accepted: a NOTIFY only asks the phone to fetch (the
 * fetch that follows confirms it, notify.h), with
 *   {"id", "mac", "reboot", "event", "result": "answered"|"sent"|"refused",
 *    "contact": {"address", "port", "source"}}.
 * A device with no MAC is 422 (nothing to notify); one with no known
 * contact (no sip_contact, never heard by PnP, DHCP or a report) is 409
 * Conflict: the request is fine, the server's state does not allow it
 * yet, and repeating it after the phone has been heard will work. */
#ifndef DESKPROV_API_RESYNC_H
#define DESKPROV_API_RESYNC_H

#include <json-c/json.h>

#include "api_device.h"
#include "app.h"

/* body: the parsed request body, or NULL for none (borrowed).  0 with
 * *out (caller owns) and *result set, or -1 with pb (400 bad id, 404
 * unknown device, 409 no contact, 422 bad body or no MAC, 503). */
int	api_resync_send(struct app *, const char *id, json_object *body,
	    json_object **out, const char **result, struct api_problem *pb);

#endif
