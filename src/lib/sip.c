#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "sip.h"

/* Header names, full and compact (RFC 3261 section 7.3.3 and 20; "o" is
 * Event's compact form from RFC 6665 section 8.2.1). */
static const struct {
	const char	*name;
	char		 compact;
	enum sip_hdr	 id;
} hdrs[] = {
	{ "via", 'v', SIP_H_VIA },
	{ "from", 'f', SIP_H_FROM },
	{ "to", 't', SIP_H_TO },
	{ "call-id", 'i', SIP_H_CALL_ID },
	{ "cseq", 0, SIP_H_CSEQ },
	{ "contact", 'm', SIP_H_CONTACT },
	{ "event", 'o', SIP_H_EVENT },
	{ "content-length", 'l', SIP_H_CONTENT_LENGTH },
	{ "content-type", 'c', SIP_H_CONTENT_TYPE },
	{ "accept", 0, SIP_H_ACCEPT },
	{ "expires", 0, SIP_H_EXPIRES },
	{ "user-agent", 0, SIP_H_USER_AGENT },
};

static const char *const status_words[SIP_E__COUNT] = {
	[SIP_OK] = "ok",
	[SIP_E_SIZE] = "size",
	[SIP_E_BINARY] = "binary",
	[SIP_E_START] = "start_line",
	[SIP_E_HEADER] = "bad_header",
	[SIP_E_FOLDED] = "folded",
	[SIP_E_TOO_MANY] = "too_many_headers",
	[SIP_E_TRUNCATED] = "truncated",
	[SIP_E_LENGTH] = "content_length",
	[SIP_E_MISSING] = "missing_header",
	[SIP_E_EVENT] = "wrong_event",
	[SIP_E_MAC] = "no_mac",
};

const char *
sip_status_word(enum sip_status st)
{
	return (unsigned)st < SIP_E__COUNT ? status_words[st] : "error";
}

static int
is_token_char(unsigned char c)
{
	return isalnum(c) || (c != 0 && strchr("-.!%*_+`'~", c) != NULL);
}

static struct sip_str
trim(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	return (struct sip_str){ p, (size_t)(e - p) };
}

static int
str_is(struct sip_str s, const char *lit)
{
	return s.p != NULL && s.n == strlen(lit) && strncmp(s.p, lit, s.n) == 0;
}

/* Control bytes other than tab have no place in a SIP head (RFC 3261
 * section 25.1: TEXT-UTF8 and LWS); bytes from 0x80 up may be UTF-8. */
static int
head_bytes_ok(const char *p, const char *e)
{
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') ||
		    c == 0x7f)
			return 0;
	}
	return 1;
}

/* "SIP/2.0 200 OK" or "SUBSCRIBE sip:x@y SIP/2.0". */
static enum sip_status
parse_start(struct sip_str l, struct sip_msg *m)
{
	const char *e = l.p + l.n, *sp1, *sp2;

	if ((sp1 = memchr(l.p, ' ', l.n)) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(e - sp1 - 1))) == NULL)
		return SIP_E_START;
	if (sp1 - l.p == 7 && strncmp(l.p, "SIP/2.0", 7) == 0) {
		if (sp2 - sp1 != 4 || !isdigit((unsigned char)sp1[1]) ||
		    !isdigit((unsigned char)sp1[2]) ||
		    !isdigit((unsigned char)sp1[3]) || sp1[1] < '1' ||
		    sp1[1] > '6')
			return SIP_E_START;
		m->status = (sp1[1] - '0') * 100 + (sp1[2] - '0') * 10 +
		    (sp1[3] - '0');
		return SIP_OK;
	}
	if (e - sp2 - 1 != 7 || strncmp(sp2 + 1, "SIP/2.0", 7) != 0 ||
	    sp1 == l.p || sp2 == sp1 + 1)
		return SIP_E_START;
	for (const char *p = l.p; p < sp1; p++)
		if (!isupper((unsigned char)*p))
			return SIP_E_START;
	for (const char *p = sp1 + 1; p < sp2; p++)
		if ((unsigned char)*p <= ' ')
			return SIP_E_START;
	m->is_request = 1;
	m->method = (struct sip_str){ l.p, (size_t)(sp1 - l.p) };
	m->uri = (struct sip_str){ sp1 + 1, (size_t)(sp2 - sp1 - 1) };
	return SIP_OK;
}

