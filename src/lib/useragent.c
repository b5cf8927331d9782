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

/* True when s[0..n) is spelled like a MAC (12 hex digits, six pairs split
 * by ':' or '-', three dotted quads), whether or not it names a phone.
 * For fields that hold a MAC or something else: a serial number, a build
 * id, a version. */
static int
mac_shaped(const char *s, size_t n)
{
	char mac[MAC_LEN + 1];

	return mac_parse(s, n, mac) != MAC_INVALID;
}

/* Records the MAC field s[0..n).  A field that is there but holds no
 * phone's MAC (empty, garbled, multicast, all-zero) sets mac_bad, and so
 * does a second MAC that differs from the first: such a header cannot say
 * which phone sent it, and "no MAC" would let it past the MAC check. */
static void
take_mac(struct useragent *out, const char *s, size_t n)
{
	char mac[MAC_LEN + 1];

	if (out->mac_bad)
		return;
	if (mac_parse(s, n, mac) != MAC_OK ||
	    (out->mac[0] != '\0' && strcmp(out->mac, mac) != 0)) {
		out->mac_bad = 1;
		out->mac[0] = '\0';
		return;
	}
	memcpy(out->mac, mac, sizeof(mac));
}

/* The parenthesis at p (after spaces): its content in *s, *n, and the
 * byte after it returned.  NULL when there is none; an unclosed one runs
 * to the end of the header. */
static const char *
paren_at(const char *p, const char **s, size_t *n)
{
	const char *close;

	while (*p == ' ')
		p++;
	if (*p != '(')
		return NULL;
	*s = p + 1;
	close = strchr(*s, ')');
	*n = close != NULL ? (size_t)(close - *s) : strlen(*s);
	return close != NULL ? close + 1 : *s + *n;
}

/* Cisco-CP-7832-3PCC/11.0.1 (00562b043615): the parenthesis after the
 * version is the MAC field, whatever it holds. */
static int
parse_cisco_mpp(const char *ua, struct useragent *out)
{
	const char *prod, *slash, *ver, *end, *m;
	size_t n;

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
	if (paren_at(end, &m, &n) != NULL)
		take_mac(out, m, n);
	return 1;
}

/* The version's dash in a Cisco/Linksys product token p[0..end): the one
 * of "-MPP-" (ATA191-MPP-11-1-0-MSR4), else the last one followed by a
 * digit (SPA-942-6.1.5(a)).  NULL when there is none. */
static const char *
spa_version_dash(const char *p, const char *end)
{
	const char *dash = NULL;

	for (const char *q = p; q + 5 <= end; q++)
		if (memcmp(q, "-MPP-", 5) == 0)
			return q + 4;
	for (const char *q = p; q < end; q++)
		if (*q == '-' && isdigit((unsigned char)q[1]))
			dash = q;
	return dash;
}

/* Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK), Cisco/SPA525G-7.4.7
 * (CBT141900G7), Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4) and
 * Linksys/SPA-942-6.1.5(a) (88019FA42805).  A Cisco parenthesis spelled
 * like a MAC is the MAC field; the others are serial numbers, and in the
 * Linksys form even twelve hex digits are a serial number. */
