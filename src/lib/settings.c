#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings.h"
#include "text.h"
#include "useragent.h"
#include "version.h"

enum ktype {
	K_SECTION, K_BOOL, K_INT, K_STR, K_VERSION, K_NETLIST, K_MACLIST,
	K_STRLIST, K_STRPAIRS, K_IPPOLICY, K_UA, K_USERS, K_PLAIN, K_SHA256
};

/* One row per accepted key; unknown keys are errors. */
struct keydef {
	const char		*key;
	enum ktype		 type;
	size_t			 offset;
	const struct keydef	*sub;	/* K_SECTION: the section's keys */
	long			 min, max;	/* K_INT */
};

struct ctx {
	struct arena		*arena;
	struct diag		*err;
};

#define SVC(f)	offsetof(struct service_settings, f)
#define FW(f)	offsetof(struct firmware_settings, f)
#define CMP(f)	offsetof(struct comparison_settings, f)
#define END	{ NULL, 0, 0, NULL, 0, 0 }

static const struct keydef monitoring_keys[] = {
	{ "metrics_enabled", K_BOOL, SVC(metrics_enabled), NULL, 0, 0 },
	{ "metrics_endpoint", K_STR, SVC(metrics_endpoint), NULL, 0, 0 },
	{ "phone_activity_window", K_INT, SVC(phone_activity_window), NULL,
	    1, 31L * 86400 },
	{ "report_activity_window", K_INT, SVC(report_activity_window), NULL,
	    1, 31L * 86400 },
	{ "per_phone_series_max", K_INT, SVC(per_phone_series_max), NULL,
	    0, 10000000 },
	END
};

static const struct keydef discovery_keys[] = {
	{ "enabled", K_BOOL, SVC(discovery_enabled), NULL, 0, 0 },
	{ "exclude_macs", K_MACLIST, SVC(discovery_exclude), NULL, 0, 0 },
	END
};

static const struct keydef auth_keys[] = {
	{ "enabled", K_BOOL, SVC(auth_enabled), NULL, 0, 0 },
	{ "users", K_USERS, 0, NULL, 0, 0 },
	END
};

static const struct keydef report_keys[] = {
	{ "max_body_bytes", K_INT, SVC(report_max_body), NULL,
	    1024, 64L * 1024 * 1024 },
	{ "retention", K_INT, SVC(report_retention), NULL, 1, 100000 },
	{ "spool_max_bytes", K_INT, SVC(report_spool_max), NULL, 0,
	    1L << 40 },
	{ "spool_always", K_BOOL, SVC(report_spool_always), NULL, 0, 0 },
	END
};

static const struct keydef links_keys[] = {
	{ "base_url", K_STR, SVC(links.base_url), NULL, 0, 0 },
	{ "plain", K_PLAIN, SVC(links.plain), NULL, 0, 0 },
	{ "token_sha256", K_SHA256, SVC(links.token_sha256), NULL, 0, 0 },
	{ "once_max", K_INT, SVC(links.once_max), NULL, 1, 1000000 },
	END
};

static const struct keydef abuse_keys[] = {
	{ "enabled", K_BOOL, SVC(abuse.enabled), NULL, 0, 0 },
	{ "window", K_INT, SVC(abuse.window), NULL, 1, 86400 },
	{ "max_requests", K_INT, SVC(abuse.max_requests), NULL, 1, 1000000 },
	{ "max_unknown", K_INT, SVC(abuse.max_unknown), NULL, 1, 1000000 },
	{ "block_seconds", K_INT, SVC(abuse.block_seconds), NULL, 1, 86400 },
	{ "allow", K_NETLIST, SVC(abuse.allow), NULL, 0, 0 },
	END
};

static const struct keydef pnp_keys[] = {
	{ "enabled", K_BOOL, SVC(pnp.enabled), NULL, 0, 0 },
	{ "port", K_INT, SVC(pnp.port), NULL, 1, 65535 },
	{ "interfaces", K_STRLIST, SVC(pnp.interfaces), NULL, 0, 0 },
	{ "allow_file", K_STR, SVC(pnp.allow_file), NULL, 0, 0 },
	{ "deny_file", K_STR, SVC(pnp.deny_file), NULL, 0, 0 },
	{ "rate_per_source", K_INT, SVC(pnp.rate_per_source), NULL, 1, 6000 },
	{ "one_time_links", K_BOOL, SVC(pnp.one_time_links), NULL, 0, 0 },
	{ "user", K_STR, SVC(pnp.user), NULL, 0, 0 },
	{ "notify_rate", K_INT, SVC(pnp.notify_rate), NULL, 1, 100000 },
	END
};

