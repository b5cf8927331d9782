/* Secret names, the installation key and the keyed hash. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "secret.h"
#include "text.h"
#include "testutil.h"

static const struct {
	int		 line;
	const char	*name;
	int		 secret;
} names[] = {
	{ __LINE__, "Admin_Password", 1 },
	{ __LINE__, "User_Password", 1 },
	{ __LINE__, "Password_1_", 1 },
	{ __LINE__, "Auth_Page_Password_4_", 1 },
	{ __LINE__, "BACKUP_ACS_Password", 1 },
	{ __LINE__, "XMPP_Password", 1 },
	{ __LINE__, "Web_Login_Admin_Password", 1 },
	{ __LINE__, "Admin_Passwd", 1 },
	{ __LINE__, "SIP_Pwd", 1 },
	{ __LINE__, "sipPassword", 1 },
	{ __LINE__, "XMLPassword", 1 },
	{ __LINE__, "Password1", 1 },
	{ __LINE__, "Wi-Fi_Passphrase_1_", 1 },
	{ __LINE__, "Shared_Secret", 1 },
	{ __LINE__, "Voice_Mail_PIN", 1 },
	{ __LINE__, "Auth_Token", 1 },
	{ __LINE__, "Input_Keying_Material", 1 },
	{ __LINE__, "WPA_PSK", 1 },
	{ __LINE__, "PSK", 1 },
	{ __LINE__, "Pre_Shared_Key", 1 },
	{ __LINE__, "Private_Key", 1 },
	{ __LINE__, "Encryption_Key_1_", 1 },
	{ __LINE__, "Admin_Passcode", 1 },
	/* Settings about a secret, not the secret. */
	{ __LINE__, "User_Password_Prompt", 0 },
	{ __LINE__, "Preferred_Password_Input_Mode", 0 },
	{ __LINE__, "PIN_Lock_Enable", 0 },
	/* Cisco programmable softkeys, line keys and friends. */
	{ __LINE__, "PSK_1", 0 },
	{ __LINE__, "PSK_16", 0 },
	{ __LINE__, "Line_Key_Label_1_", 0 },
	{ __LINE__, "Feature_Key_Sync_1_", 0 },
	{ __LINE__, "Conference_Single_Hardkey_1_", 0 },
	{ __LINE__, "Broadsoft_Call_History_Key_List", 0 },
	{ __LINE__, "Use_Line_Keys_For_BLF_List", 0 },
	{ __LINE__, "Auth_ID_1_", 0 },
	{ __LINE__, "SIP_Auth_ID", 0 },
	{ __LINE__, "Call_Pickup_Code", 0 },
	{ __LINE__, "Ping_Interval", 0 },
	{ __LINE__, "LDAP_Prompt_For_Empty_Credentials", 0 },
	{ __LINE__, "Station_Name", 0 },
	{ __LINE__, "Profile_Rule", 0 },
	{ __LINE__, "Passthrough_Mode", 0 },
	{ __LINE__, "Spinner", 0 },
};

START_TEST(test_name_rule)
{
	ck_assert_msg(secret_name_rule(names[_i].name) == names[_i].secret,
	    "line %d: %s", names[_i].line, names[_i].name);
	ck_assert_int_eq(secret_name(names[_i].name, NULL), names[_i].secret);
}
END_TEST

START_TEST(test_name_lists)
{
	const char *secrets[] = { "Station_Key_Code", "Custom_*" };
	const char *black[] = { "Set_Local_Date__mm_dd_yyyy_", "Line_Key_1_",
	    "Station_PassCode_Hint", "Web_*" };
	struct comparison_settings cmp;

	memset(&cmp, 0, sizeof(cmp));
	cmp.secrets.items = secrets;
	cmp.secrets.n = 2;
	cmp.blacklist.items = black;
	cmp.blacklist.n = 4;
	ck_assert(secret_name("Station_Key_Code", &cmp));
	ck_assert(secret_name("Custom_Thing", &cmp));
	ck_assert(!secret_name("Custom", &cmp));
	/* Blacklisted and password-like: hashed. */
	ck_assert(secret_name("Line_Key_1_", &cmp));
	ck_assert(secret_name("Station_PassCode_Hint", &cmp));
	ck_assert(secret_name("Web_Admin_Pin_Code", &cmp));
	/* Blacklisted but harmless, or password-like only loosely. */
	ck_assert(!secret_name("Set_Local_Date__mm_dd_yyyy_", &cmp));
	ck_assert(!secret_name("Web_Server_Port", &cmp));
	ck_assert(!secret_name("Line_Key_2_", &cmp));
	ck_assert(namelist_match(&cmp.blacklist, "Web_"));
	ck_assert(!namelist_match(&cmp.blacklist, "web_x"));
	ck_assert(!namelist_match(NULL, "x"));
}
END_TEST

