/* Rendering: what a phone receives.  Every profile is read back with
 * libxml2 (network off, entities not expanded), so the tests see what the
 * phone's parser sees. */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>

#include "flatprofile.h"
#include "testutil.h"

#define GOOD	"tests/data/config/good"

/* One element of a profile as a parser sees it. */
struct elem {
	char	*name;
	char	*value;		/* text content, entities resolved */
	char	*ua;		/* NULL when absent */
};

struct profile {
	struct elem	*e;
	size_t		 n;
	char		*root;	/* name of the document element */
	char		*holder;	/* name of the element holding the params */
};

static char *
dup_xml(xmlChar *s)
{
	char *p = s ? strdup((const char *)s) : NULL;

	xmlFree(s);
	return p;
}

/* The element whose children are the parameters: <flat-profile>
 * wherever xml_structure puts it. */
static xmlNode *
param_holder(xmlNode *n)
{
	xmlNode *found;

	if (strcmp((const char *)n->name, "flat-profile") == 0)
		return n;
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (found = param_holder(c)) != NULL)
			return found;
	return NULL;
}

/* Parses a profile; the test fails when it is not well-formed. */
static void
parse(const struct buf *b, struct profile *p)
{
	xmlDoc *doc = xmlReadMemory(b->data, (int)b->len, "profile.xml", NULL,
	    XML_PARSE_NONET);
	xmlNode *root, *holder;

	ck_assert_msg(doc != NULL, "not well-formed:\n%s", b->data);
	root = xmlDocGetRootElement(doc);
	holder = param_holder(root);
	ck_assert_msg(holder != NULL, "no <flat-profile> in:\n%s", b->data);
	memset(p, 0, sizeof(*p));
	p->root = strdup((const char *)root->name);
	p->holder = strdup((const char *)holder->name);
	for (xmlNode *c = holder->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			p->n++;
	p->e = calloc(p->n ? p->n : 1, sizeof(*p->e));
	p->n = 0;
	for (xmlNode *c = holder->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		p->e[p->n].name = strdup((const char *)c->name);
		p->e[p->n].value = dup_xml(xmlNodeGetContent(c));
		p->e[p->n].ua = dup_xml(xmlGetProp(c, (const xmlChar *)"ua"));
		p->n++;
	}
	xmlFreeDoc(doc);
}

static void
profile_free(struct profile *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->e[i].name);
		free(p->e[i].value);
		free(p->e[i].ua);
	}
	free(p->e);
	free(p->root);
	free(p->holder);
}

static const struct elem *
get(const struct profile *p, const char *name)
{
	const struct elem *found = NULL;

	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->e[i].name, name) == 0) {
			ck_assert_msg(found == NULL, "%s appears twice", name);
			found = &p->e[i];
		}
	return found;
}

static struct snapshot *
load_dir(const char *dir)
{
	struct diag err;
	struct snapshot *s = snapshot_load(dir, dir, &err);
	char msg[600];

	diag_format(&err, msg, sizeof(msg));
	ck_assert_msg(s != NULL, "%s: %s", dir, msg);
	return s;
}

/* Loads the good fixture with one file replaced. */
static struct snapshot *
load_overlay(const char *file, const char *text)
{
	char dir[TU_DIR_MAX];
	struct snapshot *s;

	tu_copy_dir(GOOD, dir);
	tu_write(dir, file, text);
	s = load_dir(dir);
	tu_remove_dir(dir);
	return s;
}

static const struct phone *
phone(const struct snapshot *s, const char *ident)
{
	char key[IDENT_MAX + 1];
	const struct phone *ph;

	ident_key(ident, strlen(ident), key);
	ph = snapshot_find(s, key);
	ck_assert_msg(ph != NULL, "no phone %s", ident);
	return ph;
}

/* Renders a phone and parses the result. */
static uint64_t
render(const struct snapshot *s, const char *ident, struct buf *b,
    struct profile *p)
{
	uint64_t h;