static const struct keydef service_keys[] = {
	{ "monitoring", K_SECTION, 0, monitoring_keys, 0, 0 },
	{ "discovery", K_SECTION, 0, discovery_keys, 0, 0 },
	{ "ip_whitelist", K_NETLIST, SVC(ip_whitelist), NULL, 0, 0 },
	{ "trusted_proxies", K_NETLIST, SVC(trusted_proxies), NULL, 0, 0 },
	{ "ip_authorization", K_IPPOLICY, SVC(ip_policy), NULL, 0, 0 },
	{ "ua_mac_must_match", K_BOOL, SVC(ua_mac_must_match), NULL, 0, 0 },
	{ "default_ua", K_UA, SVC(default_ua), NULL, 0, 0 },
	{ "auth", K_SECTION, 0, auth_keys, 0, 0 },
	{ "reports", K_SECTION, 0, report_keys, 0, 0 },
	{ "links", K_SECTION, 0, links_keys, 0, 0 },
	{ "abuse", K_SECTION, 0, abuse_keys, 0, 0 },
	{ "pnp", K_SECTION, 0, pnp_keys, 0, 0 },
	END
};

static const struct keydef fw_log_keys[] = {
	{ "upgrade_request", K_STR, FW(msg_request), NULL, 0, 0 },
	{ "upgrade_success", K_STR, FW(msg_success), NULL, 0, 0 },
	{ "upgrade_failure", K_STR, FW(msg_failure), NULL, 0, 0 },
	END
};

static const struct keydef fw_model_keys[] = {
	{ "enabled", K_BOOL, FW(model_specific), NULL, 0, 0 },
	{ "versions", K_STRPAIRS, FW(model_versions), NULL, 0, 0 },
	{ "urls", K_STRPAIRS, FW(model_urls), NULL, 0, 0 },
	END
};

static const struct keydef fw_keys[] = {
	{ "update_enabled", K_BOOL, FW(update_enabled), NULL, 0, 0 },
	{ "allow_downgrade", K_BOOL, FW(allow_downgrade), NULL, 0, 0 },
	{ "expected_version", K_VERSION, FW(expected_version), NULL, 0, 0 },
	{ "upgrade_url", K_STR, FW(upgrade_url), NULL, 0, 0 },
	{ "retry_delay", K_INT, FW(retry_delay), NULL, 0, 365L * 86400 },
	{ "log_messages", K_SECTION, 0, fw_log_keys, 0, 0 },
	{ "model_specific", K_SECTION, 0, fw_model_keys, 0, 0 },
	END
};

static const struct keydef fw_root_keys[] = {
	{ "firmware", K_SECTION, 0, fw_keys, 0, 0 },
	END
};

static const struct keydef cmp_keys[] = {
	{ "blacklist", K_STRLIST, CMP(blacklist), NULL, 0, 0 },
	{ "secrets", K_STRLIST, CMP(secrets), NULL, 0, 0 },
	{ "trim_whitespace", K_BOOL, CMP(trim_whitespace), NULL, 0, 0 },
	{ "case_insensitive", K_STRLIST, CMP(case_insensitive), NULL, 0, 0 },
	{ "booleans", K_STRLIST, CMP(booleans), NULL, 0, 0 },
	END
};

static const struct keydef cmp_root_keys[] = {
	{ "comparison", K_SECTION, 0, cmp_keys, 0, 0 },
	END
};

/* "<what> '<key>'": key is a key of the table, or bytes of the file (a
 * user's name, a refused value), so it goes through DIAG_Q. */
static int
fail(struct ctx *c, const struct ynode *n, const char *what, const char *key)
{
	return diag_set(c->err, NULL, n && n->line > 0 ? (unsigned)n->line : 0,
	    0, "%s %s", what, DIAG_Q(key));
}

