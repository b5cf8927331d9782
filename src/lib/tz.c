#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomicfile.h"
#include "tz.h"

#define TZ_DEFAULT_DIR	"/usr/share/zoneinfo"
#define OFFSET_MAX_H	24	/* POSIX: offsets of 0..24 hours */
#define RULE_MAX_H	167	/* RFC 8536: rule times in -167h..167h */
#define RULE_TIME_DEF	7200	/* POSIX: 02:00 unless told otherwise */
#define TZIF_HEADER	44

/* The default of tzcode and glibc for a DST name without rules. */
static const struct tz_rule default_start = { 3, 2, 0, RULE_TIME_DEF };
static const struct tz_rule default_end = { 11, 1, 0, RULE_TIME_DEF };

/* ASCII classes by hand: isalpha() would follow the locale. */
static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int
tz_name_ok(const char *name)
{
	size_t i, seg = 0;

	if (name == NULL)
		return 0;
	for (i = 0; name[i] != '\0'; i++) {
		char c = name[i];

		if (i >= TZ_NAME_MAX)
			return 0;
		if (c == '/') {
			if (seg == 0)
				return 0;
			seg = 0;
		} else if (is_alpha(c) || is_digit(c) || c == '_' ||
		    c == '+' || c == '-')
			seg++;
		else
			return 0;
	}
	/* '.' is not in the set, so "." and ".." segments cannot occur. */
	return seg > 0;
}

/* ---- POSIX TZ strings ---- */

struct cursor {
	const char	*p;
	const char	*why;	/* the first error met */
};

static int
fail(struct cursor *c, const char *why)
{
	if (c->why == NULL)
		c->why = why;
	return -1;
}

/* Steps over ch when it comes next; never past the terminating NUL. */
static int
eat(struct cursor *c, char ch)
{
	if (*c->p != ch)
		return 0;
	c->p++;
	return 1;
}

/* Reads 1..maxdigits decimal digits of a value of at most max; a longer
 * run of digits is an error, not two numbers. */
static int
number(struct cursor *c, int maxdigits, int max, int *v)
{
	int d;

	*v = 0;
	for (d = 0; d < maxdigits && is_digit(*c->p); d++)
		*v = *v * 10 + (*c->p++ - '0');
	if (d == 0 || is_digit(*c->p) || *v > max)
		return -1;
	return 0;
}

static int
minsec(struct cursor *c, int *v)
{
	const char *start = c->p;

	if (number(c, 2, 59, v) < 0 || c->p - start != 2)
		return -1;
	return 0;
}

/* [+-]h[:mm[:ss]] in seconds, at most maxh hours: offsets and rule times
 * share the form.  The sign is returned as read (POSIX offsets count
 * west of UTC). */
static int
hms(struct cursor *c, int maxh, int *secs)
{
	int neg = 0, h, m = 0, s = 0;

	if (eat(c, '-'))
		neg = 1;
	else
		eat(c, '+');
	if (number(c, 3, maxh, &h) < 0)
		return -1;
	if (eat(c, ':')) {
		if (minsec(c, &m) < 0)
			return -1;
		if (eat(c, ':') && minsec(c, &s) < 0)
			return -1;
	}
	*secs = h * 3600 + m * 60 + s;
	if (neg)
		*secs = -*secs;
	return 0;
}

/* An abbreviation: three or more letters, or <...> of letters, digits,
 * '+' and '-' (the quoted form tzdata uses for "+0330"). */
static int
abbr(struct cursor *c, char out[16])
{
	int quoted = eat(c, '<');
	size_t n = 0;

	while (is_alpha(*c->p) ||
	    (quoted && (is_digit(*c->p) || *c->p == '+' || *c->p == '-'))) {
		if (n + 1 >= 16)
			return fail(c, "time zone abbreviation longer than "
			    "15 characters");
		out[n++] = *c->p++;
	}
	out[n] = '\0';
	if (quoted && !eat(c, '>'))
		return fail(c, "bad <quoted> time zone abbreviation");
	if (n == 0 && !quoted)
		return fail(c, "expected a time zone abbreviation");
	if (n < 3)
		return fail(c, "time zone abbreviation shorter than "
		    "3 characters");
	return 0;
}

