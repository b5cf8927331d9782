#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "api_import.h"
#include "api_json.h"
#include "api_ops.h"
#include "atomicfile.h"
#include "devstore.h"
#include "ident.h"

/* ---- CSV ---- */

enum col {
	C_MAC, C_MODEL, C_VENDOR, C_USER, C_PASSWORD, C_DISPLAY, C_AUTH,
	C_LINE, C_SERVER, C_LABEL, C_ID, C_TZ, C_DESCRIPTION, C_COUNT
};

/* Column names as the tools write them, folded (lowercase, no ' ' '-'
 * '_'): Yealink's and Grandstream's bulk sheets, Sonata's field names. */
static const struct {
	const char	*name;
	enum col	 col;
} col_names[] = {
	{ "mac", C_MAC }, { "macaddress", C_MAC }, { "model", C_MODEL },
	{ "vendor", C_VENDOR }, { "brand", C_VENDOR },
	{ "manufacturer", C_VENDOR }, { "account", C_USER },
	{ "user", C_USER }, { "username", C_USER }, { "userid", C_USER },
	{ "extension", C_USER }, { "sipuser", C_USER },
	{ "password", C_PASSWORD }, { "secret", C_PASSWORD },
	{ "sippassword", C_PASSWORD }, { "displayname", C_DISPLAY },
	{ "sipname", C_DISPLAY }, { "authuser", C_AUTH },
	{ "authname", C_AUTH }, { "authid", C_AUTH }, { "sipauth", C_AUTH },
	{ "line", C_LINE }, { "account#", C_LINE }, { "server", C_SERVER },
	{ "sipserver", C_SERVER }, { "registrar", C_SERVER },
	{ "sipregister", C_SERVER }, { "label", C_LABEL }, { "id", C_ID },
	{ "name", C_ID }, { "deviceid", C_ID }, { "timezone", C_TZ },
	{ "description", C_DESCRIPTION },
};

static int
fold_col(const char *s)
{
	char f[64];
	size_t n = 0;

	for (; *s != '\0' && n < sizeof(f) - 1; s++)
		if (*s != ' ' && *s != '-' && *s != '_')
			f[n++] = (char)tolower((unsigned char)*s);
	f[n] = '\0';
	for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++)
		if (strcmp(col_names[i].name, f) == 0)
			return (int)col_names[i].col;
	return -1;
}

struct csv {
	const char	*p, *end;
	char		 sep;
	unsigned	 line;		/* where the reader is */
	unsigned	 rec_line;	/* where the record began */
	char		 field[CSV_FIELDS_MAX][CSV_FIELD_MAX];
	size_t		 n;
};

/* One field at p, quoted or not; -1 on a broken quote or a field too
 * long. */
static int
csv_field(struct csv *c, char *out)
{
	size_t n = 0;
	int quoted = c->p < c->end && *c->p == '"';

	if (quoted)
		c->p++;
	while (c->p < c->end) {
		char ch = *c->p;
		if (quoted && ch == '"') {
			if (c->p + 1 < c->end && c->p[1] == '"')
				c->p++;
			else {
				quoted = 0;
				c->p++;
				continue;
			}
		} else if (!quoted && (ch == c->sep || ch == '\n' ||
		    ch == '\r'))
			break;
		if (ch == '\n')
			c->line++;
		if (n == CSV_FIELD_MAX - 1)
			return -1;
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	return quoted ? -1 : 0;
}

/* The next record: 1, 0 at the end, -1 with err. */
static int
csv_record(struct csv *c, char *err, size_t errsz)
{
	while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
		c->line += *c->p == '\n';
		c->p++;
	}
	if (c->p >= c->end)
		return 0;
	c->n = 0;
	c->rec_line = c->line;
	for (;;) {
		if (c->n == CSV_FIELDS_MAX) {
			snprintf(err, errsz, "line %u: more than %d fields",
			    c->rec_line, CSV_FIELDS_MAX);
			return -1;
		}
		if (csv_field(c, c->field[c->n++]) < 0) {
			snprintf(err, errsz, "line %u: a broken quote or a "
			    "field longer than %d bytes", c->rec_line,
			    CSV_FIELD_MAX - 1);
			return -1;
		}
		if (c->p >= c->end || *c->p != c->sep)
			return 1;
		c->p++;
	}
}