/* A scalar's text copied into the arena; NULL for a YAML null. */
static int
get_str(struct ctx *c, const struct ynode *v, const char *key,
    const char **out)
{
	const char *problem;

	if (v->kind != YN_SCALAR)
		return fail(c, v, "expected a single value for", key);
	if (v->is_null) {
		*out = NULL;
		return 0;
	}
	if (v->len > PARAM_VALUE_MAX)
		return fail(c, v, "value longer than 8192 bytes for", key);
	if ((problem = text_line_problem(v->str, v->len)) != NULL)
		return fail(c, v, problem, key);
	*out = arena_strndup(c->arena, v->str, v->len);
	return 0;
}

static int
get_bool(struct ctx *c, const struct ynode *v, const char *key, int *out)
{
	static const char *yes[] = { "true", "yes", "on", NULL };
	static const char *no[] = { "false", "no", "off", NULL };

	if (v->kind == YN_SCALAR && !v->is_null) {
		for (int i = 0; yes[i]; i++)
			if (strcasecmp(v->str, yes[i]) == 0)
				return *out = 1, 0;
		for (int i = 0; no[i]; i++)
			if (strcasecmp(v->str, no[i]) == 0)
				return *out = 0, 0;
	}
	return fail(c, v, "expected true or false for", key);
}

static int
get_int(struct ctx *c, const struct ynode *v, const struct keydef *k,
    long *out)
{
	char *end;
	long n;

	if (v->kind != YN_SCALAR || v->is_null || v->len == 0)
		return fail(c, v, "expected a number for", k->key);
	errno = 0;
	n = strtol(v->str, &end, 10);
	if (errno != 0 || *end != '\0' || n < k->min || n > k->max)
		return fail(c, v, "number missing or out of range for", k->key);
	*out = n;
	return 0;
}

/* A sequence of scalars (a null means an empty list). */
static int
get_seq(struct ctx *c, const struct ynode *v, const char *key)
{
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_SEQ)
		return fail(c, v, "expected a list for", key);
	for (size_t i = 0; i < v->len; i++)
		if (v->items[i]->kind != YN_SCALAR || v->items[i]->is_null)
			return fail(c, v->items[i],
			    "expected single values in the list", key);
	return 0;
}

static int
get_netlist(struct ctx *c, const struct ynode *v, const char *key,
    struct netlist *out)
{
	if (get_seq(c, v, key) < 0)
		return -1;
	if (v->kind != YN_SEQ)
		return 0;
	out->nets = arena_calloc(c->arena, v->len, sizeof(*out->nets));
	out->n = v->len;
	for (size_t i = 0; i < v->len; i++)
		if (ipnet_parse(v->items[i]->str, &out->nets[i]) < 0)
			return fail(c, v->items[i],
			    "not an IP address or CIDR range:",
			    v->items[i]->str);
	return 0;
}

static int
get_maclist(struct ctx *c, const struct ynode *v, const char *key,
    struct maclist *out)
{
	if (get_seq(c, v, key) < 0)
		return -1;
	if (v->kind != YN_SEQ)
		return 0;
	out->macs = arena_calloc(c->arena, v->len, sizeof(*out->macs));
	out->n = v->len;
	for (size_t i = 0; i < v->len; i++)
		if (mac_parse(v->items[i]->str, v->items[i]->len,
		    out->macs[i]) != MAC_OK)
			return fail(c, v->items[i], "not a phone MAC address:",
			    v->items[i]->str);
	return 0;
}

static int
get_strlist(struct ctx *c, const struct ynode *v, const char *key,
    struct strlist *out)
{
	if (get_seq(c, v, key) < 0)
		return -1;
	if (v->kind != YN_SEQ)
		return 0;
	out->items = arena_calloc(c->arena, v->len, sizeof(*out->items));
	out->n = v->len;
	for (size_t i = 0; i < v->len; i++)
		if (get_str(c, v->items[i], key, &out->items[i]) < 0)
			return -1;
	return 0;
}

static int
get_strpairs(struct ctx *c, const struct ynode *v, const char *key,
    struct strpairs *out)
{
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_MAP)
		return fail(c, v, "expected a mapping for", key);
	out->keys = arena_calloc(c->arena, v->len, sizeof(*out->keys));
	out->values = arena_calloc(c->arena, v->len, sizeof(*out->values));
	out->n = v->len;
	for (size_t i = 0; i < v->len; i++) {
		if (get_str(c, YMAP_KEY(v, i), key, &out->keys[i]) < 0 ||
		    get_str(c, YMAP_VAL(v, i), YMAP_KEY(v, i)->str,
		    &out->values[i]) < 0)
			return -1;
		if (out->keys[i] == NULL || out->values[i] == NULL)
			return fail(c, YMAP_VAL(v, i), "empty entry in", key);
	}
	return 0;
}

