/* The vendor table and the method sequences (see rps.h for the sources;
 * the MAC spellings, arguments and error strings are Falconieri's
 * providers/{snom,yealink,fanvil,gigaset}.go and utils/utils.go). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "rps.h"
#include "rps_http.h"
#include "rps_xmlrpc.h"
#include "text.h"

static const struct {
	const char	*word;
	int		 status;
} outcomes[RPS_OUTCOME__COUNT] = {
	[RPS_OK] = { "ok", 200 },
	[RPS_NOT_REGISTERED] = { "not_registered", 404 },
	[RPS_MALFORMED_URL] = { "malformed_url", 502 },
	[RPS_BAD_MAC] = { "not_valid_mac_address", 502 },
	[RPS_OWNED] = { "device_owned_by_other_user", 502 },
	[RPS_VENDOR_ERROR] = { "unknown_provider_error", 502 },
	[RPS_CONNECT_FAILED] = { "connection_to_remote_provider_failed", 502 },
	[RPS_TIMEOUT] = { "remote_provider_timeout", 504 },
	[RPS_HTTP_STATUS] = { "provider_remote_call_failed", 502 },
	[RPS_READ_FAILED] = { "read_remote_response_failed", 502 },
	[RPS_BAD_RESPONSE] = { "unknown_response_from_provider", 502 },
	[RPS_NOT_SUPPORTED] = { "not_supported_by_provider", 501 },
};

const char *
rps_outcome_word(enum rps_outcome o)
{
	return (unsigned)o < RPS_OUTCOME__COUNT ? outcomes[o].word : "unknown";
}

int
rps_outcome_status(enum rps_outcome o)
{
	return (unsigned)o < RPS_OUTCOME__COUNT ? outcomes[o].status : 500;
}

/* ---- the vendor table ---- */

/* Which arguments a call takes, in order (all strings but Fanvil's
 * configuration array). */
enum args {
	A_MAC,			/* (mac) */
	A_MAC_URL,		/* Snom: (mac, url) */
	A_YEALINK,		/* (mac, serverName, url, "1": override) */
	A_GIGASET,		/* (mac, url, provider) */
	A_FANVIL_CFG,		/* ([cfgName=..., ...]) */
	A_MAC_MAC,		/* Fanvil: (mac, serverName = mac) */
};

/* What a call's answer decides. */
enum policy {
	P_RESULT,		/* the outcome: parsed, errors mapped */
	P_HTTP_ONLY,		/* only a transport or HTTP failure counts */
	P_TOLERATE,		/* as P_RESULT, but `tolerate` is fine */
	P_CHECK,		/* a check: a bare answer is mapped too */
};

struct step {
	const char	*method;
	enum args	 args;
	enum policy	 policy;
	const char	*tolerate;
};

#define STEPS_MAX	4

struct errmap {
	const char		*prefix;	/* case-insensitive */
	enum rps_outcome	 outcome;
};

enum macfmt { MF_UPPER, MF_DASHES, MF_MACID };

struct vendor {
	const char		*name;
	const char		*pack;		/* deskprov's pack name */
	const char		*endpoint;	/* Falconieri's default */
	const char		*url_file;
	enum macfmt		 macfmt;
	int			 md5md5;	/* Fanvil's password */
	struct step		 ops[3][STEPS_MAX];	/* by enum rps_op */
	struct errmap		 errors[8];
};