static int
parse_cisco_spa(const char *ua, struct useragent *out)
{
	const char *p, *end, *dash, *m, *q;
	int linksys = 0;
	size_t i, o = 0, n;

	if (strncmp(ua, "Cisco/SPA", 9) == 0 ||
	    strncmp(ua, "Cisco/ATA", 9) == 0)
		p = ua + 6;
	else if (strncmp(ua, "Linksys/SPA", 11) == 0) {
		p = ua + 8;
		linksys = 1;
	} else
		return 0;
	end = p + strcspn(p, " ");
	dash = spa_version_dash(p, end);
	if (dash == NULL || copy_token(out->version, sizeof(out->version),
	    dash + 1, (size_t)(end - dash - 1), "._()+-") < 0)
		return 0;
	if (copy_token(out->product, sizeof(out->product), p,
	    (size_t)(dash - p), "-") < 0)
		return 0;
	/* SPA-942 is model SPA942, ATA191-MPP model ATA191. */
	for (i = 0; out->product[i] != '\0' && o + 1 < sizeof(out->model) &&
	    strcmp(out->product + i, "-MPP") != 0; i++)
		if (out->product[i] != '-')
			out->model[o++] = (char)toupper((unsigned char)out->product[i]);
	out->model[o] = '\0';
	strcpy(out->vendor, "cisco");
	for (q = end; !linksys && (q = paren_at(q, &m, &n)) != NULL; )
		if (mac_shaped(m, n))
			take_mac(out, m, n);
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

/* Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37, yealink SIP-T28P ...,
 * Yealink SIP VP-T49G ..., Yealink W90DM ..., Yealink SIP-T56A  58.80.0.25
 * 001565f429a4 (the MAC field: any third word), and
 * Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0 (a hardware id, not a MAC). */
static int
parse_yealink(const char *ua, struct useragent *out)
{
	const char *p, *end, *m;
	int dashed = 0;

	if (strncasecmp(ua, "Yealink", 7) != 0)
		return 0;
	p = ua + 7;
	if (*p == '-') {
		p++;
		dashed = 1;
	}
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
	if (end > p && (!dashed || mac_shaped(p, (size_t)(end - p))))
		take_mac(out, p, (size_t)(end - p));
	strcpy(out->vendor, "yealink");
	return 1;
}

/* The desk phones' "snomD785-SIP" at p: model and product filled, the end
 * of the word returned; NULL when p holds none. */
static const char *
snom_desk(const char *p, struct useragent *out)
{
	const char *end = tok_end(p, " ;)");
	size_t n = (size_t)(end - p);

	if (n <= 8 || strncmp(p, "snom", 4) != 0 ||
	    memcmp(end - 4, "-SIP", 4) != 0 ||
	    copy_token(out->model, sizeof(out->model), p + 4, n - 8, "") < 0 ||
	    copy_token(out->product, sizeof(out->product), p, n, "-") < 0)
		return NULL;
	return end;
}

/* The DECT bases' "Snom M900" at p, likewise. */
static const char *
snom_dect(const char *p, struct useragent *out)
{
	const char *m, *end;

	if (strncasecmp(p, "snom ", 5) != 0)
		return NULL;
	m = skip_sp(p + 5);
	end = tok_end(m, " ;)");
	if (*m != 'M' || !isdigit((unsigned char)m[1]) ||
	    copy_token(out->model, sizeof(out->model), m,
	    (size_t)(end - m), "") < 0 ||
	    copy_token(out->product, sizeof(out->product), p,
	    (size_t)(end - p), " ") < 0)
		return NULL;
	return end;
}

/* Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 2010.12-00004-g9ba52f5
 * 000413922D24 SXM:0 UXM:0), since 10.1.169 with the firmware's build
 * date in parentheses before the MAC (... 2010.12-00001-gd311851f1 (Feb 25
 * 2019 - 14:19:43) 00041396D9B4 SXM:0 UXM:0 UXMC:0), the old
 * snom320-SIP 6.5.20; snom320 jffs2 v3.36; ..., and the DECT bases'
 * Snom M900 05.20.0001 000413b60680.  Where the MAC sits changes with the
 * firmware, so every word after the version that is spelled like a MAC is
 * one, nested parentheses or not; two different ones make it unreadable. */
static int
parse_snom(const char *ua, struct useragent *out)
{
	static const char pre[] = "Mozilla/4.0 (compatible; ";
	const char *p, *end;

	if (strncmp(ua, pre, sizeof(pre) - 1) != 0)
		return 0;
	p = ua + sizeof(pre) - 1;
	if ((end = snom_desk(p, out)) == NULL &&
	    (end = snom_dect(p, out)) == NULL)
		return 0;
	p = skip_sp(end);
	end = tok_end(p, " ;)");
	if (take_version(out, p, (size_t)(end - p)) < 0)
		return 0;
	for (p = end; *p != '\0'; p = end) {
		p += strspn(p, " ;()");
		end = tok_end(p, " ;()");
		if (end > p && mac_shaped(p, (size_t)(end - p)))
			take_mac(out, p, (size_t)(end - p));
	}
	strcpy(out->vendor, "snom");
	return 1;
}

/* The MAC field: the word after "DevId", wherever that word is after p
 * (GRP2601W sends it with colons). */
static void
grandstream_devid(const char *p, struct useragent *out)
{
	const char *d;

	for (d = p; (d = strstr(d, "DevId")) != NULL; d += 5)
		if ((d == p || d[-1] == ' ') && (d[5] == ' ' || d[5] == '\0'))
			break;
	if (d == NULL)
		return;
	p = skip_sp(d + 5);
	take_mac(out, p, (size_t)(tok_end(p, " ") - p));
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
	grandstream_devid(p, out);
	strcpy(out->product, out->model);
	strcpy(out->vendor, "grandstream");
	return 1;
}

/* Fanvil X6U Pro 0.0.10 0c383e2cd782: the model may hold a space, which
 * becomes a dash (X6U-Pro); the last word is the MAC field when it is
 * spelled like a MAC. */
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
	if (last > p && mac_shaped(last, (size_t)(end - last))) {
		take_mac(out, last, (size_t)(end - last));
		end = last;
		while (end > p && end[-1] == ' ')
			end--;
	}
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

/* FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 Type/Application, the
 * same from SoundPoint, SoundStation, Trio and Edge (PolyEdge-Edge_E450)
 * phones, and with device.prov.tagSerialNo set the MAC field after the
 * version: ...-UA/4.0.15.1047 (SN:0004a11a1a1a) Type/Application. */
static int
parse_polycom(const char *ua, struct useragent *out)
{
	const char *p, *slash, *dash, *end, *m;
	size_t n, i, o = 0;

	if (strncmp(ua, "FileTransport Poly", 18) != 0)
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
	if (paren_at(end, &m, &n) != NULL && strncmp(m, "SN:", 3) == 0)
		take_mac(out, m + 3, n - 3);
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
		take_mac(out, p, n);
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
		take_mac(out, p, (size_t)(end - p));
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
