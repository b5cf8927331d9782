/* Runs the official Mustache specification (mustache/spec JSON files) on
 * the engine: mustache_spec <spec directory>.  Prints "<file>: N passed,
 * M failed" per file, each failure with what was expected and what came,
 * then "N passed, M failed, K skipped" for all files; exits 1 if anything
 * failed.  ~lambdas needs code in the data: its tests are counted as
 * skipped, one by one.  The directory must be there and hold tests: a
 * missing, unreadable or empty one fails (whether the suite is expected at
 * all is the Makefile's decision, made before calling this). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "mustache.h"

struct totals {
	unsigned	 passed, failed, skipped;
};

/* Partials come from the test's "partials" object. */
static int
spec_loader(void *ctx, const char *name, char **out, size_t *len)
{
	json_object *partials = ctx, *p;

	if (partials == NULL || !json_object_object_get_ex(partials, name, &p) ||
	    !json_object_is_type(p, json_type_string))
		return MUSTACHE_LOAD_MISSING;
	*len = (size_t)json_object_get_string_len(p);
	*out = xstrndup(json_object_get_string(p), *len);
	return MUSTACHE_LOAD_OK;
}

static const char *
str_field(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void
show(struct buf *report, const char *label, const char *s, size_t n)
{
	buf_printf(report, "    %s ", label);
	buf_add_json_str(report, s, n);
	buf_addc(report, '\n');
}

/* Returns 1 when the test passes; otherwise says why in `report`. */
static int
run_test(json_object *test, struct buf *report)
{
	struct mustache_opts opts = { 0 };
	struct diag err;
	const char *tmpl = str_field(test, "template");
	const char *want = str_field(test, "expected");
	json_object *data = NULL, *partials = NULL;
	struct buf out;
	int ok;

	if (tmpl == NULL || want == NULL) {
		buf_printf(report, "  FAIL %s: no template or expected text\n",
		    str_field(test, "name"));
		return 0;
	}
	json_object_object_get_ex(test, "data", &data);
	json_object_object_get_ex(test, "partials", &partials);
	opts.loader_ctx = partials;
	opts.loader = spec_loader;
	buf_init(&out);
	if (mustache_render_text(tmpl, strlen(tmpl), "template", data, &opts,
	    &out, &err) == -1) {
		buf_free(&out);
		buf_printf(&out, "error: %s:%u: %s", err.file, err.line, err.msg);
	}
	ok = out.len == strlen(want) && memcmp(out.data ? out.data : "", want,
	    out.len) == 0;
	if (!ok) {
		buf_printf(report, "  FAIL %s\n", str_field(test, "name"));
		show(report, "template:", tmpl, strlen(tmpl));
		show(report, "expected:", want, strlen(want));
		show(report, "got:     ", out.data ? out.data : "", out.len);
	}
	buf_free(&out);
	return ok;
}

/* The "tests" array of the spec file dir/file, or NULL (counted as a
 * failure) when it cannot be read; *spec is to be released by the caller
 * with json_object_put. */
static json_object *
spec_tests(const char *dir, const char *file, json_object **spec,
    struct totals *all)
{
	char path[4096];
	json_object *tests;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((*spec = json_object_from_file(path)) == NULL ||
	    !json_object_object_get_ex(*spec, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array)) {
		printf("%s: cannot read the tests\n", file);
		all->failed++;
		return NULL;
	}
	return tests;
}

static void
run_file(const char *dir, const char *file, struct totals *all)
{
	json_object *spec, *tests;
	struct totals t = { 0, 0, 0 };
	struct buf report;
	size_t i, n;

	if ((tests = spec_tests(dir, file, &spec, all)) == NULL)
		goto out;
	buf_init(&report);
	n = json_object_array_length(tests);
	for (i = 0; i < n; i++) {
		if (run_test(json_object_array_get_idx(tests, i), &report))
			t.passed++;
		else
			t.failed++;
	}
	printf("%s: %u passed, %u failed\n%s", file, t.passed, t.failed,
	    report.data ? report.data : "");
	buf_free(&report);
	all->passed += t.passed;
	all->failed += t.failed;
out:
	json_object_put(spec);
}

/* Lambdas are code in the data, which a JSON file cannot carry for C:
 * each of the file's tests is counted as a skip, not left out. */
static void
skip_file(const char *dir, const char *file, struct totals *all)
{
	json_object *spec, *tests;
	size_t n;

	if ((tests = spec_tests(dir, file, &spec, all)) != NULL) {
		n = json_object_array_length(tests);
		printf("  skip  %s: %zu tests (lambdas need code in the data)\n",
		    file, n);
		all->skipped += (unsigned)n;
	}
	json_object_put(spec);
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json files of `dir`, sorted; caller frees each and the array. */
static char **
spec_files(DIR *d, size_t *count)
{
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, len;

	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(e->d_name);
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*count = n;
	return names;
}

int
main(int argc, char *argv[])
{
	struct totals all = { 0, 0, 0 };
	char **files;
	size_t i, n;
	DIR *d;

	if (argc != 2) {
		fprintf(stderr, "usage: mustache_spec <spec directory>\n");
		return 2;
	}
	if ((d = opendir(argv[1])) == NULL) {
		printf("mustache spec: %s: %s\n", argv[1], strerror(errno));
		printf("0 passed, 1 failed, 0 skipped\n");
		return 1;
	}
	files = spec_files(d, &n);
	closedir(d);
	for (i = 0; i < n; i++) {
		if (strncmp(files[i], "~lambdas", 8) == 0)
			skip_file(argv[1], files[i], &all);
		else
			run_file(argv[1], files[i], &all);
		free(files[i]);
	}
	free(files);
	if (all.passed + all.failed == 0) {
		printf("mustache spec: %s: no test ran (%zu spec files)\n",
		    argv[1], n);
		all.failed++;
	}
	printf("%u passed, %u failed, %u skipped\n", all.passed, all.failed,
	    all.skipped);
	return all.failed > 0 ? 1 : 0;
}