/* The vendor whose pack lists the MAC's OUI, or NULL. */
static const char *
vendor_by_oui(const struct snapshot *s, const char *mac)
{
	for (size_t i = 0; s != NULL && i < s->packs.n; i++)
		for (size_t j = 0; j < s->packs.packs[i].n_ouis; j++)
			if (strncmp(s->packs.packs[i].ouis[j], mac, 6) == 0)
				return s->packs.packs[i].name;
	return NULL;
}

static json_object *
find_item(json_object *list, const char *id)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *it = json_object_array_get_idx(list, i), *v;
		json_object_object_get_ex(it, "id", &v);
		if (strcmp(json_object_get_string(v), id) == 0)
			return it;
	}
	return NULL;
}

static void
set_str(json_object *o, const char *k, const char *v)
{
	if (v != NULL && *v != '\0')
		json_object_object_add(o, k, json_object_new_string(v));
}

/* A device's item for a row (made on its first row), then the row's
 * account. */
static int
csv_row(struct csv *c, const int *map, const struct snapshot *s,
    json_object *list, char *err, size_t errsz)
{
	const char *f[C_COUNT] = { 0 };
	char mac[MAC_LEN + 1] = "", id[DEVSTORE_ID_MAX + 1];
	json_object *it, *dev, *acc, *a;
	long line = 1;

	for (size_t i = 0; i < c->n; i++)
		if (map[i] >= 0)
			f[map[i]] = c->field[i];
	if (f[C_MAC] && *f[C_MAC] && mac_parse(f[C_MAC], strlen(f[C_MAC]),
	    mac) != MAC_OK) {
		snprintf(err, errsz, "line %u: not a MAC address", c->rec_line);
		return -1;
	}
	snprintf(id, sizeof(id), "%s", f[C_ID] && *f[C_ID] ? f[C_ID] : mac);
	if (id[0] == '\0') {
		snprintf(err, errsz, "line %u: neither a MAC nor an id",
		    c->rec_line);
		return -1;
	}
	if (f[C_LINE] && *f[C_LINE] && ((line = strtol(f[C_LINE], NULL,
	    10)) < 1 || line > 32)) {
		snprintf(err, errsz, "line %u: line must be 1 to 32", c->rec_line);
		return -1;
	}
	if ((it = find_item(list, id)) == NULL) {
		it = json_object_new_object();
		dev = json_object_new_object();
		json_object_object_add(it, "id", json_object_new_string(id));
		json_object_object_add(it, "device", dev);
		json_object_array_add(list, it);
		set_str(dev, "vendor", f[C_VENDOR] && *f[C_VENDOR] ?
		    f[C_VENDOR] : mac[0] ? vendor_by_oui(s, mac) : NULL);
		set_str(dev, "model", f[C_MODEL]);
		set_str(dev, "mac", mac);
		set_str(dev, "timezone", f[C_TZ]);
		set_str(dev, "description", f[C_DESCRIPTION]);
		json_object_object_add(dev, "accounts",
		    json_object_new_array());
	}
	json_object_object_get_ex(it, "device", &dev);
	json_object_object_get_ex(dev, "accounts", &acc);
	if (!f[C_USER] && !f[C_PASSWORD] && !f[C_DISPLAY])
		return 0;
	a = json_object_new_object();
	json_object_object_add(a, "line", json_object_new_int64(line));
	set_str(a, "user", f[C_USER]);
	set_str(a, "password", f[C_PASSWORD]);
	set_str(a, "display_name", f[C_DISPLAY]);
	set_str(a, "auth_user", f[C_AUTH]);
	set_str(a, "label", f[C_LABEL]);
	if (f[C_SERVER] && *f[C_SERVER]) {
		json_object *srv = json_object_new_object();
		set_str(srv, "host", f[C_SERVER]);
		json_object_object_add(a, "server", srv);
	}
	json_object_array_add(acc, a);
	return 0;
}