static int
get_ippolicy(struct ctx *c, const struct ynode *v, const char *key,
    enum ip_policy *out)
{
	static const struct { const char *name; enum ip_policy policy; } t[] = {
		{ "phone", IP_POLICY_PHONE },
		{ "fleet", IP_POLICY_FLEET },
		{ "off", IP_POLICY_OFF },
		{ "false", IP_POLICY_OFF },
		{ "learned", IP_POLICY_LEARNED },
	};

	for (size_t i = 0; v->kind == YN_SCALAR && i < sizeof(t) / sizeof(t[0]);
	    i++)
		if (strcasecmp(v->str, t[i].name) == 0) {
			*out = t[i].policy;
			return 0;
		}
	return fail(c, v, "expected phone, fleet, learned or off for", key);
}

static int
get_ua(struct ctx *c, const struct ynode *v, const char *key,
    const char **out)
{
	if (v->kind != YN_SCALAR || (strcmp(v->str, "na") != 0 &&
	    strcmp(v->str, "ro") != 0 && strcmp(v->str, "rw") != 0))
		return fail(c, v, "expected na, ro or rw for", key);
	*out = arena_strndup(c->arena, v->str, v->len);
	return 0;
}

static int
get_plain(struct ctx *c, const struct ynode *v, const char *key,
    enum links_plain *out)
{
	static const char *const names[] = { "on", "bootstrap", "off" };

	for (size_t i = 0; v->kind == YN_SCALAR && i < 3; i++)
		if (strcasecmp(v->str, names[i]) == 0) {
			*out = (enum links_plain)i;
			return 0;
		}
	/* YAML 1.1 readers take on/off for booleans: accept those too. */
	if (v->kind == YN_SCALAR && (strcasecmp(v->str, "true") == 0 ||
	    strcasecmp(v->str, "false") == 0)) {
		*out = v->str[0] == 't' || v->str[0] == 'T' ? LINKS_PLAIN_ON :
		    LINKS_PLAIN_OFF;
		return 0;
	}
	return fail(c, v, "expected on, bootstrap or off for", key);
}

/* 64 hex digits: the SHA-256 of the fleet token, never the token. */
static int
get_sha256(struct ctx *c, const struct ynode *v, const char *key,
    unsigned char out[32])
{
	struct links_settings *ls = (struct links_settings *)(void *)((char *)
	    out - offsetof(struct links_settings, token_sha256));
	unsigned hi, lo;

	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_SCALAR || v->len != 64)
		return fail(c, v, "expected 64 hex digits (a SHA-256) for",
		    key);
	for (size_t i = 0; i < 32; i++) {
		if (sscanf(v->str + 2 * i, "%1x%1x", &hi, &lo) != 2)
			return fail(c, v, "expected 64 hex digits (a SHA-256) "
			    "for", key);
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	ls->have_token = 1;
	return 0;
}

static int
get_user(struct ctx *c, const struct ynode *id, const struct ynode *v,
    struct web_user *u)
{
	u->id = arena_strndup(c->arena, id->str, id->len);
	if (v->kind != YN_MAP)
		return fail(c, v, "expected a mapping for user", id->str);
	for (size_t i = 0; i < v->len; i++) {
		const char *k = YMAP_KEY(v, i)->str;
		const struct ynode *val = YMAP_VAL(v, i);
		const char **dst = NULL;

		if (strcmp(k, "username") == 0)
			dst = &u->username;
		else if (strcmp(k, "role") == 0)
			dst = &u->role;
		else if (strcmp(k, "description") == 0)
			dst = &u->description;
		else if (strcmp(k, "password") == 0) {
			/* Kept out of the snapshot on purpose: the web
			 * server checks passwords, not deskprov. */
			u->has_password = val->kind == YN_SCALAR &&
			    !val->is_null;
			continue;
		} else
			return fail(c, YMAP_KEY(v, i), "unknown key", k);
		if (get_str(c, val, k, dst) < 0)
			return -1;
	}
	if (u->username == NULL)
		u->username = u->id;
	/* rps: only the redirect-service gateway (rps.fcgi), no page. */
	if (u->role == NULL || (strcmp(u->role, "admin") != 0 &&
	    strcmp(u->role, "monitor") != 0 && strcmp(u->role, "api") != 0 &&
	    strcmp(u->role, "rps") != 0))
		return fail(c, v, "role must be admin, monitor, api or rps for user",
		    id->str);
	return 0;
}

