/* Secrets in reports: which parameters are sensitive, and the keyed hash
 * they are stored as, so a password never rests on disk in clear while the
 * compare page can still say "matches" or "differs".
 *
 * A name is a secret when
 *   - a token of it (split at _ - . and at case and digit changes) is
 *     password, passwd, pwd, passphrase, passcode, secret, pin, token or
 *     keying (RFC 8188 Input_Keying_Material) -- unless the next token says
 *     the parameter is a setting about the secret (User_Password_Prompt,
 *     Preferred_Password_Input_Mode: a Yes/No or a mode, not a password);
 *   - a token is psk, except Cisco's PSK_<n>, the programmable softkeys
 *     (values like "fnc=sd;ext=161"), which are not pre-shared keys;
 *   - a token is key right after pre, shared, private, encryption, auth...
 *     (Pre_Shared_Key, Private_Key) -- but not Line_Key_Label_1_, where
 *     "key" is a button;
 *   - it is listed in comparison.yml `secrets`;
 *   - it is on the comparison blacklist and merely contains pass, pwd,
 *     secret, key, pin, psk, token or cred: the admin has said that name
 *     matters, and a false positive there costs nothing since blacklisted
 *     parameters are never compared.
 * A false positive only hides a harmless value behind "matches/differs";
 * a false negative stores a password in clear, so the rule leans wide.
 *
 * The hash is HMAC-SHA256 over name NUL value with a per-installation
 * random key kept in $DESKPROV_DATA/.report-key (mode 0600): unlike a plain
 * hash, a stolen report cannot be brute-forced offline without the key,
 * and equal passwords under different names hash differently. */
#ifndef DESKPROV_SECRET_H
#define DESKPROV_SECRET_H

#include <stddef.h>

#include "settings.h"

#define SECRET_KEY_LEN		32
#define SECRET_KEY_FILE		".report-key"
#define SECRET_HASH_PREFIX	"hmac-sha256:"
#define SECRET_HASH_LEN		(sizeof(SECRET_HASH_PREFIX) - 1 + 64)

struct secret_key {
	unsigned char	bytes[SECRET_KEY_LEN];
};

/* True when name matches an entry of l: an exact name, or a shell pattern
 * (fnmatch) when the entry holds * ? or [.  Shared by every comparison.yml
 * name list. */
int	namelist_match(const struct strlist *l, const char *name);

/* The token rule above, alone. */
int	secret_name_rule(const char *name);
/* The whole rule: token rule, `secrets` list, loose blacklist match.  cmp
 * may be NULL (token rule only). */
int	secret_name(const char *name, const struct comparison_settings *cmp);

/* Reads dir/.report-key.  With create, a missing key is made (32 bytes
 * from getrandom, written under a temporary name and linked into place,
 * so two processes starting together agree on one key); without, a
 * missing key returns 1.  The one key loader: app_key() calls it.  Returns
 * 0, or -1 with a message in err: missing directory, wrong size, readable
 * by others. */
int	secret_key_load(const char *dir, struct secret_key *, int create,
	    char *err, size_t errsz);
/* Overwrites the key in memory. */
void	secret_key_wipe(struct secret_key *);

/* Writes "hmac-sha256:<64 hex>" and a NUL into out. */
void	secret_hash(const struct secret_key *, const char *name,
	    const char *value, size_t value_len,
	    char out[SECRET_HASH_LEN + 1]);
/* True when s has exactly the shape secret_hash() writes. */
int	secret_is_hash(const char *s);
/* True when the clear value `clear` is what `stored` holds for `name`:
 * stored is a hash (compared in constant time), or a clear value kept
 * from before the name counted as a secret (hashed, then compared). */
int	secret_matches(const struct secret_key *, const char *name,
	    const char *clear, size_t clear_len, const char *stored);

#endif