static const struct vendor vendors[RPS__COUNT] = {
	[RPS_SNOM] = { "snom", "snom",
	    "https://secure-provisioning.snom.com:8083/xmlrpc/", "{mac}.xml",
	    MF_UPPER, 0, {
		[RPS_OP_REGISTER] = { { "redirect.registerPhone", A_MAC_URL,
		    P_RESULT, NULL } },
		[RPS_OP_DEREGISTER] = { { "redirect.deregisterPhone", A_MAC,
		    P_RESULT, NULL } },
		[RPS_OP_CHECK] = { { "redirect.checkPhone", A_MAC, P_CHECK,
		    NULL } },
	    }, {
		{ "Error:malformed_url", RPS_MALFORMED_URL },
		{ "Error:malformed_mac", RPS_BAD_MAC },
		{ "Error:owned_by_other_user", RPS_OWNED },
		{ "Error:no_such_mac", RPS_NOT_REGISTERED },
	    } },
	[RPS_YEALINK] = { "yealink", "yealink",
	    "https://api-dm.yealink.com:8443/xmlrpc", "",
	    MF_DASHES, 0, {
		[RPS_OP_REGISTER] = { { "redirect.registerDeviceWithUniqueUrl",
		    A_YEALINK, P_RESULT, NULL } },
		[RPS_OP_DEREGISTER] = { { "redirect.deRegisterDevice", A_MAC,
		    P_RESULT, NULL } },
		[RPS_OP_CHECK] = { { "redirect.checkDevice", A_MAC, P_CHECK,
		    NULL } },
	    }, {
		{ "Error:The url can only begin with", RPS_MALFORMED_URL },
		{ "error:invalid mac", RPS_BAD_MAC },
		{ "registered elsewhere", RPS_OWNED },
		{ "unregistered", RPS_NOT_REGISTERED },
		{ "unknown", RPS_NOT_REGISTERED },
	    } },
	[RPS_FANVIL] = { "fanvil", "fanvil",
	    "http://fdps.fanvil.com/xmlrpc.php", "$mac.cfg",
	    MF_UPPER, 1, {
		[RPS_OP_REGISTER] = {
		    { "redirect.deleteServer", A_MAC, P_TOLERATE,
			"Error:server_not_exist" },
		    { "redirect.addMaterialServer", A_FANVIL_CFG, P_RESULT,
			NULL },
		    { "redirect.deRegisterDevice", A_MAC, P_HTTP_ONLY, NULL },
		    { "redirect.registerDevice", A_MAC_MAC, P_RESULT, NULL } },
		[RPS_OP_DEREGISTER] = {
		    { "redirect.deRegisterDevice", A_MAC, P_RESULT, NULL },
		    { "redirect.deleteServer", A_MAC, P_TOLERATE,
			"Error:server_not_exist" } },
	    }, {
		{ "Error: url_format_error", RPS_MALFORMED_URL },
		{ "Error: mac_format_error", RPS_BAD_MAC },
		{ "Error: device_had_existed", RPS_OWNED },
	    } },
	[RPS_GIGASET] = { "gigaset", "gigaset",
	    "https://prov.gigaset.net/apxml/rpc.do", "%MACD.xml",
	    MF_MACID, 0, {
		[RPS_OP_REGISTER] = {
		    { "autoprov.deregisterDevice", A_MAC, P_HTTP_ONLY, NULL },
		    { "autoprov.registerDevice", A_GIGASET, P_RESULT, NULL } },
		[RPS_OP_DEREGISTER] = { { "autoprov.deregisterDevice", A_MAC,
		    P_RESULT, NULL } },
		[RPS_OP_CHECK] = { { "autoprov.checkDevice", A_MAC, P_CHECK,
		    NULL } },
	    }, {
		{ "url_invalid:", RPS_MALFORMED_URL },
		{ "mac_not_exist:", RPS_BAD_MAC },
		{ "mac_invalid:", RPS_BAD_MAC },
		{ "mac_already_in_use:", RPS_OWNED },
		{ "mac_not_found:", RPS_NOT_REGISTERED },
	    } },
};

const char *
rps_provider_name(enum rps_provider p)
{
	return (unsigned)p < RPS__COUNT ? vendors[p].name : "unknown";
}

int
rps_provider_find(const char *name)
{
	for (int i = 0; i < RPS__COUNT; i++)
		if (name != NULL && strcmp(vendors[i].name, name) == 0)
			return i;
	return -1;
}

