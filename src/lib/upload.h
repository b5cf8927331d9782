/* What phones upload besides reports (issue 15): Polycom phones PUT their
 * logs and the override files their users' changes go to; Yealink phones
 * PUT their local configuration and contacts.  The names, caps and
 * retention are one table (upload.c); each upload is kept as a new version
 * under <data dir>/uploads/<mac>/, written atomically, the oldest versions
 * beyond the table's count removed.  Override files are compared with what
 * deskprov serves the phone (upload_drift), with compare.c's rules.
 *
 * Sources: Poly FAQ "What files does my phone download or upload and why"
 * (community.poly.com): <mac>-app.log, <mac>-boot.log, <mac>-phone.cfg,
 * <mac>-web.cfg; Yealink administrator guides and the public
 * freepbx-helper-scripts "Backup_Yealink_Local_Contacts" README
 * (https://github.com/sorvani/freepbx-helper-scripts): <mac>-local.cfg,
 * <mac>-contact.xml, uploaded with PUT. */
#ifndef DESKPROV_UPLOAD_H
#define DESKPROV_UPLOAD_H

#include <stddef.h>
#include <time.h>

#include "compare.h"
#include "config.h"
#include "ident.h"

#define UPLOAD_DIR		"uploads"	/* under the data directory */
#define UPLOAD_VERSIONS_MAX	64	/* listed per phone */
#define UPLOAD_STORED_MAX	96	/* bytes in a stored file's name */

enum upload_kind {
	UPLOAD_LOG,		/* a log: shown, never compared */
	UPLOAD_OVERRIDE,	/* local settings: compared (drift) */
	UPLOAD_CONTACTS		/* the phone's own phonebook */
};

struct upload_file {
	const char		*pack;		/* whose phones send it */
	const char		*suffix;	/* after the MAC: "-app.log" */
	enum upload_kind	 kind;
	size_t			 max_bytes;	/* refused above, unread */
	unsigned		 keep;		/* versions kept */
};

/* The upload a file name ("0004f2aabbcc-app.log", any case of MAC) names,
 * with its MAC (12 lowercase hex) in mac; NULL when none does. */
const struct upload_file	*upload_match(const char *name,
				    char mac[MAC_LEN + 1]);

/* One stored version. */
struct upload_entry {
	const struct upload_file	*file;
	char				 stored[UPLOAD_STORED_MAX];
	time_t				 when;	/* from the stored name */
	size_t				 size;
};

/* Stores body[0..len) as the newest version of file for the phone with
 * MAC mac (normalised), then removes the versions beyond file->keep.
 * data_dir must exist; uploads/<mac>/ is made as needed.  Returns 0, or
 * -1 with err set (a sentence for the log: no body bytes in it). */
int	upload_store(const char *data_dir, const char *mac,
	    const struct upload_file *file, const char *body, size_t len,
	    time_t now, char *err, size_t errsz);

/* The phone's stored versions, newest first within each file, files in
 * table order (at most max; *n set).  A phone with none: 0 and *n = 0.
 * Returns -1 with err set when the directory cannot be read. */
int	upload_list(const char *data_dir, const char *mac,
	    struct upload_entry *out, size_t max, size_t *n, char *err,
	    size_t errsz);

/* Reads one stored version (caller frees *out, NUL-terminated). */
int	upload_read(const char *data_dir, const char *mac,
	    const struct upload_entry *e, char **out, size_t *len);

/* An override file's settings as name → value: Yealink's "key = value"
 * lines, or every attribute of every element of a Polycom XML file.  out
 * is initialised here and freed by the caller (report_free) in every
 * case.  0, or -1 when the body is not such a file (out then empty). */
int	upload_params(const struct upload_file *, const char *body,
	    size_t len, struct report *out);

/* What deskprov serves the phone, read back the same way: every file of
 * its pack that is not its phonebook, rendered and parsed like the
 * override file, later files winning (the expected side of a comparison;
 * strings owned by e).  e->comparable 0 when the phone has no pack. */
void	upload_expected(struct cmp_expected *e, const struct snapshot *,
	    const struct phone *, const struct upload_file *);

#endif
