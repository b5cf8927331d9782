/* Loading a configuration directory: the good fixture and how each phone
 * is found, then every kind of mistake, each reported with its file and
 * line.  Fixtures live in tests/data/config/<case>/ (make runs the tests
 * from the top of the tree). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "testutil.h"

#define FIXTURES	"tests/data/config/"
#define GOOD		FIXTURES "good"

/* Loads a fixture; schema.yml, when any, is in the same directory. */
static struct snapshot *
load(const char *dir, struct diag *err)
{
	return snapshot_load(dir, dir, err);
}

static struct snapshot *
load_good(void)
{
	struct diag err;
	struct snapshot *s = load(GOOD, &err);
	char msg[512];

	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "good fixture refused: %s", msg);
	return s;
}

static const struct phone *
find(const struct snapshot *s, const char *ident)
{
	char key[IDENT_MAX + 1];

	ident_key(ident, strlen(ident), key);
	return snapshot_find(s, key);
}

static const struct param *
phone_param(const struct phone *ph, const char *name)
{
	for (uint32_t i = 0; i < ph->n_params; i++)
		if (strcmp(ph->params[i].name, name) == 0)
			return &ph->params[i];
	return NULL;
}

START_TEST(test_good_loads)
{
	struct snapshot *s = load_good();

	ck_assert_uint_eq(s->n_phones, 4);
	/* common.yml's 10 parameters, then the schema's not set there. */
	ck_assert_uint_eq(s->n_common, 10);
	ck_assert_uint_eq(s->n_schema, 9);
	ck_assert_uint_eq(s->n_base, 10 + 5);
	ck_assert_str_eq(s->base[0].name, "Proxy_1_");
	ck_assert_str_eq(s->base[10].name, "User_Password");
	ck_assert_str_eq(s->svc.default_ua, "na");
	ck_assert_uint_eq(s->svc.ip_whitelist.n, 2);
	ck_assert_uint_eq(s->svc.trusted_proxies.n, 1);
	ck_assert_int_eq(s->svc.ip_policy, IP_POLICY_PHONE);
	ck_assert_int_eq(s->svc.ua_mac_must_match, 1);
	ck_assert_int_eq(s->fw.update_enabled, 1);
	ck_assert_str_eq(s->fw.expected_version, "12.0.1");
	ck_assert_int_eq(s->fw.retry_delay, 600);
	ck_assert_str_eq(strpairs_get_model(&s->fw.model_versions, "8841"),
	    "12.0.10");
	ck_assert_uint_eq(s->cmp.blacklist.n, 2);
	ck_assert_int_gt(s->loaded_at, 0);
	snapshot_free(s);
}
END_TEST

/* Values as written: no YAML type guessing, null and '' both empty. */
START_TEST(test_good_values)
{
	static const struct {
		int		 line;
		const char	*name, *value;
	} want[] = {
		{ __LINE__, "Daylight_Saving_Time_Enable", "Yes" },
		{ __LINE__, "Resync_Periodic", "3600" },
		{ __LINE__, "Empty_Param_", "" },
		{ __LINE__, "Null_Param_", "" },
		{ __LINE__, "Special_Chars_", "a & b < c > d \" e ' f" },
		{ __LINE__, "Time_Format", "12hr" },
	};
	struct snapshot *s = load_good();

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct param *p = strmap_get(&s->base_slots,
		    want[i].name, strlen(want[i].name));
		ck_assert_msg(p != NULL, "line %d: no %s", want[i].line,
		    want[i].name);
		ck_assert_msg(strcmp(p->value, want[i].value) == 0 &&
		    p->value_len == strlen(want[i].value),
		    "line %d: %s is '%s'", want[i].line, want[i].name,
		    p->value);
	}
	snapshot_free(s);
}
END_TEST

START_TEST(test_good_phone)
{
	struct snapshot *s = load_good();
	const struct phone *ph = find(s, "phone-01");
	const struct param *p;

	ck_assert_ptr_nonnull(ph);
	ck_assert_str_eq(ph->id, "phone-01");
	ck_assert_str_eq(ph->mac, "001122334455");
	ck_assert_str_eq(ph->serial, "FCH2201A0AA");
	ck_assert_uint_eq(ph->n_nets, 1);
	/* Meta keys describe the phone; they are not parameters. */
	ck_assert_ptr_null(phone_param(ph, "mac"));
	ck_assert_ptr_null(phone_param(ph, "ip_address"));
	ck_assert_ptr_null(phone_param(ph, "serial_number"));
	ck_assert_ptr_null(phone_param(ph, "model"));
	ck_assert_ptr_null(phone_param(ph, "description"));
	ck_assert_str_eq(phone_param(ph, "Display_Name_1_")->value, "Yes");
	ck_assert_str_eq(phone_param(ph, "Ringer_Volume")->value, "05");
	p = phone_param(ph, "Short_Name_2_");
	ck_assert_str_eq(p->value, "Lobby");
	ck_assert_str_eq(p->ua, "rw");
	ck_assert_ptr_null(phone_param(ph, "Station_Name")->ua);

	/* Aliases resolve to the anchored value. */
	ph = find(s, "Reception");
	ck_assert_str_eq(phone_param(ph, "Station_Display_Name")->value,
	    "Reception");
	ck_assert_str_eq(phone_param(ph, "Dial_Plan_1_")->value,
	    "(*xx|[3469]11|0|00|[2-9]xxxxxx)");
	ck_assert_uint_eq(ph->n_nets, 2);

	/* A phone without MAC and with a null ip_address. */
	ph = find(s, "spare");
	ck_assert_str_eq(ph->mac, "");
	ck_assert_uint_eq(ph->n_nets, 0);
	snapshot_free(s);
}
END_TEST

