/* The phone vendors' redirect services (RPS): one table row per vendor
 * with its XML-RPC method sequence, MAC spelling, authentication and
 * error vocabulary, and the one function that runs an operation against
 * it.  What each vendor expects is what Falconieri (Nethesis,
 * https://github.com/nethesis/falconieri, providers/ directory) sends, which
 * its users have run against the real services; the check and
 * deregister methods are those of peoplefone's provisioning-rpc
 * (https://github.com/peoplefone/provisioning-rpc).
 *
 * The transport (rps_http.c) and the XML-RPC encoding (rps_xmlrpc.c) are
 * separate so that tests can replace the first and fuzz the second. */
#ifndef DESKPROV_RPS_H
#define DESKPROV_RPS_H

#include <stddef.h>

#include "buf.h"
#include "ident.h"

enum rps_provider {
	RPS_SNOM,
	RPS_YEALINK,
	RPS_FANVIL,
	RPS_GIGASET,
	RPS__COUNT
};

enum rps_op { RPS_OP_REGISTER, RPS_OP_DEREGISTER, RPS_OP_CHECK };

/* What an operation came to.  The words (rps_outcome_word()) are
 * Falconieri's error vocabulary where it has one, so that its callers
 * read our answers unchanged. */
enum rps_outcome {
	RPS_OK,
	RPS_NOT_REGISTERED,	/* a check: the vendor does not know it */
	RPS_MALFORMED_URL,	/* the vendor refused the URL */
	RPS_BAD_MAC,		/* the vendor refused the MAC */
	RPS_OWNED,		/* registered by another of its users */
	RPS_VENDOR_ERROR,	/* any other refusal, message kept */
	RPS_CONNECT_FAILED,	/* no connection (DNS, refused, TLS) */
	RPS_TIMEOUT,		/* no whole answer within the timeout */
	RPS_HTTP_STATUS,	/* an HTTP status other than 200 */
	RPS_READ_FAILED,	/* the answer broke off or was too large */
	RPS_BAD_RESPONSE,	/* not the XML-RPC answer expected */
	RPS_NOT_SUPPORTED,	/* the vendor's API has no such call */
	RPS_OUTCOME__COUNT
};

const char	*rps_outcome_word(enum rps_outcome);
/* The HTTP status rps.fcgi answers with: 200, 404 for not registered,
 * 501 for an unsupported call, 504 for a timeout, else 502. */
int		 rps_outcome_status(enum rps_outcome);

/* Falconieri's provider names ("snom", ...) and back; -1 when unknown. */
const char	*rps_provider_name(enum rps_provider);
int		 rps_provider_find(const char *name);
/* The provider of a deskprov pack, by the pack's name; -1 for a vendor
 * without a redirect service. */
int		 rps_provider_of_pack(const char *pack_name);
/* What a device's URL ends with so that the phone, told only this URL by
 * its vendor, asks for its own file: the placeholder each vendor expands
 * (Tancredi, https://github.com/nethesis/tancredi, data/scopes). */
const char	*rps_provider_url_file(enum rps_provider);
/* Falconieri's default endpoint of the vendor's service. */
const char	*rps_provider_default_endpoint(enum rps_provider);

/* ---- values checked at the edge ---- */

/* True for a URL the vendors accept: ftp, tftp, http or https, a host,
 * no space or control byte, at most RPS_URL_MAX bytes. */
#define RPS_URL_MAX	1024
int	rps_url_ok(const char *url);
/* A Gigaset MAC-ID's CRC as Falconieri accepts it: 4 of [A-Z0-9]. */
int	rps_crc_ok(const char *crc);

/* The MAC as the vendor spells it (from the canonical 12 lowercase hex):
 * 000413A11FA7 (Snom, Fanvil), 00-15-65-AA-BB-CC (Yealink),
 * 7C2F80E0D605-ABCD (Gigaset MAC-ID; crc NULL or "" gives the bare MAC).
 * out holds RPS_VMAC_MAX bytes. */
#define RPS_VMAC_MAX	24
void	rps_vendor_mac(enum rps_provider, const char *mac, const char *crc,
	    char out[RPS_VMAC_MAX]);

