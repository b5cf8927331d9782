#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_json.h"
#include "diag.h"

/* json-c's strict mode still takes 'single quotes', NaN and Infinity
 * (json-c 0.16): outside strings, only RFC 8259's bytes may appear. */
static int
grammar_ok(const char *s, size_t n)
{
	int in_str = 0;

	for (size_t i = 0; i < n; i++) {
		if (in_str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_str = 0;
		} else if (s[i] == '"')
			in_str = 1;
		else if (strchr("{}[],:0123456789+-.eE \t\r\ntrufalsn", s[i]) ==
		    NULL || s[i] == '\0')
			return 0;
	}
	return 1;
}

/* No number json-c read as NaN or an infinity ("nan", "1e999"). */
static int
numbers_ok(json_object *o)
{
	if (json_object_is_type(o, json_type_double))
		return isfinite(json_object_get_double(o));
	if (json_object_is_type(o, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (!numbers_ok(json_object_array_get_idx(o, i)))
				return 0;
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v) {
			(void)k;
			if (!numbers_ok(v))
				return 0;
		}
	}
	return 1;
}

int
api_json_parse(const char *s, size_t n, json_object **out, char *err,
    size_t errsz)
{
	struct json_tokener *tok = json_tokener_new_ex(API_JSON_DEPTH);
	enum json_tokener_error je;
	json_object *o;

	*out = NULL;
	if (!grammar_ok(s, n)) {
		snprintf(err, errsz, "malformed JSON: a byte outside a string "
		    "that JSON does not allow");
		json_tokener_free(tok);
		return -1;
	}
	if (tok == NULL || n > (size_t)INT32_MAX) {
		snprintf(err, errsz, "body too large");
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)n);
	je = json_tokener_get_error(tok);
	if (o != NULL && je == json_tokener_success &&
	    json_tokener_get_parse_end(tok) != n) {
		snprintf(err, errsz, "malformed JSON: text after the value");
		json_object_put(o);
		o = NULL;
	} else if (o == NULL || je != json_tokener_success) {
		snprintf(err, errsz, "malformed JSON: %s",
		    je == json_tokener_continue ? "unexpected end of input" :
		    json_tokener_error_desc(je));
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	if (o != NULL && !numbers_ok(o)) {
		snprintf(err, errsz, "malformed JSON: a number out of range");
		json_object_put(o);
		o = NULL;
	}
	*out = o;
	return o != NULL ? 0 : -1;
}

/* A plain scalar that is a decimal integer json-c can hold. */
static int
plain_int(const struct ynode *v, int64_t *out)
{
	char *end;
	long long n;

	if (!v->plain || v->len == 0 || v->len > 18 ||
	    strspn(v->str + (v->str[0] == '-'), "0123456789") !=
	    v->len - (v->str[0] == '-') || (v->str[0] == '0' && v->len > 1))
		return 0;
	n = strtoll(v->str, &end, 10);
	*out = n;
	return *end == '\0';
}

json_object *
api_json_from_yaml(const struct ynode *v)
{
	json_object *o;
	int64_t n;

	if (v->kind == YN_MAP) {
		o = json_object_new_object();
		for (size_t i = 0; i < YMAP_N(v); i++)
			json_object_object_add(o, YMAP_KEY(v, i)->str,
			    api_json_from_yaml(YMAP_VAL(v, i)));
		return o;
	}
	if (v->kind == YN_SEQ) {
		o = json_object_new_array();
		for (size_t i = 0; i < v->len; i++)
			json_object_array_add(o,
			    api_json_from_yaml(v->items[i]));
		return o;
	}
	if (v->is_null)
		return NULL;
	if (plain_int(v, &n))
		return json_object_new_int64(n);
	if (v->plain && (strcmp(v->str, "true") == 0 ||
	    strcmp(v->str, "false") == 0))
		return json_object_new_boolean(v->str[0] == 't');
	return json_object_new_string_len(v->str, (int)v->len);
}

static void
yaml_key(struct buf *out, const char *k)
{
	if (diag_key_ok(k, strlen(k)) && k[0] != '-' && k[0] != '.')
		buf_adds(out, k);
	else {
		json_object *s = json_object_new_string(k);
		buf_adds(out, json_object_to_json_string_ext(s,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(s);
	}
}

static void	yaml_value(struct buf *, json_object *, int indent);

static void
yaml_scalar(struct buf *out, json_object *v)
{
	if (v == NULL) {
		buf_adds(out, "null");
		return;
	}
	/* json-c's string escapes (\" \\ \n \t \uXXXX) are YAML's too. */
	buf_adds(out, json_object_to_json_string_ext(v,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int
is_block(json_object *v)
{
	return (json_object_is_type(v, json_type_object) &&
	    json_object_object_length(v) > 0) ||
	    (json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0);
}

/* The members of an object at `indent`, the first one's indentation
 * already written when first_inline is set (a list entry's "- "). */
static void
yaml_members(struct buf *out, json_object *o, int indent, int first_inline)
{
	int first = 1;

	json_object_object_foreach(o, k, v) {
		if (!(first && first_inline))
			buf_printf(out, "%*s", indent, "");
		first = 0;
		yaml_key(out, k);
		buf_addc(out, ':');
		if (is_block(v)) {
			buf_addc(out, '\n');
			yaml_value(out, v, indent + 2);
		} else {
			buf_addc(out, ' ');
			yaml_value(out, v, indent + 2);
			buf_addc(out, '\n');
		}
	}
}

static void
yaml_value(struct buf *out, json_object *v, int indent)
{
	if (json_object_is_type(v, json_type_object)) {
		if (json_object_object_length(v) == 0)
			buf_adds(out, "{}");
		else
			yaml_members(out, v, indent, 0);
		return;
	}
	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		if (n == 0)
			buf_adds(out, "[]");
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, i);
			buf_printf(out, "%*s- ", indent, "");
			if (json_object_is_type(e, json_type_object) &&
			    json_object_object_length(e) > 0)
				yaml_members(out, e, indent + 2, 1);
			else if (is_block(e)) {
				buf_addc(out, '\n');
				yaml_value(out, e, indent + 2);
			} else {
				yaml_value(out, e, indent + 2);
				buf_addc(out, '\n');
			}
		}
		return;
	}
	yaml_scalar(out, v);
}

void
api_json_to_yaml(const char *id, json_object *entry, struct buf *out)
{
	buf_printf(out, "%s:", id);
	if (!is_block(entry)) {
		buf_adds(out, " {}\n");
		return;
	}
	buf_addc(out, '\n');
	yaml_members(out, entry, 2, 0);
}

json_object *
api_json_merge_patch(json_object *target, json_object *patch)
{
	json_object *res, *cur;

	if (!json_object_is_type(patch, json_type_object)) {
		json_object *copy = NULL;
		json_object_deep_copy(patch, &copy, NULL);
		return copy;
	}
	res = NULL;
	if (json_object_is_type(target, json_type_object))
		json_object_deep_copy(target, &res, NULL);
	if (res == NULL)
		res = json_object_new_object();
	json_object_object_foreach(patch, k, v) {
		if (v == NULL) {
			json_object_object_del(res, k);
			continue;
		}
		cur = NULL;
		json_object_object_get_ex(res, k, &cur);
		json_object_object_add(res, k,
		    api_json_merge_patch(cur, v));
	}
	return res;
}