START_TEST(test_hash)
{
	struct secret_key k, k2;
	char a[SECRET_HASH_LEN + 1], b[SECRET_HASH_LEN + 1];

	memset(k.bytes, 7, sizeof(k.bytes));
	memset(k2.bytes, 8, sizeof(k2.bytes));
	secret_hash(&k, "Admin_Password", "admin1234", 9, a);
	ck_assert_uint_eq(strlen(a), SECRET_HASH_LEN);
	ck_assert(strncmp(a, "hmac-sha256:", 12) == 0);
	ck_assert(secret_is_hash(a));
	ck_assert(strstr(a, "admin1234") == NULL);
	/* Keyed, bound to the name, deterministic. */
	secret_hash(&k, "Admin_Password", "admin1234", 9, b);
	ck_assert_str_eq(a, b);
	secret_hash(&k2, "Admin_Password", "admin1234", 9, b);
	ck_assert_str_ne(a, b);
	secret_hash(&k, "User_Password", "admin1234", 9, b);
	ck_assert_str_ne(a, b);
	/* name NUL value: "A" + "B\0..." cannot collide with "AB". */
	secret_hash(&k, "Admin_Password", "admin123", 8, b);
	ck_assert_str_ne(a, b);
	ck_assert(secret_matches(&k, "Admin_Password", "admin1234", 9, a));
	ck_assert(!secret_matches(&k, "Admin_Password", "admin1235", 9, a));
	ck_assert(!secret_matches(&k, "Admin_Password", "admin1234 ", 10, a));
	ck_assert(!secret_matches(&k2, "Admin_Password", "admin1234", 9, a));
	/* A clear value stored before the name counted as secret. */
	ck_assert(secret_matches(&k, "Admin_Password", "admin1234", 9,
	    "admin1234"));
	ck_assert(!secret_matches(&k, "Admin_Password", "x", 1, "admin1234"));
	/* Empty values hash too. */
	secret_hash(&k, "VPN_Password", "", 0, b);
	ck_assert(secret_matches(&k, "VPN_Password", "", 0, b));
}
END_TEST

/* The stored form never changes: HMAC-SHA256 over name NUL value, the
 * same bytes OpenSSL's one-shot HMAC() gives, whichever key was used
 * last (the keyed context is kept between calls and keyed again when the
 * key changes). */
START_TEST(test_hash_stable)
{
	static const char *const values[] = { "admin1234", "", "x\ty" };
	struct secret_key keys[2];
	char got[SECRET_HASH_LEN + 1], want[SECRET_HASH_LEN + 1];
	unsigned char msg[64], mac[32];
	unsigned int mac_len;

	memset(keys[0].bytes, 7, sizeof(keys[0].bytes));
	memset(keys[1].bytes, 0xa5, sizeof(keys[1].bytes));
	for (int round = 0; round < 6; round++) {
		const struct secret_key *k = &keys[round % 2 == 0 || round > 3];
		const char *v = values[round % 3];
		size_t n = strlen(v);

		memcpy(msg, "SIP_Password\0", 13);
		memcpy(msg + 13, v, n);
		HMAC(EVP_sha256(), k->bytes, (int)sizeof(k->bytes), msg, 13 + n,
		    mac, &mac_len);
		memcpy(want, SECRET_HASH_PREFIX, strlen(SECRET_HASH_PREFIX));
		hex_encode(mac, 32, 0, want + strlen(SECRET_HASH_PREFIX));
		want[SECRET_HASH_LEN] = '\0';
		secret_hash(k, "SIP_Password", v, n, got);
		ck_assert_msg(strcmp(got, want) == 0, "round %d", round);
	}
	/* One known answer, so that a change of both sides shows too. */
	secret_hash(&keys[0], "Admin_Password", "x", 1, got);
	ck_assert_str_eq(got, "hmac-sha256:9bc9f4a9fa1968b6b52c2ec7d96ec287"
	    "cb0202b28ad3a09b14f96dc8ae11d66a");
}
END_TEST

