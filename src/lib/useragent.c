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

static const char *
skip_sp(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

/* End of the token at p: the next byte of `stop` or the terminator. */
static const char *
tok_end(const char *p, const char *stop)
{
	return p + strcspn(p, stop);
}

/* Copies the version s[0..n) when it fits and looks like one. */
static int
take_version(struct useragent *out, const char *s, size_t n)
{
	if (copy_token(out->version, sizeof(out->version), s, n,
	    "._()+-") < 0 || !isdigit((unsigned char)out->version[0]) ||
	    !version_plausible(out->version)) {
		out->version[0] = '\0';
		return -1;
	}
	return 0;
}

/* A MAC in s[0..n), or an empty one when it is none. */
static void
take_mac(char mac[MAC_LEN + 1], const char *s, size_t n)
{
	if (n == 0 || mac_parse(s, n, mac) != MAC_OK)
		mac[0] = '\0';
}

/* Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37, yealink SIP-T28P ...,
 * Yealink SIP VP-T49G ..., Yealink W90DM ..., and
 * Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0 (a hardware id, not a MAC). */
static int
parse_yealink(const char *ua, struct useragent *out)
{
	const char *p, *end, *m;

	if (strncasecmp(ua, "Yealink", 7) != 0)
		return 0;
	p = ua + 7;
	if (*p == '-')
		p++;
	else if (*p == ' ') {
		p = skip_sp(p);
		if (strncmp(p, "SIP ", 4) == 0)
			p = skip_sp(p + 4);
	} else
		return 0;
	end = tok_end(p, " ");
	if (copy_token(out->product, sizeof(out->product), p,
	    (size_t)(end - p), "-_") < 0)
		return 0;
	m = out->product;
	if (strncmp(m, "SIP-", 4) == 0)
		m += 4;
	if (strncmp(m, "VP-", 3) == 0)
		m += 3;
	if (copy_token(out->model, sizeof(out->model), m, strlen(m),
	    "-_") < 0)
		return 0;
	p = skip_sp(end);
	end = tok_end(p, " ");
	if (take_version(out, p, (size_t)(end - p)) < 0)
		return 0;
	p = skip_sp(end);
	end = tok_end(p, " ");
	take_mac(out->mac, p, (size_t)(end - p));
	strcpy(out->vendor, "yealink");
	return 1;
}

/* Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5
 * 000413922D24 SXM:0 UXM:0) — the MAC, when sent, is the first token of
 * twelve characters that is one. */
static int
parse_snom(const char *ua, struct useragent *out)
{
	static const char pre[] = "Mozilla/4.0 (compatible; snom";
	const char *p, *end;
	size_t n;

	if (strncmp(ua, pre, sizeof(pre) - 1) != 0)
		return 0;
	p = ua + sizeof(pre) - 1;
	end = tok_end(p, " )");
	n = (size_t)(end - p);
	if (n <= 4 || memcmp(end - 4, "-SIP", 4) != 0)
		return 0;
	if (copy_token(out->model, sizeof(out->model), p, n - 4, "") < 0 ||
	    copy_token(out->product, sizeof(out->product), p - 4, n + 4,
	    "-") < 0)
		return 0;
	p = skip_sp(end);
	end = tok_end(p, " )");
	if (take_version(out, p, (size_t)(end - p)) < 0)
		return 0;
	for (p = skip_sp(end); *p != '\0' && *p != ')'; p = skip_sp(end)) {
		end = tok_end(p, " )");
		if (end - p == MAC_LEN &&
		    mac_parse(p, MAC_LEN, out->mac) == MAC_OK)
			break;
		out->mac[0] = '\0';
	}
	strcpy(out->vendor, "snom");
	return 1;
}

/* Grandstream Model HW GXP2200 V2.2A SW 1.0.1.33 DevId 000b82462d97 (the
 * hardware revision is optional) and the legacy
 * Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:1.1.6.9) DevId ...
 * whose version is the program file's, not the boot file's. */
static int
parse_grandstream(const char *ua, struct useragent *out)
{
	const char *p, *end, *colon, *close;

	if (strncmp(ua, "Grandstream ", 12) != 0)
		return 0;
	p = skip_sp(ua + 12);
	if (strncmp(p, "Model HW ", 9) == 0) {
		p = skip_sp(p + 9);
		end = tok_end(p, " ");
		if (copy_token(out->model, sizeof(out->model), p,
		    (size_t)(end - p), "-_") < 0)
			return 0;
		p = skip_sp(end);
		if (strncmp(p, "SW ", 3) != 0)	/* hardware revision */
			p = skip_sp(tok_end(p, " "));
		if (strncmp(p, "SW ", 3) != 0)
			return 0;
		p = skip_sp(p + 3);
		end = tok_end(p, " ");
		if (take_version(out, p, (size_t)(end - p)) < 0)
			return 0;
		p = skip_sp(end);
	} else {
		end = tok_end(p, " ");
		if (copy_token(out->model, sizeof(out->model), p,
		    (size_t)(end - p), "-_") < 0)
			return 0;
		p = skip_sp(end);
		if (*p != '(')
			return 0;
		end = tok_end(p, "/) ");
		colon = memchr(p, ':', (size_t)(end - p));
		if (colon == NULL ||
		    take_version(out, colon + 1, (size_t)(end - colon - 1)) < 0)
			return 0;
		if ((close = strchr(end, ')')) == NULL)
			return 0;
		p = skip_sp(close + 1);
	}
	if (strncmp(p, "DevId ", 6) == 0) {
		p = skip_sp(p + 6);
		take_mac(out->mac, p, (size_t)(tok_end(p, " ") - p));
	}
	strcpy(out->product, out->model);
	strcpy(out->vendor, "grandstream");
	return 1;
}

/* Fanvil X6U Pro 0.0.10 0c383e2cd782: the model may hold a space, which
 * becomes a dash (X6U-Pro); the MAC is the last word when it is one. */
static int
parse_fanvil(const char *ua, struct useragent *out)
{
	const char *p, *end, *last, *ver;
	size_t i, o = 0;

	if (strncmp(ua, "Fanvil ", 7) != 0)
		return 0;
	p = skip_sp(ua + 7);
	end = p + strlen(p);
	while (end > p && end[-1] == ' ')
		end--;
	for (last = end; last > p && last[-1] != ' '; last--)
		;
	if (last > p && end - last == MAC_LEN &&
	    mac_parse(last, MAC_LEN, out->mac) == MAC_OK) {
		end = last;
		while (end > p && end[-1] == ' ')
			end--;
	} else
		out->mac[0] = '\0';
	for (ver = end; ver > p && ver[-1] != ' '; ver--)
		;
	if (ver == p || take_version(out, ver, (size_t)(end - ver)) < 0)
		return 0;
	end = ver;
	while (end > p && end[-1] == ' ')
		end--;
	if (copy_token(out->product, sizeof(out->product), p,
	    (size_t)(end - p), " -_") < 0)
		return 0;
	for (i = 0; out->product[i] != '\0'; i++) {
		if (out->product[i] == ' ' && out->product[i + 1] == ' ')
			continue;
		if (o + 1 >= sizeof(out->model))
			return 0;
		out->model[o++] = out->product[i] == ' ' ? '-' :
		    out->product[i];
	}
	out->model[o] = '\0';
	strcpy(out->vendor, "fanvil");
	return 1;
}

/* FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application; the
 * MAC is not in the header (it is in the requested path). */
static int
parse_polycom(const char *ua, struct useragent *out)
{
	const char *p, *slash, *dash, *end;
	size_t n, i, o = 0;

	if (strncmp(ua, "FileTransport Polycom", 21) != 0)
		return 0;
	p = ua + 14;
	slash = tok_end(p, " /");
	n = (size_t)(slash - p);
	if (*slash != '/' || n <= 3 || memcmp(slash - 3, "-UA", 3) != 0)
		return 0;
	if (copy_token(out->product, sizeof(out->product), p, n - 3,
	    "-_") < 0)
		return 0;
	if ((dash = strchr(out->product, '-')) == NULL)
		return 0;
	for (i = 1; dash[i] != '\0' && o + 1 < sizeof(out->model); i++)
		if (dash[i] != '_' && dash[i] != '-')
			out->model[o++] = dash[i];
	out->model[o] = '\0';
	if (o == 0)
		return 0;
	end = tok_end(slash + 1, " ");
	if (take_version(out, slash + 1, (size_t)(end - slash - 1)) < 0)
		return 0;
	strcpy(out->vendor, "polycom");
	return 1;
}

/* Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;7C2F80E0D605 and, without
 * the vendor word, N510 IP PRO/42.245.00.000.000;7C2F804DF9A9 — that form
 * is only taken with a " PRO" model and a MAC. */
static int
parse_gigaset(const char *ua, struct useragent *out)
{
	const char *p = ua, *slash, *end, *semi;
	int named = 0;
	size_t n;

	if (strncmp(p, "Gigaset ", 8) == 0) {
		p = skip_sp(p + 8);
		named = 1;
	}
	slash = tok_end(p, "/");
	n = (size_t)(slash - p);
	if (*slash != '/' || !isalnum((unsigned char)*p) ||
	    copy_token(out->model, sizeof(out->model), p, n, " ") < 0 ||
	    out->model[n - 1] == ' ')
		return 0;
	if (!named && (n < 5 || strcmp(out->model + n - 4, " PRO") != 0))
		return 0;
	end = tok_end(slash + 1, "+; ");
	if (take_version(out, slash + 1, (size_t)(end - slash - 1)) < 0)
		return 0;
	semi = tok_end(end, ";");
	if (*semi == ';') {
		p = semi + 1;
		n = strcspn(p, " -");	/* a MAC-ID's "-CRC" is not the MAC */
		take_mac(out->mac, p, n);
	}
	if (!named && out->mac[0] == '\0')
		return 0;
	strcpy(out->product, out->model);
	strcpy(out->vendor, "gigaset");
	return 1;
}

/* Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP and the same from
 * Mitel phones (Mitel6940 ...). */
static int
parse_aastra(const char *ua, struct useragent *out)
{
	const char *p, *end;
	size_t skip;

	if (strncmp(ua, "Aastra", 6) == 0)
		skip = 6;
	else if (strncmp(ua, "Mitel", 5) == 0)
		skip = 5;
	else
		return 0;
	end = tok_end(ua, " ");
	if (copy_token(out->product, sizeof(out->product), ua,
	    (size_t)(end - ua), "") < 0 ||
	    copy_token(out->model, sizeof(out->model), ua + skip,
	    (size_t)(end - ua) - skip, "") < 0)
		return 0;
	p = skip_sp(end);
	if (strncmp(p, "MAC:", 4) == 0) {
		p += 4;
		end = tok_end(p, " ");
		take_mac(out->mac, p, (size_t)(end - p));
		p = skip_sp(end);
	}
	if (strncmp(p, "V:", 2) != 0)
		return 0;
	p += 2;
	end = tok_end(p, " ");
	if (end - p > 4 && memcmp(end - 4, "-SIP", 4) == 0)
		end -= 4;
	if (take_version(out, p, (size_t)(end - p)) < 0)
		return 0;
	strcpy(out->vendor, "aastra");
	return 1;
}

static int (*const ua_parsers[])(const char *, struct useragent *) = {
	parse_cisco_mpp,
	parse_cisco_spa,
	parse_yealink,
	parse_snom,
	parse_grandstream,
	parse_fanvil,
	parse_polycom,
	parse_aastra,
	parse_gigaset,	/* last: one of its forms names no vendor */
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