/* Mm.w.d[/time]; the Julian forms Jn and n name a day of the year, which
 * no phone can take, and are refused. */
static int
rule(struct cursor *c, struct tz_rule *r)
{
	if (*c->p == 'J' || is_digit(*c->p))
		return fail(c, "unsupported DST rule");
	if (!eat(c, 'M') ||
	    number(c, 2, 12, &r->month) < 0 || r->month < 1 ||
	    !eat(c, '.') ||
	    number(c, 1, 5, &r->week) < 0 || r->week < 1 ||
	    !eat(c, '.') ||
	    number(c, 1, 6, &r->weekday) < 0)
		return fail(c, "bad DST rule");
	r->time_s = RULE_TIME_DEF;
	if (eat(c, '/') && hms(c, RULE_MAX_H, &r->time_s) < 0)
		return fail(c, "bad DST rule time");
	return 0;
}

/* std offset [dst [offset] [,rule,rule]] */
static int
parse_tz(struct cursor *c, struct tzinfo *tz)
{
	int off;

	if (abbr(c, tz->std_abbr) < 0)
		return -1;
	if (hms(c, OFFSET_MAX_H, &off) < 0)
		return fail(c, "missing or bad UTC offset");
	tz->std_offset_s = -off;
	if (*c->p == '\0')
		return 0;
	if (abbr(c, tz->dst_abbr) < 0)
		return -1;
	tz->has_dst = 1;
	tz->dst_offset_s = tz->std_offset_s + 3600;
	if (*c->p != ',' && *c->p != '\0') {
		if (hms(c, OFFSET_MAX_H, &off) < 0)
			return fail(c, "bad DST offset");
		tz->dst_offset_s = -off;
	}
	if (*c->p == '\0') {
		tz->start = default_start;
		tz->end = default_end;
		return 0;
	}
	if (!eat(c, ',') || rule(c, &tz->start) < 0 ||
	    !eat(c, ',') || rule(c, &tz->end) < 0)
		return fail(c, "bad DST rule");
	if (*c->p != '\0')
		return fail(c, "unexpected text after the DST rules");
	return 0;
}

int
tz_parse_posix(const char *s, struct tzinfo *out, char *err, size_t errsz)
{
	struct cursor c = { s, NULL };
	size_t n;

	memset(out, 0, sizeof(*out));
	if (s == NULL || (n = strnlen(s, sizeof(out->posix))) ==
	    sizeof(out->posix)) {
		snprintf(err, errsz, "POSIX TZ string missing or longer "
		    "than %zu characters", sizeof(out->posix) - 1);
		return -1;
	}
	if (parse_tz(&c, out) < 0) {
		memset(out, 0, sizeof(*out));
		snprintf(err, errsz, "%s", c.why);
		return -1;
	}
	memcpy(out->posix, s, n + 1);
	return 0;
}

/* ---- TZif files (RFC 8536) ---- */

static uint64_t
be32(const unsigned char *p)
{
	return (uint64_t)p[0] << 24 | (uint64_t)p[1] << 16 |
	    (uint64_t)p[2] << 8 | p[3];
}

/* Bytes of the data block following the header h, whose transition times
 * take timesz bytes (4 in the version 1 block, 8 after).  The counts are
 * 32-bit, so the sum cannot overflow 64 bits. */
static uint64_t
tzif_block(const unsigned char *h, uint64_t timesz)
{
	uint64_t isut = be32(h + 20), isstd = be32(h + 24),
	    leap = be32(h + 28), times = be32(h + 32), types = be32(h + 36),
	    chars = be32(h + 40);

	return times * timesz + times + types * 6 + chars +
	    leap * (timesz + 4) + isstd + isut;
}

/* Finds the footer of a version 2+ file: both headers and data blocks
 * are skipped by their counts, each step checked against len, then
 * "\n<POSIX TZ string>\n" must follow.  Copies the string into out. */