static int
hdr_lookup(struct sip_str name)
{
	for (size_t i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++)
		if ((name.n == 1 && hdrs[i].compact != 0 &&
		    tolower((unsigned char)name.p[0]) == hdrs[i].compact) ||
		    (name.n == strlen(hdrs[i].name) &&
		    strncasecmp(name.p, hdrs[i].name, name.n) == 0))
			return (int)hdrs[i].id;
	return -1;
}

/* One header line: `name HCOLON value`, the name a token. */
static enum sip_status
parse_header(struct sip_str l, struct sip_msg *m)
{
	const char *colon = memchr(l.p, ':', l.n);
	struct sip_str name, value;
	int id;

	if (l.p[0] == ' ' || l.p[0] == '\t')
		return SIP_E_FOLDED;
	if (colon == NULL || colon == l.p)
		return SIP_E_HEADER;
	name = trim(l.p, colon);
	for (size_t i = 0; i < name.n; i++)
		if (!is_token_char((unsigned char)name.p[i]))
			return SIP_E_HEADER;
	value = trim(colon + 1, l.p + l.n);
	if ((id = hdr_lookup(name)) < 0)
		return SIP_OK;
	if (id == SIP_H_VIA) {
		if (m->n_via == SIP_VIA_MAX)
			return SIP_E_TOO_MANY;
		m->via[m->n_via++] = value;
	}
	if (m->h[id].p == NULL)
		m->h[id] = value;
	return SIP_OK;
}

/* RFC 3261 section 18.3: over UDP the body is what Content-Length says;
 * bytes beyond it are dropped, fewer bytes than it says drop the
 * message, and without the header the body is the rest of the datagram. */
static enum sip_status
parse_body(const char *p, const char *e, struct sip_msg *m)
{
	struct sip_str cl = m->h[SIP_H_CONTENT_LENGTH];
	size_t len = 0;

	m->body = (struct sip_str){ p, (size_t)(e - p) };
	if (cl.p == NULL)
		return SIP_OK;
	if (cl.n == 0 || cl.n > 5)
		return SIP_E_LENGTH;
	for (size_t i = 0; i < cl.n; i++) {
		if (!isdigit((unsigned char)cl.p[i]))
			return SIP_E_LENGTH;
		len = len * 10 + (size_t)(cl.p[i] - '0');
	}
	if (len > m->body.n)
		return SIP_E_LENGTH;
	m->body.n = len;
	return SIP_OK;
}

/* The next line of [*p, e): its bytes without CR LF (a bare LF is taken
 * too); 0 when no LF is left. */
static int
next_line(const char **p, const char *e, struct sip_str *l)
{
	const char *nl = memchr(*p, '\n', (size_t)(e - *p));

	if (nl == NULL)
		return 0;
	l->p = *p;
	l->n = (size_t)(nl - *p);
	if (l->n > 0 && l->p[l->n - 1] == '\r')
		l->n--;
	*p = nl + 1;
	return 1;
}

