#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flatprofile.h"
#include "version.h"

void
flatprofile_param_xml(struct buf *out, int indent, const struct param *p,
    const char *ua)
{
	static const char spaces[] = "                                ";
	size_t pad = indent > 0 ? (size_t)indent : 0;

	/* Pieces, not printf: every phone's tag is computed from these at
	 * compile, a million times at fleet scale. */
	buf_reserve(out, pad + 2 * p->name_len + p->value_len + 20);
	for (; pad > sizeof(spaces) - 1; pad -= sizeof(spaces) - 1)
		buf_add(out, spaces, sizeof(spaces) - 1);
	buf_add(out, spaces, pad);
	buf_addc(out, '<');
	buf_add(out, p->name, p->name_len);
	buf_add(out, " ua=\"", 5);
	buf_adds(out, ua);
	buf_add(out, "\">", 2);
	buf_add_xml(out, p->value, p->value_len);
	buf_add(out, "</", 2);
	buf_add(out, p->name, p->name_len);
	buf_add(out, ">\n", 2);
}

/* The phone's own elements, and a hash of them with their base slots. */
static uint64_t
phone_fragments(const struct snapshot *s, const struct phone *ph,
    struct buf *frag, uint32_t *ends)
{
	uint64_t h = s->base_hash;

	for (uint32_t i = 0; i < ph->n_params; i++) {
		const struct param *p = &ph->params[i];
		flatprofile_param_xml(frag, s->param_indent, p,
		    p->ua ? p->ua : s->svc.default_ua);
		if (ends != NULL)
			ends[i] = (uint32_t)frag->len;
		h = hash_bytes(h, &p->slot, sizeof(p->slot));
	}
	return hash_bytes(h, frag->data ? frag->data : "", frag->len);
}

uint64_t
flatprofile_hash_with(const struct snapshot *s, const struct phone *ph,
    struct buf *scratch)
{
	scratch->len = 0;
	return phone_fragments(s, ph, scratch, NULL);
}

uint64_t
flatprofile_hash(const struct snapshot *s, const struct phone *ph)
{
	struct buf frag;
	uint64_t h;

	buf_init(&frag);
	h = phone_fragments(s, ph, &frag, NULL);
	buf_free(&frag);
	return h;
}

uint64_t
flatprofile_render(const struct snapshot *s, const struct phone *ph,
    struct buf *out)
{
	uint32_t stack_ends[64], *ends = stack_ends;
	uint32_t next = 0, prev_end = 0;
	struct buf frag;
	uint64_t h;

	buf_init(&frag);
	if (ph->n_params > 64)
		ends = xcalloc(ph->n_params, sizeof(*ends));
	h = phone_fragments(s, ph, &frag, ends);
	buf_reserve(out, s->head_len + s->base_off[s->n_base] + frag.len +
	    s->tail_len);
	buf_add(out, s->xml_head, s->head_len);
	/* Copy the base in ranges, putting each overridden slot's phone
	 * element in place of the base one; extras follow the base. */
	for (uint32_t i = 0; i < ph->n_params; i++) {
		uint32_t slot = ph->params[i].slot;
		if (slot == SLOT_NONE)
			break;
		buf_add(out, s->base_xml + s->base_off[next],
		    s->base_off[slot] - s->base_off[next]);
		buf_add(out, frag.data + prev_end, ends[i] - prev_end);
		prev_end = ends[i];
		next = slot + 1;
	}
	buf_add(out, s->base_xml + s->base_off[next],
	    s->base_off[s->n_base] - s->base_off[next]);
	buf_add(out, frag.data ? frag.data + prev_end : "",
	    frag.len - prev_end);
	buf_add(out, s->xml_tail, s->tail_len);
	if (ends != stack_ends)
		free(ends);
	buf_free(&frag);
	return h;
}

static void
emit(effective_fn fn, void *ctx, const struct snapshot *s,
    const struct param *p, enum param_layer layer)
{
	struct effective_param e;

	e.param = p;
	e.ua = p->ua ? p->ua : s->svc.default_ua;
	e.layer = layer;
	fn(ctx, &e);
}