/* Every way of naming a phone finds it; nothing else does. */
static const struct {
	int		 line;
	const char	*ident;
	const char	*id;	/* NULL: no phone */
} lookups[] = {
	{ __LINE__, "001122334455", "phone-01" },
	{ __LINE__, "00:11:22:33:44:55", "phone-01" },
	{ __LINE__, "00-11-22-33-44-55", "phone-01" },
	{ __LINE__, "0011.2233.4455", "phone-01" },
	{ __LINE__, "00:11:22:33:44:55", "phone-01" },
	{ __LINE__, "phone-01", "phone-01" },
	{ __LINE__, "PHONE-01", "phone-01" },
	{ __LINE__, "FCH2201A0AA", "phone-01" },
	{ __LINE__, "fch2201a0aa", "phone-01" },
	{ __LINE__, "001122334466", "Reception" },
	{ __LINE__, "reception", "Reception" },
	{ __LINE__, "RECEPTION", "Reception" },
	{ __LINE__, "00:11:22:33:44:77", "warehouse" },
	{ __LINE__, "0011.2233.4477", "warehouse" },
	{ __LINE__, "Warehouse", "warehouse" },
	{ __LINE__, "SPARE-0001", "spare" },
	{ __LINE__, "spare", "spare" },
	{ __LINE__, "001122334488", NULL },
	{ __LINE__, "phone-02", NULL },
	{ __LINE__, "phone-0", NULL },
	{ __LINE__, "FCH2201A0A", NULL },
	{ __LINE__, "Desk One", NULL },
	{ __LINE__, "", NULL },
};

START_TEST(test_lookup)
{
	struct snapshot *s = load_good();
	const struct phone *ph = find(s, lookups[_i].ident);

	if (lookups[_i].id == NULL)
		ck_assert_msg(ph == NULL, "line %d: '%s' found %s",
		    lookups[_i].line, lookups[_i].ident, ph->id);
	else
		ck_assert_msg(ph != NULL && strcmp(ph->id, lookups[_i].id) == 0,
		    "line %d: '%s' found %s", lookups[_i].line,
		    lookups[_i].ident, ph ? ph->id : "nothing");
	snapshot_free(s);
}
END_TEST

START_TEST(test_find_mac)
{
	struct snapshot *s = load_good();

	ck_assert_str_eq(snapshot_find_mac(s, "001122334455")->id, "phone-01");
	/* Names and serials share the table but are not MACs. */
	ck_assert_ptr_null(snapshot_find_mac(s, "phone-01"));
	ck_assert_ptr_null(snapshot_find_mac(s, "spare-0001"));
	ck_assert_ptr_null(snapshot_find_mac(s, "0011223344ff"));
	snapshot_free(s);
}
END_TEST

START_TEST(test_minimal)
{
	struct diag err;
	struct snapshot *s = load(FIXTURES "minimal", &err);

	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_phones, 1);
	ck_assert_uint_eq(s->n_schema, 0);
	/* Without serviceconfig.yml the safe defaults hold. */
	ck_assert_int_eq(s->svc.ip_policy, IP_POLICY_PHONE);
	ck_assert_int_eq(s->svc.ua_mac_must_match, 1);
	ck_assert_int_eq(s->svc.discovery_enabled, 0);
	ck_assert_int_eq(s->fw.update_enabled, 0);
	ck_assert_str_eq(s->svc.default_ua, "na");
	snapshot_free(s);
}
END_TEST

/* Each broken fixture: the file and line the admin is sent to, and a
 * fragment of the message. */
