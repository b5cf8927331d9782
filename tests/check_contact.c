/* Learned SIP contacts: which source wins (contact_learn()) and what a
 * report teaches (contact_from_report()).  Table rows: a stored contact,
 * a new one, and the contact read back afterwards. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "contact.h"
#include "testutil.h"

#define MAC	"001122334455"

static const struct {
	int		 line;
	const char	*old_source;	/* NULL: nothing stored */
	long long	 old_age;	/* seconds before the new one */
	const char	*new_source;
	int		 rc;
	const char	*kept;		/* source read back */
} learn_rows[] = {
	{ __LINE__, NULL, 0, "report", 0, "report" },
	{ __LINE__, "report", 60, "report", 0, "report" },
	{ __LINE__, "dhcp", 60, "report", 0, "report" },
	{ __LINE__, "report", 60, "pnp", 0, "pnp" },
	{ __LINE__, "pnp", 60, "report", 2, "pnp" },
	{ __LINE__, "pnp", 60, "dhcp", 2, "pnp" },
	{ __LINE__, "report", 60, "dhcp", 2, "report" },
	/* A stronger record older than a day gives way. */
	{ __LINE__, "pnp", CONTACT_TRUST + 1, "report", 0, "report" },
	{ __LINE__, "report", CONTACT_TRUST + 1, "dhcp", 0, "dhcp" },
};

START_TEST(test_learn)
{
	struct contact old = { .mac = MAC, .addr = "192.0.2.1", .port = 5062,
	    .seen = 1000000 }, c = { .mac = MAC, .addr = "192.0.2.2",
	    .port = 5060 }, got;
	char data[TU_DIR_MAX], sub[TU_DIR_MAX + 8];

	tu_mkdtemp(data);
	if (learn_rows[_i].old_source != NULL) {
		snprintf(old.source, sizeof(old.source), "%s",
		    learn_rows[_i].old_source);
		ck_assert_int_eq(contact_put(data, &old), 0);
	}
	c.seen = old.seen + learn_rows[_i].old_age;
	snprintf(c.source, sizeof(c.source), "%s", learn_rows[_i].new_source);
	ck_assert_msg(contact_learn(data, &c) == learn_rows[_i].rc, "line %d",
	    learn_rows[_i].line);
	ck_assert_int_eq(contact_get(data, MAC, &got), 0);
	ck_assert_msg(strcmp(got.source, learn_rows[_i].kept) == 0,
	    "line %d: %s", learn_rows[_i].line, got.source);
	ck_assert_str_eq(got.addr, learn_rows[_i].rc == 2 ? "192.0.2.1" :
	    "192.0.2.2");
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, data);
	tu_remove_dir(sub);
	tu_remove_dir(data);
}
END_TEST

static void
report_with(struct report *r, const char *name, const char *value)
{
	report_init(r, REPORT_CONFIG);
	if (name != NULL)
		report_set(r, name, strlen(name), value, strlen(value));
}

/* The port a report states; the known one for the same address when it
 * states none; 5060 at a new address; a port out of range is none. */
START_TEST(test_from_report)
{
	char data[TU_DIR_MAX], sub[TU_DIR_MAX + 8];
	struct contact got;
	struct report r;

	tu_mkdtemp(data);
	report_with(&r, "SIP_Port_1_", "5070");
	ck_assert_int_eq(contact_from_report(data, MAC, "192.0.2.7", &r), 0);
	report_free(&r);
	ck_assert_int_eq(contact_get(data, MAC, &got), 0);
	ck_assert_str_eq(got.addr, "192.0.2.7");
	ck_assert_uint_eq(got.port, 5070);
	ck_assert_str_eq(got.source, "report");
	ck_assert(got.seen > 0 && got.seen <= (long long)time(NULL));
	/* A delta without the port: same address, same port (unchanged). */
	report_with(&r, "Station_Name", "x");
	ck_assert_int_eq(contact_from_report(data, MAC, "192.0.2.7", &r), 1);
	ck_assert_int_eq(contact_get(data, MAC, &got), 0);
	ck_assert_uint_eq(got.port, 5070);
	/* ... from a new address: the standard port. */
	ck_assert_int_eq(contact_from_report(data, MAC, "2001:db8::7", &r), 0);
	report_free(&r);
	ck_assert_int_eq(contact_get(data, MAC, &got), 0);
	ck_assert_str_eq(got.addr, "2001:db8::7");
	ck_assert_uint_eq(got.port, 5060);
	report_with(&r, "SIP_Port_1_", "70000");
	ck_assert_int_eq(contact_from_report(data, MAC, "192.0.2.8", &r), 0);
	report_free(&r);
	ck_assert_int_eq(contact_get(data, MAC, &got), 0);
	ck_assert_uint_eq(got.port, 5060);
	/* Never an address that is none, never a bad MAC. */
	report_with(&r, NULL, NULL);
	ck_assert_int_eq(contact_from_report(data, MAC, "not-an-ip", &r),
	    -EINVAL);
	ck_assert_int_eq(contact_from_report(data, "0011", "192.0.2.8", &r),
	    -EINVAL);
	report_free(&r);
	snprintf(sub, sizeof(sub), "%s/" CONTACT_DIR, data);
	tu_remove_dir(sub);
	tu_remove_dir(data);
}
END_TEST

Suite *contact_suite(void);

Suite *
contact_suite(void)
{
	Suite *s = suite_create("contact");
	TCase *tc = tcase_create("contact");

	tcase_add_loop_test(tc, test_learn, 0, sizeof(learn_rows) /
	    sizeof(learn_rows[0]));
	tcase_add_test(tc, test_from_report);
	suite_add_tcase(s, tc);
	return s;
}
