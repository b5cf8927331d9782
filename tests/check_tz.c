/* Time zones from the system zoneinfo: zone names, POSIX TZ strings, TZif
 * files (real, crafted and truncated) and the JSON templates see.
 *
 * The zone rows pin the footers of tzdata 2025b; when tzdata changes a
 * zone's rules, its row changes with it.  Europe/Dublin is checked through
 * its JSON only, which is the same whether tzdata was built "vanguard"
 * (IST-1GMT0,...) or "rearguard" (GMT0IST,...). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "tz.h"

#define NROWS(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define SYSTEM_ZONEINFO	"/usr/share/zoneinfo"

/* ---- names ---- */

static const struct {
	int		 line;
	const char	*name;
	int		 want;
} names[] = {
	{ __LINE__, "Europe/Rome", 1 },
	{ __LINE__, "UTC", 1 },
	{ __LINE__, "Etc/GMT+5", 1 },
	{ __LINE__, "Etc/GMT-14", 1 },
	{ __LINE__, "America/Argentina/Buenos_Aires", 1 },
	{ __LINE__, "America/Port-au-Prince", 1 },
	{ __LINE__, "EST5EDT", 1 },
	{ __LINE__, "a", 1 },
	{ __LINE__, "0123456789012345678901234567890123456789012345678901234567890123",
	    1 },
	{ __LINE__, "01234567890123456789012345678901234567890123456789012345678901234",
	    0 },
	{ __LINE__, "", 0 },
	{ __LINE__, "/", 0 },
	{ __LINE__, "/etc/passwd", 0 },
	{ __LINE__, "../etc/passwd", 0 },
	{ __LINE__, "Europe/../../x", 0 },
	{ __LINE__, "Europe/./Rome", 0 },
	{ __LINE__, ".", 0 },
	{ __LINE__, "..", 0 },
	{ __LINE__, "Europe//Rome", 0 },
	{ __LINE__, "Europe/", 0 },
	{ __LINE__, "Europe/Rome ", 0 },
	{ __LINE__, "Europe\\Rome", 0 },
	{ __LINE__, "zone.tab", 0 },
	{ __LINE__, "Europe/Rome\n", 0 },
	{ __LINE__, "Europe/Rom%65", 0 },
	{ __LINE__, "Europe/Z\xc3\xbcrich", 0 },
	{ __LINE__, "~root", 0 },
	{ __LINE__, "$HOME", 0 },
};

START_TEST(test_name_ok)
{
	ck_assert_msg(tz_name_ok(names[_i].name) == names[_i].want,
	    "line %d: '%s' should be %s", names[_i].line, names[_i].name,
	    names[_i].want ? "accepted" : "refused");
}
END_TEST

START_TEST(test_name_ok_null)
{
	ck_assert_int_eq(tz_name_ok(NULL), 0);
}
END_TEST

/* ---- the facts of real zones and of POSIX strings ---- */

struct want {
	int		 line;
	const char	*in;		/* a zone name or POSIX string */
	const char	*posix;		/* the footer, for zones */
	const char	*std;
	int		 std_off;
	const char	*dst;		/* NULL: no DST */
	int		 dst_off;
	struct tz_rule	 start, end;
};