int
rps_provider_of_pack(const char *pack_name)
{
	for (int i = 0; i < RPS__COUNT; i++)
		if (pack_name != NULL && strcmp(vendors[i].pack, pack_name) == 0)
			return i;
	return -1;
}

const char *
rps_provider_url_file(enum rps_provider p)
{
	return (unsigned)p < RPS__COUNT ? vendors[p].url_file : "";
}

const char *
rps_provider_default_endpoint(enum rps_provider p)
{
	return (unsigned)p < RPS__COUNT ? vendors[p].endpoint : "";
}

/* Yealink's error for a server it has under another account is
 * "Error:" and ten lowercase letters or digits (Falconieri maps it to
 * device_owned_by_other_user). */
static int
yealink_owned(const char *msg)
{
	if (strncmp(msg, "Error:", 6) != 0 || strlen(msg) != 16)
		return 0;
	for (const char *p = msg + 6; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p))
			return 0;
	return 1;
}

enum rps_outcome
rps_map_message(enum rps_provider p, const char *msg)
{
	const struct errmap *e;

	if ((unsigned)p >= RPS__COUNT)
		return RPS_VENDOR_ERROR;
	for (e = vendors[p].errors; e->prefix != NULL; e++)
		if (strncasecmp(msg, e->prefix, strlen(e->prefix)) == 0)
			return e->outcome;
	if (p == RPS_YEALINK && yealink_owned(msg))
		return RPS_OWNED;
	return RPS_VENDOR_ERROR;
}

/* ---- values ---- */

static const char *const schemes[] = { "ftp", "tftp", "http", "https" };
static const char *const scheme_prot[] = { "1", "2", "4", "5" };

/* The index of url's scheme in schemes[] and where its host starts, or
 * -1. */
static int
url_scheme(const char *url, const char **host)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i]);

		if (strncasecmp(url, schemes[i], n) == 0 &&
		    strncmp(url + n, "://", 3) == 0) {
			*host = url + n + 3;
			return (int)i;
		}
	}
	return -1;
}

int
rps_url_ok(const char *url)
{
	const char *host;
	size_t n;

	if (url == NULL || (n = strlen(url)) == 0 || n > RPS_URL_MAX ||
	    url_scheme(url, &host) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return 0;
	return *host != '\0' && *host != '/' && *host != '?' && *host != '#';
}

int
rps_crc_ok(const char *crc)
{
	if (crc == NULL || strlen(crc) != 4)
		return 0;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)crc[i]) &&
		    !(crc[i] >= 'A' && crc[i] <= 'Z'))
			return 0;
	return 1;
}

void
rps_vendor_mac(enum rps_provider p, const char *mac, const char *crc,
    char out[RPS_VMAC_MAX])
{
	char up[MAC_LEN + 1];
	enum macfmt f = (unsigned)p < RPS__COUNT ? vendors[p].macfmt : MF_UPPER;

	for (int i = 0; i <= MAC_LEN; i++)
		up[i] = (char)toupper((unsigned char)mac[i]);
	if (f == MF_DASHES)
		snprintf(out, RPS_VMAC_MAX, "%.2s-%.2s-%.2s-%.2s-%.2s-%.2s",
		    up, up + 2, up + 4, up + 6, up + 8, up + 10);
	else if (f == MF_MACID && crc != NULL && crc[0] != '\0')
		snprintf(out, RPS_VMAC_MAX, "%s-%.4s", up, crc);
	else
		snprintf(out, RPS_VMAC_MAX, "%s", up);
}

int
rps_fanvil_url(const char *url, struct rps_fanvil_url *out)
{
	const char *host, *end;
	int s;
	size_t hn, pn;

	memset(out, 0, sizeof(*out));
	if (!rps_url_ok(url) || (s = url_scheme(url, &host)) < 0)
		return -1;
	hn = strcspn(host, "/?#");
	end = host + hn;
	pn = *end == '/' ? strcspn(end + 1, "?#") : 0;
	if (hn >= sizeof(out->host) || pn >= sizeof(out->path))
		return -1;
	memcpy(out->host, host, hn);
	if (pn > 0)
		memcpy(out->path, end + 1, pn);
	snprintf(out->prot, sizeof(out->prot), "%s", scheme_prot[s]);
	return 0;
}