static int
get_users(struct ctx *c, const struct ynode *v, struct service_settings *s)
{
	if (v->kind == YN_SCALAR && v->is_null)
		return 0;
	if (v->kind != YN_MAP)
		return fail(c, v, "expected a mapping for", "users");
	s->users = arena_calloc(c->arena, v->len, sizeof(*s->users));
	s->n_users = v->len;
	for (size_t i = 0; i < v->len; i++)
		if (get_user(c, YMAP_KEY(v, i), YMAP_VAL(v, i),
		    &s->users[i]) < 0)
			return -1;
	return 0;
}

static int load_table(struct ctx *, const struct keydef *,
    const struct ynode *, void *, const char *);

static int
load_value(struct ctx *c, const struct keydef *k, const struct ynode *v,
    void *base)
{
	void *dst = (char *)base + k->offset;

	switch (k->type) {
	case K_SECTION:
		return load_table(c, k->sub, v, base, k->key);
	case K_BOOL:
		return get_bool(c, v, k->key, dst);
	case K_INT:
		return get_int(c, v, k, dst);
	case K_STR:
		return get_str(c, v, k->key, dst);
	case K_VERSION:
		if (get_str(c, v, k->key, dst) < 0)
			return -1;
		if (*(const char **)dst && !version_plausible(*(const char **)dst))
			return fail(c, v, "not a firmware version:", v->str);
		return 0;
	case K_NETLIST:
		return get_netlist(c, v, k->key, dst);
	case K_MACLIST:
		return get_maclist(c, v, k->key, dst);
	case K_STRLIST:
		return get_strlist(c, v, k->key, dst);
	case K_STRPAIRS:
		return get_strpairs(c, v, k->key, dst);
	case K_IPPOLICY:
		return get_ippolicy(c, v, k->key, dst);
	case K_UA:
		return get_ua(c, v, k->key, dst);
	case K_USERS:
		return get_users(c, v, base);
	case K_PLAIN:
		return get_plain(c, v, k->key, dst);
	case K_SHA256:
		return get_sha256(c, v, k->key, dst);
	}
	return fail(c, v, "internal: no loader for", k->key);
}

static int
load_table(struct ctx *c, const struct keydef *tab, const struct ynode *map,
    void *base, const char *section)
{
	if (map == NULL || (map->kind == YN_SCALAR && map->is_null))
		return 0;
	if (map->kind != YN_MAP)
		return fail(c, map, "expected a mapping for", section);
	for (size_t i = 0; i < map->len; i++) {
		const struct ynode *key = YMAP_KEY(map, i);
		const struct keydef *k;

		for (k = tab; k->key != NULL; k++)
			if (strcmp(k->key, key->str) == 0)
				break;
		if (k->key == NULL)
			return diag_set(c->err, NULL, (unsigned)key->line, 0,
			    "unknown key %s in %s", DIAG_Q(key->str), section);
		if (load_value(c, k, YMAP_VAL(map, i), base) < 0)
			return -1;
	}
	return 0;
}

/* The loopback addresses are never blocked unless abuse.allow says
 * otherwise: a reverse proxy on the same host that is not in
 * trusted_proxies would otherwise get every phone blocked at once. */
static struct ipnet loopback[2] = {
	{ .addr = { .family = 4, .bytes = { 127 } }, .prefix = 8 },
	{ .addr = { .family = 6, .bytes = { [15] = 1 } }, .prefix = 128 },
};

static void
abuse_default_allow(struct abuse_settings *a)
{
	a->allow.nets = loopback;
	a->allow.n = 2;
}

/* What a links: section needs beyond its keys' types. */
static int
links_settings_check(struct service_settings *s, const struct ynode *root,
    struct diag *err)
{
	const char *u = s->links.base_url;
	unsigned line = root ? (unsigned)root->line : 0;