	buf_init(b);
	h = flatprofile_render(s, phone(s, ident), b);
	parse(b, p);
	return h;
}

/* Which layer wins, phone by phone. */
static const struct {
	int		 line;
	const char	*phone, *name, *value, *ua;
} layers[] = {
	/* phone < common < schema */
	{ __LINE__, "phone-01", "Station_Name", "Desk One", "na" },
	{ __LINE__, "warehouse", "Station_Name", "Warehouse", "na" },
	{ __LINE__, "phone-01", "Time_Zone", "GMT+01:00", "na" },
	{ __LINE__, "phone-01", "Time_Format", "12hr", "na" },
	{ __LINE__, "phone-01", "Language_Selection", "English-US", "na" },
	{ __LINE__, "phone-01", "Resync_Periodic", "3600", "na" },
	{ __LINE__, "phone-01", "Proxy_1_", "pbx.example.net", "na" },
	{ __LINE__, "phone-01", "Admin_Password", "common-admin-secret",
	    "na" },
	{ __LINE__, "warehouse", "Admin_Password", "warehouse-admin", "ro" },
	{ __LINE__, "phone-01", "User_Password", "", "na" },
	/* An empty value on the phone overrides common.yml's. */
	{ __LINE__, "Reception", "Time_Zone", "", "na" },
	/* Values exactly as written. */
	{ __LINE__, "phone-01", "Display_Name_1_", "Yes", "na" },
	{ __LINE__, "phone-01", "Ringer_Volume", "05", "na" },
	{ __LINE__, "phone-01", "Daylight_Saving_Time_Enable", "Yes", "na" },
	{ __LINE__, "phone-01", "Empty_Param_", "", "na" },
	{ __LINE__, "phone-01", "Null_Param_", "", "na" },
	{ __LINE__, "phone-01", "Profile_Rule", "/$PSN.xml", "na" },
	/* A per-parameter ua only where it is written. */
	{ __LINE__, "phone-01", "Short_Name_2_", "Lobby", "rw" },
	{ __LINE__, "Reception", "Short_Name_2_", "Operator", "na" },
	/* Escaped in the bytes, intact for the phone. */
	{ __LINE__, "phone-01", "Station_Display_Name",
	    "Tom & Jerry's <\"desk\">", "na" },
	{ __LINE__, "phone-01", "Special_Chars_", "a & b < c > d \" e ' f",
	    "na" },
	/* Aliases. */
	{ __LINE__, "Reception", "Station_Display_Name", "Reception", "na" },
	{ __LINE__, "Reception", "Dial_Plan_1_",
	    "(*xx|[3469]11|0|00|[2-9]xxxxxx)", "na" },
	/* Only on one phone. */
	{ __LINE__, "phone-01", "Extra_Only_Phone_", "extra", "na" },
	{ __LINE__, "Reception", "Extra_Only_Phone_", NULL, NULL },
	{ __LINE__, "spare", "User_ID_1_", NULL, NULL },
	/* Meta keys are never sent. */
	{ __LINE__, "phone-01", "mac", NULL, NULL },
	{ __LINE__, "phone-01", "ip_address", NULL, NULL },
	{ __LINE__, "phone-01", "serial_number", NULL, NULL },
	{ __LINE__, "phone-01", "model", NULL, NULL },
	{ __LINE__, "phone-01", "description", NULL, NULL },
};