static const struct {
	int		 line;
	const char	*dir;
	const char	*file;
	unsigned	 err_line;
	const char	*msg;
} broken[] = {
	{ __LINE__, "bad-yaml", "common.yml", 4, "expected key" },
	{ __LINE__, "dup-mac", "phones.yml", 5, "also identifies phone 'desk' "
	    "(line 2)" },
	{ __LINE__, "dup-key", "phones.yml", 5, "duplicate key 'Station_Name'" },
	/* Not a key name: named without its bytes (B3). */
	{ __LINE__, "bad-param-name", "common.yml", 3, "invalid parameter "
	    "name (an invalid key)" },
	{ __LINE__, "unknown-service-key", "serviceconfig.yml", 4,
	    "unknown key 'exclude_mac'" },
	{ __LINE__, "bad-ip", "phones.yml", 4, "ip_address" },
	{ __LINE__, "missing-phones", "phones.yml", 0, "missing" },
	{ __LINE__, "missing-common", "common.yml", 0, "missing" },
	{ __LINE__, "control-char", "common.yml", 3, "control character" },
	{ __LINE__, "bad-ua", "phones.yml", 4, "ua must be na, ro or rw" },
	{ __LINE__, "no-dynamic-params", "schema.yml", 5, "DYNAMIC_PARAMS" },
	{ __LINE__, "does-not-exist", "phones.yml", 0, "missing" },
};

START_TEST(test_broken)
{
	struct diag err;
	char dir[256], msg[600];
	struct snapshot *s;

	snprintf(dir, sizeof(dir), FIXTURES "%s", broken[_i].dir);
	s = load(dir, &err);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s == NULL, "line %d: %s loaded", broken[_i].line, dir);
	ck_assert_msg(strcmp(err.file, broken[_i].file) == 0 &&
	    err.line == broken[_i].err_line &&
	    strstr(err.msg, broken[_i].msg) != NULL && err.msg[0] != '\0',
	    "line %d: got '%s'", broken[_i].line, msg);
}
END_TEST

START_TEST(test_error_format)
{
	struct diag err;
	char msg[600];

	ck_assert_ptr_null(load(FIXTURES "dup-key", &err));
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(strncmp(msg, "phones.yml:5: ", 14) == 0, "got '%s'", msg);
	ck_assert_ptr_null(load(FIXTURES "missing-common", &err));
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(strncmp(msg, "common.yml: missing", 19) == 0, "got '%s'",
	    msg);
}
END_TEST

/* More mistakes, each written over one file of a copy of the good
 * fixture. */