enum sip_status
sip_parse(const char *data, size_t n, struct sip_msg *m)
{
	const char *p = data, *e = data + n;
	struct sip_str l;
	enum sip_status st;
	int lines = 0;

	memset(m, 0, sizeof(*m));
	if (n == 0 || n > SIP_MSG_MAX)
		return SIP_E_SIZE;
	if (!next_line(&p, e, &l))
		return head_bytes_ok(data, e) ? SIP_E_TRUNCATED : SIP_E_BINARY;
	if (!head_bytes_ok(l.p, l.p + l.n))
		return SIP_E_BINARY;
	if ((st = parse_start(l, m)) != SIP_OK)
		return st;
	for (;;) {
		if (!next_line(&p, e, &l))
			return head_bytes_ok(p, e) ? SIP_E_TRUNCATED :
			    SIP_E_BINARY;
		if (!head_bytes_ok(l.p, l.p + l.n))
			return SIP_E_BINARY;
		if (l.n == 0)
			break;
		if (++lines > SIP_LINES_MAX)
			return SIP_E_TOO_MANY;
		if ((st = parse_header(l, m)) != SIP_OK)
			return st;
	}
	m->head_len = (size_t)(p - data);
	if ((st = parse_body(p, e, m)) != SIP_OK)
		return st;
	if (m->n_via == 0 || m->h[SIP_H_FROM].p == NULL ||
	    m->h[SIP_H_TO].p == NULL || m->h[SIP_H_CALL_ID].p == NULL ||
	    m->h[SIP_H_CSEQ].p == NULL)
		return SIP_E_MISSING;
	return SIP_OK;
}

/* ---- parameters ---- */

/* The end of one `;`-separated piece starting at p: a quoted string may
 * hold a `;`. */
static const char *
param_end(const char *p, const char *e)
{
	int quoted = 0;

	for (; p < e; p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (*p == '\\' && quoted && p + 1 < e)
			p++;
		else if (*p == ';' && !quoted)
			break;
	}
	return p;
}

int
sip_param(struct sip_str v, const char *param, char *out, size_t outsz)
{
	const char *e = v.p + v.n, *p;
	size_t plen = strlen(param);

	if (v.p == NULL || outsz == 0)
		return 0;
	p = param_end(v.p, e);	/* skip the value before the parameters */
	while (p < e) {
		const char *end = param_end(++p, e), *eq;
		struct sip_str name, val;

		eq = memchr(p, '=', (size_t)(end - p));
		name = trim(p, eq != NULL ? eq : end);
		val = eq != NULL ? trim(eq + 1, end) : trim(end, end);
		p = end;
		if (name.n != plen || strncasecmp(name.p, param, plen) != 0)
			continue;
		if (val.n >= 2 && val.p[0] == '"' && val.p[val.n - 1] == '"') {
			val.p++;
			val.n -= 2;
		}
		if (val.n >= outsz)
			return 0;
		memcpy(out, val.p, val.n);
		out[val.n] = '\0';
		return 1;
	}
	return 0;
}

/* ---- PnP SUBSCRIBE ---- */

/* A field fit for a log line, a label and a lookup: 1..SIP_FIELD_MAX-1
 * bytes of letters, digits and ._-+/(); anything else leaves it "". */
static void
keep_field(char *f, int lower)
{
	size_t i;

	for (i = 0; f[i] != '\0'; i++) {
		unsigned char c = (unsigned char)f[i];

		if (!isalnum(c) && strchr("._-+/()", c) == NULL) {
			f[0] = '\0';
			return;
		}
		if (lower)
			f[i] = (char)tolower(c);
	}
}

/* The user part of the first sip: or sips: URI in a header value. */
static struct sip_str
uri_user(struct sip_str v)
{
	const char *e = v.p + v.n, *p, *at;

	for (p = v.p; p != NULL && p + 4 <= e; p++)
		if (strncasecmp(p, "sip:", 4) == 0 ||
		    (p + 5 <= e && strncasecmp(p, "sips:", 5) == 0))
			break;
	if (p == NULL || p + 4 > e)
		return (struct sip_str){ NULL, 0 };
	p += tolower((unsigned char)p[3]) == 's' ? 5 : 4;
	for (at = p; at < e && *at != '@' && *at != '>' && *at != ';'; at++)
		;
	if (at == e || *at != '@')
		return (struct sip_str){ NULL, 0 };
	return (struct sip_str){ p, (size_t)(at - p) };
}

