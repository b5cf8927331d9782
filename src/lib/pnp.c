#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "atomicfile.h"
#include "links.h"
#include "links_once.h"
#include "pnp.h"
#include "vendor.h"

/* ---- MAC lists ---- */

static int
list_line(const char *l, size_t n, struct maclist *out, size_t *cap)
{
	while (n > 0 && (*l == ' ' || *l == '\t'))
		l++, n--;
	while (n > 0 && (l[n - 1] == ' ' || l[n - 1] == '\t' ||
	    l[n - 1] == '\r'))
		n--;
	if (n == 0 || *l == '#')
		return 0;
	if (out->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		out->macs = xrealloc(out->macs, *cap * sizeof(*out->macs));
	}
	if (mac_parse(l, n, out->macs[out->n]) != MAC_OK)
		return -1;
	out->n++;
	return 0;
}

int
pnp_list_load(const char *path, struct maclist *out, char *err,
    size_t errsz)
{
	char *text;
	size_t n, cap = 0;
	unsigned line = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = af_read_path(path, 16u * 1024 * 1024, &text, &n)) < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(-rc));
		return -1;
	}
	for (const char *p = text, *e = text + n; p < e; ) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl != NULL ? nl : e;

		line++;
		if (list_line(p, (size_t)(le - p), out, &cap) < 0) {
			snprintf(err, errsz, "%s:%u: not a MAC address", path,
			    line);
			free(text);
			free(out->macs);
			memset(out, 0, sizeof(*out));
			return -1;
		}
		p = nl != NULL ? nl + 1 : e;
	}
	free(text);
	return 0;
}

int
pnp_init(struct pnp *p, const struct pnp_settings *set, const char *data_dir,
    struct metrics *m, char *err, size_t errsz)
{
	memset(p, 0, sizeof(*p));
	p->data_dir = data_dir;
	p->metrics = m;
	p->contacts = SIZE_MAX;		/* counted on the first new one */
	p->one_time_links = set->one_time_links;
	p->rate = xcalloc(1, sizeof(*p->rate));
	p->rate->per_second = (double)set->rate_per_source / 60.0;
	p->rate->burst = (double)set->rate_per_source;
	if (set->allow_file != NULL) {
		if (pnp_list_load(set->allow_file, &p->allow, err, errsz) < 0)
			return -1;
		p->have_allow = 1;
	}
	if (set->deny_file != NULL &&
	    pnp_list_load(set->deny_file, &p->deny, err, errsz) < 0)
		return -1;
	return 0;
}

void
pnp_free(struct pnp *p)
{
	free(p->allow.macs);
	free(p->deny.macs);
	free(p->rate);
	memset(p, 0, sizeof(*p));
}

/* ---- rate limit ---- */

static void
addr_key(const struct sockaddr_storage *ss, struct in6_addr *k)
{
	memset(k, 0, sizeof(*k));
	if (ss->ss_family == AF_INET)
		memcpy(k->s6_addr + 12, &((const struct sockaddr_in *)
		    (const void *)ss)->sin_addr, 4);
	else if (ss->ss_family == AF_INET6)
		*k = ((const struct sockaddr_in6 *)(const void *)ss)->sin6_addr;
}

int
pnp_rate_take(struct pnp_rate *r, const struct sockaddr_storage *ss,
    double now)
{
	struct in6_addr k;
	uint32_t h = 2166136261u;
	struct pnp_rate_slot *s;

	addr_key(ss, &k);
	for (int i = 0; i < 16; i++)
		h = (h ^ k.s6_addr[i]) * 16777619u;
	s = &r->slots[h % PNP_RATE_SLOTS];
	if (memcmp(&s->addr, &k, sizeof(k)) != 0 || s->last == 0) {
		s->addr = k;
		s->tokens = r->burst;
		s->last = now;
	}
	s->tokens += (now - s->last) * r->per_second;
	if (s->tokens > r->burst)
		s->tokens = r->burst;
	s->last = now;
	if (s->tokens < 1.0)
		return 0;
	s->tokens -= 1.0;
	return 1;
}

/* ---- the URL ---- */

/* The vendors PnP phones name, as metric labels; others are "other". */
static const char *const known_vendors[] = {
	"yealink", "snom", "grandstream", "fanvil", "gigaset", "panasonic",
	"polycom", "cisco", "akuvox", "htek", NULL
};

static const char *
vendor_label(const char *v)
{
	if (v[0] == '\0')
		return METRICS_UNKNOWN;
	for (size_t i = 0; known_vendors[i] != NULL; i++)
		if (strcmp(v, known_vendors[i]) == 0)
			return known_vendors[i];
	return "other";
}

/* The file an unconfigured phone of a vendor is sent to (the per-file
 * URLs of protocols such as MikoServerPnP's "<base><mac>.cfg"). */
static const struct {
	const char	*vendor;
	const char	*head, *tail;	/* around the MAC */
} discovery_files[] = {
	{ "grandstream", "cfg", ".xml" },
	{ "gigaset", "", ".xml" },
	{ NULL, "", ".cfg" },
};

