/* Expected against reported: normalisation rules, the blacklist, secrets
 * that never show, counts, and the YAML exports. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "compare.h"
#include "config.h"
#include "yamltree.h"

#define X(s)	s, sizeof(s) - 1

static const char *case_names[] = { "Locale", "*_Name" };
static const char *bool_names[] = { "*_Enable", "Bluetooth" };

enum cfg { DEFAULT, NOTRIM, RULES };

static void
settings(enum cfg c, struct comparison_settings *cmp)
{
	struct service_settings svc;
	struct firmware_settings fw;

	settings_defaults(&svc, &fw, cmp);
	if (c == NOTRIM)
		cmp->trim_whitespace = 0;
	if (c == RULES) {
		cmp->case_insensitive.items = case_names;
		cmp->case_insensitive.n = 2;
		cmp->booleans.items = bool_names;
		cmp->booleans.n = 2;
	}
}

static const struct {
	int		 line;
	enum cfg	 cfg;
	const char	*name, *a, *b;
	int		 equal;
} values[] = {
	{ __LINE__, DEFAULT, "Station_Name", " phone-01 ", "phone-01", 1 },
	{ __LINE__, DEFAULT, "A", "\tx\r\n", "x", 1 },
	{ __LINE__, DEFAULT, "A", "", "  ", 1 },
	{ __LINE__, DEFAULT, "A", "", "", 1 },
	{ __LINE__, DEFAULT, "A", "a b", "a  b", 0 },
	{ __LINE__, DEFAULT, "A", "Yes", "yes", 0 },
	{ __LINE__, DEFAULT, "A_Enable", "Yes", "true", 0 },
	{ __LINE__, NOTRIM, "Station_Name", " phone-01 ", "phone-01", 0 },
	{ __LINE__, NOTRIM, "A", "x", "x", 1 },
	{ __LINE__, RULES, "Locale", "de-DE", "DE-de", 1 },
	{ __LINE__, RULES, "Station_Name", " Phone ", "phone", 1 },
	{ __LINE__, RULES, "Time_Zone", "gmt+01:00", "GMT+01:00", 0 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "Yes", "true", 1 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "on", "YES", 1 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "No", "off", 1 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "no", "FALSE", 1 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", " Yes ", "on", 1 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "Yes", "No", 0 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "1", "yes", 0 },
	{ __LINE__, RULES, "Daylight_Saving_Time_Enable", "maybe", "MAYBE", 0 },
	{ __LINE__, RULES, "Bluetooth", "true", "Yes", 1 },
	{ __LINE__, RULES, "Bluetooth_Mode", "true", "Yes", 0 },
	{ __LINE__, RULES, "Enable_Web", "true", "Yes", 0 },
};

START_TEST(test_values)
{
	struct comparison_settings cmp;

	settings(values[_i].cfg, &cmp);
	ck_assert_msg(compare_values_equal(&cmp, values[_i].name, values[_i].a,
	    values[_i].b) == values[_i].equal, "line %d", values[_i].line);
	ck_assert_msg(compare_values_equal(&cmp, values[_i].name, values[_i].b,
	    values[_i].a) == values[_i].equal, "line %d (swapped)",
	    values[_i].line);
}
END_TEST

static struct secret_key key;

static void
set(struct report *r, const char *name, const char *value)
{
	report_set(r, name, strlen(name), value, strlen(value));
}

/* What the store keeps for a secret. */
static void
set_hashed(struct report *r, const char *name, const char *clear)
{
	char h[SECRET_HASH_LEN + 1];

	secret_hash(&key, name, clear, strlen(clear), h);
	set(r, name, h);
}

static const char *black[] = { "Admin_Password", "Set_Local_*" };

