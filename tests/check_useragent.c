/* User-Agent parsing: real User-Agents of every vendor (with their public
 * sources), unreadable MAC fields and hostile headers. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "useragent.h"

/* A row the parser must not recognise. */
#define UNKNOWN	0, NULL, NULL, NULL, NULL, NULL

/* Real User-Agents, quoted in the comments of wazo-provd-plugins' parsers
 * (each vendor's common.py, wazo_aastra for the last two; see
 * docs/sources.md); the CP-8841 one is written in the CP-7832's format.
 * Then headers no phone sends. */
static const struct {
	int		 line;
	const char	*ua;
	int		 ok;
	const char	*vendor, *model, *version, *mac, *product;
} rows[] = {
	{ __LINE__, "Cisco-CP-7832-3PCC/11.0.1 (00562b043615)", 1,
	    "cisco", "7832", "11.0.1", "00562b043615", "CP-7832-3PCC" },
	{ __LINE__, "Cisco-CP-8841-3PCC/11.3.1 (00562b043615)", 1,
	    "cisco", "8841", "11.3.1", "00562b043615", "CP-8841-3PCC" },
	{ __LINE__, "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)", 1,
	    "cisco", "SPA508G", "7.4.4", "0002fdff2103", "SPA508G" },
	{ __LINE__, "Cisco/SPA525G-7.4.7 (CBT141900G7)", 1,
	    "cisco", "SPA525G", "7.4.7", "", "SPA525G" },
	{ __LINE__, "Linksys/SPA-942-6.1.5(a) (88019FA42805)", 1,
	    "cisco", "SPA942", "6.1.5(a)", "", "SPA-942" },
	/* The example of the foundation issue, and no MAC at all. */
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (001122334455)", 1,
	    "cisco", "6841", "12.0.1", "001122334455", "CP-6841-3PCC" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1", 1,
	    "cisco", "6841", "12.0.1", "", "CP-6841-3PCC" },

	{ __LINE__, "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", 1,
	    "yealink", "T46G", "28.72.0.1", "0015654aa937", "SIP-T46G" },
	{ __LINE__, "yealink SIP-T28P 2.70.0.140 00:15:65:13:ae:0b", 1,
	    "yealink", "T28P", "2.70.0.140", "00156513ae0b", "SIP-T28P" },
	{ __LINE__, "Yealink SIP-T38G  38.70.0.125 00:15:65:2f:c3:5e", 1,
	    "yealink", "T38G", "38.70.0.125", "0015652fc35e", "SIP-T38G" },
	{ __LINE__, "Yealink SIP VP-T49G 51.80.0.10 00:15:65:9b:5a:44", 1,
	    "yealink", "T49G", "51.80.0.10", "0015659b5a44", "VP-T49G" },
	{ __LINE__, "Yealink W90DM 130.87.0.10 80:5e:c0:d9:c7:44", 1,
	    "yealink", "W90DM", "130.87.0.10", "805ec0d9c744", "W90DM" },
	{ __LINE__, "Yealink-T46G 28.71.0.81 28.1.0.128.0.0.0", 1,
	    "yealink", "T46G", "28.71.0.81", "", "T46G" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 "
	    "2010.12-00004-g9ba52f5 000413922D24 SXM:0 UXM:0)", 1,
	    "snom", "D785", "10.1.33.33", "000413922d24", "snomD785-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom710-SIP 8.7.5.35 "
	    "1.1.5-IFX-05.01.12 000413741767)", 1,
	    "snom", "710", "8.7.5.35", "000413741767", "snom710-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom320-SIP 8.4.18 1.1.3-s)", 1,
	    "snom", "320", "8.4.18", "", "snom320-SIP" },
	{ __LINE__, "Grandstream Model HW GXP2200 V2.2A SW 1.0.1.33 DevId "
	    "000b82462d97", 1,
	    "grandstream", "GXP2200", "1.0.1.33", "000b82462d97", "GXP2200" },
	{ __LINE__, "Grandstream Model HW GXV3350  V1.3A SW 1.0.1.8 DevId "
	    "c074ad150b88", 1,
	    "grandstream", "GXV3350", "1.0.1.8", "c074ad150b88", "GXV3350" },
	{ __LINE__, "Grandstream GXP2000 (gxp2000e.bin:1.2.5.3/boot55e.bin:"
	    "1.1.6.9) DevId 000b822726c8", 1,
	    "grandstream", "GXP2000", "1.2.5.3", "000b822726c8", "GXP2000" },
	{ __LINE__, "Fanvil X6U Pro 0.0.10 0c383e2cd782", 1,
	    "fanvil", "X6U-Pro", "0.0.10", "0c383e2cd782", "X6U Pro" },
	{ __LINE__, "Fanvil i53W 2.12.9 0c383e10a440", 1,
	    "fanvil", "i53W", "2.12.9", "0c383e10a440", "i53W" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 "
	    "Type/Application", 1,
	    "polycom", "VVX400", "4.1.4.7430", "", "PolycomVVX-VVX_400" },
	{ __LINE__, "Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;"
	    "7C2F80E0D605", 1,
	    "gigaset", "N870 IP PRO", "83.V2.11.0", "7c2f80e0d605", "N870 IP PRO" },
	{ __LINE__, "N510 IP PRO/42.245.00.000.000;7C2F804DF9A9", 1,
	    "gigaset", "N510 IP PRO", "42.245.00.000.000", "7c2f804df9a9",
	    "N510 IP PRO" },
	{ __LINE__, "Aastra6731i MAC:00-08-5D-23-74-29 V:3.2.0.70-SIP", 1,
	    "aastra", "6731i", "3.2.0.70", "00085d237429", "Aastra6731i" },
	{ __LINE__, "Mitel6940 MAC:14-00-E9-1B-45-24 V:6.4.0.140-SIP", 1,
	    "aastra", "6940", "6.4.0.140", "1400e91b4524", "Mitel6940" },
	/* Near misses of the other vendors' forms. */
	{ __LINE__, "N510 IP/42.245.00.000.000;7C2F804DF9A9", UNKNOWN },
	{ __LINE__, "N510 IP PRO/42.245.00.000.000", UNKNOWN },
	{ __LINE__, "Yealinkish 1.0 001565000001", UNKNOWN },
	{ __LINE__, "curl/8.5.0", UNKNOWN },
	{ __LINE__, "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", UNKNOWN },
	/* Real headers without a MAC that name no model either (WZ). */
	{ __LINE__, "Mozilla/4.0 (compatible; snom lid 3605)", UNKNOWN },
	{ __LINE__, "N720-DM-PRO/70.040.00.000.000", UNKNOWN },
};

