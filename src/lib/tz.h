/* Time zones for phones: an IANA zone name becomes its UTC offset, DST
 * abbreviations and DST rules, read from the POSIX TZ string at the end of
 * the system's TZif file (/usr/share/zoneinfo), never from a hand table.
 *
 * Decisions a template writer should know:
 * - Julian rules (Jn and n) are refused as "unsupported DST rule": phones
 *   only know "the w-th weekday of a month", and no zone of tzdata 2025b
 *   uses them (tests/check_tz.c loads every installed zone to keep it so).
 * - A DST name without rules ("EST5EDT") gets M3.2.0,M11.1.0 at 02:00, the
 *   default of tzcode (TZDEFRULESTRING) and of glibc without posixrules.
 *   TZif footers always carry their rules, so only hand-written strings
 *   meet this default.
 * - A rule time may be negative or past 24:00 (RFC 8536 allows -167h to
 *   167h: America/Nuuk changes at -1:00, Asia/Gaza at 50:00); it is kept
 *   as written, not moved to another day.
 * - Negative DST (Europe/Dublin's "IST-1GMT0,M10.5.0,M3.5.0/1": standard
 *   time IST +1 in summer, "DST" GMT +0 in winter) is parsed as written
 *   into struct tzinfo, which is correct by POSIX.  tz_to_json() reports
 *   the equivalent form with a positive saving (GMT0IST,M3.5.0/1,M10.5.0,
 *   tzdata's "rearguard" spelling), because no phone takes a negative
 *   saving; both give the same local time at every instant. */
#ifndef DESKPROV_TZ_H
#define DESKPROV_TZ_H

#include <stddef.h>

#include <json-c/json.h>

#define TZ_NAME_MAX	64
/* Larger zone files are refused. */
#define TZ_FILE_MAX	(1024 * 1024)

struct tz_rule {
	int	month;		/* 1..12 */
	int	week;		/* 1..5, 5 = the last such weekday */
	int	weekday;	/* 0 = Sunday .. 6 */
	int	time_s;		/* local time of the change, seconds
				 * after midnight (-167h..167h) */
};

struct tzinfo {
	char		name[TZ_NAME_MAX + 1];
	/* The TZif footer, e.g. CET-1CEST,M3.5.0,M10.5.0/3. */
	char		posix[128];
	/* Abbreviations without <>: "CET", "+0330". */
	char		std_abbr[16], dst_abbr[16];
	/* Seconds EAST of UTC (+3600 for CET, the opposite of POSIX). */
	int		std_offset_s;
	int		has_dst;
	/* Seconds east of UTC during DST (+7200 for CEST). */
	int		dst_offset_s;
	struct tz_rule	start, end;	/* when has_dst */
};

/* 1 when name is a plausible IANA zone name: 1..TZ_NAME_MAX characters of
 * [A-Za-z0-9_+-] segments separated by '/', no empty, '.' or '..' segment,
 * not starting with '/'.  Such a name cannot leave the zoneinfo directory
 * (symbolic links inside it are the system's, and trusted). */
int	tz_name_ok(const char *name);

/* The directory tz_load(NULL, ...) reads: dir, or the system's for NULL
 * or "".  The process context sets it from DESKPROV_ZONEINFO. */
void	tz_set_zoneinfo_dir(const char *dir);

/* Loads <zoneinfo_dir>/<name> (zoneinfo_dir NULL: the directory set with
 * tz_set_zoneinfo_dir(), else "/usr/share/zoneinfo"), reads at most
 * TZ_FILE_MAX bytes and parses the POSIX TZ string of its TZif v2+ footer
 * into *out, name included.  Returns 0, or -1 with *out cleared and a
 * one-line reason in err: a refused name, an unknown zone, not a TZif file,
 * a truncated one, no footer (version 1), or a footer tz_parse_posix()
 * refuses. */
int	tz_load(const char *zoneinfo_dir, const char *name,
	    struct tzinfo *out, char *err, size_t errsz);

/* The in-memory half of tz_load(): parses len bytes of a TZif file.  Reads
 * nothing outside data[0..len); out->name is left empty.  0 or -1 with err. */
int	tz_from_tzif(const void *data, size_t len, struct tzinfo *out,
	    char *err, size_t errsz);

/* Parses a POSIX TZ string of the footer form
 *	std offset [dst [offset] [,rule,rule]]
 * with abbreviations of 3..15 letters or <quoted> ones of [A-Za-z0-9+-],
 * offsets [+-]h[h][:mm[:ss]] up to 24 hours (west of UTC positive, as
 * POSIX has it) and rules Mm.w.d[/time], time [+-]h[hh][:mm[:ss]] within
 * 167 hours, 02:00 by default.  Jn and n rules are refused ("unsupported
 * DST rule"); a dst without rules gets M3.2.0,M11.1.0 (see the top of this
 * file).  The whole string must be consumed.  Fills every field of *out
 * but name (left empty); returns 0, or -1 with *out cleared and err set. */
int	tz_parse_posix(const char *s, struct tzinfo *out, char *err,
	    size_t errsz);

/* Writes the POSIX TZ string describing tz into buf, spelled as zic spells
 * footers (quoted abbreviations only when not all letters, default DST
 * offset and 02:00 left out), so formatting a parsed tzdata footer gives it
 * back.  Returns 0, or -1 when it does not fit bufsz. */
int	tz_format_posix(const struct tzinfo *tz, char *buf, size_t bufsz);

/* The object templates see; a new reference the caller puts:
 * {"name", "posix", "offset_seconds", "offset_minutes",
 *  "offset_minutes_west" (the opposite sign, as POSIX counts), "offset_quarters"
 *  (seconds / 900, toward zero), "offset_hours" ("+1", "-5", "+5:30",
 *  "+0"), "gmt" ("GMT+01:00"), "abbr", and when the zone has DST
 *  "dst": {"abbr", "offset_seconds", "saving_seconds", "saving_minutes",
 *  "start", "end"}}, a rule being {"month", "week", "last", "weekday"
 *  (0 = Sunday), "weekday_mon1" (Monday 1 .. Sunday 7), "weekday_sun1"
 *  (Sunday 1 .. Saturday 7), "mday" (-1 when last, else the first day the
 *  rule can fall on), "hour", "minute" (both with the sign of time_s),
 *  "time" ("02:00:00", "-01:00:00", "50:00:00"), "time_s"}.
 * Negative DST is turned into its positive-saving equivalent (see the top
 * of this file), "posix" included.  NULL when tz is NULL. */
json_object	*tz_to_json(const struct tzinfo *tz);

/* How close tz_nearest() found a zone: the same rules (standard offset,
 * DST saving and both change rules, after turning negative DST around),
 * the same standard offset and DST or not but other dates, the same
 * standard offset only, or only the nearest offset. */
enum tz_match {
	TZ_MATCH_RULES, TZ_MATCH_DATES, TZ_MATCH_OFFSET, TZ_MATCH_NEAREST
};

/* "same rules", "same offset, other DST dates", "same offset, other DST",
 * "nearest offset". */
const char	*tz_match_name(enum tz_match m);

/* The index of the zone of cand[0..n) closest to want, the first of equals
 * (a vendor's list is in its own order of preference), and *how; -1 when
 * n is 0.  Vendors with their own list of zones (Gigaset N670/N870) or
 * codes (Snom) get the entry that keeps the phone's clock right. */
int	tz_nearest(const struct tzinfo *want, const struct tzinfo *cand,
	    size_t n, enum tz_match *how);

#endif