	if (u != NULL && strncmp(u, "http://", 7) != 0 &&
	    strncmp(u, "https://", 8) != 0)
		return diag_set(err, NULL, line, 0, "links.base_url must "
		    "start with http:// or https://");
	if (u != NULL && strpbrk(u, " \"?#<>") != NULL)
		return diag_set(err, NULL, line, 0, "links.base_url may not "
		    "hold spaces, quotes, ? # < or >");
	if (s->links.plain == LINKS_PLAIN_BOOTSTRAP && u == NULL)
		return diag_set(err, NULL, line, 0, "links.plain: bootstrap "
		    "needs links.base_url, the URL the phones are sent to");
	return 0;
}

void
settings_defaults(struct service_settings *s, struct firmware_settings *f,
    struct comparison_settings *cmp)
{
	memset(s, 0, sizeof(*s));
	s->metrics_enabled = 1;
	s->metrics_endpoint = "/metrics";
	s->phone_activity_window = 3600;
	s->report_activity_window = 1800;
	s->per_phone_series_max = 1000;
	s->ip_policy = IP_POLICY_PHONE;
	s->ua_mac_must_match = 1;
	s->default_ua = "na";
	s->report_max_body = 1024L * 1024;
	s->report_retention = 50;
	s->report_spool_max = 4L << 30;
	s->links.plain = LINKS_PLAIN_ON;
	s->links.once_max = 10000;
	s->abuse.enabled = 1;
	s->abuse.window = 60;
	s->abuse.max_requests = 1200;
	s->abuse.max_unknown = 20;
	s->abuse.block_seconds = 600;
	abuse_default_allow(&s->abuse);
	s->pnp.port = 5060;
	s->pnp.rate_per_source = 6;
	s->pnp.notify_rate = 20;
	memset(f, 0, sizeof(*f));
	f->retry_delay = 3600;
	memset(cmp, 0, sizeof(*cmp));
	cmp->trim_whitespace = 1;
}

int
service_settings_load(struct service_settings *s, const struct ynode *root,
    struct arena *a, struct diag *err)
{
	struct ctx c = { a, err };

	if (load_table(&c, service_keys, root, s, "serviceconfig") < 0)
		return -1;
	if (s->default_ua == NULL)
		s->default_ua = "na";
	return links_settings_check(s, root, err);
}

int
firmware_settings_load(struct firmware_settings *f, const struct ynode *root,
    struct arena *a, struct diag *err)
{
	struct ctx c = { a, err };

	if (load_table(&c, fw_root_keys, root, f, "firmware.yml") < 0)
		return -1;
	if (f->update_enabled && (f->expected_version == NULL ||
	    f->upgrade_url == NULL)) {
		return diag_set(err, NULL, root ? (unsigned)root->line : 0, 0,
		    "update_enabled needs expected_version and upgrade_url");
	}
	for (size_t i = 0; i < f->model_versions.n; i++)
		if (!version_plausible(f->model_versions.values[i]))
			return diag_set(err, NULL, root ? (unsigned)root->line :
			    0, 0, "not a firmware version: %s",
			    DIAG_Q(f->model_versions.values[i]));
	return 0;
}

int
comparison_settings_load(struct comparison_settings *cmp,
    const struct ynode *root, struct arena *a, struct diag *err)
{
	struct ctx c = { a, err };

	return load_table(&c, cmp_root_keys, root, cmp, "comparison.yml");
}

int
maclist_contains(const struct maclist *l, const char *mac)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->macs[i], mac) == 0)
			return 1;
	return 0;
}

int
netlist_contains(const struct netlist *l, const struct ipaddr *a)
{
	for (size_t i = 0; i < l->n; i++)
		if (ipnet_contains(&l->nets[i], a))
			return 1;
	return 0;
}

int
strpairs_find_model(const struct strpairs *p, const char *model)
{
	char want[32], have[32];

	model_key(model, want, sizeof(want));
	for (size_t i = 0; i < p->n; i++) {
		model_key(p->keys[i], have, sizeof(have));
		if (strcmp(want, have) == 0)
			return (int)i;
	}
	return -1;
}

const char *
strpairs_get_model(const struct strpairs *p, const char *model)
{
	int i = strpairs_find_model(p, model);

	return i < 0 ? NULL : p->values[i];
}