static void
assert_empty(const struct useragent *u, int line)
{
	ck_assert_msg(u->vendor[0] == '\0' && u->product[0] == '\0' &&
	    u->model[0] == '\0' && u->version[0] == '\0' && u->mac[0] == '\0' &&
	    u->mac_bad == 0,
	    "line %d: fields left set after a refusal", line);
}

START_TEST(test_ua_rows)
{
	struct useragent u;
	int got = ua_parse(rows[_i].ua, &u);

	ck_assert_msg(got == rows[_i].ok, "line %d: '%s' gave %d",
	    rows[_i].line, rows[_i].ua, got);
	if (!rows[_i].ok) {
		assert_empty(&u, rows[_i].line);
		return;
	}
	ck_assert_msg(strcmp(u.vendor, rows[_i].vendor) == 0 &&
	    strcmp(u.model, rows[_i].model) == 0 &&
	    strcmp(u.version, rows[_i].version) == 0 &&
	    strcmp(u.mac, rows[_i].mac) == 0 && !u.mac_bad &&
	    strcmp(u.product, rows[_i].product) == 0,
	    "line %d: got vendor=%s model=%s version=%s mac=%s%s product=%s",
	    rows[_i].line, u.vendor, u.model, u.version, u.mac,
	    u.mac_bad ? " (bad)" : "", u.product);
}
END_TEST

/* Headers phones were seen sending, collected from public code and
 * documentation; each must give its phone's vendor, model, firmware and
 * MAC.  "WZ" is wazo-platform/wazo-provd-plugins,
 * https://github.com/wazo-platform/wazo-provd-plugins (the comments of
 * plugins/<vendor>/.../common.py); "FP" is FusionPBX's
 * app/provision/index.php, https://github.com/fusionpbx/fusionpbx. */
