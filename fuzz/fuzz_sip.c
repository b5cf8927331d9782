/* Fuzz driver: the SIP parser, the PnP reading of a SUBSCRIBE and the
 * replies built from it, with what they promise checked on every input:
 * every field points inside the datagram; a PnP MAC is 12 lowercase hex
 * digits; the vendor, model and version hold no byte a log line or a
 * label would have to escape; a built reply parses back as SIP.  Seeds
 * are each vendor's SUBSCRIBE and the malformed kinds (fuzz/corpus/sip). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
inside(struct sip_str s, const char *d, size_t n)
{
	if (s.p != NULL && (s.p < d || s.p + s.n > d + n))
		abort();
}

static void
plain(const char *f, size_t size)
{
	const char *end = memchr(f, '\0', size);

	if (end == NULL)
		abort();
	for (; f < end; f++)
		if (*f <= ' ' || *f >= 0x7f || *f == '"' || *f == '\\')
			abort();
}

static void
replies(const struct sip_msg *m)
{
	struct sip_msg back;
	struct buf b;

	buf_init(&b);
	sip_build_ok(m, "t1", "192.0.2.10:5060", &b);
	if (b.len <= SIP_MSG_MAX && sip_parse(b.data, b.len, &back) != SIP_OK)
		abort();
	buf_reset(&b);
	if (sip_build_pnp_notify(m, "t1", "192.0.2.10:5060", "192.0.2.1:5060",
	    "b", 2, "http://192.0.2.10/", &b) != 0)
		abort();
	if (b.len <= SIP_MSG_MAX && sip_parse(b.data, b.len, &back) != SIP_OK)
		abort();
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data;
	struct sip_msg m;
	struct sip_pnp p;

	if (sip_parse(d, size, &m) != SIP_OK)
		return 0;
	inside(m.method, d, size);
	inside(m.uri, d, size);
	inside(m.body, d, size);
	for (int i = 0; i < SIP_H__COUNT; i++)
		inside(m.h[i], d, size);
	for (size_t i = 0; i < m.n_via; i++)
		inside(m.via[i], d, size);
	if (sip_pnp_parse(&m, &p) == SIP_OK) {
		if (strlen(p.mac) != MAC_LEN ||
		    strspn(p.mac, "0123456789abcdef") != MAC_LEN)
			abort();
		plain(p.vendor, sizeof(p.vendor));
		plain(p.model, sizeof(p.model));
		plain(p.version, sizeof(p.version));
		plain(p.serial, sizeof(p.serial));
	}
	replies(&m);
	return 0;
}
