#include <stdio.h>
#include <string.h>

#include "diag.h"

void
diag_clear(struct diag *d)
{
	if (d != NULL)
		memset(d, 0, sizeof(*d));
}

/* Length of the UTF-8 sequence a lead byte starts (1 for anything else,
 * so that a stray byte is kept as it is). */
static size_t
utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0 && c <= 0xf7)
		return 4;
	if (c >= 0xe0)
		return c <= 0xef ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* After vsnprintf() cut s, the last character may be a part of one:
 * drop the part, so a log or a page never shows half a character. */
static void
utf8_trim(char *s)
{
	size_t len = strlen(s), p = len;

	while (p > 0 && ((unsigned char)s[p - 1] & 0xc0) == 0x80 &&
	    len - p < 3)
		p--;
	if (p > 0 && (p - 1) + utf8_seq_len((unsigned char)s[p - 1]) > len)
		s[p - 1] = '\0';
}

/* vsnprintf into dst, trimmed at a character boundary when cut. */
static void
format_cut(char *dst, size_t dstsz, const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, dstsz, fmt, ap);

	if (n < 0)
		dst[0] = '\0';
	else if ((size_t)n >= dstsz)
		utf8_trim(dst);
}

void
diag_set_file(struct diag *d, const char *file)
{
	const char *slash;

	if (d == NULL || file == NULL)
		return;
	if (file[0] == '/' && (slash = strrchr(file, '/')) != NULL)
		file = slash + 1;
	snprintf(d->file, sizeof(d->file), "%s", file);
}

int
diag_vset(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, va_list ap)
{
	if (d == NULL)
		return -1;
	diag_set_file(d, file);
	d->line = line;
	d->col = col;
	d->key[0] = '\0';
	format_cut(d->msg, sizeof(d->msg), fmt, ap);
	return -1;
}

int
diag_set(struct diag *d, const char *file, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vset(d, file, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

void
diag_set_key(struct diag *d, const char *s, size_t n)
{
	size_t j = 0;

	if (d == NULL)
		return;
	for (size_t i = 0; i < n && j + 1 < sizeof(d->key); i++) {
		unsigned char c = (unsigned char)s[i];
		d->key[j++] = c < 0x20 || c > 0x7e ? '?' : (char)c;
	}
	d->key[j] = '\0';
}

void
diag_prefix(struct diag *d, const char *fmt, ...)
{
	char ctx[DIAG_MSG_MAX], old[DIAG_MSG_MAX];
	va_list ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	format_cut(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, d->msg, sizeof(old));
	if (snprintf(d->msg, sizeof(d->msg), "%s: %s", ctx, old) >=
	    (int)sizeof(d->msg))
		utf8_trim(d->msg);
}

int
diag_key_ok(const char *s, size_t n)
{
	if (n == 0 || n >= DIAG_KEY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		    c == '-'))
			return 0;
	}
	return 1;
}

const char *
diag_quote(char *buf, size_t bufsz, const char *s, size_t n)
{
	if (diag_key_ok(s, n))
		snprintf(buf, bufsz, "'%.*s'", (int)n, s);
	else
		snprintf(buf, bufsz, "(an invalid key)");
	return buf;
}

/* "file:line:col", leaving out what is not set; no file gives
 * "line L, column C". */
static size_t
format_where(const struct diag *d, char *out, size_t n)
{
	const char *file = d->file;
	const char *slash = strrchr(file, '/');

	if (file[0] == '/' && slash != NULL)
		file = slash + 1;	/* never a path, even if set by hand */
	if (file[0] == '\0' && d->line == 0)
		return (size_t)snprintf(out, n, "%s", "");
	if (file[0] == '\0')
		return d->col ? (size_t)snprintf(out, n, "line %u, column %u",
		    d->line, d->col) : (size_t)snprintf(out, n, "line %u",
		    d->line);
	if (d->line == 0)
		return (size_t)snprintf(out, n, "%s", file);
	if (d->col == 0)
		return (size_t)snprintf(out, n, "%s:%u", file, d->line);
	return (size_t)snprintf(out, n, "%s:%u:%u", file, d->line, d->col);
}

size_t
diag_format(const struct diag *d, char *out, size_t n)
{
	char where[DIAG_FILE_MAX + 32], key[DIAG_QUOTE_MAX + 8] = "";

	format_where(d, where, sizeof(where));
	if (diag_key_ok(d->key, strlen(d->key)))
		snprintf(key, sizeof(key), " (key '%s')", d->key);
	return (size_t)snprintf(out, n, "%s%s%s%s", where,
	    where[0] ? ": " : "", d->msg, key);
}

size_t
diag_format_public(const struct diag *d, char *out, size_t n)
{
	struct diag where = *d;

	where.col = 0;
	return format_where(&where, out, n);
}