static void
fixture(struct cmp_expected *exp, struct report *rep,
    struct comparison_settings *cmp)
{
	memset(key.bytes, 3, sizeof(key.bytes));
	settings(RULES, cmp);
	cmp->blacklist.items = black;
	cmp->blacklist.n = 2;
	cmp_expected_init(exp);
	cmp_expected_add(exp, "Station_Name", "phone-01");
	cmp_expected_add(exp, "Time_Zone", "GMT+01:00");
	cmp_expected_add(exp, "Host_Name", "h1");
	cmp_expected_add(exp, "Admin_Password", "secret1");
	cmp_expected_add(exp, "XMPP_Password", "xp");
	cmp_expected_add(exp, "VPN_Password", "vp");
	cmp_expected_add(exp, "Daylight_Saving_Time_Enable", "Yes");
	cmp_expected_add(exp, "SIP_Pwd", "sp");
	report_init(rep, REPORT_CONFIG);
	set(rep, "Station_Name", " phone-01 ");
	set(rep, "Time_Zone", "GMT+02:00");
	set_hashed(rep, "Admin_Password", "other");
	set_hashed(rep, "XMPP_Password", "xp");
	set_hashed(rep, "VPN_Password", "wrong");
	set(rep, "Daylight_Saving_Time_Enable", "true");
	set(rep, "New_Param_X", "val & <x> \"q\"");
	set(rep, "Another_Unexpected", "");
	set_hashed(rep, "Wi-Fi_Password_1_", "wifi");
	set(rep, "Set_Local_Date__mm_dd_yyyy_", "11/22/2026");
}

static const char *const clear_secrets[] = { "secret1", "other", "xp", "vp",
    "wrong", "sp", "wifi", NULL };

static void
no_secret_in(const struct cmp_list *l, const struct comparison_settings *cmp)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct cmp_item *it = &l->items[i];

		if (it->secret || secret_name(it->name, cmp))
			ck_assert_msg(it->secret && it->expected == NULL &&
			    it->reported == NULL, "%s shows a value", it->name);
		for (int k = 0; clear_secrets[k] != NULL; k++) {
			ck_assert(it->expected == NULL ||
			    strcmp(it->expected, clear_secrets[k]) != 0);
			ck_assert(it->reported == NULL ||
			    strcmp(it->reported, clear_secrets[k]) != 0);
		}
		ck_assert(it->reported == NULL || !secret_is_hash(it->reported));
	}
}

static void
expect_names(const struct cmp_list *l, const char *const *names)
{
	size_t n = 0;

	for (; names[n] != NULL; n++) {
		ck_assert_msg(n < l->n, "missing %s", names[n]);
		ck_assert_str_eq(l->items[n].name, names[n]);
	}
	ck_assert_uint_eq(l->n, n);
}

