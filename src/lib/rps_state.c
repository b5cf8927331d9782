#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "atomicfile.h"
#include "log.h"
#include "rps_state.h"

#define STATE_MAX	(16 * 1024)

static const char *const op_words[] = { "register", "deregister", "check" };

const char *
rps_op_word(enum rps_op op)
{
	return (unsigned)op < 3 ? op_words[op] : "unknown";
}

static void
state_name(char *out, size_t n, enum rps_provider p, const char *mac)
{
	snprintf(out, n, "%s-%s.json", rps_provider_name(p), mac);
}

static void
get_str(json_object *o, const char *key, char *dst, size_t n)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(dst, n, "%s", json_object_get_string(v));
}

static long long
get_int(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    (long long)json_object_get_int64(v) : 0;
}

int
rps_state_load(const char *data_dir, enum rps_provider p, const char *mac,
    struct rps_state *st)
{
	char path[4096], name[64];
	char *text;
	size_t len;
	json_object *o;
	int rc;

	memset(st, 0, sizeof(*st));
	st->provider = p;
	snprintf(st->mac, sizeof(st->mac), "%s", mac);
	state_name(name, sizeof(name), p, mac);
	snprintf(path, sizeof(path), "%s/rps/%s", data_dir, name);
	if ((rc = af_read_path(path, STATE_MAX, &text, &len)) < 0)
		return rc == -ENOENT ? 0 : -1;
	o = json_tokener_parse(text);
	free(text);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -1;
	}
	get_str(o, "op", st->op, sizeof(st->op));
	get_str(o, "url", st->url, sizeof(st->url));
	get_str(o, "outcome", st->outcome, sizeof(st->outcome));
	get_str(o, "message", st->message, sizeof(st->message));
	st->when = get_int(o, "when");
	st->failures = (int)get_int(o, "failures");
	st->next_try = get_int(o, "next_try");
	json_object_put(o);
	return 1;
}

static json_object *
state_json(const struct rps_state *st)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "provider",
	    json_object_new_string(rps_provider_name(st->provider)));
	json_object_object_add(o, "mac", json_object_new_string(st->mac));
	json_object_object_add(o, "op", json_object_new_string(st->op));
	json_object_object_add(o, "url", json_object_new_string(st->url));
	json_object_object_add(o, "when", json_object_new_int64(st->when));
	json_object_object_add(o, "outcome",
	    json_object_new_string(st->outcome));
	json_object_object_add(o, "message",
	    json_object_new_string(st->message));
	json_object_object_add(o, "failures",
	    json_object_new_int(st->failures));
	json_object_object_add(o, "next_try",
	    json_object_new_int64(st->next_try));
	return o;
}

/* Written under a name of its own, then renamed over the old state:
 * readers see the old or the new file, never half of one. */
int
rps_state_save(const char *data_dir, const struct rps_state *st)
{
	char dir[4096], name[64], tmp[96];
	json_object *o = state_json(st);
	const char *text = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN);
	int dfd, rc;

	snprintf(dir, sizeof(dir), "%s/rps", data_dir);
	/* The data directory itself too: the tool may be the first to use
	 * it, before any server ran. */
	if ((mkdir(data_dir, 0750) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0750) < 0 && errno != EEXIST)) {
		rc = -errno;
		goto out;
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)) < 0) {
		rc = -errno;
		goto out;
	}
	state_name(name, sizeof(name), st->provider, st->mac);
	snprintf(tmp, sizeof(tmp), ".%s.%ld.tmp", name, (long)getpid());
	if ((rc = af_write_tmp(dfd, tmp, text, strlen(text), 0640)) == 0 &&
	    renameat(dfd, tmp, dfd, name) < 0) {
		rc = -errno;
		af_discard(dfd, tmp);
	}
	close(dfd);
out:
	json_object_put(o);
	return rc;
}

void
rps_state_record(struct rps_state *st, const struct rps_request *rq,
    const struct rps_result *res, long long now)
{
	int ok = res->outcome == RPS_OK;
	long long backoff = 60;

	st->provider = rq->provider;
	snprintf(st->mac, sizeof(st->mac), "%s", rq->mac);
	snprintf(st->outcome, sizeof(st->outcome), "%s",
	    rps_outcome_word(res->outcome));
	snprintf(st->message, sizeof(st->message), "%s", res->message);
	st->when = now;
	/* A check says whether the last registration still holds (a later
	 * register then sees "not_registered" and sends again); it leaves
	 * the operation, URL and retry schedule alone. */
	if (rq->op == RPS_OP_CHECK) {
		if (st->op[0] == '\0')
			snprintf(st->op, sizeof(st->op), "check");
		return;
	}
	snprintf(st->op, sizeof(st->op), "%s", rps_op_word(rq->op));
	if (rq->op == RPS_OP_REGISTER)
		snprintf(st->url, sizeof(st->url), "%s", rq->url);
	else if (ok)
		st->url[0] = '\0';
	st->failures = ok ? 0 : st->failures + 1;
	for (int i = 1; i < st->failures && backoff < 6 * 3600; i++)
		backoff *= 2;
	st->next_try = ok ? 0 : now + (backoff < 6 * 3600 ? backoff : 6 * 3600);
}

int
rps_state_summary(const char *data_dir, const char *mac, struct buf *out)
{
	struct rps_state st;
	char when[32];
	int n = 0;

	for (int p = 0; p < RPS__COUNT; p++) {
		if (rps_state_load(data_dir, p, mac, &st) != 1)
			continue;
		format_utc(when, sizeof(when), st.when);
		buf_printf(out, "%s%s %s: %s, %s", n++ ? "; " : "",
		    rps_provider_name(p), st.op, st.outcome, when);
	}
	return n;
}
