#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

void
format_utc(char *out, size_t outsz, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, outsz, "%lld", t);
}

/* Bytes a value may keep in a key=value field. */
static int
log_plain(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=';
}

/* Runs of plain bytes go in with one copy each: a request's line has a
 * dozen fields, and a byte at a time through buf_addc() was a fifth of a
 * cached fetch's CPU (callgrind, bench/inproc). */
void
log_escape(struct buf *b, const char *s, size_t n)
{
	char esc[4] = "\\x";
	size_t i = 0, run;

	if (s == NULL || n == 0) {
		buf_addc(b, '-');
		return;
	}
	while (i < n) {
		for (run = i; run < n && log_plain((unsigned char)s[run]); run++)
			;
		buf_add(b, s + i, run - i);
		if (run == n)
			break;
		hex_encode(s + run, 1, 0, esc + 2);
		buf_add(b, esc, 4);
		i = run + 1;
	}
}

void
logline_start(struct logline *l, const char *prog)
{
	char ts[32];

	buf_init(&l->b);
	format_utc(ts, sizeof(ts), (long long)time(NULL));
	buf_printf(&l->b, "%s deskprov[%s]", ts, prog);
}

void
logline_strn(struct logline *l, const char *key, const char *v, size_t n)
{
	buf_addc(&l->b, ' ');
	buf_adds(&l->b, key);
	buf_addc(&l->b, '=');
	log_escape(&l->b, v, v ? n : 0);
}

void
logline_str(struct logline *l, const char *key, const char *v)
{
	logline_strn(l, key, v, v ? strlen(v) : 0);
}

void
logline_int(struct logline *l, const char *key, long long v)
{
	buf_printf(&l->b, " %s=%lld", key, v);
}

static log_sink_fn	 sink;
static void		*sink_ctx;

void
log_set_sink(log_sink_fn fn, void *ctx)
{
	sink = fn;
	sink_ctx = ctx;
}

void
logline_end(struct logline *l)
{
	ssize_t w;
	size_t off = 0;

	buf_addc(&l->b, '\n');
	if (sink != NULL) {
		sink(sink_ctx, l->b.data, l->b.len);
		buf_free(&l->b);
		return;
	}
	while (off < l->b.len) {
		w = write(STDERR_FILENO, l->b.data + off, l->b.len - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	buf_free(&l->b);
}

void
logline_discard(struct logline *l)
{
	buf_free(&l->b);
}

static enum log_level	 threshold = LOG_DEBUG;

void
log_set_threshold(enum log_level min)
{
	threshold = min;
}

/* The level a log_msg() name stands for; an unknown name is not
 * quietened. */
static enum log_level
level_of(const char *name)
{
	static const char *const names[] = { "debug", "info", "warning",
	    "error" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], name) == 0)
			return (enum log_level)i;
	return LOG_ERROR;
}

void
log_msg(const char *prog, const char *level, const char *fmt, ...)
{
	struct logline l;
	struct buf msg;
	va_list ap;

	if (level_of(level) < threshold)
		return;
	buf_init(&msg);
	va_start(ap, fmt);
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	logline_start(&l, prog);
	logline_str(&l, "level", level);
	/* Messages are written by us but may quote config text: keep them
	 * readable, escaping only what could break the line. */
	buf_adds(&l.b, " msg=\"");
	for (size_t i = 0; i < msg.len; i++) {
		unsigned char c = (unsigned char)msg.data[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			buf_printf(&l.b, "\\x%02x", c);
		else
			buf_addc(&l.b, (char)c);
	}
	buf_addc(&l.b, '"');
	buf_free(&msg);
	logline_end(&l);
}
