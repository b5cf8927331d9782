/* One log line per event, as `key=value` pairs on stderr (the web server's
 * error log).  Values are escaped so that untrusted bytes can neither forge
 * a second line nor hide in the terminal: anything outside printable ASCII,
 * space, quote and backslash becomes \xNN. */
#ifndef DESKPROV_LOG_H
#define DESKPROV_LOG_H

#include <stddef.h>

#include "buf.h"

struct logline {
	struct buf	b;
};

/* Starts a line: `<ISO time> deskprov[<prog>]`. */
void	logline_start(struct logline *, const char *prog);
void	logline_str(struct logline *, const char *key, const char *value);
void	logline_strn(struct logline *, const char *key, const char *, size_t);
void	logline_int(struct logline *, const char *key, long long);
/* Writes the line with a single write(2) and releases it. */
void	logline_end(struct logline *);
/* Releases a line without writing it. */
void	logline_discard(struct logline *);

/* A one-off message: `<time> deskprov[<prog>] level=... msg=...`;
 * level is "debug", "info", "warning" or "error" (anything else counts as
 * an error), and the line is written only at or above the threshold. */
void	log_msg(const char *prog, const char *level, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* The levels of log_msg(), least to most severe. */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARNING, LOG_ERROR, LOG_SILENT };

/* log_msg() lines below `min` are dropped (by default none are: a server
 * logs everything).  The command-line tool raises it, so that a plain
 * `deskprov check` prints its result and nothing else; -v lowers it.
 * LOG_SILENT drops every log_msg() line; logline_end() is not affected. */
void	log_set_threshold(enum log_level min);

/* Appends `s` escaped as described above ("-" when empty). */
void	log_escape(struct buf *, const char *s, size_t n);

/* Where finished lines go: by default stderr.  Under FastCGI the serving
 * loop points this at the request's error stream, so the lines reach the
 * web server's error log even when the process's own stderr goes nowhere
 * (spawn-fcgi connects it to /dev/null).  NULL restores stderr. */
typedef void	(*log_sink_fn)(void *ctx, const char *line, size_t n);
void	log_set_sink(log_sink_fn, void *ctx);

/* Formats `t` as 2026-11-23T16:11:25Z into out (at least 21 bytes). */
void	format_utc(char *out, size_t outsz, long long t);

#endif