static int
find_mac(const struct sip_msg *m, char mac[MAC_LEN + 1])
{
	struct sip_str from[3] = { m->h[SIP_H_FROM], m->h[SIP_H_TO], m->uri };

	for (int i = 0; i < 3; i++) {
		struct sip_str u = from[i].p ? uri_user(from[i]) :
		    (struct sip_str){ NULL, 0 };

		if (u.p != NULL && mac_parse_any(u.p, u.n, mac, NULL) ==
		    MAC_OK)
			return 1;
	}
	mac[0] = '\0';
	return 0;
}

static int
has_token(struct sip_str v, const char *tok)
{
	size_t n = strlen(tok);

	for (size_t i = 0; v.p != NULL && i + n <= v.n; i++)
		if (strncasecmp(v.p + i, tok, n) == 0)
			return 1;
	return 0;
}

/* Yealink's DECT base stations (the W-series) put the handset's serial
 * number in the Call-ID's local part: kept when it is 8 to 32 letters
 * and digits, the shape of a serial (least certain: seen in captures,
 * not in a manual). */
static void
dect_serial(const struct sip_msg *m, struct sip_pnp *p)
{
	struct sip_str c = m->h[SIP_H_CALL_ID];
	const char *at = memchr(c.p, '@', c.n);
	size_t n = at != NULL ? (size_t)(at - c.p) : c.n;

	if (strcmp(p->vendor, "yealink") != 0 ||
	    (p->model[0] != 'W' && p->model[0] != 'w') || n < 8 || n > 32)
		return;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)c.p[i]))
			return;
	memcpy(p->serial, c.p, n);
	p->serial[n] = '\0';
}

enum sip_status
sip_pnp_parse(const struct sip_msg *m, struct sip_pnp *p)
{
	struct sip_str ev = m->h[SIP_H_EVENT];
	size_t tn;

	memset(p, 0, sizeof(*p));
	if (!m->is_request || !str_is(m->method, "SUBSCRIBE"))
		return SIP_E_START;
	if (ev.p == NULL)
		return SIP_E_EVENT;
	tn = (size_t)(param_end(ev.p, ev.p + ev.n) - ev.p);
	if (trim(ev.p, ev.p + tn).n != 10 || strncasecmp(ev.p, "ua-profile",
	    10) != 0)
		return SIP_E_EVENT;
	if (!find_mac(m, p->mac))
		return SIP_E_MAC;
	/* Panasonic spells it "vender" (SARK's PnP server accepts both). */
	if (!sip_param(ev, "vendor", p->vendor, sizeof(p->vendor)))
		sip_param(ev, "vender", p->vendor, sizeof(p->vendor));
	sip_param(ev, "model", p->model, sizeof(p->model));
	sip_param(ev, "version", p->version, sizeof(p->version));
	sip_param(ev, "profile-type", p->profile_type,
	    sizeof(p->profile_type));
	keep_field(p->vendor, 1);
	keep_field(p->model, 0);
	keep_field(p->version, 0);
	keep_field(p->profile_type, 1);
	p->accepts_url = has_token(m->h[SIP_H_ACCEPT], "application/url");
	dect_serial(m, p);
	return SIP_OK;
}

/* ---- builders ---- */

static void
add_hdr(struct buf *out, const char *name, struct sip_str v)
{
	buf_printf(out, "%s: %.*s\r\n", name, (int)v.n, v.p);
}

/* A To or From value already carrying a tag parameter (after the
 * name-addr's '>', or anywhere in a bare addr-spec). */
static int
has_tag(struct sip_str v)
{
	const char *gt = memchr(v.p, '>', v.n);
	struct sip_str rest = gt != NULL ? (struct sip_str){ gt,
	    (size_t)(v.p + v.n - gt) } : v;

	return has_token(rest, ";tag=");
}

static void
add_tagged(struct buf *out, const char *name, struct sip_str v,
    const char *tag)
{
	if (has_tag(v) || tag == NULL)
		add_hdr(out, name, v);
	else
		buf_printf(out, "%s: %.*s;tag=%s\r\n", name, (int)v.n, v.p,
		    tag);
}

