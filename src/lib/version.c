#include <ctype.h>
#include <string.h>

#include "version.h"

enum seg_kind { SEG_END, SEG_NUM, SEG_ALPHA };

struct seg {
	enum seg_kind	 kind;
	const char	*p;
	size_t		 n;
};

/* Reads the next segment at *s and advances past it. */
static struct seg
next_seg(const char **s)
{
	struct seg seg = { SEG_END, NULL, 0 };
	const char *p = *s;

	while (*p != '\0' && !isalnum((unsigned char)*p))
		p++;
	if (*p == '\0') {
		*s = p;
		return seg;
	}
	seg.p = p;
	if (isdigit((unsigned char)*p)) {
		seg.kind = SEG_NUM;
		while (isdigit((unsigned char)*p))
			p++;
	} else {
		seg.kind = SEG_ALPHA;
		while (isalpha((unsigned char)*p))
			p++;
	}
	seg.n = (size_t)(p - seg.p);
	*s = p;
	return seg;
}

/* Compares digit runs as numbers of any length, without overflow. */
static int
cmp_num(struct seg a, struct seg b)
{
	while (a.n > 1 && *a.p == '0') {
		a.p++;
		a.n--;
	}
	while (b.n > 1 && *b.p == '0') {
		b.p++;
		b.n--;
	}
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	return memcmp(a.p, b.p, a.n);
}

static int
cmp_alpha(struct seg a, struct seg b)
{
	size_t i, n = a.n < b.n ? a.n : b.n;
	int d;

	for (i = 0; i < n; i++) {
		d = tolower((unsigned char)a.p[i]) - tolower((unsigned char)b.p[i]);
		if (d != 0)
			return d;
	}
	return a.n == b.n ? 0 : (a.n < b.n ? -1 : 1);
}

int
version_compare(const char *a, const char *b)
{
	struct seg sa, sb;
	int d;

	for (;;) {
		sa = next_seg(&a);
		sb = next_seg(&b);
		if (sa.kind == SEG_END || sb.kind == SEG_END)
			return (sa.kind != SEG_END) - (sb.kind != SEG_END);
		if (sa.kind != sb.kind)
			return sa.kind == SEG_NUM ? 1 : -1;
		d = sa.kind == SEG_NUM ? cmp_num(sa, sb) : cmp_alpha(sa, sb);
		if (d != 0)
			return d < 0 ? -1 : 1;
	}
}

int
version_plausible(const char *s)
{
	size_t n = strlen(s), i;
	int digit = 0;

	if (n == 0 || n > 63)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (isdigit(c))
			digit = 1;
		else if (!isalpha(c) && !strchr("._()+-", c))
			return 0;
	}
	return digit;
}
