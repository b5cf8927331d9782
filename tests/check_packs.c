/* The shipped vendor packs (schema/<pack>/) against the golden fleet of
 * tests/data/vendors/fleet: every file of every pack, rendered for one
 * device per vendor, must equal tests/data/vendors/golden/<pack>/<file>
 * byte for byte; shared files must hold no password; hostile values must
 * come out escaped (XML) or verbatim on their one line (line formats).
 *
 * After a deliberate template change, regenerate the golden files with
 *   DESKPROV_UPDATE_GOLDEN=1 CK_RUN_SUITE=packs build/check_all
 * and review the diff. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "app_profile.h"
#include "vendor.h"
#include "testutil.h"

#define FLEET	"tests/data/vendors/fleet"
#define GOLDEN	"tests/data/vendors/golden"
#define SCHEMA	"schema"

/* Every password of the golden fleet. */
static const char *const passwords[] = {
	"fleet-admin-pw", "fleet-user-pw", "pw-", NULL
};

static void
fetch(struct app *app, const char *file, struct response *rs)
{
	struct request rq;
	struct logline l;
	char uri[300];

	snprintf(uri, sizeof(uri), "/%s", file);
	memset(&rq, 0, sizeof(rq));
	rq.method = "GET";
	rq.uri = uri;
	rq.remote_addr = "127.0.0.1";
	response_init(rs);
	logline_start(&l, "test");
	app_profile_handle(app, &rq, rs, &l);
	logline_discard(&l);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(data);
	ck_assert_uint_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return data;
}

static void
compare_golden(const char *pack, const char *file, const struct buf *body)
{
	char path[512];
	size_t len;
	char *want;

	snprintf(path, sizeof(path), GOLDEN "/%s/%s", pack, file);
	if (getenv("DESKPROV_UPDATE_GOLDEN") != NULL) {
		char dir[256];
		snprintf(dir, sizeof(dir), GOLDEN "/%s", pack);
		mkdir(GOLDEN, 0755);
		mkdir(dir, 0755);
		tu_write_n(dir, file, body->data ? body->data : "", body->len);
		return;
	}
	want = read_file(path, &len);
	ck_assert_msg(want != NULL, "no golden file %s", path);
	ck_assert_msg(len == body->len && (len == 0 ||
	    memcmp(want, body->data, len) == 0),
	    "%s differs from what deskprov renders now:\n%.*s", path,
	    (int)body->len, body->data);
	free(want);
}

/* Calls fn for every file name of every device's pack: the device's own
 * files, its model's files and the common files. */
typedef void (*file_fn)(struct app *, const struct phone *,
    const struct pack_file *, const char *name);

static size_t
each_file(struct app *app, file_fn fn)
{
	const struct snapshot *s = app->cs.snap;
	size_t n = 0;
	char name[256];

	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];
		for (size_t j = 0; ph->pack && j < ph->pack->n_files; j++) {
			const struct pack_file *f = &ph->pack->files[j];
			if (vendor_file_name(f, ph, ph->pmodel, name,
			    sizeof(name)) < 0)
				continue;	/* no {file_id} for this model */
			fn(app, ph, f, name);
			n++;
		}
	}
	return n;
}

static const char *
text_of(const struct response *rs)
{
	return rs->body.data ? rs->body.data : "";
}

static void
golden_file(struct app *app, const struct phone *ph,
    const struct pack_file *f, const char *name)
{
	struct response rs;

	fetch(app, name, &rs);
	ck_assert_msg(rs.status == 200, "%s/%s: %d %s", ph->pack->name, name,
	    rs.status, rs.body.data);
	compare_golden(ph->pack->name, name, &rs.body);
	for (int i = 0; !f->secrets && passwords[i] != NULL; i++)
		ck_assert_msg(strstr(text_of(&rs), passwords[i]) == NULL,
		    "%s/%s: shared file holds a password", ph->pack->name,
		    name);
	/* A phone's own file holds its own passwords, nobody else's. */
	if (f->secrets) {
		char mine[128];
		snprintf(mine, sizeof(mine), "pw-%s-", ph->id);
		for (const char *p = text_of(&rs); (p = strstr(p, "pw-")) !=
		    NULL; p++)
			ck_assert_msg(strncmp(p, mine, strlen(mine)) == 0,
			    "%s/%s: holds another phone's password",
			    ph->pack->name, name);
	}
	response_free(&rs);
}