static const char *
tzif_footer(const unsigned char *d, size_t len, char *out, size_t outsz)
{
	const unsigned char *nl;
	uint64_t off;
	size_t n;

	if (len < TZIF_HEADER || memcmp(d, "TZif", 4) != 0)
		return "not a TZif file";
	if (d[4] == '\0')
		return "version 1 TZif file, no POSIX TZ footer";
	if (d[4] < '2' || d[4] > '9')
		return "unknown TZif version";
	off = TZIF_HEADER + tzif_block(d, 4);
	if (off + TZIF_HEADER > len || memcmp(d + off, "TZif", 4) != 0)
		return "truncated or corrupt TZif file";
	off += TZIF_HEADER + tzif_block(d + off, 8);
	if (off >= len || d[off] != '\n')
		return "truncated or corrupt TZif file (no footer)";
	off++;
	if ((nl = memchr(d + off, '\n', len - off)) == NULL)
		return "unterminated TZif footer";
	n = (size_t)(nl - (d + off));
	if (n == 0)
		return "empty TZif footer (no POSIX TZ string)";
	if (n >= outsz)
		return "TZif footer too long";
	if (memchr(d + off, '\0', n) != NULL)
		return "TZif footer is not text";
	memcpy(out, d + off, n);
	out[n] = '\0';
	return NULL;
}

int
tz_from_tzif(const void *data, size_t len, struct tzinfo *out, char *err,
    size_t errsz)
{
	char footer[sizeof(out->posix)];
	const char *why;

	memset(out, 0, sizeof(*out));
	if ((why = tzif_footer(data, len, footer, sizeof(footer))) != NULL) {
		snprintf(err, errsz, "%s", why);
		return -1;
	}
	return tz_parse_posix(footer, out, err, errsz);
}

/* The process's zoneinfo directory: set once by the process context
 * (app.c), before any snapshot is loaded. */
static char zoneinfo_default[1024];

void
tz_set_zoneinfo_dir(const char *dir)
{
	snprintf(zoneinfo_default, sizeof(zoneinfo_default), "%s",
	    dir != NULL ? dir : "");
}

static const char *
zoneinfo_dir(const char *dir)
{
	if (dir == NULL)
		dir = zoneinfo_default;
	return dir[0] != '\0' ? dir : TZ_DEFAULT_DIR;
}

/* Reads the whole zone file; O_NONBLOCK keeps a FIFO from hanging us
 * before af_read_fd() refuses it as not a regular file. */
static int
read_zone(const char *path, const char *name, char **data, size_t *len,
    char *err, size_t errsz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	int rc;

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			snprintf(err, errsz, "%s: unknown time zone", name);
		else
			snprintf(err, errsz, "%s: %s", name, strerror(errno));
		return -1;
	}
	rc = af_read_fd(fd, TZ_FILE_MAX, data, len);
	close(fd);
	if (rc == -EINVAL || rc == -EFBIG)
		snprintf(err, errsz, "%s: not a zone file (a regular file of "
		    "at most 1 MiB)", name);
	else if (rc < 0)
		snprintf(err, errsz, "%s: %s", name, strerror(-rc));
	return rc < 0 ? -1 : 0;
}

int
tz_load(const char *dir, const char *name, struct tzinfo *out, char *err,
    size_t errsz)
{
	char path[4096], why[128];
	char *data;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	/* The name is not echoed: it may be anything a request carried. */
	if (!tz_name_ok(name)) {
		snprintf(err, errsz, "not a time zone name");
		return -1;
	}
	dir = zoneinfo_dir(dir);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		snprintf(err, errsz, "%s: zoneinfo path too long", name);
		return -1;
	}
	if (read_zone(path, name, &data, &len, err, errsz) < 0)
		return -1;
	rc = tz_from_tzif(data, len, out, why, sizeof(why));
	free(data);
	if (rc < 0) {
		snprintf(err, errsz, "%s: %s", name, why);
		return -1;
	}
	memcpy(out->name, name, strlen(name) + 1);
	return 0;
}

/* ---- writing ---- */

struct text {
	char	*buf;
	size_t	 size, len;
	int	 over;
};

static void	put(struct text *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->size - t->len)
		t->over = 1;
	else
		t->len += (size_t)n;
}