void
sip_build_ok(const struct sip_msg *req, const char *to_tag,
    const char *local, struct buf *out)
{
	buf_adds(out, "SIP/2.0 200 OK\r\n");
	for (size_t i = 0; i < req->n_via; i++)
		add_hdr(out, "Via", req->via[i]);
	add_hdr(out, "From", req->h[SIP_H_FROM]);
	add_tagged(out, "To", req->h[SIP_H_TO], to_tag);
	add_hdr(out, "Call-ID", req->h[SIP_H_CALL_ID]);
	add_hdr(out, "CSeq", req->h[SIP_H_CSEQ]);
	buf_printf(out, "Expires: 0\r\nContact: <sip:%s>\r\n"
	    "Content-Length: 0\r\n\r\n", local);
}

static int
url_ok(const char *url)
{
	if (url[0] == '\0')
		return 0;
	for (; *url != '\0'; url++)
		if ((unsigned char)*url <= ' ' || (unsigned char)*url >= 0x7f)
			return 0;
	return 1;
}

int
sip_build_pnp_notify(const struct sip_msg *req, const char *to_tag,
    const char *local, const char *target, const char *branch,
    unsigned cseq, const char *url, struct buf *out)
{
	if (!url_ok(url))
		return -1;
	buf_printf(out, "NOTIFY sip:%s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport\r\n"
	    "Max-Forwards: 70\r\n", target, local, branch);
	add_tagged(out, "From", req->h[SIP_H_TO], to_tag);
	add_hdr(out, "To", req->h[SIP_H_FROM]);
	add_hdr(out, "Call-ID", req->h[SIP_H_CALL_ID]);
	buf_printf(out, "CSeq: %u NOTIFY\r\nContact: <sip:%s>\r\n"
	    "Event: ua-profile\r\n"
	    "Subscription-State: terminated;reason=timeout\r\n"
	    "Content-Type: application/url\r\n"
	    "Content-Length: %zu\r\n\r\n%s", cseq, local, strlen(url), url);
	return 0;
}

void
sip_build_notify(const struct sip_notify *n, struct buf *out)
{
	const char *user = n->user != NULL ? n->user : "";
	const char *at = n->user != NULL ? "@" : "";

	buf_printf(out, "NOTIFY sip:%s%s%s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bK%s;rport\r\n"
	    "Max-Forwards: 70\r\n"
	    "From: <sip:deskprov@%s>;tag=%s\r\n"
	    "To: <sip:%s%s%s>\r\n"
	    "Call-ID: %s\r\n"
	    "CSeq: %u NOTIFY\r\n"
	    "Contact: <sip:%s>\r\n"
	    "Event: %s\r\n"
	    "Subscription-State: terminated\r\n"
	    "Content-Length: 0\r\n\r\n",
	    user, at, n->target, n->local, n->branch, n->local, n->tag,
	    user, at, n->target, n->call_id, n->cseq, n->local, n->event);
}

/* Per vendor: the event that reloads, and the one that reboots (Asterisk
 * pjsip_notify.conf.sample: Snom and Yealink take reboot=, Cisco SPA and
 * MPP "resync", Linksys/Cisco "reboot_now"; Polycom re-reads on
 * check-sync and restarts itself when it must). */
static const struct {
	const char	*vendor;
	const char	*resync;
	const char	*reboot;
} resync_events[] = {
	{ "snom", "check-sync;reboot=false", "check-sync;reboot=true" },
	{ "yealink", "check-sync;reboot=false", "check-sync;reboot=true" },
	{ "cisco", "resync", "reboot_now" },
	{ "polycom", "check-sync", "check-sync" },
	{ NULL, "check-sync", "check-sync;reboot=true" },
};

const char *
sip_resync_event(const char *vendor, int reboot)
{
	size_t i;

	for (i = 0; resync_events[i].vendor != NULL; i++)
		if (vendor != NULL && strcmp(vendor, resync_events[i].vendor) ==
		    0)
			break;
	return reboot ? resync_events[i].reboot : resync_events[i].resync;
}