static const struct {
	int		 line;
	const char	*file;
	const char	*text;
	unsigned	 err_line;
	const char	*msg;
} overlays[] = {
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    mac: \"01:11:22:33:44:55\"\n", 3,
	    "not a phone MAC" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    mac: \"00:11:22:33:44\"\n", 3,
	    "not a phone MAC" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    mac: \"000000000000\"\n", 3,
	    "not a phone MAC" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    ip_address: \"192.0.2.1/24\"\n", 3,
	    "ip_address" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    ip_address: [\"192.0.2.1\", \"bad\"]\n", 3,
	    "ip_address" },
	{ __LINE__, "phones.yml",
	    "phones:\n  Desk:\n    Station_Name: x\n  desk:\n"
	    "    Station_Name: y\n", 4, "also identifies phone 'Desk'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  desk:\n    serial_number: lobby\n  lobby:\n"
	    "    Station_Name: y\n", 4, "also identifies phone 'desk'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  desk:\n    mac: \"001122334455\"\n"
	    "  00-11-22-33-44-55:\n    Station_Name: y\n", 4,
	    "also identifies phone 'desk'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  bad/name:\n    Station_Name: x\n", 2, "phone name" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    serial_number: \"has space\"\n", 3,
	    "serial_number" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    \"Station Name\": x\n", 3,
	    "invalid parameter name" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: {value: x, colour: red}\n", 3,
	    "only 'value' and 'ua'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: {ua: rw}\n", 3, "no value" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: [x, y]\n", 3,
	    "single value" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: \"x\\0y\"\n", 3, "NUL" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a: [1]\n", 2, "must be a mapping" },
	{ __LINE__, "phones.yml",
	    "phone:\n  a:\n    Station_Name: x\n", 1, "unknown key 'phone'" },
	{ __LINE__, "phones.yml", "- a\n- b\n", 1, "expected a mapping" },
	{ __LINE__, "common.yml",
	    "common:\n  Station_Name: \"\\uFFFF\"\n", 2, "U+FFFE" },
	{ __LINE__, "common.yml",
	    "common:\n  Station_Name: \"a\\x1bb\"\n", 2, "control character" },
	/* A Cisco value ends up in XML, where a newline is text but NEL and
	 * U+2028 are line ends to an XML 1.1 reader: they are refused. */
	{ __LINE__, "common.yml",
	    "common:\n  Station_Name: \"a\\x7fb\"\n", 2, "control character" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: \"a\\u0085b\"\n", 3,
	    "parameter 'Station_Name' holds a C1 control character" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: \"a\u2028b\"\n", 3,
	    "parameter 'Station_Name' holds a line or paragraph separator" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: {value: \"a\\u2029b\"}\n", 3,
	    "parameter 'Station_Name' holds a line or paragraph separator" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    model: \"SPA\\u2028525\"\n", 3,
	    "model must be a short line of text" },
	{ __LINE__, "firmware.yml",
	    "firmware:\n  upgrade_url: \"http://x/\\u2029\"\n", 2,
	    "line or paragraph separator" },
	{ __LINE__, "common.yml",
	    "common:\n  Station_Name: x\nextra: 1\n", 3, "unknown key 'extra'" },
	{ __LINE__, "common.yml", "common: [a]\n", 1, "must be a mapping" },
	{ __LINE__, "common.yml", "", 0, "expected a mapping" },
	{ __LINE__, "serviceconfig.yml", "default_ua: admin\n", 1,
	    "na, ro or rw" },
	{ __LINE__, "serviceconfig.yml", "ip_authorization: nobody\n", 1,
	    "phone, fleet, learned or off" },
	{ __LINE__, "serviceconfig.yml", "trusted_proxies: [\"10.0.0.1/8\"]\n",
	    1, "not an IP address or CIDR range: (an invalid key)" },
	{ __LINE__, "serviceconfig.yml",
	    "ip_whitelist:\n  - 192.0.2.1\n  - example.net\n", 3,
	    "example.net" },
	{ __LINE__, "serviceconfig.yml",
	    "discovery:\n  exclude_macs: [\"01:00:5e:00:00:01\"]\n", 2,
	    "not a phone MAC" },
	{ __LINE__, "serviceconfig.yml", "ua_mac_must_match: maybe\n", 1,
	    "true or false" },
	{ __LINE__, "serviceconfig.yml",
	    "monitoring:\n  phone_activity_window: -5\n", 2, "out of range" },
	{ __LINE__, "serviceconfig.yml",
	    "auth:\n  users:\n    bob: {role: root}\n", 3, "role" },
	{ __LINE__, "firmware.yml", "firmware:\n  update: true\n", 2,
	    "unknown key 'update'" },
	{ __LINE__, "firmware.yml",
	    "firmware:\n  expected_version: \"twelve\"\n", 2,
	    "not a firmware version" },
	{ __LINE__, "firmware.yml",
	    "firmware:\n  update_enabled: true\n  upgrade_url: http://x/\n", 1,
	    "expected_version" },
	{ __LINE__, "firmware.yml",
	    "firmware:\n  retry_delay: 1e3\n", 2, "retry_delay" },
	{ __LINE__, "comparison.yml", "comparison:\n  blacklist: x\n", 2,
	    "expected a list" },
	{ __LINE__, "schema.yml",
	    "schema:\n  flat_profile_params: {}\n  other: 1\n", 3,
	    "unknown key 'other'" },
	{ __LINE__, "schema.yml",
	    "schema:\n  xml_structure:\n    a:\n      b: DYNAMIC_PARAMS\n"
	    "      c: DYNAMIC_PARAMS\n", 5, "twice" },
	{ __LINE__, "schema.yml",
	    "schema:\n  xml_structure:\n    a: DYNAMIC_PARAMS\n"
	    "    b: text\n", 3, "one root element" },
	{ __LINE__, "schema.yml",
	    "schema:\n  xml_structure:\n    \"a b\": DYNAMIC_PARAMS\n", 3,
	    "invalid element name" },
	{ __LINE__, "schema.yml",
	    "schema:\n  flat_profile_params:\n    \"x&y\": ''\n", 3,
	    "invalid parameter name" },
	/* phones.yml is loaded as a stream of entries; what it reports
	 * first is still the first problem of the whole file: a name
	 * twice is a duplicate key (not a name that identifies another
	 * phone), a problem of the file's shape after the phones beats a
	 * phone's, and a phone's names are checked against the phones
	 * before it before a later phone is loaded. */
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    Station_Name: x\n  b:\n    Station_Name: y\n"
	    "  a:\n    Station_Name: z\n", 6, "duplicate key 'a'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    ip_address: bad\nextra: 1\n", 4,
	    "unknown key 'extra' at the top" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    ip_address: bad\n  b: [\n", 5,
	    "did not find expected node content" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a:\n    mac: \"001122334455\"\n"
	    "  b:\n    mac: \"00:11:22:33:44:55\"\n"
	    "  c:\n    ip_address: bad\n", 4, "also identifies phone 'a'" },
	{ __LINE__, "phones.yml",
	    "phones:\n  a: {Station_Name: x}\nphones:\n  b: {Station_Name: y}\n",
	    3, "duplicate key 'phones'" },
};

/* phones.yml's syntax error is the first problem of a directory with
 * others: it is the first file read, even though it is parsed after the
 * others now (streamed, it needs their base list and packs). */
START_TEST(test_phones_syntax_first)
{
	struct diag err;
	char dir[TU_DIR_MAX];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", "phones:\n  a:\n    b: [\n");
	tu_write(dir, "common.yml", "common:\n  Station_Name: x\nextra: 1\n");
	s = load(dir, &err);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err.file, "phones.yml");
	ck_assert_uint_eq(err.line, 4);
	tu_write(dir, "phones.yml", "phones:\n  a:\n    b: x\n");
	s = load(dir, &err);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err.file, "common.yml");
	ck_assert_uint_eq(err.line, 3);
	tu_remove_dir(dir);
}
END_TEST

/* What the stream cannot take loads from the whole tree, as before: a
 * merge key among the phones (a mapping of phones merged in), phones
 * written as aliases of an earlier phone, and an anchor in one phone
 * that later phones merge, also across the loader's emptying of the
 * entries it has loaded (a thousand phones between). */
START_TEST(test_phones_stream_shapes)
{
	struct diag err;
	char dir[TU_DIR_MAX];
	const struct phone *ph;
	struct snapshot *s;
	struct buf b;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", "phones:\n"
	    "  <<: {x: {Station_Name: merged}}\n"
	    "  y: {Station_Name: own}\n");
	s = load(dir, &err);
	ck_assert_msg(s != NULL, "%s:%d: %s", err.file, err.line, err.msg);
	ck_assert_uint_eq(s->n_phones, 2);
	ck_assert_str_eq(phone_param(find(s, "x"), "Station_Name")->value,
	    "merged");
	ck_assert_uint_eq(find(s, "y")->line, 3);
	snapshot_free(s);

	buf_init(&b);
	buf_adds(&b, "phones:\n  first: &base\n    Station_Name: shared\n"
	    "    Proxy_1_: pbx\n");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "  p%04d: {Station_Name: own%d}\n", i, i);
	buf_adds(&b, "  last:\n    <<: *base\n    Proxy_1_: mine\n"
	    "  same: *base\n");
	tu_write_n(dir, "phones.yml", b.data, b.len);
	buf_free(&b);
	s = load(dir, &err);
	ck_assert_msg(s != NULL, "%s:%d: %s", err.file, err.line, err.msg);
	ck_assert_uint_eq(s->n_phones, 1003);
	ph = find(s, "last");
	ck_assert_str_eq(phone_param(ph, "Station_Name")->value, "shared");
	ck_assert_str_eq(phone_param(ph, "Proxy_1_")->value, "mine");
	ck_assert_int_eq(ph->line, 1005);
	ph = find(s, "same");
	ck_assert_str_eq(phone_param(ph, "Proxy_1_")->value, "pbx");
	ck_assert_str_eq(phone_param(find(s, "p0999"), "Station_Name")->value,
	    "own999");
	/* In file order, as phones.yml has them. */
	ck_assert_str_eq(s->phones[0].id, "first");
	ck_assert_str_eq(s->phones[1002].id, "same");
	snapshot_free(s);
	tu_remove_dir(dir);
}
END_TEST