static const struct {
	int		 line;
	const char	*ua;
	const char	*vendor, *model, *version, *mac, *product;
} real[] = {
	/* Cisco SPA and the ATA191 MPP adapter (WZ wazo_cisco_spa,
	 * wazo_cisco_sip/v11_1_0): a serial number in parentheses. */
	{ __LINE__, "Cisco/SPA501G-7.4.4 (8843E157DDCC)(CBT141100HR)",
	    "cisco", "SPA501G", "7.4.4", "8843e157ddcc", "SPA501G" },
	{ __LINE__, "Cisco/SPA508G-7.4.8a (0002FDFF2103)(CBT141400UK)",
	    "cisco", "SPA508G", "7.4.8a", "0002fdff2103", "SPA508G" },
	{ __LINE__, "Linksys/SPA-962-6.1.5(a) (4MM00F903042)",
	    "cisco", "SPA962", "6.1.5(a)", "", "SPA-962" },
	{ __LINE__, "Cisco/ATA191-MPP-11-1-0-MSR4 (FCH2443D9R4)",
	    "cisco", "ATA191", "11-1-0-MSR4", "", "ATA191-MPP" },
	/* Yealink (WZ wazo_yealink common, v83, v85, v87; FP for the
	 * T5x's MAC without colons after two spaces). */
	{ __LINE__, "Yealink SIP-T19P_E2 53.80.0.3 00:15:65:4c:4c:26",
	    "yealink", "T19P_E2", "53.80.0.3", "0015654c4c26", "SIP-T19P_E2" },
	{ __LINE__, "Yealink CP860 37.72.0.5 00:15:65:8a:37:86",
	    "yealink", "CP860", "37.72.0.5", "0015658a3786", "CP860" },
	{ __LINE__, "yealink SIP-T18 18.0.0.80 00:15:65:27:3e:05",
	    "yealink", "T18", "18.0.0.80", "001565273e05", "SIP-T18" },
	{ __LINE__, "Yealink SIP-T31G 124.85.257.55 80:5e:c0:d5:7d:72",
	    "yealink", "T31G", "124.85.257.55", "805ec0d57d72", "SIP-T31G" },
	{ __LINE__, "Yealink SIP-T77U 185.87.0.10 44:db:d2:bd:b5:69",
	    "yealink", "T77U", "185.87.0.10", "44dbd2bdb569", "SIP-T77U" },
	{ __LINE__, "Yealink SIP-W52P 25.73.0.20 00:15:65:40:ae:35",
	    "yealink", "W52P", "25.73.0.20", "00156540ae35", "SIP-W52P" },
	{ __LINE__, "Yealink W80B 103.87.0.10 24:9a:d8:d1:a6:31",
	    "yealink", "W80B", "103.87.0.10", "249ad8d1a631", "W80B" },
	{ __LINE__, "Yealink SIP-T56A  58.80.0.25 001565f429a4",
	    "yealink", "T56A", "58.80.0.25", "001565f429a4", "SIP-T56A" },
	/* Snom (WZ wazo_snom common and common_dect; FP for 10.1.169 with
	 * its build date; the D735 one is the seams issue's, same shape). */
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 "
	    "2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 00041396D9B4 "
	    "SXM:0 UXM:0 UXMC:0)",
	    "snom", "D785", "10.1.169.16", "00041396d9b4", "snomD785-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomD735-SIP 10.1.54.13 "
	    "2010.12-00004-g5d5b6b4 (Jul  1 2020 - 09:32:11) 000413A1B2C3 "
	    "SXM:0 UXM:0 UXMC:0)",
	    "snom", "D735", "10.1.54.13", "000413a1b2c3", "snomD735-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom320-SIP 6.5.20; snom320 "
	    "jffs2 v3.36; snom320 linux 3.38)",
	    "snom", "320", "6.5.20", "", "snom320-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom870-SIP 8.4.35 SPEAr300 "
	    "SNOM 1.4)", "snom", "870", "8.4.35", "", "snom870-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomPA1-SIP 8.4.35 1.1.3-s)",
	    "snom", "PA1", "8.4.35", "", "snomPA1-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom760-SIP 8.7.3.19 2010.06)",
	    "snom", "760", "8.7.3.19", "", "snom760-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; Snom M900 05.20.0001 "
	    "000413b60680)",
	    "snom", "M900", "05.20.0001", "000413b60680", "Snom M900" },
	/* Grandstream (WZ wazo_grandstream common and common_ata; FP). */
	{ __LINE__, "Grandstream Model HW GXP1405 SW 1.0.4.23 DevId "
	    "000b8240d55c",
	    "grandstream", "GXP1405", "1.0.4.23", "000b8240d55c", "GXP1405" },
	{ __LINE__, "Grandstream Model HW GXV3240 V1.6B SW 1.0.1.27 DevId "
	    "000b82632815",
	    "grandstream", "GXV3240", "1.0.1.27", "000b82632815", "GXV3240" },
	{ __LINE__, "Grandstream Model HW GRP2614 SW 1.0.5.15 DevId "
	    "c074ad0b63ee",
	    "grandstream", "GRP2614", "1.0.5.15", "c074ad0b63ee", "GRP2614" },
	{ __LINE__, "Grandstream Model HW HT802V2 V1.0A SW 1.0.5.4 DevId "
	    "ec74d763e419",
	    "grandstream", "HT802V2", "1.0.5.4", "ec74d763e419", "HT802V2" },
	{ __LINE__, "Grandstream Model HW GXP2135 SW 1.0.7.97 DevId "
	    "000b828aa872",
	    "grandstream", "GXP2135", "1.0.7.97", "000b828aa872", "GXP2135" },
	/* Fanvil (WZ wazo_fanvil common). */
	{ __LINE__, "Fanvil H2U-V2 2.12.0 0c383e32342e",
	    "fanvil", "H2U-V2", "2.12.0", "0c383e32342e", "H2U-V2" },
	{ __LINE__, "Fanvil V67 2.6.6.187 0c383e2b29e6",
	    "fanvil", "V67", "2.6.6.187", "0c383e2b29e6", "V67" },
	{ __LINE__, "Fanvil X5U-V2 2.12.16.17 0c383e557eb1",
	    "fanvil", "X5U-V2", "2.12.16.17", "0c383e557eb1", "X5U-V2" },
	{ __LINE__, "Fanvil W620W 2.16.10 0c383e7dd216",
	    "fanvil", "W620W", "2.16.10", "0c383e7dd216", "W620W" },
	/* Polycom (WZ wazo_polycom common).  With device.prov.tagSerialNo
	 * set the phone adds "(SN:<MAC>)" (Polycom UC Software
	 * Administrator Guide, device.prov.* parameters); Poly Edge phones
	 * name themselves PolyEdge. */
	{ __LINE__, "FileTransport PolycomSoundPointIP-SPIP_335-UA/3.2.1.0078",
	    "polycom", "SPIP335", "3.2.1.0078", "",
	    "PolycomSoundPointIP-SPIP_335" },
	{ __LINE__, "FileTransport PolycomSoundStationIP-SSIP_6000-UA/"
	    "5.0.3.1667 Type/Updater", "polycom", "SSIP6000", "5.0.3.1667", "",
	    "PolycomSoundStationIP-SSIP_6000" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_101-UA/5.4.3.1014 "
	    "Type/Application", "polycom", "VVX101", "5.4.3.1014", "",
	    "PolycomVVX-VVX_101" },
	{ __LINE__, "FileTransport PolycomSoundPointIP-SPIP_550-UA/4.0.15.1047 "
	    "(SN:0004a11a1a1a) Type/Application", "polycom", "SPIP550",
	    "4.0.15.1047", "0004a11a1a1a", "PolycomSoundPointIP-SPIP_550" },
	{ __LINE__, "FileTransport PolyEdge-Edge_E450-UA/8.0.0.15602 "
	    "Type/Application", "polycom", "EdgeE450", "8.0.0.15602", "",
	    "PolyEdge-Edge_E450" },
	/* Gigaset (WZ wazo_gigaset common). */
	{ __LINE__, "N510 IP PRO/42.258.00.000.000;7C2F806257D7",
	    "gigaset", "N510 IP PRO", "42.258.00.000.000", "7c2f806257d7",
	    "N510 IP PRO" },
	{ __LINE__, "Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4",
	    "gigaset", "N720 DM PRO", "70.089.00.000.000", "7c2f80ca21e4",
	    "N720 DM PRO" },
	{ __LINE__, "Gigaset N720 DM PRO/70.108.00.000.000",
	    "gigaset", "N720 DM PRO", "70.108.00.000.000", "", "N720 DM PRO" },
	/* Aastra and Mitel (WZ wazo_aastra common; FP). */
	{ __LINE__, "Aastra6739i MAC:00-08-5D-13-CA-05 V:3.2.1.1013-SIP",
	    "aastra", "6739i", "3.2.1.1013", "00085d13ca05", "Aastra6739i" },
	{ __LINE__, "Aastra6863i MAC:00-08-5D-40-90-5F V:4.1.0.128-SIP",
	    "aastra", "6863i", "4.1.0.128", "00085d40905f", "Aastra6863i" },
	{ __LINE__, "Mitel6915 MAC:14-00-E9-1B-E2-41 V:6.4.0.140-SIP",
	    "aastra", "6915", "6.4.0.140", "1400e91be241", "Mitel6915" },
	{ __LINE__, "Mitel6940 MAC:14-00-E9-29-4C-6B V:6.4.0.4006-SIP",
	    "aastra", "6940", "6.4.0.4006", "1400e9294c6b", "Mitel6940" },
};

