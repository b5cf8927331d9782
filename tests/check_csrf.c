/* Form tokens and the Origin/Referer check (csrf.h), as table rows. */
#include <check.h>
#include <string.h>

#include "csrf.h"

#define NOW	((time_t)1796000000)

static const struct secret_key key = { { 1, 2, 3, 4, 5, 6, 7, 8 } };
static const struct secret_key other = { { 9 } };

START_TEST(test_token)
{
	char tok[CSRF_TOKEN_MAX], bad[CSRF_TOKEN_MAX];

	csrf_token(&key, "admin", "desk-1", NOW, tok);
	ck_assert(csrf_check(&key, "admin", "desk-1", tok, NOW));
	ck_assert(csrf_check(&key, "admin", "desk-1", tok, NOW + CSRF_TTL));
	/* Expired, another user, phone or key, no user. */
	ck_assert(!csrf_check(&key, "admin", "desk-1", tok, NOW + CSRF_TTL +
	    1));
	ck_assert(!csrf_check(&key, "admin2", "desk-1", tok, NOW));
	ck_assert(!csrf_check(&key, "admin", "desk-2", tok, NOW));
	ck_assert(!csrf_check(&other, "admin", "desk-1", tok, NOW));
	ck_assert(!csrf_check(&key, NULL, "desk-1", tok, NOW));
	/* The user and the phone cannot trade bytes. */
	csrf_token(&key, "admi", "ndesk-1", NOW, bad);
	ck_assert(!csrf_check(&key, "admin", "desk-1", bad, NOW));
	/* A later expiry written in: the MAC does not cover it. */
	memcpy(bad, tok, sizeof(bad));
	bad[9] = bad[9] == '9' ? '8' : (char)(bad[9] + 1);
	ck_assert(!csrf_check(&key, "admin", "desk-1", bad, NOW));
	/* One hex digit changed. */
	memcpy(bad, tok, sizeof(bad));
	bad[20] = bad[20] == 'a' ? 'b' : 'a';
	ck_assert(!csrf_check(&key, "admin", "desk-1", bad, NOW));
	/* Auth off: no user on both sides. */
	csrf_token(&key, NULL, "desk-1", NOW, tok);
	ck_assert(csrf_check(&key, NULL, "desk-1", tok, NOW));
}
END_TEST

static const struct {
	int		 line;
	const char	*token;
} malformed[] = {
	{ __LINE__, NULL }, { __LINE__, "" }, { __LINE__, "." },
	{ __LINE__, "1796000000" }, { __LINE__, "1796000000." },
	{ __LINE__, "-1.00" }, { __LINE__, "99999999999999999999.00" },
	{ __LINE__, ".0000000000000000000000000000000000000000000000000000000"
	    "000000000" },
	{ __LINE__, "1796003600.000000000000000000000000000000000000000000000"
	    "00000000000000000000" },
};

START_TEST(test_malformed)
{
	ck_assert_msg(!csrf_check(&key, "admin", "desk-1", malformed[_i].token,
	    NOW), "line %d", malformed[_i].line);
}
END_TEST

/* A token made for the far future is refused even with a good MAC: no
 * token outlives CSRF_TTL from now. */
START_TEST(test_future)
{
	char tok[CSRF_TOKEN_MAX];

	csrf_token(&key, "admin", "desk-1", NOW + 60, tok);
	ck_assert(!csrf_check(&key, "admin", "desk-1", tok, NOW));
	ck_assert(csrf_check(&key, "admin", "desk-1", tok, NOW + 60));
}
END_TEST

static const struct {
	int		 line;
	const char	*origin, *referer, *host;
	int		 ok;
} origins[] = {
	{ __LINE__, NULL, NULL, "prov.example", 1 },
	{ __LINE__, "http://prov.example", NULL, "prov.example", 1 },
	{ __LINE__, "https://PROV.example", NULL, "prov.example", 1 },
	{ __LINE__, "http://prov.example:8080", NULL, "prov.example:8080", 1 },
	{ __LINE__, NULL, "http://prov.example/phone/desk-1?x", "prov.example",
	    1 },
	{ __LINE__, "http://evil.example", NULL, "prov.example", 0 },
	{ __LINE__, "http://prov.example.evil.example", NULL, "prov.example",
	    0 },
	{ __LINE__, "http://prov.example:8081", NULL, "prov.example:8080", 0 },
	/* nginx passes Host without the port. */
	{ __LINE__, "http://127.0.0.1:39557", NULL, "127.0.0.1", 1 },
	{ __LINE__, "http://127.0.0.2:39557", NULL, "127.0.0.1", 0 },
	{ __LINE__, "http://127.0.0.1", NULL, "127.0.0.1:80", 1 },
	{ __LINE__, "http://[2001:db8::1]:8080", NULL, "[2001:db8::1]:8080", 1 },
	{ __LINE__, "http://[2001:db8::1]:8080", NULL, "[2001:db8::2]:8080", 0 },
	{ __LINE__, "http://[2001:db8::1]", NULL, "[2001:db8::1]:8080", 1 },
	{ __LINE__, "http://prov.example", NULL, "prov.example.evil", 0 },
	{ __LINE__, "null", NULL, "prov.example", 0 },
	{ __LINE__, "http://evil.example", "http://prov.example/",
	    "prov.example", 0 },
	{ __LINE__, NULL, "http://evil.example/prov.example", "prov.example",
	    0 },
	{ __LINE__, NULL, "http://user@prov.example/", "prov.example", 0 },
	{ __LINE__, NULL, "ftp://prov.example/", "prov.example", 0 },
	{ __LINE__, "http://prov.example", NULL, NULL, 0 },
};

START_TEST(test_origin)
{
	ck_assert_msg(csrf_origin_ok(origins[_i].origin, origins[_i].referer,
	    origins[_i].host) == origins[_i].ok, "line %d", origins[_i].line);
}
END_TEST

Suite *csrf_suite(void);

Suite *
csrf_suite(void)
{
	Suite *s = suite_create("csrf");
	TCase *tc = tcase_create("csrf");

	tcase_add_test(tc, test_token);
	tcase_add_loop_test(tc, test_malformed, 0, sizeof(malformed) /
	    sizeof(malformed[0]));
	tcase_add_test(tc, test_future);
	tcase_add_loop_test(tc, test_origin, 0, sizeof(origins) /
	    sizeof(origins[0]));
	suite_add_tcase(s, tc);
	return s;
}