/* The loader remembers the keys of the phone before, by position: a
 * phone with other keys there (another name of the same length, a meta
 * key where a parameter was, a key unknown to the base) gets its own
 * names, slots, meta fields and warnings; so does a phone of more keys
 * than are remembered. */
START_TEST(test_keys_by_position)
{
	struct diag err;
	char dir[TU_DIR_MAX];
	const struct phone *a, *b, *c;
	struct snapshot *s;
	struct buf t;

	buf_init(&t);
	buf_adds(&t, "phones:\n"
	    "  a: {Station_Name: x, Extra_A: 1, model: SPA525G}\n"
	    "  b: {Station_Name: y, Extra_B: 2, Proxy_1_: p}\n"
	    "  c: {mac: \"00:11:22:33:44:66\", Extra_B: 3, Proxy_1_: q,\n");
	for (int i = 0; i < 40; i++)
		buf_printf(&t, "      Own_%02d: v%d,\n", i, i);
	buf_adds(&t, "      Station_Name: z}\n");
	tu_copy_dir(GOOD, dir);
	tu_write_n(dir, "phones.yml", t.data, t.len);
	buf_free(&t);
	s = load(dir, &err);
	tu_remove_dir(dir);
	ck_assert_msg(s != NULL, "%s:%d: %s", err.file, err.line, err.msg);
	a = find(s, "a");
	b = find(s, "b");
	c = find(s, "c");
	ck_assert_ptr_nonnull(phone_param(a, "Extra_A"));
	ck_assert_ptr_null(phone_param(b, "Extra_A"));
	ck_assert_str_eq(phone_param(b, "Extra_B")->value, "2");
	ck_assert_uint_eq(phone_param(b, "Extra_B")->slot, SLOT_NONE);
	ck_assert_str_eq(a->model, "SPA525G");
	ck_assert_ptr_null(b->model);
	ck_assert_str_eq(phone_param(b, "Proxy_1_")->value, "p");
	ck_assert_uint_ne(phone_param(b, "Proxy_1_")->slot, SLOT_NONE);
	ck_assert_uint_eq(phone_param(b, "Proxy_1_")->slot,
	    phone_param(c, "Proxy_1_")->slot);
	ck_assert_str_eq(c->mac, "001122334466");
	ck_assert_uint_eq(c->n_params, 43);
	ck_assert_str_eq(phone_param(c, "Own_39")->value, "v39");
	ck_assert_str_eq(phone_param(c, "Station_Name")->value, "z");
	ck_assert_uint_eq(phone_param(c, "Station_Name")->slot,
	    phone_param(a, "Station_Name")->slot);
	ck_assert_uint_eq(s->n_warnings, 0);
	snapshot_free(s);
}
END_TEST