START_TEST(test_ua_real)
{
	struct useragent u;

	ck_assert_msg(ua_parse(real[_i].ua, &u) == 1, "line %d: '%s' refused",
	    real[_i].line, real[_i].ua);
	ck_assert_msg(strcmp(u.vendor, real[_i].vendor) == 0 &&
	    strcmp(u.model, real[_i].model) == 0 &&
	    strcmp(u.version, real[_i].version) == 0 &&
	    strcmp(u.mac, real[_i].mac) == 0 && !u.mac_bad &&
	    strcmp(u.product, real[_i].product) == 0,
	    "line %d: got vendor=%s model=%s version=%s mac=%s%s product=%s",
	    real[_i].line, u.vendor, u.model, u.version, u.mac,
	    u.mac_bad ? " (bad)" : "", u.product);
}
END_TEST

/* A vendor's header whose MAC field is there but names no phone: the
 * vendor is known, the MAC is empty and marked unreadable, never taken
 * for "no MAC sent". */
static const struct {
	int		 line;
	const char	*ua, *vendor;
} unreadable[] = {
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (010000000001)", "cisco" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (0011223344zz)", "cisco" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 ()", "cisco" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (00112233", "cisco" },
	{ __LINE__, "Cisco/SPA508G-7.4.4 (010000000001)(CBT141400UK)",
	    "cisco" },
	{ __LINE__, "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9", "yealink" },
	{ __LINE__, "Yealink SIP-T46G 28.72.0.1 00:00:00:00:00:00",
	    "yealink" },
	{ __LINE__, "Yealink-T46G 28.71.0.81 01:15:65:4a:a9:37", "yealink" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.169.16 "
	    "2010.12-00001-gd311851f1 (Feb 25 2019 - 14:19:43) 000000000000 "
	    "SXM:0 UXM:0 UXMC:0)", "snom" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 "
	    "000413922D24 000413922D25)", "snom" },
	{ __LINE__, "Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 "
	    "(000413922D24) 000413922D25)", "snom" },
	{ __LINE__, "Grandstream Model HW GXP2200 V2.2A SW 1.0.1.33 DevId "
	    "000b8246", "grandstream" },
	{ __LINE__, "Grandstream Model HW GXP2200 SW 1.0.1.33 DevId",
	    "grandstream" },
	{ __LINE__, "Fanvil X6U Pro 0.0.10 010000000001", "fanvil" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 (SN:) "
	    "Type/Application", "polycom" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_400-UA/4.1.4.7430 "
	    "(SN:0004f2zzzzzz) Type/Application", "polycom" },
	{ __LINE__, "Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;",
	    "gigaset" },
	{ __LINE__, "Gigaset N870 IP PRO/83.V2.11.0+build.a546b91;7C2F80E0D6",
	    "gigaset" },
	{ __LINE__, "Aastra6731i MAC:01-08-5D-23-74-29 V:3.2.0.70-SIP",
	    "aastra" },
	{ __LINE__, "Aastra6731i MAC: V:3.2.0.70-SIP", "aastra" },
};