START_TEST(test_golden)
{
	struct app app;
	size_t n;

	tu_app(&app, FLEET, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	ck_assert_uint_eq(app.cs.snap->n_devices, 11);
	n = each_file(&app, golden_file);
	ck_assert_uint_ge(n, 24);
	app_free(&app);
}
END_TEST

/* Every pack's own files as the device would find them: each phone file
 * with secrets holds the device's first line, and its own password. */
static void
holds_line(struct app *app, const struct phone *ph,
    const struct pack_file *f, const char *name)
{
	struct response rs;
	char pw[128];

	if (!f->secrets)
		return;
	fetch(app, name, &rs);
	snprintf(pw, sizeof(pw), "pw-%s-1", ph->id);
	ck_assert_msg(rs.status == 200 && strstr(text_of(&rs), pw) != NULL,
	    "%s/%s: line 1's password is missing", ph->pack->name, name);
	response_free(&rs);
}

START_TEST(test_lines_reach_every_pack)
{
	struct app app;

	tu_app(&app, FLEET, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < app.cs.snap->packs.n; i++) {
		const struct pack *p = &app.cs.snap->packs.packs[i];
		ck_assert_msg(vendor_main_file(p) != NULL &&
		    vendor_main_file(p)->secrets,
		    "pack %s has no file with the lines", p->name);
	}
	each_file(&app, holds_line);
	app_free(&app);
}
END_TEST

/* Hostile values: the golden fleet with every display name and the
 * admin password full of markup, quotes, Yealink's %NULL% and UTF-8. */
#define HOSTILE_NAME	"Front & <Desk> \\\"q\\\" 'x' \xc3\xa9 %NULL% "
#define HOSTILE_SEEN	"Front & <Desk> \"q\" 'x' \xc3\xa9 %NULL% "

static void
hostile_file(struct app *app, const struct phone *ph,
    const struct pack_file *f, const char *name)
{
	struct response rs;

	fetch(app, name, &rs);
	ck_assert_msg(rs.status == 200, "%s/%s: %d", ph->pack->name, name,
	    rs.status);
	if (f->syntax == SYNTAX_XML)
		ck_assert_msg(strstr(text_of(&rs), "<Desk>") == NULL &&
		    strstr(text_of(&rs), "\"q\"") == NULL,
		    "%s/%s: markup not escaped:\n%s", ph->pack->name, name,
		    rs.body.data);
	else if (f->secrets)
		ck_assert_msg(strstr(text_of(&rs), HOSTILE_SEEN) != NULL,
		    "%s/%s: the value is not there verbatim:\n%s",
		    ph->pack->name, name, rs.body.data);
	response_free(&rs);
}

static char *
replace_all(const char *s, const char *from, const char *to)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	while ((p = strstr(s, from)) != NULL) {
		buf_add(&b, s, (size_t)(p - s));
		buf_adds(&b, to);
		s = p + strlen(from);
	}
	buf_adds(&b, s);
	return buf_detach(&b);
}

