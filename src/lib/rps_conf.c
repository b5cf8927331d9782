/* etc/rps.yml and Falconieri's environment variables (see rps.h), checked
 * against key tables once, when a program starts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "rps.h"
#include "yamltree.h"

#define RPS_YML_MAX	(64 * 1024)

const char *const rps_env_names[RPS_ENV_COUNT] = {
	"SNOM_USER", "SNOM_PASSWORD", "SNOM_RPC_URL", "SNOM_DISABLE",
	"YEALINK_USER", "YEALINK_PASSWORD", "YEALINK_RPC_URL",
	"YEALINK_DISABLE",
	"FANVIL_USER", "FANVIL_PASSWORD", "FANVIL_RPC_URL", "FANVIL_DISABLE",
	"GIGASET_USER", "GIGASET_PASSWORD", "GIGASET_RPC_URL",
	"GIGASET_DISABLE", "GIGASET_DISABLE_CRC",
};

enum kind { K_BOOL, K_STR, K_SECONDS, K_BYTES };

struct key {
	const char	*name;
	enum kind	 kind;
	size_t		 off;
};

#define PC(f)	offsetof(struct rps_provider_conf, f)
#define RC(f)	offsetof(struct rps_conf, f)

static const struct key provider_keys[] = {
	{ "enabled", K_BOOL, PC(enabled) },
	{ "user", K_STR, PC(user) },
	{ "password", K_STR, PC(password) },
	{ "endpoint", K_STR, PC(endpoint) },
	{ "ca_file", K_STR, PC(ca_file) },
	{ "server_name", K_STR, PC(server_name) },
	{ "disable_crc", K_BOOL, PC(disable_crc) },
	{ NULL, K_BOOL, 0 },
};

static const struct key top_keys[] = {
	{ "timeout", K_SECONDS, RC(timeout_ms) },
	{ "connect_timeout", K_SECONDS, RC(connect_timeout_ms) },
	{ "max_response", K_BYTES, RC(max_response) },
	{ "auto", K_BOOL, RC(auto_register) },
	{ "base_url", K_STR, RC(base_url) },
	{ NULL, K_BOOL, 0 },
};

/* YAML 1.1's spellings of true and false, as the other config files. */
static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(s, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

static int
parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
set_value(const struct key *k, void *base, const struct ynode *v,
    struct diag *d)
{
	char *p = (char *)base + k->off;
	long n;

	if (v->kind != YN_SCALAR)
		return diag_set(d, "rps.yml", (unsigned)v->line, 0,
		    "expected a value for %s", k->name);
	switch (k->kind) {
	case K_BOOL:
		if (parse_bool(v->str, (int *)(void *)p) < 0)
			return diag_set(d, "rps.yml", (unsigned)v->line, 0,
			    "expected true or false for %s", k->name);
		return 0;
	case K_STR:
		free(*(char **)(void *)p);
		*(char **)(void *)p = v->is_null ? NULL : strdup(v->str);
		return 0;
	case K_SECONDS:
		if (parse_long(v->str, 1, 600, &n) < 0)
			return diag_set(d, "rps.yml", (unsigned)v->line, 0,
			    "expected 1 to 600 seconds for %s", k->name);
		*(long *)(void *)p = n * 1000;
		return 0;
	case K_BYTES:
		if (parse_long(v->str, 1024, 64L * 1024 * 1024, &n) < 0)
			return diag_set(d, "rps.yml", (unsigned)v->line, 0,
			    "expected 1024 to 67108864 bytes for %s", k->name);
		*(long *)(void *)p = n;
		return 0;
	}
	return -1;
}

/* Every key of map m against the table; unknown ones are errors. */
static int
load_map(const struct key *keys, void *base, const struct ynode *m,
    const char *skip, struct diag *d)
{
	for (size_t i = 0; i < YMAP_N(m); i++) {
		const struct ynode *k = YMAP_KEY(m, i);
		const struct key *kk;

		if (skip != NULL && strcmp(k->str, skip) == 0)
			continue;
		for (kk = keys; kk->name != NULL; kk++)
			if (strcmp(kk->name, k->str) == 0)
				break;
		if (kk->name == NULL) {
			diag_set(d, "rps.yml", (unsigned)k->line, 0,
			    "unknown key");
			diag_set_key(d, k->str, k->len);
			return -1;
		}
		if (set_value(kk, base, YMAP_VAL(m, i), d) < 0)
			return -1;
	}
	return 0;
}

static int
load_providers(struct rps_conf *c, const struct ynode *m, struct diag *d)
{
	if (m->kind == YN_SCALAR && m->is_null)
		return 0;
	if (m->kind != YN_MAP)
		return diag_set(d, "rps.yml", (unsigned)m->line, 0,
		    "expected a mapping for providers");
	for (size_t i = 0; i < YMAP_N(m); i++) {
		const struct ynode *k = YMAP_KEY(m, i), *v = YMAP_VAL(m, i);
		int p = rps_provider_find(k->str);

		if (p < 0) {
			diag_set(d, "rps.yml", (unsigned)k->line, 0,
			    "unknown provider (snom, yealink, fanvil, gigaset)");
			diag_set_key(d, k->str, k->len);
			return -1;
		}
		if (v->kind != YN_MAP)
			return diag_set(d, "rps.yml", (unsigned)v->line, 0,
			    "expected a mapping for provider %s", k->str);
		if (load_map(provider_keys, &c->p[p], v, NULL, d) < 0)
			return -1;
	}
	return 0;
}

/* Falconieri's variables, applied over the file: a set variable wins,
 * *_DISABLE (a boolean) switches the provider off or on. */
static void
apply_env(struct rps_conf *c, const char *const *env)
{
	for (int p = 0; p < RPS__COUNT && env != NULL; p++) {
		struct rps_provider_conf *pc = &c->p[p];
		char **str[3] = { &pc->user, &pc->password, &pc->endpoint };
		int b;

		for (int j = 0; j < 3; j++) {
			if (env[p * 4 + j] == NULL)
				continue;
			free(*str[j]);
			*str[j] = strdup(env[p * 4 + j]);
		}
		if (env[p * 4 + 3] != NULL && parse_bool(env[p * 4 + 3], &b) == 0)
			pc->enabled = !b;
	}
	if (env != NULL && env[16] != NULL)
		(void)parse_bool(env[16], &c->p[RPS_GIGASET].disable_crc);
}

static void
defaults(struct rps_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->connect_timeout_ms = 5000;
	c->timeout_ms = 20000;
	c->max_response = 1024 * 1024;
	for (int p = 0; p < RPS__COUNT; p++)
		c->p[p].endpoint = strdup(rps_provider_default_endpoint(p));
}

/* An enabled provider needs an endpoint the transport accepts, without
 * credentials in it (they would reach log lines through curl's errors). */
static int
check(const struct rps_conf *c, struct diag *d)
{
	for (int p = 0; p < RPS__COUNT; p++) {
		const char *e = c->p[p].endpoint;

		if (!c->p[p].enabled)
			continue;
		if (e == NULL || (strncmp(e, "https://", 8) != 0 &&
		    strncmp(e, "http://", 7) != 0) || strchr(e, '@') != NULL)
			return diag_set(d, "rps.yml", 0, 0, "provider %s: the "
			    "endpoint must be an http or https URL without "
			    "credentials", rps_provider_name(p));
	}
	if (c->base_url != NULL && !rps_url_ok(c->base_url))
		return diag_set(d, "rps.yml", 0, 0,
		    "base_url must be an ftp, tftp, http or https URL");
	return 0;
}

int
rps_conf_load(struct rps_conf *c, const char *etc_dir,
    const char *const *env, struct diag *d)
{
	char path[4096];
	struct ydoc doc;
	const struct ynode *root, *prov;
	int rc = -1;

	defaults(c);
	snprintf(path, sizeof(path), "%s/rps.yml", etc_dir);
	memset(&doc, 0, sizeof(doc));
	if (access(path, F_OK) != 0)
		;	/* no rps.yml: nothing enabled but by the environment */
	else if (ydoc_load_file(&doc, path, RPS_YML_MAX, d) < 0) {
		diag_set_file(d, "rps.yml");
		goto out;
	} else if ((root = doc.root) != NULL) {
		if (root->kind != YN_MAP) {
			diag_set(d, "rps.yml", (unsigned)root->line, 0,
			    "expected a mapping");
			goto out;
		}
		if (load_map(top_keys, c, root, "providers", d) < 0)
			goto out;
		if ((prov = ymap_get(root, "providers")) != NULL &&
		    load_providers(c, prov, d) < 0)
			goto out;
	}
	apply_env(c, env);
	rc = check(c, d);
out:
	ydoc_free(&doc);
	return rc;
}

void
rps_conf_free(struct rps_conf *c)
{
	for (int p = 0; p < RPS__COUNT; p++) {
		struct rps_provider_conf *pc = &c->p[p];

		free(pc->user);
		if (pc->password != NULL)
			memset(pc->password, 0, strlen(pc->password));
		free(pc->password);
		free(pc->endpoint);
		free(pc->ca_file);
		free(pc->server_name);
	}
	free(c->base_url);
	memset(c, 0, sizeof(*c));
}
