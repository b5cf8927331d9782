/* serviceconfig.yml, firmware.yml and comparison.yml: typed settings,
 * checked against key tables so that a typo is an error with a line. */
#ifndef DESKPROV_SETTINGS_H
#define DESKPROV_SETTINGS_H

#include <stddef.h>

#include "arena.h"
#include "ident.h"
#include "ipnet.h"
#include "yamltree.h"

enum ip_policy {
	IP_POLICY_PHONE,	/* a phone's own address, or the whitelist */
	IP_POLICY_FLEET,	/* any configured phone address, or whitelist */
	IP_POLICY_OFF,		/* anyone: phones behind NAT */
	IP_POLICY_LEARNED	/* phone's own, its learned one, whitelist */
};

struct netlist {
	struct ipnet	*nets;
	size_t		 n;
};

struct maclist {
	char		(*macs)[MAC_LEN + 1];
	size_t		 n;
};

struct strlist {
	const char	**items;
	size_t		  n;
};

/* A string → string mapping that keeps file order. */
struct strpairs {
	const char	**keys;
	const char	**values;
	size_t		  n;
};

struct web_user {
	const char	*id;		/* key under auth.users */
	const char	*username;
	const char	*role;		/* "admin" or "monitor" */
	const char	*description;
	int		 has_password;	/* set in YAML: belongs in htpasswd */
};

/* links.plain: what the plain MAC URL serves (docs/links.md). */
enum links_plain {
	LINKS_PLAIN_ON,		/* the whole file, as always */
	LINKS_PLAIN_BOOTSTRAP,	/* a password-free file naming the link */
	LINKS_PLAIN_OFF		/* nothing */
};

/* serviceconfig.yml links: */
struct links_settings {
	const char	*base_url;	/* what phones are told; NULL: unset */
	enum links_plain plain;
	int		 have_token;
	unsigned char	 token_sha256[32];
	long		 once_max;	/* one-time links kept at once */
};

/* serviceconfig.yml abuse: (abuse.h) */
struct abuse_settings {
	int		 enabled;
	long		 window;	/* seconds a client's counts cover */
	long		 max_requests;	/* per client and window */
	long		 max_unknown;	/* distinct unknown names or bad keys */
	long		 block_seconds;	/* how long a refused client waits */
	struct netlist	 allow;		/* NAT gateways: never blocked */
};

struct service_settings {
	int		 metrics_enabled;
	const char	*metrics_endpoint;
	long		 phone_activity_window;
	long		 report_activity_window;
	/* Fleets larger than this get no per-phone series in /metrics. */
	long		 per_phone_series_max;
	int		 discovery_enabled;
	struct maclist	 discovery_exclude;
	struct netlist	 ip_whitelist;
	struct netlist	 trusted_proxies;
	enum ip_policy	 ip_policy;
	int		 ua_mac_must_match;
	const char	*default_ua;
	int		 auth_enabled;
	struct web_user	*users;
	size_t		 n_users;
	long		 report_max_body;	/* reports.max_body_bytes */
	long		 report_retention;	/* reports.retention */
	long		 report_spool_max;	/* reports.spool_max_bytes;
						 * 0: no spool */
	int		 report_spool_always;	/* reports.spool_always */
	struct links_settings links;
	struct abuse_settings abuse;
	struct pnp_settings {		/* pnp: deskprov-pnpd, notify */
		int		 enabled;
		long		 port;
		struct strlist	 interfaces;	/* names or IPv4 addresses */
		const char	*allow_file;	/* one MAC a line, or NULL */
		const char	*deny_file;
		long		 rate_per_source;	/* per minute */
		int		 one_time_links;
		const char	*user;		/* dropped to after bind */
		long		 notify_rate;	/* deskprov notify, per s */
	}		 pnp;
};

struct firmware_settings {
	int		 update_enabled;
	int		 allow_downgrade;
	const char	*expected_version;
	const char	*upgrade_url;
	long		 retry_delay;
	const char	*msg_request;
	const char	*msg_success;
	const char	*msg_failure;
	int		 model_specific;
	struct strpairs	 model_versions;	/* model key → version */
	struct strpairs	 model_urls;		/* model key → URL */
};

/* Every name list holds parameter names or shell patterns (fnmatch). */
struct comparison_settings {
	struct strlist	 blacklist;	/* left out of comparisons */
	struct strlist	 secrets;	/* stored hashed, beyond the rule */
	int		 trim_whitespace;	/* default on */
	struct strlist	 case_insensitive;	/* values compared in any case */
	struct strlist	 booleans;	/* Yes/true/on and No/false/off alike */
};

void	settings_defaults(struct service_settings *, struct firmware_settings *,
	    struct comparison_settings *);
/* Each reads the root mapping of its file (NULL for a missing file keeps
 * the defaults).  Strings are copied into `a`.  -1 with err on a problem. */
int	service_settings_load(struct service_settings *, const struct ynode *,
	    struct arena *, struct diag *);
int	firmware_settings_load(struct firmware_settings *, const struct ynode *,
	    struct arena *, struct diag *);
int	comparison_settings_load(struct comparison_settings *,
	    const struct ynode *, struct arena *, struct diag *);

int	maclist_contains(const struct maclist *, const char *mac);
int	netlist_contains(const struct netlist *, const struct ipaddr *);
/* Lookup by model key (see model_key()): the entry's index or -1, and
 * its value or NULL. */
int		 strpairs_find_model(const struct strpairs *, const char *model);
const char	*strpairs_get_model(const struct strpairs *, const char *model);

#endif
