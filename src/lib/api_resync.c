#include <string.h>

#include "api_ops.h"
#include "api_resync.h"
#include "devstore.h"
#include "notify.h"
#include "sip.h"

/* {"reboot": <boolean>} or {}: 1 or 0, -1 for anything else. */
static int
reboot_of(json_object *body, struct api_problem *pb)
{
	json_object *v = NULL;

	if (body == NULL)
		return 0;
	if (!json_object_is_type(body, json_type_object))
		return api_fail(pb, 422, "the body is an object: "
		    "{\"reboot\": true|false}");
	json_object_object_foreach(body, k, val) {
		if (strcmp(k, "reboot") != 0)
			return api_fail(pb, 422, "unknown field (only "
			    "\"reboot\" is allowed)");
		v = val;
	}
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return api_fail(pb, 422, "\"reboot\" is true or false");
	return json_object_get_boolean(v) ? 1 : 0;
}

static json_object *
answer_of(const struct phone *ph, int reboot, enum notify_result r,
    const struct notify_target *t)
{
	json_object *o = json_object_new_object(), *c = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_string(ph->id));
	json_object_object_add(o, "mac", json_object_new_string(ph->mac));
	json_object_object_add(o, "reboot", json_object_new_boolean(reboot));
	json_object_object_add(o, "event", json_object_new_string(
	    sip_resync_event(t->vendor, reboot)));
	json_object_object_add(o, "result", json_object_new_string(
	    notify_result_name(r)));
	json_object_object_add(c, "address", json_object_new_string(
	    t->c.addr));
	json_object_object_add(c, "port", json_object_new_int((int)t->c.port));
	json_object_object_add(c, "source", json_object_new_string(
	    t->c.source));
	json_object_object_add(o, "contact", c);
	return o;
}

int
api_resync_send(struct app *app, const char *id, json_object *body,
    json_object **out, const char **result, struct api_problem *pb)
{
	const struct snapshot *s = config_state_get(&app->cs);
	const struct phone *ph;
	struct notify_target t;
	enum notify_result r;
	int reboot;

	*result = NULL;
	if (s == NULL)
		return api_fail(pb, 503, "no good configuration is loaded");
	if (!devstore_id_ok(id))
		return api_fail(pb, 400, "not a device id");
	if ((ph = api_ops_device(s, id)) == NULL)
		return api_fail(pb, 404, "no such device");
	if ((reboot = reboot_of(body, pb)) < 0)
		return -1;
	if (ph->mac[0] == '\0')
		return api_fail(pb, 422, "the device has no MAC address: "
		    "there is no phone to notify");
	memset(&t, 0, sizeof(t));
	r = notify_phone(s, app->data_dir, ph->mac, reboot, &t);
	*result = notify_result_name(r);
	if (r == NOTIFY_NO_CONTACT)
		return api_fail(pb, 409, "no SIP contact is known for this "
		    "device: set sip_contact, or wait until it is heard "
		    "(PnP, DHCP or a report)");
	if (r == NOTIFY_NO_PHONE || r == NOTIFY_NO_SOCKET)
		return api_fail(pb, 503, "the NOTIFY could not be sent");
	*out = answer_of(ph, reboot, r, &t);
	return 0;
}
