#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "useragent.h"
#include "version.h"

/* Copies s[0..n) into out when it fits and consists of allowed bytes. */
static int
copy_token(char *out, size_t outsz, const char *s, size_t n,
    const char *extra)
{
	size_t i;

	if (n == 0 || n >= outsz)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!isalnum(c) && strchr(extra, c) == NULL)
			return -1;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/* Reads "(<12 hex>)" at *p when present; a parenthesis that is not a MAC
 * (a serial number, say) is skipped. */
static void
take_paren_mac(const char *p, char mac[MAC_LEN + 1])
{
	const char *close;

	while (*p == ' ')
		p++;
	if (*p != '(')
		return;
	close = strchr(p, ')');
	if (close == NULL)
		return;
	if (mac_parse(p + 1, (size_t)(close - p - 1), mac) != MAC_OK)
		mac[0] = '\0';
}

/* Cisco-CP-7832-3PCC/11.0.1 (00562b043615) */
static int
parse_cisco_mpp(const char *ua, struct useragent *out)
{
	const char *prod, *slash, *ver, *end;

	if (strncmp(ua, "Cisco-", 6) != 0)
		return 0;
	prod = ua + 6;
	slash = strchr(prod, '/');
	if (slash == NULL)
		return 0;
	if (copy_token(out->product, sizeof(out->product), prod,
	    (size_t)(slash - prod), "-") < 0)
		return 0;
	ver = slash + 1;
	end = ver + strcspn(ver, " ");
	if (copy_token(out->version, sizeof(out->version), ver,
	    (size_t)(end - ver), "._()+-") < 0 || !version_plausible(out->version))
		return 0;
	strcpy(out->vendor, "cisco");
	model_key(out->product, out->model, sizeof(out->model));
	take_paren_mac(end, out->mac);
	return 1;
}

/* Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK) and
 * Linksys/SPA-942-6.1.5(a) (88019FA42805) — in the Linksys form the
 * parenthesis holds a serial number, not a MAC. */
static int
parse_cisco_spa(const char *ua, struct useragent *out)
{
	const char *p, *end, *dash;
	int linksys = 0;
	size_t i, o = 0;

	if (strncmp(ua, "Cisco/SPA", 9) == 0)
		p = ua + 6;
	else if (strncmp(ua, "Linksys/SPA", 11) == 0) {
		p = ua + 8;
		linksys = 1;
	} else
		return 0;
	end = p + strcspn(p, " ");
	/* The version starts after the last dash followed by a digit. */
	dash = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '-' && isdigit((unsigned char)q[1]))
			dash = q;
	if (dash == NULL || copy_token(out->version, sizeof(out->version),
	    dash + 1, (size_t)(end - dash - 1), "._()+-") < 0)
		return 0;
	if (copy_token(out->product, sizeof(out->product), p,
	    (size_t)(dash - p), "-") < 0)
		return 0;
	for (i = 0; out->product[i] != '\0' && o + 1 < sizeof(out->model); i++)
		if (out->product[i] != '-')
			out->model[o++] = (char)toupper((unsigned char)out->product[i]);
	out->model[o] = '\0';
	strcpy(out->vendor, "cisco");
	if (!linksys)
		take_paren_mac(end, out->mac);
	return 1;
}

static int (*const ua_parsers[])(const char *, struct useragent *) = {
	parse_cisco_mpp,
	parse_cisco_spa,
};

int
ua_parse(const char *ua, struct useragent *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (ua == NULL || strnlen(ua, UA_MAX + 1) > UA_MAX)
		return 0;
	/* No phone sends control bytes; a header with one is not trusted
	 * for any part, even when the parts read would look fine. */
	for (i = 0; ua[i] != '\0'; i++)
		if ((unsigned char)ua[i] < 0x20 || ua[i] == 0x7f)
			return 0;
	for (i = 0; i < sizeof(ua_parsers) / sizeof(ua_parsers[0]); i++) {
		if (ua_parsers[i](ua, out))
			return 1;
		memset(out, 0, sizeof(*out));
	}
	return 0;
}

void
model_key(const char *model, char *out, size_t outsz)
{
	size_t n, o = 0;

	if (outsz == 0)
		return;
	if (strncasecmp(model, "CP-", 3) == 0)
		model += 3;
	n = strlen(model);
	if (n > 5 && strcasecmp(model + n - 5, "-3PCC") == 0)
		n -= 5;
	for (size_t i = 0; i < n && o + 1 < outsz; i++)
		out[o++] = (char)toupper((unsigned char)model[i]);
	out[o] = '\0';
}