static void
failed_item(json_object *list, unsigned line, const char *why)
{
	json_object *it = json_object_new_object();
	char id[32];

	snprintf(id, sizeof(id), "line %u", line);
	json_object_object_add(it, "id", json_object_new_string(id));
	json_object_object_add(it, "error", json_object_new_string(why));
	json_object_array_add(list, it);
}

int
api_import_csv(const char *text, size_t n, const struct snapshot *s,
    json_object **out, char *err, size_t errsz)
{
	struct csv *c = xcalloc(1, sizeof(*c));
	int map[CSV_FIELDS_MAX], rc;
	size_t head = strcspn(text, "\n");
	size_t commas = 0, semis = 0;

	for (size_t i = 0; i < head && i < n; i++)
		commas += text[i] == ',', semis += text[i] == ';';
	*c = (struct csv){ .p = text, .end = text + n, .line = 1,
	    .sep = semis > commas ? ';' : ',' };
	*out = json_object_new_array();
	if ((rc = csv_record(c, err, errsz)) <= 0) {
		if (rc == 0)
			snprintf(err, errsz, "no header row");
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < c->n; i++)
		if ((map[i] = fold_col(c->field[i])) < 0) {
			snprintf(err, errsz, "line 1: unknown column %zu (the "
			    "columns: mac, model, vendor, account, password, "
			    "display name, auth user, line, server, label, id, "
			    "timezone, description)", i + 1);
			rc = -1;
			goto out;
		}
	for (size_t ncol = c->n; (rc = csv_record(c, err, errsz)) > 0;) {
		if (c->n > ncol) {
			snprintf(err, errsz, "line %u: more fields than "
			    "columns", c->rec_line);
			rc = -1;
			break;
		}
		if (json_object_array_length(*out) >= IMPORT_DEVICES_MAX) {
			snprintf(err, errsz, "more than %d devices",
			    IMPORT_DEVICES_MAX);
			rc = -1;
			break;
		}
		/* A bad row fails alone, with its reason. */
		if (csv_row(c, map, s, *out, err, errsz) < 0)
			failed_item(*out, c->rec_line, err);
		err[0] = '\0';
	}
out:
	free(c);
	if (rc < 0) {
		json_object_put(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ---- JSON ---- */

static int
json_item(json_object *v, json_object *list, char *err, size_t errsz)
{
	json_object *id = NULL, *dev = NULL, *mac = NULL, *it;
	char m[MAC_LEN + 1];

	if (!json_object_is_type(v, json_type_object)) {
		snprintf(err, errsz, "every item must be an object");
		return -1;
	}
	it = json_object_new_object();
	if (json_object_object_get_ex(v, "id", &id) &&
	    json_object_object_get_ex(v, "device", &dev)) {
		json_object_object_add(it, "id", json_object_get(id));
		json_object_object_add(it, "device", json_object_get(dev));
	} else if (json_object_object_get_ex(v, "mac", &mac) &&
	    json_object_is_type(mac, json_type_string) &&
	    mac_parse(json_object_get_string(mac), (size_t)
	    json_object_get_string_len(mac), m) == MAC_OK) {
		json_object_object_add(it, "id", json_object_new_string(m));
		json_object_object_add(it, "device", json_object_get(v));
	} else {
		json_object_put(it);
		snprintf(err, errsz, "an item has neither id and device nor "
		    "a MAC");
		return -1;
	}
	json_object_array_add(list, it);
	return 0;
}

int
api_import_json(const char *text, size_t n, json_object **out, char *err,
    size_t errsz)
{
	json_object *doc;
	int rc = 0;

	*out = NULL;
	if (api_json_parse(text, n, &doc, err, errsz) < 0)
		return -1;
	*out = json_object_new_array();
	if (json_object_is_type(doc, json_type_array))
		for (size_t i = 0; i < json_object_array_length(doc) &&
		    rc == 0; i++)
			rc = json_item(json_object_array_get_idx(doc, i), *out,
			    err, errsz);
	else
		rc = json_item(doc, *out, err, errsz);
	json_object_put(doc);
	if (rc < 0) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

/* ---- writing ---- */

/* Checks every item into the batch (nothing written yet), counting
 * what each would do; a refused item is one line on out. */
static void
put_items(struct api_batch *b, json_object *list, FILE *out,
    struct import_summary *sum)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *it = json_object_array_get_idx(list, i), *id, *dev;
		struct api_problem pb;
		enum api_change ch;

		json_object_object_get_ex(it, "id", &id);
		api_problem_init(&pb);
		if (json_object_object_get_ex(it, "error", &dev)) {
			fprintf(out, "%s\n", json_object_get_string(dev));
			sum->failed++;
			continue;
		}
		json_object_object_get_ex(it, "device", &dev);
		if (api_ops_batch_put(b, &(struct api_write){ .id =
		    json_object_get_string(id), .body = dev, .base = "" },
		    &ch, &pb) < 0) {
			fprintf(out, "%s: %d %s\n", json_object_get_string(id),
			    pb.status, pb.msg);
			if (pb.fields != NULL)
				fprintf(out, "%s:     fields %s\n",
				    json_object_get_string(id),
				    json_object_to_json_string(pb.fields));
			sum->failed++;
		} else if (ch == API_CREATED)
			sum->created++;
		else if (ch == API_UPDATED)
			sum->updated++;
		else
			sum->unchanged++;
		api_problem_free(&pb);
	}
}

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

static int
import_file(struct api_batch *b, const char *path,
    FILE *out, struct import_summary *sum)
{
	char *data, err[256];
	json_object *list = NULL;
	size_t len;
	int rc = af_read_path(path, IMPORT_FILE_MAX, &data, &len);

	if (rc < 0) {
		fprintf(out, "%s: cannot read: %s\n", path, strerror(-rc));
		return -1;
	}
	if (has_suffix(path, ".csv"))
		rc = api_import_csv(data, len, api_ops_batch_snapshot(b),
		    &list, err, sizeof(err));
	else
		rc = api_import_json(data, len, &list, err, sizeof(err));
	free(data);
	if (rc < 0) {
		fprintf(out, "%s: %s\n", path, err);
		return -1;
	}
	put_items(b, list, out, sum);
	json_object_put(list);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.csv and *.json files of a directory, sorted (caller frees each
 * and the array); -1 when it cannot be read. */
static int
dir_files(const char *path, char ***names, size_t *n)
{
	struct dirent *e;
	DIR *d;

	*names = NULL;
	*n = 0;
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && *n < 4096)
		if (e->d_name[0] != '.' && (has_suffix(e->d_name, ".csv") ||
		    has_suffix(e->d_name, ".json"))) {
			*names = xrealloc(*names, (*n + 1) * sizeof(**names));
			(*names)[(*n)++] = xstrdup(e->d_name);
		}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), by_name);
	return 0;
}