START_TEST(test_overlay)
{
	struct diag err;
	char dir[TU_DIR_MAX], msg[600];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, overlays[_i].file, overlays[_i].text);
	s = load(dir, &err);
	diag_format(&err, msg, sizeof(msg));
	tu_remove_dir(dir);
	ck_assert_msg(s == NULL, "line %d: loaded", overlays[_i].line);
	ck_assert_msg(strcmp(err.file, overlays[_i].file) == 0 &&
	    err.line == overlays[_i].err_line &&
	    strstr(err.msg, overlays[_i].msg) != NULL,
	    "line %d: got '%s'", overlays[_i].line, msg);
}
END_TEST

/* A6: keys of a Cisco phone one slip away from a key we know load (the
 * phone ignores them) but are warned about, with file, line and the key
 * meant; everything else of the good fixture gives no warning. */
START_TEST(test_typo_warnings)
{
	struct diag err;
	char dir[TU_DIR_MAX], msg[600];
	struct snapshot *s = load_good();

	ck_assert_uint_eq(s->n_warnings, 0);
	snapshot_free(s);
	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", "phones:\n  desk:\n"
	    "    mac: \"00:11:22:33:44:55\"\n"
	    "    ip_adress: 192.0.2.10\n"
	    "    Staton_Name: Desk\n"
	    "    station_name: Desk\n"
	    "    Extra_Only_Phone_: fine\n"
	    "    Station_Name: Desk\n");
	s = load(dir, &err);
	tu_remove_dir(dir);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "refused: %s", msg);
	ck_assert_uint_eq(s->n_warnings, 3);
	ck_assert_uint_eq(snapshot_warnings_kept(s), 3);
	diag_format(&s->warnings[0], msg, sizeof(msg));
	ck_assert_str_eq(msg, "phones.yml:4: phone 'desk': unknown key "
	    "'ip_adress', sent to the phone as a parameter (did you mean "
	    "'ip_address'?)");
	diag_format(&s->warnings[1], msg, sizeof(msg));
	ck_assert_str_eq(msg, "phones.yml:5: phone 'desk': unknown key "
	    "'Staton_Name', sent to the phone as a parameter (did you mean "
	    "'Station_Name'?)");
	diag_format(&s->warnings[2], msg, sizeof(msg));
	ck_assert_msg(strstr(msg, "phones.yml:6: ") == msg &&
	    strstr(msg, "(did you mean 'Station_Name'?)") != NULL, "%s", msg);
	snapshot_free(s);
}
END_TEST

/* The same slip in common.yml, against the schema's parameters. */
START_TEST(test_typo_warnings_common)
{
	struct diag err;
	char dir[TU_DIR_MAX], msg[600];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, "common.yml", "common:\n  Time_Zone: GMT\n"
	    "  Time_Zon: GMT\n  Common_Only_Param: x\n");
	s = load(dir, &err);
	tu_remove_dir(dir);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_warnings, 1);
	diag_format(&s->warnings[0], msg, sizeof(msg));
	ck_assert_str_eq(msg, "common.yml:3: parameter 'Time_Zon' is not in "
	    "schema.yml (did you mean 'Time_Zone'?)");
	snapshot_free(s);
}
END_TEST

