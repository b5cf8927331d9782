#include <string.h>

#include "qs.h"
#include "text.h"

int
qs_decode(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n || hex_value(s[i + 1]) < 0 ||
			    hex_value(s[i + 2]) < 0)
				return -1;
			c = hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f)
			return -1;
		buf_addc(out, (char)c);
	}
	buf_addc(out, '\0');
	return 0;
}

/* One key=value pair s[0..n) into its slot: the offset of its decoded
 * value in store (pointers are made at the end, once store stops
 * moving). */
static int
qs_pair(const struct qs_key *keys, const char *s, size_t n,
    struct buf *store, size_t off[QS_KEYS_MAX], int seen[QS_KEYS_MAX])
{
	const char *eq = memchr(s, '=', n);
	size_t klen = eq ? (size_t)(eq - s) : n, koff = store->len, voff;
	int i;

	if (eq == NULL || qs_decode(s, klen, store) < 0)
		return -1;
	for (i = 0; i < QS_KEYS_MAX && keys[i].name != NULL; i++)
		if (strcmp(store->data + koff, keys[i].name) == 0)
			break;
	if (i == QS_KEYS_MAX || keys[i].name == NULL || seen[i])
		return -1;	/* unknown or repeated */
	voff = store->len;
	if (qs_decode(eq + 1, n - klen - 1, store) < 0 ||
	    (keys[i].ok != NULL && !keys[i].ok(store->data + voff)))
		return -1;
	seen[i] = 1;
	off[i] = voff;
	return 0;
}

int
qs_parse(const char *query, const struct qs_key *keys, struct buf *store,
    const char *values[QS_KEYS_MAX])
{
	size_t off[QS_KEYS_MAX] = { 0 }, len;
	int seen[QS_KEYS_MAX] = { 0 };
	const char *q, *end;

	memset(values, 0, QS_KEYS_MAX * sizeof(values[0]));
	len = query != NULL ? strcspn(query, "#") : 0;
	if (len == 0)
		return 0;
	for (q = query;; q = end + 1) {
		end = q + strcspn(q, "&#");
		if (qs_pair(keys, q, (size_t)(end - q), store, off, seen) < 0)
			return -1;
		if (end == query + len)
			break;
	}
	for (int i = 0; i < QS_KEYS_MAX && keys[i].name != NULL; i++)
		values[i] = seen[i] ? store->data + off[i] : NULL;
	return 0;
}