/* h[:mm[:ss]] with a '-' when negative, the shortest form that is exact. */
static void
put_hms(struct text *t, long long secs)
{
	long long a = secs < 0 ? -secs : secs;

	put(t, "%s%lld", secs < 0 ? "-" : "", a / 3600);
	if (a % 3600 != 0)
		put(t, ":%02lld", a / 60 % 60);
	if (a % 60 != 0)
		put(t, ":%02lld", a % 60);
}

static void
put_abbr(struct text *t, const char *a)
{
	const char *p;

	for (p = a; is_alpha(*p); p++)
		continue;
	put(t, *p == '\0' ? "%s" : "<%s>", a);
}

static void
put_rule(struct text *t, const struct tz_rule *r)
{
	put(t, ",M%d.%d.%d", r->month, r->week, r->weekday);
	if (r->time_s != RULE_TIME_DEF) {
		put(t, "/");
		put_hms(t, r->time_s);
	}
}

int
tz_format_posix(const struct tzinfo *tz, char *buf, size_t bufsz)
{
	struct text t = { buf, bufsz, 0, bufsz == 0 };

	put_abbr(&t, tz->std_abbr);
	put_hms(&t, -(long long)tz->std_offset_s);
	if (tz->has_dst) {
		put_abbr(&t, tz->dst_abbr);
		if ((long long)tz->dst_offset_s !=
		    (long long)tz->std_offset_s + 3600)
			put_hms(&t, -(long long)tz->dst_offset_s);
		put_rule(&t, &tz->start);
		put_rule(&t, &tz->end);
	}
	return t.over ? -1 : 0;
}

/* ---- the template view ---- */

/* A zone whose "DST" is west of its standard time (Europe/Dublin's IST
 * in summer, GMT in winter) swaps the two.  Each rule's time is in the
 * local time in force before its change, which the swap does not alter,
 * so the times stay as they are. */
static void
positive_saving(const struct tzinfo *in, struct tzinfo *out)
{
	*out = *in;
	if (!in->has_dst || in->dst_offset_s >= in->std_offset_s)
		return;
	memcpy(out->std_abbr, in->dst_abbr, sizeof(out->std_abbr));
	memcpy(out->dst_abbr, in->std_abbr, sizeof(out->dst_abbr));
	out->std_offset_s = in->dst_offset_s;
	out->dst_offset_s = in->std_offset_s;
	out->start = in->end;
	out->end = in->start;
	if (tz_format_posix(out, out->posix, sizeof(out->posix)) < 0)
		memcpy(out->posix, in->posix, sizeof(out->posix));
}

static void
add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static void
add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

static json_object *
rule_json(const struct tz_rule *r)
{
	json_object *o = json_object_new_object();
	long long s = r->time_s, a = s < 0 ? -s : s;
	char when[32];

	add_int(o, "month", r->month);
	add_int(o, "week", r->week);
	json_object_object_add(o, "last",
	    json_object_new_boolean(r->week == 5));
	add_int(o, "weekday", r->weekday);
	add_int(o, "weekday_mon1", r->weekday == 0 ? 7 : r->weekday);
	add_int(o, "weekday_sun1", r->weekday + 1);
	add_int(o, "mday", r->week == 5 ? -1 : (r->week - 1) * 7 + 1);
	add_int(o, "hour", s / 3600);
	add_int(o, "minute", s % 3600 / 60);
	snprintf(when, sizeof(when), "%s%02lld:%02lld:%02lld", s < 0 ? "-" : "",
	    a / 3600, a / 60 % 60, a % 60);
	add_str(o, "time", when);
	add_int(o, "time_s", s);
	return o;
}

/* "+1", "-5", "+5:30", "+0" and "GMT+01:00"; seconds only when there are
 * some, which no zone has had since the 1970s. */
static void
offset_texts(long long secs, char *hours, char *gmt, size_t size)
{
	long long a = secs < 0 ? -secs : secs;
	char sign = secs < 0 ? '-' : '+';
	struct text t = { hours, size, 0, 0 };
	int n;

	put(&t, "%c", sign);
	put_hms(&t, a);
	n = snprintf(gmt, size, "GMT%c%02lld:%02lld", sign, a / 3600,
	    a / 60 % 60);
	if (a % 60 != 0 && n > 0 && (size_t)n < size)
		snprintf(gmt + n, size - (size_t)n, ":%02lld", a % 60);
}