/* The snapshot keeps the first SNAPSHOT_WARN_MAX and counts the rest. */
START_TEST(test_typo_warnings_bounded)
{
	struct diag err;
	char dir[TU_DIR_MAX];
	struct snapshot *s;
	struct buf y;

	buf_init(&y);
	buf_adds(&y, "phones:\n");
	for (int i = 0; i < SNAPSHOT_WARN_MAX + 8; i++)
		buf_printf(&y, "  p%d:\n    Staton_Name: x\n", i);
	buf_addc(&y, '\0');
	tu_copy_dir(GOOD, dir);
	tu_write(dir, "phones.yml", y.data);
	s = load(dir, &err);
	tu_remove_dir(dir);
	buf_free(&y);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_warnings, SNAPSHOT_WARN_MAX + 8);
	ck_assert_uint_eq(snapshot_warnings_kept(s), SNAPSHOT_WARN_MAX);
	ck_assert_uint_eq(s->warnings[SNAPSHOT_WARN_MAX - 1].line,
	    2 * SNAPSHOT_WARN_MAX + 1);
	snapshot_free(s);
}
END_TEST

/* A schema found beside the other files wins over the schema directory;
 * without one there, the schema directory's is used. */
START_TEST(test_schema_lookup)
{
	struct diag err;
	char dir[TU_DIR_MAX], path[512];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	s = snapshot_load(dir, FIXTURES "no-dynamic-params", &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_schema, 9);
	snapshot_free(s);
	snprintf(path, sizeof(path), "%s/schema.yml", dir);
	ck_assert_int_eq(unlink(path), 0);
	s = snapshot_load(dir, FIXTURES "no-dynamic-params", &err);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err.file, "schema.yml");
	s = snapshot_load(dir, FIXTURES "does-not-exist", &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->n_schema, 0);
	snapshot_free(s);
	tu_remove_dir(dir);
}
END_TEST

/* The Flask peer's sample directory loads unchanged (users move their
 * config over as it is), and its phone-01 is found by name. */
START_TEST(test_peer_config)
{
	struct diag err;
	char dir[1024], msg[600];
	struct snapshot *s;

	if (!tu_shared_dir(dir, sizeof(dir),
	    "peer-data/cisco-mpp/upstream-config"))
		TU_SKIP("the peer's sample config: %s", dir);
	s = snapshot_load(dir, dir, &err);
	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "%s: %s", dir, msg);
	ck_assert_uint_eq(s->n_phones, 2);
	ck_assert_uint_eq(s->n_common, 1126);
	ck_assert_uint_eq(s->n_schema, 1104);
	ck_assert_str_eq(find(s, "phone-01")->mac, "001122334455");
	ck_assert_str_eq(find(s, "00:11:22:33:44:66")->id, "phone-02");
	snapshot_free(s);
}
END_TEST

/* A FIFO in place of a config file used to hang every process in open()
 * (before any regular-file check); now it is refused at once.  Without the
 * fix this test hangs until Check's timeout fails it. */
START_TEST(test_fifo_refused)
{
	static const char *const names[] = { "phones.yml", "devices.yml" };
	struct config_files files;
	struct diag err;
	char dir[TU_DIR_MAX], path[512];
	uint64_t hash;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		tu_copy_dir(GOOD, dir);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
		ck_assert_int_eq(mkfifo(path, 0600), 0);
		ck_assert_ptr_null(load(dir, &err));
		ck_assert_str_eq(err.file, names[i]);
		ck_assert_str_eq(err.msg, "not a regular file");
		/* The last-good copy reads the same files. */
		ck_assert_int_lt(config_files_read(dir, dir, &files, &hash), 0);
		tu_remove_dir(dir);
	}
}
END_TEST

/* Symbolic links are followed (linking config files in from a managed
 * location is supported), but the target must be a regular file. */
START_TEST(test_symlinks)
{
	struct diag err;
	char dir[TU_DIR_MAX], path[512], target[512];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	snprintf(path, sizeof(path), "%s/phones.yml", dir);
	snprintf(target, sizeof(target), "%s/real-phones.yml", dir);
	ck_assert_int_eq(rename(path, target), 0);
	ck_assert_int_eq(symlink("real-phones.yml", path), 0);
	s = load(dir, &err);
	ck_assert_msg(s != NULL, "%s: %s", err.file, err.msg);
	snapshot_free(s);
	ck_assert_int_eq(unlink(target), 0);
	ck_assert_int_eq(mkfifo(target, 0600), 0);
	ck_assert_ptr_null(load(dir, &err));
	ck_assert_str_eq(err.msg, "not a regular file");
	tu_remove_dir(dir);
}
END_TEST

/* B5: a ~70 KB phones.yml merging one large mapping (2,400 parameters)
 * into a hundred phones loads (it took 0.6 s of CPU with the quadratic
 * merge, and grows with the square of the mapping), every phone with the
 * merged parameters and its own value winning. */