/* Fanvil's material server is a host and a path: the URL split as its
 * service wants it (host[:port], the path without its leading '/', no
 * query string, the protocol number 1 ftp, 2 tftp, 4 http, 5 https).
 * -1 when the URL is not rps_url_ok(). */
struct rps_fanvil_url {
	char	host[256];
	char	path[RPS_URL_MAX];
	char	prot[2];
};
int	rps_fanvil_url(const char *url, struct rps_fanvil_url *out);

/* Fanvil's Basic-auth password: hex MD5 of the hex MD5 of the password. */
void	rps_fanvil_password(const char *password, char out[33]);

/* ---- configuration: etc/rps.yml and the environment ---- */

struct rps_provider_conf {
	int	 enabled;
	char	*user;			/* owned by the rps_conf */
	char	*password;
	char	*endpoint;
	char	*ca_file;		/* NULL: the system's CAs */
	char	*server_name;		/* Yealink server name, Gigaset
					   provider name */
	int	 disable_crc;		/* Gigaset: bare MACs */
};

struct rps_conf {
	struct rps_provider_conf p[RPS__COUNT];
	long	 connect_timeout_ms;
	long	 timeout_ms;
	long	 max_response;		/* bytes */
	int	 auto_register;		/* `deskprov rps sync` registers */
	char	*base_url;		/* without links.base_url */
};

/* The environment variables rps reads, named as Falconieri names them
 * (SNOM_USER, SNOM_PASSWORD, SNOM_RPC_URL, SNOM_DISABLE, the same for
 * YEALINK, FANVIL, GIGASET, and GIGASET_DISABLE_CRC).  app.c reads them
 * (the one place the environment is read) into app->rps_env, in the
 * order of this list. */
#define RPS_ENV_COUNT	17
extern const char *const rps_env_names[RPS_ENV_COUNT];

struct diag;
/* Loads etc_dir/rps.yml (a missing file: every provider disabled) and
 * applies env (RPS_ENV_COUNT values, NULL for unset; may be NULL).
 * Unknown keys and bad values are errors with the line, in d.  Free with
 * rps_conf_free() in every case. */
int	rps_conf_load(struct rps_conf *, const char *etc_dir,
	    const char *const *env, struct diag *d);
void	rps_conf_free(struct rps_conf *);

/* ---- running one operation ---- */

/* One HTTP exchange, as rps_http.c does it and tests replace it. */
struct rps_http {
	const struct rps_provider_conf *pc;
	const char	*user;
	const char	*password;	/* after the vendor's transform */
	long		 connect_timeout_ms;
	long		 timeout_ms;
	long		 max_response;
};
/* Posts body to pc->endpoint; on 0 (an answer came) fills *status and
 * resp; else returns the outcome (RPS_CONNECT_FAILED, RPS_TIMEOUT,
 * RPS_READ_FAILED) with why in err. */
typedef int	(*rps_post_fn)(void *ctx, const struct rps_http *,
		    const struct buf *body, long *status, struct buf *resp,
		    char *err, size_t errsz);

struct rps_request {
	enum rps_provider	 provider;
	enum rps_op		 op;
	char			 mac[MAC_LEN + 1];	/* canonical */
	char			 crc[5];	/* Gigaset MAC-ID CRC or "" */
	const char		*url;		/* register only */
};

struct rps_result {
	enum rps_outcome	 outcome;
	char			 message[512];	/* the vendor's own words */
	unsigned		 calls;		/* XML-RPC calls made */
	double			 seconds;	/* wall time of the calls */
};

/* Runs the vendor's method sequence for rq.  post NULL: rps_http_post.
 * The message never holds a credential (the vendors' answers are kept
 * as they come, cut and with control bytes replaced). */
void	rps_run(const struct rps_conf *, const struct rps_request *,
	    rps_post_fn post, void *post_ctx, struct rps_result *);

/* False when the vendor's API has no call for op (Fanvil: no check). */
int	rps_provider_has_op(enum rps_provider, enum rps_op);

/* The outcome a vendor's message maps to (its error table), for a reply
 * whose boolean said no or a check's bare answer. */
enum rps_outcome	rps_map_message(enum rps_provider, const char *msg);

#endif
