#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xmlrpc-c/base.h>

#include "rps_xmlrpc.h"
#include "text.h"

/* The nesting and size limits of xmlrpc-c are process-wide; the answer
 * was capped by the transport already, the size limit only has to let it
 * through. */
#define XML_SIZE_LIMIT	(8u * 1024 * 1024)

/* xmlrpc-c hands out strings as const char * that the caller frees (its
 * xmlrpc_strfree() came only in later releases). */
static void
free_lib_str(const char *s)
{
	union { const char *c; char *m; } u = { .c = s };

	free(u.m);
}

static void
set_err(char *err, size_t errsz, const char *what, const xmlrpc_env *env)
{
	if (err == NULL || errsz == 0)
		return;
	snprintf(err, errsz, "%s%s%s", what, env != NULL ? ": " : "",
	    env != NULL && env->fault_string != NULL ? env->fault_string : "");
}

/* A parameter as an xmlrpc-c value the caller releases, or NULL. */
static xmlrpc_value *
arg_value(xmlrpc_env *env, const struct rps_xmlrpc_arg *a)
{
	xmlrpc_value *arr, *item;

	if (a->s != NULL)
		return xmlrpc_string_new_lp(env, strlen(a->s), a->s);
	arr = xmlrpc_array_new(env);
	for (size_t i = 0; i < a->n && !env->fault_occurred; i++) {
		item = xmlrpc_string_new_lp(env, strlen(a->v[i]), a->v[i]);
		if (env->fault_occurred)
			break;
		xmlrpc_array_append_item(env, arr, item);
		xmlrpc_DECREF(item);
	}
	if (env->fault_occurred) {
		xmlrpc_DECREF(arr);
		return NULL;
	}
	return arr;
}

int
rps_xmlrpc_call(const char *method, const struct rps_xmlrpc_arg *args,
    size_t nargs, struct buf *out, char *err, size_t errsz)
{
	xmlrpc_env env;
	xmlrpc_value *params, *v;
	xmlrpc_mem_block *mb = NULL;
	int rc = -1;

	xmlrpc_env_init(&env);
	params = xmlrpc_array_new(&env);
	for (size_t i = 0; i < nargs && !env.fault_occurred; i++) {
		if ((v = arg_value(&env, &args[i])) == NULL)
			break;
		xmlrpc_array_append_item(&env, params, v);
		xmlrpc_DECREF(v);
	}
	if (env.fault_occurred)
		goto out_params;
	mb = xmlrpc_mem_block_new(&env, 0);
	if (env.fault_occurred)
		goto out_params;
	xmlrpc_serialize_call(&env, mb, method, params);
	if (env.fault_occurred)
		goto out_mb;
	buf_add(out, xmlrpc_mem_block_contents(mb), xmlrpc_mem_block_size(mb));
	rc = 0;
out_mb:
	xmlrpc_mem_block_free(mb);
out_params:
	if (rc < 0)
		set_err(err, errsz, "cannot encode the call", &env);
	if (params != NULL)
		xmlrpc_DECREF(params);
	xmlrpc_env_clean(&env);
	return rc;
}

/* Copies a vendor's text into a reply: cut, and printable ASCII only,
 * for it ends up in JSON, log lines and pages. */
static void
copy_msg(char dst[RPS_XMLRPC_MSG_MAX], const char *s, size_t n)
{
	if (n > RPS_XMLRPC_MSG_MAX - 1)
		n = RPS_XMLRPC_MSG_MAX - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	dst[n] = '\0';
}

/* A string value's text into msg; -1 when v is no string. */
static int
read_msg(xmlrpc_env *env, xmlrpc_value *v, char msg[RPS_XMLRPC_MSG_MAX])
{
	const char *s;
	size_t n;

	if (xmlrpc_value_type(v) != XMLRPC_TYPE_STRING)
		return -1;
	xmlrpc_read_string_lp(env, v, &n, &s);
	if (env->fault_occurred)
		return -1;
	copy_msg(msg, s, n);
	free_lib_str(s);
	return 0;
}

/* [boolean, string]: the answer of every vendor's set and delete calls. */
static int
read_pair(xmlrpc_env *env, xmlrpc_value *v, struct rps_xmlrpc_reply *r)
{
	xmlrpc_value *b = NULL, *m = NULL;
	xmlrpc_bool ok;
	int rc = -1;

	if (xmlrpc_array_size(env, v) != 2)
		return -1;
	xmlrpc_array_read_item(env, v, 0, &b);
	if (!env->fault_occurred)
		xmlrpc_array_read_item(env, v, 1, &m);
	if (env->fault_occurred || xmlrpc_value_type(b) != XMLRPC_TYPE_BOOL)
		goto out;
	xmlrpc_read_bool(env, b, &ok);
	if (env->fault_occurred || read_msg(env, m, r->msg) < 0)
		goto out;
	r->kind = RPS_XMLRPC_PAIR;
	r->ok = ok != 0;
	rc = 0;
out:
	if (b != NULL)
		xmlrpc_DECREF(b);
	if (m != NULL)
		xmlrpc_DECREF(m);
	return rc;
}

static int
read_result(xmlrpc_env *env, xmlrpc_value *v, struct rps_xmlrpc_reply *r)
{
	xmlrpc_bool ok;

	switch (xmlrpc_value_type(v)) {
	case XMLRPC_TYPE_ARRAY:
		return read_pair(env, v, r);
	case XMLRPC_TYPE_BOOL:
		xmlrpc_read_bool(env, v, &ok);
		r->kind = RPS_XMLRPC_BOOL;
		r->ok = ok != 0;
		return env->fault_occurred ? -1 : 0;
	case XMLRPC_TYPE_STRING:
		r->kind = RPS_XMLRPC_STRING;
		return read_msg(env, v, r->msg);
	default:
		return -1;
	}
}

int
rps_xmlrpc_parse(const char *xml, size_t n, struct rps_xmlrpc_reply *r,
    char *err, size_t errsz)
{
	xmlrpc_env env;
	xmlrpc_value *v = NULL;
	const char *fault = NULL;
	int code = 0, rc = -1;

	memset(r, 0, sizeof(*r));
	/* No DTD, so no entity to expand and nothing to fetch. */
	if (text_find(xml, n, "<!DOCTYPE", 9) != NULL) {
		set_err(err, errsz, "a DOCTYPE in the answer", NULL);
		return -1;
	}
	xmlrpc_limit_set(XMLRPC_XML_SIZE_LIMIT_ID, XML_SIZE_LIMIT);
	xmlrpc_env_init(&env);
	xmlrpc_parse_response2(&env, xml, n, &v, &code, &fault);
	if (env.fault_occurred) {
		set_err(err, errsz, "not an XML-RPC answer", &env);
		goto out;
	}
	if (fault != NULL) {
		r->kind = RPS_XMLRPC_FAULT;
		r->fault_code = code;
		copy_msg(r->msg, fault, strlen(fault));
		free_lib_str(fault);
		rc = 0;
		goto out;
	}
	if ((rc = read_result(&env, v, r)) < 0)
		set_err(err, errsz, "an XML-RPC answer of another shape", NULL);
out:
	if (v != NULL)
		xmlrpc_DECREF(v);
	xmlrpc_env_clean(&env);
	return rc;
}