START_TEST(test_hostile_values)
{
	struct app app;
	char dir[TU_DIR_MAX], *phones, *devices, *t, *t2;
	size_t len;

	tu_copy_dir(FLEET, dir);
	phones = read_file(FLEET "/phones.yml", &len);
	t = replace_all(phones, "display_name: \"Desk ", "display_name: \""
	    HOSTILE_NAME);
	tu_write(dir, "phones.yml", t);
	free(t);
	devices = read_file(FLEET "/devices.yml", &len);
	t = replace_all(devices, "\"fleet-admin-pw\"",
	    "\"a&<b>\\\"c\\\"'d\xc3\xa9 %NULL%\"");
	/* A directory entry and group too: every pack's phonebook. */
	t2 = replace_all(t, "name: \"Reception\"", "name: \"" HOSTILE_NAME
	    "\"");
	free(t);
	t = replace_all(t2, "group: Sales", "group: \"" HOSTILE_NAME "\"");
	free(t2);
	tu_write(dir, "devices.yml", t);
	free(t);
	tu_app(&app, dir, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	each_file(&app, hostile_file);
	app_free(&app);
	free(phones);
	free(devices);
	tu_remove_dir(dir);
}
END_TEST

/* The compare page and the drift gauges: a Cisco device (MPP or SPA
 * through its pack) is compared against its rendered flat profile; a
 * Yealink has nothing a report could be compared with. */
START_TEST(test_expected_for_compare)
{
	static const struct {
		const char	*phone;
		int		 comparable;
		const char	*name, *value;
	} rows[] = {
		{ "mpp-desk", 1, "Display_Name_2_", "Desk 2072" },
		{ "spa-desk", 1, "Admin_Passwd", "fleet-admin-pw" },
		{ "yealink-desk", 0, NULL, NULL },
		{ "polycom-desk", 0, NULL, NULL },
	};
	struct app app;

	tu_app(&app, FLEET, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cmp_expected e;
		const struct phone *ph = snapshot_find(app.cs.snap,
		    rows[i].phone);
		size_t j;

		ck_assert_ptr_nonnull(ph);
		cmp_expected_init(&e);
		cmp_expected_from_phone(&e, app.cs.snap, ph);
		ck_assert_int_eq(e.comparable, rows[i].comparable);
		for (j = 0; rows[i].name != NULL && j < e.n; j++)
			if (strcmp(e.items[j].name, rows[i].name) == 0)
				break;
		if (rows[i].name != NULL) {
			ck_assert_msg(j < e.n, "%s: no %s", rows[i].phone,
			    rows[i].name);
			ck_assert_str_eq(e.items[j].value, rows[i].value);
		}
		cmp_expected_free(&e);
	}
	app_free(&app);
}
END_TEST

/* Issue 15: each changed or added setting, in the file the golden fleet's
 * phone gets, with the public source it follows (the same source the
 * pack or template names).  absent: the text must not be there. */
static const struct {
	int		 line;
	const char	*file, *text;
	int		 absent;
	const char	*source;
} sourced[] = {
	{ __LINE__, "001565aabb01.cfg",
	    "account.2.outbound_proxy.1.address = sbc.example.net\n", 0,
	    "Tancredi data/templates/yealink.tmpl" },
	{ __LINE__, "001565aabb01.cfg", "account.1.outbound_proxy_enable = 1\n",
	    0, "Tancredi data/templates/yealink.tmpl" },
	{ __LINE__, "000413AABB02.xml",
	    "<timezone perm=\"R\">ITA+1</timezone>", 0,
	    "Tancredi data/templates/snom.macros, macro timezone" },
	{ __LINE__, "000413AABB02.xml", "<user_outbound idx=\"2\" perm=\"R\">"
	    "sbc.example.net:5070;transport=tls</user_outbound>", 0,
	    "Tancredi data/templates/snom.tmpl" },
	{ __LINE__, "cfg000b82aabb03.xml", "<P48>sbc.example.net:5070</P48>", 0,
	    "amooma GS3 prov/grandstream/settings.php (P48)" },
	{ __LINE__, "cfg.xml", "<P212>1</P212>\n    <P237>prov.example.net:"
	    "8080/</P237>", 0, "amooma GS3 settings.php (P212, P237)" },
	{ __LINE__, "cfg000b82aabb03.xml", "<P6767>1</P6767>\n    <P192>"
	    "prov.example.net/fw/grandstream/</P192>", 0,
	    "wazo-provd-plugins wazo_grandstream common_ata (P6767, P192)" },
	{ __LINE__, "cfgc074adaabb09.xml", "<config version=\"2\">", 0,
	    "wazo-provd-plugins wazo_grandstream GRP2614.tpl -> base_v2.tpl" },
	{ __LINE__, "cfgc074adaabb09.xml",
	    "<item name=\"pks.vpk.3.keyMode\">BLF</item>", 0,
	    "wazo-provd-plugins wazo_grandstream common.py _add_v2_fkeys" },
	{ __LINE__, "cfgc074adaabb09.xml", "<P323>", 1,
	    "GXP key P-values do not exist on GRP (issue 15)" },
	{ __LINE__, "0c383eaabb04.cfg", "Default Language   :it\n", 0,
	    "wazo-provd-plugins wazo_fanvil common.py _NEW_SUPPORTED_LANGUAGES" },
	{ __LINE__, "0c383eaabb04.cfg", "DST Start Week     :-1\n", 0,
	    "wazo-provd-plugins wazo_fanvil common.py _extract_dst_change" },
	{ __LINE__, "0c383eaabb04.cfg", "SIP2 Proxy Addr         :sbc.example.net"
	    "\nSIP2 Proxy Port         :5070\n", 0,
	    "Tancredi data/templates/fanvil-X5.tmpl" },
	{ __LINE__, "0004f2aabb05-user.cfg",
	    "reg.1.outboundProxy.address=\"sbc.example.net\"", 0,
	    "Polycom phone1.cfg as shipped in wazo-provd-plugins wazo_polycom" },
	{ __LINE__, "00562baabb08.xml",
	    "<Outbound_Proxy_2_>sbc.example.net:5070</Outbound_Proxy_2_>", 0,
	    "Cisco MPP parameters of schema/schema.yml" },
	{ __LINE__, "0002fdaabb07.xml",
	    "<Use_Outbound_Proxy_1_>Yes</Use_Outbound_Proxy_1_>", 0,
	    "Cisco parameters of schema/schema.yml" },
	{ __LINE__, "7c2f80aabb06.xml", "<param name=\"SipProvider.0."
	    "OutboundProxyAddress\" value=\"sbc.example.net\"/>", 0,
	    "wazo-provd-plugins wazo_gigaset Nx70_83_v2_65_0 base.tpl" },
	{ __LINE__, "7c2f80aabb06.xml", "<param name=\"DmGlobal.0.TimeZone\" "
	    "value=\"Europe/Rome\"/>", 0,
	    "wazo-provd-plugins wazo_gigaset Nx70 common.py _VALID_TZ_GIGASET" },
	{ __LINE__, "7C2F80AABB0A.xml", "ID=\"BS_CUSTOM.aucKdsPin[0]\" "
	    "class=\"symb_item\" value=\"0x12,0x34\"", 0,
	    "wazo-provd-plugins wazo_gigaset N510/templates/base.tpl" },
	{ __LINE__, "7C2F80AABB0A.xml", "ID=\"BS_IP_Data1.uiI_SIP_SERVER_PORT_2\""
	    " class=\"symb_item\" value=\"0x13c5\"", 0,
	    "wazo-provd-plugins wazo_gigaset N510/templates/base.tpl" },
	{ __LINE__, "7C2F80AABB0A.xml", "ID=\"BS_IP_Data1.aucS_DATA_SERVER[0]\" "
	    "class=\"symb_item\" value='\"prov.example.net:8080/\"'", 0,
	    "wazo-provd-plugins wazo_gigaset N510/templates/base.tpl" },
	{ __LINE__, "7C2F80AABB0A.xml", "ID=\"BS_IP_Data.ucB_AUTO_UPDATE_PROFILE\""
	    " class=\"symb_item\" value=\"0x1\"", 0,
	    "wazo-provd-plugins wazo_gigaset N510/templates/base.tpl" },
	{ __LINE__, "7C2F80AABB0A.xml", "aucS_USER_FIRMWARE_URL\" class=\"string\" "
	    "value='\"prov.example.net/fw/n510/\"'", 0,
	    "wazo-provd-plugins wazo_gigaset N510/templates/base.tpl" },
	{ __LINE__, "aastra.cfg", "time zone name: Custom\ntime zone minutes: -60\n",
	    0, "Aastra 6700i/6800i/9000i Administrator Guide, Time Zone & DST" },
	{ __LINE__, "6867i.cfg", "dst start week: -1\ndst start day: 1\n", 0,
	    "wazo-provd-plugins wazo_aastra common.py _format_dst_change" },
	{ __LINE__, "00085DAABB0B.cfg", "sip line2 auth name: auth2102\n", 0,
	    "wazo-provd-plugins wazo_aastra common/templates/base.tpl" },
	{ __LINE__, "00085DAABB0B.cfg", "sip outbound proxy: sbc.example.net\n"
	    "sip outbound proxy port: 5070\n", 0,
	    "SARK (aelintra/sail) db_v4_device.sql, Aastra template" },
	{ __LINE__, "00085DAABB0B.cfg", "topsoftkey3 type: blf\n", 0,
	    "wazo-provd-plugins wazo_aastra common.py AastraModel 6867i" },
	{ __LINE__, "00085DAABB0B.cfg", "softkey1 type: speeddial\n", 0,
	    "wazo-provd-plugins wazo_aastra common.py _add_fkeys (68xx soft keys)" },
	{ __LINE__, "aastra.cfg", "password", 1,
	    "aastra.cfg goes to every phone: no secrets" },
};

START_TEST(test_sourced_settings)
{
	struct app app;

	tu_app(&app, FLEET, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	for (size_t i = 0; i < sizeof(sourced) / sizeof(sourced[0]); i++) {
		struct response rs;
		int seen;

		fetch(&app, sourced[i].file, &rs);
		ck_assert_msg(rs.status == 200, "line %d: %s: %d", sourced[i].line,
		    sourced[i].file, rs.status);
		seen = strstr(text_of(&rs), sourced[i].text) != NULL;
		ck_assert_msg(seen != sourced[i].absent, "line %d: %s %s \"%s\" "
		    "(source: %s):\n%s", sourced[i].line, sourced[i].file,
		    sourced[i].absent ? "holds" : "lacks", sourced[i].text,
		    sourced[i].source, rs.body.data);
		response_free(&rs);
	}
	app_free(&app);
}
END_TEST

/* A zone the Gigaset N870 does not list gets the listed zone with the
 * same rules (Africa/Ceuta keeps the EU rules of CET: the first such in
 * wazo-provd-plugins' _VALID_TZ_GIGASET order is Europe/Amsterdam), and
 * the nearest offset when no listed zone has the same (Asia/Kathmandu,
 * +5:45: Asia/Dhaka, +6).  Snom gets the code of a listed zone with the
 * same rules for a zone Tancredi's snom.macros does not list
 * (Atlantic/Jan_Mayen, CET with the EU rules), and none when no listed zone has
 * them (Asia/Pyongyang: the table lists no zone at +9 without DST). */
START_TEST(test_vendor_zone_nearest)
{
	static const struct {
		const char	*zone, *phone, *file, *want;
		int		 absent;
	} rows[] = {
		{ "Africa/Ceuta", "gigaset-desk", "7c2f80aabb06.xml",
		    "\"DmGlobal.0.TimeZone\" value=\"Europe/Amsterdam\"", 0 },
		{ "Asia/Kathmandu", "gigaset-desk", "7c2f80aabb06.xml",
		    "\"DmGlobal.0.TimeZone\" value=\"Asia/Dhaka\"", 0 },
		{ "Atlantic/Jan_Mayen", "snom-desk", "000413AABB02.xml",
		    "<timezone perm=\"R\">", 0 },
		{ "Asia/Pyongyang", "snom-desk", "000413AABB02.xml",
		    "<timezone perm=\"R\">", 1 },
	};
	char dir[TU_DIR_MAX], *devices, *t, from[64];
	size_t len;

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct app app;
		struct response rs;

		tu_copy_dir(FLEET, dir);
		devices = read_file(FLEET "/devices.yml", &len);
		snprintf(from, sizeof(from), "timezone: %s", rows[i].zone);
		t = replace_all(devices, "timezone: Europe/Rome", from);
		tu_write(dir, "devices.yml", t);
		tu_app(&app, dir, SCHEMA, NULL);
		ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
		fetch(&app, rows[i].file, &rs);
		ck_assert_int_eq(rs.status, 200);
		ck_assert_msg((strstr(text_of(&rs), rows[i].want) == NULL) ==
		    rows[i].absent, "%s, %s: %s \"%s\":\n%s", rows[i].zone,
		    rows[i].file, rows[i].absent ? "holds" : "lacks",
		    rows[i].want, rs.body.data);
		response_free(&rs);
		app_free(&app);
		free(devices);
		free(t);
		tu_remove_dir(dir);
	}
}
END_TEST

/* A fleet directory of 10,000 entries (two numbers each, twenty groups,
 * names XML must escape) renders in every pack's phonebook format within
 * the normal render limits (mustache.h: output, steps): each phonebook
 * file is served whole, and its last entry is there.  No timing: the
 * cost is measured by bench/, not asserted here. */
#define BIG_DIRECTORY	10000

static void
big_directory_file(struct app *app, const struct phone *ph,
    const struct pack_file *f, const char *name)
{
	struct response rs;

	if (strcmp(f->tpl, VENDOR_DIRECTORY_TEMPLATE) != 0)
		return;
	fetch(app, name, &rs);
	ck_assert_msg(rs.status == 200, "%s/%s: %d %s", ph->pack->name, name,
	    rs.status, text_of(&rs));
	ck_assert_msg(strstr(text_of(&rs), "9999 &amp; Co<") != NULL,
	    "%s/%s: the last entry is missing", ph->pack->name, name);
	ck_assert_msg(strstr(text_of(&rs), "+39 06 5559999") != NULL,
	    "%s/%s: the last number is missing", ph->pack->name, name);
	if (getenv("DESKPROV_TEST_VERBOSE") != NULL)
		fprintf(stderr, "%s/%s: %zu bytes\n", ph->pack->name, name,
		    rs.body.len);
	response_free(&rs);
}

START_TEST(test_big_directory)
{
	struct app app;
	char dir[TU_DIR_MAX], *devices, *t;
	struct buf big;
	size_t len;

	tu_copy_dir(FLEET, dir);
	devices = read_file(FLEET "/devices.yml", &len);
	buf_init(&big);
	buf_adds(&big, "  directory:\n");
	for (int i = 0; i < BIG_DIRECTORY; i++) {
		char row[200];
		snprintf(row, sizeof(row), "    - {name: \"Person %d & Co\", "
		    "group: \"Group %d\", numbers: [{number: \"%d\"}, "
		    "{number: \"+39 06 555%04d\", type: mobile}]}\n", i,
		    i % 20, 10000 + i, i);
		buf_adds(&big, row);
	}
	/* Before the fleet's own entries, in the same list. */
	t = replace_all(devices, "  directory:\n", big.data);
	tu_write(dir, "devices.yml", t);
	free(t);
	buf_free(&big);
	free(devices);
	tu_app(&app, dir, SCHEMA, NULL);
	ck_assert_msg(app.cs.snap != NULL, "%s", app.cs.error);
	each_file(&app, big_directory_file);
	app_free(&app);
	tu_remove_dir(dir);
}
END_TEST

Suite	*packs_suite(void);

Suite *
packs_suite(void)
{
	Suite *s = suite_create("packs");
	TCase *tc = tcase_create("shipped");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_golden);
	tcase_add_test(tc, test_lines_reach_every_pack);
	tcase_add_test(tc, test_hostile_values);
	tcase_add_test(tc, test_expected_for_compare);
	tcase_add_test(tc, test_sourced_settings);
	tcase_add_test(tc, test_vendor_zone_nearest);
	tcase_add_test(tc, test_big_directory);
	suite_add_tcase(s, tc);
	return s;
}
