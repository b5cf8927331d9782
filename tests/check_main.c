/* Runs every Check suite in tests/check_*.c.  The list of suites is made by
 * the Makefile from the `Suite *<name>_suite(void)` definitions.
 *
 * Check has no skip of its own: a test that cannot run here (data beside
 * the checkout missing, a system file absent) calls TU_SKIP(), which prints
 * a "skip" line and counts it in a page shared with the forked test
 * processes, so that the count survives the fork.  Each suite runs in its
 * own runner so that a suite that ran no test at all is caught (a typo in
 * CK_RUN_SUITE, a suite whose tests were all left out): that fails the run.
 * The last line is "N passed, N failed, N skipped", the form `make check`
 * adds up over its stages.
 *   CK_RUN_SUITE, CK_RUN_CASE  as in Check (one suite, one test case)
 *   CK_VERBOSITY=normal|verbose  Check's own output per suite */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "testutil.h"

#define SUITE(name)	Suite *name(void);
#include "suites.h"
#undef SUITE

/* The number of skipped tests, in a page shared with every forked test
 * process. */
static struct {
	unsigned	 n;
} *skips;

void
tu_skip(const char *file, const char *test, const char *fmt, ...)
{
	va_list ap;

	printf("  skip  %s: %s: ", file, test);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (skips != NULL)
		skips->n++;
}

struct totals {
	unsigned	 suites, run, failed, skipped;
};

/* Runs one suite (made by make_suite, named name) unless CK_RUN_SUITE
 * names another; adds its counts to t.  Returns 1 when it ran no test,
 * which is a failure unless CK_RUN_CASE left its test cases out. */
static int
run_suite(const char *name, Suite *(*make_suite)(void), struct totals *t)
{
	const char *only = getenv("CK_RUN_SUITE");
	enum print_output mode = getenv("CK_VERBOSITY") ? CK_ENV : CK_SILENT;
	unsigned skipped0 = skips->n;
	SRunner *sr;
	int run, failed;

	if (only != NULL && *only != '\0' && strcmp(only, name) != 0)
		return 0;
	sr = srunner_create(make_suite());
	srunner_run_all(sr, mode);
	run = srunner_ntests_run(sr);
	failed = srunner_ntests_failed(sr);
	if (failed > 0 && mode == CK_SILENT)
		srunner_print(sr, CK_NORMAL);	/* Check's own failure lines */
	srunner_free(sr);
	t->suites++;
	t->run += (unsigned)run;
	t->failed += (unsigned)failed;
	t->skipped += skips->n - skipped0;
	if (run == 0 && getenv("CK_RUN_CASE") == NULL) {
		printf("FAIL  suite %s ran no test\n", name);
		return 1;
	}
	if (run > 0 && skips->n - skipped0 == (unsigned)run)
		printf("  note  suite %s: every one of its %d tests skipped\n",
		    name, run);
	return 0;
}

/* "report" for "report_suite": the name Check's CK_RUN_SUITE matches
 * (every suite_create() names its suite after its file). */
static const char *
suite_name(const char *fn)
{
	static char name[64];
	size_t n = strlen(fn) - strlen("_suite");

	snprintf(name, sizeof(name), "%.*s", (int)n, fn);
	return name;
}

int
main(void)
{
	struct totals t = { 0, 0, 0, 0 };
	unsigned empty = 0;

	skips = mmap(NULL, sizeof(*skips), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skips == MAP_FAILED) {
		perror("check_all: mmap");
		return EXIT_FAILURE;
	}
	skips->n = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
#define SUITE(fn)	empty += (unsigned)run_suite(suite_name(#fn), fn, &t);
#include "suites.h"
#undef SUITE
	if (t.run == 0) {
		printf("FAIL  no test ran (CK_RUN_SUITE=%s CK_RUN_CASE=%s)\n",
		    getenv("CK_RUN_SUITE") ? getenv("CK_RUN_SUITE") : "",
		    getenv("CK_RUN_CASE") ? getenv("CK_RUN_CASE") : "");
		empty++;
	}
	printf("unit: %u suites, %u tests\n", t.suites, t.run);
	printf("%u passed, %u failed, %u skipped\n",
	    t.run - t.failed - t.skipped, t.failed + empty, t.skipped);
	return t.failed == 0 && empty == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
