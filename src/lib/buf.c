#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

#include "buf.h"

static void
oom(size_t n)
{
	fprintf(stderr, "deskprov: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p = realloc(old, n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void
buf_add_xml(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;
	const char *ent;

	buf_reserve(b, n);
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		/* A raw CR would reach the phone as LF (XML end-of-line
		 * handling); the reference keeps it. */
		case '\r': ent = "&#13;"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_adds(b, ent);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

#define ONES	UINT64_C(0x0101010101010101)
#define HIGHS	UINT64_C(0x8080808080808080)

/* True when one of the eight bytes of w needs an escape in JSON: below
 * 0x20, '"', '\\' or DEL (the word tests of "Bit Twiddling Hacks",
 * https://graphics.stanford.edu/~seander/bithacks.html#HasLessInWord). */
static inline __attribute__((always_inline)) int
json_word_special(uint64_t w)
{
	uint64_t q = w ^ (ONES * '"'), bs = w ^ (ONES * '\\');
	uint64_t del = w ^ (ONES * 0x7f);

	return ((((w - ONES * 0x20) & ~w) | ((q - ONES) & ~q) |
	    ((bs - ONES) & ~bs) | ((del - ONES) & ~del)) & HIGHS) != 0;
}

/* What a byte becomes in a JSON string: 0 itself, 1 a backslash and
 * itself, 2 a \\u00XX escape. */
static const unsigned char json_class[256] = {
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	['"'] = 1, ['\\'] = 1, [0x7f] = 2,
};

static char *
json_escape_bytes(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (json_class[c]) {
		case 0:
			*o++ = (char)c;
			break;
		case 1:
			*o++ = '\\';
			*o++ = (char)c;
			break;
		default:
			memcpy(o, "\\u00", 4);
			o[4] = hex[c >> 4];
			o[5] = hex[c & 15];
			o += 6;
		}
	}
	return o;
}

/* Writes s[0..n) escaped at o (room for six bytes per input byte);
 * returns the end.  Eight plain bytes at a time, and the plain tail of a
 * longer string in one copy: a stored report is 70 KB of mostly plain
 * names and values of a few dozen bytes. */
static char *
json_escape(char *o, const char *s, size_t n)
{
	size_t i = 0, k;
	uint64_t w;

	while (n - i >= 8) {
		memcpy(&w, s + i, 8);
		if (json_word_special(w))
			o = json_escape_bytes(o, s + i, 8);
		else {
			memcpy(o, &w, 8);
			o += 8;
		}
		i += 8;
	}
	if ((k = n - i) == 0)
		return o;
	/* The last eight bytes, some of them written already. */
	if (n >= 8) {
		memcpy(&w, s + n - 8, 8);
		if (!json_word_special(w)) {
			memcpy(o, s + i, k);
			return o + k;
		}
	}
	return json_escape_bytes(o, s + i, k);
}

void
buf_add_json_str(struct buf *b, const char *s, size_t n)
{
	char *o;

	if (n > (SIZE_MAX - 3) / 6) {
		fprintf(stderr, "deskprov: out of memory (JSON string)\n");
		abort();
	}
	buf_reserve(b, n * 6 + 2);
	o = b->data + b->len;
	*o++ = '"';
	o = json_escape(o, s, n);
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->data);
}

char *
buf_detach(struct buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = xstrdup("");
	buf_init(b);
	return p;
}

#define HUGE_PAGE	((uintptr_t)2 << 20)

void
buf_advise_huge(void *p, size_t n)
{
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(HUGE_PAGE - 1);

	if (n >= 2 * HUGE_PAGE && hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}