static const struct want zones[] = {
	{ __LINE__, "Europe/Rome", "CET-1CEST,M3.5.0,M10.5.0/3",
	    "CET", 3600, "CEST", 7200, { 3, 5, 0, 7200 }, { 10, 5, 0, 10800 } },
	{ __LINE__, "Europe/London", "GMT0BST,M3.5.0/1,M10.5.0",
	    "GMT", 0, "BST", 3600, { 3, 5, 0, 3600 }, { 10, 5, 0, 7200 } },
	{ __LINE__, "America/New_York", "EST5EDT,M3.2.0,M11.1.0",
	    "EST", -18000, "EDT", -14400, { 3, 2, 0, 7200 },
	    { 11, 1, 0, 7200 } },
	{ __LINE__, "Asia/Kolkata", "IST-5:30", "IST", 19800, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	/* A symbolic link in zoneinfo; the name asked for is kept. */
	{ __LINE__, "Asia/Calcutta", "IST-5:30", "IST", 19800, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3",
	    "AEST", 36000, "AEDT", 39600, { 10, 1, 0, 7200 },
	    { 4, 1, 0, 10800 } },
	{ __LINE__, "America/St_Johns", "NST3:30NDT,M3.2.0,M11.1.0",
	    "NST", -12600, "NDT", -9000, { 3, 2, 0, 7200 },
	    { 11, 1, 0, 7200 } },
	{ __LINE__, "Asia/Tehran", "<+0330>-3:30", "+0330", 12600, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "UTC", "UTC0", "UTC", 0, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "Etc/GMT+5", "<-05>5", "-05", -18000, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "Pacific/Chatham",
	    "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45",
	    "+1245", 45900, "+1345", 49500, { 9, 5, 0, 9900 },
	    { 4, 1, 0, 13500 } },
	/* Changes at -1:00 (23:00 the day before) and at 0:00. */
	{ __LINE__, "America/Nuuk", "<-02>2<-01>,M3.5.0/-1,M10.5.0/0",
	    "-02", -7200, "-01", -3600, { 3, 5, 0, -3600 }, { 10, 5, 0, 0 } },
	/* Half an hour of saving, two hours of saving. */
	{ __LINE__, "Australia/Lord_Howe",
	    "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0",
	    "+1030", 37800, "+11", 39600, { 10, 1, 0, 7200 },
	    { 4, 1, 0, 7200 } },
	{ __LINE__, "Antarctica/Troll", "<+00>0<+02>-2,M3.5.0/1,M10.5.0/3",
	    "+00", 0, "+02", 7200, { 3, 5, 0, 3600 }, { 10, 5, 0, 10800 } },
};

static const struct want strings[] = {
	/* Negative DST as written, correct by POSIX: IST (+1) is standard
	 * time, GMT the "DST" from October to March. */
	{ __LINE__, "IST-1GMT0,M10.5.0,M3.5.0/1", NULL,
	    "IST", 3600, "GMT", 0, { 10, 5, 0, 7200 }, { 3, 5, 0, 3600 } },
	{ __LINE__, "GMT0IST,M3.5.0/1,M10.5.0", NULL,
	    "GMT", 0, "IST", 3600, { 3, 5, 0, 3600 }, { 10, 5, 0, 7200 } },
	/* No rules: the tzcode and glibc default. */
	{ __LINE__, "EST5EDT", NULL,
	    "EST", -18000, "EDT", -14400, { 3, 2, 0, 7200 },
	    { 11, 1, 0, 7200 } },
	{ __LINE__, "<+0330>-3:30<+0430>", NULL,
	    "+0330", 12600, "+0430", 16200, { 3, 2, 0, 7200 },
	    { 11, 1, 0, 7200 } },
	{ __LINE__, "EET-2EEST,M3.4.4/50,M10.4.4/50", NULL,
	    "EET", 7200, "EEST", 10800, { 3, 4, 4, 180000 },
	    { 10, 4, 4, 180000 } },
	{ __LINE__, "<-04>4<-03>,M9.1.6/24,M4.1.6/24", NULL,
	    "-04", -14400, "-03", -10800, { 9, 1, 6, 86400 },
	    { 4, 1, 6, 86400 } },
	{ __LINE__, "EST5EDT4,M3.2.0/2:00:00,M11.1.0/2:00:00", NULL,
	    "EST", -18000, "EDT", -14400, { 3, 2, 0, 7200 },
	    { 11, 1, 0, 7200 } },
	{ __LINE__, "CET-1CEST-2,M03.5.0,M10.5.0/+3", NULL,
	    "CET", 3600, "CEST", 7200, { 3, 5, 0, 7200 }, { 10, 5, 0, 10800 } },
	{ __LINE__, "ABC+5DEF+3,M1.1.1/-167,M12.5.6/167:59:59", NULL,
	    "ABC", -18000, "DEF", -10800, { 1, 1, 1, -601200 },
	    { 12, 5, 6, 604799 } },
	{ __LINE__, "CET-1:00:00", NULL, "CET", 3600, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "AAA+24", NULL, "AAA", -86400, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "AAA-24:59:59", NULL, "AAA", 89999, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "<A1+>03", NULL, "A1+", -10800, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "abcdefghijklmno0", NULL, "abcdefghijklmno", 0, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
	{ __LINE__, "<-00>0", NULL, "-00", 0, NULL, 0,
	    { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
};

static void
assert_rule(int line, const char *what, const struct tz_rule *got,
    const struct tz_rule *want)
{
	ck_assert_msg(got->month == want->month && got->week == want->week &&
	    got->weekday == want->weekday && got->time_s == want->time_s,
	    "line %d: %s rule M%d.%d.%d/%ds, want M%d.%d.%d/%ds", line, what,
	    got->month, got->week, got->weekday, got->time_s, want->month,
	    want->week, want->weekday, want->time_s);
}

static void
assert_facts(const struct want *w, const struct tzinfo *tz)
{
	static const struct tz_rule none;

	ck_assert_msg(strcmp(tz->std_abbr, w->std) == 0 &&
	    tz->std_offset_s == w->std_off,
	    "line %d: standard time %s %d, want %s %d", w->line, tz->std_abbr,
	    tz->std_offset_s, w->std, w->std_off);
	ck_assert_msg(tz->has_dst == (w->dst != NULL), "line %d: has_dst %d",
	    w->line, tz->has_dst);
	if (w->dst == NULL) {
		ck_assert_str_eq(tz->dst_abbr, "");
		ck_assert_int_eq(tz->dst_offset_s, 0);
		assert_rule(w->line, "no start", &tz->start, &none);
		assert_rule(w->line, "no end", &tz->end, &none);
		return;
	}
	ck_assert_msg(strcmp(tz->dst_abbr, w->dst) == 0 &&
	    tz->dst_offset_s == w->dst_off,
	    "line %d: DST %s %d, want %s %d", w->line, tz->dst_abbr,
	    tz->dst_offset_s, w->dst, w->dst_off);
	assert_rule(w->line, "start", &tz->start, &w->start);
	assert_rule(w->line, "end", &tz->end, &w->end);
}

START_TEST(test_load_zone)
{
	const struct want *w = &zones[_i];
	struct tzinfo tz;
	char err[256] = "";

	ck_assert_msg(tz_load(NULL, w->in, &tz, err, sizeof(err)) == 0,
	    "line %d: %s: %s", w->line, w->in, err);
	ck_assert_str_eq(tz.name, w->in);
	ck_assert_msg(strcmp(tz.posix, w->posix) == 0,
	    "line %d: footer '%s', want '%s'", w->line, tz.posix, w->posix);
	assert_facts(w, &tz);
}
END_TEST

START_TEST(test_parse_good)
{
	const struct want *w = &strings[_i];
	struct tzinfo tz;
	char err[256] = "";

	ck_assert_msg(tz_parse_posix(w->in, &tz, err, sizeof(err)) == 0,
	    "line %d: '%s' refused: %s", w->line, w->in, err);
	ck_assert_str_eq(tz.name, "");
	ck_assert_str_eq(tz.posix, w->in);
	assert_facts(w, &tz);
}
END_TEST

static const struct {
	int		 line;
	const char	*in;
	const char	*err;	/* part of the reason */
} bad_strings[] = {
	{ __LINE__, "", "expected a time zone abbreviation" },
	{ __LINE__, "5", "expected a time zone abbreviation" },
	{ __LINE__, "CET", "missing or bad UTC offset" },
	{ __LINE__, "CE-1", "shorter than 3" },
	{ __LINE__, "<>0", "shorter than 3" },
	{ __LINE__, "<+3>-3", "shorter than 3" },
	{ __LINE__, "abcdefghijklmnop0", "longer than 15" },
	{ __LINE__, "<+0123456789012345>0", "longer than 15" },
	{ __LINE__, "<+03", "bad <quoted>" },
	{ __LINE__, "<+03-3", "bad <quoted>" },
	{ __LINE__, "<+0 3>-3", "bad <quoted>" },
	{ __LINE__, "<+_3>0", "bad <quoted>" },
	{ __LINE__, "<", "bad <quoted>" },
	{ __LINE__, "C\xc3\x89T-1", "shorter than 3" },
	{ __LINE__, "CET-25", "missing or bad UTC offset" },
	{ __LINE__, "CET-1:60", "missing or bad UTC offset" },
	{ __LINE__, "CET-1:5", "missing or bad UTC offset" },
	{ __LINE__, "CET-1:05:6", "missing or bad UTC offset" },
	{ __LINE__, "CET-1:05:60", "missing or bad UTC offset" },
	{ __LINE__, "CET-1:", "missing or bad UTC offset" },
	{ __LINE__, "CET--1", "missing or bad UTC offset" },
	{ __LINE__, "CET+-1", "missing or bad UTC offset" },
	{ __LINE__, "CET-", "missing or bad UTC offset" },
	{ __LINE__, "CET-0001", "missing or bad UTC offset" },
	{ __LINE__, "CET\n-1", "missing or bad UTC offset" },
	{ __LINE__, "CET 1", "missing or bad UTC offset" },
	{ __LINE__, "CET1.5", "expected a time zone abbreviation" },
	{ __LINE__, "CET-1 ", "expected a time zone abbreviation" },
	{ __LINE__, "CET-1CE", "shorter than 3" },
	{ __LINE__, "CET-1CEST-", "bad DST offset" },
	{ __LINE__, "CET-1CEST-25,M3.5.0,M10.5.0", "bad DST offset" },
	{ __LINE__, "CET-1CEST;M3.5.0,M10.5.0", "bad DST offset" },
	{ __LINE__, "CET-1CEST,J60,J300", "unsupported DST rule" },
	{ __LINE__, "CET-1CEST,60,300", "unsupported DST rule" },
	{ __LINE__, "EST5EDT,0/0,J365/25", "unsupported DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.0,J300", "unsupported DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.0,", "bad DST rule" },
	{ __LINE__, "CET-1CEST,", "bad DST rule" },
	{ __LINE__, "CET-1CEST,,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M13.5.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M0.5.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.0.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.6.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.7,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.00,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M003.5.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3..0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,m3.5.0,M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.0;M10.5.0", "bad DST rule" },
	{ __LINE__, "CET-1CEST,M3.5.0/168,M10.5.0/3", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0/-168,M10.5.0/3", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0/,M10.5.0", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0/-,M10.5.0", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0/2:3,M10.5.0", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0/3:00:", "bad DST rule time" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0/3x", "unexpected text" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0,", "unexpected text" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0,M1.1.1", "unexpected text" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0\n", "unexpected text" },
	{ __LINE__, "CET-1CEST,M3.5.0,M10.5.0/99999999999999999999",
	    "bad DST rule time" },
	{ __LINE__, "CET-99999999999999999999", "missing or bad UTC offset" },
	{ __LINE__, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA0",
	    "longer than 127" },
};

START_TEST(test_parse_bad)
{
	struct tzinfo tz, zero;
	char err[256] = "";

	memset(&zero, 0, sizeof(zero));
	ck_assert_msg(tz_parse_posix(bad_strings[_i].in, &tz, err,
	    sizeof(err)) == -1, "line %d: accepted", bad_strings[_i].line);
	ck_assert_msg(strstr(err, bad_strings[_i].err) != NULL,
	    "line %d: reason '%s', want '%s'", bad_strings[_i].line, err,
	    bad_strings[_i].err);
	ck_assert_msg(strchr(err, '\n') == NULL, "line %d: two lines",
	    bad_strings[_i].line);
	ck_assert_msg(memcmp(&tz, &zero, sizeof(tz)) == 0,
	    "line %d: output not cleared", bad_strings[_i].line);
}
END_TEST

START_TEST(test_parse_edges)
{
	struct tzinfo tz;
	char err[64], s[130];

	ck_assert_int_eq(tz_parse_posix(NULL, &tz, err, sizeof(err)), -1);
	/* A short err buffer is cut, never overrun; none at all is fine. */
	ck_assert_int_eq(tz_parse_posix("CET", &tz, err, 8), -1);
	ck_assert_uint_eq(strlen(err), 7);
	ck_assert_int_eq(tz_parse_posix("CET", &tz, NULL, 0), -1);
	/* No valid string comes near 127 characters; the length check is
	 * reached by 128 and more, shorter junk by the parser. */
	memset(s, '0', sizeof(s));
	s[127] = '\0';
	ck_assert_int_eq(tz_parse_posix(s, &tz, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "expected a time zone abbreviation");
	s[127] = '0';
	s[128] = '\0';
	ck_assert_int_eq(tz_parse_posix(s, &tz, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "longer than 127"));
}
END_TEST

/* ---- writing POSIX strings ---- */

START_TEST(test_format_round_trip)
{
	const struct want *w = &strings[_i];
	struct tzinfo tz, again;
	char out[128], err[256] = "";

	ck_assert_int_eq(tz_parse_posix(w->in, &tz, err, sizeof(err)), 0);
	ck_assert_int_eq(tz_format_posix(&tz, out, sizeof(out)), 0);
	ck_assert_msg(tz_parse_posix(out, &again, err, sizeof(err)) == 0,
	    "line %d: '%s' wrote '%s': %s", w->line, w->in, out, err);
	memcpy(again.posix, tz.posix, sizeof(tz.posix));
	ck_assert_msg(memcmp(&tz, &again, sizeof(tz)) == 0,
	    "line %d: '%s' wrote '%s', which means something else", w->line,
	    w->in, out);
}
END_TEST

START_TEST(test_format_spelling)
{
	static const struct {
		int		 line;
		const char	*in, *out;
	} rows[] = {
		{ __LINE__, "EST5EDT", "EST5EDT,M3.2.0,M11.1.0" },
		{ __LINE__, "EST5EDT4,M3.2.0/2:00:00,M11.1.0/2",
		    "EST5EDT,M3.2.0,M11.1.0" },
		{ __LINE__, "CET-1:00:00", "CET-1" },
		{ __LINE__, "<CET>-1", "CET-1" },
		{ __LINE__, "<A1+>03", "<A1+>3" },
		{ __LINE__, "ABC+5DEF+3,M1.1.1/-167,M12.5.6/167:59:59",
		    "ABC5DEF3,M1.1.1/-167,M12.5.6/167:59:59" },
	};
	struct tzinfo tz;
	char out[128], err[256] = "";

	for (int i = 0; i < NROWS(rows); i++) {
		ck_assert_int_eq(tz_parse_posix(rows[i].in, &tz, err,
		    sizeof(err)), 0);
		ck_assert_int_eq(tz_format_posix(&tz, out, sizeof(out)), 0);
		ck_assert_msg(strcmp(out, rows[i].out) == 0,
		    "line %d: '%s' wrote '%s'", rows[i].line, rows[i].in, out);
	}
	ck_assert_int_eq(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(tz_format_posix(&tz, out, 26), -1);
	ck_assert_int_eq(tz_format_posix(&tz, out, 27), 0);
	ck_assert_str_eq(out, "CET-1CEST,M3.5.0,M10.5.0/3");
	ck_assert_int_eq(tz_format_posix(&tz, out, 0), -1);
}
END_TEST

/* ---- the JSON templates see ---- */

static const char *
json_text(json_object *o)
{
	return json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* Follows a dotted path of keys; NULL when one is missing. */
static json_object *
json_path(json_object *o, const char *path)
{
	char key[32];
	size_t n;

	while (o != NULL && *path != '\0') {
		n = strcspn(path, ".");
		ck_assert_uint_lt(n, sizeof(key));
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		path += n + (path[n] == '.');
	}
	return o;
}

/* The whole object for one zone, keys in order: the shape of tz.h. */
START_TEST(test_json_rome)
{
	struct tzinfo tz;
	json_object *o;
	char err[256] = "";

	ck_assert_int_eq(tz_load(NULL, "Europe/Rome", &tz, err, sizeof(err)),
	    0);
	o = tz_to_json(&tz);
	ck_assert_str_eq(json_text(o),
	    "{\"name\":\"Europe/Rome\",\"posix\":\"CET-1CEST,M3.5.0,M10.5.0/3\","
	    "\"offset_seconds\":3600,\"offset_minutes\":60,"
	    "\"offset_minutes_west\":-60,"
	    "\"offset_quarters\":4,\"offset_hours\":\"+1\","
	    "\"gmt\":\"GMT+01:00\",\"abbr\":\"CET\","
	    "\"dst\":{\"abbr\":\"CEST\",\"offset_seconds\":7200,"
	    "\"saving_seconds\":3600,\"saving_minutes\":60,"
	    "\"saving_hms\":\"1:0:0\","
	    "\"start\":{\"month\":3,\"week\":5,\"last\":true,\"weekday\":0,"
	    "\"weekday_mon1\":7,\"weekday_sun1\":1,\"mday\":-1,\"hour\":2,"
	    "\"minute\":0,\"time\":\"02:00:00\",\"time_s\":7200},"
	    "\"end\":{\"month\":10,\"week\":5,\"last\":true,\"weekday\":0,"
	    "\"weekday_mon1\":7,\"weekday_sun1\":1,\"mday\":-1,\"hour\":3,"
	    "\"minute\":0,\"time\":\"03:00:00\",\"time_s\":10800}}}");
	ck_assert(json_object_is_type(json_path(o, "offset_seconds"),
	    json_type_int));
	ck_assert(json_object_is_type(json_path(o, "dst.start.last"),
	    json_type_boolean));
	json_object_put(o);
	ck_assert_ptr_null(tz_to_json(NULL));
}
END_TEST

/* One value per row: `zone` is loaded, or else `posix` parsed; `want` is
 * the value's JSON text, NULL when the key must be absent. */
static const struct {
	int		 line;
	const char	*zone, *posix, *path, *want;
} json_rows[] = {
	{ __LINE__, "America/New_York", NULL, "offset_hours", "\"-5\"" },
	{ __LINE__, "America/New_York", NULL, "gmt", "\"GMT-05:00\"" },
	{ __LINE__, "America/New_York", NULL, "offset_minutes", "-300" },
	{ __LINE__, "America/New_York", NULL, "offset_quarters", "-20" },
	{ __LINE__, "America/New_York", NULL, "dst.offset_seconds", "-14400" },
	{ __LINE__, "America/New_York", NULL, "dst.saving_minutes", "60" },
	{ __LINE__, "America/New_York", NULL, "dst.start.week", "2" },
	{ __LINE__, "America/New_York", NULL, "dst.start.last", "false" },
	{ __LINE__, "America/New_York", NULL, "dst.start.mday", "8" },
	{ __LINE__, "America/New_York", NULL, "dst.end.month", "11" },
	{ __LINE__, "America/New_York", NULL, "dst.end.mday", "1" },
	{ __LINE__, "Europe/London", NULL, "offset_hours", "\"+0\"" },
	{ __LINE__, "Europe/London", NULL, "gmt", "\"GMT+00:00\"" },
	{ __LINE__, "Europe/London", NULL, "dst.start.hour", "1" },
	{ __LINE__, "Europe/London", NULL, "dst.start.time", "\"01:00:00\"" },
	{ __LINE__, "Asia/Kolkata", NULL, "offset_hours", "\"+5:30\"" },
	{ __LINE__, "Asia/Kolkata", NULL, "gmt", "\"GMT+05:30\"" },
	{ __LINE__, "Asia/Kolkata", NULL, "offset_minutes", "330" },
	{ __LINE__, "Asia/Kolkata", NULL, "offset_quarters", "22" },
	{ __LINE__, "Asia/Kolkata", NULL, "dst", NULL },
	{ __LINE__, "Australia/Sydney", NULL, "dst.start.month", "10" },
	{ __LINE__, "Australia/Sydney", NULL, "dst.start.mday", "1" },
	{ __LINE__, "Australia/Sydney", NULL, "dst.end.month", "4" },
	{ __LINE__, "Australia/Sydney", NULL, "dst.end.time_s", "10800" },
	{ __LINE__, "America/St_Johns", NULL, "offset_hours", "\"-3:30\"" },
	{ __LINE__, "America/St_Johns", NULL, "gmt", "\"GMT-03:30\"" },
	{ __LINE__, "America/St_Johns", NULL, "offset_minutes", "-210" },
	{ __LINE__, "America/St_Johns", NULL, "offset_quarters", "-14" },
	{ __LINE__, "America/St_Johns", NULL, "dst.abbr", "\"NDT\"" },
	{ __LINE__, "Asia/Tehran", NULL, "abbr", "\"+0330\"" },
	{ __LINE__, "Asia/Tehran", NULL, "posix", "\"<+0330>-3:30\"" },
	{ __LINE__, "Asia/Tehran", NULL, "offset_hours", "\"+3:30\"" },
	{ __LINE__, "UTC", NULL, "name", "\"UTC\"" },
	{ __LINE__, "UTC", NULL, "offset_hours", "\"+0\"" },
	{ __LINE__, "UTC", NULL, "gmt", "\"GMT+00:00\"" },
	{ __LINE__, "UTC", NULL, "offset_quarters", "0" },
	{ __LINE__, "UTC", NULL, "dst", NULL },
	{ __LINE__, "Pacific/Chatham", NULL, "offset_hours", "\"+12:45\"" },
	{ __LINE__, "Pacific/Chatham", NULL, "gmt", "\"GMT+12:45\"" },
	{ __LINE__, "Pacific/Chatham", NULL, "offset_quarters", "51" },
	{ __LINE__, "Pacific/Chatham", NULL, "dst.abbr", "\"+1345\"" },
	{ __LINE__, "Pacific/Chatham", NULL, "dst.start.hour", "2" },
	{ __LINE__, "Pacific/Chatham", NULL, "dst.start.minute", "45" },
	{ __LINE__, "Pacific/Chatham", NULL, "dst.start.time", "\"02:45:00\"" },
	{ __LINE__, "Pacific/Chatham", NULL, "dst.end.time", "\"03:45:00\"" },
	/* Negative DST reported as its positive-saving equivalent. */
	{ __LINE__, "Europe/Dublin", NULL, "posix",
	    "\"GMT0IST,M3.5.0/1,M10.5.0\"" },
	{ __LINE__, "Europe/Dublin", NULL, "abbr", "\"GMT\"" },
	{ __LINE__, "Europe/Dublin", NULL, "offset_seconds", "0" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.abbr", "\"IST\"" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.offset_seconds", "3600" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.saving_seconds", "3600" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.start.month", "3" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.start.time", "\"01:00:00\"" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.end.month", "10" },
	{ __LINE__, "Europe/Dublin", NULL, "dst.end.time", "\"02:00:00\"" },
	{ __LINE__, NULL, "IST-1GMT0,M10.5.0,M3.5.0/1", "posix",
	    "\"GMT0IST,M3.5.0/1,M10.5.0\"" },
	{ __LINE__, NULL, "IST-1GMT0,M10.5.0,M3.5.0/1", "dst.saving_minutes",
	    "60" },
	{ __LINE__, NULL, "IST-1GMT0,M10.5.0,M3.5.0/1", "name", "\"\"" },
	/* Rule times before midnight and past a day are kept as written. */
	{ __LINE__, "America/Nuuk", NULL, "dst.start.hour", "-1" },
	{ __LINE__, "America/Nuuk", NULL, "dst.start.time", "\"-01:00:00\"" },
	{ __LINE__, "America/Nuuk", NULL, "dst.start.time_s", "-3600" },
	{ __LINE__, "America/Nuuk", NULL, "dst.end.time", "\"00:00:00\"" },
	{ __LINE__, NULL, "AAA3BBB,M3.2.0/-1:30,M11.1.0", "dst.start.hour",
	    "-1" },
	{ __LINE__, NULL, "AAA3BBB,M3.2.0/-1:30,M11.1.0", "dst.start.minute",
	    "-30" },
	{ __LINE__, NULL, "AAA3BBB,M3.2.0/-1:30,M11.1.0", "dst.start.time",
	    "\"-01:30:00\"" },
	{ __LINE__, NULL, "EET-2EEST,M3.4.4/50,M10.4.4/50", "dst.start.time",
	    "\"50:00:00\"" },
	{ __LINE__, NULL, "EET-2EEST,M3.4.4/50,M10.4.4/50", "dst.start.hour",
	    "50" },
	{ __LINE__, NULL, "EET-2EEST,M3.4.4/50,M10.4.4/50", "dst.start.mday",
	    "22" },
	{ __LINE__, NULL, "EET-2EEST,M3.4.4/50,M10.4.4/50",
	    "dst.start.weekday_mon1", "4" },
	{ __LINE__, NULL, "EET-2EEST,M3.4.4/50,M10.4.4/50",
	    "dst.start.weekday_sun1", "5" },
	{ __LINE__, NULL, "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
	    "dst.start.weekday_mon1", "6" },
	{ __LINE__, NULL, "<-04>4<-03>,M9.1.6/24,M4.1.6/24",
	    "dst.start.weekday_sun1", "7" },
	{ __LINE__, NULL, "<-04>4<-03>,M9.1.6/24,M4.1.6/24", "dst.end.time",
	    "\"24:00:00\"" },
	{ __LINE__, NULL, "AAA3BBB,M3.4.1/1:02:03,M11.3.0", "dst.start.mday",
	    "22" },
	{ __LINE__, NULL, "AAA3BBB,M3.4.1/1:02:03,M11.3.0", "dst.start.time",
	    "\"01:02:03\"" },
	{ __LINE__, NULL, "AAA3BBB,M3.4.1/1:02:03,M11.3.0", "dst.end.mday",
	    "15" },
	{ __LINE__, NULL, "AAA3BBB,M3.4.1/1:02:03,M11.3.0", "dst.end.last",
	    "false" },
	{ __LINE__, "Australia/Lord_Howe", NULL, "dst.saving_minutes", "30" },
	{ __LINE__, "Australia/Lord_Howe", NULL, "dst.saving_hms", "\"0:30:0\"" },
	{ __LINE__, "Antarctica/Troll", NULL, "dst.saving_hms", "\"2:0:0\"" },
	{ __LINE__, "Antarctica/Troll", NULL, "dst.saving_seconds", "7200" },
	/* Offsets with seconds: quarters toward zero, seconds spelt out. */
	{ __LINE__, NULL, "LMT-0:19:32", "offset_hours", "\"+0:19:32\"" },
	{ __LINE__, NULL, "LMT-0:19:32", "gmt", "\"GMT+00:19:32\"" },
	{ __LINE__, NULL, "LMT-0:19:32", "offset_quarters", "1" },
	{ __LINE__, NULL, "LMT0:19:32", "offset_quarters", "-1" },
	{ __LINE__, NULL, "LMT0:19:32", "offset_minutes", "-19" },
	{ __LINE__, NULL, "LMT0:19:32", "offset_hours", "\"-0:19:32\"" },
};

START_TEST(test_json_value)
{
	struct tzinfo tz;
	json_object *o, *v;
	char err[256] = "";
	int rc;

	if (json_rows[_i].zone != NULL)
		rc = tz_load(NULL, json_rows[_i].zone, &tz, err, sizeof(err));
	else
		rc = tz_parse_posix(json_rows[_i].posix, &tz, err, sizeof(err));
	ck_assert_msg(rc == 0, "line %d: %s", json_rows[_i].line, err);
	o = tz_to_json(&tz);
	v = json_path(o, json_rows[_i].path);
	if (json_rows[_i].want == NULL)
		ck_assert_msg(v == NULL, "line %d: %s present",
		    json_rows[_i].line, json_rows[_i].path);
	else
		ck_assert_msg(v != NULL &&
		    strcmp(json_text(v), json_rows[_i].want) == 0,
		    "line %d: %s is %s, want %s", json_rows[_i].line,
		    json_rows[_i].path, v ? json_text(v) : "absent",
		    json_rows[_i].want);
	json_object_put(o);
}
END_TEST

/* ---- hostile names and files ---- */

static const struct {
	int		 line;
	const char	*name;
	const char	*err;
} bad_names[] = {
	{ __LINE__, "../etc/passwd", "not a time zone name" },
	{ __LINE__, "/etc/passwd", "not a time zone name" },
	{ __LINE__, "Europe/../../x", "not a time zone name" },
	{ __LINE__, "", "not a time zone name" },
	{ __LINE__, "01234567890123456789012345678901234567890123456789012345678901234",
	    "not a time zone name" },
	{ __LINE__, "Europe/Nowhere", "Europe/Nowhere: unknown time zone" },
	{ __LINE__, "Nowhere", "Nowhere: unknown time zone" },
	{ __LINE__, "UTC/x", "UTC/x: unknown time zone" },
	{ __LINE__, "Europe", "Europe: not a zone file" },
	{ __LINE__, "right/Europe/Rome",
	    "right/Europe/Rome: empty TZif footer" },
};

START_TEST(test_load_bad_name)
{
	struct tzinfo tz, zero;
	char err[256] = "";

	memset(&zero, 0, sizeof(zero));
	if (strncmp(bad_names[_i].name, "right/", 6) == 0 &&
	    access(SYSTEM_ZONEINFO "/right", F_OK) != 0)
		TU_SKIP("%s: no " SYSTEM_ZONEINFO "/right on this machine",
		    bad_names[_i].name);
	ck_assert_int_eq(tz_load(NULL, bad_names[_i].name, &tz, err,
	    sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad_names[_i].err) == err,
	    "line %d: reason '%s', want '%s'", bad_names[_i].line, err,
	    bad_names[_i].err);
	ck_assert(memcmp(&tz, &zero, sizeof(tz)) == 0);
}
END_TEST

static size_t
put_be32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return 4;
}

/* A TZif file with one local time type ("UTC", offset 0) and no
 * transitions; version '\0' gives a version 1 file without footer.
 * `times` is written as the transition count of the version 2 header. */
static size_t
make_tzif(unsigned char *buf, char version, unsigned long times,
    const char *footer, size_t footer_len)
{
	static const unsigned char data[] = { 0, 0, 0, 0, 0, 0,
	    'U', 'T', 'C', 0 };
	size_t n = 0;

	for (int block = 0; block < (version ? 2 : 1); block++) {
		memcpy(buf + n, "TZif", 4);
		buf[n + 4] = (unsigned char)version;
		memset(buf + n + 5, 0, 15);
		n += 20;
		n += put_be32(buf + n, 0);	/* isutcnt */
		n += put_be32(buf + n, 0);	/* isstdcnt */
		n += put_be32(buf + n, 0);	/* leapcnt */
		n += put_be32(buf + n, block ? times : 0);
		n += put_be32(buf + n, 1);	/* typecnt */
		n += put_be32(buf + n, 4);	/* charcnt */
		memcpy(buf + n, data, sizeof(data));
		n += sizeof(data);
	}
	if (version && footer != NULL) {
		buf[n++] = '\n';
		memcpy(buf + n, footer, footer_len);
		n += footer_len;
		buf[n++] = '\n';
	}
	return n;
}

static void
write_tzif(const char *dir, const char *name, char version,
    unsigned long times, const char *footer)
{
	unsigned char buf[1024];
	size_t n = make_tzif(buf, version, times, footer,
	    footer ? strlen(footer) : 0);

	tu_write_n(dir, name, (const char *)buf, n);
}

/* Crafted files in a directory of their own, given as zoneinfo_dir. */
static void
craft_zoneinfo(const char *dir)
{
	unsigned char buf[1024];
	char huge[300], path[256], *big;
	size_t n;

	write_tzif(dir, "Good", '2', 0, "CET-1CEST,M3.5.0,M10.5.0/3");
	write_tzif(dir, "Good3", '3', 0, "<+0330>-3:30");
	write_tzif(dir, "V1", '\0', 0, NULL);
	write_tzif(dir, "NoFooter", '2', 0, NULL);
	write_tzif(dir, "Garbage", '2', 0, "garbage");
	write_tzif(dir, "EmptyFooter", '2', 0, "");
	write_tzif(dir, "Julian", '2', 0, "EST5EDT,0/0,J365/25");
	write_tzif(dir, "Version1", '1', 0, "UTC0");
	write_tzif(dir, "HugeCounts", '2', 0xffffffffUL, "UTC0");
	memset(huge, 'A', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	write_tzif(dir, "HugeFooter", '2', 0, huge);
	n = make_tzif(buf, '2', 0, "UTC0\0junk", 9);
	tu_write_n(dir, "NulFooter", (const char *)buf, n);
	n = make_tzif(buf, '2', 0, "UTC0", 4);
	tu_write_n(dir, "Unterminated", (const char *)buf, n - 1);
	tu_write_n(dir, "Truncated", (const char *)buf, 60);
	buf[44 + 10 + 1] = 'X';	/* the second "TZif" */
	tu_write_n(dir, "BadSecondMagic", (const char *)buf, n);
	tu_write(dir, "Text", "CET-1CEST,M3.5.0,M10.5.0/3\n");
	tu_write(dir, "Empty", "");
	tu_write(dir, "Magic", "TZif2");
	big = calloc(1, TZ_FILE_MAX + 1);
	ck_assert_ptr_nonnull(big);
	n = make_tzif(buf, '2', 0, "UTC0", 4);
	memcpy(big, buf, n);
	tu_write_n(dir, "Big", big, TZ_FILE_MAX + 1);
	/* Bytes after the footer are ignored, up to the size cap. */
	tu_write_n(dir, "BigOk", big, TZ_FILE_MAX);
	free(big);
	snprintf(path, sizeof(path), "%s/Link", dir);
	ck_assert_int_eq(symlink("Good", path), 0);
	snprintf(path, sizeof(path), "%s/Dangling", dir);
	ck_assert_int_eq(symlink("Nothing", path), 0);
	snprintf(path, sizeof(path), "%s/Fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
}

static const struct {
	int		 line;
	const char	*name;
	const char	*err;	/* NULL: loads */
} crafted[] = {
	{ __LINE__, "Good", NULL },
	{ __LINE__, "Good3", NULL },
	{ __LINE__, "Link", NULL },
	{ __LINE__, "V1", "V1: version 1 TZif file, no POSIX TZ footer" },
	{ __LINE__, "NoFooter", "NoFooter: truncated or corrupt TZif file" },
	{ __LINE__, "Garbage", "Garbage: missing or bad UTC offset" },
	{ __LINE__, "EmptyFooter", "EmptyFooter: empty TZif footer" },
	{ __LINE__, "Julian", "Julian: unsupported DST rule" },
	{ __LINE__, "Version1", "Version1: unknown TZif version" },
	{ __LINE__, "HugeCounts", "HugeCounts: truncated or corrupt" },
	{ __LINE__, "HugeFooter", "HugeFooter: TZif footer too long" },
	{ __LINE__, "NulFooter", "NulFooter: TZif footer is not text" },
	{ __LINE__, "Unterminated", "Unterminated: unterminated TZif footer" },
	{ __LINE__, "Truncated", "Truncated: truncated or corrupt" },
	{ __LINE__, "BadSecondMagic", "BadSecondMagic: truncated or corrupt" },
	{ __LINE__, "Text", "Text: not a TZif file" },
	{ __LINE__, "Empty", "Empty: not a TZif file" },
	{ __LINE__, "Magic", "Magic: not a TZif file" },
	{ __LINE__, "Big", "Big: not a zone file" },
	{ __LINE__, "BigOk", NULL },
	{ __LINE__, "Fifo", "Fifo: not a zone file" },
	{ __LINE__, "Dangling", "Dangling: unknown time zone" },
	{ __LINE__, "Missing", "Missing: unknown time zone" },
};

START_TEST(test_load_crafted)
{
	char dir[TU_DIR_MAX], err[256];
	struct tzinfo tz;
	int rc;

	tu_mkdtemp(dir);
	craft_zoneinfo(dir);
	for (int i = 0; i < NROWS(crafted); i++) {
		err[0] = '\0';
		rc = tz_load(dir, crafted[i].name, &tz, err, sizeof(err));
		if (crafted[i].err == NULL) {
			ck_assert_msg(rc == 0, "line %d: %s", crafted[i].line,
			    err);
			ck_assert_str_eq(tz.name, crafted[i].name);
			continue;
		}
		ck_assert_msg(rc == -1 && strstr(err, crafted[i].err) == err,
		    "line %d: %d '%s', want '%s'", crafted[i].line, rc, err,
		    crafted[i].err);
		ck_assert_msg(strchr(err, '\n') == NULL, "line %d: two lines",
		    crafted[i].line);
	}
	/* The process's directory (app.c sets it from DESKPROV_ZONEINFO),
	 * when none is given. */
	tz_set_zoneinfo_dir(dir);
	ck_assert_int_eq(tz_load(NULL, "Good3", &tz, err, sizeof(err)), 0);
	ck_assert_str_eq(tz.std_abbr, "+0330");
	ck_assert_int_eq(tz_load(NULL, "Europe/Rome", &tz, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(tz_load(SYSTEM_ZONEINFO, "Europe/Rome", &tz, err,
	    sizeof(err)), 0);
	tz_set_zoneinfo_dir("");
	ck_assert_int_eq(tz_load(NULL, "Europe/Rome", &tz, err,
	    sizeof(err)), 0);
	tz_set_zoneinfo_dir(NULL);
	tu_remove_dir(dir);
}
END_TEST

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = malloc(TZ_FILE_MAX);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(data);
	*len = fread(data, 1, TZ_FILE_MAX, f);
	fclose(f);
	return data;
}

/* Every prefix of a real file is refused (the footer's closing newline is
 * its last byte), and reading never leaves the given bytes: under ASan
 * each prefix sits in an allocation of exactly its size. */
START_TEST(test_tzif_prefixes)
{
	struct tzinfo tz;
	size_t len;
	char *data = slurp(SYSTEM_ZONEINFO "/Europe/Rome", &len), *copy;
	char err[256];

	ck_assert_int_eq(tz_from_tzif(data, len, &tz, err, sizeof(err)), 0);
	ck_assert_str_eq(tz.posix, "CET-1CEST,M3.5.0,M10.5.0/3");
	ck_assert_str_eq(tz.name, "");
	for (size_t n = 0; n < len; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, data, n);
		ck_assert_msg(tz_from_tzif(copy, n, &tz, err, sizeof(err)) ==
		    -1, "a prefix of %zu bytes was taken", n);
		free(copy);
	}
	free(data);
}
END_TEST

/* Every zone installed loads, and its footer written back is the same
 * string: the parser takes all of tzdata and understands it fully. */
static void
walk(const char *root, const char *rel, int *found)
{
	char path[512], name[256], magic[4], err[256], again[128];
	struct dirent *e;
	struct stat st;
	struct tzinfo tz;
	json_object *o;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_ptr_nonnull(d = opendir(path));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "right") == 0)
			continue;
		if ((size_t)snprintf(name, sizeof(name), "%s%s%s", rel,
		    *rel ? "/" : "", e->d_name) >= sizeof(name) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", root,
		    name) >= sizeof(path) || lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(root, name, found);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !tz_name_ok(name) ||
		    (f = fopen(path, "rb")) == NULL)
			continue;
		if (fread(magic, 1, 4, f) == 4 &&
		    memcmp(magic, "TZif", 4) == 0) {
			ck_assert_msg(tz_load(root, name, &tz, err,
			    sizeof(err)) == 0, "%s", err);
			ck_assert_int_eq(tz_format_posix(&tz, again,
			    sizeof(again)), 0);
			ck_assert_msg(strcmp(again, tz.posix) == 0,
			    "%s: footer '%s' written back as '%s'", name,
			    tz.posix, again);
			ck_assert_ptr_nonnull(o = tz_to_json(&tz));
			json_object_put(o);
			(*found)++;
		}
		fclose(f);
	}
	closedir(d);
}

START_TEST(test_every_installed_zone)
{
	int found = 0;

	walk(SYSTEM_ZONEINFO, "", &found);
	ck_assert_msg(found >= 300, "only %d zones found", found);
}
END_TEST

/* tz_nearest(): what a vendor list of zones gives for a zone it lacks
 * (Gigaset N670/N870, Snom; issue 15).  Candidates in list order; the
 * first of equals wins. */
static const struct {
	int		 line;
	const char	*want;
	const char	*cand[4];
	int		 best;
	enum tz_match	 how;
} nearest_rows[] = {
	{ __LINE__, "Africa/Ceuta", { "Europe/London", "Europe/Paris",
	    "Europe/Rome", NULL }, 1, TZ_MATCH_RULES },
	/* Dublin's negative DST is London's rules turned around. */
	{ __LINE__, "Europe/Dublin", { "Europe/Paris", "Europe/London", NULL },
	    1, TZ_MATCH_RULES },
	{ __LINE__, "America/Santiago", { "America/New_York",
	    "America/Halifax", NULL }, 1, TZ_MATCH_DATES },
	{ __LINE__, "America/Phoenix", { "America/Denver", NULL }, 0,
	    TZ_MATCH_OFFSET },
	{ __LINE__, "Asia/Kathmandu", { "Asia/Karachi", "Asia/Dhaka", NULL },
	    1, TZ_MATCH_NEAREST },
	{ __LINE__, "Asia/Kolkata", { "Asia/Dhaka", "Asia/Karachi", NULL },
	    0, TZ_MATCH_NEAREST },
};

START_TEST(test_nearest)
{
	struct tzinfo want, cand[4];
	enum tz_match how = TZ_MATCH_NEAREST;
	char err[256] = "";
	size_t n = 0;

	ck_assert_int_eq(tz_load(NULL, nearest_rows[_i].want, &want, err,
	    sizeof(err)), 0);
	for (; nearest_rows[_i].cand[n] != NULL; n++)
		ck_assert_int_eq(tz_load(NULL, nearest_rows[_i].cand[n],
		    &cand[n], err, sizeof(err)), 0);
	ck_assert_msg(tz_nearest(&want, cand, n, &how) ==
	    nearest_rows[_i].best && how == nearest_rows[_i].how,
	    "line %d: %s: got %d (%s)", nearest_rows[_i].line,
	    nearest_rows[_i].want, tz_nearest(&want, cand, n, NULL),
	    tz_match_name(how));
	ck_assert_int_eq(tz_nearest(&want, cand, 0, &how), -1);
}
END_TEST

Suite *tz_suite(void);

Suite *
tz_suite(void)
{
	Suite *s = suite_create("tz");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, test_name_ok, 0, NROWS(names));
	tcase_add_test(tc, test_name_ok_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("posix");
	tcase_add_loop_test(tc, test_parse_good, 0, NROWS(strings));
	tcase_add_loop_test(tc, test_parse_bad, 0, NROWS(bad_strings));
	tcase_add_test(tc, test_parse_edges);
	tcase_add_loop_test(tc, test_format_round_trip, 0, NROWS(strings));
	tcase_add_test(tc, test_format_spelling);
	suite_add_tcase(s, tc);

	tc = tcase_create("zones");
	tcase_add_loop_test(tc, test_load_zone, 0, NROWS(zones));
	tcase_add_test(tc, test_json_rome);
	tcase_add_loop_test(tc, test_json_value, 0, NROWS(json_rows));
	tcase_add_loop_test(tc, test_nearest, 0, NROWS(nearest_rows));
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_add_loop_test(tc, test_load_bad_name, 0, NROWS(bad_names));
	tcase_add_test(tc, test_load_crafted);
	tcase_add_test(tc, test_tzif_prefixes);
	suite_add_tcase(s, tc);

	tc = tcase_create("installed");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_installed_zone);
	suite_add_tcase(s, tc);
	return s;
}