START_TEST(test_ua_unreadable_mac)
{
	struct useragent u;

	ck_assert_msg(ua_parse(unreadable[_i].ua, &u) == 1,
	    "line %d: refused", unreadable[_i].line);
	ck_assert_msg(strcmp(u.vendor, unreadable[_i].vendor) == 0 &&
	    u.mac_bad == 1 && u.mac[0] == '\0',
	    "line %d: vendor=%s mac=%s mac_bad=%d", unreadable[_i].line,
	    u.vendor, u.mac, u.mac_bad);
}
END_TEST

/* The same MAC twice is one MAC; spelled with colons, dashes or dots it
 * is the same MAC too. */
START_TEST(test_ua_mac_spellings)
{
	static const char *const uas[] = {
		"Mozilla/4.0 (compatible; snomD785-SIP 10.1.33.33 "
		    "000413922D24 000413922d24)",
		"Grandstream Model HW GRP2601W SW 1.0.7.32 DevId "
		    "00:04:13:92:2D:24",
		"Fanvil X4 2.10.2.6887 00-04-13-92-2d-24",
		"Yealink SIP-T46G 28.72.0.1 0004.1392.2d24",
		"Yealink-T46G 28.71.0.81 00:04:13:92:2d:24",
	};
	struct useragent u;

	for (size_t i = 0; i < sizeof(uas) / sizeof(uas[0]); i++) {
		ck_assert_msg(ua_parse(uas[i], &u) == 1, "%s", uas[i]);
		ck_assert_msg(strcmp(u.mac, "000413922d24") == 0 && !u.mac_bad,
		    "%s: mac=%s bad=%d", uas[i], u.mac, u.mac_bad);
	}
}
END_TEST

