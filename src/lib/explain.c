#include <stdio.h>
#include <string.h>

#include "device.h"
#include "explain.h"
#include "flatprofile.h"
#include "secret.h"
#include "text.h"

/* ---- values and their layers ---- */

struct flat_ctx {
	const struct snapshot	*s;
	explain_value_fn	 fn;
	void			*ctx;
};

static void
flat_value(void *ctx, const struct effective_param *e)
{
	static const char *const names[] = {
		[LAYER_SCHEMA] = "schema", [LAYER_COMMON] = "common",
		[LAYER_PHONE] = "phone",
	};
	const struct flat_ctx *f = ctx;
	struct explain_value v = {
		.name = e->param->name, .layer = names[e->layer],
		.value = secret_name(e->param->name, &f->s->cmp) ? NULL :
		    e->param->value,
	};

	f->fn(f->ctx, &v);
}

int
explain_values(const struct snapshot *s, const struct phone *ph,
    const struct vendor_file_req *vr, explain_value_fn fn, void *ctx,
    char *err, size_t errsz)
{
	struct flat_ctx f = { s, fn, ctx };
	json_object *prov, *data;

	if (vr == NULL) {
		flatprofile_params(s, ph, flat_value, &f);
		return 0;
	}
	prov = json_object_new_object();
	if ((data = vendor_data(vr, prov, err, errsz)) == NULL) {
		json_object_put(prov);
		return -1;
	}
	json_object_object_foreach(prov, path, o) {
		json_object *layer, *value;
		struct explain_value v = { .name = path };

		json_object_object_get_ex(o, "layer", &layer);
		json_object_object_get_ex(o, "value", &value);
		v.layer = json_object_get_string(layer);
		if (!device_path_secret(path))
			v.value = json_object_get_type(value) ==
			    json_type_string ? json_object_get_string(value) :
			    json_object_to_json_string_ext(value,
			    JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE);
		fn(ctx, &v);
	}
	json_object_put(data);
	json_object_put(prov);
	return 0;
}

/* ---- masking ---- */

/* Replaces every occurrence of needle[0..n) in text by the mask. */
static void
mask_value(struct buf *text, const char *needle, size_t n)
{
	struct buf out;
	const char *p, *start, *end;

	if (n == 0 || text->len == 0)
		return;
	buf_init(&out);
	start = text->data;
	end = text->data + text->len;
	while ((p = text_find(start, (size_t)(end - start), needle, n)) != NULL) {
		buf_add(&out, start, (size_t)(p - start));
		buf_adds(&out, EXPLAIN_MASK);
		start = p + n;
	}
	if (start == text->data) {
		buf_free(&out);
		return;
	}
	buf_add(&out, start, (size_t)(end - start));
	buf_free(text);
	*text = out;
}

/* A secret value as written and as the XML escaper writes it. */
static void
mask_both(struct buf *text, const char *value)
{
	struct buf esc;

	if (value == NULL || value[0] == '\0')
		return;
	mask_value(text, value, strlen(value));
	buf_init(&esc);
	buf_add_xml(&esc, value, strlen(value));
	if (esc.len > 0 && strcmp(esc.data, value) != 0)
		mask_value(text, esc.data, esc.len);
	buf_free(&esc);
}

struct mask_ctx {
	const struct snapshot	*s;
	struct buf		*text;
};

static void
mask_flat(void *ctx, const struct effective_param *e)
{
	const struct mask_ctx *m = ctx;

	if (secret_name(e->param->name, &m->s->cmp))
		mask_both(m->text, e->param->value);
}

/* Every secret of the device data behind vr.  vendor_data() records the
 * provenance before it strips secrets from files of no single phone, so
 * the list is complete either way. */
static void
mask_device(const struct vendor_file_req *vr, struct buf *text)
{
	json_object *prov = json_object_new_object(), *data;
	char err[256];

	data = vendor_data(vr, prov, err, sizeof(err));
	json_object_object_foreach(prov, path, o) {
		json_object *value;

		if (device_path_secret(path) &&
		    json_object_object_get_ex(o, "value", &value))
			mask_both(text, json_object_get_string(value));
	}
	json_object_put(data);
	json_object_put(prov);
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' ||
	    c == '[' || c == ']';
}

/* Where the value of the name at t[i..j) ends, or 0 when it has none: the
 * text of an element (<Name attr="..">value<), an attribute or a
 * "name = value" line (up to its end).  *from receives where the value
 * starts. */