START_TEST(test_run)
{
	struct comparison_settings cmp;
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;

	fixture(&exp, &rep, &cmp);
	compare_run(&exp, &rep, &cmp, &key, &res);
	expect_names(&res.mismatches, (const char *[]){ "Time_Zone",
	    "VPN_Password", NULL });
	ck_assert_str_eq(res.mismatches.items[0].expected, "GMT+01:00");
	ck_assert_str_eq(res.mismatches.items[0].reported, "GMT+02:00");
	ck_assert(res.mismatches.items[1].secret);
	expect_names(&res.missing, (const char *[]){ "Host_Name", "SIP_Pwd",
	    NULL });
	ck_assert_str_eq(res.missing.items[0].expected, "h1");
	ck_assert_int_eq(res.missing.items[0].verdict, CMP_MISSING);
	expect_names(&res.unexpected, (const char *[]){ "New_Param_X",
	    "Another_Unexpected", "Wi-Fi_Password_1_", NULL });
	ck_assert_str_eq(res.unexpected.items[1].reported, "");
	expect_names(&res.secrets, (const char *[]){ "XMPP_Password",
	    "VPN_Password", NULL });
	ck_assert_int_eq(res.secrets.items[0].verdict, CMP_MATCH);
	ck_assert_int_eq(res.secrets.items[1].verdict, CMP_DIFFERS);
	ck_assert_uint_eq(res.n_expected, 7);
	ck_assert_uint_eq(res.n_reported, 8);
	ck_assert_uint_eq(res.n_matches, 3);
	ck_assert_uint_eq(res.n_excluded, 2);
	ck_assert_uint_eq(res.n_unverified, 0);
	ck_assert_uint_eq(cmp_differences(&res), 7);
	no_secret_in(&res.mismatches, &cmp);
	no_secret_in(&res.missing, &cmp);
	no_secret_in(&res.unexpected, &cmp);
	no_secret_in(&res.secrets, &cmp);
	cmp_result_free(&res);

	/* Without the key secrets are neither matched nor differing. */
	compare_run(&exp, &rep, &cmp, NULL, &res);
	ck_assert_uint_eq(res.n_unverified, 2);
	ck_assert_uint_eq(res.secrets.n, 0);
	expect_names(&res.mismatches, (const char *[]){ "Time_Zone", NULL });
	cmp_result_free(&res);
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

START_TEST(test_duplicates_and_hashes)
{
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;

	memset(key.bytes, 3, sizeof(key.bytes));
	cmp_expected_init(&exp);
	cmp_expected_add(&exp, "A", "1");
	cmp_expected_add(&exp, "Foo", "bar");
	cmp_expected_add(&exp, "A", "2");
	report_init(&rep, REPORT_CONFIG);
	set(&rep, "A", "2");
	/* Stored as a hash while the rule (or comparison.yml) said so: still
	 * a secret, whatever the rule says now. */
	set_hashed(&rep, "Foo", "bar");
	set_hashed(&rep, "Baz", "qux");
	compare_run(&exp, &rep, NULL, &key, &res);
	ck_assert_uint_eq(res.n_expected, 2);
	ck_assert_uint_eq(res.n_matches, 2);
	ck_assert_uint_eq(res.mismatches.n, 0);
	expect_names(&res.secrets, (const char *[]){ "Foo", NULL });
	expect_names(&res.unexpected, (const char *[]){ "Baz", NULL });
	ck_assert(res.unexpected.items[0].secret);
	ck_assert_ptr_null(res.unexpected.items[0].reported);
	cmp_result_free(&res);
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

/* The last of several expected items of one name counts, whether the
 * report has the name or not, and every list keeps the expected order
 * (of those last items); the reported side's flags, remembered in its
 * parameters by a first comparison, give the same answer again. */
START_TEST(test_order_with_duplicates)
{
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;

	cmp_expected_init(&exp);
	cmp_expected_add(&exp, "B", "1");
	cmp_expected_add(&exp, "A", "1");
	cmp_expected_add(&exp, "C", "1");
	cmp_expected_add(&exp, "B", "2");
	cmp_expected_add(&exp, "D", "1");
	cmp_expected_add(&exp, "A", "3");
	cmp_expected_add(&exp, "E", "x");
	cmp_expected_add(&exp, "F", "1");
	cmp_expected_add(&exp, "E", "y");
	report_init(&rep, REPORT_CONFIG);
	set(&rep, "D", "1");
	set(&rep, "C", "9");
	set(&rep, "Z", "0");
	set(&rep, "A", "1");
	set(&rep, "B", "2");
	for (int round = 0; round < 2; round++) {
		compare_run(&exp, &rep, NULL, &key, &res);
		ck_assert_uint_eq(res.n_expected, 6);
		ck_assert_uint_eq(res.n_reported, 5);
		ck_assert_uint_eq(res.n_matches, 2);
		expect_names(&res.mismatches, (const char *[]){ "C", "A", NULL });
		ck_assert_str_eq(res.mismatches.items[1].expected, "3");
		expect_names(&res.missing, (const char *[]){ "F", "E", NULL });
		ck_assert_str_eq(res.missing.items[1].expected, "y");
		expect_names(&res.unexpected, (const char *[]){ "Z", NULL });
		cmp_result_free(&res);
	}
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

/* A report compared under one comparison.yml, then under another with a
 * different blacklist: the flags its parameters remember from the first
 * are not those of the second. */
START_TEST(test_flags_follow_settings)
{
	static const char *only_c[] = { "C" };
	struct comparison_settings a, b;
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;

	memset(&a, 0, sizeof(a));
	a.trim_whitespace = 1;
	b = a;
	b.blacklist.items = only_c;
	b.blacklist.n = 1;
	cmp_expected_init(&exp);
	cmp_expected_add(&exp, "C", "1");
	report_init(&rep, REPORT_CONFIG);
	set(&rep, "C", "9");
	set(&rep, "Q", "0");
	for (int round = 0; round < 2; round++) {
		compare_run(&exp, &rep, &a, &key, &res);
		ck_assert_uint_eq(res.mismatches.n, 1);
		ck_assert_uint_eq(res.n_excluded, 0);
		cmp_result_free(&res);
		compare_run(&exp, &rep, &b, &key, &res);
		ck_assert_uint_eq(res.mismatches.n, 0);
		ck_assert_uint_eq(res.n_excluded, 1);
		expect_names(&res.unexpected, (const char *[]){ "Q", NULL });
		cmp_result_free(&res);
	}
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

/* ---- YAML exports ---- */

static const char *const tricky[] = {
	"", "val & <x> \"q\"", "it's", "a'b''c", " lead", "trail ", "  ",
	"a: b", "# not a comment", "yes", "No", "null", "~", "0x1F", "1e3",
	"012", "- item", "*alias", "&anchor", "!tag", "%dir", "@at", "`tick",
	"[flow]", "{map}", "line1\nline2", "multi\n\nblank", "tail\n",
	"\nhead", "tab\there", "cr\r\nlf", "\\back\\slash", "\"dq\"",
	"unicode \xe2\x98\x8e caf\xc3\xa9", "$USER", "fnc=sd;ext=161@$PROXY;",
	"http://thisserver.local:8080/$MA.xml", "?", ":", "-", "---", "...",
	"a #b", "x  ", "'", "\"",
};

#define N_TRICKY	(sizeof(tricky) / sizeof(tricky[0]))

/* Reads out back: the `common:` mapping, which must hold exactly
 * names[i] → values[i] in order. */
static void
read_back(const char *yaml, size_t len, const char *const *names,
    const char *const *vals, size_t n)
{
	const struct ynode *common;
	struct diag err;
	struct ydoc doc;

	ck_assert_msg(ydoc_load_string(&doc, yaml, len, &err) == 0,
	    "line %d: %s\n%s", err.line, err.msg, yaml);
	common = ymap_get(doc.root, "common");
	ck_assert_ptr_nonnull(common);
	if (n == 0) {
		ck_assert(common->kind == YN_MAP && YMAP_N(common) == 0);
		ydoc_free(&doc);
		return;
	}
	ck_assert_int_eq(common->kind, YN_MAP);
	ck_assert_uint_eq(YMAP_N(common), n);
	for (size_t i = 0; i < n; i++) {
		const struct ynode *k = YMAP_KEY(common, i);
		const struct ynode *v = YMAP_VAL(common, i);

		ck_assert_str_eq(k->str, names[i]);
		ck_assert_msg(v->kind == YN_SCALAR && !v->plain &&
		    v->len == strlen(vals[i]) && strcmp(v->str, vals[i]) == 0,
		    "%s: [%s] read back as [%s]", names[i], vals[i], v->str);
	}
	ydoc_free(&doc);
}

START_TEST(test_export_roundtrip)
{
	char names[N_TRICKY][24];
	const char *np[N_TRICKY], *vp[N_TRICKY];
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;
	struct buf out;

	memset(key.bytes, 3, sizeof(key.bytes));
	cmp_expected_init(&exp);
	report_init(&rep, REPORT_CONFIG);
	/* Inserted in reverse; the export sorts by name. */
	for (size_t i = N_TRICKY; i-- > 0;) {
		snprintf(names[i], sizeof(names[i]), "P_%03zu", i);
		set(&rep, names[i], tricky[i]);
		np[i] = names[i];
		vp[i] = tricky[i];
	}
	set_hashed(&rep, "Admin_Password", "admin1234");
	set(&rep, "XMPP_Password", "clear-by-mistake");
	compare_run(&exp, &rep, NULL, &key, &res);
	buf_init(&out);
	ck_assert_int_eq(compare_export_unexpected(&res, "001122334455",
	    1795342073, NULL, &out), (int)N_TRICKY);
	ck_assert(strncmp(out.data, "# Parameters phone 001122334455", 31) == 0);
	ck_assert(strstr(out.data, "2026-11-22T10:07:53Z") != NULL);
	ck_assert(strstr(out.data, "Password") == NULL);
	ck_assert(strstr(out.data, "clear-by-mistake") == NULL);
	ck_assert(strstr(out.data, "hmac-sha256") == NULL);
	read_back(out.data, out.len, np, vp, N_TRICKY);
	buf_free(&out);
	cmp_result_free(&res);
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

/* The two unexpected parameters of the peer's golden export, and names a
 * YAML 1.1 reader would take for booleans or null. */
START_TEST(test_export_golden_and_keys)
{
	static const char *const names[] = { "Another_Unexpected", "N",
	    "New_Param_X", "Null", "On", "Y", "YES" };
	static const char *const vals[] = { "", "n", "val & <x> \"q\"", "",
	    "x", "y", "1" };
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;
	struct buf out;

	cmp_expected_init(&exp);
	report_init(&rep, REPORT_CONFIG);
	set(&rep, "New_Param_X", "val & <x> \"q\"");
	set(&rep, "Another_Unexpected", "");
	set(&rep, "On", "x");
	set(&rep, "Null", "");
	set(&rep, "Y", "y");
	set(&rep, "N", "n");
	set(&rep, "YES", "1");
	compare_run(&exp, &rep, NULL, NULL, &res);
	buf_init(&out);
	ck_assert_int_eq(compare_export_unexpected(&res, "001122334455", 0,
	    NULL, &out), 7);
	ck_assert(strstr(out.data, "\n  Another_Unexpected: ''\n") != NULL);
	ck_assert(strstr(out.data, "\n  New_Param_X: 'val & <x> \"q\"'\n") !=
	    NULL);
	ck_assert(strstr(out.data, "\n  'On': 'x'\n") != NULL);
	read_back(out.data, out.len, names, vals, 7);
	buf_free(&out);
	cmp_result_free(&res);

	/* Nothing unexpected: an empty mapping, still valid YAML. */
	report_free(&rep);
	report_init(&rep, REPORT_CONFIG);
	compare_run(&exp, &rep, NULL, NULL, &res);
	buf_init(&out);
	ck_assert_int_eq(compare_export_unexpected(&res, "001122334455", 0,
	    NULL, &out), 0);
	read_back(out.data, out.len, NULL, NULL, 0);
	buf_free(&out);
	cmp_result_free(&res);
	cmp_expected_free(&exp);
	report_free(&rep);
}
END_TEST

static int
in_common_d(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "D") == 0;
}

START_TEST(test_fleet)
{
	struct report r[3];
	const struct report *states[3] = { &r[0], &r[1], &r[2] };
	const char *const names[] = { "A", "B", "C" };
	const char *const vals[] = { "1", "", "x y" };
	struct comparison_settings cmp;
	struct cmp_list l;
	struct buf out;

	memset(key.bytes, 3, sizeof(key.bytes));
	settings(DEFAULT, &cmp);
	cmp.blacklist.items = black;
	cmp.blacklist.n = 2;
	for (int i = 0; i < 3; i++) {
		char e[8];

		report_init(&r[i], REPORT_CONFIG);
		set(&r[i], "C", "x y");
		set(&r[i], "B", "");
		set(&r[i], "A", "1");
		set(&r[i], "D", "in common.yml");
		snprintf(e, sizeof(e), "%d", i);
		set(&r[i], "E", e);
		if (i != 1)
			set(&r[i], "F", "not on phone 1");
		set_hashed(&r[i], "XMPP_Password", "same");
		set(&r[i], "Set_Local_Date__mm_dd_yyyy_", "11/22/2026");
	}
	compare_fleet_common(states, 3, in_common_d, NULL, &cmp, &l);
	expect_names(&l, (const char *[]){ "A", "B", "C", NULL });
	buf_init(&out);
	ck_assert_int_eq(compare_export_fleet(&l, 3, 0, &cmp, &out), 3);
	ck_assert(strstr(out.data, "all 3 reporting phones") != NULL);
	read_back(out.data, out.len, names, vals, 3);
	buf_free(&out);
	cmp_list_free(&l);

	compare_fleet_common(states, 0, in_common_d, NULL, &cmp, &l);
	ck_assert_uint_eq(l.n, 0);
	cmp_list_free(&l);
	compare_fleet_common(states, 1, in_common_d, NULL, &cmp, &l);
	expect_names(&l, (const char *[]){ "A", "B", "C", "E", "F", NULL });
	cmp_list_free(&l);
	for (int i = 0; i < 3; i++)
		report_free(&r[i]);
}
END_TEST

/* The sample configuration against a report of exactly what it serves:
 * no difference at all. */
START_TEST(test_snapshot)
{
	struct diag err;
	struct snapshot *s = snapshot_load("etc", "schema", &err);
	struct cmp_expected exp;
	struct cmp_result res;
	struct report rep;

	ck_assert_msg(s != NULL, "etc/ does not load: %s", err.msg);
	ck_assert_uint_gt(s->n_phones, 0);
	cmp_expected_init(&exp);
	cmp_expected_from_phone(&exp, s, &s->phones[0]);
	ck_assert_uint_gt(exp.n, 0);
	report_init(&rep, REPORT_CONFIG);
	for (size_t i = 0; i < exp.n; i++)
		set(&rep, exp.items[i].name, exp.items[i].value);
	memset(key.bytes, 3, sizeof(key.bytes));
	compare_run(&exp, &rep, &s->cmp, &key, &res);
	ck_assert_uint_eq(cmp_differences(&res), 0);
	ck_assert_uint_eq(res.n_matches, res.n_expected);
	ck_assert_uint_eq(res.n_expected + res.n_excluded, exp.n);
	cmp_result_free(&res);
	if (s->n_common > 0)
		ck_assert(compare_in_common(s, s->base[0].name));
	if (s->n_base > s->n_common)
		ck_assert(!compare_in_common(s, s->base[s->n_common].name));
	ck_assert(!compare_in_common(s, "No_Such_Parameter"));
	cmp_expected_free(&exp);
	report_free(&rep);
	snapshot_free(s);
}
END_TEST

/* Every expected name carries its own length and hash, for each phone of
 * one configuration, then of another, then of the first again: the
 * hashes of a base list are kept between calls and must follow the
 * snapshot. */
START_TEST(test_expected_hashes)
{
	static const char *const dirs[] = { "etc", "tests/data/config/good",
	    "tests/data/config/minimal", "etc" };

	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		struct diag err;
		struct snapshot *s = snapshot_load(dirs[d], "schema", &err);
		size_t checked = 0;

		ck_assert_msg(s != NULL, "%s: %s", dirs[d], err.msg);
		for (size_t p = 0; p < s->n_phones; p++) {
			struct cmp_expected exp;

			cmp_expected_init(&exp);
			cmp_expected_from_phone(&exp, s, &s->phones[p]);
			for (size_t i = 0; i < exp.n; i++, checked++) {
				const struct cmp_param *e = &exp.items[i];

				ck_assert_uint_eq(e->name_len, strlen(e->name));
				ck_assert_msg(e->name_hash == strmap_hash(e->name,
				    e->name_len), "%s: %s", dirs[d], e->name);
			}
			cmp_expected_free(&exp);
		}
		ck_assert_uint_gt(checked, 0);
		snapshot_free(s);
	}
}
END_TEST

/* comparison.yml: the keys this module reads. */
START_TEST(test_comparison_keys)
{
	static const struct {
		int		 line;
		const char	*yaml;
		int		 ok, trim;
		size_t		 n_case, n_bool, n_secrets;
	} t[] = {
		{ __LINE__, "comparison:\n  blacklist: [A]\n", 1, 1, 0, 0, 0 },
		{ __LINE__, "comparison:\n  trim_whitespace: false\n"
		    "  case_insensitive: [Locale, '*_Name']\n"
		    "  booleans: ['*_Enable']\n  secrets: [X, Y]\n",
		    1, 0, 2, 1, 2 },
		{ __LINE__, "comparison:\n  normalise: {}\n", 0, 0, 0, 0, 0 },
		{ __LINE__, "comparison:\n  trim_whitespace: maybe\n",
		    0, 0, 0, 0, 0 },
		{ __LINE__, "comparison:\n  booleans: yes\n", 0, 0, 0, 0, 0 },
		{ __LINE__, "comparison:\n  secrets: [[a]]\n", 0, 0, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct comparison_settings cmp;
		struct diag err;
		struct diag yerr;
		struct ydoc doc;
		struct arena a;
		int rc;

		ck_assert_int_eq(ydoc_load_string(&doc, t[i].yaml,
		    strlen(t[i].yaml), &yerr), 0);
		arena_init(&a);
		settings(DEFAULT, &cmp);
		rc = comparison_settings_load(&cmp, doc.root, &a, &err);
		ck_assert_msg((rc == 0) == t[i].ok, "line %d: %s", t[i].line,
		    err.msg);
		if (t[i].ok)
			ck_assert_msg(cmp.trim_whitespace == t[i].trim &&
			    cmp.case_insensitive.n == t[i].n_case &&
			    cmp.booleans.n == t[i].n_bool &&
			    cmp.secrets.n == t[i].n_secrets, "line %d",
			    t[i].line);
		else
			ck_assert_int_eq(err.line, 2);
		arena_free(&a);
		ydoc_free(&doc);
	}
}
END_TEST

Suite *compare_suite(void);

Suite *
compare_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("compare");

	tcase_add_loop_test(tc, test_values, 0,
	    (int)(sizeof(values) / sizeof(values[0])));
	tcase_add_test(tc, test_run);
	tcase_add_test(tc, test_duplicates_and_hashes);
	tcase_add_test(tc, test_order_with_duplicates);
	tcase_add_test(tc, test_flags_follow_settings);
	tcase_add_test(tc, test_export_roundtrip);
	tcase_add_test(tc, test_export_golden_and_keys);
	tcase_add_test(tc, test_fleet);
	tcase_add_test(tc, test_snapshot);
	tcase_add_test(tc, test_expected_hashes);
	tcase_add_test(tc, test_comparison_keys);
	suite_add_tcase(s, tc);
	return s;
}