START_TEST(test_is_hash)
{
	static const struct {
		int		 line;
		const char	*s;
		int		 ok;
	} t[] = {
		{ __LINE__, "hmac-sha256:0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef", 1 },
		{ __LINE__, "hmac-sha256:0123456789ABCDEF0123456789abcdef"
		    "0123456789abcdef0123456789abcdef", 0 },
		{ __LINE__, "hmac-sha256:0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcde", 0 },
		{ __LINE__, "hmac-sha256:0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef0", 0 },
		{ __LINE__, "sha256:0123456789abcdef0123456789abcdef"
		    "0123456789abcdef0123456789abcdef", 0 },
		{ __LINE__, "hmac-sha256:", 0 },
		{ __LINE__, "", 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_msg(secret_is_hash(t[i].s) == t[i].ok, "line %d",
		    t[i].line);
}
END_TEST

static int
count_entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

START_TEST(test_key_create_and_reload)
{
	char dir[TU_DIR_MAX], path[128], err[256];
	struct secret_key k1, k2;
	struct stat st;

	tu_mkdtemp(dir);
	ck_assert_msg(secret_key_load(dir, &k1, 1, err, sizeof(err)) == 0, "%s",
	    err);
	snprintf(path, sizeof(path), "%s/%s", dir, SECRET_KEY_FILE);
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(st.st_size, SECRET_KEY_LEN);
	/* Only the key: no temporary file left behind. */
	ck_assert_int_eq(count_entries(dir), 1);
	ck_assert_int_eq(secret_key_load(dir, &k2, 1, err, sizeof(err)), 0);
	ck_assert(memcmp(k1.bytes, k2.bytes, SECRET_KEY_LEN) == 0);
	secret_key_wipe(&k2);
	ck_assert(memcmp(k1.bytes, k2.bytes, SECRET_KEY_LEN) != 0);
	tu_remove_dir(dir);
}
END_TEST

START_TEST(test_key_refused)
{
	char dir[TU_DIR_MAX], path[128], err[256];
	struct secret_key k;

	ck_assert_int_eq(secret_key_load("/nonexistent/deskprov", &k, 1, err,
	    sizeof(err)), -1);
	ck_assert(strstr(err, "data directory") != NULL);
	tu_mkdtemp(dir);
	snprintf(path, sizeof(path), "%s/%s", dir, SECRET_KEY_FILE);
	/* Too short. */
	tu_write(dir, SECRET_KEY_FILE, "short");
	chmod(path, 0600);
	ck_assert_int_eq(secret_key_load(dir, &k, 1, err, sizeof(err)), -1);
	/* Right size, readable by others. */
	tu_write(dir, SECRET_KEY_FILE, "0123456789abcdef0123456789abcdef");
	chmod(path, 0644);
	ck_assert_int_eq(secret_key_load(dir, &k, 1, err, sizeof(err)), -1);
	ck_assert(strstr(err, "readable by others") != NULL);
	chmod(path, 0600);
	ck_assert_int_eq(secret_key_load(dir, &k, 1, err, sizeof(err)), 0);
	ck_assert(memcmp(k.bytes, "0123456789abcdef0123456789abcdef", 32) == 0);
	/* A symbolic link is never followed. */
	unlink(path);
	ck_assert_int_eq(symlink("/etc/hostname", path), 0);
	ck_assert_int_eq(secret_key_load(dir, &k, 1, err, sizeof(err)), -1);
	tu_remove_dir(dir);
}
END_TEST

/* Processes that start together on an empty directory end up with one
 * key between them. */
START_TEST(test_key_race)
{
	enum { N = 8 };
	char dir[TU_DIR_MAX], err[256];
	unsigned char got[N][SECRET_KEY_LEN];
	int fds[N][2];
	pid_t pids[N];

	tu_mkdtemp(dir);
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(pipe(fds[i]), 0);
		if ((pids[i] = fork()) == 0) {
			struct secret_key k;

			if (secret_key_load(dir, &k, 1, err, sizeof(err)) < 0)
				_exit(1);
			_exit(write(fds[i][1], k.bytes, sizeof(k.bytes)) ==
			    (ssize_t)sizeof(k.bytes) ? 0 : 2);
		}
		ck_assert_int_gt(pids[i], 0);
	}
	for (int i = 0; i < N; i++) {
		int status;

		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		ck_assert_int_eq(read(fds[i][0], got[i], SECRET_KEY_LEN),
		    SECRET_KEY_LEN);
		close(fds[i][0]);
		close(fds[i][1]);
		ck_assert(memcmp(got[i], got[0], SECRET_KEY_LEN) == 0);
	}
	ck_assert_int_eq(count_entries(dir), 1);
	tu_remove_dir(dir);
}
END_TEST

Suite *secret_suite(void);

Suite *
secret_suite(void)
{
	Suite *s = suite_create("secret");
	TCase *tc = tcase_create("secret");

	tcase_add_loop_test(tc, test_name_rule, 0,
	    (int)(sizeof(names) / sizeof(names[0])));
	tcase_add_test(tc, test_name_lists);
	tcase_add_test(tc, test_hash);
	tcase_add_test(tc, test_hash_stable);
	tcase_add_test(tc, test_is_hash);
	tcase_add_test(tc, test_key_create_and_reload);
	tcase_add_test(tc, test_key_refused);
	tcase_add_test(tc, test_key_race);
	suite_add_tcase(s, tc);
	return s;
}