START_TEST(test_merge_large_mapping)
{
	struct diag err;
	char dir[TU_DIR_MAX], key[32];
	const struct param *p;
	const struct phone *ph;
	struct snapshot *s;
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "phones:\n  base: &base\n");
	for (int i = 0; i < 2400; i++)
		buf_printf(&b, "    Param_%05d: value%d\n", i, i);
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "  p%05d: {<<: *base, Param_%05d: own}\n", i, i);
	ck_assert_uint_gt(b.len, 65 * 1024);
	tu_copy_dir(GOOD, dir);
	tu_write_n(dir, "phones.yml", b.data, b.len);
	s = load(dir, &err);
	ck_assert_msg(s != NULL, "%s:%d: %s", err.file, err.line, err.msg);
	ph = find(s, "p00042");
	ck_assert_ptr_nonnull(ph);
	ck_assert_uint_eq(ph->n_params, 2400);
	ck_assert_str_eq(phone_param(ph, "Param_00042")->value, "own");
	snprintf(key, sizeof(key), "Param_%05d", 2399);
	p = phone_param(ph, key);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->value, "value2399");
	snapshot_free(s);
	tu_remove_dir(dir);
	buf_free(&b);
}
END_TEST

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN	1
#endif
#endif

/* B6, B7: with 512 MB of address space, a 341-byte alias bomb under a
 * model of vendors.yml (13 GB of JSON once expanded) and a 20 MB list
 * (680 MB of tree before) are refused with an error; the process does not
 * die.  In a child of its own, since RLIMIT_AS cannot be raised again. */
static int
load_limited(const char *dir, const char *file, const char *text, size_t n,
    const char *want)
{
	struct diag err;
	struct rlimit rl = { 512u << 20, 512u << 20 };
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((f = fopen(path, "wb")) == NULL || fwrite(text, 1, n, f) != n ||
	    fclose(f) != 0 || setrlimit(RLIMIT_AS, &rl) < 0)
		return 2;
	if (snapshot_load(dir, dir, &err) != NULL)
		return 3;
	if (strcmp(err.file, file) != 0 || strstr(err.msg, want) == NULL) {
		fprintf(stderr, "%s:%d: %s\n", err.file, err.line, err.msg);
		return 4;
	}
	return 0;
}

START_TEST(test_bounded_memory)
{
	static const char bomb[] = "yealink:\n models:\n  B:\n"
	    "   a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	    "   b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "   c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "   d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "   e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "   f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "   g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "   h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n";
	size_t list_len = 8 + 2 * 10 * 1024 * 1024;
	char dir[TU_DIR_MAX], *list;
	int status, rc[2];
	pid_t pid;

#ifdef UNDER_ASAN
	printf("config: test_bounded_memory skipped: RLIMIT_AS and "
	    "AddressSanitizer's shadow memory do not mix\n");
	return;
#endif
	list = malloc(list_len);
	ck_assert_ptr_nonnull(list);
	memcpy(list, "phones:\n", 8);
	for (size_t i = 8; i < list_len; i += 2)
		memcpy(list + i, "-\n", 2);
	for (int i = 0; i < 2; i++) {
		tu_copy_dir(GOOD, dir);
		fflush(NULL);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(i == 0 ? load_limited(dir, "vendors.yml", bomb,
			    sizeof(bomb) - 1, "aliases and merge keys expand") :
			    load_limited(dir, "phones.yml", list, list_len,
			    "the file needs more than"));
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		rc[i] = WIFEXITED(status) ? WEXITSTATUS(status) :
		    128 + WTERMSIG(status);
		tu_remove_dir(dir);
	}
	free(list);
	ck_assert_msg(rc[0] == 0, "the alias bomb: child status %d", rc[0]);
	ck_assert_msg(rc[1] == 0, "the 20 MB list: child status %d", rc[1]);
}
END_TEST

Suite *config_suite(void);

Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("good");

	tcase_add_test(tc, test_good_loads);
	tcase_add_test(tc, test_good_values);
	tcase_add_test(tc, test_good_phone);
	tcase_add_loop_test(tc, test_lookup, 0,
	    (int)(sizeof(lookups) / sizeof(lookups[0])));
	tcase_add_test(tc, test_find_mac);
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_schema_lookup);
	tcase_add_test(tc, test_typo_warnings);
	tcase_add_test(tc, test_typo_warnings_bounded);
	tcase_add_test(tc, test_typo_warnings_common);
	tcase_add_test(tc, test_peer_config);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_broken, 0,
	    (int)(sizeof(broken) / sizeof(broken[0])));
	tcase_add_test(tc, test_error_format);
	tcase_add_test(tc, test_phones_syntax_first);
	tcase_add_test(tc, test_phones_stream_shapes);
	tcase_add_test(tc, test_keys_by_position);
	tcase_add_loop_test(tc, test_overlay, 0,
	    (int)(sizeof(overlays) / sizeof(overlays[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_fifo_refused);
	tcase_add_test(tc, test_symlinks);
	tcase_add_test(tc, test_merge_large_mapping);
	tcase_add_test(tc, test_bounded_memory);
	suite_add_tcase(s, tc);
	return s;
}