START_TEST(test_layers)
{
	struct snapshot *s = load_dir(GOOD);
	struct profile p;
	struct buf b;
	const struct elem *e;

	render(s, layers[_i].phone, &b, &p);
	e = get(&p, layers[_i].name);
	if (layers[_i].value == NULL)
		ck_assert_msg(e == NULL, "line %d: %s sent", layers[_i].line,
		    layers[_i].name);
	else {
		ck_assert_msg(e != NULL, "line %d: %s missing",
		    layers[_i].line, layers[_i].name);
		ck_assert_msg(strcmp(e->value, layers[_i].value) == 0 &&
		    e->ua != NULL && strcmp(e->ua, layers[_i].ua) == 0,
		    "line %d: %s is '%s' ua=%s", layers[_i].line,
		    layers[_i].name, e->value, e->ua);
	}
	profile_free(&p);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

/* The bytes themselves: values escaped, nothing else changed. */
START_TEST(test_bytes)
{
	static const char *const want[] = {
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<flat-profile>\n",
		"\n  <Ringer_Volume ua=\"na\">05</Ringer_Volume>\n",
		"\n  <Empty_Param_ ua=\"na\"></Empty_Param_>\n",
		"\n  <Station_Display_Name ua=\"na\">Tom &amp; Jerry&#39;s "
		    "&lt;&quot;desk&quot;&gt;</Station_Display_Name>\n",
		"\n  <Short_Name_2_ ua=\"rw\">Lobby</Short_Name_2_>\n",
	};
	struct snapshot *s = load_dir(GOOD);
	struct buf b;

	buf_init(&b);
	flatprofile_render(s, phone(s, "phone-01"), &b);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_msg(strstr(b.data, want[i]) != NULL,
		    "missing '%s' in:\n%s", want[i], b.data);
	ck_assert_msg(strcmp(b.data + b.len - 16, "</flat-profile>\n") == 0,
	    "ends with '%s'", b.data + b.len - 16);
	/* No meta value leaks into the profile. */
	ck_assert_ptr_null(strstr(b.data, "FCH2201A0AA"));
	ck_assert_ptr_null(strstr(b.data, "192.0.2.10"));
	ck_assert_ptr_null(strstr(b.data, "CP-6841-3PCC"));
	ck_assert_ptr_null(strstr(b.data, "not emitted"));
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

/* Every phone's profile is well-formed, carries each parameter once,
 * every element with a valid ua, and the phone's own extras last. */
START_TEST(test_every_phone_well_formed)
{
	struct snapshot *s = load_dir(GOOD);

	for (size_t i = 0; i < s->n_phones; i++) {
		const struct phone *ph = &s->phones[i];
		struct profile p;
		struct buf b;
		size_t extras = 0;

		render(s, ph->id, &b, &p);
		ck_assert_str_eq(p.root, "flat-profile");
		for (uint32_t j = 0; j < ph->n_params; j++)
			extras += ph->params[j].slot == SLOT_NONE;
		ck_assert_uint_eq(p.n, s->n_base + extras);
		for (size_t j = 0; j < p.n; j++) {
			ck_assert_ptr_eq(get(&p, p.e[j].name), &p.e[j]);
			ck_assert_msg(p.e[j].ua && (!strcmp(p.e[j].ua, "na") ||
			    !strcmp(p.e[j].ua, "ro") || !strcmp(p.e[j].ua, "rw")),
			    "%s: ua %s", p.e[j].name, p.e[j].ua);
		}
		/* Base order first: common.yml's order. */
		ck_assert_str_eq(p.e[0].name, "Proxy_1_");
		profile_free(&p);
		buf_free(&b);
	}
	snapshot_free(s);
}
END_TEST

/* A phone with more parameters than flatprofile_render() keeps on its stack,
 * overriding base parameters spread over the list. */
START_TEST(test_many_params)
{
	struct buf yml, b;
	struct snapshot *s;
	struct profile p;
	char name[32], want[32];

	buf_init(&yml);
	buf_adds(&yml, "phones:\n  big:\n    mac: \"02:00:00:00:00:01\"\n"
	    "    Station_Name: big-station\n"
	    "    Time_Format: 24hr\n"
	    "    Proxy_1_: big-proxy\n");
	for (int i = 0; i < 100; i++)
		buf_printf(&yml, "    Big_%03d_: v%d\n", 99 - i, 99 - i);
	s = load_overlay("phones.yml", yml.data);
	render(s, "big", &b, &p);
	ck_assert_uint_eq(p.n, s->n_base + 100);
	ck_assert_str_eq(get(&p, "Station_Name")->value, "big-station");
	ck_assert_str_eq(get(&p, "Time_Format")->value, "24hr");
	ck_assert_str_eq(get(&p, "Proxy_1_")->value, "big-proxy");
	ck_assert_str_eq(get(&p, "Time_Zone")->value, "GMT+01:00");
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "Big_%03d_", i);
		snprintf(want, sizeof(want), "v%d", i);
		ck_assert_str_eq(get(&p, name)->value, want);
	}
	/* Extras keep the order of phones.yml. */
	ck_assert_str_eq(p.e[s->n_base].name, "Big_099_");
	ck_assert_str_eq(p.e[p.n - 1].name, "Big_000_");
	buf_reset(&yml);
	ck_assert_uint_eq(flatprofile_hash(s, phone(s, "big")),
	    flatprofile_render(s, phone(s, "big"), &yml));
	profile_free(&p);
	buf_free(&b);
	buf_free(&yml);
	snapshot_free(s);
}
END_TEST

