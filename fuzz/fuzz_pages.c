/* Fuzz driver: the admin pages' request handling (route table, query
 * string parser, identifiers) with any request URI and user, and the HTML
 * escapers with any bytes.  Invariants: the answer is one of the statuses
 * the pages use, no markup from the input ever reaches a page (an
 * escaped text holds no < > " ' and is valid UTF-8), and no password of
 * the configuration does either (the phone page's previews and values). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "html.h"
#include "app_pages.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct app app;
static char dir[64];

static void
put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0)
		abort();
	fclose(f);
}

static void
cleanup(void)
{
	static const char *const names[] = { "phones.yml", "common.yml",
	    "serviceconfig.yml", ".report-key", NULL };
	char path[128];

	app_free(&app);
	for (int i = 0; names[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* One configuration for every input: two phones, auth on. */
static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/deskprov-fuzz-pages-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	put("phones.yml", "phones:\n  desk:\n    mac: \"00:11:22:33:44:55\"\n"
	    "    ip_address: \"127.0.0.1\"\n"
	    "    SIP_Secret_1_: \"fuzz-line-secret\"\n  nomac:\n"
	    "    ip_address: \"127.0.0.1\"\n");
	put("common.yml", "common:\n  Time_Zone: 'GMT+01:00'\n"
	    "  Admin_Password: 'fuzz-admin-secret'\n");
	put("serviceconfig.yml", "auth:\n  enabled: true\n  users:\n"
	    "    admin: {username: admin, role: admin}\n"
	    "    monitor: {username: monitor, role: monitor}\n");
	{
		struct app_options o = { .etc = dir, .schema_dir = dir,
		    .data_dir = dir };
		app_init(&app, "fuzz", &o);
		app.server = 1;	/* as compare.fcgi: makes its key */
	}
	if (app.cs.snap == NULL)
		abort();
	atexit(cleanup);
}

static void
check_escaped(const char *s, size_t n)
{
	struct buf b;

	buf_init(&b);
	html_textn(&b, s, n);
	if (b.len > 0 && (strpbrk(b.data, "<>\"'") != NULL ||
	    !utf8_ok(b.data, b.len) || strlen(b.data) != b.len))
		abort();
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const users[] = { "admin", "monitor", "eve", NULL };
	static const int ok[] = { 200, 400, 401, 403, 404, 405, 414, 503 };
	struct request rq;
	struct response rs;
	struct logline log;
	char *uri;
	int known = 0;

	if (app.cs.prog == NULL)
		setup();
	check_escaped((const char *)data, size);
	uri = malloc(size + 1);
	memcpy(uri, data, size);
	uri[size] = '\0';
	memset(&rq, 0, sizeof(rq));
	rq.method = size > 0 && data[0] == 'H' ? "HEAD" : "GET";
	rq.uri = uri;
	rq.remote_user = users[size % 4];
	response_init(&rs);
	logline_start(&log, "fuzz");
	app_pages_handle(&app, &rq, &rs, &log);
	logline_discard(&log);
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		known |= rs.status == ok[i];
	if (!known || (rs.body.data != NULL && (strstr(rs.body.data,
	    "<script") != NULL || strstr(rs.body.data, "-secret") != NULL)))
		abort();
	response_free(&rs);
	free(uri);
	return 0;
}