/* Every file of path (a file or a directory) into the batch. */
static int
import_all(struct api_batch *b, const char *path, FILE *out,
    struct import_summary *sum)
{
	char **names, full[4200];
	struct stat st;
	size_t n;
	int rc = 0;

	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return import_file(b, path, out, sum);
	if (dir_files(path, &names, &n) < 0) {
		fprintf(out, "%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		if (import_file(b, full, out, sum) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

struct unwritten {
	FILE			*out;
	struct import_summary	*sum;
};

/* A device checked but not written counts as failed (the summary says
 * what is on disk). */
static void
unwritten(void *ctx, const char *id, enum api_change ch,
    const struct api_problem *pb)
{
	struct unwritten *u = ctx;

	fprintf(u->out, "%s: %d %s\n", id, pb->status, pb->msg);
	if (ch == API_CREATED && u->sum->created > 0)
		u->sum->created--;
	else if (u->sum->updated > 0)
		u->sum->updated--;
	u->sum->failed++;
}

int
api_import_path(struct app *app, const char *path, int dry_run, FILE *out,
    struct import_summary *sum)
{
	struct unwritten u = { out, sum };
	struct api_problem pb;
	struct api_batch *b;
	int rc;

	memset(sum, 0, sizeof(*sum));
	api_problem_init(&pb);
	if ((b = api_ops_batch_new(app, dry_run, &pb)) == NULL) {
		fprintf(out, "%s: %d %s\n", path, pb.status, pb.msg);
		return -1;
	}
	rc = import_all(b, path, out, sum);
	api_ops_batch_commit(b, unwritten, &u);
	api_ops_batch_free(b);
	return rc;
}