/* default_ua applies to every element without its own. */
START_TEST(test_default_ua)
{
	struct snapshot *s = load_overlay("serviceconfig.yml",
	    "default_ua: ro\n");
	struct profile p;
	struct buf b;

	render(s, "phone-01", &b, &p);
	ck_assert_str_eq(get(&p, "Station_Name")->ua, "ro");
	ck_assert_str_eq(get(&p, "Time_Format")->ua, "ro");
	ck_assert_str_eq(get(&p, "Extra_Only_Phone_")->ua, "ro");
	ck_assert_str_eq(get(&p, "Short_Name_2_")->ua, "rw");
	profile_free(&p);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

static const char structure[] =
    "schema:\n"
    "  flat_profile_params:\n"
    "    Time_Format: '12hr'\n"
    "  xml_structure:\n"
    "    device:\n"
    "      info: 'a & b'\n"
    "      flat-profile: DYNAMIC_PARAMS\n"
    "      version:\n";

START_TEST(test_xml_structure)
{
	struct snapshot *s = load_overlay("schema.yml", structure);
	struct profile p;
	struct buf b;
	xmlDoc *doc;
	xmlNode *root, *c;

	render(s, "phone-01", &b, &p);
	ck_assert_str_eq(p.root, "device");
	ck_assert_str_eq(p.holder, "flat-profile");
	ck_assert_str_eq(get(&p, "Station_Name")->value, "Desk One");
	ck_assert_str_eq(get(&p, "Time_Format")->value, "12hr");
	ck_assert_ptr_null(get(&p, "info"));
	doc = xmlReadMemory(b.data, (int)b.len, "p.xml", NULL, XML_PARSE_NONET);
	root = xmlDocGetRootElement(doc);
	c = xmlFirstElementChild(root);
	ck_assert_str_eq((const char *)c->name, "info");
	{
		char *text = dup_xml(xmlNodeGetContent(c));
		ck_assert_str_eq(text, "a & b");
		free(text);
	}
	ck_assert_str_eq((const char *)xmlNextElementSibling(c)->name,
	    "flat-profile");
	ck_assert_str_eq((const char *)xmlLastElementChild(root)->name,
	    "version");
	xmlFreeDoc(doc);
	/* Parameters are indented inside their holder. */
	ck_assert_ptr_nonnull(strstr(b.data, "\n    <Station_Name ua=\"na\">"));
	profile_free(&p);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

START_TEST(test_hash)
{
	struct snapshot *s = load_dir(GOOD), *s2;
	struct buf b1, b2, scratch;
	uint64_t h[4];

	/* One scratch buffer for every phone, as a load uses it: what the
	 * previous phone left in it does not count. */
	buf_init(&scratch);
	buf_adds(&scratch, "left over");
	for (size_t i = 0; i < s->n_phones; i++) {
		buf_init(&b1);
		buf_init(&b2);
		h[i] = flatprofile_render(s, &s->phones[i], &b1);
		ck_assert_uint_eq(flatprofile_hash(s, &s->phones[i]), h[i]);
		ck_assert_uint_eq(flatprofile_hash_with(s, &s->phones[i],
		    &scratch), h[i]);
		/* Rendering again gives the same bytes and tag. */
		ck_assert_uint_eq(flatprofile_render(s, &s->phones[i], &b2), h[i]);
		ck_assert_uint_eq(b1.len, b2.len);
		ck_assert(memcmp(b1.data, b2.data, b1.len) == 0);
		for (size_t j = 0; j < i; j++)
			ck_assert_uint_ne(h[i], h[j]);
		buf_free(&b1);
		buf_free(&b2);
	}
	/* A changed common value changes every phone's tag... */
	s2 = load_overlay("common.yml", "common:\n  Proxy_1_: 'pbx.example.net'\n"
	    "  Admin_Password: 'common-admin-secret'\n"
	    "  Station_Name: 'Common Name'\n  Time_Zone: 'GMT+02:00'\n"
	    "  Daylight_Saving_Time_Enable: Yes\n  Resync_Periodic: 3600\n"
	    "  Short_Name_2_: 'Operator'\n  Empty_Param_: ''\n"
	    "  Null_Param_:\n  Special_Chars_: 'a & b < c > d \" e '' f'\n");
	ck_assert_uint_ne(flatprofile_hash(s2, phone(s2, "phone-01")), h[0]);
	snapshot_free(s2);
	/* ...and so does the default ua, which is in every element. */
	s2 = load_overlay("serviceconfig.yml", "default_ua: rw\n");
	ck_assert_uint_ne(flatprofile_hash(s2, phone(s2, "phone-01")), h[0]);
	snapshot_free(s2);
	/* An unrelated file does not. */
	s2 = load_overlay("comparison.yml", "comparison:\n  blacklist: []\n");
	ck_assert_uint_eq(flatprofile_hash(s2, phone(s2, "phone-01")), h[0]);
	snapshot_free(s2);
	buf_free(&scratch);
	snapshot_free(s);
}
END_TEST

/* Two phones whose only difference is which base parameter they set. */
START_TEST(test_hash_slot_matters)
{
	struct snapshot *s = load_overlay("phones.yml",
	    "phones:\n"
	    "  a:\n    Time_Format: x\n"
	    "  b:\n    Language_Selection: x\n");
	struct buf ba, bb;
	uint64_t ha, hb;

	buf_init(&ba);
	buf_init(&bb);
	ha = flatprofile_render(s, phone(s, "a"), &ba);
	hb = flatprofile_render(s, phone(s, "b"), &bb);
	ck_assert(ba.len != bb.len || memcmp(ba.data, bb.data, ba.len) != 0);
	ck_assert_uint_ne(ha, hb);
	buf_free(&ba);
	buf_free(&bb);
	snapshot_free(s);
}
END_TEST

static const char fw_base[] =
    "firmware:\n"
    "  update_enabled: true\n"
    "  expected_version: \"12.0.1\"\n"
    "  upgrade_url: \"http://fw.example.net/sip68xx.loads\"\n";

/* Who is told to change firmware, and to what. */
static const struct {
	int		 line;
	const char	*firmware;	/* NULL: the good fixture's */
	const char	*ua;
	int		 want, downgrade;
	const char	*version, *url;
} fw[] = {
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/11.3.7 (001122334455)", 1, 0,
	    "12.0.1", "http://fw.example.net/sip68xx.12-0-1MPP0001-245.loads" },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/12.0.0", 1, 0, "12.0.1", NULL },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/12.0.1 (001122334455)", 0, 0,
	    NULL, NULL },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/12.0.01", 0, 0, NULL, NULL },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/12.0.2", 0, 0, NULL, NULL },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/12.0.10", 0, 0, NULL, NULL },
	{ __LINE__, NULL, "Cisco-CP-6841-3PCC/99.0.0", 0, 0, NULL, NULL },
	/* Model-specific: the 8841 wants 12.0.10, and 12.0.9 is older. */
	{ __LINE__, NULL, "Cisco-CP-8841-3PCC/12.0.9 (00562b043615)", 1, 0,
	    "12.0.10",
	    "http://fw.example.net/sip88xx.12-0-10MPP0001-250.loads" },
	{ __LINE__, NULL, "Cisco-CP-8841-3PCC/12.0.1", 1, 0, "12.0.10", NULL },
	{ __LINE__, NULL, "Cisco-CP-8841-3PCC/12.0.10", 0, 0, NULL, NULL },
	{ __LINE__, NULL, "Cisco-CP-8841-3PCC/12.0.11", 0, 0, NULL, NULL },
	/* Not a Cisco phone, or no User-Agent: never steered. */
	{ __LINE__, NULL, "Yealink SIP-T46G 28.72.0.1 00:15:65:4a:a9:37", 0, 0,
	    NULL, NULL },
	{ __LINE__, NULL, "curl/8.5.0", 0, 0, NULL, NULL },
	{ __LINE__, NULL, "", 0, 0, NULL, NULL },
	{ __LINE__, NULL, NULL, 0, 0, NULL, NULL },
	/* Downgrades only when allowed. */
	{ __LINE__, "  allow_downgrade: true\n", "Cisco-CP-6841-3PCC/12.0.2",
	    1, 1, "12.0.1", "http://fw.example.net/sip68xx.loads" },
	{ __LINE__, "  allow_downgrade: true\n", "Cisco-CP-6841-3PCC/12.0.1",
	    0, 0, NULL, NULL },
	{ __LINE__, "  allow_downgrade: true\n", "Cisco-CP-6841-3PCC/11.0.0",
	    1, 0, "12.0.1", NULL },
	/* Model-specific versions only when enabled. */
	{ __LINE__, "  model_specific:\n    enabled: false\n"
	    "    versions: {\"8841\": \"12.0.10\"}\n",
	    "Cisco-CP-8841-3PCC/12.0.9", 0, 0, NULL, NULL },
	{ __LINE__, "  model_specific:\n    enabled: false\n"
	    "    versions: {\"8841\": \"12.0.10\"}\n",
	    "Cisco-CP-8841-3PCC/11.0.0", 1, 0, "12.0.1",
	    "http://fw.example.net/sip68xx.loads" },
	/* A model-specific version without its own URL uses the common
	 * one; other models keep the common version. */
	{ __LINE__, "  model_specific:\n    enabled: true\n"
	    "    versions: {\"8841-3PCC\": \"12.0.10\"}\n",
	    "Cisco-CP-8841-3PCC/12.0.9", 1, 0, "12.0.10",
	    "http://fw.example.net/sip68xx.loads" },
	{ __LINE__, "  model_specific:\n    enabled: true\n"
	    "    versions: {\"8841-3PCC\": \"12.0.10\"}\n",
	    "Cisco-CP-7841-3PCC/12.0.9", 0, 0, NULL, NULL },
	/* SPA phones and ATAs run another firmware line: the common MPP
	 * version never applies to them, their own model_specific entry
	 * does. */
	{ __LINE__, NULL, "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)", 0,
	    0, NULL, NULL },
	{ __LINE__, "  model_specific:\n    enabled: true\n"
	    "    versions: {\"SPA508G\": \"7.6.2\"}\n"
	    "    urls: {\"SPA508G\": \"http://fw.example.net/spa508g.bin\"}\n",
	    "Cisco/SPA508G-7.4.4 (0002FDFF2103)(CBT141400UK)", 1, 0, "7.6.2",
	    "http://fw.example.net/spa508g.bin" },
	/* Updates switched off. */
	{ __LINE__, "  update_enabled: false\n",
	    "Cisco-CP-6841-3PCC/11.3.7", 0, 0, NULL, NULL },
};