static void
md5_hex(const char *s, char out[33])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(s, strlen(s), d, &n, EVP_md5(), NULL);
	hex_encode(d, 16, 0, out);
	out[32] = '\0';
}

void
rps_fanvil_password(const char *password, char out[33])
{
	char once[33];

	md5_hex(password, once);
	md5_hex(once, out);
}

int
rps_provider_has_op(enum rps_provider p, enum rps_op op)
{
	return (unsigned)p < RPS__COUNT && (unsigned)op < 3 &&
	    vendors[p].ops[op][0].method != NULL;
}

/* ---- running a sequence ---- */

struct run {
	const struct rps_conf		*conf;
	const struct rps_request	*rq;
	const struct vendor		*v;
	rps_post_fn			 post;
	void				*post_ctx;
	struct rps_http			 http;
	char				 vmac[RPS_VMAC_MAX];
	char				 fanvil_pw[33];
	struct rps_result		*res;
};

/* The arguments of one call into args; returns how many. */
static size_t
step_args(struct run *r, enum args a, struct rps_xmlrpc_arg args[4],
    const char *cfg[7], char cfgbuf[7][RPS_URL_MAX + 16])
{
	const struct rps_provider_conf *pc = &r->conf->p[r->rq->provider];
	const char *name = pc->server_name != NULL ? pc->server_name :
	    "deskprov";
	struct rps_fanvil_url fu;

	memset(args, 0, 4 * sizeof(args[0]));
	args[0].s = r->vmac;
	switch (a) {
	case A_MAC:
		return 1;
	case A_MAC_URL:
		args[1].s = r->rq->url;
		return 2;
	case A_YEALINK:
		args[1].s = name;
		args[2].s = r->rq->url;
		args[3].s = "1";
		return 4;
	case A_GIGASET:
		args[1].s = r->rq->url;
		args[2].s = name;
		return 3;
	case A_MAC_MAC:
		args[1].s = r->vmac;
		return 2;
	case A_FANVIL_CFG:
		(void)rps_fanvil_url(r->rq->url, &fu);
		snprintf(cfgbuf[0], sizeof(cfgbuf[0]), "cfgName=%s", r->vmac);
		snprintf(cfgbuf[1], sizeof(cfgbuf[1]), "cfgPfMode=1");
		snprintf(cfgbuf[2], sizeof(cfgbuf[2]), "cfgDhcpOpt=false");
		snprintf(cfgbuf[3], sizeof(cfgbuf[3]), "cfgPnpEnable=false");
		snprintf(cfgbuf[4], sizeof(cfgbuf[4]), "cfgPfSrv=%s", fu.host);
		snprintf(cfgbuf[5], sizeof(cfgbuf[5]), "cfgPfName=%s", fu.path);
		snprintf(cfgbuf[6], sizeof(cfgbuf[6]), "cfgPfProt=%s", fu.prot);
		for (int i = 0; i < 7; i++)
			cfg[i] = cfgbuf[i];
		args[0].s = NULL;
		args[0].v = cfg;
		args[0].n = 7;
		return 1;
	}
	return 0;
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* What one answer means under a policy; RPS_OK lets the sequence go on. */
static enum rps_outcome
judge(const struct run *r, const struct step *st,
    const struct rps_xmlrpc_reply *x)
{
	enum rps_provider p = r->rq->provider;

	if (x->kind == RPS_XMLRPC_FAULT)
		return rps_map_message(p, x->msg);
	if (st->tolerate != NULL && x->kind == RPS_XMLRPC_PAIR && !x->ok &&
	    strcmp(x->msg, st->tolerate) == 0)
		return RPS_OK;
	if (x->kind == RPS_XMLRPC_STRING) {
		if (st->policy != P_CHECK)
			return RPS_BAD_RESPONSE;
		return rps_map_message(p, x->msg) == RPS_VENDOR_ERROR ?
		    RPS_OK : rps_map_message(p, x->msg);
	}
	if (!x->ok)
		return x->kind == RPS_XMLRPC_PAIR ? rps_map_message(p, x->msg) :
		    RPS_VENDOR_ERROR;
	return RPS_OK;
}

/* One call: encode, post, parse, judge.  The result's message is the
 * vendor's (or why it failed). */
static enum rps_outcome
run_step(struct run *r, const struct step *st)
{
	struct rps_xmlrpc_arg args[4];
	const char *cfg[7];
	char cfgbuf[7][RPS_URL_MAX + 16];
	struct rps_xmlrpc_reply x;
	struct buf body, resp;
	long status = 0;
	size_t n = step_args(r, st->args, args, cfg, cfgbuf);
	enum rps_outcome o;
	double t0;
	char *msg = r->res->message;
	size_t msz = sizeof(r->res->message);

	buf_init(&body);
	buf_init(&resp);
	if (rps_xmlrpc_call(st->method, args, n, &body, msg, msz) < 0) {
		o = RPS_VENDOR_ERROR;
		goto out;
	}
	t0 = now_seconds();
	r->res->calls++;
	o = (enum rps_outcome)r->post(r->post_ctx, &r->http, &body, &status,
	    &resp, msg, msz);
	r->res->seconds += now_seconds() - t0;
	if (o != RPS_OK)
		goto out;
	if (status != 200) {
		snprintf(msg, msz, "HTTP status %ld from %s", status,
		    st->method);
		o = RPS_HTTP_STATUS;
	} else if (st->policy == P_HTTP_ONLY)
		o = RPS_OK;
	else if (rps_xmlrpc_parse(resp.data, resp.len, &x, msg, msz) < 0)
		o = RPS_BAD_RESPONSE;
	else {
		snprintf(msg, msz, "%s", x.msg);
		o = judge(r, st, &x);
	}
out:
	buf_free(&body);
	buf_free(&resp);
	return o;
}

void
rps_run(const struct rps_conf *conf, const struct rps_request *rq,
    rps_post_fn post, void *post_ctx, struct rps_result *res)
{
	const struct rps_provider_conf *pc = &conf->p[rq->provider];
	struct run r = {
		.conf = conf, .rq = rq, .v = &vendors[rq->provider],
		.post = post != NULL ? post : rps_http_post,
		.post_ctx = post_ctx, .res = res,
	};
	const struct step *st = r.v->ops[rq->op];

	memset(res, 0, sizeof(*res));
	rps_vendor_mac(rq->provider, rq->mac, conf->p[rq->provider].disable_crc ?
	    NULL : rq->crc, r.vmac);
	if (r.v->md5md5)
		rps_fanvil_password(pc->password != NULL ? pc->password : "",
		    r.fanvil_pw);
	r.http = (struct rps_http){
		.pc = pc, .user = pc->user != NULL ? pc->user : "",
		.password = r.v->md5md5 ? r.fanvil_pw :
		    pc->password != NULL ? pc->password : "",
		.connect_timeout_ms = conf->connect_timeout_ms,
		.timeout_ms = conf->timeout_ms,
		.max_response = conf->max_response,
	};
	if (st[0].method == NULL) {
		res->outcome = RPS_NOT_SUPPORTED;
		snprintf(res->message, sizeof(res->message),
		    "%s's service has no such call", r.v->name);
		return;
	}
	res->outcome = RPS_OK;
	for (int i = 0; i < STEPS_MAX && st[i].method != NULL; i++)
		if ((res->outcome = run_step(&r, &st[i])) != RPS_OK)
			break;
}