/* One-time links a PnP answer makes: enough fetches for a boot (the
 * phone's own files, links_once.h counts only those), for an hour. */
#define PNP_ONCE_USES		4
#define PNP_ONCE_MINUTES	60

/* The prefix of the URL a phone is told (see pnp_url in pnp.h). */
static void
base_url(const struct pnp *p, const struct snapshot *s,
    const struct phone *ph, const char *host, struct buf *out)
{
	const struct links_once_spec once = { .uses = PNP_ONCE_USES,
	    .minutes = PNP_ONCE_MINUTES };
	char id[LINKS_ONCE_ID_LEN + 1], msg[160];

	if (s->svc.links.base_url != NULL && *s->svc.links.base_url != '\0') {
		if (ph != NULL && p->one_time_links && p->data_dir != NULL) {
			if (links_once_new(p->data_dir, ph, &once,
			    s->svc.links.once_max, time(NULL), id, msg,
			    sizeof(msg)) == 0) {
				links_phone_base_url(s, NULL, out);
				buf_printf(out, "o/%s/", id);
				return;
			}
			log_msg("pnpd", "warning", "no one-time link for %s: %s",
			    ph->id, msg);
		}
		links_phone_base_url(s, ph, out);
		return;
	}
	if (strchr(host, ':') != NULL)
		buf_printf(out, "http://[%s]/", host);
	else
		buf_printf(out, "http://%s/", host);
}

static const char *
phone_vendor(const struct phone *ph, const struct sip_pnp *p)
{
	if (ph != NULL && ph->pack != NULL)
		return strncmp(ph->pack->name, "cisco", 5) == 0 ? "cisco" :
		    ph->pack->name;
	if (ph != NULL)
		return "cisco";		/* a flat-profile phone */
	return p->vendor;
}

static void
file_url(const struct phone *ph, const struct sip_pnp *p, const char *v,
    struct buf *out)
{
	const struct pack_file *pf;
	char name[256];
	size_t i;

	if (ph != NULL && ph->pack != NULL &&
	    (pf = vendor_main_file(ph->pack)) != NULL &&
	    vendor_file_name(pf, ph, ph->pmodel, name, sizeof(name)) == 0) {
		buf_adds(out, name);
		return;
	}
	if (ph != NULL && ph->pack == NULL) {
		buf_printf(out, "%s.xml", p->mac);
		return;
	}
	for (i = 0; discovery_files[i].vendor != NULL; i++)
		if (strcmp(v, discovery_files[i].vendor) == 0)
			break;
	buf_printf(out, "%s%s%s", discovery_files[i].head, p->mac,
	    discovery_files[i].tail);
}

void
pnp_url(const struct pnp *pn, const struct snapshot *s,
    const struct phone *ph, const struct sip_pnp *p, const char *host,
    struct buf *out)
{
	const char *v = phone_vendor(ph, p);

	base_url(pn, s, ph, host, out);
	if (strcmp(v, "snom") == 0 || strcmp(v, "panasonic") == 0)
		buf_printf(out, "?mac=%s", p->mac);
	else if (strcmp(v, "yealink") != 0)
		file_url(ph, p, v, out);
}

/* ---- one datagram ---- */

void
pnp_result_init(struct pnp_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->ok);
	buf_init(&r->notify);
	buf_init(&r->url);
}

void
pnp_result_free(struct pnp_result *r)
{
	buf_free(&r->ok);
	buf_free(&r->notify);
	buf_free(&r->url);
}

static void
src_text(const struct sockaddr_storage *ss, char *host, size_t hostsz,
    unsigned *port)
{
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)ss;

		inet_ntop(AF_INET6, &a->sin6_addr, host, (socklen_t)hostsz);
		*port = ntohs(a->sin6_port);
	} else {
		const struct sockaddr_in *a = (const void *)ss;

		inet_ntop(AF_INET, &a->sin_addr, host, (socklen_t)hostsz);
		*port = ntohs(a->sin_port);
	}
}

/* Which refusal, if any, applies to a parsed PnP SUBSCRIBE. */
static const char *
policy(struct pnp *p, const struct snapshot *s, const struct pnp_datagram *d,
    const struct sip_pnp *sp, const struct phone **ph)
{
	int allowed;

	if (!pnp_rate_take(p->rate, &d->src, d->now))
		return "rate_limited";
	if (maclist_contains(&p->deny, sp->mac))
		return "denied";
	allowed = maclist_contains(&p->allow, sp->mac);
	if (p->have_allow && !allowed)
		return "not_allowed";
	*ph = snapshot_find_mac(s, sp->mac);
	if (*ph == NULL && !allowed && (!s->svc.discovery_enabled ||
	    maclist_contains(&s->svc.discovery_exclude, sp->mac)))
		return "unknown_phone";
	return NULL;
}