static json_object *
dst_json(const struct tzinfo *tz)
{
	json_object *o = json_object_new_object();
	long long saving = (long long)tz->dst_offset_s - tz->std_offset_s;
	char hms[48];

	add_str(o, "abbr", tz->dst_abbr);
	add_int(o, "offset_seconds", tz->dst_offset_s);
	add_int(o, "saving_seconds", saving);
	add_int(o, "saving_minutes", saving / 60);
	/* Cisco's Daylight_Saving_Time_Rule writes save=h:m:s. */
	snprintf(hms, sizeof(hms), "%lld:%lld:%lld", saving / 3600,
	    saving % 3600 / 60, saving % 60);
	add_str(o, "saving_hms", hms);
	json_object_object_add(o, "start", rule_json(&tz->start));
	json_object_object_add(o, "end", rule_json(&tz->end));
	return o;
}

json_object *
tz_to_json(const struct tzinfo *in)
{
	json_object *o;
	struct tzinfo tz;
	char hours[32], gmt[32];

	if (in == NULL)
		return NULL;
	positive_saving(in, &tz);
	o = json_object_new_object();
	add_str(o, "name", tz.name);
	add_str(o, "posix", tz.posix);
	add_int(o, "offset_seconds", tz.std_offset_s);
	add_int(o, "offset_minutes", tz.std_offset_s / 60);
	/* Minutes west of UTC, POSIX's sign (Aastra's time zone minutes). */
	add_int(o, "offset_minutes_west", -(tz.std_offset_s / 60));
	add_int(o, "offset_quarters", tz.std_offset_s / 900);
	offset_texts(tz.std_offset_s, hours, gmt, sizeof(hours));
	add_str(o, "offset_hours", hours);
	add_str(o, "gmt", gmt);
	add_str(o, "abbr", tz.std_abbr);
	if (tz.has_dst)
		json_object_object_add(o, "dst", dst_json(&tz));
	return o;
}

static const char *const match_names[] = {
	[TZ_MATCH_RULES] = "same rules",
	[TZ_MATCH_DATES] = "same offset, other DST dates",
	[TZ_MATCH_OFFSET] = "same offset, other DST",
	[TZ_MATCH_NEAREST] = "nearest offset",
};

const char *
tz_match_name(enum tz_match m)
{
	return (unsigned)m < sizeof(match_names) / sizeof(match_names[0]) ?
	    match_names[m] : "?";
}

static int
rule_same(const struct tz_rule *a, const struct tz_rule *b)
{
	return a->month == b->month && a->week == b->week &&
	    a->weekday == b->weekday && a->time_s == b->time_s;
}

/* How well c stands in for w, both with positive DST; *dist is the
 * standard offsets' distance in seconds. */
static enum tz_match
match_of(const struct tzinfo *w, const struct tzinfo *c, long *dist)
{
	*dist = labs((long)w->std_offset_s - (long)c->std_offset_s);
	if (*dist != 0)
		return TZ_MATCH_NEAREST;
	if (w->has_dst != c->has_dst || (w->has_dst &&
	    w->dst_offset_s != c->dst_offset_s))
		return TZ_MATCH_OFFSET;
	if (w->has_dst && (!rule_same(&w->start, &c->start) ||
	    !rule_same(&w->end, &c->end)))
		return TZ_MATCH_DATES;
	return TZ_MATCH_RULES;
}

int
tz_nearest(const struct tzinfo *want, const struct tzinfo *cand, size_t n,
    enum tz_match *how)
{
	struct tzinfo w, c;
	enum tz_match best_m = TZ_MATCH_NEAREST, m;
	long best_d = 0, d;
	int best = -1;

	positive_saving(want, &w);
	for (size_t i = 0; i < n; i++) {
		positive_saving(&cand[i], &c);
		m = match_of(&w, &c, &d);
		if (best < 0 || m < best_m || (m == best_m && d < best_d)) {
			best = (int)i;
			best_m = m;
			best_d = d;
		}
	}
	if (best >= 0 && how != NULL)
		*how = best_m;
	return best;
}