void
flatprofile_params(const struct snapshot *s, const struct phone *ph,
    effective_fn fn, void *ctx)
{
	uint32_t next = 0, i = 0;

	/* The same merge as flatprofile_render(): phone parameters are sorted
	 * by the base slot they replace, extras come last. */
	for (; i < ph->n_params && ph->params[i].slot != SLOT_NONE; i++) {
		for (; next < ph->params[i].slot; next++)
			emit(fn, ctx, s, &s->base[next], next < s->n_common ?
			    LAYER_COMMON : LAYER_SCHEMA);
		emit(fn, ctx, s, &ph->params[i], LAYER_PHONE);
		next = ph->params[i].slot + 1;
	}
	for (; next < s->n_base; next++)
		emit(fn, ctx, s, &s->base[next], next < s->n_common ?
		    LAYER_COMMON : LAYER_SCHEMA);
	for (; i < ph->n_params; i++)
		emit(fn, ctx, s, &ph->params[i], LAYER_PHONE);
}

static int
is_mpp(const char *product)
{
	size_t n = strlen(product);

	return n > 5 && strcasecmp(product + n - 5, "-3PCC") == 0;
}

int
flatprofile_firmware(const struct snapshot *s, const struct useragent *ua,
    struct fw_decision *d)
{
	const struct firmware_settings *fw = &s->fw;
	const char *v;
	int cmp;

	memset(d, 0, sizeof(*d));
	if (!fw->update_enabled || strcmp(ua->vendor, "cisco") != 0 ||
	    ua->version[0] == '\0')
		return 0;
	d->version = fw->expected_version;
	d->url = fw->upgrade_url;
	if (fw->model_specific) {
		if ((v = strpairs_get_model(&fw->model_versions,
		    ua->product)) != NULL)
			d->version = v;
		if ((v = strpairs_get_model(&fw->model_urls,
		    ua->product)) != NULL)
			d->url = v;
	}
	/* The global version and URL are for MPP (3PCC) phones: an SPA or
	 * an ATA runs another firmware line and is steered only by its own
	 * model_specific entry. */
	if (!is_mpp(ua->product) && (!fw->model_specific ||
	    strpairs_get_model(&fw->model_versions, ua->product) == NULL))
		return 0;
	cmp = version_compare(ua->version, d->version);
	if (cmp < 0)
		return 1;
	if (cmp > 0 && fw->allow_downgrade) {
		d->downgrade = 1;
		return 1;
	}
	return 0;
}

const char *
flatprofile_fw_version(const struct snapshot *s, const char *v)
{
	const struct strpairs *p = &s->fw.model_versions;

	if (s->fw.expected_version &&
	    version_compare(v, s->fw.expected_version) == 0)
		return s->fw.expected_version;
	for (size_t i = 0; i < p->n; i++)
		if (version_compare(v, p->values[i]) == 0)
			return p->values[i];
	return NULL;
}

const char *
flatprofile_fw_model(const struct snapshot *s, const char *product)
{
	const struct strpairs *lists[2] = { &s->fw.model_versions,
	    &s->fw.model_urls };
	int i;

	for (int l = 0; l < 2; l++)
		if ((i = strpairs_find_model(lists[l], product)) >= 0)
			return lists[l]->keys[i];
	return NULL;
}

static void
upgrade_param(struct buf *out, const struct snapshot *s, const char *name,
    const char *value)
{
	struct param p;

	if (value == NULL)
		return;
	p.name = name;
	p.name_len = (uint32_t)strlen(name);
	p.value = value;
	p.value_len = (uint32_t)strlen(value);
	flatprofile_param_xml(out, s->param_indent, &p, s->svc.default_ua);
}

uint64_t
flatprofile_upgrade(const struct snapshot *s, const struct fw_decision *d,
    struct buf *out)
{
	char delay[32];
	size_t start = out->len;

	snprintf(delay, sizeof(delay), "%ld", s->fw.retry_delay);
	buf_add(out, s->xml_head, s->head_len);
	upgrade_param(out, s, "Upgrade_Enable", "Yes");
	upgrade_param(out, s, "Upgrade_Error_Retry_Delay", delay);
	upgrade_param(out, s, "Upgrade_Rule", d->url);
	upgrade_param(out, s, "Log_Upgrade_Request_Msg", s->fw.msg_request);
	upgrade_param(out, s, "Log_Upgrade_Success_Msg", s->fw.msg_success);
	upgrade_param(out, s, "Log_Upgrade_Failure_Msg", s->fw.msg_failure);
	buf_add(out, s->xml_tail, s->tail_len);
	return hash_bytes(HASH_SEED ^ 0x55, out->data + start,
	    out->len - start);
}