static void
learn(struct pnp *p, const struct pnp_datagram *d, const struct sip_pnp *sp)
{
	struct contact c = { .seen = d->wall };
	unsigned port;

	if (p->data_dir == NULL)
		return;
	memcpy(c.mac, sp->mac, sizeof(c.mac));
	src_text(&d->src, c.addr, sizeof(c.addr), &port);
	c.port = port;
	snprintf(c.vendor, sizeof(c.vendor), "%s", sp->vendor);
	snprintf(c.model, sizeof(c.model), "%s", sp->model);
	snprintf(c.source, sizeof(c.source), "pnp");
	if (contact_put_counted(p->data_dir, &c, &p->contacts) < 0)
		log_msg("pnpd", "warning", "cannot store the contact of %s",
		    sp->mac);
}

/* Builds both replies; 0, or -1 when they would break the size bound. */
static int
build(struct pnp *p, const struct pnp_datagram *d, const struct sip_msg *m,
    struct pnp_result *r)
{
	char tag[32], branch[32], target[80], host[48];
	unsigned port;

	src_text(&d->src, host, sizeof(host), &port);
	snprintf(target, sizeof(target), strchr(host, ':') ? "[%s]:%u" :
	    "%s:%u", host, port);
	p->seq++;
	snprintf(tag, sizeof(tag), "dp%lx%lx", (unsigned long)d->wall, p->seq);
	snprintf(branch, sizeof(branch), "dp%lx", p->seq);
	sip_build_ok(m, tag, d->local, &r->ok);
	if (sip_build_pnp_notify(m, tag, d->local, target, branch, 1,
	    r->url.data, &r->notify) < 0)
		return -1;
	if (r->ok.len > PNP_REPLY_MAX || r->notify.len > PNP_REPLY_MAX ||
	    r->ok.len + r->notify.len > PNP_AMPLIFICATION * d->len)
		return -1;
	return 0;
}

static void
count(struct pnp *p, const struct pnp_result *r)
{
	const char *labels[2] = { r->vendor, r->outcome };

	metrics_inc(p->metrics, METRIC_PNP_SUBSCRIBES, labels, 1);
}

/* The SIP status each outcome deserves (only 200 is ever sent; an
 * answer logs the phone's own status). */
static const struct {
	const char	*outcome;
	int		 status;
} outcome_status[] = {
	{ "served", 200 }, { "discovery", 200 }, { "malformed", 400 },
	{ "unknown_phone", 404 }, { "rate_limited", 429 }, { NULL, 403 },
};

static int
status_of(const char *outcome)
{
	size_t i;

	for (i = 0; outcome_status[i].outcome != NULL; i++)
		if (strcmp(outcome, outcome_status[i].outcome) == 0)
			break;
	return outcome_status[i].status;
}

static void
log_result(const struct pnp_datagram *d, const struct pnp_result *r,
    struct logline *log)
{
	char host[48];
	unsigned port;

	if (log == NULL)
		return;
	src_text(&d->src, host, sizeof(host), &port);
	logline_str(log, "client", host);
	logline_int(log, "port", port);
	logline_str(log, "method", "SUBSCRIBE");
	if (r->phone.mac[0] != '\0')
		logline_str(log, "ident", r->phone.mac);
	logline_str(log, "vendor", r->phone.vendor);
	logline_str(log, "model", r->phone.model);
	logline_str(log, "outcome", r->outcome);
	logline_int(log, "status", r->status);
	if (r->reason != NULL)
		logline_str(log, "reason", r->reason);
	logline_int(log, "bytes", (long long)(r->send ? r->ok.len +
	    r->notify.len : 0));
	if (r->url.len > 0)
		logline_str(log, "url", r->url.data);
}

void
pnp_handle(struct pnp *p, const struct snapshot *s,
    const struct pnp_datagram *d, struct pnp_result *r, struct logline *log)
{
	struct sip_msg m;
	const struct phone *ph = NULL;
	enum sip_status st;

	r->vendor = METRICS_UNKNOWN;
	st = sip_parse(d->data, d->len, &m);
	if (st == SIP_OK && !m.is_request) {
		/* A phone's 200 to our NOTIFY: expected, not counted. */
		r->outcome = "answer";
		r->status = m.status;
		log_result(d, r, log);
		return;
	}
	if (st != SIP_OK ||
	    (st = sip_pnp_parse(&m, &r->phone)) != SIP_OK) {
		r->outcome = "malformed";
		r->reason = sip_status_word(st);
		goto out;
	}
	r->vendor = vendor_label(r->phone.vendor);
	if ((r->outcome = policy(p, s, d, &r->phone, &ph)) != NULL)
		goto out;
	pnp_url(p, s, ph, &r->phone, d->local_host, &r->url);
	if (build(p, d, &m, r) < 0) {
		r->outcome = "too_large";
		goto out;
	}
	r->outcome = ph != NULL ? "served" : "discovery";
	r->send = 1;
	learn(p, d, &r->phone);
out:
	r->status = status_of(r->outcome);
	count(p, r);
	log_result(d, r, log);
}