/* Headers a phone never sends.  Each must be refused as a whole (0, all
 * fields empty), without reading out of bounds. */
static const struct {
	int		 line;
	const char	*ua;
} hostile[] = {
	{ __LINE__, "" },
	{ __LINE__, "Cisco-" },
	{ __LINE__, "Cisco-/" },
	{ __LINE__, "Cisco-/12.0.1 (001122334455)" },
	{ __LINE__, "Cisco-CP-6841-3PCC" },
	{ __LINE__, "Cisco-CP-6841-3PCC/" },
	{ __LINE__, "Cisco-CP-6841-3PCC/ (001122334455)" },
	{ __LINE__, "Cisco-CP-6841-3PCC/abc (001122334455)" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1;rm -rf (001122334455)" },
	{ __LINE__, "Cisco-CP-6841<3PCC/12.0.1 (001122334455)" },
	{ __LINE__, "Cisco-CP 6841/12.0.1" },
	{ __LINE__, "Cisco/SPA" },
	{ __LINE__, "Cisco/SPA-" },
	{ __LINE__, "Cisco/SPA508G" },
	{ __LINE__, "Cisco/SPA508G-" },
	{ __LINE__, "Linksys/SPA" },
	{ __LINE__, "Linksys/SPA-942-6.1.5;x (88019FA42805)" },
	{ __LINE__, "cisco-CP-6841-3PCC/12.0.1 (001122334455)" },
	/* Control bytes anywhere. */
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1\t(001122334455)" },
	{ __LINE__, "Cisco-CP-6841\x01-3PCC/12.0.1 (001122334455)" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0\x1b[2J.1 (001122334455)" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (0011223344\n5)" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (001122334455)\r\nX-Evil: 1" },
	{ __LINE__, "Cisco-CP-6841-3PCC/12.0.1 (001122334455)\x7f" },
	{ __LINE__, "Cisco/SPA508G-7.4.4 (0002FDFF2103)\n(CBT141400UK)" },
	{ __LINE__, "Yealink SIP-T46G 28.72.0.1\t00:15:65:4a:a9:37" },
	{ __LINE__, "Fanvil i53W 2.12.9 0c383e10a440\r\nX-Evil: 1" },
	/* Other vendors' forms cut short or with a bad part. */
	{ __LINE__, "Yealink" },
	{ __LINE__, "Yealink " },
	{ __LINE__, "Yealink SIP-T46G" },
	{ __LINE__, "Yealink SIP-T46G abc 00:15:65:4a:a9:37" },
	{ __LINE__, "Yealink SIP-T46G;x 28.72.0.1" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom-SIP 8.4.18)" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom320-SIP" },
	{ __LINE__, "Mozilla/4.0 (compatible; snom320 8.4.18)" },
	{ __LINE__, "Grandstream " },
	{ __LINE__, "Grandstream Model HW GXP2200 V2.2A" },
	{ __LINE__, "Grandstream Model HW GXP2200 V2.2A SW" },
	{ __LINE__, "Grandstream GXP2000 (gxp2000e.bin" },
	{ __LINE__, "Grandstream GXP2000 (gxp2000e.bin:1.2.5.3" },
	{ __LINE__, "Grandstream GXP2000 (:/)" },
	{ __LINE__, "Fanvil " },
	{ __LINE__, "Fanvil 0c383e10a440" },
	{ __LINE__, "Fanvil 2.12.9 0c383e10a440" },
	{ __LINE__, "Fanvil i53W<x 2.12.9 0c383e10a440" },
	{ __LINE__, "FileTransport Polycom" },
	{ __LINE__, "FileTransport PolycomVVX-UA/4.1.4" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_400-UA/" },
	{ __LINE__, "FileTransport PolycomVVX-VVX_400/4.1.4" },
	{ __LINE__, "Gigaset /83.V2.11.0;7C2F80E0D605" },
	{ __LINE__, "Gigaset N870 IP PRO/;7C2F80E0D605" },
	{ __LINE__, "Gigaset N870 IP PRO" },
	{ __LINE__, "Aastra" },
	{ __LINE__, "Aastra6731i MAC:00-08-5D-23-74-29" },
	{ __LINE__, "Aastra6731i MAC:00-08-5D-23-74-29 V:-SIP" },
	{ __LINE__, "Mitel MAC:14-00-E9-1B-45-24 V:6.4.0.140-SIP" },
	/* A version of 64 digits and more does not fit. */
	{ __LINE__, "Cisco-CP-6841-3PCC/"
	    "1234567890123456789012345678901234567890123456789012345678901234"
	    " (001122334455)" },
	{ __LINE__, "Cisco/SPA508G-"
	    "1234567890123456789012345678901234567890123456789012345678901234" },
	/* A product name of 48 characters and more does not fit. */
	{ __LINE__, "Cisco-CP-"
	    "123456789012345678901234567890123456789012345678-3PCC/12.0.1" },
};

START_TEST(test_ua_hostile)
{
	struct useragent u;

	memset(&u, 'x', sizeof(u));
	ck_assert_msg(ua_parse(hostile[_i].ua, &u) == 0,
	    "line %d: hostile User-Agent accepted (version '%s')",
	    hostile[_i].line, u.version);
	assert_empty(&u, hostile[_i].line);
}
END_TEST

START_TEST(test_ua_null)
{
	struct useragent u;

	memset(&u, 'x', sizeof(u));
	ck_assert_int_eq(ua_parse(NULL, &u), 0);
	assert_empty(&u, __LINE__);
}
END_TEST

/* UA_MAX bytes are parsed; one more and the header is refused unread. */
START_TEST(test_ua_overlong)
{
	static const char head[] = "Cisco-CP-6841-3PCC/12.0.1 (001122334455)";
	char ua[UA_MAX + 2];
	struct useragent u;

	memset(ua, ' ', sizeof(ua));
	memcpy(ua, head, sizeof(head) - 1);
	ua[UA_MAX] = '\0';
	ck_assert_int_eq(ua_parse(ua, &u), 1);
	ck_assert_str_eq(u.mac, "001122334455");
	ua[UA_MAX] = ' ';
	ua[UA_MAX + 1] = '\0';
	ck_assert_int_eq(ua_parse(ua, &u), 0);
	assert_empty(&u, __LINE__);
}
END_TEST

/* A header of many kilobytes without any terminator in the first
 * UA_MAX + 1 bytes is refused after reading only those. */
START_TEST(test_ua_huge)
{
	size_t n = 1 << 20;
	char *ua = malloc(n + 1);
	struct useragent u;

	ck_assert_ptr_nonnull(ua);
	memset(ua, '9', n);
	memcpy(ua, "Cisco-CP-6841-3PCC/", 19);
	ua[n] = '\0';
	ck_assert_int_eq(ua_parse(ua, &u), 0);
	free(ua);
}
END_TEST

static const struct {
	int		 line;
	const char	*in, *want;
} models[] = {
	{ __LINE__, "CP-6841-3PCC", "6841" },
	{ __LINE__, "6841-3PCC", "6841" },
	{ __LINE__, "6841", "6841" },
	{ __LINE__, "cp-8841-3pcc", "8841" },
	{ __LINE__, "CP-8841", "8841" },
	{ __LINE__, "SPA508G", "SPA508G" },
	{ __LINE__, "spa508g", "SPA508G" },
	{ __LINE__, "-3PCC", "-3PCC" },
	{ __LINE__, "CP-", "" },
	{ __LINE__, "", "" },
};

START_TEST(test_model_key)
{
	char out[32];

	model_key(models[_i].in, out, sizeof(out));
	ck_assert_msg(strcmp(out, models[_i].want) == 0,
	    "line %d: '%s' gave '%s'", models[_i].line, models[_i].in, out);
}
END_TEST

START_TEST(test_model_key_small_buffer)
{
	char out[4];

	memset(out, 'x', sizeof(out));
	model_key("CP-8841-3PCC", out, sizeof(out));
	ck_assert_str_eq(out, "884");
	model_key("CP-8841-3PCC", out, 1);
	ck_assert_str_eq(out, "");
	out[0] = 'x';
	model_key("CP-8841-3PCC", out, 0);
	ck_assert_int_eq(out[0], 'x');
}
END_TEST

/* The UA's model key and firmware.yml's model names meet in model_key():
 * the spellings an admin may use all agree with the phone's. */
START_TEST(test_model_key_matches_ua)
{
	static const char *const admin[] = {
		"CP-8841-3PCC", "8841-3PCC", "8841", "cp-8841-3pcc",
	};
	struct useragent u;
	char a[32], b[32];

	ck_assert_int_eq(ua_parse("Cisco-CP-8841-3PCC/11.3.1 (00562b043615)",
	    &u), 1);
	model_key(u.product, a, sizeof(a));
	for (size_t i = 0; i < sizeof(admin) / sizeof(admin[0]); i++) {
		model_key(admin[i], b, sizeof(b));
		ck_assert_str_eq(a, b);
	}
}
END_TEST

Suite *useragent_suite(void);

Suite *
useragent_suite(void)
{
	Suite *s = suite_create("useragent");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_ua_rows, 0,
	    (int)(sizeof(rows) / sizeof(rows[0])));
	tcase_add_loop_test(tc, test_ua_hostile, 0,
	    (int)(sizeof(hostile) / sizeof(hostile[0])));
	tcase_add_loop_test(tc, test_ua_real, 0,
	    (int)(sizeof(real) / sizeof(real[0])));
	tcase_add_loop_test(tc, test_ua_unreadable_mac, 0,
	    (int)(sizeof(unreadable) / sizeof(unreadable[0])));
	tcase_add_test(tc, test_ua_mac_spellings);
	tcase_add_test(tc, test_ua_null);
	tcase_add_test(tc, test_ua_overlong);
	tcase_add_test(tc, test_ua_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("model_key");
	tcase_add_loop_test(tc, test_model_key, 0,
	    (int)(sizeof(models) / sizeof(models[0])));
	tcase_add_test(tc, test_model_key_small_buffer);
	tcase_add_test(tc, test_model_key_matches_ua);
	suite_add_tcase(s, tc);
	return s;
}