static size_t
value_span(const char *t, size_t len, size_t i, size_t j, size_t *from)
{
	const char *stop;
	size_t k = j;

	if (i > 0 && t[i - 1] == '<') {
		if ((stop = memchr(t + j, '>', len - j)) == NULL ||
		    stop[-1] == '/')
			return 0;
		*from = (size_t)(stop - t) + 1;
		stop = memchr(t + *from, '<', len - *from);
		return stop ? (size_t)(stop - t) : 0;
	}
	while (k < len && t[k] == ' ')
		k++;
	if (k >= len || t[k] != '=')
		return 0;
	k++;
	if (k < len && t[k] == '"') {
		*from = k + 1;
		stop = memchr(t + *from, '"', len - *from);
		return stop ? (size_t)(stop - t) : 0;
	}
	while (k < len && t[k] == ' ')
		k++;
	*from = k;
	stop = memchr(t + k, '\n', len - k);
	return stop ? (size_t)(stop - t) : len;
}

/* The name rule: values after secret names become the mask. */
static void
mask_names(const struct snapshot *s, struct buf *text)
{
	struct buf out;
	const char *t = text->data;
	size_t i = 0, j, from = 0, to, copied = 0;
	char name[256];

	if (text->len == 0)
		return;
	buf_init(&out);
	while (i < text->len) {
		if (!name_char(t[i]) || (i > 0 && name_char(t[i - 1]))) {
			i++;
			continue;
		}
		for (j = i; j < text->len && name_char(t[j]); j++)
			;
		to = value_span(t, text->len, i, j, &from);
		if (to > from && j - i < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)(j - i), t + i);
			if (secret_name(name, &s->cmp)) {
				buf_add(&out, t + copied, from - copied);
				buf_adds(&out, EXPLAIN_MASK);
				copied = j = to;	/* past the value */
			}
		}
		i = j;
	}
	buf_add(&out, t + copied, text->len - copied);
	buf_free(text);
	*text = out;
}

void
explain_mask(const struct snapshot *s, const struct phone *ph,
    const struct vendor_file_req *vr, struct buf *text)
{
	struct mask_ctx m = { s, text };

	if (vr != NULL)
		mask_device(vr, text);
	else
		flatprofile_params(s, ph, mask_flat, &m);
	mask_names(s, text);
}

/* ---- the files of a phone ---- */

static size_t
flat_file(const struct snapshot *s, const struct phone *ph,
    explain_file_fn fn, void *ctx)
{
	struct explain_file f = { .status = EXPLAIN_RENDERED, .error = "" };
	struct buf name, body;

	buf_init(&name);
	buf_init(&body);
	buf_printf(&name, "%s.xml", ph->mac[0] != '\0' ? ph->mac : ph->id);
	flatprofile_render(s, ph, &body);
	explain_mask(s, ph, NULL, &body);
	f.name = name.data;
	f.body = &body;
	fn(ctx, &f);
	buf_free(&body);
	buf_free(&name);
	return 1;
}

/* One file of a device, or 0 when the pattern names none for it. */
static size_t
device_file(const struct snapshot *s, const struct phone *ph,
    const struct pack_file *pf, explain_file_fn fn, void *ctx)
{
	struct explain_file f = { .status = EXPLAIN_RENDERED };
	struct vendor_file_req vr;
	struct vendor_result res;
	struct buf body;
	char name[256];

	if (vendor_phone_request(s, ph, pf, name, sizeof(name), &vr) != 1 ||
	    vr.file != pf || (vr.phone != NULL && vr.phone != ph))
		return 0;
	memset(&res, 0, sizeof(res));
	buf_init(&body);
	if (vendor_render(&vr, &body, &res) < 0)
		f.status = EXPLAIN_ERROR;
	explain_mask(s, ph, &vr, &body);
	f.name = name;
	f.vr = &vr;
	f.res = &res;
	f.body = &body;
	f.error = res.error;
	fn(ctx, &f);
	buf_free(&body);
	return 1;
}

size_t
explain_files(const struct snapshot *s, const struct phone *ph,
    explain_file_fn fn, void *ctx)
{
	size_t n = 0;

	if (ph->pack == NULL)
		return flat_file(s, ph, fn, ctx);
	for (size_t i = 0; i < ph->pack->n_files; i++)
		n += device_file(s, ph, &ph->pack->files[i], fn, ctx);
	return n;
}