START_TEST(test_firmware_decide)
{
	struct snapshot *s;
	struct useragent ua;
	struct fw_decision d;
	char text[1024];
	int got;

	if (fw[_i].firmware == NULL)
		s = load_dir(GOOD);
	else {
		/* A later key would be a duplicate: switch update_enabled
		 * by replacing its line. */
		if (strncmp(fw[_i].firmware, "  update_enabled", 16) == 0)
			snprintf(text, sizeof(text), "firmware:\n%s"
			    "  expected_version: \"12.0.1\"\n"
			    "  upgrade_url: \"http://fw.example.net/"
			    "sip68xx.loads\"\n", fw[_i].firmware);
		else
			snprintf(text, sizeof(text), "%s%s", fw_base,
			    fw[_i].firmware);
		s = load_overlay("firmware.yml", text);
	}
	ua_parse(fw[_i].ua, &ua);
	memset(&d, 'x', sizeof(d));
	got = flatprofile_firmware(s, &ua, &d);
	ck_assert_msg(got == fw[_i].want, "line %d: decided %d", fw[_i].line,
	    got);
	if (got) {
		ck_assert_int_eq(d.downgrade, fw[_i].downgrade);
		ck_assert_str_eq(d.version, fw[_i].version);
		if (fw[_i].url != NULL)
			ck_assert_str_eq(d.url, fw[_i].url);
	}
	snapshot_free(s);
}
END_TEST

START_TEST(test_render_upgrade)
{
	struct snapshot *s = load_dir(GOOD);
	struct useragent ua;
	struct fw_decision d;
	struct profile p;
	struct buf b, b2;
	uint64_t h, h2;

	ua_parse("Cisco-CP-6841-3PCC/11.3.7 (001122334455)", &ua);
	ck_assert_int_eq(flatprofile_firmware(s, &ua, &d), 1);
	buf_init(&b);
	h = flatprofile_upgrade(s, &d, &b);
	parse(&b, &p);
	ck_assert_str_eq(p.root, "flat-profile");
	ck_assert_uint_eq(p.n, 6);
	ck_assert_str_eq(get(&p, "Upgrade_Enable")->value, "Yes");
	ck_assert_str_eq(get(&p, "Upgrade_Error_Retry_Delay")->value, "600");
	ck_assert_str_eq(get(&p, "Upgrade_Rule")->value,
	    "http://fw.example.net/sip68xx.12-0-1MPP0001-245.loads");
	/* The phone expands these macros itself. */
	ck_assert_str_eq(get(&p, "Log_Upgrade_Request_Msg")->value,
	    "$PN $MAC -- Requesting upgrade $SCHEME://$SERVIP:$PORT$PATH");
	ck_assert_str_eq(get(&p, "Log_Upgrade_Success_Msg")->value,
	    "$PN $MAC -- Successful upgrade $SCHEME://$SERVIP:$PORT$PATH -- $ERR");
	ck_assert_str_eq(get(&p, "Log_Upgrade_Failure_Msg")->value,
	    "$PN $MAC -- Upgrade failed: $ERR");
	/* Nothing else: no password element, blank or not. */
	ck_assert_ptr_null(get(&p, "User_Password"));
	ck_assert_ptr_null(strstr(b.data, "Password"));
	ck_assert_ptr_null(strstr(b.data, "secret"));
	profile_free(&p);

	/* The tag follows the document. */
	buf_init(&b2);
	ck_assert_uint_eq(flatprofile_upgrade(s, &d, &b2), h);
	buf_free(&b2);
	ua_parse("Cisco-CP-8841-3PCC/11.3.7", &ua);
	ck_assert_int_eq(flatprofile_firmware(s, &ua, &d), 1);
	buf_init(&b2);
	h2 = flatprofile_upgrade(s, &d, &b2);
	ck_assert_uint_ne(h2, h);
	ck_assert_ptr_nonnull(strstr(b2.data, "sip88xx.12-0-10MPP0001-250"));
	/* Not the tag of any profile. */
	for (size_t i = 0; i < s->n_phones; i++)
		ck_assert_uint_ne(flatprofile_hash(s, &s->phones[i]), h);
	buf_free(&b2);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

/* A URL with & and no log messages: escaped, and no empty Log_ elements. */
START_TEST(test_render_upgrade_escaped)
{
	struct snapshot *s = load_overlay("firmware.yml",
	    "firmware:\n  update_enabled: true\n"
	    "  expected_version: \"12.0.1\"\n"
	    "  upgrade_url: \"http://fw/get?model=6841&v=<1>\"\n");
	struct useragent ua;
	struct fw_decision d;
	struct profile p;
	struct buf b;

	ua_parse("Cisco-CP-6841-3PCC/11.3.7", &ua);
	ck_assert_int_eq(flatprofile_firmware(s, &ua, &d), 1);
	buf_init(&b);
	flatprofile_upgrade(s, &d, &b);
	parse(&b, &p);
	ck_assert_str_eq(get(&p, "Upgrade_Rule")->value,
	    "http://fw/get?model=6841&v=<1>");
	ck_assert_ptr_nonnull(strstr(b.data, "model=6841&amp;v=&lt;1&gt;"));
	ck_assert_ptr_null(get(&p, "Log_Upgrade_Request_Msg"));
	/* The default retry delay. */
	ck_assert_str_eq(get(&p, "Upgrade_Error_Retry_Delay")->value, "3600");
	profile_free(&p);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

/* The upgrade document keeps the admin's xml_structure too. */
START_TEST(test_render_upgrade_structure)
{
	struct snapshot *s = load_overlay("schema.yml", structure);
	struct useragent ua;
	struct fw_decision d;
	struct profile p;
	struct buf b;

	ua_parse("Cisco-CP-6841-3PCC/11.3.7", &ua);
	ck_assert_int_eq(flatprofile_firmware(s, &ua, &d), 1);
	buf_init(&b);
	flatprofile_upgrade(s, &d, &b);
	parse(&b, &p);
	ck_assert_str_eq(p.root, "device");
	ck_assert_str_eq(p.holder, "flat-profile");
	ck_assert_str_eq(get(&p, "Upgrade_Enable")->value, "Yes");
	profile_free(&p);
	buf_free(&b);
	snapshot_free(s);
}
END_TEST

Suite *flatprofile_suite(void);

Suite *
flatprofile_suite(void)
{
	Suite *s = suite_create("flatprofile");
	TCase *tc = tcase_create("profile");

	tcase_add_loop_test(tc, test_layers, 0,
	    (int)(sizeof(layers) / sizeof(layers[0])));
	tcase_add_test(tc, test_bytes);
	tcase_add_test(tc, test_every_phone_well_formed);
	tcase_add_test(tc, test_many_params);
	tcase_add_test(tc, test_default_ua);
	tcase_add_test(tc, test_xml_structure);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_hash_slot_matters);
	suite_add_tcase(s, tc);

	tc = tcase_create("firmware");
	tcase_add_loop_test(tc, test_firmware_decide, 0,
	    (int)(sizeof(fw) / sizeof(fw[0])));
	tcase_add_test(tc, test_render_upgrade);
	tcase_add_test(tc, test_render_upgrade_escaped);
	tcase_add_test(tc, test_render_upgrade_structure);
	suite_add_tcase(s, tc);
	return s;
}
